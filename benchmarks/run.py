"""Run every benchmark in one go: ``python -m benchmarks [--quick]`` (or ``nox -s bench``).

Starts the canned-answer server (granian, RSGI, one worker) in its own process pinned to one
CPU, measures each client in a fresh interpreter (``benchmarks.worker``) pinned to another,
prints the tables and writes everything to ``benchmarks/results/`` (``latest.json``,
``latest.md`` and timestamped copies).

The headline is the client's CPU time per call, SDK / raw client of the same stack: on two
cores one granian worker saturates before an aiohttp client does, so a throughput ratio there
measures the server, while the client process's own CPU time per call does not depend on who
else is busy (a loaded machine slows both sides' wall clock, not their instruction count).
Throughput ratios are printed next to it, with the issue's targets marked PASS or MISS.

Pairs are measured interleaved (raw, SDK, raw, SDK, ...) over rounds; the median round is kept,
so a noisy neighbour on this 2-core machine hits both sides alike. OpenTelemetry is made
unimportable in the measured processes unless ``--otel installed`` (the targets hold for an
install without ``imburse[otel]``).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import platform
import resource
import socket
import statistics
import subprocess
import sys
import time
import timeit
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.clients import ASYNC_CLIENTS, PEERS, SYNC_CLIENTS

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results"
LEVELS = ("@1", "@10", "@100")
# Throughput, SDK / raw at every level (issue 17); the other pairs are shown without a target.
THROUGHPUT_TARGETS = {"sdk-httpx": 0.9, "sdk-httpx2": 0.9}
# Client CPU per call, SDK / raw at 100 in flight (issue 17); the others are shown.
CPU_TARGETS = {"sdk-aiohttp": 1.25}
IMPORT_READY_TARGET = 1.5
DECODE_TARGET = 1.0


def cpu_plan(pin: bool) -> tuple[int | None, int | None]:
    """``(client_cpu, server_cpu)``: two different CPUs this process may run on, or Nones."""
    if not pin or not hasattr(os, "sched_getaffinity"):
        return None, None
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2:
        return None, None
    return cpus[0], cpus[1]


@contextlib.contextmanager
def bench_server(cpu: int | None = None) -> Iterator[str]:
    """The granian server on a free loopback port, pinned to ``cpu`` (its workers and threads
    inherit the affinity); yields its base URL."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "rsgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--no-ws",
        "--workers",
        "1",
        "--log-level",
        "warning",
        "benchmarks.server:app",
    ]

    def pin() -> None:  # runs in the child before exec, so every granian thread inherits it
        if cpu is not None:
            os.sched_setaffinity(0, {cpu})

    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, preexec_fn=pin)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with _open(url + "/_stats"):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the benchmark server did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _open(url: str, method: str = "GET") -> Any:
    """GET or POST on the benchmark server (always http://127.0.0.1)."""
    if not url.startswith("http://127.0.0.1:"):
        raise ValueError(url)
    request = urllib.request.Request(url, method=method)  # noqa: S310 - checked above
    return urllib.request.urlopen(request, timeout=5)  # noqa: S310 - checked above


def server_stats(url: str, reset: bool = False) -> dict[str, int]:
    if reset:
        with _open(url + "/_reset", "POST"):
            return {}
    with _open(url + "/_stats") as answer:
        stats: dict[str, int] = json.loads(answer.read())
        return stats


# Where the measured client processes run and whether they may import OpenTelemetry: set once
# by main() from the command line.
SETTINGS: dict[str, Any] = {"cpu": None, "otel": "absent"}


def measure(spec: dict[str, Any]) -> dict[str, Any]:
    """One measurement in a fresh interpreter (pinned to the client CPU)."""
    return run_worker({**spec, **SETTINGS})


