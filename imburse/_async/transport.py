"""The seam between the pipeline and the network, and the httpx / httpx2 adapter.

A transport takes a :class:`~imburse._core.build.PreparedRequest` and per-attempt timeouts
and returns status, lower-case headers and body bytes, or raises
:class:`~imburse._core.call.TransportFailure` saying whether the request may have reached the
server. That distinction is what makes retries of creates safe. Every adapter the SDK builds
reads at most ``max_response_bytes`` of an answer, compressed or not
(:class:`~imburse._wire.BodyReader`).

The httpx adapter serves ``httpx`` and its maintained fork ``httpx2`` (the same API under
another name). Unless the caller passes a client, it owns an httpcore (httpcore2) connection
pool, as httpx's own transport does, through httpcore's public API: the client-level
machinery (auth flows, redirects, cookies, event hooks, URL and header models) has nothing
to do for an Imburse call and costs more CPU than the rest of the SDK together. The pool is
configured as ``httpx.AsyncClient(trust_env=True)`` would be: certificates verified
(the context ``httpx.create_ssl_context`` makes, honouring ``SSL_CERT_FILE``/``SSL_CERT_DIR``:
:func:`~imburse._wire.verified_ssl_context` for httpx, so that a ready client needs httpcore
but not httpx; httpx2's own function for httpx2), proxies from
the environment (never for a loopback host), redirects never followed. The sync twin's pool
also bounds every socket wait by the call's deadline (``imburse._netbackends``).

A client passed in by the caller (``http_client=``) is used through its public
``build_request``/``send`` so that its hooks, mounts and defaults keep working; the deadline
then bounds each phase, not each socket wait, on the sync client.
"""

from __future__ import annotations

import importlib
import importlib.util
import threading
from types import ModuleType
from typing import Any, Protocol
from urllib.parse import urlsplit

from .._core.build import PreparedRequest
from .._core.call import HTTPResponse
from .._core.config import DEFAULT_MAX_RESPONSE_BYTES, Timeouts
from .._core.errors import ClientStateError, ConfigurationError
from .._netbackends import async_network_backend
from .._transports import async_aiohttp_transport, import_extra
from .._wire import (
    ACCEPT_ENCODING,
    BodyReader,
    env_proxy,
    failure,
    lower_headers,
    plain_within,
    split_origin,
    verified_ssl_context,
)
from .connections import AsyncOriginPool

__all__ = ["AsyncHttpxTransport", "AsyncTransport", "async_transport_for"]

# Failures raised before any byte of the request left this process. The names are the same
# in httpx and httpcore, and in their maintained forks httpx2 and httpcore2.
_NOT_SENT = (
    "ConnectError",
    "ConnectTimeout",
    "PoolTimeout",
    "ProxyError",
    "UnsupportedProtocol",
    "LocalProtocolError",
)
# What the pool (httpcore) raises; everything else is a bug, not a network failure.
_POOL_FAILURES = ("TimeoutException", "NetworkError", "ProtocolError", "ProxyError")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_CORE = {"httpx": "httpcore", "httpx2": "httpcore2"}
_DEFAULT_PORTS = {"https": 443, "http": 80}
# Connections per origin, every one kept alive (the SDK's own pool: .connections). Enough for
# a batch job's 100 calls in flight without queueing; more wait for a free one (the pool
# timeout).
_POOL_SIZE = 100
_KEEPALIVE_EXPIRY = 5.0  # seconds, httpx's default


class AsyncTransport(Protocol):
    """What the pipeline needs from a network client."""

    async def send(self, request: PreparedRequest, timeouts: Timeouts) -> HTTPResponse: ...

    async def aclose(self) -> None: ...


