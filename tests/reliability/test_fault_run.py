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
