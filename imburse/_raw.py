"""``with_raw_response``: the HTTP details of a call next to its decoded result.

A raw-response wrapper runs the ordinary method while a context variable asks the client to
record what came back; context variables follow both tasks and threads, so one mechanism
serves the async and the sync client.
"""

from __future__ import annotations

import contextvars
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Generic, ParamSpec, TypeVar

import attrs

__all__ = ["RawResponse", "async_raw", "record_raw", "sync_raw"]

P = ParamSpec("P")
R = TypeVar("R")


@attrs.define
class _Capture:
    status_code: int = 0
    headers: Mapping[str, str] = attrs.field(factory=dict)
    correlation_id: str = ""
    attempts: int = 0


_CAPTURE: contextvars.ContextVar[_Capture | None] = contextvars.ContextVar(
    "imburse_raw_capture", default=None
)


@attrs.frozen
class RawResponse(Generic[R]):
    """What a ``with_raw_response`` call returns.

    >>> raw = RawResponse(200, {"content-type": "application/json"}, "c-1", 1, "order")
    >>> raw.status_code, raw.parse()
    (200, 'order')
    """

    status_code: int
    headers: Mapping[str, str]
    correlation_id: str
    attempts: int
    _parsed: R = attrs.field(alias="parsed", repr=False)

    def parse(self) -> R:
        """The value the ordinary (not raw) method would have returned."""
        return self._parsed


def record_raw(
    status_code: int, headers: Mapping[str, str], correlation_id: str, attempts: int
) -> None:
    """Called by the client after each successful call; cheap when nobody is capturing."""
    capture = _CAPTURE.get()
    if capture is not None:
        capture.status_code, capture.headers = status_code, headers
        capture.correlation_id, capture.attempts = correlation_id, attempts


def async_raw(method: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[RawResponse[R]]]:
    """Wrap an async resource method so it returns a :class:`RawResponse`."""

    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> RawResponse[R]:
        capture = _Capture()
        token = _CAPTURE.set(capture)
        try:
            result = await method(*args, **kwargs)
        finally:
            _CAPTURE.reset(token)
        return _finish(capture, result)

    return wrapper


def sync_raw(method: Callable[P, R]) -> Callable[P, RawResponse[R]]:
    """Wrap a sync resource method so it returns a :class:`RawResponse`."""

    def wrapper(*args: P.args, **kwargs: P.kwargs) -> RawResponse[R]:
        capture = _Capture()
        token = _CAPTURE.set(capture)
        try:
            result = method(*args, **kwargs)
        finally:
            _CAPTURE.reset(token)
        return _finish(capture, result)

    return wrapper


def _finish(capture: _Capture, result: Any) -> RawResponse[Any]:
    return RawResponse(
        capture.status_code, capture.headers, capture.correlation_id, capture.attempts, result
    )
