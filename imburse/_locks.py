"""Locks, semaphores and sleeping in two flavours, so ``_async`` code can become ``_sync``.

The code generator (``scripts/unasync.py``) renames ``AsyncLock`` to ``Lock``,
``AsyncSemaphore`` to ``Semaphore``, ``AsyncSleep`` to ``Sleep`` and ``async_sleep`` to
``sync_sleep``; this module is hand-written and holds both sides.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable
from types import TracebackType

import anyio

__all__ = [
    "AsyncLock",
    "AsyncSemaphore",
    "AsyncSleep",
    "Lock",
    "Semaphore",
    "Sleep",
    "async_sleep",
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
        self._sem = anyio.Semaphore(value)

    async def acquire(self, timeout: float) -> bool:  # noqa: ASYNC109 - a bounded wait is the point
        """True when acquired within ``timeout`` seconds."""
        with anyio.move_on_after(timeout):
            await self._sem.acquire()
            return True
        return False

    def release(self) -> None:
        """Give back one slot."""
        self._sem.release()


class Semaphore:
    """A thread semaphore with the same interface as :class:`AsyncSemaphore`.

    >>> gate = Semaphore(1)
    >>> gate.acquire(timeout=0.1), gate.acquire(timeout=0.0)
    (True, False)
    """

    def __init__(self, value: int) -> None:
        self._sem = threading.BoundedSemaphore(value)

    def acquire(self, timeout: float) -> bool:
        """True when acquired within ``timeout`` seconds."""
        return self._sem.acquire(timeout=max(timeout, 0.0))

    def release(self) -> None:
        """Give back one slot."""
        self._sem.release()
