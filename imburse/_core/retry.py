"""When to try a call again, and how long to wait first. Pure: no clock, no sleeping.

The pipeline describes each failed attempt as an :class:`Outcome` and asks a
:class:`RetryPolicy` to :meth:`~RetryPolicy.decide`. Waits come from ``backoff``'s exponential
wait generator with full jitter; a ``Retry-After`` from the server always wins.
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Protocol, runtime_checkable

import attrs

from .ratelimit import DEFAULT_MAX_RETRY_AFTER

__all__ = [
    "DefaultRetryPolicy",
    "Outcome",
    "Retry",
    "RetryPolicy",
    "Stop",
    "parse_retry_after",
]

# The default cap on a server-requested pause (the client's ``max_retry_after``).
_MAX_RETRY_AFTER = DEFAULT_MAX_RETRY_AFTER


@attrs.frozen
class Outcome:
    """What happened on one attempt.

    ``status`` is ``None`` when no response arrived. ``sent`` is false only when the request
    surely never reached the server (connection refused, pool timeout), so repeating it is
    always safe. ``repeatable`` says whether the operation may be repeated after an attempt
    whose effect is unknown (idempotent methods, and creates keyed by a natural ref).
    """

    method: str
    status: int | None = None
    error: str | None = None
    sent: bool = True
    timed_out: bool = False
    retry_after: float | None = None
    repeatable: bool = True

    @property
    def maybe_applied(self) -> bool:
        """True when the server may have applied the request although it did not say so."""
        if not self.sent:
            return False
        return self.status is None or self.status >= 500


@attrs.frozen
class Retry:
    """Try again after ``delay`` seconds."""

    delay: float


@attrs.frozen
class Stop:
    """Give up; ``rate_limited`` when the server's requested wait outlasts the deadline."""

    reason: str
    rate_limited: bool = False


@runtime_checkable
class RetryPolicy(Protocol):
    """Decides, after a failed attempt, whether and when to try again.

    ``attempt`` counts from 1 (the attempt that just failed); ``elapsed`` and ``remaining`` are
    seconds since the call started and until its deadline.
    """

    def decide(
        self, outcome: Outcome, *, attempt: int, elapsed: float, remaining: float, max_retries: int
    ) -> Retry | Stop: ...


@attrs.frozen
class DefaultRetryPolicy:
    """Exponential backoff (0.5 s doubling to 8 s) with full jitter.

    Retries connection errors and 408, 429, 500, 502, 503, 504 (and 409 on reads). An
    attempt that may have been applied is repeated only when the operation is repeatable.

    >>> policy = DefaultRetryPolicy(jitter=lambda wait: wait)
    >>> policy.decide(Outcome("GET", status=503), attempt=1, elapsed=0, remaining=60, max_retries=2)
    Retry(delay=0.5)
    """

    base: float = 0.5
    max_delay: float = 8.0
    statuses: frozenset[int] = frozenset({408, 429, 500, 502, 503, 504})
    # A named function rather than backoff's own: building a client must not import backoff
    # (and asyncio with it); only the first retry does.
    jitter: Callable[[float], float] = attrs.field(factory=lambda: full_jitter, repr=False)

    def wait(self, attempt: int) -> float:
        """The un-jittered wait after failed attempt number ``attempt`` (1-based)."""
        waits = _backoff().expo(base=2, factor=self.base, max_value=self.max_delay)
        next(waits)  # backoff's generators yield None first (they are primed with send)
        value = self.base
        for _ in range(min(attempt, 64)):
            value = float(next(waits))
        return value

    def retryable(self, outcome: Outcome) -> bool:
        """True when the kind of failure is worth another attempt."""
        if outcome.status is None:
            return True
        if outcome.status == 409:
            return outcome.method == "GET"
        return outcome.status in self.statuses

    def decide(
        self, outcome: Outcome, *, attempt: int, elapsed: float, remaining: float, max_retries: int
    ) -> Retry | Stop:
        """See :class:`RetryPolicy`."""
        rate_limited = outcome.status == 429
        if not self.retryable(outcome):
            return Stop(f"status {outcome.status} is not retried")
        if outcome.maybe_applied and not outcome.repeatable:
            return Stop("the request may have been applied and is not safe to repeat")
        if attempt > max_retries:
            return Stop(f"gave up after {attempt} attempts", rate_limited=rate_limited)
        if outcome.retry_after is not None:
            delay = outcome.retry_after
        else:
            delay = self.jitter(self.wait(attempt))
        if delay > remaining:
            return Stop("the wait would outlast the deadline", rate_limited=rate_limited)
        return Retry(delay)


def parse_retry_after(
    headers: Mapping[str, str], *, now: float, cap: float = _MAX_RETRY_AFTER
) -> float | None:
    """Seconds to wait from ``retry-after-ms`` or ``Retry-After`` (seconds or HTTP date).

    ``headers`` must have lower-case keys; ``now`` is the wall clock in epoch seconds. Any
    unreadable value gives ``None``. The result is at most ``cap`` seconds (the client's
    ``max_retry_after``, 300 by default): a server asking for a billion seconds, or for a
    date in the year 9999, gets ``cap``.

    >>> parse_retry_after({"retry-after": "1.5"}, now=0)
    1.5
    >>> parse_retry_after({"retry-after": "Thu, 01 Jan 1970 00:00:10 GMT"}, now=4)
    6.0
    >>> parse_retry_after({"retry-after": "1000000000"}, now=0)
    300.0
    """
    millis = headers.get("retry-after-ms")
    if millis is not None:
        value = _number(millis)
        if value is not None:
            return _bounded(value / 1000, cap)
    raw = headers.get("retry-after")
    if raw is None:
        return None
    value = _number(raw)
    if value is not None:
        return _bounded(value, cap)
    # Imported here: the HTTP-date form is rare, and the email package is slow to import.
    from email.utils import parsedate_to_datetime

    try:
        when = parsedate_to_datetime(raw.strip())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        return None
    return _bounded(when.timestamp() - now, cap)


def full_jitter(wait: float) -> float:
    """``backoff.full_jitter``: a uniformly random wait between 0 and ``wait`` seconds.

    >>> 0 <= full_jitter(2.0) <= 2.0
    True
    """
    jittered: float = _backoff().full_jitter(wait)
    return jittered


def _backoff() -> ModuleType:
    # backoff imports asyncio (tens of ms, and pointless on trio); load it at first use.
    import backoff

    return backoff


def _number(text: str) -> float | None:
    if len(text) > 64:  # no number of seconds is written with more; float() of 1 MB is slow
        return None
    try:
        value = float(text.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _bounded(seconds: float, cap: float) -> float | None:
    if seconds != seconds:  # NaN
        return None
    return float(min(max(seconds, 0.0), cap))


def seeded_jitter(seed: int) -> Callable[[float], float]:
    """A reproducible full-jitter function, for tests and benchmarks."""
    rng = random.Random(seed)  # noqa: S311 - jitter spreads load, it guards no secret
    return lambda wait: rng.uniform(0, wait)
