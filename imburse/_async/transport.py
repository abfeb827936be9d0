"""The seam between the pipeline and the network, and the httpx / httpx2 adapter.

A transport takes a :class:`~imburse._core.build.PreparedRequest` and per-attempt timeouts
and returns status, lower-case headers and body bytes, or raises
:class:`~imburse._core.call.TransportFailure` saying whether the request may have reached the
server. That distinction is what makes retries of creates safe.

The httpx adapter serves ``httpx`` and its maintained fork ``httpx2`` (the same API under
another name). With the client it creates itself, it hands each request straight to the
connection pool (httpcore) that the client chose for the API's origin: the client-level
machinery (auth flows, redirects, cookies, event hooks, URL and header models) has nothing to
do for an Imburse call and costs more CPU than the rest of the SDK together. A client passed
in by the caller (``http_client=``) is used through its public ``send`` so that its hooks,
mounts and defaults keep working.
"""

from __future__ import annotations

import logging
import sys
import zlib
from types import ModuleType
from typing import Any, Protocol

from .._core.build import PreparedRequest
from .._core.call import HTTPResponse, TransportFailure
from .._core.config import Timeouts
from .._core.errors import ClientStateError, ConfigurationError
from .._transports import async_aiohttp_transport, import_extra

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
_ACCEPT_ENCODING = ("Accept-Encoding", "gzip, deflate")


class AsyncTransport(Protocol):
    """What the pipeline needs from a network client."""

    async def send(self, request: PreparedRequest, timeouts: Timeouts) -> HTTPResponse: ...

    async def aclose(self) -> None: ...


def async_transport_for(transport: Any, http_client: Any) -> AsyncTransport:
    """The adapter named by ``transport`` (``"httpx"``, ``"httpx2"``, ``"aiohttp"``).

    An object with ``send`` and ``aclose`` is used as it is (an escape hatch for tests and
    custom stacks).
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
    if transport == "httpx":
        return AsyncHttpxTransport(http_client)
    if transport == "httpx2":
        return AsyncHttpxTransport(http_client, module=import_extra("httpx2", "httpx2"))
    if transport == "aiohttp":
        aiohttp_adapter: AsyncTransport = async_aiohttp_transport(http_client)
        return aiohttp_adapter
    raise ConfigurationError(
        f"transport must be 'httpx', 'httpx2' or 'aiohttp' (got {transport!r})"
    )


def default_limits(module: ModuleType) -> Any:
    """Pool limits: 100 connections, all kept alive.

    Measured with benchmarks/ (issue 7): with 20 kept alive, a batch at 200 in flight closes
    and reopens most connections after each answer; keeping all 100 doubled batch creates
    per second and halved CPU per create on httpx 0.28, with reads at 100 in flight within
    noise of each other.
    """
    return module.Limits(max_connections=100, max_keepalive_connections=100)


# Decoded header names and values by their bytes: answers repeat them (content-type,
# server, ...), and a dict lookup costs less than a decode and a lower() on every call. Both
# are emptied when full, so a server sending ever new values cannot grow them.
_NAMES: dict[bytes, str] = {}
_VALUES: dict[bytes, str] = {}
_DECODED_KEPT = 256


def lower_headers(raw: Any) -> dict[str, str]:
    """Raw ``(name, value)`` byte pairs -> lower-case names; repeated names joined by ``, ``."""
    headers: dict[str, str] = {}
    names, values = _NAMES, _VALUES
    for raw_name, raw_value in raw:
        try:
            name = names.get(raw_name)
            value = values.get(raw_value)
        except TypeError:  # a bytearray (unhashable): decoded, not kept
            name = value = None
            raw_name, raw_value = bytes(raw_name), bytes(raw_value)
        if name is None:
            name = raw_name.decode("latin-1").lower()
            if len(names) >= _DECODED_KEPT:
                names.clear()
            names[raw_name] = name
        if value is None:
            value = raw_value.decode("latin-1")
            if len(values) >= _DECODED_KEPT:
                values.clear()
            values[raw_value] = value
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    return headers


def _decompress(body: bytes, encoding: str) -> bytes:
    # What httpx does for the encodings we advertise; anything else is passed through.
    try:
        for coding in reversed([c.strip() for c in encoding.lower().split(",")]):
            if coding == "gzip":
                body = zlib.decompress(body, zlib.MAX_WBITS | 16)
            elif coding == "deflate":
                try:
                    body = zlib.decompress(body)
                except zlib.error:
                    body = zlib.decompress(body, -zlib.MAX_WBITS)
    except zlib.error:
        raise TransportFailure("DecodingError", sent=True) from None
    return body


def _classes(module: ModuleType, names: tuple[str, ...]) -> tuple[type[Exception], ...]:
    return tuple(getattr(module, name) for name in names)


class _Origin:
    """What the fast path needs for one scheme://host:port, worked out once."""

    __slots__ = ("core", "failures", "host", "not_sent", "pool", "scheme_host_port")

    def __init__(self, core: ModuleType, pool: Any, url: Any) -> None:
        self.core = core
        self.pool = pool
        self.scheme_host_port = (url.raw_scheme, url.raw_host, url.port)
        self.host = ("Host", url.netloc.decode("ascii"))
        self.failures = _classes(core, (*_POOL_FAILURES, "UnsupportedProtocol"))
        self.not_sent = _classes(core, _NOT_SENT)


