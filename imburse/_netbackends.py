"""The httpcore network backends of the pools the SDK builds (never of a caller's client).

Both go through httpcore's public network-backend seam (``NetworkBackend``/``NetworkStream``
and their async twins, wrapping the public default backends), so they serve httpcore and its
fork httpcore2 alike.

Sync: a thread cannot be cancelled mid-read, so the sync client's deadline is enforced where
the thread waits: every socket connect, TLS handshake, read and write gets ``min(its phase
timeout, time left)`` (:func:`~imburse._deadline.sync_time_left`), and one whose time is up
fails at once with the phase's timeout error. A server trickling one byte every half second
can then hold a call no longer than its deadline.

Async: ``AsyncDeadline`` cancels the task, so no wait needs bounding; what the backend changes
is the idle-connection probe. Before a pool reuses a connection it asks whether its socket is
readable (the server closed it). The default stream answers through anyio's typed attributes,
which also ask the kernel for the peer's address each time; httpcore 1.x's own pool (still used
through a proxy) asks every idle connection on every request and answer, which at 100 calls in
flight took half the client's CPU. Here the socket is looked up once per connection and the
probe is one ``poll()``.

:func:`async_network_backend` / :func:`sync_network_backend` are the two flavours the
generated transport picks by name (``scripts/unasync.py``).
"""

from __future__ import annotations

import math
import select
from collections.abc import Iterable
from functools import cache
from types import ModuleType
from typing import Any

from ._deadline import sync_time_left
from ._guards import current_trio_token

__all__ = ["async_network_backend", "sync_network_backend"]


def async_network_backend(core: ModuleType) -> Any:
    """An async network backend for ``core`` (httpcore or httpcore2) with a cheap idle probe.

    >>> import httpcore
    >>> isinstance(async_network_backend(httpcore), httpcore.AsyncNetworkBackend)
    True
    """
    return _async_classes(core)()


def _readability_probe(stream: Any) -> Any:
    """A function answering whether ``stream``'s socket is readable (or gone), made once;
    ``None`` when the stream has no socket or the platform no ``poll``."""
    sock = stream.get_extra_info("socket")
    if sock is None or not hasattr(select, "poll") or sock.fileno() < 0:
        return None  # the stream's own answer, then
    fileno = sock.fileno
    poller = select.poll()
    poller.register(fileno(), select.POLLIN)
    poll = poller.poll

    def readable() -> bool:
        # A closed socket counts as readable, as in httpcore: its next read is the end.
        # POLLHUP/POLLERR come back whether asked for or not, and also mean "do not reuse".
        return fileno() < 0 or bool(poll(0))

    return readable


@cache
def _async_classes(core: ModuleType) -> type[Any]:
    """The async backend and stream classes for one httpcore flavour, made once."""

    class ProbedStream(core.AsyncNetworkStream):  # type: ignore[misc, name-defined]
        """The default stream; ``is_readable`` answered by one poll() of its socket."""

        def __init__(self, inner: Any) -> None:
            self._inner = inner
            self._readable = _readability_probe(inner)

        async def read(self, max_bytes: int, timeout: float | None = None) -> bytes:  # noqa: ASYNC109 - httpcore's signature
            data: bytes = await self._inner.read(max_bytes, timeout)
            return data

        async def write(self, buffer: bytes, timeout: float | None = None) -> None:  # noqa: ASYNC109
            await self._inner.write(buffer, timeout)

        async def aclose(self) -> None:
            await self._inner.aclose()

        async def start_tls(
            self,
            ssl_context: Any,
            server_hostname: str | None = None,
            timeout: float | None = None,  # noqa: ASYNC109
        ) -> Any:
            return ProbedStream(await self._inner.start_tls(ssl_context, server_hostname, timeout))

        def get_extra_info(self, info: str) -> Any:
            if info == "is_readable" and self._readable is not None:
                return self._readable()
            return self._inner.get_extra_info(info)

    class ProbedBackend(core.AsyncNetworkBackend):  # type: ignore[misc, name-defined]
        """httpcore's default async backend (trio's under trio, anyio's otherwise), its
        streams probed cheaply."""

        def __init__(self) -> None:
            self._inner: Any = None

        def _backend(self) -> Any:
            # Chosen at the first connection, as httpcore's own default does: the pool is
            # built before any loop runs.
            if self._inner is None:
                self._inner = (
                    core.TrioBackend() if current_trio_token() is not None else core.AnyIOBackend()
                )
            return self._inner

        async def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,  # noqa: ASYNC109
            local_address: str | None = None,
            socket_options: Iterable[Any] | None = None,
        ) -> Any:
            stream = await self._backend().connect_tcp(
                host,
                port,
                timeout=timeout,
                local_address=local_address,
                socket_options=socket_options,
            )
            return ProbedStream(stream)

        async def connect_unix_socket(
            self,
            path: str,
            timeout: float | None = None,  # noqa: ASYNC109
            socket_options: Iterable[Any] | None = None,
        ) -> Any:
            stream = await self._backend().connect_unix_socket(
                path, timeout=timeout, socket_options=socket_options
            )
            return ProbedStream(stream)

        async def sleep(self, seconds: float) -> None:
            await self._backend().sleep(seconds)

    return ProbedBackend


