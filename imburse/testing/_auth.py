"""API keys, HMAC verification (``imburse-api.md`` §2.2) and bearer tokens for the fake.

Not locked on its own: :class:`~imburse.testing.FakeImburse` calls it under its state lock.
The signature is recomputed with the SDK's own :func:`~imburse._core.auth.hmac_authorization`
so the fake and the client can never disagree about the algorithm by accident; the HMAC
vectors in the tests pin both to the documented values.
"""

from __future__ import annotations

import base64
import hmac
import json
import re
import secrets
from typing import Literal

import attrs

from .._core.auth import decode_private_key, hmac_authorization
from .._core.errors import ConfigurationError
from ._errors import HTTPProblem

__all__ = ["DEMO_CREDENTIALS", "AuthState", "Credentials", "ExpiresFormat", "TokenGrant"]

ExpiresFormat = Literal["seconds", "milliseconds", "milliseconds-string"]
EXPIRES_FORMATS: tuple[ExpiresFormat, ...] = ("seconds", "milliseconds", "milliseconds-string")

# §2.2: "requests older than 5 minutes are refused".
FRESHNESS_SECONDS = 300

# One error code for every authentication failure; ``metadata.reason`` says which check failed.
# Imburse documents no 401 error code, so this name is ours.
AUTH_ERROR_CODE = "INVALID_CREDENTIALS"
_AUTH_TEMPLATE = "The request could not be authenticated ({reason})."

_HEADER = re.compile(r"^\s*(\S+)\s+(\S+)\s*$")
_INTEGER = re.compile(r"^[0-9]+$")


@attrs.frozen
class Credentials:
    """An API key pair and the ids it acts for; ``tenant_id`` is None for an account key.

    The private key is kept out of ``repr``.

    >>> Credentials("pub", "c2VjcmV0", "acc", None)
    Credentials(public_key='pub', private_key='***', account_id='acc', tenant_id=None)
    """

    public_key: str
    private_key: str = attrs.field(repr=lambda _: "'***'")
    account_id: str
    tenant_id: str | None = None


#: The key :class:`~imburse.testing.FakeImburse` accepts out of the box. It is a public demo
#: key that only works against the fake (printing it is fine).
DEMO_CREDENTIALS = Credentials(
    public_key="8ebda900-9079-54fc-a722-9dfaa4550ba6",
    private_key="fIV2ABvonbR5xMg70jta0t4yVbKmRS8kLL/zpf5c5gU=",
    account_id="db391a5b-2e70-51a8-b1e0-51c1552a620c",
    tenant_id="47b9f477-8c3e-5121-9f9d-f8b7606c05e4",
)


@attrs.define
class _Token:
    credentials: Credentials
    expires_at: float
    state: Literal["active", "expired", "revoked"] = "active"


@attrs.frozen
class TokenGrant:
    """What a successful exchange hands out."""

    value: str = attrs.field(repr=lambda _: "'***'")
    expires_at: float


def _reject(reason: str) -> HTTPProblem:
    return HTTPProblem.one(401, AUTH_ERROR_CODE, _AUTH_TEMPLATE, reason=reason)


