"""Pluggable policies that may be sync or async, seen by the pipeline through one interface.

The async client accepts a sync :class:`~imburse.RateLimitPolicy` (in-process, answers at
once) or an :class:`~imburse.AsyncRateLimitPolicy` (e.g. one that asks Redis); the sync client
accepts only the former. Like ``_locks``, this module is hand-written and holds both
flavours: ``scripts/unasync.py`` renames ``AsyncRateLimiter`` to ``RateLimiter`` and
``async_check_token_cache`` to ``sync_check_token_cache``.
"""

from __future__ import annotations

import inspect

from ._core.errors import ConfigurationError
from ._core.ratelimit import AsyncRateLimitPolicy, RateLimitPolicy

__all__ = ["AsyncRateLimiter", "RateLimiter", "async_check_token_cache", "sync_check_token_cache"]


class AsyncRateLimiter:
    """Awaits whatever the policy returns when it is awaitable."""

    __slots__ = ("policy",)

    def __init__(self, policy: RateLimitPolicy | AsyncRateLimitPolicy) -> None:
        self.policy = policy

    async def acquire(self, now: float) -> float:
        """See :class:`~imburse.RateLimitPolicy`."""
        wait = self.policy.acquire(now)
        if inspect.isawaitable(wait):
            return await wait
        return wait

    async def observe(self, now: float, status: int | None, retry_after: float | None) -> None:
        """See :class:`~imburse.RateLimitPolicy`."""
        result = self.policy.observe(now, status, retry_after)
        if inspect.isawaitable(result):
            await result


class RateLimiter:
    """The sync flavour: the policy must answer without awaiting."""

    __slots__ = ("policy",)

    def __init__(self, policy: RateLimitPolicy) -> None:
        if inspect.iscoroutinefunction(getattr(policy, "acquire", None)):
            raise ConfigurationError(
                f"rate_limit_policy {type(policy).__name__} is async: use it with AsyncImburse, "
                "or its sync counterpart with Imburse"
            )
        self.policy = policy

    def acquire(self, now: float) -> float:
        """See :class:`~imburse.RateLimitPolicy`."""
        return self.policy.acquire(now)

    def observe(self, now: float, status: int | None, retry_after: float | None) -> None:
        """See :class:`~imburse.RateLimitPolicy`."""
        self.policy.observe(now, status, retry_after)


def async_check_token_cache(cache: object) -> None:
    """Refuse a sync shared token cache in the async client (it would block the loop)."""
    if cache is not None and not inspect.iscoroutinefunction(getattr(cache, "get", None)):
        raise ConfigurationError(
            f"token_cache {type(cache).__name__} is not async: AsyncImburse needs an async "
            "cache such as imburse.redis.AsyncRedisTokenCache"
        )


def sync_check_token_cache(cache: object) -> None:
    """Refuse an async shared token cache in the sync client."""
    if cache is not None and inspect.iscoroutinefunction(getattr(cache, "get", None)):
        raise ConfigurationError(
            f"token_cache {type(cache).__name__} is async: Imburse needs a sync cache such "
            "as imburse.redis.RedisTokenCache"
        )
