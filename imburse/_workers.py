"""Bounded worker pools for batch methods, and their input, in two flavours.

The code generator (``scripts/unasync.py``) renames ``AsyncWorkerPool`` to ``WorkerPool``
(tasks become threads), ``AsyncSource`` to ``Source`` and ``async_iterate`` to
``sync_iterate``; this module is hand-written and holds both sides.
"""

from __future__ import annotations

import threading
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    Awaitable,
    Callable,
    Generator,
    Iterable,
)
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import TypeAlias, TypeVar

import anyio
import anyio.abc

__all__ = [
    "AsyncSource",
    "AsyncWorkerPool",
    "Source",
    "WorkerPool",
    "async_iterate",
    "sync_iterate",
]

T = TypeVar("T")

#: Input of async batch methods: any iterable, sync or async.
AsyncSource: TypeAlias = Iterable[T] | AsyncIterable[T]
#: Input of sync batch methods.
Source: TypeAlias = Iterable[T]


async def async_iterate(items: AsyncSource[T]) -> AsyncGenerator[T, None]:
    """Iterate a sync or an async iterable with ``async for``.

    >>> async def first(items: AsyncSource[int]) -> int:
    ...     async for item in async_iterate(items):
    ...         return item
    ...     return -1
    """
    if isinstance(items, AsyncIterable):
        async for item in items:
            yield item
    else:
        for item in items:
            yield item


def sync_iterate(items: Source[T]) -> Generator[T, None, None]:
    """The sync twin of :func:`async_iterate` (a generator, so it can be closed).

    >>> list(sync_iterate([1, 2]))
    [1, 2]
    """
    yield from items


class AsyncWorkerPool:
    """Runs jobs as tasks, at most ``size`` at a time.

    The caller feeds it one item at a time: ``await reserve()`` waits for a free slot,
    ``start(job, arg)`` runs ``job(arg)`` on it, ``release()`` hands back a slot it did not
    use. So the caller takes its next input only when a worker is free, and memory stays
    bounded by ``size``. A job that raises stores its error in :attr:`error` (the first
    one); the caller should stop feeding, and leaving the ``async with`` block waits for the
    running jobs and then raises it.

    >>> async def run_all(job: Callable[[int], Awaitable[None]]) -> None:
    ...     async with AsyncWorkerPool(4) as pool:
    ...         for item in range(10):
    ...             await pool.reserve()
    ...             pool.start(job, item)
    """

    def __init__(self, size: int) -> None:
        self._slots = anyio.Semaphore(size)
        self._group: anyio.abc.TaskGroup | None = None
        self.error: Exception | None = None

    async def __aenter__(self) -> AsyncWorkerPool:
        self._group = anyio.create_task_group()
        await self._group.__aenter__()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool | None:
        assert self._group is not None
        suppress = await self._group.__aexit__(exc_type, exc, tb)
        if exc is None and self.error is not None:
            raise self.error
        return suppress

    async def reserve(self) -> None:
        """Wait until fewer than ``size`` jobs run, and hold that slot."""
        await self._slots.acquire()

    def release(self) -> None:
        """Give back a reserved slot that was not used."""
        self._slots.release()

    def start(self, job: Callable[[T], Awaitable[None]], arg: T) -> None:
        """Run ``job(arg)`` on the slot reserved last."""
        assert self._group is not None
        self._group.start_soon(self._run, job, arg)

    async def _run(self, job: Callable[[T], Awaitable[None]], arg: T) -> None:
        try:
            await job(arg)
        except Exception as err:  # kept and raised on exit; cancellation passes through
            if self.error is None:
                self.error = err
        finally:
            self._slots.release()


class WorkerPool:
    """The thread twin of :class:`AsyncWorkerPool`: jobs run on up to ``size`` threads.

    The caller's own thread feeds it (so an input such as a database cursor is only ever
    touched by that thread). Leaving the ``with`` block waits for the running jobs.

    >>> done = []
    >>> with WorkerPool(2) as pool:
    ...     for item in range(3):
    ...         pool.reserve()
    ...         pool.start(done.append, item)
    >>> sorted(done)
    [0, 1, 2]
    """

    def __init__(self, size: int) -> None:
        self._slots = threading.Semaphore(size)
        self._executor = ThreadPoolExecutor(max_workers=size, thread_name_prefix="imburse-worker")
        self.error: Exception | None = None

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool | None:
        self._executor.shutdown(wait=True)
        if exc is None and self.error is not None:
            raise self.error
        return None

    def reserve(self) -> None:
        """Wait until fewer than ``size`` jobs run, and hold that slot."""
        self._slots.acquire()

    def release(self) -> None:
        """Give back a reserved slot that was not used."""
        self._slots.release()

    def start(self, job: Callable[[T], None], arg: T) -> None:
        """Run ``job(arg)`` on a worker thread, on the slot reserved last."""
        self._executor.submit(self._run, job, arg)

    def _run(self, job: Callable[[T], None], arg: T) -> None:
        try:
            job(arg)
        except Exception as err:  # kept and raised on exit
            if self.error is None:
                self.error = err
        finally:
            self._slots.release()
