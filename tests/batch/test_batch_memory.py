"""Memory stays flat while ``create_many`` works through a generator of orders.

The generator builds each order on demand, so nothing but the batch itself could hold them.
The fake Imburse keeps every order and request it sees; the generator empties it every
``CHECKPOINT`` items (``fake.reset()``: the client then re-exchanges its token once), and
memory is sampled right there, so each sample sees the same fake state and only the SDK's
own growth can show. Keeping as little as 50 bytes per item fails the bound; a control test
shows that a callback keeping its results is caught.

The default run is sized for CI; ``nox -s slow`` (or ``IMBURSE_SLOW_TESTS=1``) runs the
100,000-item version.
"""

from __future__ import annotations

import gc
import os
import tracemalloc
from collections.abc import Callable, Iterator
from typing import Any

import anyio
import pytest

from imburse import BatchItemResult
from imburse.testing import FakeImburse

CHECKPOINT = 1_000
SLOW = os.environ.get("IMBURSE_SLOW_TESTS") == "1"


def orders(
    count: int, fake: FakeImburse, samples: list[int], checkpoint: int = CHECKPOINT
) -> Iterator[dict[str, Any]]:
    """Orders built on demand; every ``checkpoint`` items: empty the fake, sample memory.

    Tracing starts at the first checkpoint, once the pool, the token and every code path are
    warm, so each sample is the memory allocated since then and still alive.
    """
    for n in range(count):
        if n and n % checkpoint == 0:
            fake.reset()
            gc.collect()
            if not tracemalloc.is_tracing():
                tracemalloc.start()
            samples.append(tracemalloc.get_traced_memory()[0])
        yield {
            "order_ref": f"MEM-{n:07d}",
            "metadata": {"n": str(n)},
            "instructions": [
                {
                    "instruction_ref": "I-1",
                    "customer_ref": "C-1",
                    "direction": "DEBIT",
                    "amount": f"{n % 1000 + 1}.00",
                    "currency": "GBP",
                    "country": "GB",
                }
            ],
        }


def run_batch(
    count: int, on_result: Callable[[BatchItemResult], None], checkpoint: int = CHECKPOINT
) -> tuple[Any, int]:
    """Run the batch; return its report and the growth per item between the samples."""
    samples: list[int] = []

    async def main() -> Any:
        with FakeImburse() as fake:
            async with fake.async_imburse() as client:
                return await client.orders.create_many(
                    orders(count, fake, samples, checkpoint), concurrency=32, on_result=on_result
                )

    try:
        report = anyio.run(main)
    finally:
        tracemalloc.stop()
    warm = samples[1:]  # the first checkpoint after tracing starts still sees warm-up
    growth = max(warm) - warm[0]
    return report, growth // (checkpoint * (len(warm) - 1))


@pytest.mark.parametrize(
    "count",
    [
        5_000,
        pytest.param(
            100_000,
            marks=[
                pytest.mark.slow,
                pytest.mark.skipif(not SLOW, reason="set IMBURSE_SLOW_TESTS=1 (nox -s slow)"),
            ],
        ),
    ],
)
def test_memory_is_flat_over_a_generator_of_orders(count: int) -> None:
    seen = 0

    def count_it(result: BatchItemResult) -> None:  # a callback that keeps nothing
        nonlocal seen
        seen += 1

    report, bytes_per_item = run_batch(count, count_it)

    assert (report.created, report.total, seen) == (count, count, count)
    assert report.failures == ()
    assert bytes_per_item < 50


def test_the_measurement_sees_a_callback_that_keeps_every_result() -> None:
    kept: list[BatchItemResult] = []
    report, bytes_per_item = run_batch(2_500, kept.append, checkpoint=500)
    assert report.created == len(kept) == 2_500
    assert bytes_per_item > 50  # so a batch keeping its results would fail the test above
