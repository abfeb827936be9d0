"""One call, end to end: deadline, concurrency gate, rate limit, token, send, retry, sleep.

This is the only retry loop in the SDK. It returns the successful HTTP answer or raises the
mapped error; it records in a :class:`~imburse._core.call.CallTrace` whether any attempt had an
unknown outcome, which the safe-create rule in ``reconcile`` relies on.
"""

from __future__ import annotations

import inspect
import logging
import math
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from .._core.auth import AccessToken, Secret, new_nonce, parse_token
from .._core.build import PreparedRequest, build_token_request
from .._core.call import (
    CallTrace,
    HTTPResponse,
    ResponseTooLarge,
    TransportFailure,
    new_correlation_id,
)
from .._core.config import ClientConfig, Timeouts
from .._core.decode import decode_error, path_params_of
from .._core.errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    DeadlineExceededError,
    RateLimitError,
    ResponseDecodeError,
    ResponseTooLargeError,
)
from .._core.operations import TOKEN, Operation, Scope
from .._core.ratelimit import AsyncRateLimitPolicy, RateLimitPolicy, SharedCooldown
from .._core.retry import Outcome, RetryPolicy, Stop, parse_retry_after
from .._deadline import AsyncDeadline, AsyncTimers
from .._guards import AsyncCallerGuard
from .._locks import AsyncSemaphore, AsyncSleep
from .._otel import AsyncTransportSend, client_telemetry
from .._pluggable import AsyncRateLimiter
from .token import AsyncSharedTokenCache, AsyncTokenCache
from .transport import AsyncTransport

__all__ = ["AsyncPipeline"]

logger = logging.getLogger("imburse")
# How long after the deadline an attempt still running is cut off (see send).
_DEADLINE_GRACE = 0.02


def _repeatable(operation: Operation[Any]) -> bool:
    # A token exchange is always safe to repeat: each attempt is signed with a fresh
    # nonce, and a token issued for a lost answer is simply never used.
    return operation.repeatable or operation is TOKEN


