"""A rate limit and a bearer token shared by every process that names the same Redis keys.

Public as :mod:`imburse.redis` (``pip install 'imburse[redis]'``). The classes take the
redis-py client of their own flavour: ``redis.asyncio.Redis`` (asyncio only) or ``redis.Redis``.
When Redis cannot be reached both degrade to local, per-process behaviour with a
:class:`~imburse.redis.RedisUnavailableWarning`, and go back to Redis once it answers again.
"""

from __future__ import annotations

import math
import time
from collections.abc import Awaitable, Callable

from .._concurrency import async_sleep
from .._core.auth import AccessToken
from .._core.config import Credentials
from .._core.errors import DeadlineExceededError
from .._core.ratelimit import DEFAULT_MAX_RETRY_AFTER, RateLimitPolicy, TokenBucket
from .._redis import (
    BUCKET_LUA,
    COOLDOWN_LUA,
    FORGET_LUA,
    REDIS_ERRORS,
    RELEASE_LUA,
    AsyncRedis,
    AsyncScript,
    Outage,
    TokenSlot,
)

__all__ = ["AsyncRedisRateLimitPolicy", "AsyncRedisTokenCache"]


class AsyncRedisRateLimitPolicy:
    """At most ``rate`` requests per second, bursts of ``burst``, across every process.

    An atomic token bucket in one Lua script on the Redis server's clock, at ``key``: every
    client in every process that names the same ``key`` draws from the same bucket. A 429
    with ``Retry-After`` seen by any of them pauses all of them. While Redis is unreachable
    the policy warns once and paces this process alone with ``fallback`` (by default a local
    ``TokenBucket(rate, burst)``; pass ``TokenBucket(rate / processes)`` to stay under the
    quota even then), trying Redis again every ``retry_interval`` seconds. A shared pause is
    at most ``max_retry_after`` seconds (300 by default): one 429 asking for a day must not
    stop every process for a day.

    >>> import redis.asyncio  # doctest: +SKIP
    >>> policy = AsyncRedisRateLimitPolicy(
    ...     redis.asyncio.Redis.from_url("redis://localhost:6379/0"), rate=50, burst=5
    ... )
    >>> client = AsyncImburse(rate_limit_policy=policy)
    """

    def __init__(
        self,
        redis: AsyncRedis,
        *,
        rate: float,
        burst: int = 1,
        key: str = "imburse:ratelimit",
        fallback: RateLimitPolicy | None = None,
        retry_interval: float = 5.0,
        max_retry_after: float = DEFAULT_MAX_RETRY_AFTER,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("the rate limit needs rate > 0 and burst >= 1")
        if not 0 <= max_retry_after < 1e9:
            raise ValueError("max_retry_after must be seconds between 0 and 1e9")
        self.rate = float(rate)
        self.burst = int(burst)
        self.key = key
        self.max_retry_after = float(max_retry_after)
        self.fallback: RateLimitPolicy = fallback or TokenBucket(
            rate, burst, max_retry_after=max_retry_after
        )
        self.outage = Outage(f"rate limit {key!r}", retry_interval)
        self._bucket: AsyncScript = redis.register_script(BUCKET_LUA)
        self._cooldown: AsyncScript = redis.register_script(COOLDOWN_LUA)
        # Idle buckets expire once they would be full again anyway (at least a minute).
        self._ttl_ms = max(60_000, math.ceil(2000 * self.burst / self.rate))

    def __repr__(self) -> str:
        return f"{type(self).__name__}(rate={self.rate:g}, burst={self.burst}, key={self.key!r})"

    async def acquire(self, now: float) -> float:
        """0 when a request may go now (counted in Redis), else the seconds to wait."""
        if self.outage.skipping(now):
            return self.fallback.acquire(now)
        try:
            answer = await self._bucket(
                keys=[self.key], args=[repr(self.rate), self.burst, self._ttl_ms]
            )
        except REDIS_ERRORS as error:
            self.outage.failed(now, error)
            return self.fallback.acquire(now)
        self.outage.succeeded()
        wait = float(answer)
        return wait if wait > 0 else 0.0

    async def observe(self, now: float, status: int | None, retry_after: float | None) -> None:
        """Share a 429's ``Retry-After`` pause with every process (and keep it locally)."""
        self.fallback.observe(now, status, retry_after)
        if status != 429 or not retry_after or self.outage.skipping(now):
            return
        pause = min(float(retry_after), self.max_retry_after)
        try:
            await self._cooldown(keys=[self.key], args=[repr(pause)])
        except REDIS_ERRORS as error:
            self.outage.failed(now, error)


class AsyncRedisTokenCache:
    """One token exchange for any number of processes sharing an API key; pass as ``token_cache=``.

    A process that needs a token reads it from Redis; if there is none fresh, it takes a lock
    (``SET NX PX``, expiring after ``lock_ttl`` seconds), exchanges, stores the token (AES-GCM
    encrypted under a key derived from the API private key, expiring with the token) and
    releases the lock. The others poll every ``poll_interval`` seconds until the token appears.
    If the holder dies, its lock expires and the next process takes over. While Redis is
    unreachable each process exchanges for itself (the client still single-flights in-process)
    and a :class:`~imburse.redis.RedisUnavailableWarning` is emitted once.

    >>> import redis.asyncio  # doctest: +SKIP
    >>> cache = AsyncRedisTokenCache(redis.asyncio.Redis.from_url("redis://localhost:6379/0"))
    >>> client = AsyncImburse(token_cache=cache)
    """

    def __init__(
        self,
        redis: AsyncRedis,
        *,
        prefix: str = "imburse:token",
        lock_ttl: float = 15.0,
        poll_interval: float = 0.05,
        retry_interval: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        if lock_ttl <= 0 or poll_interval <= 0:
            raise ValueError("lock_ttl and poll_interval must be positive")
        self._redis = redis
        self.prefix = prefix
        self.lock_ttl = lock_ttl
        self.poll_interval = poll_interval
        self.outage = Outage(f"token cache {prefix!r}", retry_interval)
        self._clock = clock
        self._wall_clock = wall_clock
        self._release: AsyncScript = redis.register_script(RELEASE_LUA)
        self._forget: AsyncScript = redis.register_script(FORGET_LUA)
        self._slots: dict[Credentials, TokenSlot] = {}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(prefix={self.prefix!r}, lock_ttl={self.lock_ttl:g})"

    def _slot(self, credentials: Credentials) -> TokenSlot:
        slot = self._slots.get(credentials)
        if slot is None:
            slot = self._slots[credentials] = TokenSlot(self.prefix, credentials)
        return slot

    def _usable(self, token: AccessToken | None, min_ttl: float) -> bool:
        return token is not None and not token.expires_within(min_ttl, now=self._wall_clock())

    async def get(
        self,
        credentials: Credentials,
        exchange: Callable[[], Awaitable[AccessToken]],
        *,
        min_ttl: float,
        max_wait: float,
    ) -> AccessToken:
        """A token valid for ``min_ttl`` more seconds: from Redis, or exchanged under the lock."""
        slot = self._slot(credentials)
        give_up_at = self._clock() + max_wait
        while True:
            now = self._clock()
            if self.outage.skipping(now):
                return await exchange()
            try:
                token = slot.unseal(await self._redis.get(slot.key))
                if token is not None and self._usable(token, min_ttl):
                    self.outage.succeeded()
                    return token
                owner = slot.new_owner()
                locked = await self._redis.set(
                    slot.lock, owner, nx=True, px=math.ceil(self.lock_ttl * 1000)
                )
            except REDIS_ERRORS as error:
                self.outage.failed(now, error)
                return await exchange()
            self.outage.succeeded()
            if locked:
                return await self._exchange_holding_lock(slot, owner, exchange, min_ttl)
            remaining = give_up_at - self._clock()
            if remaining <= 0:
                raise DeadlineExceededError(
                    "the call's deadline passed waiting for another process's token exchange"
                )
            await async_sleep(min(self.poll_interval, remaining))

    async def _exchange_holding_lock(
        self,
        slot: TokenSlot,
        owner: str,
        exchange: Callable[[], Awaitable[AccessToken]],
        min_ttl: float,
    ) -> AccessToken:
        try:
            try:
                # A holder may have stored a token between our read and our lock.
                token = slot.unseal(await self._redis.get(slot.key))
            except REDIS_ERRORS as error:
                self.outage.failed(self._clock(), error)
                token = None
            if token is not None and self._usable(token, min_ttl):
                return token
            token = await exchange()
            ttl_ms = math.floor((token.expires_at.timestamp() - self._wall_clock()) * 1000)
            if ttl_ms > 0:
                try:
                    await self._redis.set(slot.key, slot.seal(token), px=ttl_ms)
                except REDIS_ERRORS as error:
                    self.outage.failed(self._clock(), error)
            return token
        finally:
            try:
                await self._release(keys=[slot.lock], args=[owner])
            except REDIS_ERRORS as error:  # the lock expires on its own
                self.outage.failed(self._clock(), error)

    async def invalidate(self, credentials: Credentials, value: str) -> None:
        """Forget ``value`` in Redis after a 401, unless another token already replaced it."""
        slot = self._slot(credentials)
        if self.outage.skipping(self._clock()):
            return
        try:
            await self._forget(keys=[slot.key], args=[slot.fingerprint(value)])
        except REDIS_ERRORS as error:
            self.outage.failed(self._clock(), error)
