"""The batch scenario: orders from a JSON Lines file through ``orders.create_many``.

    python -m benchmarks.batch [--orders 10000] [--concurrency 100] [--transports httpx,...]

Writes ``--orders`` orders (wire shape, one instruction each) to a temporary file, starts the
canned-answer server (``benchmarks.server`` on granian, its own process), and for each
transport runs one batch in a fresh interpreter: the file is read lazily, each line decoded
as the CLI does (``order_from_wire``), created through the SDK's ordinary pipeline, and one
result line written per item. Reported per transport: orders/s (wall clock), client CPU per
order (``time.process_time`` of the batch, so interpreter start-up is excluded) and token
exchanges seen by the server (one is the target). The last row runs the real command,
``python -m imburse batch create-orders``, whose CPU includes interpreter start-up.

The server answers every create with 201 at once, so this measures the client side.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.payloads import ACCOUNT_ID, PRIVATE_KEY, PUBLIC_KEY, TENANT_ID
from benchmarks.run import ROOT, bench_server, server_stats

ASYNC_TRANSPORTS = ("httpx", "httpx2", "aiohttp")
ALL = (*ASYNC_TRANSPORTS, "sync-httpx")


def write_orders(path: Path, count: int) -> None:
    run_id = f"{time.time_ns() % 10**9:09d}"
    with path.open("w") as out:
        for n in range(count):
            order = {
                "orderRef": f"BATCH-{run_id}-{n:06d}",
                "metadata": {"source": "benchmark"},
                "instructions": [
                    {
                        "instructionRef": "I-1",
                        "customerRef": f"C-{n % 997}",
                        "direction": "DEBIT",
                        "amount": f"{n % 500 + 1}.25",
                        "currency": "GBP",
                        "country": "GB",
                    }
                ],
            }
            out.write(json.dumps(order) + "\n")


# --- the worker (a fresh interpreter per measurement) ---------------------------------------


def _orders(source: Any) -> Any:
    from imburse._cli.batch import order_from_wire
    from imburse._core.converter import loads

    for line in source:
        yield order_from_wire(loads(line))


def _write(out: Any) -> Any:
    def on_result(result: Any) -> None:
        record = {
            "orderRef": result.ref,
            "outcome": result.outcome,
            "error": None if result.error is None else str(result.error),
            "correlationId": result.correlation_id,
        }
        out.write(json.dumps(record) + "\n")

    return on_result


def worker(spec: dict[str, Any]) -> dict[str, Any]:
    settings = {
        "public_key": PUBLIC_KEY,
        "private_key": PRIVATE_KEY,
        "account_id": ACCOUNT_ID,
        "tenant_id": TENANT_ID,
        "base_url": spec["url"],
    }
    transport, concurrency = spec["transport"], spec["concurrency"]
    with open(spec["input"]) as source, open(spec["out"], "w") as out:
        if transport.startswith("sync-"):
            from imburse import Imburse

            with Imburse(**settings, transport=transport[5:]) as client:
                cpu, started = time.process_time(), time.perf_counter()
                report = client.orders.create_many(
                    _orders(source), concurrency=concurrency, on_result=_write(out)
                )
                elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        else:
            import asyncio

            from imburse import AsyncImburse

            async def main() -> tuple[Any, float, float]:
                async with AsyncImburse(**settings, transport=transport) as client:
                    cpu, started = time.process_time(), time.perf_counter()
                    report = await client.orders.create_many(
                        _orders(source), concurrency=concurrency, on_result=_write(out)
                    )
                    return report, time.perf_counter() - started, time.process_time() - cpu

            report, elapsed, cpu = asyncio.run(main())
    return {
        "transport": transport,
        "orders": report.total,
        "created": report.created,
        "seconds": elapsed,
        "orders_per_s": report.total / elapsed,
        "cpu_us_per_order": 1e6 * cpu / report.total,
    }


# --- the driver -------------------------------------------------------------------------------


def measure(spec: dict[str, Any]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.batch", "--worker", json.dumps(spec)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if done.returncode != 0:
        return {"transport": spec["transport"], "error": done.stderr.strip().splitlines()[-1]}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure_cli(url: str, source: Path, out: Path, orders: int, concurrency: int) -> dict[str, Any]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMBURSE_")}
    env.update(
        IMBURSE_BASE_URL=url,
        IMBURSE_PUBLIC_KEY=PUBLIC_KEY,
        IMBURSE_PRIVATE_KEY=PRIVATE_KEY,
        IMBURSE_ACCOUNT_ID=ACCOUNT_ID,
        IMBURSE_TENANT_ID=TENANT_ID,
    )
    command = [sys.executable, "-m", "imburse", "batch", "create-orders", str(source)]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [*command, "--out", str(out), "--concurrency", str(concurrency)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        return {"transport": "cli (httpx)", "error": (done.stdout + done.stderr)[-500:]}
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "transport": "cli (httpx)",
        "orders": orders,
        "seconds": elapsed,
        "orders_per_s": orders / elapsed,
        "cpu_us_per_order": 1e6 * cpu / orders,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--concurrency", type=int, default=100)
    parser.add_argument("--transports", default=",".join(ALL), help=f"from {', '.join(ALL)}")
    parser.add_argument("--no-cli", action="store_true", help="skip the command-line row")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(worker(json.loads(args.worker))))
        return 0
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp, bench_server() as url:
        source, out = Path(tmp) / "orders.jsonl", Path(tmp) / "results.jsonl"
        write_orders(source, args.orders)
        for transport in args.transports.split(","):
            server_stats(url, reset=True)
            spec = {
                "transport": transport,
                "url": url,
                "input": str(source),
                "out": str(out),
                "concurrency": args.concurrency,
            }
            row = measure(spec)
            row["token_exchanges"] = server_stats(url).get("token")
            rows.append(row)
        if not args.no_cli:
            server_stats(url, reset=True)
            row = measure_cli(url, source, out, args.orders, args.concurrency)
            row["token_exchanges"] = server_stats(url).get("token")
            rows.append(row)
    print(f"batch: {args.orders:,} orders from a file, {args.concurrency} in flight")
    print(f"{'transport':<14}{'orders/s':>10}{'CPU µs/order':>14}{'tokens':>8}")
    for row in rows:
        if "error" in row:
            print(f"{row['transport']:<14}  unavailable: {row['error']}")
            continue
        print(
            f"{row['transport']:<14}{row['orders_per_s']:>10,.0f}"
            f"{row['cpu_us_per_order']:>14,.0f}{row['token_exchanges']!s:>8}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
