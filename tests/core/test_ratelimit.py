"""Rate-limit policies with plain numbers as time."""

from __future__ import annotations

import threading

import pytest

from imburse import RateLimitPolicy, SharedCooldown, TokenBucket


@pytest.mark.parametrize("policy", [SharedCooldown(), TokenBucket(rate=1)])
def test_policies_satisfy_the_protocol(policy: object) -> None:
    assert isinstance(policy, RateLimitPolicy)


# --- SharedCooldown -------------------------------------------------------------------------


def test_cooldown_is_open_until_a_429_arrives() -> None:
    policy = SharedCooldown()
    assert [policy.acquire(t) for t in (0.0, 0.0, 0.0, 1e9)] == [0.0] * 4


def test_429_with_retry_after_pauses_every_caller_until_then() -> None:
    policy = SharedCooldown()
    policy.observe(100.0, 429, 2.5)
    assert policy.acquire(100.0) == 2.5
    assert policy.acquire(101.0) == 1.5
    assert policy.acquire(102.5) == 0.0
    assert policy.acquire(200.0) == 0.0


@pytest.mark.parametrize(
    ("status", "retry_after"), [(429, None), (429, 0.0), (503, 5.0), (200, 5.0), (None, 5.0)]
)
def test_only_a_429_with_a_positive_retry_after_pauses(
    status: int | None, retry_after: float | None
) -> None:
    policy = SharedCooldown()
    policy.observe(10.0, status, retry_after)
    assert policy.acquire(10.0) == 0.0


def test_a_later_shorter_429_never_shortens_the_pause() -> None:
    policy = SharedCooldown()
    policy.observe(0.0, 429, 10.0)
    policy.observe(1.0, 429, 2.0)  # ends at 3.0, earlier than 10.0
    assert policy.acquire(5.0) == 5.0
    policy.observe(6.0, 429, 10.0)  # ends at 16.0: extends
    assert policy.acquire(6.0) == 10.0


# --- TokenBucket ----------------------------------------------------------------------------


def test_bucket_allows_a_burst_then_paces_at_the_rate() -> None:
    bucket = TokenBucket(rate=2, burst=3)
    assert [bucket.acquire(0.0) for _ in range(3)] == [0.0, 0.0, 0.0]
    assert bucket.acquire(0.0) == 0.5
    assert bucket.acquire(0.25) == 0.25  # half a token refilled
    assert bucket.acquire(0.5) == 0.0  # one token: go
    assert bucket.acquire(0.5) == 0.5


def test_a_refused_acquire_does_not_consume_a_token() -> None:
    bucket = TokenBucket(rate=1, burst=1)
    assert bucket.acquire(0.0) == 0.0
    for _ in range(5):
        assert bucket.acquire(0.0) == 1.0
    assert bucket.acquire(1.0) == 0.0


def test_idle_time_refills_only_up_to_the_burst() -> None:
    bucket = TokenBucket(rate=10, burst=2)
    assert bucket.acquire(0.0) == 0.0
    results = [bucket.acquire(1000.0) for _ in range(3)]
    assert results[:2] == [0.0, 0.0]
    assert results[2] == pytest.approx(0.1)


@pytest.mark.parametrize(("rate", "burst"), [(5, 1), (3, 2), (7.3, 4), (1000, 1)])
def test_a_clock_advanced_by_exactly_each_wait_keeps_the_rate(rate: float, burst: int) -> None:
    # What the pipeline does with an injected clock: sleep exactly the wait, ask again.
    bucket = TokenBucket(rate=rate, burst=burst)
    sent = calls = 0
    now = 0.0
    while now < 10.0:
        calls += 1
        assert calls < 100_000, "the bucket returned waits that never advance the clock"
        wait = bucket.acquire(now)
        if wait == 0.0:
            sent += 1
        else:
            assert wait > 1e-9  # never a float-rounding crumb
            now += wait
    assert abs(sent - (rate * 10 + burst)) <= 1


def test_float_rounding_short_of_a_token_admits() -> None:
    bucket = TokenBucket(rate=5, burst=1)
    assert bucket.acquire(0.0) == 0.0
    # 0.2 + 0.2 + 0.2 + 0.2 == 0.8000000000000002 but 0.6000000000000001 + 0.2 == 0.8:
    # refill there is 0.9999999999999998 tokens.
    for now in (0.2, 0.4, 0.6000000000000001):
        assert bucket.acquire(now) == 0.0
        assert bucket.acquire(now) > 0.1
    assert bucket.acquire(0.8) == 0.0


def test_bucket_honours_the_shared_cooldown() -> None:
    bucket = TokenBucket(rate=100, burst=10)
    bucket.observe(0.0, 429, 4.0)
    assert bucket.acquire(1.0) == 3.0
    assert bucket.acquire(4.0) == 0.0


@pytest.mark.parametrize(("rate", "burst"), [(0, 1), (-1, 1), (1, 0)])
def test_bucket_rejects_nonsense(rate: float, burst: int) -> None:
    with pytest.raises(ValueError, match="rate"):
        TokenBucket(rate=rate, burst=burst)


def test_bucket_repr() -> None:
    assert repr(TokenBucket(rate=2.5, burst=4)) == "TokenBucket(rate=2.5, burst=4)"


def test_bucket_never_over_admits_across_threads() -> None:
    bucket = TokenBucket(rate=1e-9, burst=50)  # effectively no refill
    admitted: list[int] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(100):
            if bucket.acquire(0.0) == 0.0:
                with lock:
                    admitted.append(1)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(admitted) == 50
