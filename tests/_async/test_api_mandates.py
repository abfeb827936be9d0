"""``client.mandates`` (observed only, ``imburse-api.md`` §5.17) against the fake, end to end.
Converted to ``tests/_sync`` by ``scripts/unasync.py``."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from imburse import APIStatusError, AsyncImburse, ValidationError
from imburse.testing import FakeImburse
from imburse.testing.routes.mandates import configure_mandates


@pytest.mark.anyio
async def test_create_then_list(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    body = {"customerRef": "CUS-1", "amount": Decimal("10.50"), "frequency": "Monthly"}
    async with make_client() as client:
        created = await client.mandates.create(body)
        raw = await client.mandates.with_raw_response.list()
    assert created is None  # 201 without a body in the fake; the real schema is unknown
    assert raw.status_code == 200
    assert raw.parse() == {
        "mandates": [{"customerRef": "CUS-1", "amount": "10.50", "frequency": "Monthly"}]
    }
    posted = [r for r in fake.requests if r.method == "POST" and r.path == "/v2/mandates"]
    assert posted[0].body == b'{"customerRef":"CUS-1","amount":"10.50","frequency":"Monthly"}'
    assert posted[0].status == 201


@pytest.mark.anyio
async def test_unlicensed_accounts_get_405(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        configure_mandates(fake, enabled=False)
        with pytest.raises(APIStatusError) as info:
            await client.mandates.list()
    assert (info.value.status_code, info.value.error_code) == (405, "SERVICE_UNAVAILABLE")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"amount": 10.5}, "body.amount"),
        ({"items": [{"amount": 1.0}]}, "body.items[0].amount"),
        ({1: "x"}, "body"),
        (["not", "a", "mapping"], "body"),
    ],
)
@pytest.mark.anyio
async def test_bad_bodies_never_reach_the_server(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, body: object, field: str
) -> None:
    async with make_client() as client:
        assert client.mandates is not None
        with pytest.raises(ValidationError) as info:
            await client.mandates.create(body)  # type: ignore[arg-type]
    assert info.value.field == field
    assert fake.requests == []
