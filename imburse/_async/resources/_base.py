"""What every resource namespace shares: the requestor it sends its operations through."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..requestor import AsyncRequestor


class AsyncResource:
    """Base of resource namespaces and of their ``with_raw_response`` twins.

    A resource knows nothing of the client: it holds the requestor (one seam: send an
    operation with its arguments and options, get a :class:`~imburse.RawResponse` back).
    """

    def __init__(self, requestor: AsyncRequestor) -> None:
        self._requestor = requestor