def async_transport_for(
    transport: Any, http_client: Any, *, max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
) -> AsyncTransport:
    """The adapter named by ``transport`` (``"httpx"``, ``"httpx2"``, ``"aiohttp"``).

    An object with ``send`` and ``aclose`` is used as it is (an escape hatch for tests and
    custom stacks; ``max_response_bytes`` is then its own business).

    >>> async_transport_for("httpx", None)  # doctest: +ELLIPSIS
    <imburse._async.transport.AsyncHttpxTransport object at ...>
    """
    if not isinstance(transport, str):
        if http_client is not None:
            raise ConfigurationError("pass http_client= or a transport object, not both")
        if not (hasattr(transport, "send") and hasattr(transport, "aclose")):
            raise ConfigurationError(
                "transport must be 'httpx', 'httpx2', 'aiohttp' or an object with send() "
                f"and aclose() (got {transport!r})"
            )
        adapter: AsyncTransport = transport
        return adapter
    limit = max_response_bytes
    if transport == "httpx":
        return AsyncHttpxTransport(http_client, max_response_bytes=limit)
    if transport == "httpx2":
        module = import_extra("httpx2", "httpx2")
        return AsyncHttpxTransport(http_client, module=module, max_response_bytes=limit)
    if transport == "aiohttp":
        aiohttp_adapter: AsyncTransport = async_aiohttp_transport(http_client, limit)
        return aiohttp_adapter
    raise ConfigurationError(
        f"transport must be 'httpx', 'httpx2' or 'aiohttp' (got {transport!r})"
    )


def _classes(module: ModuleType, names: tuple[str, ...]) -> tuple[type[Exception], ...]:
    return tuple(getattr(module, name) for name in names)


async def _read_into(reader: BodyReader, stream: Any) -> None:
    """Feed ``stream``'s chunks to ``reader``; the iterator is closed even when ``reader``
    stops early (a generator left to the garbage collector warns on trio)."""
    chunks = stream.__aiter__()
    try:
        async for chunk in chunks:
            reader.feed(chunk)
    finally:
        close = getattr(chunks, "aclose", None)
        if close is not None:
            await close()


class _Origin:
    """What a request to one scheme://host:port needs, worked out once."""

    __slots__ = ("authority", "host", "pool", "port", "scheme")

    def __init__(self, origin: str) -> None:
        parts = urlsplit(origin)
        self.authority = parts.netloc  # the Host header, and the host named in failures
        self.scheme = parts.scheme.encode("ascii")
        self.host = (parts.hostname or "").encode("ascii")
        self.port = parts.port or _DEFAULT_PORTS.get(parts.scheme, 443)
        self.pool: Any = None  # set by the transport, under its lock


class AsyncRequestBody:
    """A request body handed to the pool in one piece.

    An iterator object rather than httpcore's own wrapper (an async generator): a send
    cancelled mid-write (the deadline, the caller) leaves no generator to finalize later.
    """

    __slots__ = ("_data",)

    def __init__(self, data: bytes) -> None:
        self._data: bytes | None = data

    def __aiter__(self) -> AsyncRequestBody:
        return self

    async def __anext__(self) -> bytes:
        data = self._data
        if data is None:
            raise StopAsyncIteration
        self._data = None
        return data


