"""The fake's state behind one lock: the seam between ``FakeImburse`` and its helpers.

``FakeImburse`` is the public face; the :class:`Engine` behind it owns the routing app, the
lock that guards it, and the log of requests. :class:`~imburse.testing.Exchange` (one
request in flight) and the route groups' seeding helpers (``configure_mandates``,
``add_financial_instrument``, ...) work through the engine's public methods instead of
reaching into the fake; a helper given a ``FakeImburse`` finds its engine with
:func:`engine_of`. Internal: nothing here is part of the public API.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections.abc import Callable, Iterator, Mapping

from ._answers import FakeResponse, SeenRequest
from ._app import Answer, App
from ._errors import problem_for_status
from ._faults import Fault

__all__ = ["Engine", "engine_of", "register"]

# The engine of each live fake. A registry rather than an attribute, so that the helpers
# need no access to the fake's private members and the public class shows nothing of it.
_ENGINES: weakref.WeakKeyDictionary[object, Engine] = weakref.WeakKeyDictionary()


class Engine:
    """The app, its lock and the request log of one fake (thread-safe)."""

    def __init__(
        self,
        app: App,
        *,
        record_requests: bool = True,
        on_request: Callable[[SeenRequest], object] | None = None,
    ) -> None:
        self.lock = threading.RLock()
        self.app = app
        self.requests: list[SeenRequest] = []
        self.record_requests = record_requests
        self.on_request = on_request

    @contextlib.contextmanager
    def locked(self) -> Iterator[App]:
        """Hold the lock and give the app (for seeding state from a test)."""
        with self.lock:
            yield self.app

    def apply(
        self, method: str, path: str, headers: Mapping[str, str], body: bytes, query: str = ""
    ) -> Answer:
        """Handle one request against the state."""
        with self.lock:
            return self.app.handle(method, path, headers, body, query)

    def status_response(self, fault: Fault, headers: Mapping[str, str]) -> FakeResponse:
        """The answer of a ``status`` fault, in Imburse's error shape."""
        extra: dict[str, str] = {}
        if fault.retry_after is not None:
            extra["retry-after"] = fault.retry_after
        if fault.retry_after_ms is not None:
            extra["retry-after-ms"] = fault.retry_after_ms
        with self.lock:
            trace_id = self.app.trace_ids.next()
            if fault.status >= 400:
                answer = self.app.problem_answer(
                    fault.status, [problem_for_status(fault.status)], headers, trace_id
                )
            else:
                answer = Answer(fault.status, {"content-length": "0"}, b"", trace_id)
        return FakeResponse(answer.status, {**answer.headers, **extra}, answer.body, fault="status")

    def record(self, seen: SeenRequest) -> None:
        """Log one request and tell the listener (outside the lock: it may call the fake)."""
        if self.record_requests:
            with self.lock:
                self.requests.append(seen)
        if self.on_request is not None:
            self.on_request(seen)


def register(fake: object, engine: Engine) -> None:
    """Tie ``engine`` to ``fake`` for :func:`engine_of` (for as long as the fake lives)."""
    _ENGINES[fake] = engine


def engine_of(fake: object) -> Engine:
    """The engine behind a ``FakeImburse``.

    >>> from imburse.testing import FakeImburse
    >>> with engine_of(FakeImburse()).locked() as app:
    ...     app.token_exchanges
    0
    """
    return _ENGINES[fake]
