"""``client.customers`` and the v2 order operations against the fake, end to end
(``imburse-api.md`` §5.14, §1.2). Converted to ``tests/_sync`` by ``scripts/unasync.py``."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from imburse import AsyncImburse, NotFoundError, ValidationError
from imburse.testing import FakeImburse
from imburse.testing.routes.customers import add_financial_instrument, add_transaction

from .helpers import TOKEN_PATH

PAYOUT: dict[str, Any] = {
    "instruction_ref": "INS-1",
    "customer_ref": "CUS-1",
    "direction": "CREDIT",
    "amount": Decimal("25.00"),
    "currency": "EUR",
    "country": "DE",
    "scheme_id": "SCHEME-1",
}
UNKNOWN_FI = "0c1d2e3f-0000-4000-8000-000000000001"


def sdk_calls(fake: FakeImburse) -> list[tuple[str, str, int | None]]:
    return [(r.method, r.path, r.status) for r in fake.requests if r.path != TOKEN_PATH]


@pytest.mark.anyio
async def test_v1_reads_a_customer_known_from_an_order(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-1", instructions=[PAYOUT])
        customer = await client.customers.get("CUS-1", correlation_id="cid-1")
        with pytest.raises(NotFoundError) as info:
            await client.customers.get("CUS-404")
    assert customer.status == "ACTIVE"
    assert customer.financial_instruments == ()
    assert customer.links is not None
    assert customer.links.self_ is not None
    assert customer.links.self_.href == "/v1/customer-vault/CUS-1"
    assert customer.correlation_id == "cid-1"
    # v1 answers an unknown customer with 400 (the only documented error), not 404.
    assert (info.value.status_code, info.value.error_code) == (400, "CUSTOMER_NOT_FOUND")


@pytest.mark.anyio
async def test_v2_read_creates_the_customer(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        created = await client.customers.get_v2("CUS-NEW")
        again = await client.customers.get("CUS-NEW")
    assert created.status == again.status == "ACTIVE"
    assert sdk_calls(fake) == [
        ("GET", "/v2/customer-vault/CUS-NEW", 200),
        ("GET", "/v1/customer-vault/CUS-NEW", 200),
    ]


@pytest.mark.anyio
async def test_update_replaces_the_metadata_in_both_versions(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await client.customers.get_v2("CUS-1")
        raw = await client.customers.with_raw_response.update(
            "CUS-1", metadata={"segment": "gold", "policy": "P-9"}
        )
        after_v1 = await client.customers.get("CUS-1")
        await client.customers.update_v2("CUS-1", metadata={"segment": "silver"})
        after_v2 = await client.customers.get_v2("CUS-1")
    assert (raw.status_code, raw.parse()) == (202, None)
    assert after_v1.metadata == {"segment": "gold", "policy": "P-9"}
    assert after_v2.metadata == {"segment": "silver"}
    puts = [r for r in fake.requests if r.method == "PUT"]
    assert [r.path for r in puts] == ["/v1/customer-vault/CUS-1", "/v2/customer-vault/CUS-1"]
    assert puts[0].body == b'{"metadata":{"segment":"gold","policy":"P-9"}}'


@pytest.mark.anyio
async def test_wallet_instrument_and_transaction(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    fi_id = add_financial_instrument(
        fake,
        "CUS-1",
        {
            "displayName": "Bacs ****5678",
            "details": {"hasFirstTransactionBeenSent": "True", "debtorAccountNumber": 12345678},
        },
        wallet_enabled=True,
    )
    tx_id = add_transaction(fake, "CUS-1", fi_id, {"amount": Decimal("200.10")})
    async with make_client() as client:
        customer = await client.customers.get("CUS-1")
        wallet = await client.customers.get_wallet("CUS-1")
        instrument = await client.customers.get_financial_instrument("CUS-1", fi_id)
        transaction = await client.customers.get_transaction("CUS-1", fi_id, tx_id)
        with pytest.raises(NotFoundError) as info:
            await client.customers.get_financial_instrument("CUS-1", UNKNOWN_FI)
    assert [fi.id for fi in customer.financial_instruments] == [fi_id]
    assert customer.financial_instruments[0].wallet is None
    assert wallet.financial_instruments[0].wallet is not None
    assert wallet.financial_instruments[0].wallet.enabled is True
    assert instrument.display_name == "Bacs ****5678"
    assert instrument.details is not None
    assert instrument.details.has_first_transaction_been_sent is True
    assert instrument.details.debtor_account_number == "12345678"
    assert instrument.created is not None
    assert (transaction.transaction_id, transaction.amount) == (tx_id, Decimal("200.10"))
    assert info.value.status_code == 404


@pytest.mark.anyio
async def test_mobile_instrument_same_number_same_id(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await client.customers.get_v2("CUS-1")
        first = await client.customers.create_mobile_instrument(
            "CUS-1", country_code="44", phone_number="07738620344"
        )
        second = await client.customers.create_mobile_instrument(
            "CUS-1", country_code="44", phone_number="07738620344"
        )
        customer = await client.customers.get("CUS-1")
    assert first.id is not None
    assert first.id == second.id
    assert [fi.id for fi in customer.financial_instruments] == [first.id]
    posts = [r for r in fake.requests if r.method == "POST" and r.path.endswith("/mobile")]
    assert posts[0].body == b'{"countryCode":"44","phoneNumber":"07738620344"}'


@pytest.mark.anyio
async def test_v2_order_create_and_instruction_read(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        receipt = await client.orders.create_v2("ORD-2", instructions=[PAYOUT])
        instruction = await client.instructions.get_v2("ORD-2", "INS-1")
        with pytest.raises(NotFoundError) as info:
            await client.instructions.get_v2("ORD-2", "INS-404")
    assert (receipt.status_code, receipt.ref, receipt.reconciled) == (202, "ORD-2", False)
    assert (instruction.amount, instruction.direction) == (Decimal("25.00"), "CREDIT")
    assert info.value.status_code == 400  # v2 answers a missing object with 400
    assert ("POST", "/v2/order-management", 202) in sdk_calls(fake)


@pytest.mark.anyio
async def test_v2_order_create_is_safe_under_an_unknown_outcome(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        fake.inject("drop_after", method="POST")
        receipt = await client.orders.create_v2("ORD-2", metadata={"policy": "P-9"})
    assert (receipt.reconciled, receipt.attempts) == (True, 2)
    assert list(fake.orders) == ["ORD-2"]


async def rejected(call: Any, client: AsyncImburse) -> ValidationError:
    """The ValidationError that ``call(client)`` raises."""
    with pytest.raises(ValidationError) as info:
        await call(client)
    return info.value


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.customers.get("bad ref"), "customer_ref"),
        (lambda c: c.customers.get_v2("C" * 51), "customer_ref"),
        (lambda c: c.customers.update("CUS-1", metadata={"k": 1}), "metadata['k']"),
        (lambda c: c.customers.update_v2("CUS-1", metadata=None), "metadata"),
        (lambda c: c.customers.get_wallet(""), "customer_ref"),
        (
            lambda c: c.customers.get_financial_instrument("CUS-1", "fi-1"),
            "financial_instrument_id",
        ),
        (lambda c: c.customers.get_transaction("CUS-1", UNKNOWN_FI, "t-1"), "transaction_id"),
        (
            lambda c: c.customers.create_mobile_instrument(
                "CUS-1", country_code="+44", phone_number="07738620344"
            ),
            "country_code",
        ),
        (lambda c: c.orders.create_v2("ORD 2"), "order_ref"),
        (lambda c: c.instructions.get_v2("ORD-1", "INS/1"), "instruction_ref"),
    ],
)
@pytest.mark.anyio
async def test_bad_input_never_reaches_the_server(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, call: Any, field: str
) -> None:
    async with make_client() as client:
        error = await rejected(call, client)
    assert error.field == field
    assert fake.requests == []
