"""Client-side rate limiting: when may the next request go out?

A :class:`RateLimitPolicy` is asked before every attempt (:meth:`~RateLimitPolicy.acquire`)
and told about every answer (:meth:`~RateLimitPolicy.observe`). Time is passed in, so the
policies are tested with plain numbers.
"""

from __future__ import annotations

import threading
from collections.abc import Awaitable
from typing import Protocol, runtime_checkable

__all__ = [
    "DEFAULT_MAX_RETRY_AFTER",
    "AsyncRateLimitPolicy",
    "RateLimitPolicy",
    "SharedCooldown",
    "TokenBucket",
]


@runtime_checkable
class RateLimitPolicy(Protocol):
    """The contract between the pipeline and a rate limiter.

    ``acquire(now)`` returns 0 when a request may go now (and counts it), or the number of
    seconds to wait before asking again. ``observe`` sees each response status and the
    server's ``Retry-After`` in seconds, if any. ``now`` is a monotonic clock in seconds.
    """

    def acquire(self, now: float) -> float: ...

    def observe(self, now: float, status: int | None, retry_after: float | None) -> None: ...


@runtime_checkable
class AsyncRateLimitPolicy(Protocol):
    """A :class:`RateLimitPolicy` whose answers are awaited: for limiters that do I/O.

    Only :class:`~imburse.AsyncImburse` accepts one (besides any plain policy); the state
    behind it usually lives outside the process, as in
    :class:`imburse.redis.AsyncRedisRateLimitPolicy`. Same meaning of ``now`` and of the
    answers as :class:`RateLimitPolicy`.
    """

    def acquire(self, now: float) -> Awaitable[float]: ...

    def observe(
        self, now: float, status: int | None, retry_after: float | None
    ) -> Awaitable[None]: ...


#: The longest pause (seconds) a server's ``Retry-After`` may impose by default (the client's
#: ``max_retry_after``). One 429 asking for a day must not lock every later call (and, with a
#: shared Redis policy, every process) out for a day: past the cap the SDK tries again and
#: lets the server say no again.
DEFAULT_MAX_RETRY_AFTER = 300.0


class SharedCooldown:
    """The default: one 429 with ``Retry-After`` pauses every call of the client until then.

    The pause is at most ``max_retry_after`` seconds (300 by default; the client passes its
    own ``max_retry_after``): one answer asking for a day must not lock the client out for
    a day. On the hot path this is a single float comparison, no lock: a racing write can
    only move the pause end later, and both writers computed a valid end.

    >>> policy = SharedCooldown()
    >>> policy.observe(100.0, 429, 2.5)
    >>> policy.acquire(101.0), policy.acquire(103.0)
    (1.5, 0.0)
    >>> policy.observe(200.0, 429, 86_400.0)
    >>> policy.acquire(200.0)
    300.0
    """

    def __init__(self, *, max_retry_after: float = DEFAULT_MAX_RETRY_AFTER) -> None:
        if not 0 <= max_retry_after < 1e9:
            raise ValueError("max_retry_after must be seconds between 0 and 1e9")
        self.max_retry_after = float(max_retry_after)
        self._until = 0.0

    def acquire(self, now: float) -> float:
        """See :class:`RateLimitPolicy`."""
        wait = self._until - now
        return wait if wait > 0 else 0.0

    def observe(self, now: float, status: int | None, retry_after: float | None) -> None:
        """See :class:`RateLimitPolicy`."""
        if status == 429 and retry_after:
            until = now + min(retry_after, self.max_retry_after)
            if until > self._until:
                self._until = until


class TokenBucket(SharedCooldown):
    """At most ``rate`` requests per second on average, bursts of up to ``burst``.

    Also honours the shared 429 cool-down.

    >>> bucket = TokenBucket(rate=2, burst=1)
    >>> bucket.acquire(0.0), bucket.acquire(0.0)
    (0.0, 0.5)
    """

    def __init__(
        self, rate: float, burst: int = 1, *, max_retry_after: float = DEFAULT_MAX_RETRY_AFTER
    ) -> None:
        super().__init__(max_retry_after=max_retry_after)
        if rate <= 0 or burst < 1:
            raise ValueError("TokenBucket needs rate > 0 and burst >= 1")
        self.rate = float(rate)
        self.burst = float(burst)
        self._tokens = float(burst)
        self._stamp: float | None = None
        # Sync clients share one bucket across threads; the critical section never blocks.
        self._lock = threading.Lock()

    def acquire(self, now: float) -> float:
        """See :class:`RateLimitPolicy`."""
        pause = super().acquire(now)
        if pause:
            return pause
        with self._lock:
            if self._stamp is not None:
                self._tokens = min(self.burst, self._tokens + (now - self._stamp) * self.rate)
            self._stamp = now
            # A hair under one token is float rounding of elapsed * rate, not a shortfall: a
            # wait of ~1e-17 s would never advance an exact (injected) clock, so it would spin.
            if self._tokens >= 1 - 1e-9:
                self._tokens = max(self._tokens - 1, 0.0)
                return 0.0
            return (1 - self._tokens) / self.rate

    def __repr__(self) -> str:
        return f"TokenBucket(rate={self.rate:g}, burst={self.burst:g})"
