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
from typing import Any

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


def test_the_cpu_target_is_a_series_of_back_to_back_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks import run

    sdk_cpu = iter([130.0, 125.0, 200.0, 120.0, 118.0, 122.0, 121.0, 119.0, 300.0])
    raw_cpu = iter([100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0, 100.0])
    order: list[str] = []

    def measure(spec: dict[str, Any]) -> dict[str, Any]:
        assert spec["levels"] == [100]  # only the level with the target
        order.append(spec["client"])
        cpu = next(sdk_cpu if spec["client"] == "sdk-aiohttp" else raw_cpu)
        return {"@100": {"cpu_us_per_call": cpu}}

    monkeypatch.setattr(run, "measure", measure)
    monkeypatch.setattr(run, "available", lambda client: True)
    series = run.cpu_target_pairs("http://127.0.0.1:1", quick=False, only=None)
    assert order[:4] == ["sdk-aiohttp", "raw-aiohttp", "raw-aiohttp", "sdk-aiohttp"]
    assert len(series["sdk-aiohttp"]["rounds"]) == 9
    assert series["sdk-aiohttp"]["ratio"] == pytest.approx(1.22)  # the median pair
    report: dict[str, Any] = {
        "cpu_target_pairs": series,
        "cpu_ratios": {"sdk-aiohttp": {"@100": 2.0}},  # the tables' figure: not the target's
        "ratios": {},
    }
    verdicts = {item["target"]: item for item in run.verdicts(report)}
    target = verdicts["client CPU per call sdk-aiohttp / raw-aiohttp @100, paired series <= 1.25"]
    assert (target["value"], target["verdict"]) == (1.22, "PASS")