def sync_network_backend(core: ModuleType) -> Any:
    """A sync network backend for ``core`` (httpcore or httpcore2) bounded by the deadline.

    >>> import httpcore
    >>> isinstance(sync_network_backend(httpcore), httpcore.NetworkBackend)
    True
    """
    return _classes(core)()


@cache
def _classes(core: ModuleType) -> type[Any]:
    """The backend and stream classes for one httpcore flavour, made once."""

    def bounded(timeout: float | None, error: type[Exception]) -> float | None:
        left = sync_time_left()
        if left <= 0:
            # A zero socket timeout would make the call non-blocking (an OSError, not a
            # timeout): the deadline has passed, so say so as the phase's own timeout.
            raise error("the call's deadline passed")
        if left == math.inf:  # no deadline around this call (a socket refuses inf)
            return timeout
        return left if timeout is None or timeout > left else timeout

    class DeadlineStream(core.NetworkStream):  # type: ignore[misc, name-defined]
        """A stream whose every wait ends by the call's deadline."""

        def __init__(self, inner: Any) -> None:
            self._inner = inner

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            data: bytes = self._inner.read(max_bytes, bounded(timeout, core.ReadTimeout))
            return data

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            self._inner.write(buffer, bounded(timeout, core.WriteTimeout))

        def close(self) -> None:
            self._inner.close()

        def start_tls(
            self,
            ssl_context: Any,
            server_hostname: str | None = None,
            timeout: float | None = None,
        ) -> Any:
            inner = self._inner.start_tls(
                ssl_context, server_hostname, bounded(timeout, core.ConnectTimeout)
            )
            return DeadlineStream(inner)

        def get_extra_info(self, info: str) -> Any:
            return self._inner.get_extra_info(info)

    class DeadlineBackend(core.NetworkBackend):  # type: ignore[misc, name-defined]
        """httpcore's ``SyncBackend``, every wait bounded by the call's deadline."""

        def __init__(self) -> None:
            self._inner = core.SyncBackend()

        def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: Iterable[Any] | None = None,
        ) -> Any:
            stream = self._inner.connect_tcp(
                host,
                port,
                bounded(timeout, core.ConnectTimeout),
                local_address=local_address,
                socket_options=socket_options,
            )
            return DeadlineStream(stream)

        def connect_unix_socket(
            self,
            path: str,
            timeout: float | None = None,
            socket_options: Iterable[Any] | None = None,
        ) -> Any:
            stream = self._inner.connect_unix_socket(
                path, bounded(timeout, core.ConnectTimeout), socket_options=socket_options
            )
            return DeadlineStream(stream)

        def sleep(self, seconds: float) -> None:
            self._inner.sleep(seconds)

    return DeadlineBackend
