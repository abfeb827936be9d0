"""Every transport adapter against the fake Imburse served over real HTTP on 127.0.0.1.

Stacks: httpx and httpx2 on asyncio and trio, aiohttp on asyncio only (it has no trio
support). httpx2 and aiohttp come with the ``dev`` extra; without them their cases skip.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from imburse import AsyncImburse, DefaultRetryPolicy
from imburse.testing import FakeImburse, FakeServer

STACKS = [
    pytest.param(("httpx", "asyncio"), id="httpx-asyncio"),
    pytest.param(("httpx", "trio"), id="httpx-trio"),
    pytest.param(("httpx2", "asyncio"), id="httpx2-asyncio"),
    pytest.param(("httpx2", "trio"), id="httpx2-trio"),
    pytest.param(("aiohttp", "asyncio"), id="aiohttp-asyncio"),
]


def no_jitter(wait: float) -> float:
    """Retries wait nothing unless the server says so (Retry-After)."""
    return 0.0


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> tuple[str, str]:
    name, backend = request.param
    if name != "httpx":
        pytest.importorskip(name)
    return name, backend


@pytest.fixture
def anyio_backend(stack: tuple[str, str]) -> str:
    return stack[1]


@pytest.fixture
def transport(stack: tuple[str, str]) -> str:
    return stack[0]


def settings(fake: FakeImburse, url: str) -> dict[str, Any]:
    """Client arguments for the served fake: demo key, its URL, retries without jitter."""
    return {
        "public_key": fake.public_key,
        "private_key": fake.private_key,
        "account_id": fake.account_id,
        "tenant_id": fake.tenant_id,
        "base_url": url,
        "retry_policy": DefaultRetryPolicy(jitter=no_jitter),
    }


@pytest.fixture
def make_client(
    fake: FakeImburse, server: FakeServer, transport: str
) -> Callable[..., AsyncImburse]:
    def make(**options: Any) -> AsyncImburse:
        return AsyncImburse(**{**settings(fake, server.url), "transport": transport, **options})

    return make
