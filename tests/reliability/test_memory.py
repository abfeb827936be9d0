"""Memory stays flat over many calls against the in-process fake (tracemalloc).

The calls mix what a service does all day: reads that decode an order, creates, a 404 now
and then, and a 503 that is retried. Every ``CHECKPOINT`` calls the fake is emptied (the
client then exchanges a new token once) and the memory still allocated since tracing began
is sampled, so each sample sees the same fake state and only the SDK's own growth shows.
A control run that keeps 32 bytes per call must fail the same bound.

CI runs 8,000 traced calls on the async client and 4,000 on the sync one (tracemalloc makes
each call ~4x slower);
``nox -s chaos`` (``IMBURSE_CHAOS=1``) runs 100,000 on each.
"""

from __future__ import annotations

import gc
import os
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from imburse import AsyncImburse, DefaultRetryPolicy, Imburse, NotFoundError
from imburse.testing import FakeImburse

CHAOS = os.environ.get("IMBURSE_CHAOS") == "1"
CALLS = 100_000 if CHAOS else 8_000
CHECKPOINT = 1_000
WARM_UP = 1_000
# Allowed growth over the second half of the run (see Samples.growth): 4,000 calls keeping
# 4 bytes each would reach it; the control keeps 32.
MAX_GROWTH = 16 * 1024


def no_wait(delay: float) -> float:
    return 0.0


def _options() -> dict[str, Any]:
    return {"retry_policy": DefaultRetryPolicy(jitter=no_wait)}


def _schedule(calls: int, fake: FakeImburse) -> Iterator[str]:
    """What call ``n`` does; at each checkpoint (and at the end), empty the fake first."""
    for n in range(calls + 1):
        if n % CHECKPOINT == 0:
            fake.reset()
            yield "checkpoint"
        if n == calls:
            return
        if n % 100 == 7:
            fake.inject("status", status=503, method="GET")
            yield "retried-get"
        elif n % 50 == 3:
            yield "missing"
        elif n % 10 == 5:
            yield f"create:MEM-{n}"
        else:
            yield "get"


class Samples:
    """Traced memory at each checkpoint after the warm-up."""

    def __init__(self) -> None:
        self.values: list[int] = []

    def take(self, n: int) -> None:
        gc.collect()
        if n == WARM_UP:
            tracemalloc.start()
        if tracemalloc.is_tracing():
            self.values.append(tracemalloc.get_traced_memory()[0])

    def report(self, label: str, calls: int, capsys: pytest.CaptureFixture[str]) -> None:
        half = calls // 2
        with capsys.disabled():
            print(
                f"\nmemory, {label}: {calls} calls traced, {len(self.values)} samples, "
                f"settled at {self.values[-1] / 1024:.0f} KiB; growth over the last "
                f"{half} calls: {self.growth()} bytes ({self.growth() / half:.2f} per call)"
            )

    def growth(self) -> int:
        """Growth over the second half of the run.

        Tracing starts after the warm-up, yet the traced total still climbs for a while:
        bounded caches (``re``'s, httpx's) keep replacing entries made before tracing with
        traced ones. That levels off; a leak does not, so the second half is what counts.
        """
        assert len(self.values) >= 5
        return self.values[-1] - self.values[len(self.values) // 2]


@pytest.fixture
def traced() -> Iterator[Samples]:
    samples = Samples()
    try:
        yield samples
    finally:
        tracemalloc.stop()


async def run_async(
    client: AsyncImburse,
    fake: FakeImburse,
    calls: int,
    samples: Samples,
    keep: Callable[[], None] = lambda: None,
) -> None:
    done = 0
    for step in _schedule(calls, fake):
        if step == "checkpoint":
            samples.take(done)
            await client.orders.create("MEM-1")
            continue
        if step.startswith("create:"):
            await client.orders.create(step.removeprefix("create:"))
        elif step == "missing":
            with pytest.raises(NotFoundError):
                await client.orders.get("MEM-NONE")
        else:
            order = await client.orders.get("MEM-1")
            assert order.order_ref == "MEM-1"
        keep()
        done += 1


def run_sync(client: Imburse, fake: FakeImburse, calls: int, samples: Samples) -> None:
    done = 0
    for step in _schedule(calls, fake):
        if step == "checkpoint":
            samples.take(done)
            client.orders.create("MEM-1")
            continue
        if step.startswith("create:"):
            client.orders.create(step.removeprefix("create:"))
        elif step == "missing":
            with pytest.raises(NotFoundError):
                client.orders.get("MEM-NONE")
        else:
            assert client.orders.get("MEM-1").order_ref == "MEM-1"
        done += 1


@pytest.mark.slow
@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_async_client_memory_is_flat(
    traced: Samples, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = FakeImburse(record_requests=False)  # its request log would grow with every call
    async with fake.async_imburse(**_options()) as client:
        await run_async(client, fake, WARM_UP + CALLS, traced)
    traced.report("async client", CALLS, capsys)
    assert traced.growth() < MAX_GROWTH, traced.values


@pytest.mark.slow
def test_sync_client_memory_is_flat(traced: Samples, capsys: pytest.CaptureFixture[str]) -> None:
    fake = FakeImburse(record_requests=False)  # its request log would grow with every call
    calls = CALLS if CHAOS else CALLS // 2
    with fake.imburse(**_options()) as client:
        run_sync(client, fake, WARM_UP + calls, traced)
    traced.report("sync client", calls, capsys)
    assert traced.growth() < MAX_GROWTH, traced.values


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_the_bound_catches_32_bytes_kept_per_call(traced: Samples) -> None:
    """Control: the same run, keeping 32 bytes per call, fails the bound."""
    fake = FakeImburse(record_requests=False)  # its request log would grow with every call
    kept: list[bytes] = []
    async with fake.async_imburse(**_options()) as client:
        await run_async(client, fake, WARM_UP + 8_000, traced, keep=lambda: kept.append(bytes(1)))
    assert traced.growth() >= MAX_GROWTH, traced.values
