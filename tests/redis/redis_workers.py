"""Worker processes for the multi-process tests (started with the ``spawn`` method).

Each process opens its own ``AsyncImburse`` with the Redis rate limit and token cache, says
it is ready, waits for the common start signal, makes its calls against the fake over real
HTTP and reports ``(pid, token exchanges it made, calls that succeeded, errors)``.
"""

from __future__ import annotations

import os
from typing import Any

import anyio
import redis.asyncio

from imburse import AsyncImburse
from imburse.redis import AsyncRedisRateLimitPolicy, AsyncRedisTokenCache
from imburse.testing import DEMO_CREDENTIALS

RATE = 50.0
BURST = 5


def run(
    base_url: str,
    redis_url: str,
    calls: int,
    concurrency: int,
    ready: Any,
    go: Any,
    results: Any,
) -> None:
    """Process entry point."""
    try:
        outcome = anyio.run(_run, base_url, redis_url, calls, concurrency, ready, go)
    except BaseException as error:  # report, so the parent fails with the reason
        results.put((os.getpid(), -1, 0, [repr(error)]))
        raise
    results.put(outcome)


async def _run(
    base_url: str, redis_url: str, calls: int, concurrency: int, ready: Any, go: Any
) -> tuple[int, int, int, list[str]]:
    shared = redis.asyncio.Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=5)
    policy = AsyncRedisRateLimitPolicy(shared, rate=RATE, burst=BURST, key="test:quota")
    cache = AsyncRedisTokenCache(shared, prefix="test:token")
    ok = 0
    errors: list[str] = []
    try:
        async with AsyncImburse(
            public_key=DEMO_CREDENTIALS.public_key,
            private_key=DEMO_CREDENTIALS.private_key,
            account_id=DEMO_CREDENTIALS.account_id,
            tenant_id=DEMO_CREDENTIALS.tenant_id,
            base_url=base_url,
            rate_limit_policy=policy,
            token_cache=cache,
            deadline=60,
        ) as client:
            ready.put(os.getpid())
            started = await anyio.to_thread.run_sync(go.wait, 60)
            if not started:
                return os.getpid(), client.token_exchanges, 0, ["no start signal"]
            todo = iter(range(calls))

            async def worker() -> None:
                nonlocal ok
                for _ in todo:
                    try:
                        await client.orders.get("ORD-QUOTA")
                        ok += 1
                    except Exception as error:
                        errors.append(repr(error))

            async with anyio.create_task_group() as group:
                for _ in range(concurrency):
                    group.start_soon(worker)
            return os.getpid(), client.token_exchanges, ok, errors
    finally:
        await shared.aclose()
