"""The shared bearer token: fetched once, reused by every call, refreshed before it expires.

Concurrent callers on a cold client wait on one in-flight exchange (single flight), so a
thousand calls cost one token request.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from .._concurrency import AsyncLock
from .._core.auth import AccessToken

__all__ = ["AsyncTokenCache"]


class AsyncTokenCache:
    """Holds the current access token; ``exchange`` fetches a new one."""

    def __init__(
        self,
        exchange: Callable[[float], Awaitable[AccessToken]],
        *,
        margin: float,
        wall_clock: Callable[[], float],
    ) -> None:
        self._exchange = exchange
        self._margin = margin
        self._wall_clock = wall_clock
        self._token: AccessToken | None = None
        self._lock = AsyncLock()
        self.exchanges = 0

    def _fresh(self) -> str | None:
        token = self._token
        if token is None or token.expires_within(self._margin, now=self._wall_clock()):
            return None
        return token.value

    async def get(self, deadline_at: float) -> str:
        """A valid bearer token, exchanging for a new one when needed."""
        value = self._fresh()
        if value is not None:
            return value
        async with self._lock:
            value = self._fresh()  # another caller may have refreshed while we waited
            if value is not None:
                return value
            token = await self._exchange(deadline_at)
            self.exchanges += 1
            self._token = token
            return token.value

    def invalidate(self, value: str) -> None:
        """Forget ``value`` after a 401, unless a newer token already replaced it."""
        if self._token is not None and self._token.value == value:
            self._token = None
