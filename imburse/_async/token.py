"""The shared bearer token: fetched once, reused by every call, refreshed before it expires.

Concurrent callers on a cold client wait on one in-flight exchange (single flight), so a
thousand calls cost one token request. With a ``token_cache`` (an
:class:`AsyncSharedTokenCache` such as :class:`imburse.redis.AsyncRedisTokenCache`) the
single flight reaches across processes: the first process to need a token exchanges it and
the others read it from the shared cache.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Protocol, runtime_checkable

from .._concurrency import AsyncLock
from .._core.auth import AccessToken
from .._core.config import Credentials
from .._pluggable import async_check_token_cache

__all__ = ["AsyncSharedTokenCache", "AsyncTokenCache"]


@runtime_checkable
class AsyncSharedTokenCache(Protocol):
    """A token cache shared by several clients or processes, passed as ``token_cache=``.

    The client keeps its token in memory and asks the shared cache only when it has none
    fresh: ``get`` returns a token valid for at least ``min_ttl`` more seconds, calling
    ``exchange`` (one HMAC token exchange) only when no other holder of ``credentials`` has a
    usable one, and waits at most ``max_wait`` seconds (the call's deadline) for a holder
    that is exchanging. ``invalidate`` forgets ``value`` after Imburse refused it (a 401),
    unless a newer token already replaced it. Implementations must never log or show the
    token.
    """

    async def get(
        self,
        credentials: Credentials,
        exchange: Callable[[], Awaitable[AccessToken]],
        *,
        min_ttl: float,
        max_wait: float,
    ) -> AccessToken: ...

    async def invalidate(self, credentials: Credentials, value: str) -> None: ...


class AsyncTokenCache:
    """Holds the current access token; ``exchange`` fetches a new one."""

    def __init__(
        self,
        exchange: Callable[[float], Awaitable[AccessToken]],
        *,
        margin: float,
        wall_clock: Callable[[], float],
        shared: AsyncSharedTokenCache | None = None,
        credentials: Credentials | None = None,
        clock: Callable[[], float] | None = None,
    ) -> None:
        async_check_token_cache(shared)
        self._exchange = exchange
        self._margin = margin
        self._wall_clock = wall_clock
        self._shared = shared
        self._credentials = credentials
        self._clock = clock or wall_clock
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
            exchange = functools.partial(self._counted_exchange, deadline_at)
            if self._shared is None or self._credentials is None:
                token = await exchange()
            else:
                token = await self._shared.get(
                    self._credentials,
                    exchange,
                    min_ttl=self._margin,
                    max_wait=deadline_at - self._clock(),
                )
            self._token = token
            return token.value

    def after_fork(self) -> None:
        """A new lock in a forked child (another thread may have held it at the fork)."""
        self._lock = AsyncLock()

    async def _counted_exchange(self, deadline_at: float) -> AccessToken:
        token = await self._exchange(deadline_at)
        self.exchanges += 1
        return token

    async def invalidate(self, value: str) -> None:
        """Forget ``value`` after a 401, unless a newer token already replaced it."""
        if self._token is not None and self._token.value == value:
            self._token = None
        if self._shared is not None and self._credentials is not None:
            await self._shared.invalidate(self._credentials, value)
