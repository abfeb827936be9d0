"""The shared bearer token: fetched once, reused by every call, refreshed before it expires.

Concurrent callers on a cold client wait on one in-flight exchange (single flight), so a
thousand calls cost one token request. With a ``token_cache`` (an
:class:`AsyncSharedTokenCache` such as :class:`imburse.redis.AsyncRedisTokenCache`) the
single flight reaches across processes: the first process to need a token exchanges it and
the others read it from the shared cache.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Awaitable, Callable
from typing import Protocol, runtime_checkable

from .._core.auth import AccessToken, Secret
from .._core.config import Credentials
from .._core.errors import APIStatusError
from .._locks import AsyncLock
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
        # The token's value, boxed once per token: the pipeline holds it per attempt, and a
        # traceback printed with its locals then shows Secret('***').
        self._bearer: Secret[str] | None = None
        # Wall-clock second from which the token is refreshed (a float compare per call).
        self._refresh_at = 0.0
        # The least remaining life a token must have to be used: the margin, or half the
        # life of the tokens Imburse hands out when they live shorter than twice the margin.
        self._min_ttl = margin
        self._lock = AsyncLock()
        # Exchanges finished so far, and the last one's refusal (with its number) if it was
        # refused: the callers that queued behind a refused exchange share its answer.
        self._finished = 0
        self._refusal: tuple[int, APIStatusError] | None = None
        self.exchanges = 0

    def fresh(self) -> Secret[str] | None:
        """The cached bearer while it is fresh, else None: no lock, no await (the hot path)."""
        if self._token is None or self._wall_clock() >= self._refresh_at:
            return None
        return self._bearer

    def _keep(self, token: AccessToken) -> Secret[str]:
        now = self._wall_clock()
        expires = token.expires_at.timestamp()
        # A token living less than twice the margin is refreshed halfway through its life:
        # with the plain margin it would be stale on arrival, and every call would exchange.
        self._min_ttl = min(self._margin, max(expires - now, 0.0) / 2)
        self._refresh_at = expires - self._min_ttl
        self._token = token
        self._bearer = bearer = Secret(token.value)
        return bearer

    async def get(self, deadline_at: float) -> Secret[str]:
        """A valid bearer token, exchanging for a new one when needed."""
        value = self.fresh()
        if value is not None:
            return value
        seen = self._finished
        async with self._lock:
            value = self.fresh()  # another caller may have refreshed while we waited
            if value is not None:
                return value
            refusal = self._refusal
            if refusal is not None and refusal[0] > seen:
                # The exchange this caller queued behind was refused (a wrong or revoked
                # key): the same request would be refused again, so share the answer
                # instead of sending one refused exchange per waiting caller.
                raise copy.copy(refusal[1]).with_traceback(None)
            try:
                token = await self._fetch(deadline_at)
            except APIStatusError as err:
                self._finished += 1
                self._refusal = (self._finished, err) if _refused(err) else None
                raise
            self._finished += 1
            self._refusal = None
            return self._keep(token)

    async def _fetch(self, deadline_at: float) -> AccessToken:
        exchange = functools.partial(self._counted_exchange, deadline_at)
        if self._shared is None or self._credentials is None:
            return await exchange()
        return await self._shared.get(
            self._credentials,
            exchange,
            min_ttl=self._min_ttl,
            max_wait=deadline_at - self._clock(),
        )

    def after_fork(self) -> None:
        """A new lock in a forked child (another thread may have held it at the fork)."""
        self._lock = AsyncLock()

    async def _counted_exchange(self, deadline_at: float) -> AccessToken:
        token = await self._exchange(deadline_at)
        self.exchanges += 1
        return token

    async def invalidate(self, value: Secret[str]) -> None:
        """Forget ``value`` after a 401, unless a newer token already replaced it."""
        if self._token is not None and self._token.value == value.reveal():
            self._token = None
            self._bearer = None
            self._refresh_at = 0.0
        if self._shared is not None and self._credentials is not None:
            await self._shared.invalidate(self._credentials, value.reveal())


def _refused(error: APIStatusError) -> bool:
    # A definite refusal (4xx other than 408 and 429): the credentials, not the moment, are
    # wrong. Overload and timeouts are not shared: a waiting caller may have time to retry.
    return 400 <= error.status_code < 500 and error.status_code not in (408, 429)
