"""The shared token bucket on a real Redis: pacing, the shared 429 pause, both flavours."""

from __future__ import annotations

import time

import pytest
import redis
import redis.asyncio

from imburse import ConfigurationError, RateLimitError
from imburse.redis import AsyncRedisRateLimitPolicy, RedisRateLimitPolicy
from imburse.testing import FakeImburse


def test_bucket_gives_the_burst_then_paces_at_the_rate(redis_url: str) -> None:
    with redis.Redis.from_url(redis_url) as r:
        policy = RedisRateLimitPolicy(r, rate=10, burst=3, key="rl:pace")
        answers = [policy.acquire(0.0) for _ in range(4)]
        assert answers[:3] == [0.0, 0.0, 0.0]
        assert 0.05 < answers[3] <= 0.1  # one token comes back every 1/rate seconds
        time.sleep(answers[3] + 0.01)
        assert policy.acquire(0.0) == 0.0


def test_two_policies_naming_one_key_share_one_bucket(redis_url: str) -> None:
    with redis.Redis.from_url(redis_url) as r1, redis.Redis.from_url(redis_url) as r2:
        first = RedisRateLimitPolicy(r1, rate=1, burst=2, key="rl:shared")
        second = RedisRateLimitPolicy(r2, rate=1, burst=2, key="rl:shared")
        other = RedisRateLimitPolicy(r2, rate=1, burst=2, key="rl:other")
        assert first.acquire(0.0) == 0.0
        assert second.acquire(0.0) == 0.0
        assert first.acquire(0.0) > 0.9  # the bucket of both is empty
        assert second.acquire(0.0) > 0.9
        assert other.acquire(0.0) == 0.0  # another key, another bucket


def test_a_429_pauses_every_process_sharing_the_key(redis_url: str) -> None:
    with redis.Redis.from_url(redis_url) as r1, redis.Redis.from_url(redis_url) as r2:
        seen_it = RedisRateLimitPolicy(r1, rate=100, burst=10, key="rl:429")
        elsewhere = RedisRateLimitPolicy(r2, rate=100, burst=10, key="rl:429")
        seen_it.observe(0.0, 200, None)
        assert elsewhere.acquire(0.0) == 0.0
        seen_it.observe(0.0, 429, 2.0)
        assert 1.8 < elsewhere.acquire(0.0) <= 2.0
        assert 1.8 < seen_it.acquire(0.0) <= 2.0


def test_bucket_key_expires_when_idle(redis_url: str) -> None:
    with redis.Redis.from_url(redis_url) as r:
        RedisRateLimitPolicy(r, rate=50, burst=5, key="rl:ttl").acquire(0.0)
        assert 0 < r.pttl("rl:ttl") <= 60_000


@pytest.mark.anyio
async def test_async_client_is_paced_by_the_async_policy(redis_url: str) -> None:
    r = redis.asyncio.Redis.from_url(redis_url)
    policy = AsyncRedisRateLimitPolicy(r, rate=20, burst=1, key="rl:client")
    try:
        with FakeImburse() as fake:
            async with fake.async_imburse(rate_limit_policy=policy) as client:
                await client.orders.create("ORD-1")
                started = time.monotonic()
                for _ in range(10):
                    await client.orders.get("ORD-1")
                elapsed = time.monotonic() - started
        # The exchange and the create used the burst; 10 more calls at 20/s need ~0.5 s.
        assert 0.4 < elapsed < 2.0
        assert not policy.outage.down
    finally:
        await r.aclose()


@pytest.mark.anyio
async def test_a_wait_past_the_deadline_fails_fast(redis_url: str) -> None:
    r = redis.asyncio.Redis.from_url(redis_url)
    try:
        policy = AsyncRedisRateLimitPolicy(r, rate=0.1, burst=1, key="rl:deadline")
        with FakeImburse() as fake:
            async with fake.async_imburse(rate_limit_policy=policy, deadline=2) as client:
                with pytest.raises(RateLimitError) as caught:
                    await client.orders.create("ORD-1")  # the exchange took the only permit
        assert caught.value.retry_after is not None
        assert caught.value.retry_after > 2
    finally:
        await r.aclose()


def test_sync_client_uses_the_sync_policy(redis_url: str) -> None:
    with redis.Redis.from_url(redis_url) as r, FakeImburse() as fake:
        policy = RedisRateLimitPolicy(r, rate=1000, burst=100, key="rl:sync")
        with fake.imburse(rate_limit_policy=policy) as client:
            client.orders.create("ORD-1")
            assert client.orders.get("ORD-1").order_ref == "ORD-1"
        tokens = float(r.hget("rl:sync", "tokens") or 0)
        assert tokens < 100  # the exchange, the create and the get were counted in Redis


def test_sync_client_refuses_the_async_policy(redis_url: str) -> None:
    r = redis.asyncio.Redis.from_url(redis_url)  # never connects
    with FakeImburse() as fake, pytest.raises(ConfigurationError, match="is async"):
        fake.imburse(rate_limit_policy=AsyncRedisRateLimitPolicy(r, rate=1))


def test_arguments_are_checked(redis_url: str) -> None:
    with redis.Redis.from_url(redis_url) as r:
        with pytest.raises(ValueError, match="rate > 0"):
            RedisRateLimitPolicy(r, rate=0)
        with pytest.raises(ValueError, match="burst >= 1"):
            RedisRateLimitPolicy(r, rate=1, burst=0)
        assert repr(RedisRateLimitPolicy(r, rate=50, burst=5)) == (
            "RedisRateLimitPolicy(rate=50, burst=5, key='imburse:ratelimit')"
        )
