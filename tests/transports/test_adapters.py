"""The behaviour suite on every adapter, over real HTTP: retries, safe creates, deadlines,
token refresh, errors, exact money, and closing."""

from __future__ import annotations

import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from imburse import (
    APIConnectionError,
    APITimeoutError,
    AsyncImburse,
    NotFoundError,
    RateLimitError,
)
from imburse.testing import FakeImburse

pytestmark = pytest.mark.anyio

Make = Callable[..., AsyncImburse]
ORDER_PATH = "/v1/order-management"
INSTRUCTION = {
    "instruction_ref": "INS-1",
    "customer_ref": "CUS-1",
    "direction": "DEBIT",
    "amount": Decimal("1250.10"),
    "currency": "GBP",
    "country": "GB",
}


def seen(fake: FakeImburse, method: str, path: str) -> int:
    return sum(1 for r in fake.requests if r.method == method and r.path == path)


async def test_create_then_get_round_trips_decimal_amounts(make_client: Make) -> None:
    async with make_client() as client:
        receipt = await client.orders.create(
            "ORD-1", instructions=[INSTRUCTION], metadata={"policy": "P-9"}
        )
        order = await client.orders.get("ORD-1")
    assert receipt.status_code == 202
    assert order.order_ref == "ORD-1"
    assert order.metadata == {"policy": "P-9"}
    amount = order.instructions[0].amount
    assert isinstance(amount, Decimal)
    assert amount == Decimal("1250.10")
    assert isinstance(order.correlation_id, str)


async def test_503_with_retry_after_is_retried(make_client: Make, fake: FakeImburse) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-1")
        fake.inject("status", status=503, retry_after="0.05", method="GET")
        started = time.monotonic()
        order = await client.orders.get("ORD-1")
    assert order.order_ref == "ORD-1"
    assert time.monotonic() - started >= 0.05
    assert seen(fake, "GET", f"{ORDER_PATH}/ORD-1") == 2


async def test_429_retry_after_is_honoured(make_client: Make, fake: FakeImburse) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-1")
        fake.inject("status", status=429, retry_after="0.05", method="GET")
        started = time.monotonic()
        await client.orders.get("ORD-1")
    assert time.monotonic() - started >= 0.05
    assert seen(fake, "GET", f"{ORDER_PATH}/ORD-1") == 2


async def test_429_longer_than_the_deadline_fails_fast(
    make_client: Make, fake: FakeImburse
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-1")
        fake.inject("status", status=429, retry_after="30", method="GET")
        with pytest.raises(RateLimitError) as caught:
            await client.orders.get("ORD-1", deadline=2)
    assert caught.value.retry_after == 30


async def test_drop_before_on_create_is_retried_once_created(
    make_client: Make, fake: FakeImburse
) -> None:
    async with make_client() as client:
        fake.inject("drop_before", method="POST", path=f"^{ORDER_PATH}$")
        receipt = await client.orders.create("ORD-1")
    assert receipt.attempts == 2
    assert list(fake.orders) == ["ORD-1"]


async def test_drop_after_on_create_is_reconciled_not_duplicated(
    make_client: Make, fake: FakeImburse
) -> None:
    async with make_client() as client:
        fake.inject("drop_after", method="POST", path=f"^{ORDER_PATH}$")
        receipt = await client.orders.create("ORD-1", metadata={"policy": "P-9"})
    assert receipt.reconciled
    assert list(fake.orders) == ["ORD-1"]
    assert seen(fake, "POST", ORDER_PATH) == 2


async def test_stall_becomes_api_timeout_error(make_client: Make, fake: FakeImburse) -> None:
    async with make_client(timeout=0.3, max_retries=0) as client:
        await client.orders.create("ORD-1")
        fake.inject("stall", delay=5, method="GET")
        started = time.monotonic()
        with pytest.raises(APITimeoutError):
            await client.orders.get("ORD-1")
    assert time.monotonic() - started < 3


async def test_truncated_body_is_a_connection_failure_and_retried(
    make_client: Make, fake: FakeImburse
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-1")
        fake.inject("truncate", method="GET")
        order = await client.orders.get("ORD-1")
    assert order.order_ref == "ORD-1"
    assert seen(fake, "GET", f"{ORDER_PATH}/ORD-1") == 2


async def test_revoked_token_is_refreshed_once(make_client: Make, fake: FakeImburse) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-1")
        fake.revoke_tokens()
        order = await client.orders.get("ORD-1")
        assert client.token_exchanges == 2
    assert order.order_ref == "ORD-1"
    assert fake.token_exchanges == 2


async def test_error_body_is_decoded(make_client: Make) -> None:
    async with make_client() as client:
        with pytest.raises(NotFoundError) as caught:
            await client.orders.get("NOPE-1", correlation_id="cid-42")
    err = caught.value
    assert err.status_code == 404
    assert err.correlation_id == "cid-42"
    assert err.error_code
    assert err.server_correlation_id


async def test_connection_refused_is_not_sent_and_retried(
    fake: FakeImburse, transport: str
) -> None:
    from .conftest import settings

    with fake.serve() as server:
        url = server.url
    # The port is closed now: every attempt is refused before anything is sent.
    async with AsyncImburse(**settings(fake, url), transport=transport, max_retries=1) as client:
        with pytest.raises(APIConnectionError) as caught:
            await client.orders.get("ORD-1")
    assert not isinstance(caught.value, APITimeoutError)
    assert "could not reach 127.0.0.1" in str(caught.value)


async def test_closing_the_client_closes_the_adapters_session(make_client: Make) -> None:
    client = make_client()
    await client.orders.create("ORD-1")
    adapter: Any = client._pipeline.transport
    pools = adapter.pools() if hasattr(adapter, "pools") else []
    assert all(pool.connections for pool in pools)  # the httpcore pool holds a connection
    await client.aclose()
    if hasattr(adapter, "session"):
        assert adapter.session.closed
    else:
        assert pools
        assert all(pool.connections == [] for pool in pools)
