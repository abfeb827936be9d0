"""The batch command as a separate process: killed mid-run and re-run, or stopped by a signal.

The fake is served over real HTTP on 127.0.0.1 with latency on every create, so the command is
surely mid-run when the signal arrives. While it runs, its results are in a temporary file
beside ``--out`` (``.results.jsonl.*.partial``), which replaces ``--out`` when it ends.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from .batch_helpers import (
    Served,
    partial_files,
    read_results,
    results_so_far,
    wire_order,
    write_lines,
)

ORDERS_PATH = "/v1/order-management"


def start(served: Served, source: Path, out: Path, *extra: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "imburse", "batch", "create-orders", str(source)]
    return subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [*command, "--out", str(out), *extra],
        env=served.environ(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_results(process: subprocess.Popen[str], out: Path, count: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()
        if len(results_so_far(out)) >= count:
            return
        time.sleep(0.01)
    pytest.fail(f"fewer than {count} results after 30 s")


def applied_creates(served: Served) -> Counter[str]:
    """How many creates Imburse answered with 201/202, per orderRef."""
    return Counter(
        request.json()["orderRef"]
        for request in served.fake.requests
        if request.method == "POST" and request.path == ORDERS_PATH and request.status in (201, 202)
    )


def test_a_run_killed_mid_way_is_finished_by_running_it_again(
    served: Served, tmp_path: Path
) -> None:
    total = 400
    refs = [f"K-{n:04d}" for n in range(total)]
    source = write_lines(tmp_path / "orders.jsonl", [wire_order(ref) for ref in refs])
    out = tmp_path / "results.jsonl"
    served.fake.inject("latency", delay=0.02, times=None, method="POST")

    first = start(served, source, out, "--concurrency", "8")
    wait_for_results(first, out, 60)
    first.send_signal(signal.SIGKILL)
    first.communicate(timeout=10)
    assert first.returncode == -signal.SIGKILL
    time.sleep(0.3)  # creates the server had already read finish applying
    survivors = set(served.fake.orders)
    assert 60 <= len(survivors) < total  # killed mid-run
    # --out was never half-written; every line the killed run wrote (to its temporary
    # file) is whole, and says the truth.
    assert not out.exists()
    written = results_so_far(out)
    assert written
    assert {r["orderRef"] for r in written if r["outcome"] == "created"} <= survivors
    (killed_partial,) = partial_files(out)

    second = start(served, source, out, "--concurrency", "8")
    stdout, stderr = second.communicate(timeout=60)
    assert second.returncode == 0, stdout + stderr

    results = read_results(out)
    assert partial_files(out) == [killed_partial]  # the second run's own was renamed
    assert sorted(r["line"] for r in results) == list(range(1, total + 1))
    for result in results:
        expected = "already_existed" if result["orderRef"] in survivors else "created"
        assert result["outcome"] == expected, result
    assert set(served.fake.orders) == set(refs)
    assert applied_creates(served) == Counter(refs)  # each order created exactly once
    summary = dict(line.split() for line in stdout.splitlines() if line.startswith("  "))
    assert summary["already_existed"] == f"{len(survivors):,}"
    assert summary["created"] == f"{total - len(survivors):,}"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_stops_taking_lines_and_waits_for_the_calls_in_flight(
    served: Served, tmp_path: Path, signum: signal.Signals
) -> None:
    total = 300
    source = write_lines(tmp_path / "orders.jsonl", [wire_order(f"S-{n}") for n in range(total)])
    out = tmp_path / "results.jsonl"
    served.fake.inject("latency", delay=0.1, times=None, method="POST")

    process = start(served, source, out, "--concurrency", "10", "--progress-interval", "0.05")
    wait_for_results(process, out, 25)
    process.send_signal(signum)
    stdout, stderr = process.communicate(timeout=30)

    assert process.returncode == 1, stdout + stderr
    assert "stopping: no new lines" in stderr
    assert "progress: " in stderr  # plain lines: stderr is not a terminal
    assert "interrupted before line" in stdout
    results = read_results(out)
    assert not partial_files(out)
    assert 25 <= len(results) < total
    # Every order Imburse stored has its result line: nothing in flight was abandoned.
    created = {r["orderRef"] for r in results if r["outcome"] == "created"}
    assert created == set(served.fake.orders)
    assert {r["outcome"] for r in results} == {"created"}