class AuthState:
    """Registered keys, seen nonces and issued tokens."""

    def __init__(self) -> None:
        self.keys: dict[str, Credentials] = {}
        self._tokens: dict[str, _Token] = {}
        self._nonces: set[str] = set()

    def add_key(self, credentials: Credentials) -> None:
        try:  # fail now on a malformed key, not at the first exchange
            decode_private_key(credentials.private_key)
        except ConfigurationError as err:
            raise ValueError(str(err)) from None
        self.keys[credentials.public_key] = credentials

    def reset(self) -> None:
        """Forget tokens and nonces; keep the registered keys."""
        self._tokens.clear()
        self._nonces.clear()

    def set_all_tokens(self, state: Literal["expired", "revoked"]) -> None:
        for token in self._tokens.values():
            if token.state == "active":
                token.state = state

    # -- HMAC exchange -------------------------------------------------------------------------

    def exchange(
        self, authorization: str | None, body: bytes, *, now: float, ttl: float
    ) -> TokenGrant:
        """Verify ``Authorization: Hmac pub:nonce:ts:sig`` and issue a token, or raise 401."""
        credentials, nonce, timestamp = self._verify(authorization, body)
        # Both directions: §2.2 only says requests older than 5 minutes are refused. Refusing
        # timestamps more than 5 minutes in the future too is our [GAP] assumption.
        if abs(now - timestamp) > FRESHNESS_SECONDS:
            raise _reject("STALE_TIMESTAMP")
        # Nonces are remembered across all keys: the doc only says "a nonce that was already
        # seen is blocked", and the stricter reading cannot hurt a client that uses fresh ones.
        # Only verified nonces are remembered, so a forged request cannot burn one.
        if nonce in self._nonces:
            raise _reject("REUSED_NONCE")
        self._nonces.add(nonce)
        expires_at = now + ttl
        value = _jwt_shaped(credentials, expires_at)
        self._tokens[value] = _Token(credentials, expires_at)
        return TokenGrant(value, expires_at)

    def _verify(self, authorization: str | None, body: bytes) -> tuple[Credentials, str, int]:
        match = _HEADER.fullmatch(authorization or "")
        if not match or match.group(1).lower() != "hmac":
            raise _reject("MALFORMED_HEADER")
        parts = match.group(2).split(":")
        if len(parts) != 4 or not all(parts):
            raise _reject("MALFORMED_HEADER")
        public_key, nonce, timestamp_text, signature = parts
        # The shared signer (and the SDK) sign integer seconds. The official JS example sends
        # fractional seconds, which Imburse probably accepts [INFERRED]; the fake does not,
        # since it cannot recompute such a signature with the shared signer.
        if not _INTEGER.fullmatch(timestamp_text):
            raise _reject("MALFORMED_HEADER")
        credentials = self.keys.get(public_key)
        if credentials is None:
            raise _reject("UNKNOWN_KEY")
        expected = hmac_authorization(
            public_key, credentials.private_key, body, nonce=nonce, timestamp=int(timestamp_text)
        ).rsplit(":", 1)[1]
        # A timestamp written with leading zeros was signed as written, so it cannot match the
        # canonical text the shared signer uses: that is reported as a bad signature too.
        canonical = str(int(timestamp_text)) == timestamp_text
        if not (canonical and hmac.compare_digest(expected.encode(), signature.encode())):
            raise _reject("BAD_SIGNATURE")
        return credentials, nonce, int(timestamp_text)

    # -- Bearer tokens -------------------------------------------------------------------------

    def bearer(self, authorization: str | None, *, now: float) -> Credentials:
        """Return the key behind ``Authorization: Bearer <token>``, or raise 401."""
        match = _HEADER.fullmatch(authorization or "")
        if not match or match.group(1).lower() != "bearer":
            raise _reject("MISSING_TOKEN")
        token = self._tokens.get(match.group(2))
        if token is None:
            raise _reject("UNKNOWN_TOKEN")
        if token.state == "revoked":
            raise _reject("REVOKED_TOKEN")
        if token.state == "expired" or now >= token.expires_at:
            raise _reject("EXPIRED_TOKEN")
        return token.credentials


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _jwt_shaped(credentials: Credentials, expires_at: float) -> str:
    """An opaque token that looks like the real JWT (§2.3), so ``exp`` fallbacks can be tested.

    The "signature" is random bytes: nothing verifies it but the fake's own token table.
    """
    header = {"alg": "HS256", "typ": "JWT"}
    claims: dict[str, object] = {"account": credentials.account_id}
    if credentials.tenant_id:
        claims["tenant"] = credentials.tenant_id
    claims.update({"aud": "management-api", "exp": int(expires_at), "jti": secrets.token_hex(8)})
    return ".".join(
        (
            _b64url(json.dumps(header, separators=(",", ":")).encode()),
            _b64url(json.dumps(claims, separators=(",", ":")).encode()),
            _b64url(secrets.token_bytes(32)),
        )
    )


def expires_value(expires_at: float, fmt: ExpiresFormat) -> int | str:
    """``expires`` as one of the documented forms (§2.3)."""
    if fmt == "seconds":
        return int(expires_at)
    millis = int(expires_at * 1000)
    return millis if fmt == "milliseconds" else str(millis)
