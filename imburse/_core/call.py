"""Values that travel through one call: per-call options, the HTTP answer, the attempt trace.

Shared by the async and sync pipelines and by every transport adapter.
"""

from __future__ import annotations

from collections.abc import Mapping
from random import getrandbits
from typing import TYPE_CHECKING, Any, TypedDict

import attrs

if TYPE_CHECKING:
    import httpx

    from .build import PreparedRequest
    from .config import Timeouts
    from .operations import Operation

__all__ = [
    "CallTrace",
    "HTTPResponse",
    "RequestOptions",
    "TransportFailure",
    "check_options",
    "new_correlation_id",
]

# UUID version 4 and RFC 4122 variant bits.
_UUID4_CLEAR = ~((0xF000 << 64) | (0xC000 << 48))
_UUID4_SET = (0x4000 << 64) | (0x8000 << 48)


class RequestOptions(TypedDict, total=False):
    """Per-call options every resource method accepts as keyword arguments.

    ``timeout`` is seconds for every phase (float), a :class:`~imburse.Timeouts` or an
    ``httpx.Timeout``; ``deadline`` caps the whole call (every attempt, wait and sleep) in
    seconds. Any other keyword is a ``TypeError``, raised before anything is sent.
    """

    correlation_id: str
    timeout: float | Timeouts | httpx.Timeout
    deadline: float
    max_retries: int
    extra_headers: Mapping[str, str]


_OPTION_NAMES = frozenset(RequestOptions.__optional_keys__)


def check_options(options: Mapping[str, object], method: str) -> None:
    """Refuse keywords that are not per-call options, as Python refuses them for a plain
    function: ``**options`` would otherwise swallow a misspelt argument (``metadatta=``).

    >>> check_options({"deadline": 5.0}, "orders.get")
    >>> check_options({"metadatta": {}}, "orders.create")
    Traceback (most recent call last):
    ...
    TypeError: orders.create() got an unexpected keyword argument 'metadatta'
    """
    for name in options:
        if name not in _OPTION_NAMES:
            raise TypeError(f"{method}() got an unexpected keyword argument {name!r}")


@attrs.frozen
class HTTPResponse:
    """What a transport returns: status, lower-case headers and the whole body."""

    status: int
    headers: Mapping[str, str]
    body: bytes


class TransportFailure(Exception):
    """A transport could not complete an exchange.

    ``sent`` is false only when the request surely never reached the server; ``timed_out``
    marks timeouts. The message never contains request headers.
    """

    def __init__(self, kind: str, *, sent: bool, timed_out: bool = False) -> None:
        super().__init__(kind)
        self.kind = kind
        self.sent = sent
        self.timed_out = timed_out


@attrs.define
class CallTrace:
    """What happened during one call, filled in by the pipeline.

    ``unknown`` becomes true once any attempt might have been applied without the SDK
    learning so (timeout after sending, dropped connection, 5xx) - the safe-create rule
    depends on it. ``operation`` and ``request`` (set by the pipeline) give the errors raised
    for this call their context: the operation's name and the path parameters.
    """

    correlation_id: str
    attempts: int = 0
    unknown: bool = False
    deadline_at: float = 0.0
    operation: Operation[Any] | None = None
    request: PreparedRequest | None = None


def new_correlation_id() -> str:
    """A fresh correlation id (a UUID4 string).

    From the ``random`` module rather than ``uuid.uuid4()``: a correlation id traces a call,
    it guards nothing, and this skips a system call and a ``UUID`` object on every call. The
    module reseeds itself in a forked child, so worker processes do not repeat each other.

    >>> import uuid
    >>> uuid.UUID(new_correlation_id()).version
    4
    """
    bits = (getrandbits(128) & _UUID4_CLEAR) | _UUID4_SET
    h = f"{bits:032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
