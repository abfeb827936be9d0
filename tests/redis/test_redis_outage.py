"""Redis going away mid-run: the calls go on, paced and authenticated locally, with a warning."""

from __future__ import annotations

import logging
import time

import anyio
import pytest
import redis.asyncio
from redis.backoff import NoBackoff
from redis.retry import Retry

from imburse import AsyncImburse
from imburse.redis import AsyncRedisRateLimitPolicy, AsyncRedisTokenCache, RedisUnavailableWarning
from imburse.testing import FakeImburse

from .redis_helpers import RedisServer


def _client(url: str) -> redis.asyncio.Redis:
    # Fail fast when the server is gone (redis-py's default retries for many seconds).
    return redis.asyncio.Redis.from_url(
        url, socket_timeout=0.5, socket_connect_timeout=0.5, retry=Retry(NoBackoff(), 0)
    )


async def _timed_gets(client: AsyncImburse, count: int) -> float:
    started = time.monotonic()
    for _ in range(count):
        assert (await client.orders.get("ORD-1")).order_ref == "ORD-1"
    return time.monotonic() - started


@pytest.mark.anyio
async def test_redis_going_away_mid_run_degrades_to_the_local_policy(
    own_redis_server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    r = _client(own_redis_server.url)
    policy = AsyncRedisRateLimitPolicy(r, rate=40, burst=1, key="rl", retry_interval=0.3)
    cache = AsyncRedisTokenCache(r, retry_interval=0.3)
    caplog.set_level(logging.WARNING, logger="imburse")
    try:
        with FakeImburse() as fake:
            async with fake.async_imburse(rate_limit_policy=policy, token_cache=cache) as client:
                await client.orders.create("ORD-1")
                for _ in range(5):
                    await client.orders.get("ORD-1")
                assert not policy.outage.down
                assert await r.exists("rl") == 1

                own_redis_server.kill()
                fake.revoke_tokens()  # the next call needs a new token, with Redis gone
                with pytest.warns(
                    RedisUnavailableWarning, match="falls back to local state"
                ) as warned:
                    elapsed = await _timed_gets(client, 20)
                # Once per component and outage (the rate limit, the token cache), not per call.
                assert len([w for w in warned if w.category is RedisUnavailableWarning]) == 2
                assert policy.outage.down
                assert cache.outage.down
                assert fake.token_exchanges == 2  # re-exchanged locally
                assert 0.4 < elapsed < 5  # still paced: the local TokenBucket(40/s)
                assert "Redis is unreachable" in caplog.text

                own_redis_server.start(port=own_redis_server.port)
                for _ in range(50):  # back to Redis within a few retry intervals
                    await client.orders.get("ORD-1")
                    if not policy.outage.down:
                        break
                    await anyio.sleep(0.05)
                assert not policy.outage.down
                assert await r.exists("rl") == 1  # counting in Redis again
                assert "Redis is reachable again" in caplog.text
    finally:
        await r.aclose()
