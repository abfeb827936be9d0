"""What one call answered: :class:`RawResponse`, the value every call through the requestor
returns (``imburse/_async/requestor.py``) and what ``with_raw_response`` methods hand back.

The ordinary methods return its ``parsed`` value; their ``with_raw_response`` twins return
the whole thing. Both read the same object, so the HTTP details travel with the result
rather than through a side channel.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Generic, TypeVar

import attrs

__all__ = ["RawResponse"]

R = TypeVar("R")
V = TypeVar("V")


@attrs.define
class RawResponse(Generic[R]):
    """The HTTP details of a call next to its decoded result (treat it as read-only).

    ``status_code`` and ``headers`` (lower-case names) are those of the answer that
    settled the call; ``attempts`` counts every attempt, retries included.

    >>> raw = RawResponse(200, {"content-type": "application/json"}, "c-1", 1, "order")
    >>> raw.status_code, raw.parse()
    (200, 'order')
    """

    status_code: int
    headers: Mapping[str, str] = attrs.field(repr=False)
    correlation_id: str
    attempts: int
    parsed: R = attrs.field(repr=False)
    # Not frozen: one is made for every call, and a frozen generic attrs class costs ~2 us
    # to build against ~0.3 us for this one.

    def parse(self) -> R:
        """The value the ordinary (not raw) method would have returned."""
        return self.parsed

    def with_parsed(self, value: V) -> RawResponse[V]:
        """The same HTTP details around another result (e.g. a list unwrapped from its
        envelope, or a receipt made from the answer's headers).

        >>> RawResponse(200, {}, "c-1", 1, {"apps": [1, 2]}).with_parsed((1, 2)).parse()
        (1, 2)
        """
        return RawResponse(
            self.status_code, self.headers, self.correlation_id, self.attempts, value
        )
