"""One measurement in a fresh interpreter: ``python -m benchmarks.worker '<json spec>'``.

Prints one JSON object. CPU time is ``time.process_time()`` of this process only (the server
runs elsewhere), divided by the calls completed in the measured window.
"""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import threading
import time
import tracemalloc
from typing import Any

from benchmarks.clients import ORDER_REF, async_client, sync_client

__all__ = ["main"]


def _summary(latencies: list[float], elapsed: float, cpu: float) -> dict[str, Any]:
    latencies.sort()
    calls = len(latencies)
    return {
        "calls": calls,
        "rps": calls / elapsed,
        "p50_ms": 1e3 * latencies[calls // 2],
        "p99_ms": 1e3 * latencies[min(calls - 1, int(calls * 0.99))],
        "cpu_us_per_call": 1e6 * cpu / calls,
    }


async def _get_async(client: str, url: str, inflight: int, duration: float, warmup: float) -> Any:
    async with async_client(client, url) as (get, _, _):
        for _ in range(3):  # first calls: token, connections, lazy imports
            await get(ORDER_REF)
        latencies: list[float] = []
        clock = time.perf_counter

        async def worker(until: float, record: bool) -> None:
            while clock() < until:
                started = clock()
                await get(ORDER_REF)
                if record:
                    latencies.append(clock() - started)

        await asyncio.gather(*(worker(clock() + warmup, False) for _ in range(inflight)))
        gc.collect()
        cpu, started = time.process_time(), clock()
        await asyncio.gather(*(worker(started + duration, True) for _ in range(inflight)))
        elapsed, cpu = clock() - started, time.process_time() - cpu
    return _summary(latencies, elapsed, cpu)


def _get_sync(client: str, url: str, inflight: int, duration: float, warmup: float) -> Any:
    with sync_client(client, url) as get:
        for _ in range(3):
            get(ORDER_REF)
        latencies: list[float] = []
        clock = time.perf_counter

        def worker(until: float, record: bool) -> None:
            while clock() < until:
                started = clock()
                get(ORDER_REF)
                if record:
                    latencies.append(clock() - started)  # list.append is thread-safe

        def run(duration: float, record: bool) -> None:
            until = clock() + duration
            threads = [
                threading.Thread(target=worker, args=(until, record)) for _ in range(inflight)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

        run(warmup, False)
        gc.collect()
        cpu, started = time.process_time(), clock()
        run(duration, True)
        elapsed, cpu = clock() - started, time.process_time() - cpu
    return _summary(latencies, elapsed, cpu)


async def _batch(client: str, url: str, orders: int, inflight: int) -> Any:
    async with async_client(client, url) as (_, create, sdk):
        refs = iter(range(orders))
        clock = time.perf_counter
        run_id = f"{time.time_ns() % 10**9:09d}"

        async def worker() -> None:
            for n in refs:
                await create(f"B{run_id}-{n:06d}")

        cpu, started = time.process_time(), clock()
        await asyncio.gather(*(worker() for _ in range(inflight)))
        elapsed, cpu = clock() - started, time.process_time() - cpu
        exchanges = getattr(sdk, "token_exchanges", None)
    return {
        "orders": orders,
        "inflight": inflight,
        "seconds": elapsed,
        "rps": orders / elapsed,
        "cpu_us_per_call": 1e6 * cpu / orders,
        "client_token_exchanges": exchanges,
    }


async def _memory(client: str, url: str, calls: int) -> Any:
    async with async_client(client, url) as (get, _, _):
        for _ in range(5):
            await get(ORDER_REF)  # connections, token and lazy imports are not the cost
        gc.collect()
        tracemalloc.start()
        baseline = tracemalloc.get_traced_memory()[0]
        tasks = [asyncio.ensure_future(get(f"SLOW-{n:06d}")) for n in range(calls)]
        await asyncio.sleep(0.25)  # the server holds each answer 0.5 s: all are in flight
        in_flight = tracemalloc.get_traced_memory()[0] - baseline
        await asyncio.gather(*tasks, return_exceptions=True)  # a pool timeout is no matter here
        tracemalloc.stop()
    return {
        "calls": calls,
        "kib": in_flight / 1024,
        "kib_per_1000": in_flight / calls * 1000 / 1024,
    }


def main(argv: list[str]) -> None:
    spec = json.loads(argv[1])
    kind = spec.pop("kind")
    if kind == "get":
        # Every level for one client in this process: {"@1": {...}, "@10": {...}}.
        levels = spec.pop("levels")
        client = spec["client"]
        result = {}
        for inflight in levels:
            if client.startswith(("sdk-sync", "raw-sync", "raw-requests")):
                result[f"@{inflight}"] = _get_sync(inflight=inflight, **spec)
            else:
                result[f"@{inflight}"] = asyncio.run(_get_async(inflight=inflight, **spec))
    elif kind == "batch":
        result = asyncio.run(_batch(**spec))
    elif kind == "memory":
        result = asyncio.run(_memory(**spec))
    else:
        raise SystemExit(f"unknown kind {kind!r}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv)
