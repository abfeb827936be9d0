"""Locks, semaphores and sleeping in two flavours, so ``_async`` code can become ``_sync``.

The code generator (``scripts/unasync.py``) renames ``AsyncLock`` to ``Lock``,
``AsyncSemaphore`` to ``Semaphore``, ``AsyncSleep`` to ``Sleep``, ``async_sleep`` to
``sync_sleep`` and ``async_close`` to ``sync_close``; this module is hand-written and holds
both sides.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Any

import anyio

__all__ = [
    "AsyncLock",
    "AsyncSemaphore",
    "AsyncSleep",
    "Lock",
    "Semaphore",
    "Sleep",
    "async_close",
    "async_sleep",
    "sync_close",
    "sync_sleep",
]

AsyncSleep = Callable[[float], Awaitable[None]]
Sleep = Callable[[float], None]


async def async_sleep(seconds: float) -> None:
    """Sleep on whichever event loop runs (asyncio or trio).

    >>> import anyio
    >>> anyio.run(async_sleep, 0)
    """
    await anyio.sleep(seconds)


def sync_sleep(seconds: float) -> None:
    """Block the calling thread.

    >>> sync_sleep(0)
    """
    time.sleep(seconds)


async def async_close(resource: Any) -> None:
    """``await resource.aclose()``, shielded from cancellation: a close cut short by the
    caller's deadline would leave a socket open.

    >>> class Closable:
    ...     async def aclose(self) -> None:
    ...         print("closed")
    >>> anyio.run(async_close, Closable())
    closed
    """
    with anyio.CancelScope(shield=True):
        await resource.aclose()


def sync_close(resource: Any) -> None:
    """``resource.close()`` (a thread is not cancelled mid-close).

    >>> import io
    >>> sync_close(io.BytesIO())
    """
    resource.close()


class AsyncLock:
    """An anyio lock (works on asyncio and trio).

    >>> async def guarded(lock: AsyncLock) -> None:
    ...     async with lock:
    ...         pass
    """

    def __init__(self) -> None:
        # Made on first use, on the running loop: outside one, anyio.Lock() only asks which
        # event loop runs (importing asyncio to find out) and defers to first use anyway, so
        # building a client would pay that for nothing.
        self._lock: anyio.Lock | None = None

    async def __aenter__(self) -> None:
        lock = self._lock
        if lock is None:  # no await before the assignment: one lock, even under contention
            lock = self._lock = anyio.Lock()
        await lock.acquire()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._lock is not None  # made by __aenter__
        self._lock.release()


class Lock:
    """A thread lock with the same interface as :class:`AsyncLock`.

    >>> with Lock():
    ...     pass
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()

    def __enter__(self) -> None:
        self._lock.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._lock.release()


class AsyncSemaphore:
    """Caps concurrent holders; ``acquire`` gives up after ``timeout`` seconds.

    >>> async def one_slot(gate: AsyncSemaphore) -> bool:
    ...     return await gate.acquire(timeout=1.0)
    """

    def __init__(self, value: int) -> None:
        self._value = value
        self._sem = anyio.Semaphore(value)

    def try_acquire(self) -> bool:
        """A slot if one is free now (never waits, never yields to the loop)."""
        try:
            self._sem.acquire_nowait()
        except anyio.WouldBlock:
            return False
        return True

    async def acquire(self, timeout: float | None) -> bool:  # noqa: ASYNC109 - a bounded wait is the point
        """True when acquired within ``timeout`` seconds (``None``: however long it takes)."""
        with anyio.move_on_after(math.inf if timeout is None else timeout):
            await self._sem.acquire()
            return True
        return False

    def release(self) -> None:
        """Give back one slot."""
        self._sem.release()

    def demand(self) -> int:
        """Slots held plus waiters."""
        return self._value - self._sem.value + self._sem.statistics().tasks_waiting


class Semaphore:
    """A thread semaphore with the same interface as :class:`AsyncSemaphore`.

    >>> gate = Semaphore(1)
    >>> gate.acquire(timeout=0.1), gate.acquire(timeout=0.0), gate.demand()
    (True, False, 1)
    """

    def __init__(self, value: int) -> None:
        self._free = value
        self._value = value
        self._waiting = 0
        self._changed = threading.Condition(threading.Lock())

    def try_acquire(self) -> bool:
        """A slot if one is free now (never waits)."""
        with self._changed:
            if self._free > 0:
                self._free -= 1
                return True
            return False

    def acquire(self, timeout: float | None) -> bool:
        """True when acquired within ``timeout`` seconds (``None``: however long it takes)."""
        with self._changed:
            self._waiting += 1
            try:
                wait = None if timeout is None else max(timeout, 0.0)
                if not self._changed.wait_for(lambda: self._free > 0, wait):
                    return False
                self._free -= 1
                return True
            finally:
                self._waiting -= 1

    def release(self) -> None:
        """Give back one slot."""
        with self._changed:
            if self._free >= self._value:
                raise ValueError("Semaphore released too many times")
            self._free += 1
            self._changed.notify()

    def demand(self) -> int:
        """Slots held plus waiters."""
        with self._changed:
            return self._value - self._free + self._waiting
