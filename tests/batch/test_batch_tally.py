"""The batch report keeps a bounded number of failures and counts the rest."""

from __future__ import annotations

from imburse import APIConnectionError, BatchItemResult, BatchReport
from imburse._core.models.batch import (
    MAX_KEPT_FAILURES,
    BatchTally,
    failure_result,
    success_result,
)
from imburse._core.models.receipts import CreateReceipt


def test_failures_beyond_the_cap_are_counted_not_kept() -> None:
    tally = BatchTally(started=0.0, keep_failures=2)
    for n in range(5):
        tally.start()
        tally.finish(failure_result(n, {"order_ref": f"F-{n}"}, APIConnectionError("refused")), 1.0)
    tally.start()
    tally.finish(success_result(5, CreateReceipt("OK-5", 201, "c", 1)), 2.0)
    report = tally.report(now=2.0)
    assert [r.ref for r in report.failures] == ["F-0", "F-1"]  # the first ones, in order
    assert report.failures_dropped == 3
    assert (report.failed, report.created, report.total) == (5, 1, 6)
    assert not report.ok


def test_the_default_cap_keeps_a_thousand() -> None:
    tally = BatchTally(started=0.0)
    failure: BatchItemResult = failure_result(0, {"order_ref": "F"}, APIConnectionError("x"))
    for _ in range(MAX_KEPT_FAILURES + 10):
        tally.start()
        tally.finish(failure, 1.0)
    report = tally.report(now=1.0)
    assert len(report.failures) == MAX_KEPT_FAILURES == 1_000
    assert report.failures_dropped == 10


def test_a_report_without_drops_says_zero() -> None:
    assert BatchReport(created=1).failures_dropped == 0
