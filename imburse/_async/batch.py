"""``client.orders.create_many``: many orders with bounded concurrency and bounded memory.

Why it is shaped like this: a batch job must push as fast as the quota allows, survive a
crash without duplicates, and never hold the whole input or every result in memory.

* The caller's input is read one item at a time, and only when a worker is free, so at most
  ``concurrency`` items are held; successful results go to ``on_result`` and are dropped.
* Every create goes through the client's ordinary pipeline (token, rate-limit policy, retries,
  deadline) as ``orders.create_from(order, existing_ok=True)``: the safe-create rule settles
  unknown outcomes, and an order that already exists is read back and compared. Refs are
  natural keys, so re-running the same input after a crash finishes the job: survivors are
  reported as ``already_existed``, a differing order as ``conflict``, and nothing is created
  twice or overwritten.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from .._concurrency import AsyncSource, AsyncWorkerPool, async_iterate
from .._core.batch_defaults import DEFAULT_CONCURRENCY
from .._core.errors import ValidationError
from .._core.models.batch import (
    BatchItemResult,
    BatchProgress,
    BatchReport,
    BatchTally,
    OrderItem,
    failure_result,
    order_input,
    success_result,
)
from .._core.models.orders import OrderInput

if TYPE_CHECKING:
    from .resources.orders_custom import AsyncOrdersCustom

__all__ = ["DEFAULT_CONCURRENCY", "AsyncOrderBatch"]

OnResult = Callable[[BatchItemResult], None]
OnProgress = Callable[[BatchProgress], None]


class AsyncOrderBatch:
    """One run of ``create_many``; see ``client.orders.create_many``."""

    def __init__(
        self,
        orders: AsyncOrdersCustom,
        *,
        concurrency: int,
        on_result: OnResult | None,
        on_progress: OnProgress | None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
            raise ValidationError(
                "concurrency", f"must be an int of at least 1 (got {concurrency!r})"
            )
        self._orders = orders
        self._concurrency = concurrency
        self._on_result = on_result
        self._on_progress = on_progress
        self._clock = clock
        # Counting and callbacks run under this lock, so callbacks never run concurrently
        # (worker threads in the sync twin). Nothing awaits while holding it.
        self._lock = threading.Lock()
        self._tally = BatchTally(clock())

    async def run(self, items: AsyncSource[OrderItem]) -> BatchReport:
        """Create every item; return the report once all of them finished.

        If the input or a callback raises, no further item is taken, the creates in flight
        finish (their results still reach ``on_result``), and the error is raised.
        """
        feed_error: Exception | None = None
        iterator = async_iterate(items)
        async with AsyncWorkerPool(self._concurrency) as pool:
            index = 0
            try:
                while True:
                    await pool.reserve()
                    if pool.error is not None:  # a callback raised in a worker
                        pool.release()
                        break
                    try:
                        item = await anext(iterator)
                    except StopAsyncIteration:
                        pool.release()
                        break
                    except BaseException:
                        pool.release()
                        raise
                    try:
                        order = order_input(item)
                    except ValidationError as err:
                        pool.release()
                        self._finish(failure_result(index, item, err), started=False)
                    else:
                        with self._lock:
                            self._tally.start()
                        pool.start(self._create, (index, order))
                    index += 1
            except Exception as err:  # from the input or a callback: stop feeding, then raise
                feed_error = err
            finally:
                await iterator.aclose()
        if feed_error is not None:
            raise feed_error
        with self._lock:
            return self._tally.report(self._clock())

    async def _create(self, work: tuple[int, OrderInput]) -> None:
        index, order = work
        try:
            receipt = await self._orders.create_from(order, existing_ok=True)
        except Exception as err:  # every failure is an outcome of this item, not of the batch
            result = failure_result(index, order, err)
        else:
            result = success_result(index, receipt)
        self._finish(result)

    def _finish(self, result: BatchItemResult, *, started: bool = True) -> None:
        with self._lock:
            progress = self._tally.finish(result, self._clock(), started=started)
            if self._on_result is not None:
                self._on_result(result)
            if self._on_progress is not None:
                self._on_progress(progress)