class AsyncHttpxTransport:
    """Sends requests with an ``httpx.AsyncClient`` (or ``httpx2``); closes it only if it
    created it."""

    def __init__(self, client: Any = None, *, module: ModuleType | None = None) -> None:
        if module is None:
            # Imported here, not at module level: ``from imburse import AsyncImburse`` stays
            # cheap, and a client on another stack (aiohttp) never loads httpx at all.
            import httpx

            module = httpx
        if client is not None and not isinstance(client, module.AsyncClient):
            raise ConfigurationError(
                f"http_client must be a {module.__name__}.AsyncClient for "
                f"transport={module.__name__!r} (got {type(client).__name__})"
            )
        self._module = module
        self._owns = client is None
        self._client = client or self._new_client()
        # Pools inherited across os.fork(): kept referenced, never closed, in the child.
        self._inherited: list[Any] = []
        self._failures = module.TransportError, _classes(module, _NOT_SENT)
        # The fast path skips the client, so it writes the client's request log line itself.
        self._logger = logging.getLogger(module.__name__)
        self._closed = False
        self._origins: dict[str, _Origin | None] = {}
        # (timeouts, extensions) in one tuple: threads of the sync client share it, and a
        # tuple is replaced in one step.
        self._extensions: tuple[Timeouts | None, dict[str, Any]] = (None, {})

    def _new_client(self) -> Any:
        # Redirects are never followed (credentials stay on the API's host); certificates
        # are verified (httpx's default); proxies come from the environment (trust_env).
        module = self._module
        return module.AsyncClient(
            limits=default_limits(module), follow_redirects=False, trust_env=True
        )

    @property
    def client(self) -> Any:
        """The underlying ``AsyncClient``."""
        return self._client

    def after_fork(self) -> bool:
        """In a forked child: a new pool, when this transport made its own; True if so.

        The old one is dropped unclosed: its connections are the parent's sockets, and
        closing them could send bytes (a TLS close_notify) on the parent's connections.
        """
        if not self._owns or self._closed:
            return False
        self._inherited.append(self._client)
        self._client = self._new_client()
        self._origins.clear()
        return True

    async def send(self, request: PreparedRequest, timeouts: Timeouts) -> HTTPResponse:
        """See :class:`AsyncTransport`."""
        url = request.url
        split = url.find("/", url.find("//") + 2)
        origin_key, target = (url, "/") if split < 0 else (url[:split], url[split:])
        try:
            origin = self._origins[origin_key]
        except KeyError:
            origin = self._origins[origin_key] = self._fast_origin(origin_key)
        if origin is None:
            return await self._send_via_client(request, timeouts)
        if self._closed:  # its pool alone would reconnect
            raise ClientStateError("the client is closed; create a new one to make calls")
        return await self._send_via_pool(origin, request, timeouts, target)

    def _fast_origin(self, origin: str) -> _Origin | None:
        """The client's pool for ``origin`` when nothing sits between the client and it."""
        if not self._owns:
            return None
        module = self._module
        try:
            parsed = module.URL(origin)
            transport = self._client._transport_for_url(parsed)
            pool = transport._pool
        except Exception:  # private API moved: keep working through the public one
            return None
        if type(transport) is not module.AsyncHTTPTransport or not hasattr(pool, "request"):
            return None
        core = sys.modules.get(type(pool).__module__.partition(".")[0])
        if core is None:
            return None
        return _Origin(core, pool, parsed)

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

    async def _send_via_pool(
        self, origin: _Origin, request: PreparedRequest, timeouts: Timeouts, target: str
    ) -> HTTPResponse:
        headers = [origin.host, *request.headers, _ACCEPT_ENCODING]
        method = request.method
        body: bytes | None = request.body
        if not body:
            body = None
            if method in _BODY_METHODS:
                headers.append(("Content-Length", "0"))
        scheme, host, port = origin.scheme_host_port
        try:
            response = await origin.pool.request(
                method,
                origin.core.URL(scheme=scheme, host=host, port=port, target=target.encode()),
                headers=headers,
                content=body,
                extensions=self._timeout_extensions(timeouts),
            )
        except origin.failures as exc:
            raise TransportFailure(
                type(exc).__name__,
                sent=not isinstance(exc, origin.not_sent),
                timed_out=isinstance(exc, origin.core.TimeoutException),
            ) from None
        if self._logger.isEnabledFor(logging.INFO):
            extensions = response.extensions
            self._logger.info(
                'HTTP Request: %s %s "%s %d %s"',
                method,
                request.url,
                extensions.get("http_version", b"HTTP/1.1").decode("ascii", "ignore"),
                response.status,
                extensions.get("reason_phrase", b"").decode("ascii", "ignore"),
            )
        headers_out = lower_headers(response.headers)
        content = response.content
        encoding = headers_out.get("content-encoding")
        if encoding is not None and content:
            content = _decompress(content, encoding)
        return HTTPResponse(response.status, headers_out, content)

    async def _send_via_client(self, request: PreparedRequest, timeouts: Timeouts) -> HTTPResponse:
        module = self._module
        timeout = module.Timeout(
            connect=timeouts.connect, read=timeouts.read, write=timeouts.write, pool=timeouts.pool
        )
        http_request = self._client.build_request(
            request.method,
            request.url,
            headers=request.headers,
            content=request.body or None,
            timeout=timeout,
        )
        try:
            # Never follow a redirect, even with a client configured to: the answer must
            # come from the API's host, and nothing (ids, body) may go to another one.
            response = await self._client.send(http_request, follow_redirects=False)
            try:
                body = await response.aread()
            finally:
                await response.aclose()
        except self._failures[0] as exc:
            raise TransportFailure(
                type(exc).__name__,
                sent=not isinstance(exc, self._failures[1]),
                timed_out=isinstance(exc, module.TimeoutException),
            ) from None
        return HTTPResponse(response.status_code, lower_headers(response.headers.raw), body)

    async def aclose(self) -> None:
        """Close the pool if this transport created it."""
        if self._owns:
            self._closed = True
            await self._client.aclose()
