"""The attempt deadline: one bound on a whole attempt (connect, write, every read), in two
flavours.

Per-phase timeouts bound each connect, write and read, not their sum: a server that sends a
byte every few seconds keeps an attempt alive past any deadline. The pipeline runs every
attempt inside :class:`AsyncDeadline` (async) or :class:`Deadline` (sync, generated from the
same source by ``scripts/unasync.py``, which renames ``AsyncDeadline`` to ``Deadline`` and
``AsyncTimers`` to ``Timers``). Only public asyncio and anyio calls are used:
``Task.cancel``/``Task.uncancel`` (the protocol of ``asyncio.timeout``), ``loop.call_at`` and
``anyio.CancelScope``.
"""

from __future__ import annotations

import math
import sys
import time
from contextvars import ContextVar, Token
from types import TracebackType
from typing import Any

import anyio

__all__ = ["AsyncDeadline", "AsyncTimers", "Deadline", "Timers", "sync_time_left"]

_NEVER = math.inf
# When the innermost sync Deadline of this thread (or context) ends, in time.monotonic().
_SYNC_DEADLINE_AT: ContextVar[float] = ContextVar("imburse_sync_deadline_at", default=_NEVER)


def sync_time_left() -> float:
    """Seconds left before the innermost :class:`Deadline` around this code ends.

    ``inf`` outside any. The sync transports' network streams read it before every socket
    operation (see ``imburse._netbackends``).

    >>> sync_time_left()
    inf
    >>> with Deadline(5.0):
    ...     0 < sync_time_left() <= 5.0
    True
    """
    return _SYNC_DEADLINE_AT.get() - time.monotonic()


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
    (:class:`~imburse._guards.AsyncCallerGuard`), and a new loop (a forked child) starts it
    afresh.

    >>> timers = AsyncTimers()
    >>> timers.pending()
    0
    """

    __slots__ = ("_armed", "_handle", "_live", "_loop")

    def __init__(self) -> None:
        self._loop: Any = None
        self._live: dict[AsyncDeadline, float] = {}
        self._handle: Any = None
        self._armed = _NEVER

    def add(self, loop: Any, when: float, deadline: AsyncDeadline) -> None:
        """Cut ``deadline``'s block at loop time ``when`` unless it is removed first."""
        if loop is self._loop and when >= self._armed:  # the usual case: a dict entry
            self._live[deadline] = when
            return
        if loop is not self._loop:
            self._loop, self._live, self._handle, self._armed = loop, {}, None, _NEVER
        self._live[deadline] = when
        if when < self._armed:
            self._arm(loop, when)

    def remove(self, deadline: AsyncDeadline) -> None:
        """``deadline``'s block ended."""
        self._live.pop(deadline, None)

    def move(self, loop: Any, when: float, deadline: AsyncDeadline) -> None:
        """``deadline``, still being timed, now ends at loop time ``when``.

        Later is a dict update: the armed timer finds the entry not due when it fires and
        re-arms for the earliest left. Earlier re-arms now if it is before the armed time.
        """
        if deadline in self._live and loop is self._loop:
            self._live[deadline] = when
            if when < self._armed:
                self._arm(loop, when)

    def pending(self) -> int:
        """How many blocks are being timed now."""
        return len(self._live)

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
            deadline.fire()
        if live:
            self._arm(loop, min(live.values()))


class Timers:
    """The sync twin of :class:`AsyncTimers`: nothing to share, a :class:`Deadline` keeps
    its own time.

    >>> Timers()
    Timers()
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return "Timers()"


class AsyncDeadline:
    """Cancels the block it guards after ``seconds``; ``expired`` says whether it did.

    On asyncio it is a ``Task.cancel()`` when the deadline passes, taken back with
    ``Task.uncancel()`` (the protocol of ``asyncio.timeout``, which anyio's scopes honour):
    an anyio cancel scope costs several times more and every call pays it. The time is kept
    by ``timers`` (shared by the client's attempts) or, without it, by a loop timer of its
    own. On trio it is anyio's (that is trio's own) scope.

    >>> async def fetch_within(seconds: float, fetch: Any) -> Any:
    ...     with AsyncDeadline(seconds) as deadline:
    ...         return await fetch()
    ...     assert deadline.expired  # reached only when the deadline cut fetch() short
    """

    __slots__ = (
        "_cancelling",
        "_fired",
        "_handle",
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
        task: Any = None
        if aio is not None:
            try:
                task = aio.current_task()
            except RuntimeError:  # no asyncio loop runs in this thread (trio)
                task = None
        if task is None:  # trio, or asyncio code outside a task
            self._scope = anyio.move_on_after(self._seconds)
            self._scope.__enter__()
            return self
        self._task = task
        self._cancelling: int = task.cancelling()
        loop = task.get_loop()
        when = loop.time() + self._seconds
        timers = self._timers
        if timers is None:
            self._handle = loop.call_at(when, self.fire)
        else:
            timers.add(loop, when, self)
        return self

    def extend(self, seconds: float) -> None:
        """Make the block end ``seconds`` from now instead (a watchdog fed on progress).

        Only inside the block, before it expired. With shared ``timers`` this costs a dict
        update, so it may run for every chunk read.

        >>> async def read_all(stream: Any, idle: float) -> list[bytes]:
        ...     chunks = []
        ...     with AsyncDeadline(idle) as watch:  # no chunk for `idle` seconds: cut
        ...         async for chunk in stream:
        ...             chunks.append(chunk)
        ...             watch.extend(idle)
        ...     return chunks
        """
        if self._fired:
            return
        scope = self._scope
        if scope is not None:
            scope.deadline = anyio.current_time() + seconds
            return
        loop = self._task.get_loop()
        when = loop.time() + seconds
        if self._timers is not None:
            self._timers.move(loop, when, self)
        else:
            self._handle.cancel()
            self._handle = loop.call_at(when, self.fire)

    def fire(self) -> None:
        """The deadline passed: cancel the task running the block (once)."""
        if not self._fired:
            self._fired = True
            self._task.cancel()

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
            self._timers.remove(self)
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
    """The sync twin of :class:`AsyncDeadline`.

    A thread cannot be cancelled mid-read, so the deadline is handed to the network instead:
    while the block runs, :func:`sync_time_left` says how long is left, and the sync
    transports the SDK builds give every socket connect, read and write at most that long
    (``imburse._netbackends``). A caller's own ``http_client`` does not consult it: there
    only the per-phase timeouts, clipped to the deadline, bound the attempt.

    >>> with Deadline(0.5) as deadline:
    ...     sync_time_left() <= 0.5
    True
    >>> deadline.expired
    False
    """

    __slots__ = ("_at", "_token", "expired")

    def __init__(self, seconds: float, timers: Timers | None = None) -> None:
        self._at = seconds  # made absolute on entry
        self.expired = False

    def __enter__(self) -> Deadline:
        self._at = at = time.monotonic() + self._at
        # A nested deadline never extends the one around it.
        self._token: Token[float] = _SYNC_DEADLINE_AT.set(min(at, _SYNC_DEADLINE_AT.get()))
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        _SYNC_DEADLINE_AT.reset(self._token)
        if exc_type is not None and time.monotonic() >= self._at:
            self.expired = True
        return None
