"""Retry and rate-limit policies: invariants over any sequence of outcomes and clock readings.

* a retry never waits past the deadline, never exceeds ``max_retries``, never repeats a
  request that may have been applied unless the operation is repeatable, and never retries
  a definite client error;
* ``Retry-After`` of any text at any wall-clock time is a bounded wait or nothing;
* a token bucket never admits more than ``burst + rate * elapsed`` requests, and its waits
  are finite and non-negative; the shared cool-down never shortens a pause.
"""

from __future__ import annotations

import math

from hypothesis import given, settings, strategies as st

from imburse import DefaultRetryPolicy, SharedCooldown, TokenBucket
from imburse._core.retry import Outcome, Retry, Stop, parse_retry_after

_SETTINGS = settings(max_examples=600, deadline=None)
statuses = st.none() | st.sampled_from([200, 400, 401, 404, 408, 409, 422, 429, 500, 502, 503, 504])
outcomes = st.builds(
    Outcome,
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
    status=statuses,
    error=st.none() | st.sampled_from(["ReadTimeout", "ConnectError"]),
    sent=st.booleans(),
    timed_out=st.booleans(),
    retry_after=st.none() | st.floats(0, 86400),
    repeatable=st.booleans(),
)


@_SETTINGS
@given(
    outcomes,
    st.integers(1, 100),
    st.floats(0, 1e6),
    st.floats(-10, 1e6),
    st.integers(0, 20),
    st.floats(0.001, 10),
    st.floats(0.001, 100),
)
def test_a_retry_decision_respects_deadline_budget_and_safety(
    outcome: Outcome,
    attempt: int,
    elapsed: float,
    remaining: float,
    max_retries: int,
    base: float,
    cap: float,
) -> None:
    policy = DefaultRetryPolicy(base=base, max_delay=cap)
    decision = policy.decide(
        outcome, attempt=attempt, elapsed=elapsed, remaining=remaining, max_retries=max_retries
    )
    assert isinstance(decision, Retry | Stop)
    if isinstance(decision, Stop):
        return
    assert 0 <= decision.delay <= remaining
    assert attempt <= max_retries
    assert outcome.repeatable or not outcome.maybe_applied
    assert outcome.status is None or outcome.status in (408, 409, 429, 500, 502, 503, 504)
    if outcome.retry_after is not None:
        assert decision.delay == outcome.retry_after
    else:
        assert decision.delay <= cap


@_SETTINGS
@given(
    st.dictionaries(st.sampled_from(["retry-after", "retry-after-ms", "date"]), st.text()),
    st.floats(allow_nan=True, allow_infinity=True) | st.floats(-1e12, 1e12),
)
def test_any_retry_after_at_any_time_is_a_bounded_wait_or_nothing(
    headers: dict[str, str], now: float
) -> None:
    wait = parse_retry_after(headers, now=now)
    assert wait is None or (math.isfinite(wait) and 0 <= wait <= 86400)


clock_steps = st.lists(st.floats(0, 5), min_size=1, max_size=60)


@_SETTINGS
@given(st.floats(0.1, 1000), st.integers(1, 50), clock_steps)
def test_a_token_bucket_never_admits_more_than_burst_plus_rate(
    rate: float, burst: int, steps: list[float]
) -> None:
    bucket = TokenBucket(rate=rate, burst=burst)
    now = start = 100.0
    admitted = 0
    for step in steps:
        now += step
        wait = bucket.acquire(now)
        assert math.isfinite(wait)
        assert wait >= 0
        admitted += wait == 0
        # Rounding slack: a hair under a token counts as a whole one (see TokenBucket).
        assert admitted <= burst + rate * (now - start) + 1e-6 * len(steps) + 1


@_SETTINGS
@given(st.lists(st.tuples(st.floats(0, 10), statuses, st.none() | st.floats(0, 100)), max_size=40))
def test_the_shared_cooldown_never_shortens_a_pause(
    events: list[tuple[float, int | None, float | None]],
) -> None:
    cooldown = SharedCooldown()
    now, paused_until = 0.0, 0.0
    for step, status, retry_after in events:
        now += step
        cooldown.observe(now, status, retry_after)
        if status == 429 and retry_after:
            paused_until = max(paused_until, now + retry_after)
        wait = cooldown.acquire(now)
        assert wait >= 0
        assert math.isclose(wait, max(paused_until - now, 0.0), abs_tol=1e-9)
