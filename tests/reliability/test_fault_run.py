"""The fault-injection run (see ``faultrun.py``): nothing lost, nothing duplicated, on time.

CI size: about 4,000 creates (orders, then an instruction on each) with 32 calls in flight
on asyncio and on trio, and 16 threads on the sync client, against the fake Imburse in its
own process with about a third of all requests damaged. ``nox -s chaos`` (or
``IMBURSE_CHAOS=1``) runs the larger version.
"""

from __future__ import annotations

import os

import pytest

from . import faultrun

CHAOS = os.environ.get("IMBURSE_CHAOS") == "1"
# Every kind of damage the run must have dealt at least once to count as a fault run.
REQUIRED_FAULTS = (
    "status_429",
    "status_500",
    "status_500_applied",
    "status_502",
    "status_503",
    "status_503_applied",
    "status_504",
    "drop_before",
    "drop_after",
    "stall",
    "truncate",
)


def _size() -> dict[str, int]:
    if CHAOS:
        return {"async_orders": 5_000, "sync_orders": 3_000, "in_flight": 64, "threads": 32}
    return {"async_orders": 700, "sync_orders": 800, "in_flight": 32, "threads": 16}


@pytest.mark.slow
def test_fault_run_loses_and_duplicates_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    seed = int(os.environ.get("IMBURSE_CHAOS_SEED", "20240808"))
    reports = faultrun.run(seed=seed, backends=("asyncio", "trio"), **_size())
    with capsys.disabled():
        print(f"\nfault run, seed {seed}")
        for report in reports:
            print("\n".join(report.lines()))
    for report in reports:
        assert report.problems == [], report.problems[:20]
        assert (report.duplicates, report.lost, report.undocumented) == (0, 0, 0)
        assert report.overruns == 0
        # It was a fault run: every kind of damage was dealt, and the SDK worked through it.
        assert [k for k in REQUIRED_FAULTS if not report.faults.get(k)] == []
        assert report.retries > 0
        assert report.reconciled > 0
        assert report.succeeded > 0.9 * report.calls


def _late_call(started: float) -> faultrun.Call:
    """An order create that failed 1.5 s past its 0.8 s deadline."""
    call = faultrun.Call("order", "A0-000001", 0.8, started=started, elapsed=2.3)
    call.error = faultrun.OutcomeUnknownError("lost", ref="A0-000001")
    return call


def _probe(stalls: list[tuple[float, float]], worst: float) -> faultrun.LagProbe:
    probe = faultrun.LagProbe()
    probe.stalls, probe.worst = stalls, worst
    return probe


def _overruns(call: faultrun.Call, probe: faultrun.LagProbe) -> list[str]:
    ledger = faultrun.Ledger({}, frozenset(), [], {})
    report = faultrun.audit(
        "unit", ledger, [call], prefix="A0", seconds=3.0, faults={}, excuse=probe.excuse
    )
    return [p for p in report.problems if "took" in p]


def test_an_overrun_is_excused_only_by_stalls_during_the_call() -> None:
    """A call past its deadline fails the audit unless the process stood still meanwhile.

    Two stalls of 0.7 s inside the call excuse its 1.5 s overrun (the single worst, 0.7 s,
    did not: the CI failure of 2026-12-03); the same stalls before the call excuse nothing.
    """
    stalls = [(100.9, 0.7), (101.8, 0.7)]
    assert _overruns(_late_call(100.0), _probe(stalls, worst=0.7)) == []
    late = _overruns(_late_call(200.0), _probe(stalls, worst=0.7))
    assert late == ["A0-000001: took 2.300s, deadline 0.8, 50 ms of scheduling delay meanwhile"]
    assert _overruns(_late_call(100.0), _probe([], worst=0.01)) != []
