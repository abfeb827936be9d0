"""The connection pool of the httpx adapters: one origin's HTTP/1.1 connections.

Built on httpcore's public ``AsyncHTTPConnection`` (each connection connects, sends, reads
and keeps itself alive exactly as in httpcore's own pool); this module decides only which
request gets which connection. It exists because httpcore 1.x's ``AsyncConnectionPool``
gets slower the busier it is: on every request and every answer it walks all its
connections, asks each idle one whether its socket is readable, and hands a queued request
the first idle connection, even one already promised to a request whose task has not run
yet; that request then finds it taken and goes round again. At 100 calls in flight this
measured ten pool passes per call and 1.3-3 ms of client CPU per call, the slow end
whenever the queue grew (benchmarks/, 2026-12-03). Here a request takes a connection for
itself alone:

- at most ``limit`` connections are in use; the next request waits its turn (first come,
  first served) for at most the pool timeout, then fails with ``PoolTimeout``;
- idle connections are a stack: the most recently used one is taken first (still warm,
  least likely to have been closed by the server), one idle longer than the keep-alive
  expiry is closed rather than used, and the oldest ones are closed as they expire;
- a connection is probed (``has_expired``: its own keep-alive clock, and whether the server
  closed it) once, as it is taken, not on every other request's behalf.

The same holds for the sync client's threads (this module's generated twin): httpcore's
``ConnectionPool`` does the same walk under one lock for every thread. Proxies from the
environment keep httpcore's proxy pools.
"""

from __future__ import annotations

import time
from collections import deque
from types import ModuleType, TracebackType
from typing import Any

from .._locks import AsyncSemaphore, async_close

__all__ = ["AsyncOriginPool"]


class AsyncOriginPool:
    """HTTP/1.1 connections to one origin, each used by one request at a time.

    ``stream()`` has the shape of httpcore's pool's (a context manager giving the response,
    the connection returned when it closes), so the adapter's send reads the same with this
    pool and with httpcore's proxy pools. ``options`` are httpcore's pool's.

    >>> import httpcore
    >>> pool = AsyncOriginPool(httpcore, httpcore.Origin(b"https", b"api.example", 443))
    >>> pool.connections, pool.requests
    ([], 0)
    """

    def __init__(
        self,
        core: ModuleType,
        origin: Any,
        *,
        ssl_context: Any = None,
        max_connections: int = 100,
        max_keepalive_connections: int | None = None,
        keepalive_expiry: float | None = 5.0,
        network_backend: Any = None,
    ) -> None:
        self._core = core
        self._origin = origin
        self._ssl_context = ssl_context
        self._keepalive_expiry = keepalive_expiry
        self._network_backend = network_backend
        keep = max_connections if max_keepalive_connections is None else max_keepalive_connections
        self._keep = min(keep, max_connections)  # idle connections kept at most
        self._slots = AsyncSemaphore(max_connections)
        # (when it went idle, connection), oldest first; taken from the right. Threads of
        # the sync twin share it: single deque operations only, each atomic.
        self._idle: deque[tuple[float, Any]] = deque()
        self._busy: set[Any] = set()
        self._closed = False

    @property
    def connections(self) -> list[Any]:
        """Every open or opening connection, idle ones first (as httpcore's pool lists)."""
        return [connection for _, connection in list(self._idle)] + list(self._busy)

    @property
    def requests(self) -> int:
        """Requests holding a connection of this pool or waiting for one."""
        return self._slots.demand()

    def stream(
        self, method: str, url: Any, *, headers: Any, content: Any, extensions: dict[str, Any]
    ) -> _Exchange:
        """One request and its response on a connection of this pool (``async with``)."""
        request = self._core.Request(
            method, url, headers=headers, content=content, extensions=extensions
        )
        return _Exchange(self, request)

    async def aclose(self) -> None:
        """Close every connection, idle or in use (a request still running then fails)."""
        self._closed = True
        connections = self.connections
        self._idle.clear()
        self._busy.clear()
        for connection in connections:
            await async_close(connection)

    async def take(self, max_wait: float | None) -> Any:
        """A connection for one request alone (``give_back`` it): an idle one, else a new
        one (connected by its first request). Waits at most ``max_wait`` seconds for a free
        slot (``None``: as long as it takes)."""
        # No wait (and no yield to the loop) when a slot is free: the common case.
        if not self._slots.try_acquire() and not await self._slots.acquire(max_wait):
            raise self._core.PoolTimeout("no connection became free within the pool timeout")
        try:
            connection = await self._idle_connection()
            if connection is None:
                connection = self._core.AsyncHTTPConnection(
                    self._origin,
                    ssl_context=self._ssl_context,
                    keepalive_expiry=self._keepalive_expiry,
                    network_backend=self._network_backend,
                )
        except BaseException:
            self._slots.release()
            raise
        self._busy.add(connection)
        return connection

    async def _idle_connection(self) -> Any:
        idle = self._idle
        expiry = self._keepalive_expiry
        while True:
            try:
                since, connection = idle.pop()
            except IndexError:
                return None
            fresh = expiry is None or time.monotonic() - since < expiry
            if fresh and not connection.has_expired():
                return connection
            await async_close(connection)

    async def give_back(self, connection: Any) -> None:
        """After the response closed (or the request failed): keep the connection for the
        next request when it can serve one, close it otherwise; free its slot either way."""
        self._busy.discard(connection)
        try:
            if connection.is_closed():
                return
            idle = self._idle
            if self._closed or not connection.is_idle() or len(idle) >= self._keep:
                await async_close(connection)
                return
            now = time.monotonic()
            idle.append((now, connection))
            expiry = self._keepalive_expiry
            # The bottom of the stack is used last: close what has idled past the expiry
            # there, instead of holding its socket until the pool closes.
            while expiry is not None:
                try:
                    oldest = idle[0]
                except IndexError:
                    break
                if now - oldest[0] < expiry:
                    break
                try:
                    idle.remove(oldest)
                except ValueError:  # another thread took or closed it meanwhile
                    continue
                await async_close(oldest[1])
        finally:
            self._slots.release()


class _Exchange:
    """``async with pool.stream(...) as response``: the connection is held from enter to
    exit, and given back however the block ends."""

    __slots__ = ("_connection", "_pool", "_request", "_response")

    def __init__(self, pool: AsyncOriginPool, request: Any) -> None:
        self._pool = pool
        self._request = request
        self._response: Any = None
        self._connection: Any = None

    async def __aenter__(self) -> Any:
        pool = self._pool
        timeout = self._request.extensions.get("timeout", {}).get("pool")
        connection = self._connection = await pool.take(timeout)
        try:
            self._response = await connection.handle_async_request(self._request)
        except BaseException:
            await pool.give_back(connection)
            raise
        return self._response

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self._response.aclose()  # shields itself; an unread body closes the connection
        finally:
            await self._pool.give_back(self._connection)
