"""The aiohttp adapter (``AsyncImburse(transport="aiohttp")``, extra ``imburse[aiohttp]``).

asyncio only: aiohttp has no sync API and does not run on trio. The session is created on
the first call (aiohttp wants a running loop) unless the caller passes one, which is then
theirs to close. Only aiohttp's public API is used (``ClientSession``, ``TCPConnector``,
``ClientTimeout`` for the pool wait and the connect); bodies are read raw and inflated
by :class:`~imburse._wire.BodyReader`, so ``max_response_bytes`` bounds them before and
after decompression.

The read timeout is kept by a watchdog of our own rather than aiohttp's ``sock_read``, which
pushes a fresh loop timer into the event loop's heap on every chunk received (three per
small answer: measured, about 7% of a raw aiohttp call's CPU at 100 in flight). The watchdog
is an :class:`~imburse._deadline.AsyncDeadline` on the adapter's shared timers, moved forward
by a dict update. The answer must begin within ``read`` seconds of the request's start; when
every connection of the pool was busy as it started, it may first wait for one, so it gets
``pool`` and ``connect`` more (aiohttp's public API does not say when it got a connection).
After that each wait for more of the body gets ``read`` again, and a body up to 64 KiB is read
in one wait of ``read`` seconds. A watchdog that fires is a timed-out attempt after the
request was sent, as a ``sock_read`` timeout was. Connecting counts against ``read`` (it is
bounded by ``connect`` itself, and takes milliseconds where a connection is kept alive).

Failures map to :class:`~imburse._core.call.TransportFailure` like the httpx adapter's:
``sent=False`` only when no connection was ever established for the request (connector
errors, including a connect or pool-wait timeout, and URLs aiohttp refuses).
"""

from __future__ import annotations

import asyncio
import math
from urllib.parse import urlsplit

import aiohttp

from ._core.build import PreparedRequest
from ._core.call import HTTPResponse
from ._core.config import DEFAULT_MAX_RESPONSE_BYTES, Timeouts
from ._core.errors import ClientStateError, ConfigurationError
from ._deadline import AsyncDeadline, AsyncTimers
from ._wire import (
    ACCEPT_ENCODING,
    BodyReader,
    env_proxy,
    failure,
    lower_headers,
    plain_within,
    split_origin,
)

__all__ = ["AsyncAiohttpTransport", "answer_within", "client_timeout"]

_NOT_SENT: tuple[type[Exception], ...] = (
    aiohttp.ClientConnectorError,  # refused, DNS, TLS handshake, proxy connect
    aiohttp.ConnectionTimeoutError,  # connect or wait for a pooled connection timed out
    aiohttp.InvalidURL,
    aiohttp.NonHttpUrlClientError,
)
_FAILURES = (aiohttp.ClientError, TimeoutError)
_LIMIT = 100  # connections (aiohttp's default)
_ONE_READ = 64 * 1024  # a plain body up to this size is read in one wait (see the docstring)
_Proxy = tuple[str | None, aiohttp.BasicAuth | None]


def _limit_of(session: aiohttp.ClientSession) -> float:
    connector = session.connector
    limit = connector.limit if connector is not None else 0
    return limit if limit > 0 else math.inf


def client_timeout(timeouts: Timeouts) -> aiohttp.ClientTimeout:
    """Our per-phase timeouts in aiohttp's terms (the read phase is the adapter's own).

    aiohttp's ``connect`` covers the wait for a pooled connection plus connecting, so it gets
    ``pool + connect``; ``sock_connect`` the connect phase. aiohttp has no write timeout, and
    the read timeout is the adapter's watchdog (see the module docstring). The call's
    deadline already clipped every phase.

    >>> client_timeout(Timeouts(connect=1, read=2, write=3, pool=4)).connect
    5
    """
    connect = timeouts.connect
    pool = timeouts.pool
    both = None if connect is None or pool is None else connect + pool
    return aiohttp.ClientTimeout(total=None, connect=both, sock_connect=connect, sock_read=None)


def answer_within(timeouts: Timeouts, *, queued: bool) -> float:
    """Seconds from a request's start until its answer must begin: ``read``, plus the
    ``pool`` and ``connect`` time when it may have to wait for a connection (``queued``);
    ``inf`` when one of those is unbounded.

    >>> t = Timeouts(connect=1, read=2, write=3, pool=4)
    >>> answer_within(t, queued=False), answer_within(t, queued=True)
    (2, 7)
    """
    read, pool, connect = timeouts.read, timeouts.pool, timeouts.connect
    if read is None:
        return math.inf
    if not queued:
        return read
    if pool is None or connect is None:
        return math.inf
    return read + pool + connect


