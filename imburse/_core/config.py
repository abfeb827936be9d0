"""Client configuration: credentials, base URL, timeouts and defaults, resolved once.

Arguments win over ``IMBURSE_*`` environment variables; the result is frozen and its repr
never shows the private key.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import attrs

from .._version import __version__
from .auth import Secret, decode_private_key
from .errors import ConfigurationError
from .ratelimit import DEFAULT_MAX_RETRY_AFTER

__all__ = [
    "DEFAULT_MAX_RESPONSE_BYTES",
    "DEFAULT_MAX_RETRY_AFTER",
    "ENVIRONMENTS",
    "ClientConfig",
    "Credentials",
    "Timeouts",
    "is_loopback",
    "resolve_config",
]

ENVIRONMENTS: Mapping[str, str] = {
    "sandbox": "https://sandbox-api.imbursepayments.com",
    "production": "https://api.imbursepayments.com",
}
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_LABEL = r"(?!-)[a-z0-9_-]{1,63}(?<!-)"
_HOST_NAME = re.compile(rf"{_LABEL}(\.{_LABEL})*\.?")
_USERINFO = re.compile(r"(//)[^/?#]*@")
# The public key is a GUID in every document; other printable shapes are accepted, but never
# ':' (the HMAC token's separator), whitespace or non-ASCII (it travels in a header).
_PUBLIC_KEY = re.compile(r"[\x21-\x39\x3b-\x7e]{1,128}")
# Standard base64 (RFC 4648 section 4) of 32 bytes: 43 characters and one '='.
_PRIVATE_KEY = re.compile(r"[A-Za-z0-9+/]{43}=")
#: The largest answer a client reads, before and after decompression (16 MiB).
DEFAULT_MAX_RESPONSE_BYTES = 16 * 1024 * 1024
_IPV6_LOOPBACK = ipaddress.IPv6Address("::1")


@attrs.frozen
class Timeouts:
    """Per-attempt timeouts in seconds (``None`` = no limit for that phase).

    >>> Timeouts.coerce(10.0)
    Timeouts(connect=10.0, read=10.0, write=10.0, pool=10.0)
    """

    connect: float | None = 5.0
    read: float | None = 30.0
    write: float | None = 30.0
    pool: float | None = 10.0

    @classmethod
    def coerce(cls, value: Any) -> Timeouts:
        """Accept seconds, a ``Timeouts``, or anything shaped like ``httpx.Timeout``."""
        if value is None:
            return cls()
        if isinstance(value, Timeouts):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            if value <= 0:
                raise ConfigurationError(f"timeout must be positive (got {value})")
            return cls(float(value), float(value), float(value), float(value))
        if all(hasattr(value, name) for name in ("connect", "read", "write", "pool")):
            return cls(value.connect, value.read, value.write, value.pool)
        raise ConfigurationError(f"timeout must be seconds or an httpx.Timeout (got {value!r})")

    def clipped(self, remaining: float) -> Timeouts:
        """These timeouts, none longer than ``remaining`` (the call's deadline)."""

        def clip(v: float | None) -> float:
            return remaining if v is None else min(v, remaining)

        return Timeouts(clip(self.connect), clip(self.read), clip(self.write), clip(self.pool))


@attrs.frozen
class Credentials:
    """An API key pair and the ids it acts for. The private key is never shown."""

    public_key: str
    private_key: str = attrs.field(repr=lambda _: "'***'")
    account_id: str
    tenant_id: str | None = None


@attrs.frozen
class ClientConfig:
    """Everything a client needs, validated. Build it with :func:`resolve_config`."""

    credentials: Credentials
    base_url: str
    timeouts: Timeouts = Timeouts()
    deadline: float = 60.0
    max_retries: int = 2
    token_refresh_margin: float = 60.0
    # Lenient (False): odd values of optional fields go to ``.extra``, null array items are
    # dropped; strict (True) raises on those and on unknown fields (see _core/rules.py).
    strict: bool = False
    user_agent: str = ""
    max_retry_after: float = DEFAULT_MAX_RETRY_AFTER
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES


def is_loopback(host: str) -> bool:
    """True for exactly ``localhost``, 127.0.0.0/8 and ``::1``: hosts whose traffic never
    leaves the machine (plain HTTP is allowed there, and it is never sent to a proxy).

    The one definition of loopback in the SDK. ``evil.localhost`` is not loopback: a name
    under ``localhost`` may be resolved by any DNS server a resolver asks.

    >>> [is_loopback(h) for h in ("localhost", "127.0.0.2", "[::1]", "evil.localhost")]
    [True, True, True, False]
    """
    host = host.lower()
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host.removeprefix("[").removesuffix("]"))
    except ValueError:
        return False
    # Spelled out: IPv6's is_loopback also means ::ffff:127.0.0.1 on newer Pythons.
    return address.is_loopback if address.version == 4 else address == _IPV6_LOOPBACK


