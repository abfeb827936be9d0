"""What every resource namespace shares: a reference to its client."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..client import AsyncImburse


class AsyncResource:
    """Base of resource namespaces; methods delegate to the client's call helpers."""

    def __init__(self, client: AsyncImburse) -> None:
        self._client = client