class AsyncAiohttpTransport:
    """Sends requests with an ``aiohttp.ClientSession``; closes it only if it created it.

    >>> transport = AsyncAiohttpTransport(max_response_bytes=1 << 20)
    >>> transport.session is None  # made on the first call, on the running loop
    True
    """

    def __init__(
        self,
        session: aiohttp.ClientSession | None = None,
        *,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        if session is not None and not isinstance(session, aiohttp.ClientSession):
            raise ConfigurationError(
                "http_client must be an aiohttp.ClientSession for transport='aiohttp' "
                f"(got {type(session).__name__})"
            )
        self._owns = session is None
        self._session = session
        self._limit = max_response_bytes
        self._closed = False
        self._timeouts: Timeouts | None = None
        self._timeout = aiohttp.ClientTimeout()
        self._answer_within = (math.inf, math.inf)  # (a connection free, all of them busy)
        self._read = math.inf
        self._in_flight = 0
        # How many requests the pool serves at once (a caller's session: its connector's
        # limit; 0 is no limit): more in flight than that, and a request may wait for one.
        self._connections: float = _LIMIT if session is None else _limit_of(session)
        self._watches = AsyncTimers()  # the read watchdogs of the attempts in flight
        self._origins: dict[str, tuple[str, _Proxy]] = {}
        # A caller's session may decompress on its own: told not to, per request.
        self._decompress: bool | None = False if session is not None else None

    def _open(self) -> aiohttp.ClientSession:
        if self._closed:
            raise ClientStateError("the client is closed; create a new one to make calls")
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            raise ConfigurationError(
                "transport='aiohttp' runs on asyncio only; use transport='httpx' or 'httpx2' "
                "under trio"
            ) from None
        # trust_env=False: with it aiohttp hands every request to a thread twice (netrc and
        # proxy lookups). The proxy from the environment is looked up once per origin
        # instead (see _origin); netrc credentials have no use next to our bearer token.
        # auto_decompress=False: BodyReader inflates, bounded by max_response_bytes.
        self._session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=_LIMIT),
            trust_env=False,
            timeout=aiohttp.ClientTimeout(),
            auto_decompress=False,
        )
        return self._session

    def _origin(self, origin: str) -> tuple[str, _Proxy]:
        """``(host, (proxy, proxy_auth))`` for ``origin``, worked out once."""
        parts = urlsplit(origin)
        proxy: _Proxy = (None, None)
        if self._owns:  # a caller's session applies its own trust_env
            found = env_proxy(parts.scheme, parts.hostname or "")
            if found is not None:
                auth = None if found.auth is None else aiohttp.BasicAuth(*found.auth)
                proxy = (found.url, auth)
        self._origins[origin] = known = (parts.netloc, proxy)
        return known

    @property
    def session(self) -> aiohttp.ClientSession | None:
        """The session (``None`` until the first call when this transport creates it)."""
        return self._session

    async def send(self, request: PreparedRequest, timeouts: Timeouts) -> HTTPResponse:
        """See :class:`~imburse._async.transport.AsyncTransport`."""
        session = self._session or self._open()
        if timeouts is not self._timeouts:
            self._timeout, self._timeouts = client_timeout(timeouts), timeouts
            self._answer_within = (
                answer_within(timeouts, queued=False),
                answer_within(timeouts, queued=True),
            )
            self._read = math.inf if timeouts.read is None else timeouts.read
        origin = split_origin(request.url)[0]
        host, (proxy, proxy_auth) = self._origins.get(origin) or self._origin(origin)
        read = self._read
        within = self._answer_within[self._in_flight >= self._connections]
        self._in_flight += 1
        try:
            with AsyncDeadline(within, self._watches) as watch:
                response = await session.request(
                    request.method,
                    request.url,
                    headers=(*request.headers, ACCEPT_ENCODING),
                    data=request.body or None,
                    timeout=self._timeout,
                    allow_redirects=False,
                    proxy=proxy,
                    proxy_auth=proxy_auth,
                    auto_decompress=self._decompress,
                )
                try:
                    watch.extend(read)
                    status = response.status
                    headers = lower_headers(response.raw_headers)
                    if plain_within(headers, min(self._limit, _ONE_READ)):
                        body = await response.read()  # exactly the declared length
                    else:
                        reader = BodyReader(status, headers, limit=self._limit)
                        content = response.content
                        while chunk := await content.readany():
                            reader.feed(chunk)
                            watch.extend(read)
                        body = reader.body()
                except BaseException:
                    response.close()  # the rest of the body is not wanted: drop the connection
                    raise
                response.release()
        except _FAILURES as exc:
            error = failure(
                type(exc).__name__,
                exc,
                sent=not isinstance(exc, _NOT_SENT),
                timed_out=isinstance(exc, TimeoutError),
                host=host,
            )
        else:
            if not watch.expired:
                return HTTPResponse(status, headers, body)
            error = failure(
                "ReadTimeout",
                TimeoutError(f"no data from the server within the read timeout ({read:g} s)"),
                sent=True,
                timed_out=True,
                host=host,
            )
        finally:
            self._in_flight -= 1
        raise error  # outside the except block: no aiohttp frame rides along

    async def aclose(self) -> None:
        """Close the session if this transport created it."""
        self._closed = True
        if self._owns and self._session is not None:
            await self._session.close()