def _is_host(host: str) -> bool:
    """An IP address, or a DNS name that is not dotted digits (``127.1`` is no address)."""
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return bool(_HOST_NAME.fullmatch(host)) and not host.replace(".", "").isdigit()
    return True


def check_base_url(url: str) -> str:
    """Return the normalised base URL; refuse plain HTTP except on loopback hosts.

    >>> check_base_url("http://127.0.0.1:8080/")
    'http://127.0.0.1:8080'
    """
    shown = _USERINFO.sub(r"\1***@", url)  # a password in the URL stays out of messages
    problem = f"base_url must be an absolute http(s) URL (got {shown!r})"
    if not url.isascii() or not url.isprintable() or " " in url or "\\" in url:
        # What the HTTP client would refuse (or read differently); international host names
        # are written in punycode (xn--...).
        raise ConfigurationError(
            f"base_url must be printable ASCII without spaces or backslashes (got {shown!r})"
        )
    try:
        parts = urlsplit(url)
        port = parts.port  # raises ValueError when out of range
    except ValueError:  # e.g. an unclosed "[": a ConfigurationError, never a bare ValueError
        raise ConfigurationError(problem) from None
    host = parts.hostname
    if parts.scheme not in ("https", "http") or not host or not _is_host(host):
        raise ConfigurationError(problem)
    if parts.query or parts.fragment or "@" in parts.netloc:
        raise ConfigurationError("base_url must not carry credentials, a query or a fragment")
    # Nothing but host[:port] in the authority, so no two URL parsers (urllib here, the
    # HTTP client later) can disagree on which host receives the credentials.
    authority = (f"[{host}]" if ":" in host else host) + ("" if port is None else f":{port}")
    if parts.netloc.lower() != authority:
        raise ConfigurationError(problem)
    if parts.scheme == "http" and not is_loopback(host):
        raise ConfigurationError(
            "base_url must use https:// (plain http is allowed only for loopback hosts)"
        )
    return url.rstrip("/")


def _uuid(name: str, value: str) -> str:
    lowered = value.strip().lower()
    if not _UUID.fullmatch(lowered):
        raise ConfigurationError(f"{name} must be a UUID like 1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c")
    return lowered


def _public_key(value: str) -> str:
    if not _PUBLIC_KEY.fullmatch(value):
        # A public key is not secret, but a bad one may be a pasted private key: not echoed.
        raise ConfigurationError(
            "public_key must be 1-128 printable ASCII characters without ':' or whitespace "
            "(Imburse public keys are GUIDs like a123456b-c12c-123d-1ab4-18bd8c8e88a3)"
        )
    return value


def _private_key(key: Secret[str]) -> Secret[str]:
    # The key stays boxed here too: this frame's locals may be printed with the error.
    if not _PRIVATE_KEY.fullmatch(key.reveal().strip()):
        raise ConfigurationError(
            "private_key must be the 44-character base64 text of a 32-byte key, as Imburse "
            "issues it (ending in '=')"
        )
    return Secret(key.reveal().strip())


def _max_retry_after(value: float | None) -> float:
    if value is None:
        return DEFAULT_MAX_RETRY_AFTER
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1e9:
        raise ConfigurationError(
            f"max_retry_after must be seconds between 0 and 1e9 (got {value!r})"
        )
    return float(value)


def _required(value: str | None, arg: str, var: str) -> str:
    if not value:
        raise ConfigurationError(f"{arg} is required: pass {arg}= or set {var}")
    return value


