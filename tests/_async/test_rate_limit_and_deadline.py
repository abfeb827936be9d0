"""Rate limits shared across calls, and the per-call deadline over every wait and attempt."""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable

import pytest

from imburse import (
    APITimeoutError,
    AsyncImburse,
    DeadlineExceededError,
    InternalServerError,
    RateLimitError,
    TokenBucket,
)
from imburse.testing import FakeImburse

from .helpers import FakeClock, Wire, calls_to, order_path


@pytest.mark.anyio
async def test_a_429_pauses_the_other_calls_of_the_client(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-A")
        await client.orders.create("ORD-B")
        fake.inject("status", status=429, retry_after="2", path="ORD-A")
        with pytest.raises(RateLimitError):
            await client.orders.get("ORD-A", max_retries=0)
        assert clock.sleeps == []
        # Another call, never refused itself, waits out the server's pause before its
        # first attempt rather than adding to the stampede.
        await client.orders.get("ORD-B")
    assert clock.sleeps == [2.0]
    assert [r.status for r in calls_to(fake, order_path("ORD-B"))] == [200]


@pytest.mark.anyio
async def test_a_pause_longer_than_another_calls_deadline_fails_it_fast(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-A")
        fake.inject("status", status=429, retry_after="30", path="ORD-A")
        with pytest.raises(RateLimitError):
            await client.orders.get("ORD-A", deadline=10)
        with pytest.raises(RateLimitError) as caught:
            await client.orders.get("ORD-B", deadline=10, correlation_id="cid-b")
    assert caught.value.retry_after == pytest.approx(30.0)
    assert caught.value.correlation_id == "cid-b"
    assert calls_to(fake, order_path("ORD-B")) == []  # not sent at all
    assert clock.sleeps == []


@pytest.mark.anyio
async def test_token_bucket_spaces_requests(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    wire = Wire(fake, clock)
    async with (
        wire.async_client() as http,
        make_client(http_client=http, rate_limit_policy=TokenBucket(rate=2, burst=1)) as client,
    ):
        await client.orders.create("ORD-1")
        for _ in range(4):
            await client.orders.get("ORD-1")
    times = [t for t, request in wire.requests if request.method == "GET"]
    gaps = [later - earlier for earlier, later in itertools.pairwise(times)]
    assert gaps == [0.5, 0.5, 0.5]
    assert all(s == 0.5 for s in clock.sleeps)


@pytest.mark.anyio
async def test_token_bucket_allows_a_burst(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    wire = Wire(fake, clock)
    async with (
        wire.async_client() as http,
        make_client(http_client=http, rate_limit_policy=TokenBucket(rate=1, burst=10)) as client,
    ):
        await client.orders.create("ORD-1")
        for _ in range(5):
            await client.orders.get("ORD-1")
    assert clock.sleeps == []
    assert len(wire.requests) == 7


@pytest.mark.anyio
async def test_deadline_bounds_the_retries(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    async with make_client(max_retries=10) as client:
        await client.orders.create("ORD-1")
        fake.inject("status", status=503, times=None)
        with pytest.raises((DeadlineExceededError, InternalServerError)):
            await client.orders.get("ORD-1", deadline=3)
    # 0.5 + 1.0 slept; the next wait (2.0) would end past the deadline, so the call stops.
    assert clock.sleeps == [0.5, 1.0]
    assert sum(clock.sleeps) <= 3
    assert len(calls_to(fake, order_path("ORD-1"))) == 3


@pytest.mark.anyio
async def test_client_deadline_is_the_default_for_every_call(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    async with make_client(max_retries=10, deadline=8) as client:
        await client.orders.create("ORD-1")
        fake.inject("status", status=503, times=None)
        with pytest.raises((DeadlineExceededError, InternalServerError)):
            await client.orders.get("ORD-1")
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0]  # 7.5 s; the next 8 s wait would pass 8 s


def _real_time_client(fake: FakeImburse, http: object, **kwargs: object) -> AsyncImburse:
    return AsyncImburse(
        public_key=fake.public_key,
        private_key=fake.private_key,
        account_id=fake.account_id,
        tenant_id=fake.tenant_id,
        http_client=http,  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.mark.anyio
async def test_a_stalled_answer_times_out() -> None:
    fake = FakeImburse()  # real clocks: the stall really waits for the read timeout
    async with fake.async_client() as http, _real_time_client(fake, http, timeout=0.05) as client:
        await client.orders.create("ORD-1")
        fake.inject("stall", delay=30, method="GET")
        started = time.monotonic()
        with pytest.raises(APITimeoutError) as caught:
            await client.orders.get("ORD-1", max_retries=0)
        elapsed = time.monotonic() - started
    assert not isinstance(caught.value, DeadlineExceededError)
    assert caught.value.correlation_id
    assert elapsed < 5


@pytest.mark.anyio
async def test_the_deadline_cuts_a_slow_attempt_short() -> None:
    fake = FakeImburse()
    async with fake.async_client() as http, _real_time_client(fake, http, timeout=30) as client:
        await client.orders.create("ORD-1")
        fake.inject("stall", delay=30, method="GET", times=None)
        started = time.monotonic()
        with pytest.raises(DeadlineExceededError):
            await client.orders.get("ORD-1", deadline=0.3)
        elapsed = time.monotonic() - started
    assert 0.25 <= elapsed < 5
