"""A shared rate limit and a shared bearer token for many processes, on Redis.

``pip install 'imburse[redis]'``. Every process (web workers, Celery workers, batch jobs)
that names the same keys shares one quota and one token:

>>> import redis.asyncio  # doctest: +SKIP
>>> from imburse import AsyncImburse
>>> from imburse.redis import AsyncRedisRateLimitPolicy, AsyncRedisTokenCache
>>> r = redis.asyncio.Redis.from_url("redis://localhost:6379/0", socket_timeout=0.5)
>>> client = AsyncImburse(
...     rate_limit_policy=AsyncRedisRateLimitPolicy(r, rate=50, burst=5),
...     token_cache=AsyncRedisTokenCache(r),
... )

The sync ``Imburse`` takes :class:`RedisRateLimitPolicy` and :class:`RedisTokenCache` on a
``redis.Redis``. If Redis goes away, both fall back to per-process behaviour with a
:class:`RedisUnavailableWarning` and use Redis again once it answers.
"""

from __future__ import annotations

from ._async.redis_shared import AsyncRedisRateLimitPolicy, AsyncRedisTokenCache
from ._redis import RedisUnavailableWarning
from ._sync.redis_shared import RedisRateLimitPolicy, RedisTokenCache

__all__ = [
    "AsyncRedisRateLimitPolicy",
    "AsyncRedisTokenCache",
    "RedisRateLimitPolicy",
    "RedisTokenCache",
    "RedisUnavailableWarning",
]
