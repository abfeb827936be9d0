"""What the Redis-backed policies share in both flavours: Lua scripts, key names, sealing of
the token, and the switch to local state while Redis is unreachable.

Hand-written, like ``_locks``: ``imburse/_async/redis_shared.py`` imports ``AsyncRedis``
and ``AsyncScript`` from here, and its generated sync twin imports ``Redis`` and ``Script``.
Needs ``pip install 'imburse[redis]'`` (redis-py and cryptography).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import secrets
import warnings
from datetime import UTC, datetime

try:
    import redis
    import redis.asyncio
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from redis.commands.core import AsyncScript, Script
except ImportError as missing:  # pragma: no cover - depends on the installed extras
    from ._core.errors import MissingExtraError

    raise MissingExtraError(
        f"imburse.redis needs the redis extra: pip install 'imburse[redis]' ({missing})"
    ) from missing

from ._core.auth import AccessToken, decode_private_key
from ._core.config import Credentials

__all__ = [
    "BUCKET_LUA",
    "COOLDOWN_LUA",
    "FORGET_LUA",
    "REDIS_ERRORS",
    "RELEASE_LUA",
    "AsyncRedis",
    "AsyncScript",
    "Outage",
    "Redis",
    "RedisUnavailableWarning",
    "Script",
    "TokenSlot",
]

logger = logging.getLogger("imburse")

AsyncRedis = redis.asyncio.Redis
Redis = redis.Redis

#: What "Redis is unreachable" looks like: redis-py wraps socket errors in ConnectionError and
#: TimeoutError (both RedisError); OSError covers anything that slips through.
REDIS_ERRORS: tuple[type[BaseException], ...] = (redis.exceptions.RedisError, OSError)

# One token bucket per key, on the Redis server's clock (TIME), so processes on machines with
# different clocks agree. Fields: tokens, stamp (seconds), pause_until (a shared 429 pause).
# ARGV: rate per second, burst, key expiry in ms. Returns the seconds to wait, as a string
# (Lua numbers would be truncated to integers on the way out); "0" means "go now, counted".
BUCKET_LUA = """
local rate = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'stamp', 'pause_until')
local pause_until = tonumber(state[3]) or 0
if pause_until > now then
  return string.format('%.6f', pause_until - now)
end
local tokens = tonumber(state[1])
local stamp = tonumber(state[2])
if tokens == nil or stamp == nil then
  tokens = burst
else
  tokens = math.min(burst, tokens + math.max(0, now - stamp) * rate)
end
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens),
           'stamp', string.format('%.6f', now))
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
end
return string.format('%.6f', wait)
"""

# A 429 with Retry-After pauses every process sharing the key. ARGV: seconds to pause.
COOLDOWN_LUA = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local pause = tonumber(ARGV[1])
local current = tonumber(redis.call('HGET', KEYS[1], 'pause_until')) or 0
if now + pause > current then
  redis.call('HSET', KEYS[1], 'pause_until', string.format('%.6f', now + pause))
end
local ttl = math.ceil(pause * 1000) + 1000
if redis.call('PTTL', KEYS[1]) < ttl then
  redis.call('PEXPIRE', KEYS[1], ttl)
end
return 1
"""

# Delete the lock only if we still hold it (it may have expired and been taken by another).
RELEASE_LUA = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""