class AsyncHttpxTransport:
    """Sends requests for ``httpx`` (or ``httpx2``): on its own httpcore pool, or with the
    caller's ``AsyncClient``, which it then never closes.

    >>> transport = AsyncHttpxTransport(max_response_bytes=1 << 20)
    >>> transport.client is None  # its own pool, no httpx client
    True
    """

    def __init__(
        self,
        client: Any = None,
        *,
        module: ModuleType | None = None,
        max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
    ) -> None:
        # (the caller's client's failures, those of them raised before sending)
        self._failures: tuple[
            type[Exception] | tuple[type[Exception], ...], tuple[type[Exception], ...]
        ] = ((), ())
        if client is not None:
            if module is None:
                # Imported here, not at module level: ``from imburse import AsyncImburse``
                # stays cheap, and a client on another stack (aiohttp) never loads httpx. With
                # its own pool the adapter needs httpcore only (see verified_ssl_context).
                import httpx

                module = httpx
            if not isinstance(client, module.AsyncClient):
                raise ConfigurationError(
                    f"http_client must be a {module.__name__}.AsyncClient for "
                    f"transport={module.__name__!r} (got {type(client).__name__})"
                )
            self._failures = (module.TransportError, _classes(module, _NOT_SENT))
        self._module: Any = module
        self._client: Any = client
        self._limit = max_response_bytes
        self._closed = False
        core_name = "httpcore" if module is None else _CORE.get(module.__name__, "httpcore")
        core = self._core = importlib.import_module(core_name)
        self._core_failures = _classes(core, (*_POOL_FAILURES, "UnsupportedProtocol"))
        self._core_not_sent = _classes(core, _NOT_SENT)
        # Certificates verified against certifi, or SSL_CERT_FILE / SSL_CERT_DIR when set,
        # exactly as httpx.AsyncClient(trust_env=True) would (httpx2 is asked directly).
        self.ssl_context = (
            None
            if client is not None
            else verified_ssl_context()
            if module is None
            else module.create_ssl_context()
        )
        self._pools: dict[tuple[str, str], Any] = {}  # ("direct", origin) or ("proxy", URL)
        self._setup_lock = threading.Lock()
        self._origins: dict[str, _Origin] = {}
        # Pools inherited across os.fork(): kept referenced, never closed, in the child.
        self._inherited: list[Any] = []
        # (timeouts, extensions) in one tuple: threads of the sync client share it, and a
        # tuple is replaced in one step.
        self._extensions: tuple[Timeouts | None, dict[str, Any]] = (None, {})

    @property
    def client(self) -> Any:
        """The caller's ``AsyncClient``, or ``None`` when this transport owns its pool."""
        return self._client

    def pools(self) -> list[Any]:
        """The httpcore pools this transport made (one per proxy in use, usually one)."""
        return list(self._pools.values())

    def after_fork(self) -> bool:
        """In a forked child: new pools, when this transport made its own; True if so.

        The old ones are dropped unclosed: their connections are the parent's sockets, and
        closing them could send bytes (a TLS close_notify) on the parent's connections.
        """
        if self._client is not None or self._closed:
            return False
        self._inherited.extend(self._pools.values())
        self._pools = {}
        self._origins = {}
        return True

    async def send(self, request: PreparedRequest, timeouts: Timeouts) -> HTTPResponse:
        """See :class:`AsyncTransport`."""
        if self._client is not None:
            return await self._send_via_client(request, timeouts)
        if self._closed:  # a pool alone would reconnect
            raise ClientStateError("the client is closed; create a new one to make calls")
        origin_key, target = split_origin(request.url)
        origin = self._origins.get(origin_key)
        if origin is None:
            origin = self._new_origin(origin_key)
        core = self._core
        method = request.method
        content = None
        length: tuple[tuple[str, str], ...] = ()
        if request.body:
            content = AsyncRequestBody(request.body)
            length = (("Content-Length", str(len(request.body))),)
        elif method in _BODY_METHODS:
            length = (("Content-Length", "0"),)
        url = core.URL(
            scheme=origin.scheme, host=origin.host, port=origin.port, target=target.encode()
        )
        try:
            # The header list is built in the call, never kept in a local of this frame:
            # it holds the Authorization header.
            async with origin.pool.stream(
                method,
                url,
                headers=[("Host", origin.authority), *request.headers, ACCEPT_ENCODING, *length],
                content=content,
                extensions=self._timeout_extensions(timeouts),
            ) as response:
                status = response.status
                headers = lower_headers(response.headers)
                if plain_within(headers, self._limit):
                    body = await response.aread()  # exactly the declared length, raw
                else:
                    reader = BodyReader(status, headers, limit=self._limit)
                    if "content-length" in headers:  # within the limit: one read
                        reader.feed(await response.aread())
                    else:
                        await _read_into(reader, response.stream)
                    body = reader.body()
        except self._core_failures as exc:
            error = failure(
                type(exc).__name__,
                exc,
                sent=not isinstance(exc, self._core_not_sent),
                timed_out=isinstance(exc, core.TimeoutException),
                host=origin.authority,
            )
        else:
            return HTTPResponse(status, headers, body)
        raise error  # outside the except block: no HTTP-library frame rides along

    def _new_origin(self, origin: str) -> _Origin:
        # Under a lock: threads of the sync client meeting a new origin at once must share
        # one pool (a second one would be dropped unclosed). Nothing here awaits.
        with self._setup_lock:
            known = self._origins.get(origin)
            if known is not None:
                return known
            entry = _Origin(origin)
            proxy = env_proxy(entry.scheme.decode(), entry.host.decode())
            # Direct: a pool per origin. Through a proxy: httpcore's proxy pool, per proxy.
            key = ("direct", origin) if proxy is None else ("proxy", proxy.url)
            pool = self._pools.get(key)
            if pool is None:
                pool = self._pools[key] = self._new_pool(entry, proxy)
            entry.pool = pool
            self._origins[origin] = entry
            return entry

    def _new_pool(self, origin: _Origin, proxy: Any) -> Any:
        core = self._core
        options: dict[str, Any] = {
            "ssl_context": self.ssl_context,
            "max_connections": _POOL_SIZE,
            "max_keepalive_connections": _POOL_SIZE,
            "keepalive_expiry": _KEEPALIVE_EXPIRY,
            "network_backend": async_network_backend(core),
        }
        if proxy is None:
            return AsyncOriginPool(
                core, core.Origin(origin.scheme, origin.host, origin.port), **options
            )
        proxy_url = core.URL(proxy.url)
        if proxy.url.startswith("socks"):
            if importlib.util.find_spec("socksio") is None:
                raise ConfigurationError(
                    "the environment names a SOCKS proxy; it needs the socksio package"
                )
            return core.AsyncSOCKSProxy(proxy_url=proxy_url, proxy_auth=proxy.auth, **options)
        return core.AsyncHTTPProxy(proxy_url=proxy_url, proxy_auth=proxy.auth, **options)

    def _timeout_extensions(self, timeouts: Timeouts) -> dict[str, Any]:
        cached_for, extensions = self._extensions
        if timeouts is not cached_for:
            extensions = {
                "timeout": {
                    "connect": timeouts.connect,
                    "read": timeouts.read,
                    "write": timeouts.write,
                    "pool": timeouts.pool,
                }
            }
            self._extensions = (timeouts, extensions)
        return extensions

    async def _send_via_client(self, request: PreparedRequest, timeouts: Timeouts) -> HTTPResponse:
        module = self._module
        client = self._client
        timeout = module.Timeout(
            connect=timeouts.connect, read=timeouts.read, write=timeouts.write, pool=timeouts.pool
        )
        host = split_origin(request.url)[0].partition("://")[2]
        try:
            # Never follow a redirect, even with a client configured to: the answer must
            # come from the API's host, and nothing (ids, body) may go to another one. The
            # body is read raw (encodings we asked for) so that its size is bounded while
            # it inflates, not after.
            response = await client.send(
                client.build_request(
                    request.method,
                    request.url,
                    headers=[*request.headers, ACCEPT_ENCODING],
                    content=request.body or None,
                    timeout=timeout,
                ),
                follow_redirects=False,
                stream=True,
            )
            try:
                headers = lower_headers(response.headers.raw)
                reader = BodyReader(response.status_code, headers, limit=self._limit)
                await _read_into(reader, response.stream)
            finally:
                await response.aclose()
        except self._failures[0] as exc:
            error = failure(
                type(exc).__name__,
                exc,
                sent=not isinstance(exc, self._failures[1]),
                timed_out=isinstance(exc, module.TimeoutException),
                host=host,
            )
        else:
            return HTTPResponse(response.status_code, headers, reader.body())
        raise error

    async def aclose(self) -> None:
        """Close the pools if this transport made them (a caller's client stays open)."""
        self._closed = True
        pools, self._pools, self._origins = list(self._pools.values()), {}, {}
        for pool in pools:
            await pool.aclose()