class AsyncPipeline:
    """Runs calls for one client (and its ``with_options`` views)."""

    def __init__(
        self,
        config: ClientConfig,
        transport: AsyncTransport,
        *,
        retry_policy: RetryPolicy,
        rate_limit_policy: RateLimitPolicy | AsyncRateLimitPolicy,
        max_concurrency: int | None,
        clock: Callable[[], float],
        wall_clock: Callable[[], float],
        sleep: AsyncSleep,
        token_cache: AsyncSharedTokenCache | None = None,
    ) -> None:
        self.config = config
        self.transport = transport
        # OpenTelemetry spans (imburse[otel]): looked up once per client. Without it the plain
        # methods run and a call costs nothing more; with it they are wrapped in spans.
        self.telemetry = client_telemetry(config.base_url)
        self._transport_send: AsyncTransportSend = transport.send
        if self.telemetry is not None:
            self.send = self.telemetry.async_traced_call(self.send)  # type: ignore[method-assign]
            self._transport_send = self.telemetry.async_traced_attempt(transport.send)
        self.retry_policy = retry_policy
        self.rate_limit_policy = rate_limit_policy
        self.rate_limiter = AsyncRateLimiter(rate_limit_policy)
        policy: Any = rate_limit_policy
        self._sync_policy: RateLimitPolicy | None = (
            None
            if inspect.iscoroutinefunction(getattr(policy, "acquire", None))
            or inspect.iscoroutinefunction(getattr(policy, "observe", None))
            else policy
        )
        # Whether the sync policy's observe() is the default cool-down's, which only acts on
        # a 429 (TokenBucket inherits it): then other answers need not call it.
        # (Looked up on the instance: an observe() set on it is not skipped.)
        observe = getattr(self._sync_policy, "observe", None)
        self._cooldown_only = getattr(observe, "__func__", None) is SharedCooldown.observe
        # (timeouts, longest phase) in one tuple: threads of the sync client share it.
        self._longest: tuple[Timeouts | None, float] = (None, math.inf)
        self.clock = clock
        self.wall_clock = wall_clock
        self.sleep = sleep
        self.max_concurrency = max_concurrency
        self.gate = AsyncSemaphore(max_concurrency) if max_concurrency else None
        # The attempts' deadlines share one loop timer (a timer each costs ~10% of a call).
        self.timers = AsyncTimers()
        self.tokens = AsyncTokenCache(
            self._exchange,
            margin=config.token_refresh_margin,
            wall_clock=wall_clock,
            shared=token_cache,
            credentials=config.credentials,
            clock=clock,
        )
        # Refuses calls after close (and from a second event loop, where there is one) and
        # rebuilds what a fork() shares with the parent.
        self.guard = AsyncCallerGuard(self._after_fork)

    async def send(
        self,
        operation: Operation[Any],
        request: PreparedRequest,
        trace: CallTrace,
        *,
        timeouts: Timeouts,
        max_retries: int,
    ) -> HTTPResponse:
        """Send ``request`` until it succeeds or the retry policy stops; return the answer.

        The attempt is written out here rather than in a helper coroutine: this loop runs for
        every call, and each coroutine layer costs CPU on every await of the transport.
        """
        self.guard.check()
        # What every error of this call names (operation, path parameters).
        trace.operation, trace.request = operation, request
        clock = self.clock
        policy = self._sync_policy
        started = clock()
        failures = 0
        refreshed = False
        while True:
            # A sync policy (the default shared cool-down) is a timestamp comparison: call it
            # directly rather than through the awaiting wrapper.
            now = clock()
            wait = (
                policy.acquire(now) if policy is not None else await self.rate_limiter.acquire(now)
            )
            if wait > 0:
                await self._wait_for_permit(trace, wait)
            bearer: Secret[str] | None = None  # boxed: tracebacks with locals show '***'
            if operation.scope is not Scope.NONE:
                # A fresh cached token is the usual case: no lock, no coroutine.
                bearer = self.tokens.fresh() or await self.tokens.get(trace.deadline_at)
                attempt_request = request.with_authorization("Bearer " + bearer.reveal())
            elif operation is TOKEN and trace.attempts:
                # A retried exchange needs a fresh nonce: Imburse refuses one it has seen.
                attempt_request = self._signed_token_request(trace.correlation_id)
            else:
                attempt_request = request
            trace.attempts += 1

            # --- one attempt ---
            remaining = self._remaining(trace)
            gate = self.gate
            if gate is not None:
                if not await gate.acquire(remaining):
                    raise DeadlineExceededError(
                        "deadline passed waiting for a free slot (max_concurrency)",
                        correlation_id=trace.correlation_id,
                        **_context(trace),
                    )
                remaining = self._remaining_after_gate(trace, gate)
            response: HTTPResponse | None = None
            failure: TransportFailure | None = None
            too_large: ResponseTooLarge | None = None
            try:
                # A little after the per-phase timeouts (clipped to the same deadline): when
                # one of them fires, the transport knows whether the request was sent.
                with AsyncDeadline(remaining + _DEADLINE_GRACE, self.timers) as deadline:
                    response = await self._transport_send(
                        attempt_request, self._clip(timeouts, remaining)
                    )
                if deadline.expired:  # every phase was in time, their sum was not
                    response = None
                    raise TransportFailure("DeadlineExceeded", sent=True, timed_out=True)
            except TransportFailure as caught:
                failure = caught
            except ResponseTooLarge as caught:
                too_large = caught  # not retried: the same request brings the same answer
            finally:
                if gate is not None:
                    gate.release()
            if too_large is not None:
                raise ResponseTooLargeError(
                    f"{operation.name}: the HTTP {too_large.status} answer is larger than "
                    f"max_response_bytes ({too_large.limit} bytes); it was not read",
                    status_code=too_large.status,
                    limit=too_large.limit,
                    correlation_id=trace.correlation_id,
                )
            retry_after = None
            if response is not None:
                status = response.status
                if status == 429 or status == 503:
                    retry_after = parse_retry_after(
                        response.headers, now=self.wall_clock(), cap=self.config.max_retry_after
                    )
                if policy is None:
                    await self.rate_limiter.observe(clock(), status, retry_after)
                elif status == 429 or not self._cooldown_only:
                    # The default cool-down only acts on a 429: other answers skip the call.
                    policy.observe(clock(), status, retry_after)
                if status < 300:
                    if logger.isEnabledFor(logging.DEBUG):
                        self._log(trace, status, max_retries, None, started)
                    return response
                if status == 401 and bearer and not refreshed:
                    # The token may have been revoked or expired early: re-exchange once.
                    await self.tokens.invalidate(bearer)
                    refreshed = True
                    self._log(trace, 401, max_retries, 0.0, started)
                    continue
                outcome = Outcome(
                    operation.method,
                    status=status,
                    retry_after=retry_after,
                    repeatable=_repeatable(operation),
                )
            else:
                assert failure is not None
                outcome = Outcome(
                    operation.method,
                    error=failure.kind,
                    sent=failure.sent,
                    timed_out=failure.timed_out,
                    repeatable=_repeatable(operation),
                )

            # --- it failed: again, or give up? ---
            if outcome.maybe_applied:
                trace.unknown = True
            failures += 1
            remaining = trace.deadline_at - clock()
            decision = self.retry_policy.decide(
                outcome,
                attempt=failures,
                elapsed=clock() - started,
                remaining=remaining,
                max_retries=max_retries,
            )
            if isinstance(decision, Stop):
                self._log(trace, outcome.status, max_retries, None, started, failure)
                error = self._error(operation, outcome, response, failure, trace, decision)
                # The OS error (refused, reset...) as __cause__. The transport attaches it
                # without its frames, which hold the request's headers.
                raise error from (failure.cause if failure is not None else None)
            self._log(trace, outcome.status, max_retries, decision.delay, started, failure)
            if self.telemetry is not None:
                self.telemetry.retrying(trace, decision.delay, outcome.status, failure)
            await self.sleep(decision.delay)

    def _remaining_after_gate(self, trace: CallTrace, gate: AsyncSemaphore) -> float:
        try:
            return self._remaining(trace)
        except DeadlineExceededError:
            gate.release()
            raise

    def _clip(self, timeouts: Timeouts, remaining: float) -> Timeouts:
        """``timeouts.clipped(remaining)``, without a new object when nothing is clipped."""
        cached_for, longest = self._longest
        if timeouts is not cached_for:
            values = (timeouts.connect, timeouts.read, timeouts.write, timeouts.pool)
            known = [value for value in values if value is not None]
            longest = max(known) if len(known) == len(values) else math.inf
            self._longest = (timeouts, longest)
        if remaining >= longest:
            return timeouts
        return timeouts.clipped(remaining)

    def _remaining(self, trace: CallTrace) -> float:
        remaining = trace.deadline_at - self.clock()
        if remaining <= 0:
            raise DeadlineExceededError(
                "the call's deadline passed", correlation_id=trace.correlation_id, **_context(trace)
            )
        return remaining

    async def _wait_for_permit(self, trace: CallTrace, wait: float) -> None:
        """The policy asked to wait ``wait`` seconds: sleep (within the deadline) and ask
        again until it grants a permit."""
        limiter = self.rate_limiter
        policy = self._sync_policy
        while wait > 0:
            remaining = self._remaining(trace)
            if wait > remaining:
                raise RateLimitError(
                    f"rate limited, gave up at once: the next permit is {wait:.3g} s away, "
                    f"past the {remaining:.3g} s left before the deadline",
                    status_code=429,
                    correlation_id=trace.correlation_id,
                    retry_after=wait,
                    **_context(trace),
                )
            if self.telemetry is not None:
                self.telemetry.waiting(wait)
            await self.sleep(wait)
            now = self.clock()
            wait = policy.acquire(now) if policy is not None else await limiter.acquire(now)

    def _error(
        self,
        operation: Operation[Any],
        outcome: Outcome,
        response: HTTPResponse | None,
        failure: TransportFailure | None,
        trace: CallTrace,
        decision: Stop,
    ) -> APIError:
        cid = trace.correlation_id
        context = _context(trace)
        if response is not None:
            error = decode_error(
                response.status,
                response.headers,
                response.body,
                correlation_id=cid,
                now=self.wall_clock(),
                addressed=operation.addresses_object,
                max_retry_after=self.config.max_retry_after,
                **context,
            )
            if operation is TOKEN and response.status == 401:
                public_key = self.config.credentials.public_key
                error.message = (
                    f"the token exchange was refused ({error.message}): check that public key "
                    f"{public_key[:8]}... and its private key are a pair of this account and "
                    "environment"
                )
            elif decision.rate_limited:
                left = max(trace.deadline_at - self.clock(), 0.0)
                wait = outcome.retry_after
                error.message += (
                    f"; gave up at once: Retry-After {wait:.3g} s exceeds the {left:.3g} s "
                    "left before the deadline"
                    if wait is not None and wait > left
                    else f"; {decision.reason}"
                )
            return error
        kind = failure.kind if failure else "transport failure"
        # The transport names the host it tried; the request's own host stands in where the
        # failure came without one (a caller's transport object).
        host = failure.host if failure is not None and failure.host else None
        if host is None and trace.request is not None:
            host = urlsplit(trace.request.url).netloc
        cause = failure.cause if failure is not None else None
        what = f"{kind}: {cause}" if cause is not None and str(cause) else kind
        if outcome.timed_out:
            if self.clock() >= trace.deadline_at - 1e-3:
                return DeadlineExceededError(
                    f"deadline exceeded waiting for {host} ({what})",
                    correlation_id=cid,
                    host=host,
                    **context,
                )
            return APITimeoutError(
                f"timed out waiting for {host} ({what}); {decision.reason}",
                correlation_id=cid,
                host=host,
                **context,
            )
        return APIConnectionError(
            f"could not reach {host} ({what}); {decision.reason}",
            correlation_id=cid,
            host=host,
            **context,
        )

    def _after_fork(self) -> bool:
        """In a forked child, before its first call: locks that a thread of the parent may
        have held at the fork are replaced, and so is the pool when the transport can make
        a new one (its connections are the parent's sockets). True when the pool was."""
        self.tokens.after_fork()
        if self.max_concurrency:
            self.gate = AsyncSemaphore(self.max_concurrency)
        rebuild = getattr(self.transport, "after_fork", None)
        return bool(rebuild()) if rebuild is not None else False

    def _signed_token_request(self, correlation_id: str) -> PreparedRequest:
        return build_token_request(
            self.config,
            nonce=new_nonce(),
            timestamp=int(self.wall_clock()),
            correlation_id=correlation_id,
        )

    async def _exchange(self, deadline_at: float) -> AccessToken:
        trace = CallTrace(new_correlation_id(), deadline_at=deadline_at)
        # The answer holds the access token: boxed, never in a plain local variable (a
        # broken answer raises with this frame, and error trackers print its locals).
        answer = Secret(
            (
                await self.send(
                    TOKEN,
                    self._signed_token_request(trace.correlation_id),
                    trace,
                    timeouts=self.config.timeouts,
                    max_retries=self.config.max_retries,
                )
            ).body
        )
        try:
            token = parse_token(answer)
        except ResponseDecodeError as err:
            err.correlation_id, err.operation = trace.correlation_id, TOKEN.name
            raise
        logger.debug(
            "token exchanged (expires_at=%s, correlation_id=%s)",
            token.expires_at.isoformat(),
            trace.correlation_id,
        )
        return token

    def _log(
        self,
        trace: CallTrace,
        status: int | None,
        max_retries: int,
        sleep: float | None,
        started: float,
        failure: TransportFailure | None = None,
    ) -> None:
        if not logger.isEnabledFor(logging.DEBUG):
            return
        operation, request = trace.operation, trace.request
        if failure is not None:
            cause = failure.cause
            answer = f"failed: {failure.kind}" + (f" ({cause})" if cause is not None else "")
        else:
            answer = str(status) if status is not None else "no response"
        logger.debug(
            "%s: %s %s -> %s (attempt %d/%d, %.1f ms into the call, correlation_id=%s%s)",
            operation.name if operation is not None else "?",
            operation.method if operation is not None else "?",
            request.path if request is not None else "?",
            answer,
            trace.attempts,
            max_retries + 1,
            (self.clock() - started) * 1000,
            trace.correlation_id,
            f", retry in {sleep:.3f} s" if sleep is not None else "",
        )


def _context(trace: CallTrace) -> dict[str, Any]:
    """The operation's name and the path parameters, for an error of this call."""
    operation, request = trace.operation, trace.request
    if operation is None:
        return {}
    return {
        "operation": operation.name,
        "path_params": path_params_of(operation.path, request.url) if request is not None else {},
    }
