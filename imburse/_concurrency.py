"""Concurrency primitives in two flavours, so ``_async`` code can be turned into ``_sync``.

The code generator (``scripts/unasync.py``) renames ``AsyncLock`` to ``Lock``,
``AsyncSemaphore`` to ``Semaphore``, ``AsyncWorkerPool`` to ``WorkerPool`` (tasks become
threads), ``AsyncCallerGuard`` to ``CallerGuard``, ``AsyncDeadline`` to ``Deadline``,
``AsyncSource`` to ``Source``, ``AsyncTimers`` to ``Timers`` and
``async_sleep`` / ``async_iterate`` to ``sync_sleep`` / ``sync_iterate``; this module is
hand-written and holds both sides.
"""

from __future__ import annotations

import os
import sys
import threading
import time
import weakref
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
from typing import Any, TypeAlias, TypeVar

import anyio
import anyio.abc

from ._core.errors import ClientStateError

__all__ = [
    "AsyncCallerGuard",
    "AsyncDeadline",
    "AsyncLock",
    "AsyncSemaphore",
    "AsyncSleep",
    "AsyncSource",
    "AsyncTimers",
    "AsyncWorkerPool",
    "CallerGuard",
    "Deadline",
    "Lock",
    "Semaphore",
    "Sleep",
    "Source",
    "Timers",
    "WorkerPool",
    "async_iterate",
    "async_sleep",
    "sync_iterate",
    "sync_sleep",
]

T = TypeVar("T")

AsyncSleep = Callable[[float], Awaitable[None]]
Sleep = Callable[[float], None]
#: Input of async batch methods: any iterable, sync or async.
AsyncSource: TypeAlias = Iterable[T] | AsyncIterable[T]
#: Input of sync batch methods.
Source: TypeAlias = Iterable[T]
_NEVER = float("inf")


async def async_sleep(seconds: float) -> None:
    """Sleep on whichever event loop runs (asyncio or trio)."""
    await anyio.sleep(seconds)


def sync_sleep(seconds: float) -> None:
    """Block the calling thread."""
    time.sleep(seconds)


class AsyncLock:
    """An anyio lock (works on asyncio and trio)."""

    def __init__(self) -> None:
        self._lock = anyio.Lock()

    async def __aenter__(self) -> None:
        await self._lock.acquire()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._lock.release()


class Lock:
    """A thread lock with the same interface as :class:`AsyncLock`."""

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


class AsyncTimers:
    """The attempt deadlines of one async client, behind a single event-loop timer.

    A loop timer per attempt costs a ``TimerHandle``, a push into the loop's heap (ordered
    by Python-level comparisons), a cancel and a later pop or purge: measured, more than a
    tenth of an SDK call's CPU at 100 in flight, for a deadline that almost never fires.
    Here an attempt's deadline is a dict entry, removed when the attempt ends, and one loop
    timer is armed at the earliest deadline known when it was armed. When it fires it cuts
    the attempts that are due and re-arms for the earliest left: with the same deadline for
    every call (the default), that is about once per deadline length, however many calls.

    The client owns it, so it lives and dies with the client; a client runs on one loop
    (:class:`AsyncCallerGuard`), and a new loop (a forked child) starts it afresh.
    """

    __slots__ = ("_armed", "_handle", "_live", "_loop")

    def __init__(self) -> None:
        self._loop: Any = None
        self._live: dict[AsyncDeadline, float] = {}
        self._handle: Any = None
        self._armed = _NEVER

    def add(self, loop: Any, when: float, deadline: AsyncDeadline) -> None:
        """Cut ``deadline``'s block at loop time ``when`` unless it is removed first."""
        if loop is not self._loop:
            self._loop, self._live, self._handle, self._armed = loop, {}, None, _NEVER
        self._live[deadline] = when
        if when < self._armed:
            self._arm(loop, when)

    def remove(self, deadline: AsyncDeadline) -> None:
        """``deadline``'s block ended."""
        self._live.pop(deadline, None)

    def _arm(self, loop: Any, when: float) -> None:
        if self._handle is not None:
            self._handle.cancel()
        self._armed = when
        self._handle = loop.call_at(when, self._fire, loop)

    def _fire(self, loop: Any) -> None:
        self._handle, self._armed = None, _NEVER
        if loop is not self._loop:
            return
        now = loop.time()
        live = self._live
        for deadline in [d for d, when in live.items() if when <= now]:
            del live[deadline]
            deadline._fire()
        if live:
            self._arm(loop, min(live.values()))


