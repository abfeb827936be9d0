"""What every transport adapter shares: URL splitting, header decoding, the bounded body
reader, proxies from the environment and frame-free failures.

Below both twins and every HTTP stack: it imports nothing from ``_async`` or ``_sync`` and
no HTTP library, so the httpx/httpx2 adapters (async and generated sync) and the aiohttp
one use the same rules.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from ._core.call import ResponseTooLarge, TransportFailure
from ._core.config import is_loopback

if TYPE_CHECKING:
    import ssl

__all__ = [
    "ACCEPT_ENCODING",
    "BodyReader",
    "EnvProxy",
    "env_proxy",
    "failure",
    "frame_free",
    "lower_headers",
    "plain_within",
    "split_origin",
    "verified_ssl_context",
]

#: What the SDK's own pools ask for: the encodings :class:`BodyReader` can decode bounded.
ACCEPT_ENCODING = ("Accept-Encoding", "gzip, deflate")


def split_origin(url: str) -> tuple[str, str]:
    """``"scheme://authority"`` and the request target (path and query) of an absolute URL.

    >>> split_origin("https://api.example.com/v1/orders?page=2")
    ('https://api.example.com', '/v1/orders?page=2')
    >>> split_origin("http://127.0.0.1:8080")
    ('http://127.0.0.1:8080', '/')
    """
    split = url.find("/", url.find("//") + 2)
    return (url, "/") if split < 0 else (url[:split], url[split:])


# Decoded header names and values by their bytes: answers repeat them (content-type,
# server, ...), and a dict lookup costs less than a decode and a lower() on every call. Both
# are emptied when full, so a server sending ever new values cannot grow them.
_NAMES: dict[bytes, str] = {}
_VALUES: dict[bytes, str] = {}
_DECODED_KEPT = 256


def lower_headers(raw: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """Raw ``(name, value)`` byte pairs -> lower-case names; repeated names joined by ``, ``.

    >>> lower_headers([(b"Content-Type", b"application/json"), (b"Vary", b"a"), (b"vary", b"b")])
    {'content-type': 'application/json', 'vary': 'a, b'}
    """
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


def plain_within(headers: Mapping[str, str], limit: int) -> bool:
    """True when an answer declares a length within ``limit`` and no content encoding.

    Its body can then be read in one go and used as it is (the HTTP parser reads exactly the
    declared length): the usual Imburse answer, spared a :class:`BodyReader`.

    >>> plain_within({"content-length": "2"}, 16), plain_within({"content-length": "20"}, 16)
    (True, False)
    """
    length = headers.get("content-length")
    return (
        length is not None
        and "content-encoding" not in headers
        and length.isdigit()
        and int(length) <= limit
    )


class _Inflater:
    """One gzip or deflate layer, decompressing at most what the limit leaves."""

    __slots__ = ("_fallback", "_obj", "produced")

    def __init__(self, coding: str) -> None:
        gzip = coding in ("gzip", "x-gzip")
        self._obj = zlib.decompressobj(zlib.MAX_WBITS | 16 if gzip else zlib.MAX_WBITS)
        # "deflate" is meant to be zlib-wrapped (RFC 9110), but some servers send it raw.
        self._fallback = not gzip
        self.produced = 0

    def feed(self, data: bytes, limit: int) -> bytes:
        # One byte more than the limit allows says "too large" without inflating further.
        allowed = limit - self.produced + 1
        try:
            out = self._obj.decompress(data, allowed)
        except zlib.error:
            if not (self._fallback and self.produced == 0):
                raise
            self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
            out = self._obj.decompress(data, allowed)
        self._fallback = False
        self.produced += len(out)
        return out

    def finish(self) -> bytes:
        out = self._obj.flush()
        self.produced += len(out)
        return out


class BodyReader:
    """Collects an answer's body, decompressing gzip/deflate, never more than ``limit`` bytes.

    Both what is read from the socket and what it inflates to count against ``limit``: a
    declared ``Content-Length`` over it fails before reading, a body growing past it fails
    at the chunk that crosses it, and a small gzip body that would inflate past it fails
    once ``limit`` bytes came out of the decompressor, not after inflating it all. Each
    failure is :class:`~imburse._core.call.ResponseTooLarge`; a body that is not valid
    gzip/deflate is a ``TransportFailure("DecodingError")``. Unknown encodings pass through
    undecoded (the SDK's pools only ask for gzip and deflate).

    >>> import gzip
    >>> reader = BodyReader(200, {"content-encoding": "gzip"}, limit=1024)
    >>> reader.feed(gzip.compress(b"{}"))
    >>> reader.body()
    b'{}'
    >>> BodyReader(200, {"content-length": "2048"}, limit=1024)
    Traceback (most recent call last):
    imburse._core.call.ResponseTooLarge: HTTP 200 answer larger than 1024 bytes
    """

    __slots__ = ("_chunks", "_inflaters", "_limit", "_read", "_status")

    def __init__(self, status: int, headers: Mapping[str, str], *, limit: int) -> None:
        self._status = status
        self._limit = limit
        self._read = 0
        self._chunks: list[bytes] = []
        length = headers.get("content-length")
        if length is not None and length.isdigit() and int(length) > limit:
            raise ResponseTooLarge(status, limit)
        encoding = headers.get("content-encoding")
        self._inflaters: list[_Inflater] = []
        if encoding:
            # Listed in the order applied: undone last first.
            codings = [c.strip().lower() for c in encoding.split(",")]
            for coding in reversed(codings):
                if coding in ("gzip", "x-gzip", "deflate"):
                    self._inflaters.append(_Inflater(coding))
                elif coding not in ("identity", ""):
                    self._inflaters = []  # not ours to decode: passed through whole
                    break

    def feed(self, chunk: bytes) -> None:
        """Add the next chunk read from the network."""
        self._read += len(chunk)
        if self._read > self._limit:
            raise ResponseTooLarge(self._status, self._limit)
        if self._inflaters:
            chunk = self._inflate(chunk, final=False)
        if chunk:
            self._chunks.append(chunk)

    def body(self) -> bytes:
        """The whole (decoded) body, once every chunk was fed."""
        if self._inflaters:
            tail = self._inflate(b"", final=True)
            if tail:
                self._chunks.append(tail)
        chunks = self._chunks
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def _inflate(self, data: bytes, *, final: bool) -> bytes:
        limit = self._limit
        try:
            for inflater in self._inflaters:
                data = inflater.feed(data, limit) if data else b""
                if final:
                    data += inflater.finish()
                if inflater.produced > limit:
                    raise ResponseTooLarge(self._status, limit)
        except zlib.error as exc:
            error = failure("DecodingError", exc, sent=True)
        else:
            return data
        raise error  # outside the except block: zlib's error is the cause, not the context


class EnvProxy:
    """A proxy named by the environment: its URL without credentials, and the credentials.

    >>> EnvProxy.parse("http://user:p%40ss@proxy.internal:3128")
    EnvProxy(url='http://proxy.internal:3128', auth=('user', '***'))
    """

    __slots__ = ("auth", "url")

    def __init__(self, url: str, auth: tuple[str, str] | None) -> None:
        self.url = url
        self.auth = auth

    @classmethod
    def parse(cls, value: str) -> EnvProxy:
        """Split ``scheme://user:password@host:port`` (a bare ``host:port`` is ``http``)."""
        if "://" not in value:
            value = f"http://{value}"
        parts = urlsplit(value)
        host = parts.hostname or ""
        netloc = f"[{host}]" if ":" in host else host
        if parts.port is not None:
            netloc = f"{netloc}:{parts.port}"
        auth = None
        if parts.username is not None:
            auth = (unquote(parts.username), unquote(parts.password or ""))
        return cls(f"{parts.scheme}://{netloc}", auth)

    def __repr__(self) -> str:
        auth = None if self.auth is None else (self.auth[0], "***")
        return f"EnvProxy(url={self.url!r}, auth={auth!r})"


def env_proxy(scheme: str, host: str) -> EnvProxy | None:
    """The proxy the environment names for ``scheme://host``, or ``None``.

    ``HTTPS_PROXY``/``HTTP_PROXY`` by scheme, else ``ALL_PROXY`` (any case), unless
    ``NO_PROXY`` matches the host. A loopback host (127.0.0.0/8, ``::1``, ``localhost``) is
    never proxied: plain HTTP is allowed there only because it never leaves the machine.

    >>> env_proxy("http", "127.0.0.1") is None
    True
    """
    if is_loopback(host):
        return None
    # Imported here: urllib.request loads the email package, and this runs once per origin.
    import urllib.request

    proxies = urllib.request.getproxies()
    value = proxies.get(scheme) or proxies.get("all")
    if not value or urllib.request.proxy_bypass(host):
        return None
    return EnvProxy.parse(value)


def frame_free(exc: BaseException) -> BaseException:
    """A copy of the innermost error behind ``exc``, without traceback, chain or attributes.

    The HTTP library's frames (reachable from its exceptions' tracebacks) hold the request's
    headers; the copy carries the error's type and arguments only, e.g. the ``errno`` and
    text of a ``ConnectionRefusedError``.

    >>> try:
    ...     try:
    ...         raise ConnectionRefusedError(111, "Connection refused")
    ...     except OSError as err:
    ...         raise RuntimeError("connect failed") from err
    ... except RuntimeError as outer:
    ...     copy = frame_free(outer)
    >>> copy, copy.__traceback__, copy.errno
    (ConnectionRefusedError(111, 'Connection refused'), None, 111)
    """
    root = exc
    seen = {id(exc)}
    while True:
        # Down the chain, and into a group (anyio reports every address it tried to
        # connect to as one): the group's members carry their own tracebacks.
        if isinstance(root, BaseExceptionGroup) and root.exceptions:
            inner: BaseException | None = root.exceptions[0]
        else:
            inner = root.__cause__ or root.__context__
        if inner is None or id(inner) in seen:
            break
        seen.add(id(inner))
        root = inner
    kind = type(root)
    # A request-side protocol error may quote what it refused (a header value).
    args = () if kind.__name__ == "LocalProtocolError" else root.args
    try:
        copy = kind.__new__(kind, *args)
        copy.args = args
        str(copy)  # a type whose str() needs what __init__ sets is not kept
    except Exception:
        copy = Exception(f"{kind.__module__}.{kind.__qualname__}")
    copy.__suppress_context__ = True
    return copy


def failure(
    kind: str, exc: BaseException, *, sent: bool, timed_out: bool = False, host: str = ""
) -> TransportFailure:
    """A :class:`~imburse._core.call.TransportFailure` for ``exc``, its cause frame-free.

    Raise it after the ``except`` block that caught ``exc`` has ended (not ``from None``,
    which would drop the cause), so that ``exc`` does not come along as ``__context__``.

    >>> failure("ConnectError", ConnectionRefusedError(111, "refused"), sent=False).__cause__
    ConnectionRefusedError(111, 'refused')
    """
    return TransportFailure(kind, sent=sent, timed_out=timed_out, host=host, cause=frame_free(exc))


def verified_ssl_context() -> ssl.SSLContext:
    """The TLS context of ``httpx.AsyncClient()`` (``verify=True, trust_env=True``).

    Written out rather than asking ``httpx.create_ssl_context()``: the httpx adapter's own
    pool needs only httpcore, and importing httpx for this one call would double the time it
    takes to build a client. Certificates are verified (host name included) against
    ``SSL_CERT_FILE`` or ``SSL_CERT_DIR`` when set, else certifi's bundle, as in httpx 0.28
    and later; ``tests/security/test_transport_safety.py`` holds it equal to httpx's.

    >>> import ssl
    >>> verified_ssl_context().verify_mode == ssl.CERT_REQUIRED
    True
    """
    import ssl  # with the first client, as httpcore would

    cafile = os.environ.get("SSL_CERT_FILE")
    if cafile:
        return ssl.create_default_context(cafile=cafile)
    capath = os.environ.get("SSL_CERT_DIR")
    if capath:
        return ssl.create_default_context(capath=capath)
    import certifi  # a dependency of httpcore; loaded with the first client

    return ssl.create_default_context(cafile=certifi.where())
