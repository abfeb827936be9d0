"""One measurement in a fresh interpreter: ``python -m benchmarks.worker '<json spec>'``.

Prints one JSON object. CPU time is ``time.process_time()`` of this process only (the server
runs in its own process, pinned to another CPU), divided by the calls completed in the measured
window. The spec's ``cpu`` pins this process to that CPU before anything is measured, and
``otel`` says whether ``opentelemetry`` may be imported: ``"absent"`` (the default) makes it
unimportable, as in an environment without ``imburse[otel]`` (FastAPI's dependencies install
it in the dev environment).
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import sys
import threading
import time
import tracemalloc
from typing import TYPE_CHECKING, Any

from benchmarks.payloads import ORDER_REF

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["main", "setup_process"]


def setup_process(cpu: int | None, otel: str) -> dict[str, Any]:
    """Pin this process to ``cpu`` and hide ``opentelemetry`` unless ``otel == "installed"``.

    Call before the SDK (or anything that may import OpenTelemetry) is imported. Returns what
    the process ended up with, recorded next to each result.
    """
    if otel == "absent":
        # A None entry makes ``import opentelemetry`` raise ModuleNotFoundError and
        # ``importlib.util.find_spec`` return None: the SDK sees no OpenTelemetry at all.
        sys.modules["opentelemetry"] = None  # type: ignore[assignment]
    elif otel != "installed":
        raise SystemExit(f"unknown otel mode {otel!r}")
    if cpu is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {cpu})
    cpus: Iterable[int] = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else ()
    return {"cpus": sorted(cpus), "otel": otel}


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
    from benchmarks.clients import async_client

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
    from benchmarks.clients import sync_client

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
    from benchmarks.clients import async_client

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
    from benchmarks.clients import async_client

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
    process = setup_process(spec.pop("cpu", None), spec.pop("otel", "absent"))
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
    result["process"] = {**process, "otel_loaded": "opentelemetry.trace" in sys.modules}
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv)
