"""``client.orders.list_events`` against the fake."""

from __future__ import annotations

import pytest

from imburse import AsyncImburse, NotFoundError, OrderEvent
from imburse.testing import FakeImburse


@pytest.fixture
def fake() -> FakeImburse:
    return FakeImburse()


@pytest.mark.anyio
async def test_list_events(fake: FakeImburse) -> None:
    async with AsyncImburse(
        public_key=fake.public_key,
        private_key=fake.private_key,
        account_id=fake.account_id,
        tenant_id=fake.tenant_id,
        http_client=fake.async_client(),
    ) as client:
        await client.orders.create("ORD-E")
        events = await client.orders.list_events("ORD-E")
        raw = await client.orders.with_raw_response.list_events("ORD-E")
        with pytest.raises(NotFoundError):
            await client.orders.list_events("NOPE")
    assert [type(e) for e in events] == [OrderEvent]
    assert [e.event_type for e in events] == ["CREATED"]
    assert raw.status_code == 200
    assert [e.event_type for e in raw.parse()] == ["CREATED"]
