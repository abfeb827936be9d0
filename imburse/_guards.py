"""Who may call a client: not after close, not from another event loop, not on a parent's
pool after ``os.fork()``.

Hand-written, holding both flavours: the generated sync client uses :class:`CallerGuard`,
the async one :class:`AsyncCallerGuard`.
"""

from __future__ import annotations

import os
import sys
import weakref
from collections.abc import Callable

from ._core.errors import ClientStateError

__all__ = ["AsyncCallerGuard", "CallerGuard", "current_trio_token", "running_loop"]

_GUARDS: weakref.WeakSet[CallerGuard] = weakref.WeakSet()


def _after_fork_in_child() -> None:
    # Only a flag here: the child may hold locks in any state; the next call rebuilds.
    for guard in list(_GUARDS):
        guard.forked = True


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_after_fork_in_child)


def running_loop() -> object | None:
    """The asyncio loop, or the trio run, the calling task runs in (``None`` outside one).

    >>> running_loop() is None
    True
    """
    # asyncio is looked up, not imported: a program that never imported it runs no asyncio
    # loop, and importing it costs ~20 ms at start-up (this module loads with the client).
    asyncio = sys.modules.get("asyncio")
    if asyncio is not None:
        try:
            loop: object = asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            return loop
    return current_trio_token()


def current_trio_token() -> object | None:
    """The trio run the calling code runs in (``None`` outside one).

    >>> current_trio_token() is None
    True
    """
    # Looked up, not imported: a program that never imported trio runs no trio loop.
    trio = sys.modules.get("trio")
    if trio is None:
        return None
    try:
        token: object = trio.lowlevel.current_trio_token()
    except RuntimeError:
        return None
    return token


class CallerGuard:
    """Checked at the start of every call of a client (and its ``with_options`` views).

    Refuses calls once the client is closed (:class:`~imburse.ClientStateError`), and after
    ``os.fork()`` calls ``on_fork`` once, in the child, before its first call: the pool,
    whose connections are the parent's sockets, and any lock another thread held at the
    fork must not be used there. ``on_fork`` returns whether it rebuilt the pool.

    >>> guard = CallerGuard(lambda: False)
    >>> guard.check()
    >>> guard.closed = True
    >>> guard.check()
    Traceback (most recent call last):
    imburse.ClientStateError: the client is closed; create a new one to make calls
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


class AsyncCallerGuard(CallerGuard):
    """:class:`CallerGuard`, and an async client stays on the event loop it first ran on.

    Its connections, locks and semaphores belong to that loop; from another one they fail
    in obscure ways ("Event loop is closed", a hang) or, worse, seem to work. A forked child
    starts on a fresh loop, so the binding is dropped when ``on_fork`` rebuilt the pool.

    >>> guard = AsyncCallerGuard(lambda: False)
    >>> guard.check()  # outside any loop: binds to "no loop"
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
        try:
            loop: object | None = aio.get_running_loop() if aio is not None else None
        except RuntimeError:
            loop = None
        if loop is None:
            loop = running_loop()
        if loop is not self._loop:
            if self._loop is not None:
                raise ClientStateError(
                    "this AsyncImburse is bound to the event loop it first ran on and cannot "
                    "be used from another one; create one client per event loop (e.g. in "
                    "the app's lifespan) or use the sync Imburse from threads"
                )
            self._loop = loop
