"""HMAC request signing and access-token parsing (``imburse-api.md`` §2).

Pure functions: the caller supplies the nonce, the timestamp and the current time, so every
result here can be checked against fixed vectors.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import itertools
import json
import secrets
import string
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, TypeVar

import attrs

from .errors import ConfigurationError, ResponseDecodeError

__all__ = [
    "AccessToken",
    "Secret",
    "decode_private_key",
    "hmac_authorization",
    "new_nonce",
    "parse_token",
    "sign",
]

S = TypeVar("S")

_ALPHABET = string.ascii_letters + string.digits
_counter = itertools.count()
# Above this an ``expires`` value cannot be seconds (year 5138), so it is milliseconds.
_MILLIS_THRESHOLD = 10**11
# 9999-12-31T23:59:59Z: later instants do not fit in a datetime, so they are unusable.
_MAX_EPOCH_SECONDS = 253402300799


class Secret(Generic[S]):
    """A secret (private key, bearer token, raw token answer) whose ``repr`` hides it.

    The SDK keeps secrets in this box wherever a frame holds them, so that a traceback
    formatted with its locals (``capture_locals=True``, what error trackers record) shows
    ``Secret('***')`` instead of the value. ``reveal()`` is spelled out at each use.

    >>> token = Secret("eyJhbGciOi.payload.signature")
    >>> token, str(token), token.reveal()[:3]
    (Secret('***'), "Secret('***')", 'eyJ')
    """

    __slots__ = ("_value",)
    _value: S

    def __init__(self, value: S) -> None:
        self._value = value

    def reveal(self) -> S:
        """The secret itself: pass it on, never keep it in a variable."""
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__


def _hidden(value: str | Secret[str]) -> Secret[str]:
    return value if isinstance(value, Secret) else Secret(value)


def _key_bytes(private_key: Secret[str]) -> bytes | None:
    # The decoding runs in a frame that has returned before any error is raised.
    try:
        return base64.b64decode(private_key.reveal().strip(), validate=True) or None
    except (binascii.Error, ValueError, AttributeError):
        return None


def decode_private_key(private_key: str | Secret[str]) -> bytes:
    """Return the HMAC key bytes: the base64-decoded private key.

    The message of the error never echoes the key, even partly.

    >>> len(decode_private_key("AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y="))
    32
    """
    key = _key_bytes(_hidden(private_key))
    if key is None:
        raise ConfigurationError(
            "private_key is not valid base64 (Imburse private keys are non-empty base64 strings)"
        )
    return key


def hmac_authorization(
    public_key: str, private_key: str, body: bytes, *, nonce: str, timestamp: int
) -> str:
    """Return the ``Authorization`` header value for a signed request.

    The signature covers ``public_key:nonce:timestamp:body_hash`` where ``body_hash`` is the
    base64 SHA-256 of the exact body bytes, or empty for an empty body (§2.2).

    >>> hmac_authorization(
    ...     "a123456b-c12c-123d-1ab4-18bd8c8e88a3",
    ...     "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y=",
    ...     b"", nonce="randomuniquestring123", timestamp=1535617532,
    ... )  # doctest: +NORMALIZE_WHITESPACE
    'Hmac a123456b-c12c-123d-1ab4-18bd8c8e88a3:randomuniquestring123:1535617532:JYDZ7e7Y36oeJJ3E5UB7tF9VBAwIv1B5HTPNw9iaV6Y='
    """
    return sign(public_key, Secret(private_key), body, nonce=nonce, timestamp=timestamp)


def sign(
    public_key: str, private_key: Secret[str], body: bytes, *, nonce: str, timestamp: int
) -> str:
    """:func:`hmac_authorization` for a boxed private key: what the SDK itself calls, so
    that neither the key nor its signature ever sits in a plain local variable."""
    if ":" in nonce or not nonce:
        # The token is colon-delimited; a colon would shift every later field.
        raise ConfigurationError("nonce must be non-empty and must not contain ':'")
    body_hash = base64.b64encode(hashlib.sha256(body).digest()).decode() if body else ""
    string_to_sign = f"{public_key}:{nonce}:{int(timestamp)}:{body_hash}".encode()
    return f"Hmac {public_key}:{nonce}:{int(timestamp)}:" + base64.b64encode(
        hmac.new(decode_private_key(private_key), string_to_sign, hashlib.sha256).digest()
    ).decode("ascii")


def new_nonce() -> str:
    """Return a fresh alphanumeric nonce, never repeated by this process.

    32 random characters from a CSPRNG, followed by a process-wide counter so that even a
    broken random source cannot repeat a nonce (Imburse blocks reused nonces).

    >>> a, b = new_nonce(), new_nonce()
    >>> a != b and a.isalnum()
    True
    """
    random_part = "".join(secrets.choice(_ALPHABET) for _ in range(32))
    return f"{random_part}{_base62(next(_counter))}"


def _base62(n: int) -> str:
    digits = []
    while True:
        n, r = divmod(n, 62)
        digits.append(_ALPHABET[r])
        if n == 0:
            return "".join(reversed(digits))


@attrs.frozen
class AccessToken:
    """A bearer token and the moment it stops working.

    The token text is kept out of ``repr`` so it cannot reach a log line by accident.

    >>> from datetime import datetime, UTC
    >>> AccessToken("secret.jwt", datetime(2030, 1, 1, tzinfo=UTC))
    AccessToken(value='***', expires_at=datetime.datetime(2030, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))
    """

    value: str = attrs.field(repr=lambda _: "'***'")
    expires_at: datetime

    def expires_within(self, seconds: float, *, now: float) -> bool:
        """True when the token expires less than ``seconds`` after ``now`` (epoch seconds)."""
        return self.expires_at.timestamp() - now < seconds


def parse_token(body: bytes | Secret[bytes]) -> AccessToken:
    """Decode the ``POST /v1/identity/hmac`` answer ``{accessToken, expires}``.

    ``expires`` may be seconds or milliseconds, a JSON number or a numeric string; when it is
    missing or unreadable the JWT's ``exp`` claim is used instead. The SDK passes the body as
    a :class:`Secret`: the error for a broken answer is raised from a frame that holds
    nothing of it (not even part of the body is kept: cut short, it still holds most of the
    token).

    >>> parse_token(b'{"accessToken": "a.b.c", "expires": "1560514835115"}').expires_at.year
    2019
    """
    answer = _read_token(body if isinstance(body, Secret) else Secret(body))
    if isinstance(answer, str):
        raise ResponseDecodeError(answer)
    return answer


def _read_token(body: Secret[bytes]) -> AccessToken | str:
    """The token, or what is wrong with the answer (a frame that has returned by then)."""
    try:
        data = json.loads(body.reveal())
    except (ValueError, UnicodeDecodeError, RecursionError):
        return f"token response is not JSON ({len(body.reveal())} bytes)"
    token = data.get("accessToken") if isinstance(data, dict) else None
    if not isinstance(token, str) or not token:
        return "token response has no accessToken"
    expires = _epoch_seconds(data.get("expires"))
    if expires is None:
        expires = _jwt_exp(token)
    if expires is None:
        return "token response has neither a usable expires nor a JWT exp"
    return AccessToken(token, datetime.fromtimestamp(expires, tz=UTC))


def _epoch_seconds(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value).strip()) if isinstance(value, str) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None
    if not number.is_finite() or number <= 0 or number > _MAX_EPOCH_SECONDS * 1000:
        return None  # (also before dividing: 1e1000010 / 1000 overflows the decimal context)
    if number > _MILLIS_THRESHOLD:
        number = number / 1000
    if number > _MAX_EPOCH_SECONDS:
        return None
    return float(number)


def _jwt_exp(token: str) -> float | None:
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except (ValueError, binascii.Error, RecursionError):
        return None
    return _epoch_seconds(claims.get("exp")) if isinstance(claims, dict) else None