class Timers:
    """The sync twin of :class:`AsyncTimers`: nothing to hold, a :class:`Deadline` does not
    cut anything."""

    __slots__ = ()


class AsyncDeadline:
    """Cancels the block it guards after ``seconds``; ``expired`` says whether it did.

    Per-phase timeouts bound each connect, write and read, not their sum: a server that
    sends a byte every few seconds keeps an attempt alive past any deadline. This bounds
    the whole attempt, whatever the HTTP stack.

    On asyncio it is a ``Task.cancel()`` when the deadline passes, taken back with
    ``Task.uncancel()`` (the protocol of ``asyncio.timeout``, which anyio's scopes honour):
    an anyio cancel scope costs several times more and every call pays it. The time is kept
    by ``timers`` (shared by the client's attempts) or, without it, by a loop timer of its
    own. On trio it is anyio's (that is trio's own) scope.
    """

    __slots__ = (
        "_cancelling",
        "_fired",
        "_handle",
        "_loop",
        "_scope",
        "_seconds",
        "_task",
        "_timers",
        "expired",  # True when the block was cut short by the deadline (set on leaving it)
    )

    def __init__(self, seconds: float, timers: AsyncTimers | None = None) -> None:
        self._seconds = seconds
        self._timers = timers
        self._scope: anyio.CancelScope | None = None
        self._handle: Any = None
        self._fired = False
        self.expired = False

    def __enter__(self) -> AsyncDeadline:
        # asyncio is looked up, not imported: when nothing imported it, no asyncio loop runs.
        aio = sys.modules.get("asyncio")
        loop: Any = None
        task: Any = None
        if aio is not None:
            loop = aio._get_running_loop()
            if loop is not None:
                task = aio.current_task(loop)
        if task is None:  # trio, or asyncio code outside a task
            self._scope = anyio.move_on_after(self._seconds)
            self._scope.__enter__()
            return self
        self._loop, self._task = loop, task
        self._cancelling: int = task.cancelling()
        when = loop.time() + self._seconds
        timers = self._timers
        if timers is None:
            self._handle = loop.call_at(when, self._fire)
        elif loop is timers._loop and when >= timers._armed:
            timers._live[self] = when  # the usual case of AsyncTimers.add, inline
        else:
            timers.add(loop, when, self)
        return self

    def _fire(self) -> None:
        task = self._task
        # As anyio does: a task whose wait already ended is left to take what it waited for
        # (a cancel now would drop it), and one already being cancelled is left alone; ask
        # again on the next turn of the loop, when it waits again or has left the block
        # (which cancels this handle).
        waiter = getattr(task, "_fut_waiter", None)
        if (waiter is not None and waiter.done()) or getattr(task, "_must_cancel", False):
            self._handle = self._loop.call_soon(self._fire)
            return
        self._fired = True
        task.cancel()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        scope = self._scope
        if scope is not None:
            suppressed = bool(scope.__exit__(exc_type, exc, tb))
            self.expired = scope.cancelled_caught
            return suppressed
        if self._timers is not None:
            self._timers._live.pop(self, None)  # AsyncTimers.remove, inline
        if self._handle is not None:
            self._handle.cancel()
        if not self._fired:
            return False
        # Our cancel request is withdrawn; the CancelledError is ours to swallow only when
        # nobody else asked to cancel the task meanwhile (then it must propagate).
        aio = sys.modules["asyncio"]
        if (
            self._task.uncancel() <= self._cancelling
            and exc_type is not None
            and issubclass(exc_type, aio.CancelledError)
        ):
            self.expired = True
            return True
        return False


class Deadline:
    """The sync twin of :class:`AsyncDeadline`: a thread cannot be cancelled, so this does
    nothing and the per-phase timeouts, clipped to the deadline, are the only bound."""

    __slots__ = ()
    expired = False

    def __init__(self, seconds: float, timers: Timers | None = None) -> None:
        pass

    def __enter__(self) -> Deadline:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        return None


