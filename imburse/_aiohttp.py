"""The aiohttp adapter (``AsyncImburse(transport="aiohttp")``, extra ``imburse[aiohttp]``).

asyncio only: aiohttp has no sync API and does not run on trio. The session is created on
the first call (aiohttp wants a running loop) unless the caller passes one, which is then
theirs to close. Requests go out as the prepared bytes; only aiohttp's own objects are used.

Failures map to :class:`~imburse._core.call.TransportFailure` like the httpx adapter's:
``sent=False`` only when no connection was ever established for the request (connector
errors, including a connect or pool-wait timeout, and URLs aiohttp refuses).
"""

from __future__ import annotations

import functools
from typing import Any

import aiohttp
import sniffio
from aiohttp.client_proto import ResponseHandler
from aiohttp.helpers import get_env_proxy_for_url
from yarl import URL

from ._async.transport import lower_headers
from ._core.build import PreparedRequest
from ._core.call import HTTPResponse, TransportFailure
from ._core.config import Timeouts
from ._core.errors import ConfigurationError

__all__ = ["AsyncAiohttpTransport"]

_NOT_SENT: tuple[type[Exception], ...] = (
    aiohttp.ClientConnectorError,  # refused, DNS, TLS handshake, proxy connect
    aiohttp.ConnectionTimeoutError,  # connect or wait for a pooled connection timed out
    aiohttp.InvalidURL,
    aiohttp.NonHttpUrlClientError,
)
_FAILURES = (aiohttp.ClientError, TimeoutError)
_LIMIT = 100  # connections, as the httpx adapter's pool


class _ResponseHandler(ResponseHandler):
    """aiohttp's connection protocol, with the same read timeout (``sock_read``) kept cheaper.

    aiohttp cancels and re-arms an event-loop timer when a request is sent and on every chunk
    received: two timers a call, which cost more CPU than the rest of the adapter (every timer
    is a push into and a pop or purge from the loop's heap, ordered by Python comparisons).
    Here a chunk only moves a deadline (a float) forward; one timer per connection, re-armed
    only when it finds the deadline moved, checks it. A read timeout fires when aiohttp's
    would, and fails the read the same way (``_on_read_timeout``).
    """

    _read_deadline: float | None = None
    _read_timer: Any = None

    def _reschedule_timeout(self) -> None:
        timeout = self._read_timeout
        if not timeout:
            self._read_deadline = None
            return
        loop = self._loop
        self._read_deadline = deadline = loop.time() + timeout
        if self._read_timer is None:
            self._read_timer = loop.call_at(deadline, self._check_read_deadline)

    def _drop_timeout(self) -> None:
        # The timer stays: the connection's next request will most likely need it again.
        self._read_deadline = None

    def _check_read_deadline(self) -> None:
        self._read_timer = None
        deadline = self._read_deadline
        if deadline is None:
            return
        loop = self._loop
        if loop.time() < deadline:  # data came in since the timer was armed
            self._read_timer = loop.call_at(deadline, self._check_read_deadline)
            return
        self._read_deadline = None
        self._on_read_timeout()

    def connection_lost(self, exc: BaseException | None) -> None:
        super().connection_lost(exc)
        if self._read_timer is not None:  # a closed connection reads nothing more
            self._read_timer.cancel()
            self._read_timer = None


# What _ResponseHandler overrides, as the installed aiohttp names it (true from 3.8 on);
# with another layout the connector keeps aiohttp's own protocol and timers.
_LAZY_READ_TIMEOUT = all(
    callable(getattr(ResponseHandler, name, None))
    for name in ("_reschedule_timeout", "_drop_timeout", "_on_read_timeout", "connection_lost")
)


def _connector() -> aiohttp.TCPConnector:
    connector = aiohttp.TCPConnector(limit=_LIMIT)
    factory = getattr(connector, "_factory", None)
    if (
        _LAZY_READ_TIMEOUT
        and isinstance(factory, functools.partial)
        and factory.func is ResponseHandler
    ):
        # (a partial of the subclass, which mypy holds invariant to one of the base)
        connector._factory = functools.partial(  # type: ignore[assignment]
            _ResponseHandler, *factory.args, **factory.keywords
        )
    return connector


