"""``python -m benchmarks --quick`` runs end to end and writes its table and JSON.

A smoke test only: two clients, short runs, and no assertion on any timing (this machine is
shared and noisy; the numbers belong in benchmarks/results/, not in a pass/fail). It checks the
shape: client CPU per call and its ratio per level, the pinning, OpenTelemetry kept out of the
measured processes, and every target printed with a verdict.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent


def test_quick_benchmark_writes_table_and_json(tmp_path: Path) -> None:
    pytest.importorskip("granian")
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [
            sys.executable,
            "-m",
            "benchmarks",
            "--quick",
            "--only",
            "sdk-httpx,raw-httpx",
            "--out",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,  # a loaded CI machine: the run takes 30-90 s
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads((tmp_path / "latest.json").read_text())
    setup = report["setup"]
    for level in ("@1", "@10", "@100"):
        for client in ("sdk-httpx", "raw-httpx"):
            result = report["get_order"][level][client]
            assert result["calls"] > 0
            assert {"rps", "p50_ms", "p99_ms", "cpu_us_per_call", "cpu_us_median"} <= set(result)
            assert result["cpu_us_median"] > 0
            # Measured without OpenTelemetry, on the client's CPU only.
            assert result["process"]["otel"] == "absent"
            assert not result["process"]["otel_loaded"]
            if setup["client_cpu"] is not None:
                assert result["process"]["cpus"] == [setup["client_cpu"]]
    if hasattr(os, "sched_getaffinity") and len(os.sched_getaffinity(0)) >= 2:
        assert setup["client_cpu"] != setup["server_cpu"]
    assert set(report["ratios"]["sdk-httpx"]) == {"@1", "@10", "@100"}
    assert set(report["cpu_ratios"]["sdk-httpx"]) == {"@1", "@10", "@100"}
    verdicts = {item["target"]: item["verdict"] for item in report["targets"]}
    assert set(verdicts.values()) <= {"PASS", "MISS"}
    assert "throughput sdk-httpx / raw-httpx @100 >= 0.9" in verdicts
    assert any(target.startswith("import + ready client") for target in verdicts)
    batch = report["batch"]["sdk-httpx"]
    assert batch["server_creates"] == batch["orders"]
    assert batch["server_token_exchanges"] == 1
    assert report["import_time"]["sdk_ms"] > 0
    assert report["import_time"]["ready_ratio_cpu"] > 0
    assert report["decode"]["sdk_us"] > 0
    assert report["memory"]["sdk-httpx"]["calls"] > 0
    table = (tmp_path / "latest.md").read_text()
    assert "| client CPU per call (µs), SDK / raw = median of the rounds' ratios |" in table
    assert "| sdk-httpx / raw-httpx |" in table
    assert "| sdk-httpx / raw-httpx |" in done.stdout
    assert "| target (issue 17) | measured | verdict |" in done.stdout


def test_cpu_ratio_is_the_median_of_each_rounds_pair() -> None:
    """A round where the machine was slow for both sides moves neither the ratio nor, unlike
    a ratio of the two medians, lets two different rounds be compared."""
    from benchmarks.run import paired_cpu_ratios

    gets = {
        "@100": {
            "sdk-aiohttp": {"rounds_cpu_us": [120.0, 240.0, 130.0]},
            "raw-aiohttp": {"rounds_cpu_us": [100.0, 200.0, 130.0]},
        }
    }
    assert paired_cpu_ratios(gets) == {"sdk-aiohttp": {"@100": 1.2}}
