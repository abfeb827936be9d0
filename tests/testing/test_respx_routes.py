"""respx mocks the SDK's default httpx transport; ``respx_routes`` makes it answer as Imburse."""

from __future__ import annotations

import json
import uuid
from decimal import Decimal

import pytest
import respx

from imburse import AsyncImburse, Imburse, InternalServerError, NotFoundError
from imburse.testing import DEMO_CREDENTIALS, respx_routes

KEY = {
    "public_key": DEMO_CREDENTIALS.public_key,
    "private_key": DEMO_CREDENTIALS.private_key,
    "account_id": DEMO_CREDENTIALS.account_id,
    "tenant_id": DEMO_CREDENTIALS.tenant_id,
}
INSTRUCTION = {
    "instruction_ref": "INS-1",
    "customer_ref": "CUS-1",
    "direction": "DEBIT",
    "amount": Decimal("200.10"),
    "currency": "GBP",
    "country": "GB",
}


def test_a_default_client_talks_to_the_fake_through_respx() -> None:
    with respx.mock(assert_all_called=False) as router:
        fake = respx_routes(router)
        with Imburse(**KEY) as client:  # the default transport, no http_client
            client.orders.create("ORD-1", instructions=[INSTRUCTION])
            order = client.orders.get("ORD-1")
            with pytest.raises(NotFoundError):
                client.orders.get("NOPE")
        assert router["imburse_token"].call_count == 1 == fake.token_exchanges
        create = router["imburse"].calls[0].request
        sent = json.loads(create.content)
        assert sent["instructions"][0]["amount"] == "200.10"  # amounts go as strings
        uuid.UUID(create.headers["x-account-id"])  # ids are UUIDs
        uuid.UUID(create.headers["x-tenant-id"])
    assert order.instructions[0].amount == Decimal("200.10")
    assert "ORD-1" in fake.orders


@pytest.mark.anyio
async def test_the_async_client_too(anyio_backend: str) -> None:
    with respx.mock(assert_all_called=False) as router:
        fake = respx_routes(router)
        async with AsyncImburse(**KEY) as client:
            await client.orders.create("ORD-2", metadata={"policy": "P-9"})
            assert (await client.orders.get("ORD-2")).metadata == {"policy": "P-9"}
    assert fake.token_exchanges == 1


def test_routes_added_first_win_and_fake_faults_apply() -> None:
    with respx.mock(assert_all_called=False) as router:
        mine = router.get(url__regex=r"/v1/order-management/ORD-9$").respond(500)
        fake = respx_routes(router)
        fake.inject("status", status=503)
        with Imburse(**KEY, max_retries=1) as client:
            client.orders.create("ORD-3")  # the 503 is retried
            with pytest.raises(InternalServerError):
                client.orders.get("ORD-9")
        assert mine.call_count == 2
        creates = [r.status for r in fake.requests if r.method == "POST" and "ORD" not in r.path]
        assert creates[-2:] == [503, 201]
    assert "ORD-3" in fake.orders