def resolve_config(
    *,
    public_key: str | None = None,
    private_key: str | Secret[str] | None = None,
    account_id: str | None = None,
    tenant_id: str | None = None,
    base_url: str | None = None,
    environment: str | None = None,
    timeout: Any = None,
    deadline: float | None = None,
    max_retries: int | None = None,
    strict: bool = False,
    max_retry_after: float | None = None,
    max_response_bytes: int | None = None,
    env: Mapping[str, str] | None = None,
) -> ClientConfig:
    """Merge arguments with ``IMBURSE_*`` variables and validate the result.

    The keys are checked for their documented format here, so a malformed one fails at
    construction with :class:`ConfigurationError` rather than as a transport's own error at
    the first call: the public key is printable ASCII without ``:`` or whitespace (a GUID),
    the private key the base64 text of 32 bytes. ``max_retry_after`` caps the pause a
    server's ``Retry-After`` may impose (default :data:`DEFAULT_MAX_RETRY_AFTER`, 300 s).

    >>> cfg = resolve_config(public_key="pk", private_key="AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y=",
    ...                      account_id="1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c", env={})
    >>> cfg.base_url
    'https://sandbox-api.imbursepayments.com'
    """
    # Neither the key nor the environment (which may hold it) sits in a plain local variable:
    # a ConfigurationError printed with its frames' locals must not show them.
    given_key = Secret(private_key) if isinstance(private_key, str) else private_key
    del private_key
    source = Secret(os.environ if env is None else env)
    del env

    def pick(value: str | None, name: str) -> str | None:
        return value if value is not None else (source.reveal().get(name) or None)

    public_key = _required(
        pick(public_key, "IMBURSE_PUBLIC_KEY"), "public_key", "IMBURSE_PUBLIC_KEY"
    )
    if given_key is None or not given_key.reveal():
        given_key = Secret(
            _required(
                None if given_key is not None else source.reveal().get("IMBURSE_PRIVATE_KEY"),
                "private_key",
                "IMBURSE_PRIVATE_KEY",
            )
        )
    account_id = _required(
        pick(account_id, "IMBURSE_ACCOUNT_ID"), "account_id", "IMBURSE_ACCOUNT_ID"
    )
    tenant_id = pick(tenant_id, "IMBURSE_TENANT_ID")
    public_key = _public_key(public_key.strip())
    given_key = _private_key(given_key)
    decode_private_key(given_key)  # fail now, not at the first call
    if public_key == given_key.reveal():
        # The public key is shown in reprs and sent in every signed header: refusing this
        # mix-up keeps a private key pasted twice from going out in the clear.
        raise ConfigurationError(
            "public_key is the same text as private_key: pass the key pair's public key"
        )
    # An argument beats any variable: environment="production" in code is not overridden
    # by an IMBURSE_BASE_URL left in the shell. Among arguments (and among variables) an
    # explicit URL beats an environment name.
    url = base_url
    if url is None and not environment:
        url = source.reveal().get("IMBURSE_BASE_URL") or None
    if url is None:
        name = pick(environment, "IMBURSE_ENVIRONMENT") or "sandbox"
        if name not in ENVIRONMENTS:
            raise ConfigurationError(
                f"environment must be one of {sorted(ENVIRONMENTS)} (got {name!r}); "
                "pass base_url= for a dedicated host"
            )
        url = ENVIRONMENTS[name]
    if deadline is not None and deadline <= 0:
        raise ConfigurationError(f"deadline must be positive (got {deadline})")
    if max_retries is not None and max_retries < 0:
        raise ConfigurationError(f"max_retries must be >= 0 (got {max_retries})")
    if max_response_bytes is not None and (
        isinstance(max_response_bytes, bool)
        or not isinstance(max_response_bytes, int)
        or max_response_bytes < 1
    ):
        raise ConfigurationError(
            f"max_response_bytes must be a positive int (got {max_response_bytes!r})"
        )
    return ClientConfig(
        credentials=Credentials(
            public_key=public_key,
            private_key=given_key.reveal(),
            account_id=_uuid("account_id", account_id),
            tenant_id=_uuid("tenant_id", tenant_id) if tenant_id else None,
        ),
        base_url=check_base_url(url),
        timeouts=Timeouts.coerce(timeout),
        deadline=60.0 if deadline is None else float(deadline),
        max_retries=2 if max_retries is None else int(max_retries),
        strict=strict,
        user_agent=f"imburse-python/{__version__}",
        max_retry_after=_max_retry_after(max_retry_after),
        max_response_bytes=(
            DEFAULT_MAX_RESPONSE_BYTES if max_response_bytes is None else max_response_bytes
        ),
    )
