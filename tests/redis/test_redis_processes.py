"""Four processes, one quota and one token, against the fake over real HTTP.

Each process (``spawn``, so nothing is inherited) opens its own ``AsyncImburse`` with
``AsyncRedisRateLimitPolicy(rate=50, burst=5)`` and ``AsyncRedisTokenCache`` on the same
keys; they start together, cold, and the fake counts what reaches it.
"""

from __future__ import annotations

import multiprocessing
import queue
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from imburse.testing import FakeImburse

from . import redis_workers

pytestmark = pytest.mark.slow

PROCESSES = 4
ORDER_PATH = "/v1/order-management/ORD-QUOTA"


@pytest.fixture
def fake() -> Iterator[FakeImburse]:
    with FakeImburse() as fake, fake.imburse() as client:
        client.orders.create("ORD-QUOTA")
        yield fake


def _stamp_requests(fake: FakeImburse, monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record when each GET of the order reaches the fake's HTTP server."""
    stamps: list[float] = []
    begin: Callable[..., Any] = fake.begin

    def stamped(method: str, url_or_path: str, headers: Any) -> Any:
        if method == "GET" and url_or_path.startswith(ORDER_PATH):
            stamps.append(time.monotonic())
        return begin(method, url_or_path, headers)

    monkeypatch.setattr(fake, "begin", stamped)
    return stamps


def _run_processes(
    base_url: str, redis_url: str, *, calls: int, concurrency: int
) -> list[tuple[int, int, int, list[str]]]:
    ctx = multiprocessing.get_context("spawn")
    ready, results, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    processes = [
        ctx.Process(
            target=redis_workers.run,
            args=(base_url, redis_url, calls, concurrency, ready, go, results),
            daemon=True,
        )
        for _ in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    try:
        for _ in processes:
            ready.get(timeout=60)  # every process is up, its client open and cold
        go.set()
        outcomes = [results.get(timeout=120) for _ in processes]
    except queue.Empty:
        pytest.fail("a worker process did not report in time")
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    for pid, _, _, errors in outcomes:
        assert not errors, f"process {pid}: {errors[:3]}"
    return outcomes


def test_four_cold_processes_make_exactly_one_token_exchange(
    fake: FakeImburse, redis_url: str
) -> None:
    before = fake.token_exchanges
    with fake.serve() as server:
        outcomes = _run_processes(server.url, redis_url, calls=2, concurrency=2)
    assert fake.token_exchanges - before == 1
    assert sorted(exchanges for _, exchanges, _, _ in outcomes) == [0, 0, 0, 1]
    assert sum(ok for _, _, ok, _ in outcomes) == 8


def test_four_processes_share_a_quota_of_50_per_second(
    fake: FakeImburse, redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    stamps = _stamp_requests(fake, monkeypatch)
    calls = 75  # per process: 300 calls, about six seconds at 50/s
    with fake.serve() as server:
        outcomes = _run_processes(server.url, redis_url, calls=calls, concurrency=4)
    assert sum(ok for _, _, ok, _ in outcomes) == PROCESSES * calls
    assert len(stamps) == PROCESSES * calls
    span = stamps[-1] - stamps[0]
    rate = (len(stamps) - 1) / span
    print(f"\n{len(stamps)} calls from {PROCESSES} processes in {span:.2f}s: {rate:.1f}/s")
    assert span > 5  # a run of several seconds
    assert abs(rate - redis_workers.RATE) <= 0.1 * redis_workers.RATE
    # Steady, not bursty: each whole second of the run stays near the quota.
    per_second = [
        sum(1 for s in stamps if start <= s < start + 1)
        for start in (stamps[0] + 1, stamps[0] + 2, stamps[0] + 3, stamps[0] + 4)
    ]
    assert all(35 <= n <= 65 for n in per_second), per_second
    assert sum(exchanges for _, exchanges, _, _ in outcomes) == 1  # cold, and one token