class AsyncSemaphore:
    """Caps concurrent holders; ``acquire`` gives up after ``timeout`` seconds."""

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
    """A thread semaphore with the same interface as :class:`AsyncSemaphore`."""

    def __init__(self, value: int) -> None:
        self._sem = threading.BoundedSemaphore(value)

    def acquire(self, timeout: float) -> bool:
        """True when acquired within ``timeout`` seconds."""
        return self._sem.acquire(timeout=max(timeout, 0.0))

    def release(self) -> None:
        """Give back one slot."""
        self._sem.release()


async def async_iterate(items: AsyncSource[T]) -> AsyncGenerator[T, None]:
    """Iterate a sync or an async iterable with ``async for``."""
    if isinstance(items, AsyncIterable):
        async for item in items:
            yield item
    else:
        for item in items:
            yield item


def sync_iterate(items: Source[T]) -> Generator[T, None, None]:
    """The sync twin of :func:`async_iterate` (a generator, so it can be closed)."""
    yield from items


class AsyncWorkerPool:
    """Runs jobs as tasks, at most ``size`` at a time.

    The caller feeds it one item at a time: ``await reserve()`` waits for a free slot,
    ``start(job, arg)`` runs ``job(arg)`` on it, ``release()`` hands back a slot it did not
    use. So the caller takes its next input only when a worker is free, and memory stays
    bounded by ``size``. A job that raises stores its error in :attr:`error` (the first
    one); the caller should stop feeding, and leaving the ``async with`` block waits for the
    running jobs and then raises it.
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


# --- who may call: not after close, not from another event loop, not on a parent's pool ---

_GUARDS: weakref.WeakSet[CallerGuard] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    # Only a flag here: the child may hold locks in any state; the next call rebuilds.
    for guard in list(_GUARDS):
        guard.forked = True


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_after_fork_in_child)


class CallerGuard:
    """Checked at the start of every call of a client (and its ``with_options`` views).

    Refuses calls once the client is closed (:class:`~imburse.ClientStateError`), and after
    ``os.fork()`` calls ``on_fork`` once, in the child, before its first call: the pool,
    whose connections are the parent's sockets, and any lock another thread held at the
    fork must not be used there. ``on_fork`` returns whether it rebuilt the pool.
    """

    def __init__(self, on_fork: Callable[[], bool]) -> None:
        self.closed = False
        self.forked = False
        self._on_fork = on_fork
        _GUARDS.add(self)

    def check(self) -> None:
        """Raise if no call may start now; handle a fork first."""
        if self.closed:
            raise ClientStateError("the client is closed; create a new one to make calls")
        if self.forked:
            self.forked = False
            self._on_fork()


def _running_loop() -> object | None:
    """The asyncio loop, or the trio run, this task runs in."""
    # asyncio is looked up, not imported: a program that never imported it runs no asyncio
    # loop, and importing it costs ~20 ms at start-up (this module loads with the client).
    asyncio = sys.modules.get("asyncio")
    if asyncio is not None:
        loop: object | None = asyncio._get_running_loop()
        if loop is not None:
            return loop
    trio = sys.modules.get("trio")
    if trio is not None:
        try:
            token: object = trio.lowlevel.current_trio_token()
        except RuntimeError:
            return None
        return token
    return None


class AsyncCallerGuard(CallerGuard):
    """:class:`CallerGuard`, and an async client stays on the event loop it first ran on.

    Its connections, locks and semaphores belong to that loop; from another one they fail
    in obscure ways ("Event loop is closed", a hang) or, worse, seem to work. A forked child
    starts on a fresh loop, so the binding is dropped when ``on_fork`` rebuilt the pool.
    """

    def __init__(self, on_fork: Callable[[], bool]) -> None:
        super().__init__(on_fork)
        self._loop: object | None = None

    def check(self) -> None:
        """Raise if no call may start now; bind to the running loop on the first call."""
        if self.closed:
            raise ClientStateError("the client is closed; create a new one to make calls")
        if self.forked:
            self.forked = False
            if self._on_fork():
                self._loop = None
        # The asyncio case inline (every call checks); trio and no loop take the helper.
        aio = sys.modules.get("asyncio")
        loop = aio._get_running_loop() if aio is not None else None
        if loop is None:
            loop = _running_loop()
        if loop is not self._loop:
            if self._loop is not None:
                raise ClientStateError(
                    "this AsyncImburse is bound to the event loop it first ran on and cannot "
                    "be used from another one; create one client per event loop (e.g. in "
                    "the app's lifespan) or use the sync Imburse from threads"
                )
            self._loop = loop