def run_worker(spec: dict[str, Any], tree: Path = ROOT) -> dict[str, Any]:
    """``python -m benchmarks.worker spec`` in ``tree`` (a checkout); its JSON result."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.worker", json.dumps(spec)],
        cwd=tree,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        raise SystemExit(f"benchmark {spec} in {tree} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def available(client: str) -> bool:
    stack = client.rsplit("-", 1)[-1]
    module = {"requests": "requests"}.get(stack, stack)
    try:
        __import__(module)
    except ImportError:
        return False
    return True


def median_result(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median throughput (its latencies belong with it), plus the median of
    the rounds' CPU per call (the headline: each round's CPU is taken on its own)."""
    ordered = sorted(runs, key=lambda r: r["rps"])
    chosen = dict(ordered[len(ordered) // 2])
    chosen["rounds_rps"] = [round(r["rps"], 1) for r in runs]
    chosen["rounds_cpu_us"] = [round(r["cpu_us_per_call"], 1) for r in runs]
    chosen["cpu_us_median"] = statistics.median(r["cpu_us_per_call"] for r in runs)
    return chosen


def get_spec(client: str, url: str, levels: list[int], quick: bool) -> dict[str, Any]:
    """What a worker needs to time ``client``'s GETs at each of ``levels`` in flight."""
    duration, warmup = (0.3, 0.1) if quick else (2.0, 0.5)
    return {
        "kind": "get",
        "client": client,
        "url": url,
        "levels": levels,
        "duration": duration,
        "warmup": warmup,
    }


def get_scenarios(url: str, quick: bool, only: set[str] | None) -> dict[str, dict[str, Any]]:
    """``{"@1": {client: result}, ...}`` for async and sync clients.

    Each round runs every client once (all its levels in one fresh process), an SDK client
    next to its raw peer, in the opposite order every other round (so a drift of the machine
    does not favour one side); the median round per client and level is kept, with every
    round's CPU per call in round order (``rounds_cpu_us``) for :func:`paired_cpu_ratios`.
    The async clients get five rounds: their CPU ratio at 100 in flight is a target.
    """
    out: dict[str, dict[str, Any]] = {}
    plans = [(ASYNC_CLIENTS, [1, 10, 100], 5), (SYNC_CLIENTS, [1, 10, 100], 3)]
    for clients, levels, rounds in plans:
        rounds = 1 if quick else rounds
        present = [c for c in clients if available(c) and (only is None or c in only)]
        runs: dict[str, list[dict[str, Any]]] = {c: [] for c in present}
        for round_number in range(rounds):
            for client in present if round_number % 2 == 0 else present[::-1]:
                runs[client].append(measure(get_spec(client, url, levels, quick)))
        for client, results in runs.items():
            for inflight in levels:
                level = f"@{inflight}"
                chosen = median_result([r[level] for r in results])
                chosen["process"] = results[0]["process"]  # its CPUs, OpenTelemetry or not
                out.setdefault(level, {})[client] = chosen
                print(
                    f"  get {client:15} {level:<4} {chosen['rps']:9.0f} req/s "
                    f"{chosen['cpu_us_median']:7.0f} µs CPU/call",
                    flush=True,
                )
    return out


def cpu_target_pairs(url: str, quick: bool, only: set[str] | None) -> dict[str, Any]:
    """The client-CPU targets measured on their own: ``{sdk: {"rounds": [[sdk, raw], ...],
    "ratio": median of the rounds' SDK / raw}}``.

    In the tables each client runs all its levels in one process, so the two sides of a pair
    at 100 in flight are measured ~10 s apart, and the rounds' ratios spread wide on this
    machine (1.0-2.1 for the same code in one run). Here each round runs only that level,
    the SDK and its raw peer back to back (a fresh process each, in the opposite order every
    other round), nine rounds: a drift of the machine meets both sides of a pair alike.
    """
    rounds = 1 if quick else 9
    out: dict[str, Any] = {}
    for sdk in CPU_TARGETS:
        raw = PEERS[sdk]
        if not (available(sdk) and available(raw)):
            continue
        if only is not None and not {sdk, raw} <= only:
            continue
        pairs: list[list[float]] = []
        for round_number in range(rounds):
            cpu: dict[str, float] = {}
            for client in (sdk, raw) if round_number % 2 == 0 else (raw, sdk):
                result = measure(get_spec(client, url, [100], quick))
                cpu[client] = result["@100"]["cpu_us_per_call"]
            pairs.append([round(cpu[sdk], 1), round(cpu[raw], 1)])
        ratio = statistics.median(mine / theirs for mine, theirs in pairs)
        out[sdk] = {"level": "@100", "rounds": pairs, "ratio": ratio}
        print(f"  cpu {sdk} / {raw} @100: {ratio:.3f} (rounds {pairs})", flush=True)
    return out


def batch_scenarios(url: str, quick: bool, only: set[str] | None) -> dict[str, Any]:
    orders = 400 if quick else 10_000
    out: dict[str, Any] = {}
    for client in ("sdk-httpx", "sdk-httpx2", "sdk-aiohttp"):
        if not available(client) or (only is not None and client not in only):
            continue
        server_stats(url, reset=True)
        result = measure(
            {"kind": "batch", "client": client, "url": url, "orders": orders, "inflight": 200}
        )
        stats = server_stats(url)
        result["server_token_exchanges"] = stats["token"]
        result["server_creates"] = stats["create"]
        out[client] = result
        print(f"  batch {client:13} {result['rps']:9.0f} creates/s, tokens {stats['token']}")
    return out


def _children_cpu() -> float:
    """CPU seconds (user + system) of this process's finished children so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def import_environment(python: str) -> dict[str, Any]:
    """Which interpreter the import rows ran under and whether trio is importable there
    (httpcore imports trio and attrs when it is, which slows ``httpx.AsyncClient()`` down and
    flatters the ratio), so the result says what it measured."""
    probe = "import importlib.util, sys; print(sys.prefix, importlib.util.find_spec('trio') is not None)"
    out = subprocess.run(
        [python, "-c", probe], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    return {"python": python, "prefix": out[0], "trio_installed": out[1] == "True"}


def import_times(quick: bool, python: str | None = None) -> dict[str, Any]:
    """Milliseconds to run each statement in a fresh interpreter: wall time, and the
    interpreter's own CPU time (what the ratios with a target use: on a shared machine the
    wall clock also counts the time other processes held the CPU).

    ``python`` is the interpreter to measure with (default: this one); give a virtualenv with
    only ``imburse[bench,speed]`` for the issue-17 number (``nox -s bench`` does). The package's
    bytecode is compiled first, as ``pip install`` does: a module without a current ``.pyc``
    would otherwise be compiled from source in every measured process
    (``PYTHONDONTWRITEBYTECODE`` keeps it from being cached), which once put ~40 ms of
    compilation on the SDK's side of the ratio.
    """
    python = python or sys.executable
    subprocess.run(
        [python, "-m", "compileall", "-q", str(ROOT / "imburse")],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    runs = 3 if quick else 9
    # The headline compares the import statements; the "ready" pair also builds a client (the
    # SDK loads its httpx stack and the orders group then), so deferred imports cannot hide
    # a cost that the first call would pay anyway.
    statements = {
        "sdk": "from imburse import AsyncImburse",
        "httpx": "import httpx",
        "python": "pass",
        "sdk_ready": (
            "from imburse import AsyncImburse\n"
            "AsyncImburse(public_key='pk', private_key='AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y=', "
            "account_id='1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c', "
            "tenant_id='2bb81e1e-b072-4e64-b1ec-fdcc54f2d08c').orders"
        ),
        "httpx_ready": "import httpx\nhttpx.AsyncClient()",
    }
    if SETTINGS["otel"] == "absent":
        # As in an install without imburse[otel] (both sides, so the ratio is unchanged by it).
        hide = "import sys; sys.modules['opentelemetry'] = None\n"
        statements = {name: hide + statement for name, statement in statements.items()}
    samples: dict[str, list[float]] = {name: [] for name in statements}
    cpu_samples: dict[str, list[float]] = {name: [] for name in statements}
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for _ in range(runs):
        for name, statement in statements.items():
            started, cpu_before = time.perf_counter(), _children_cpu()
            subprocess.run([python, "-c", statement], cwd=ROOT, env=env, check=True)
            samples[name].append(time.perf_counter() - started)
            cpu_samples[name].append(_children_cpu() - cpu_before)
    medians = {name: statistics.median(values) * 1e3 for name, values in samples.items()}
    cpu = {name: statistics.median(values) * 1e3 for name, values in cpu_samples.items()}
    return {
        "environment": import_environment(python),
        "sdk_cpu_ms": cpu["sdk"],
        "httpx_cpu_ms": cpu["httpx"],
        "ratio_cpu": cpu["sdk"] / cpu["httpx"],
        "sdk_ready_cpu_ms": cpu["sdk_ready"],
        "httpx_ready_cpu_ms": cpu["httpx_ready"],
        "ready_ratio_cpu": cpu["sdk_ready"] / cpu["httpx_ready"],
        "sdk_ms": medians["sdk"],
        "httpx_ms": medians["httpx"],
        "interpreter_ms": medians["python"],
        "ratio": medians["sdk"] / medians["httpx"],
        "ratio_net_of_interpreter": (medians["sdk"] - medians["python"])
        / (medians["httpx"] - medians["python"]),
        "sdk_ready_ms": medians["sdk_ready"],
        "httpx_ready_ms": medians["httpx_ready"],
        "ready_ratio": medians["sdk_ready"] / medians["httpx_ready"],
    }


def decode_times(quick: bool) -> dict[str, Any]:
    """Microseconds per order body: the SDK's decode vs pydantic v2 ``model_validate_json``.

    The SDK (msgspec, then the json module alone) and pydantic are timed in turns within one
    process, each turn a batch of calls, and each keeps its best batch: on a shared machine a
    slow spell then hits all three alike instead of whichever happened to run during it.
    """
    from benchmarks.payloads import ORDER_BODY
    from imburse._core import converter
    from imburse._core.decode import decode_response
    from imburse._core.operations import GET_ORDER

    number, rounds = (1_000, 5) if quick else (2_000, 25)

    def sdk() -> Any:
        return decode_response(GET_ORDER, 200, {}, ORDER_BODY, correlation_id="c-1")

    def sdk_stdlib_json() -> Any:
        with converter.stdlib_json():
            return timeit.timeit(sdk, number=number, timer=time.process_time)

    reference: Any = None  # the pydantic model, when the bench extra is installed
    with contextlib.suppress(ImportError):
        from benchmarks.pydantic_order import PydOrder as reference

    def pydantic() -> Any:
        return reference.model_validate_json(ORDER_BODY)

    # CPU time: the machine is shared, wall time is not ours. The warm-up calls build the
    # SDK's decoders for both parsers (once per process, not per call).
    batches: dict[str, list[float]] = {"sdk_us": [], "sdk_stdlib_json_us": [], "pydantic_us": []}
    sdk()
    with converter.stdlib_json():
        sdk()
    for _ in range(rounds):
        batches["sdk_us"].append(timeit.timeit(sdk, number=number, timer=time.process_time))
        batches["sdk_stdlib_json_us"].append(sdk_stdlib_json())
        if reference is not None:
            batches["pydantic_us"].append(
                timeit.timeit(pydantic, number=number, timer=time.process_time)
            )
    out: dict[str, Any] = {"body_bytes": len(ORDER_BODY), "sdk_parser": converter.json_parser()}
    for key, times in batches.items():
        out[key] = min(times) / number * 1e6 if times else None
    if out["pydantic_us"]:
        out["ratio"] = out["sdk_us"] / out["pydantic_us"]
    return out


def memory(url: str, quick: bool, only: set[str] | None) -> dict[str, Any]:
    calls = 200 if quick else 1_000
    out: dict[str, Any] = {}
    for client in ASYNC_CLIENTS:
        if available(client) and (only is None or client in only):
            out[client] = measure({"kind": "memory", "client": client, "url": url, "calls": calls})
    return out


def paired_cpu_ratios(gets: dict[str, dict[str, Any]]) -> dict[str, dict[str, float]]:
    """``{sdk: {level: ratio}}``: the median over rounds of SDK CPU / raw CPU per call, each
    round's pair measured back to back (a slow minute of a shared machine moves both)."""
    table: dict[str, dict[str, float]] = {}
    for level, results in gets.items():
        for sdk, raw in PEERS.items():
            if sdk in results and raw in results:
                pairs = zip(
                    results[sdk]["rounds_cpu_us"], results[raw]["rounds_cpu_us"], strict=True
                )
                table.setdefault(sdk, {})[level] = statistics.median(m / t for m, t in pairs)
    return table


def ratios(gets: dict[str, dict[str, Any]], key: str = "rps") -> dict[str, dict[str, float]]:
    """``{sdk: {level: sdk / raw}}`` of ``key`` (throughput, or ``cpu_us_median``)."""
    table: dict[str, dict[str, float]] = {}
    for level, results in gets.items():
        for sdk, raw in PEERS.items():
            if sdk in results and raw in results:
                table.setdefault(sdk, {})[level] = results[sdk][key] / results[raw][key]
    return table


def verdicts(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets, each with the measured value and PASS / MISS (absent: skipped)."""
    out: list[dict[str, Any]] = []

    def check(name: str, value: float | None, target: float, at_most: bool) -> None:
        if value is None:
            return
        ok = value <= target if at_most else value >= target
        sign = "<=" if at_most else ">="
        out.append(
            {
                "target": f"{name} {sign} {target}",
                "value": round(value, 3),
                "verdict": "PASS" if ok else "MISS",
            }
        )

    for sdk, target in CPU_TARGETS.items():
        focused = report.get("cpu_target_pairs", {}).get(sdk)
        if focused is not None:  # the dedicated series (cpu_target_pairs)
            name = f"client CPU per call {sdk} / {PEERS[sdk]} @100, paired series"
            check(name, focused["ratio"], target, True)
        else:
            value = report["cpu_ratios"].get(sdk, {}).get("@100")
            check(f"client CPU per call {sdk} / {PEERS[sdk]} @100", value, target, True)
    for sdk, target in THROUGHPUT_TARGETS.items():
        for level in LEVELS:
            value = report["ratios"].get(sdk, {}).get(level)
            check(f"throughput {sdk} / {PEERS[sdk]} {level}", value, target, False)
    imports = report.get("import_time") or {}
    check(
        "import + ready client (AsyncImburse(...) / httpx.AsyncClient()), CPU time",
        imports.get("ready_ratio_cpu"),
        IMPORT_READY_TARGET,
        True,
    )
    decode = report.get("decode") or {}
    if decode.get("sdk_parser") == "msgspec":
        check("decode an order (msgspec) / pydantic v2", decode.get("ratio"), DECODE_TARGET, True)
    return out


def _cell(result: dict[str, Any] | None, key: str, fmt: str = ",.0f") -> str:
    return format(result[key], fmt) if result else "-"


def render(report: dict[str, Any]) -> str:
    """The Markdown tables the README shows: client CPU per call first, then throughput."""
    gets = report["get_order"]
    lines = [
        "| client CPU per call (µs), SDK / raw = median of the rounds' ratios | @1 | @10 | @100 | target |",
        "|---|---:|---:|---:|---:|",
    ]
    for sdk, raw in PEERS.items():
        cells = []
        for level in LEVELS:
            mine, theirs = gets.get(level, {}).get(sdk), gets.get(level, {}).get(raw)
            if mine and theirs:
                ratio = report["cpu_ratios"][sdk][level]
                cells.append(
                    f"{mine['cpu_us_median']:,.0f} / {theirs['cpu_us_median']:,.0f} = {ratio:.2f}"
                )
            else:
                cells.append("-")
        if any(c != "-" for c in cells):
            target = f"<= {CPU_TARGETS[sdk]} (@100, series below)" if sdk in CPU_TARGETS else "-"
            lines.append(f"| {sdk} / {raw} | {' | '.join(cells)} | {target} |")
    focused = report.get("cpu_target_pairs") or {}
    if focused:
        lines += [
            "",
            "| client CPU per call @100, paired series (each round: SDK and raw back to back) "
            "| rounds, µs SDK / raw | median of the ratios | target |",
            "|---|---|---:|---:|",
        ]
        for sdk, series in focused.items():
            rounds = ", ".join(f"{mine:,.0f}/{theirs:,.0f}" for mine, theirs in series["rounds"])
            lines.append(
                f"| {sdk} / {PEERS[sdk]} | {rounds} | {series['ratio']:.2f} "
                f"| <= {CPU_TARGETS[sdk]} |"
            )
    lines += [
        "",
        "| throughput ratio (SDK / raw, same stack) | @1 | @10 | @100 | target |",
        "|---|---:|---:|---:|---:|",
    ]
    for sdk, by_level in report["ratios"].items():
        cells = [f"{by_level[level]:.2f}" if level in by_level else "-" for level in LEVELS]
        target = f">= {THROUGHPUT_TARGETS[sdk]} (all)" if sdk in THROUGHPUT_TARGETS else "-"
        lines.append(f"| {sdk} / {PEERS[sdk]} | {' | '.join(cells)} | {target} |")
    lines += [
        "",
        "| client | @1 req/s | @10 req/s | @100 req/s | p50 / p99 ms @100 | CPU µs/call @1 / @10 / @100 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for client in (*ASYNC_CLIENTS, *SYNC_CLIENTS):
        cells = [_cell(gets.get(level, {}).get(client), "rps") for level in LEVELS]
        cpu = [_cell(gets.get(level, {}).get(client), "cpu_us_median") for level in LEVELS]
        top = gets.get("@100", {}).get(client)
        latency = f"{top['p50_ms']:.2f} / {top['p99_ms']:.2f}" if top else "-"
        if any(c != "-" for c in cells):
            lines.append(f"| {client} | {' | '.join(cells)} | {latency} | {' / '.join(cpu)} |")
    batch = report.get("batch", {})
    if batch:
        lines += [
            "",
            "| batch create, 200 in flight | orders | creates/s | CPU µs/create | token exchanges |",
            "|---|---:|---:|---:|---:|",
        ]
        for client, result in batch.items():
            lines.append(
                f"| {client} | {result['orders']:,} | {result['rps']:,.0f} | "
                f"{result['cpu_us_per_call']:,.0f} | {result['server_token_exchanges']} |"
            )
    imports = report.get("import_time")
    decode = report.get("decode")
    lines += ["", "| other | SDK | reference | ratio | target |", "|---|---:|---:|---:|---:|"]
    if imports:
        lines.append(
            "| import (`from imburse import AsyncImburse` vs `import httpx`), CPU (wall) | "
            f"{imports['sdk_cpu_ms']:.0f} ({imports['sdk_ms']:.0f}) ms | "
            f"{imports['httpx_cpu_ms']:.0f} ({imports['httpx_ms']:.0f}) ms | "
            f"{imports['ratio_cpu']:.2f} ({imports['ratio']:.2f}) | - |"
        )
        lines.append(
            "| import and build a client (`AsyncImburse(...).orders` vs "
            "`httpx.AsyncClient()`), CPU (wall) | "
            f"{imports['sdk_ready_cpu_ms']:.0f} ({imports['sdk_ready_ms']:.0f}) ms | "
            f"{imports['httpx_ready_cpu_ms']:.0f} ({imports['httpx_ready_ms']:.0f}) ms | "
            f"{imports['ready_ratio_cpu']:.2f} ({imports['ready_ratio']:.2f}) | "
            f"<= {IMPORT_READY_TARGET} |"
        )
    if decode and decode.get("pydantic_us"):
        lines.append(
            f"| decode one order ({decode['body_bytes']} B, {decode['sdk_parser']}) vs pydantic v2 | "
            f"{decode['sdk_us']:.1f} µs | {decode['pydantic_us']:.1f} µs | {decode['ratio']:.2f} | <= {DECODE_TARGET} |"
        )
        lines.append(
            f"| decode one order, stdlib json (no `imburse[speed]`) | {decode['sdk_stdlib_json_us']:.1f} µs | "
            f"{decode['pydantic_us']:.1f} µs | {decode['sdk_stdlib_json_us'] / decode['pydantic_us']:.2f} | - |"
        )
    mem = report.get("memory", {})
    if mem:
        lines += ["", "| memory for 1,000 calls in flight (tracemalloc) | KiB |", "|---|---:|"]
        for client, result in mem.items():
            lines.append(f"| {client} | {result['kib_per_1000']:,.0f} |")
    checks = report.get("targets") or []
    if checks:
        lines += ["", "| target (issue 17) | measured | verdict |", "|---|---:|---|"]
        for item in checks:
            lines.append(f"| {item['target']} | {item['value']:.2f} | {item['verdict']} |")
    setup = report.get("setup", {})
    lines += [
        "",
        f"client CPU {setup.get('client_cpu')}, server CPU {setup.get('server_cpu')}, "
        f"OpenTelemetry {setup.get('otel')}"
        + (f", {report['label']}" if report.get("label") else ""),
    ]
    import_env = (report.get("import_time") or {}).get("environment")
    if import_env:
        lines.append(
            f"import rows measured with {import_env['python']} (trio "
            + (
                "installed: httpx.AsyncClient() imports it, which flatters the ratio)"
                if import_env["trio_installed"]
                else "absent)"
            )
        )
    elif report.get("trio_installed"):
        lines.append(
            "trio is installed: httpx.AsyncClient() imports it, which flatters the ready-client "
            "ratio; measure it with only the bench extra (nox -s bench)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs (a smoke test)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="directory for JSON results")
    parser.add_argument(
        "--only", help="comma-separated clients to run (default: all), e.g. sdk-httpx,raw-httpx"
    )
    parser.add_argument(
        "--otel",
        choices=("absent", "installed"),
        default="absent",
        help="absent (default): OpenTelemetry made unimportable in the measured processes, as "
        "without imburse[otel]; installed: importable (no SDK configured: no-op spans)",
    )
    parser.add_argument(
        "--import-python",
        help="interpreter for the import rows (default: this one); a virtualenv with only "
        "imburse[bench,speed], without trio, gives the issue-17 number",
    )
    parser.add_argument("--no-pin", action="store_true", help="do not pin client and server")
    parser.add_argument("--label", help="a note stored with the results, e.g. 'main, under load'")
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None
    client_cpu, server_cpu = cpu_plan(not args.no_pin)
    SETTINGS.update(cpu=client_cpu, otel=args.otel)
    report: dict[str, Any] = {
        "quick": args.quick,
        "label": args.label,
        "setup": {"client_cpu": client_cpu, "server_cpu": server_cpu, "otel": args.otel},
        "load_average": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "only": sorted(only) if only else None,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
        # httpcore imports trio (and attrs) when it is installed, so in the dev environment
        # ``httpx.AsyncClient()`` costs ~60 ms more and the ready-client ratio looks better
        # than in an environment with only the bench extra (``nox -s bench``).
        "trio_installed": importlib.util.find_spec("trio") is not None,
    }
    with bench_server(server_cpu) as url:
        print("get-order", flush=True)
        report["get_order"] = get_scenarios(url, args.quick, only)
        report["cpu_ratios"] = paired_cpu_ratios(report["get_order"])
        report["ratios"] = ratios(report["get_order"])
        print("client CPU targets, paired series", flush=True)
        report["cpu_target_pairs"] = cpu_target_pairs(url, args.quick, only)
        print("batch", flush=True)
        report["batch"] = batch_scenarios(url, args.quick, only)
        print("memory", flush=True)
        report["memory"] = memory(url, args.quick, only)
    print("import time, decode", flush=True)
    report["import_time"] = import_times(args.quick, args.import_python)
    report["decode"] = decode_times(args.quick)
    report["targets"] = verdicts(report)
    report["table"] = render(report)
    args.out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    (args.out / "latest.json").write_text(text)
    (args.out / f"bench-{stamp}.json").write_text(text)
    (args.out / "latest.md").write_text(report["table"] + "\n")
    (args.out / f"bench-{stamp}.md").write_text(report["table"] + "\n")
    print()
    print(report["table"])
    print(f"\nwritten to {args.out / 'latest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