def client_timeout(timeouts: Timeouts) -> aiohttp.ClientTimeout:
    """Our per-phase timeouts in aiohttp's terms.

    aiohttp's ``connect`` covers the wait for a pooled connection plus connecting, so it gets
    ``pool + connect``; ``sock_connect`` the connect phase; ``sock_read`` the read phase
    (aiohttp has no write timeout). The call's deadline already clipped every phase.
    """
    connect = timeouts.connect
    pool = timeouts.pool
    both = None if connect is None or pool is None else connect + pool
    return aiohttp.ClientTimeout(
        total=None, connect=both, sock_connect=connect, sock_read=timeouts.read
    )


class AsyncAiohttpTransport:
    """Sends requests with an ``aiohttp.ClientSession``; closes it only if it created it."""

    def __init__(self, session: aiohttp.ClientSession | None = None) -> None:
        if session is not None and not isinstance(session, aiohttp.ClientSession):
            raise ConfigurationError(
                "http_client must be an aiohttp.ClientSession for transport='aiohttp' "
                f"(got {type(session).__name__})"
            )
        self._owns = session is None
        self._session = session
        self._closed = False
        self._timeouts: Timeouts | None = None
        self._timeout = aiohttp.ClientTimeout()
        self._proxies: dict[str, tuple[Any, Any]] = {}

    def _open(self) -> aiohttp.ClientSession:
        if self._closed:
            raise RuntimeError("Cannot send a request, as the client has been closed.")
        if sniffio.current_async_library() != "asyncio":
            raise ConfigurationError(
                "transport='aiohttp' runs on asyncio only; use transport='httpx' or 'httpx2' "
                "under trio"
            )
        # trust_env=False: with it aiohttp hands every request to a thread twice (netrc and
        # proxy lookups). The proxy from the environment is looked up once per origin
        # instead (see _proxy); netrc credentials have no use next to our bearer token.
        self._session = aiohttp.ClientSession(
            connector=_connector(),
            trust_env=False,
            timeout=aiohttp.ClientTimeout(),
        )
        return self._session

    def _proxy(self, url: str) -> tuple[Any, Any]:
        """``(proxy, proxy_auth)`` from the environment for ``url``'s origin, cached."""
        split = url.find("/", url.find("//") + 2)
        origin = url if split < 0 else url[:split]
        found = self._proxies.get(origin)
        if found is None:
            if not self._owns:  # a caller's session applies its own trust_env
                found = (None, None)
            else:
                try:
                    found = get_env_proxy_for_url(URL(origin))
                except LookupError:
                    found = (None, None)
            self._proxies[origin] = found
        return found

    @property
    def session(self) -> aiohttp.ClientSession | None:
        """The session (``None`` until the first call when this transport creates it)."""
        return self._session

    async def send(self, request: PreparedRequest, timeouts: Timeouts) -> HTTPResponse:
        """See :class:`~imburse._async.transport.AsyncTransport`."""
        session = self._session or self._open()
        if timeouts is not self._timeouts:
            self._timeout, self._timeouts = client_timeout(timeouts), timeouts
        proxy, proxy_auth = self._proxy(request.url)
        try:
            response = await session.request(
                request.method,
                request.url,
                headers=request.headers,
                data=request.body or None,
                timeout=self._timeout,
                allow_redirects=False,
                proxy=proxy,
                proxy_auth=proxy_auth,
            )
            try:
                body = await response.read()
            finally:
                response.release()
        except _FAILURES as exc:
            raise TransportFailure(
                type(exc).__name__,
                sent=not isinstance(exc, _NOT_SENT),
                timed_out=isinstance(exc, TimeoutError),
            ) from None
        return HTTPResponse(response.status, lower_headers(response.raw_headers), body)

    async def aclose(self) -> None:
        """Close the session if this transport created it."""
        self._closed = True
        if self._owns and self._session is not None:
            await self._session.close()
