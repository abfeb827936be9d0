"""Run every benchmark in one go: ``python -m benchmarks [--quick]`` (or ``nox -s bench``).

Starts the canned-answer server (granian, RSGI) in its own process, measures each client in a
fresh interpreter (``benchmarks.worker``), prints a table with absolute numbers and the
headline ratios (SDK / raw client of the same stack), and writes everything to
``benchmarks/results/latest.json`` (and a timestamped copy).

Pairs are measured interleaved (raw, SDK, raw, SDK, ...) and the median of the rounds is kept,
so a noisy neighbour on this 2-core machine hits both sides alike.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
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
TARGETS = {
    "sdk-httpx": 0.9,
    "sdk-httpx2": 0.9,
    "sdk-sync-httpx": 0.9,
    "sdk-aiohttp": 0.8,  # at 100 in flight
}


@contextlib.contextmanager
def bench_server() -> Iterator[str]:
    """The granian server on a free loopback port; yields its base URL."""
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
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
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


def measure(spec: dict[str, Any]) -> dict[str, Any]:
    """One measurement in a fresh interpreter."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.worker", json.dumps(spec)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if done.returncode != 0:
        raise SystemExit(f"benchmark {spec} failed:\n{done.stderr[-3000:]}")
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
    """The run with the median throughput (its latencies and CPU belong together)."""
    ordered = sorted(runs, key=lambda r: r["rps"])
    chosen = dict(ordered[len(ordered) // 2])
    chosen["rounds_rps"] = [round(r["rps"], 1) for r in runs]
    return chosen


def get_scenarios(url: str, quick: bool, only: set[str] | None) -> dict[str, dict[str, Any]]:
    """``{"@1": {client: result}, ...}`` for async and sync clients.

    Each round runs every client once (all its levels in one fresh process); the median
    round per client and level is kept.
    """
    duration, warmup, rounds = (0.3, 0.1, 1) if quick else (2.0, 0.5, 3)
    out: dict[str, dict[str, Any]] = {}
    plans = [(ASYNC_CLIENTS, [1, 10, 100]), (SYNC_CLIENTS, [1, 10])]
    for clients, levels in plans:
        present = [c for c in clients if available(c) and (only is None or c in only)]
        runs: dict[str, list[dict[str, Any]]] = {c: [] for c in present}
        for _ in range(rounds):
            for client in present:
                spec = {
                    "kind": "get",
                    "client": client,
                    "url": url,
                    "levels": levels,
                    "duration": duration,
                    "warmup": warmup,
                }
                runs[client].append(measure(spec))
        for client, results in runs.items():
            for inflight in levels:
                level = f"@{inflight}"
                chosen = median_result([r[level] for r in results])
                out.setdefault(level, {})[client] = chosen
                print(f"  get {client:15} {level:<4} {chosen['rps']:9.0f} req/s", flush=True)
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


def import_times(quick: bool) -> dict[str, Any]:
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
    samples: dict[str, list[float]] = {name: [] for name in statements}
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    for _ in range(runs):
        for name, statement in statements.items():
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", statement], cwd=ROOT, env=env, check=True)
            samples[name].append(time.perf_counter() - started)
    medians = {name: statistics.median(values) * 1e3 for name, values in samples.items()}
    return {
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


def ratios(gets: dict[str, dict[str, Any]]) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    for level, results in gets.items():
        for sdk, raw in PEERS.items():
            if sdk in results and raw in results:
                table.setdefault(sdk, {})[level] = results[sdk]["rps"] / results[raw]["rps"]
    return table


def render(report: dict[str, Any]) -> str:
    """The Markdown tables the README shows."""
    lines = [
        "| client | @1 req/s | @10 req/s | @100 req/s | p50 / p99 ms @100 (sync: @10) | CPU µs/call @1 / @10 / @100 |"
    ]
    lines.append("|---|---:|---:|---:|---:|---:|")
    gets = report["get_order"]
    for client in (*ASYNC_CLIENTS, *SYNC_CLIENTS):
        cells, cpu = [], []
        for level in ("@1", "@10", "@100"):
            result = gets.get(level, {}).get(client)
            cells.append(f"{result['rps']:,.0f}" if result else "-")
            cpu.append(f"{result['cpu_us_per_call']:,.0f}" if result else "-")
        top = gets.get("@100", {}).get(client) or gets.get("@10", {}).get(client)
        latency = f"{top['p50_ms']:.2f} / {top['p99_ms']:.2f}" if top else "-"
        if any(c != "-" for c in cells):
            lines.append(f"| {client} | {' | '.join(cells)} | {latency} | {' / '.join(cpu)} |")
    lines += [
        "",
        "| ratio (SDK / raw, same stack) | @1 | @10 | @100 | target |",
        "|---|---:|---:|---:|---:|",
    ]
    for sdk, by_level in report["ratios"].items():
        cells = [
            f"{by_level[level]:.2f}" if level in by_level else "-"
            for level in ("@1", "@10", "@100")
        ]
        target = TARGETS[sdk]
        where = "@100" if sdk == "sdk-aiohttp" else "all"
        lines.append(f"| {sdk} / {PEERS[sdk]} | {' | '.join(cells)} | >= {target} ({where}) |")
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
            f"| import time (`from imburse import AsyncImburse` vs `import httpx`) | "
            f"{imports['sdk_ms']:.0f} ms | {imports['httpx_ms']:.0f} ms | {imports['ratio']:.2f} | <= 1.5 |"
        )
        lines.append(
            "| import and build a client (`AsyncImburse(...).orders` vs `httpx.AsyncClient()`) | "
            f"{imports['sdk_ready_ms']:.0f} ms | {imports['httpx_ready_ms']:.0f} ms | "
            f"{imports['ready_ratio']:.2f} | - |"
        )
    if decode and decode.get("pydantic_us"):
        lines.append(
            f"| decode one order ({decode['body_bytes']} B, {decode['sdk_parser']}) vs pydantic v2 | "
            f"{decode['sdk_us']:.1f} µs | {decode['pydantic_us']:.1f} µs | {decode['ratio']:.2f} | <= 1.0 |"
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
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs (a smoke test)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="directory for JSON results")
    parser.add_argument(
        "--only", help="comma-separated clients to run (default: all), e.g. sdk-httpx,raw-httpx"
    )
    args = parser.parse_args(argv)
    only = set(args.only.split(",")) if args.only else None
    report: dict[str, Any] = {
        "quick": args.quick,
        "only": sorted(only) if only else None,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
        },
    }
    with bench_server() as url:
        print("get-order", flush=True)
        report["get_order"] = get_scenarios(url, args.quick, only)
        report["ratios"] = ratios(report["get_order"])
        print("batch", flush=True)
        report["batch"] = batch_scenarios(url, args.quick, only)
        print("memory", flush=True)
        report["memory"] = memory(url, args.quick, only)
    print("import time, decode", flush=True)
    report["import_time"] = import_times(args.quick)
    report["decode"] = decode_times(args.quick)
    report["table"] = render(report)
    args.out.mkdir(parents=True, exist_ok=True)
    text = json.dumps(report, indent=2)
    (args.out / "latest.json").write_text(text)
    (args.out / f"bench-{time.strftime('%Y%m%d-%H%M%S')}.json").write_text(text)
    (args.out / "latest.md").write_text(report["table"] + "\n")
    print()
    print(report["table"])
    print(f"\nwritten to {args.out / 'latest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
