"""Retry decisions and Retry-After parsing: pure functions of plain values."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import format_datetime

import backoff
import pytest
from hypothesis import given, settings, strategies as st

from imburse import DefaultRetryPolicy, Outcome, Retry, RetryPolicy, Stop
from imburse._core.retry import parse_retry_after, seeded_jitter


def identity(wait: float) -> float:
    return wait


POLICY = DefaultRetryPolicy(jitter=identity)


def decide(
    outcome: Outcome,
    *,
    attempt: int = 1,
    remaining: float = 60.0,
    max_retries: int = 2,
    policy: DefaultRetryPolicy = POLICY,
) -> Retry | Stop:
    return policy.decide(
        outcome, attempt=attempt, elapsed=0.0, remaining=remaining, max_retries=max_retries
    )


def test_default_policy_satisfies_the_protocol() -> None:
    assert isinstance(DefaultRetryPolicy(), RetryPolicy)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_retryable_statuses_are_retried(status: int, method: str) -> None:
    # POST is repeatable here (a create keyed by a natural ref).
    result = decide(Outcome(method, status=status, repeatable=True))
    assert result == Retry(0.5)


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 405, 422, 501])
def test_other_statuses_stop(status: int) -> None:
    result = decide(Outcome("GET", status=status))
    assert isinstance(result, Stop)
    assert not result.rate_limited
    assert str(status) in result.reason


def test_conflict_is_retried_only_for_reads() -> None:
    assert decide(Outcome("GET", status=409)) == Retry(0.5)
    for method in ("POST", "PUT", "DELETE"):
        assert isinstance(decide(Outcome(method, status=409)), Stop)


def test_connection_errors_are_retried() -> None:
    assert decide(Outcome("GET", error="ConnectError", sent=False)) == Retry(0.5)
    assert decide(Outcome("GET", error="ReadTimeout", timed_out=True)) == Retry(0.5)


def test_max_retries_bounds_the_attempts() -> None:
    outcome = Outcome("GET", status=503)
    assert isinstance(decide(outcome, attempt=1, max_retries=2), Retry)
    assert isinstance(decide(outcome, attempt=2, max_retries=2), Retry)
    stop = decide(outcome, attempt=3, max_retries=2)
    assert isinstance(stop, Stop)
    assert "3 attempts" in stop.reason
    assert isinstance(decide(outcome, attempt=1, max_retries=0), Stop)


def test_exhausted_429_is_marked_rate_limited() -> None:
    stop = decide(Outcome("GET", status=429), attempt=3, max_retries=2)
    assert stop == Stop(stop.reason, rate_limited=True)  # type: ignore[union-attr]
    stop = decide(Outcome("GET", status=503), attempt=3, max_retries=2)
    assert isinstance(stop, Stop)
    assert not stop.rate_limited


def test_retry_after_beyond_the_deadline_stops_as_rate_limited() -> None:
    result = decide(Outcome("POST", status=429, retry_after=30.0), remaining=10.0)
    assert isinstance(result, Stop)
    assert result.rate_limited
    assert "deadline" in result.reason


def test_retry_after_within_the_deadline_is_honoured_exactly() -> None:
    assert decide(Outcome("POST", status=429, retry_after=3.25), remaining=10.0) == Retry(3.25)
    assert decide(Outcome("GET", status=503, retry_after=0.0)) == Retry(0.0)


def test_backoff_beyond_the_deadline_stops_without_rate_limit_flag() -> None:
    result = decide(Outcome("GET", status=503), attempt=1, remaining=0.1)
    assert isinstance(result, Stop)
    assert not result.rate_limited


@pytest.mark.parametrize(
    "outcome",
    [
        Outcome("POST", status=None, error="ReadTimeout", timed_out=True, repeatable=False),
        Outcome("POST", status=None, error="RemoteProtocolError", repeatable=False),
        Outcome("POST", status=500, repeatable=False),
        Outcome("POST", status=503, repeatable=False),
    ],
    ids=["timeout-after-send", "dropped", "500", "503"],
)
def test_maybe_applied_and_not_repeatable_stops(outcome: Outcome) -> None:
    assert outcome.maybe_applied
    result = decide(outcome)
    assert isinstance(result, Stop)
    assert "may have been applied" in result.reason


@pytest.mark.parametrize(
    "outcome",
    [
        Outcome("POST", status=None, error="ReadTimeout", timed_out=True, repeatable=True),
        Outcome("POST", status=502, repeatable=True),
    ],
)
def test_maybe_applied_but_repeatable_is_retried(outcome: Outcome) -> None:
    assert outcome.maybe_applied
    assert decide(outcome) == Retry(0.5)


def test_never_sent_is_always_safe_to_repeat() -> None:
    outcome = Outcome("POST", error="ConnectError", sent=False, repeatable=False)
    assert not outcome.maybe_applied
    assert decide(outcome) == Retry(0.5)


def test_429_on_a_non_repeatable_create_is_retried() -> None:
    # A 429 means "not processed": it cannot have been applied.
    outcome = Outcome("POST", status=429, repeatable=False)
    assert not outcome.maybe_applied
    assert decide(outcome) == Retry(0.5)


def test_waits_double_from_half_a_second_to_eight() -> None:
    waits = [POLICY.wait(n) for n in range(1, 8)]
    assert waits == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    delays = [
        decide(Outcome("GET", status=503), attempt=n, max_retries=10, remaining=1e9)
        for n in range(1, 7)
    ]
    assert delays == [Retry(0.5), Retry(1.0), Retry(2.0), Retry(4.0), Retry(8.0), Retry(8.0)]


def test_huge_attempt_numbers_stay_capped() -> None:
    assert POLICY.wait(10_000) == 8.0


def test_custom_base_and_cap() -> None:
    policy = DefaultRetryPolicy(base=0.1, max_delay=0.4, jitter=identity)
    assert [policy.wait(n) for n in range(1, 5)] == [0.1, 0.2, 0.4, 0.4]


def test_full_jitter_stays_within_zero_and_the_wait() -> None:
    random.seed(1234)
    policy = DefaultRetryPolicy(jitter=backoff.full_jitter)
    for attempt in range(1, 7):
        ceiling = POLICY.wait(attempt)
        delays = []
        for _ in range(200):
            result = decide(
                Outcome("GET", status=503), attempt=attempt, max_retries=10, policy=policy
            )
            assert isinstance(result, Retry)
            delays.append(result.delay)
        assert all(0 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 1  # actually jittered


def test_default_jitter_is_full_jitter() -> None:
    """The default draws the same waits as ``backoff.full_jitter`` (it defers to it, loading
    backoff at the first retry rather than with the client)."""
    jitter = DefaultRetryPolicy().jitter
    random.seed(99)
    ours = [jitter(8.0) for _ in range(20)]
    random.seed(99)
    assert ours == [backoff.full_jitter(8.0) for _ in range(20)]


def test_seeded_jitter_is_reproducible() -> None:
    a, b = seeded_jitter(7), seeded_jitter(7)
    assert [a(8.0) for _ in range(5)] == [b(8.0) for _ in range(5)]


def test_outcome_and_decisions_are_values() -> None:
    assert Outcome("GET", status=503) == Outcome("GET", status=503)
    assert Retry(1.0) == Retry(1.0)
    assert Stop("x") == Stop("x", rate_limited=False)


# --- Retry-After ----------------------------------------------------------------------------

NOW = datetime(2024, 5, 31, 12, 0, 0, tzinfo=UTC).timestamp()


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "5"}, 5.0),
        ({"retry-after": " 5 "}, 5.0),
        ({"retry-after": "0"}, 0.0),
        ({"retry-after": "1.5"}, 1.5),
        ({"retry-after": "0.25"}, 0.25),
        ({"retry-after": "Fri, 31 May 2024 12:00:30 GMT"}, 30.0),
        ({"retry-after": "Fri, 31 May 2024 11:59:00 GMT"}, 0.0),  # in the past: go now
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after-ms": "250", "retry-after": "9"}, 0.25),  # ms wins
        ({"retry-after-ms": "soon", "retry-after": "9"}, 9.0),  # unreadable ms falls back
        ({"retry-after": "-3"}, 0.0),
        ({"retry-after": "1e9"}, 300.0),  # capped at max_retry_after (300 s by default)
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float) -> None:
    assert parse_retry_after(headers, now=NOW) == expected


def test_http_date_built_by_the_stdlib_round_trips() -> None:
    when = datetime(2024, 5, 31, 12, 1, 0, tzinfo=UTC)
    headers = {"retry-after": format_datetime(when, usegmt=True)}
    assert parse_retry_after(headers, now=NOW) == 60.0


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"retry-after": ""},
        {"retry-after": "soon"},
        {"retry-after": "nan"},
        {"retry-after": "inf"},
        {"retry-after": "Fri, 31 May 2024 12:00:30"},  # no zone: ambiguous
        {"retry-after": "Fri, 99 Foo 2024 12:00:30 GMT"},
        {"retry-after-ms": "nan"},
        {"Retry-After": "5"},  # keys must be lower-case: transports normalise them
    ],
)
def test_unreadable_retry_after_is_none(headers: dict[str, str]) -> None:
    assert parse_retry_after(headers, now=NOW) is None


@settings(max_examples=500, deadline=None)
@given(st.text(), st.one_of(st.none(), st.text()))
def test_any_header_text_never_raises(value: str, millis: str | None) -> None:
    headers = {"retry-after": value}
    if millis is not None:
        headers["retry-after-ms"] = millis
    result = parse_retry_after(headers, now=NOW)
    assert result is None or 0.0 <= result <= 300.0


@settings(max_examples=150, deadline=None)
@given(st.datetimes(timezones=st.just(UTC)))
def test_any_http_date_parses_to_a_bounded_wait(when: datetime) -> None:
    value = format_datetime(when.replace(microsecond=0), usegmt=True)
    result = parse_retry_after({"retry-after": value}, now=NOW)
    assert result is not None
    assert 0.0 <= result <= 300.0
