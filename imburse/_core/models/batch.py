"""What a batch job reports: one outcome per item, running counts, and the final report.

Pure values and a pure tally (time is passed in), shared by the async and the sync batch
runner so both return the very same types. Successful items are handed to callbacks and then
forgotten; only the non-successful ones are kept, so a report stays small for any input size
that mostly succeeds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeAlias

import attrs

from ..errors import ConflictError, ImburseError, OutcomeUnknownError, ValidationError
from .orders import OrderInput
from .receipts import CreateReceipt

__all__ = [
    "OUTCOMES",
    "BatchItemResult",
    "BatchOutcome",
    "BatchProgress",
    "BatchReport",
    "BatchTally",
    "OrderItem",
    "failure_result",
    "order_input",
    "success_result",
]

BatchOutcome: TypeAlias = Literal[
    "created", "already_existed", "conflict", "failed", "unknown", "invalid"
]
#: Every outcome, in report order.
OUTCOMES: tuple[BatchOutcome, ...] = (
    "created",
    "already_existed",
    "conflict",
    "failed",
    "unknown",
    "invalid",
)
_SUCCESSFUL = frozenset({"created", "already_existed"})
#: How many non-successful items a :class:`BatchReport` keeps (the rest are only counted).
MAX_KEPT_FAILURES = 1_000

#: What ``create_many`` accepts per item: an ``OrderInput`` or a mapping of its snake_case
#: arguments (``order_ref``, ``instructions``, ``metadata``, ``customer_defaults``).
OrderItem: TypeAlias = OrderInput | Mapping[str, Any]


@attrs.frozen
class BatchItemResult:
    """The outcome of one input item.

    ``index`` is the item's 0-based position in the input. ``outcome`` is one of
    ``created`` (Imburse answered 201/202), ``already_existed`` (Imburse said the ref
    exists, and reading it back found exactly what was sent), ``conflict`` (the ref exists
    with different content; it was left as it is), ``failed`` (refused, or never sent: not
    created by this item), ``unknown`` (may or may not have been created: read it back, or
    re-run) and ``invalid`` (failed client-side validation; nothing was sent).

    ``already_existed`` also covers an order that this very create made in an attempt whose
    answer was lost (the retry is then told the ref exists; ``receipt.attempts > 1``):
    Imburse answers both cases alike, so the SDK cannot tell them apart. Either way the
    order exists once, exactly as sent.

    >>> BatchItemResult(0, "ORD-1", "created", None, "c-1").ok
    True
    """

    index: int
    ref: str | None
    outcome: BatchOutcome
    error: Exception | None
    correlation_id: str | None
    receipt: CreateReceipt | None = attrs.field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        """True for ``created`` and ``already_existed``."""
        return self.outcome in _SUCCESSFUL


@attrs.frozen
class BatchProgress:
    """A snapshot of a running batch, given to ``on_progress`` after each finished item.

    >>> BatchProgress(done=50, in_flight=10, elapsed=2.0, created=50).rate
    25.0
    """

    done: int
    in_flight: int
    elapsed: float
    created: int = 0
    already_existed: int = 0
    conflict: int = 0
    failed: int = 0
    unknown: int = 0
    invalid: int = 0

    @property
    def rate(self) -> float:
        """Finished items per second so far."""
        return self.done / self.elapsed if self.elapsed > 0 else 0.0


@attrs.frozen
class BatchReport:
    """What ``create_many`` returns: counts per outcome and the non-successful items.

    ``failures`` holds the items whose outcome is not ``created`` or ``already_existed``,
    in the order they finished (their errors without tracebacks, to keep them small): the
    first :data:`MAX_KEPT_FAILURES` of them, so that a million failing items (a revoked key)
    cannot exhaust memory; ``failures_dropped`` counts the rest. ``on_result`` sees every
    item either way.

    >>> report = BatchReport(created=3, already_existed=1, elapsed=2.0)
    >>> report.total, report.ok, report.rate
    (4, True, 2.0)
    """

    created: int = 0
    already_existed: int = 0
    conflict: int = 0
    failed: int = 0
    unknown: int = 0
    invalid: int = 0
    failures: tuple[BatchItemResult, ...] = ()
    elapsed: float = 0.0
    failures_dropped: int = 0

    @property
    def total(self) -> int:
        """How many items were processed."""
        return sum(self.counts().values())

    @property
    def ok(self) -> bool:
        """True when every item was created or already existed."""
        return self.total == self.created + self.already_existed

    @property
    def rate(self) -> float:
        """Processed items per second."""
        return self.total / self.elapsed if self.elapsed > 0 else 0.0

    def counts(self) -> dict[BatchOutcome, int]:
        """Items per outcome, every outcome present.

        >>> BatchReport(created=2).counts()["created"]
        2
        """
        return {outcome: getattr(self, outcome) for outcome in OUTCOMES}


class BatchTally:
    """Running counts of one batch; not thread-safe (the runner holds a lock around it)."""

    def __init__(self, started: float, *, keep_failures: int = MAX_KEPT_FAILURES) -> None:
        self.started = started
        self.counts: dict[BatchOutcome, int] = dict.fromkeys(OUTCOMES, 0)
        self.failures: list[BatchItemResult] = []
        self.failures_dropped = 0
        self.keep_failures = keep_failures
        self.in_flight = 0

    def start(self) -> None:
        """An item was handed to a worker."""
        self.in_flight += 1

    def finish(self, result: BatchItemResult, now: float, *, started: bool = True) -> BatchProgress:
        """Count ``result`` (``started=False`` for items that never reached a worker).

        >>> tally = BatchTally(started=0.0)
        >>> tally.start()
        >>> tally.finish(BatchItemResult(0, "A", "created", None, "c"), now=0.5).created
        1
        """
        if started:
            self.in_flight -= 1
        self.counts[result.outcome] += 1
        if not result.ok:
            if len(self.failures) < self.keep_failures:
                self.failures.append(result)
            else:
                self.failures_dropped += 1
        return self.progress(now)

    def progress(self, now: float) -> BatchProgress:
        """The current snapshot."""
        return BatchProgress(
            done=sum(self.counts.values()),
            in_flight=self.in_flight,
            elapsed=now - self.started,
            **self.counts,
        )

    def report(self, now: float) -> BatchReport:
        """The final report."""
        return BatchReport(
            **self.counts,
            failures=tuple(self.failures),
            elapsed=now - self.started,
            failures_dropped=self.failures_dropped,
        )


def order_input(item: Any) -> OrderInput:
    """An ``OrderInput`` from an item of ``create_many``, or :class:`ValidationError`.

    >>> order_input({"order_ref": "ORD-1"}).order_ref
    'ORD-1'
    >>> order_input({"orderRef": "ORD-1"})
    Traceback (most recent call last):
    imburse.ValidationError: order: got an unexpected keyword argument 'orderRef'
    """
    if isinstance(item, OrderInput):
        return item
    if not isinstance(item, Mapping):
        raise ValidationError("order", f"must be an OrderInput or a mapping, not {item!r}"[:200])
    try:
        return OrderInput(**item)
    except TypeError as err:  # unknown or missing keys
        raise ValidationError("order", str(err).replace("OrderInput.__init__() ", "")) from None


def _ref_of(item: Any) -> str | None:
    if isinstance(item, OrderInput):
        return item.order_ref
    ref = item.get("order_ref") if isinstance(item, Mapping) else None
    return ref if isinstance(ref, str) else None


def _without_tracebacks(error: BaseException) -> None:
    # A kept traceback pins every frame's locals (requests, responses) in memory.
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        current.__traceback__ = None
        current = current.__cause__ or current.__context__


def success_result(index: int, receipt: CreateReceipt) -> BatchItemResult:
    """The result of a create that returned ``receipt`` (asked with ``existing_ok=True``)."""
    outcome: BatchOutcome = "already_existed" if receipt.reconciled else "created"
    return BatchItemResult(index, receipt.ref, outcome, None, receipt.correlation_id, receipt)


def failure_result(index: int, item: Any, error: Exception) -> BatchItemResult:
    """The result of an item whose validation or create raised ``error``.

    Anything that is not an :class:`~imburse.ImburseError` is counted as ``unknown``: the
    SDK cannot tell whether the request reached Imburse.

    >>> from imburse._core.errors import APIConnectionError
    >>> failure_result(3, {"order_ref": "A"}, APIConnectionError("refused")).outcome
    'failed'
    """
    outcome: BatchOutcome
    if isinstance(error, ValidationError):
        outcome = "invalid"
    elif isinstance(error, ConflictError):
        outcome = "conflict"
    elif isinstance(error, OutcomeUnknownError) or not isinstance(error, ImburseError):
        outcome = "unknown"
    else:
        outcome = "failed"
    _without_tracebacks(error)
    correlation_id = getattr(error, "correlation_id", None)
    return BatchItemResult(
        index,
        _ref_of(item),
        outcome,
        error,
        correlation_id if isinstance(correlation_id, str) else None,
    )
