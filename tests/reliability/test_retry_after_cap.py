"""One 429 cannot lock a client out for a day (issue 14, item 7).

Before issue 14 a ``Retry-After`` was believed up to 86,400 s: one answer with
``Retry-After: 1000000000`` (or a date in the year 9999) paused the client's shared cool-down
for a day, so every later call failed at once with ``RateLimitError``; with the Redis policy,
in every process. Now the pause is capped by ``max_retry_after`` (300 s by default; a client
argument, also taken by ``SharedCooldown``, ``TokenBucket`` and the Redis policies): past the
cap the SDK tries again and lets the server say no again.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest
import redis

from imburse import AsyncImburse, RateLimitError, SharedCooldown, TokenBucket
from imburse.testing import FakeImburse
from tests.redis.redis_helpers import RedisServer

HUGE_RETRY_AFTERS = [
    pytest.param({"retry_after": "1000000000"}, id="seconds-1e9"),
    pytest.param({"retry_after": "Fri, 31 Dec 9999 23:59:59 GMT"}, id="year-9999"),
    pytest.param({"retry_after_ms": "1000000000000"}, id="retry-after-ms-1e12"),
]


class Clock:
    """Clocks that move only when told to or when the client sleeps (which is recorded)."""

    def __init__(self) -> None:
        self.mono = 1_000.0
        self.wall_time = 1_780_000_000.0
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self.mono

    def wall(self) -> float:
        return self.wall_time

    def advance(self, seconds: float) -> None:
        self.mono += seconds
        self.wall_time += seconds

    async def async_sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def fake(clock: Clock) -> Iterator[FakeImburse]:
    with FakeImburse(clock=clock.wall) as fake:
        yield fake


def async_client(fake: FakeImburse, clock: Clock, **options: object) -> AsyncImburse:
    return fake.async_imburse(
        clock=clock.now, wall_clock=clock.wall, sleep=clock.async_sleep, **options
    )


@pytest.mark.parametrize("header", HUGE_RETRY_AFTERS)
def test_a_huge_retry_after_pauses_the_client_for_at_most_300_seconds(
    fake: FakeImburse, clock: Clock, header: dict[str, Any]
) -> None:
    """Failed before issue 14: the 429 carried ``retry_after=86400`` and five minutes
    later every call still failed at once (the cool-down ran for a day)."""

    async def main() -> None:
        async with async_client(fake, clock) as client:
            await client.orders.create("ORD-1")
            fake.inject("status", status=429, path="ORD-1", **header)
            with pytest.raises(RateLimitError) as caught:
                await client.orders.get("ORD-1")  # 300 s > the 60 s deadline: fails fast
            assert caught.value.retry_after == 300.0
            # A call that may wait (deadline 400 s) sleeps out the capped pause, then runs.
            order = await client.orders.get("ORD-1", deadline=400)
            assert order.order_ref == "ORD-1"
            assert clock.sleeps == [300.0]

    anyio.run(main)


def test_the_cap_is_a_client_argument(fake: FakeImburse, clock: Clock) -> None:
    """Failed before issue 14: ``max_retry_after`` was not an argument (``TypeError``), and
    nothing could shorten a server's pause."""

    async def main() -> None:
        async with async_client(fake, clock, max_retry_after=5) as client:
            await client.orders.create("ORD-1")
            fake.inject("status", status=429, path="ORD-1", retry_after="3600")
            with pytest.raises(RateLimitError) as caught:
                await client.orders.get("ORD-1", max_retries=0)
            assert caught.value.retry_after == 5.0
            await client.orders.get("ORD-1", deadline=10)
            assert clock.sleeps == [5.0]

    anyio.run(main)


def test_the_cap_holds_for_a_policy_the_caller_built(fake: FakeImburse, clock: Clock) -> None:
    """Failed before issue 14: a ``TokenBucket`` passed as ``rate_limit_policy`` kept the
    day-long pause (the client's cap applies before any policy sees the header)."""

    async def main() -> None:
        policy = TokenBucket(rate=1000, burst=10)
        async with async_client(fake, clock, rate_limit_policy=policy) as client:
            await client.orders.create("ORD-1")
            fake.inject("status", status=429, path="ORD-1", retry_after="1000000000")
            with pytest.raises(RateLimitError):
                await client.orders.get("ORD-1")
            assert policy.acquire(clock.now()) == 300.0

    anyio.run(main)


def test_the_sync_client_is_capped_the_same_way(fake: FakeImburse, clock: Clock) -> None:
    """Failed before issue 14 (sync twin of the first test)."""
    with fake.imburse(clock=clock.now, wall_clock=clock.wall, sleep=clock.sleep) as client:
        client.orders.create("ORD-1")
        fake.inject("status", status=429, path="ORD-1", retry_after="Fri, 31 Dec 9999 23:59:59 GMT")
        with pytest.raises(RateLimitError) as caught:
            client.orders.get("ORD-1")
        assert caught.value.retry_after == 300.0
        clock.advance(300.0)
        assert client.orders.get("ORD-1").order_ref == "ORD-1"


def test_shared_cooldown_and_token_bucket_take_the_cap() -> None:
    """Failed before issue 14: neither took ``max_retry_after`` (``TypeError``) and a 429
    asking for a day paused them for a day."""
    default = SharedCooldown()
    default.observe(0.0, 429, 86_400.0)
    assert default.acquire(0.0) == 300.0
    short = SharedCooldown(max_retry_after=2.5)
    short.observe(0.0, 429, 86_400.0)
    assert short.acquire(0.0) == 2.5
    bucket = TokenBucket(rate=10, burst=1, max_retry_after=1.0)
    bucket.observe(0.0, 429, 1e9)
    assert bucket.acquire(0.0) == 1.0


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed (.ci/run installs it)")
    server = RedisServer(binary, Path(tmp_path_factory.mktemp("redis-cap")))
    server.start()
    yield server.url
    server.kill()


def test_the_redis_policy_shares_at_most_the_capped_pause(redis_url: str) -> None:
    """Failed before issue 14: one process seeing ``Retry-After: 1000000000`` stopped every
    process sharing the key for a day (the pause is written to Redis for all of them)."""
    from imburse.redis import RedisRateLimitPolicy

    with redis.Redis.from_url(redis_url) as r1, redis.Redis.from_url(redis_url) as r2:
        seen_it = RedisRateLimitPolicy(r1, rate=100, burst=10, key="cap:default")
        elsewhere = RedisRateLimitPolicy(r2, rate=100, burst=10, key="cap:default")
        seen_it.observe(0.0, 429, 1e9)
        assert 299.0 < elsewhere.acquire(0.0) <= 300.0
        short = RedisRateLimitPolicy(r1, rate=100, key="cap:short", max_retry_after=2)
        short.observe(0.0, 429, 86_400.0)
        assert 1.5 < RedisRateLimitPolicy(r2, rate=100, key="cap:short").acquire(0.0) <= 2.0
        assert short.fallback.acquire(0.0) == 2.0  # the local fallback is capped too