# Delete the token only if it is the one refused (its fingerprint prefixes the stored value).
FORGET_LUA = """
local value = redis.call('GET', KEYS[1])
if value and string.sub(value, 1, string.len(ARGV[1])) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class RedisUnavailableWarning(RuntimeWarning):
    """Redis could not be reached: the policy works on local state until it can again."""


class Outage:
    """Tracks whether Redis is being skipped, and says so once per outage.

    After a failure the shared state is not tried again for ``retry_interval`` seconds (on
    the clock of whoever reports), so a dead Redis costs one failed round trip per interval,
    not one per request.
    """

    def __init__(self, what: str, retry_interval: float) -> None:
        if retry_interval <= 0:
            raise ValueError("retry_interval must be positive")
        self.what = what
        self.retry_interval = retry_interval
        self._until: float | None = None
        self._down = False

    def skipping(self, now: float) -> bool:
        """True while Redis should not be tried (within ``retry_interval`` of a failure)."""
        until = self._until
        return until is not None and now < until

    def failed(self, now: float, error: BaseException) -> None:
        """Redis failed: use local state for ``retry_interval`` seconds; warn once."""
        self._until = now + self.retry_interval
        if not self._down:
            self._down = True
            message = (
                f"imburse: Redis is unreachable ({type(error).__name__}: {error}); "
                f"{self.what} falls back to local state and retries Redis every "
                f"{self.retry_interval:g}s"
            )
            logger.warning(message)
            warnings.warn(message, RedisUnavailableWarning, stacklevel=4)

    def succeeded(self) -> None:
        """Redis answered: back to shared state."""
        self._until = None
        if self._down:
            self._down = False
            logger.warning("imburse: Redis is reachable again; %s is shared again", self.what)

    @property
    def down(self) -> bool:
        """True between a failure and the next success."""
        return self._down


class TokenSlot:
    """Where one API key's token lives in Redis, and how it is sealed there.

    The token is stored encrypted (AES-GCM under a key derived from the API private key, which
    every process sharing it already has), prefixed by a keyed fingerprint so that a refused
    token can be deleted without decrypting it. Reading Redis alone never yields a usable
    bearer token; the value is never logged.
    """

    __slots__ = ("_aead", "_fp_key", "key", "lock")

    def __init__(self, prefix: str, credentials: Credentials) -> None:
        ident = f"{credentials.public_key}:{credentials.account_id}".encode()
        name = hashlib.sha256(ident).hexdigest()[:32]
        self.key = f"{prefix}:{name}"
        self.lock = f"{prefix}:{name}:lock"
        secret = decode_private_key(credentials.private_key)
        self._aead = AESGCM(hmac.new(secret, b"imburse/redis-token/aead/v1", "sha256").digest())
        self._fp_key = hmac.new(secret, b"imburse/redis-token/fingerprint/v1", "sha256").digest()

    def __repr__(self) -> str:
        return f"TokenSlot(key={self.key!r})"

    def fingerprint(self, value: str) -> str:
        """A keyed, non-reversible tag of ``value`` (32 hex characters) ending in ``.``."""
        digest = hmac.new(self._fp_key, value.encode(), "sha256").hexdigest()
        return digest[:32] + "."

    def seal(self, token: AccessToken) -> str:
        """The stored form: ``fingerprint.base64(nonce + AES-GCM ciphertext)``."""
        plain = json.dumps({"t": token.value, "e": token.expires_at.timestamp()}).encode()
        nonce = secrets.token_bytes(12)
        sealed = nonce + self._aead.encrypt(nonce, plain, self.key.encode())
        return self.fingerprint(token.value) + base64.b64encode(sealed).decode()

    def unseal(self, stored: bytes | str | None) -> AccessToken | None:
        """The token in ``stored``, or None if absent or unreadable (e.g. another key wrote it)."""
        if stored is None:
            return None
        text = stored.decode() if isinstance(stored, bytes) else stored
        _, _, body = text.partition(".")
        try:
            raw = base64.b64decode(body, validate=True)
            plain = self._aead.decrypt(raw[:12], raw[12:], self.key.encode())
            data = json.loads(plain)
            return AccessToken(str(data["t"]), datetime.fromtimestamp(float(data["e"]), tz=UTC))
        except (InvalidTag, binascii.Error, ValueError, KeyError, TypeError):
            return None

    def new_owner(self) -> str:
        """A random lock value, so only the holder releases its lock."""
        return secrets.token_hex(16)
