"""Safe creates: a create whose outcome was unknown is retried and settled, never duplicated."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from imburse import (
    APIConnectionError,
    AsyncImburse,
    BadRequestError,
    ConflictError,
    OutcomeUnknownError,
)
from imburse.testing import FakeImburse

from .helpers import ORDERS_PATH, FakeClock, calls_to, order_path

INSTRUCTION: dict[str, Any] = {
    "instruction_ref": "INS-1",
    "customer_ref": "CUS-1",
    "direction": "DEBIT",
    "amount": Decimal("200.00"),
    "currency": "GBP",
    "country": "GB",
    "scheme_id": "SCHEME-1",
}
INSTRUCTIONS_PATH = f"{ORDERS_PATH}/ORD-1/instruction"


@pytest.mark.parametrize(
    "fault",
    [{"kind": "drop_after"}, {"kind": "status", "status": 503, "apply": True}],
    ids=["dropped-after-apply", "503-after-apply"],
)
@pytest.mark.anyio
async def test_unknown_order_create_is_reconciled_into_one_order(
    make_client: Callable[..., AsyncImburse],
    fake: FakeImburse,
    clock: FakeClock,
    fault: dict[str, Any],
) -> None:
    async with make_client() as client:
        fake.inject(method="POST", **fault)
        receipt = await client.orders.create("ORD-1", metadata={"policy": "P-9"})
    assert receipt.reconciled is True
    assert receipt.ref == "ORD-1"
    assert receipt.status_code == 201
    assert receipt.attempts == 2
    assert list(fake.orders) == ["ORD-1"]
    assert fake.orders["ORD-1"].metadata == {"policy": "P-9"}
    # The create was sent twice, refused as a duplicate the second time, then read back.
    seen = [(r.method, r.path, r.status) for r in fake.requests if r.path != "/v1/identity/hmac"]
    assert seen[1:] == [("POST", ORDERS_PATH, 400), ("GET", order_path("ORD-1"), 200)]
    assert {r.headers["x-correlation-id"] for r in fake.requests[1:]} == {receipt.correlation_id}
    assert clock.sleeps == [0.5]


@pytest.mark.anyio
async def test_order_with_instructions_is_reconciled_with_202(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        fake.inject("drop_after", method="POST")
        receipt = await client.orders.create("ORD-1", instructions=[INSTRUCTION])
    assert receipt.reconciled is True
    assert receipt.status_code == 202
    assert receipt.accepted is True
    assert list(fake.orders["ORD-1"].instructions) == ["INS-1"]


@pytest.mark.parametrize(
    ("fault", "first_answer"),
    [
        ({"kind": "drop_after"}, None),
        ({"kind": "status", "status": 503, "apply": True}, 503),
    ],
    ids=["dropped-after-apply", "503-after-apply"],
)
@pytest.mark.anyio
async def test_unknown_instruction_create_is_reconciled_into_one_instruction(
    make_client: Callable[..., AsyncImburse],
    fake: FakeImburse,
    fault: dict[str, Any],
    first_answer: int | None,
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-1")
        fake.inject(method="POST", path="/instruction$", **fault)
        receipt = await client.instructions.create("ORD-1", **INSTRUCTION)
    assert receipt.reconciled is True
    assert receipt.ref == "ORD-1/INS-1"
    assert receipt.status_code == 201
    assert list(fake.orders["ORD-1"].instructions) == ["INS-1"]
    assert [r.status for r in calls_to(fake, INSTRUCTIONS_PATH)] == [first_answer, 400]
    assert [r.status for r in calls_to(fake, f"{INSTRUCTIONS_PATH}/INS-1")] == [200]


@pytest.mark.anyio
async def test_plain_create_is_not_reconciled(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        receipt = await client.orders.create("ORD-1")
    assert receipt.reconciled is False
    assert receipt.attempts == 1
    assert receipt.status_code == 201
    assert receipt.accepted is False


@pytest.mark.anyio
async def test_a_create_refused_before_sending_is_retried_without_reconciling(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        fake.inject("drop_before", method="POST")
        receipt = await client.orders.create("ORD-1")
    assert receipt.reconciled is False
    assert receipt.attempts == 2
    assert list(fake.orders) == ["ORD-1"]


@pytest.mark.anyio
async def test_genuine_duplicate_order_is_an_error(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-1")
        with pytest.raises(BadRequestError) as caught:
            await client.orders.create("ORD-1")
    assert caught.value.error_code == "ORDER_ALREADY_EXISTS"
    assert caught.value.status_code == 400
    assert len(calls_to(fake, ORDERS_PATH, "POST")) == 2  # one attempt each, no read-back
    assert calls_to(fake, order_path("ORD-1")) == []
    assert clock.sleeps == []


@pytest.mark.anyio
async def test_genuine_duplicate_instruction_is_an_error(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-1")
        await client.instructions.create("ORD-1", **INSTRUCTION)
        with pytest.raises(BadRequestError) as caught:
            await client.instructions.create("ORD-1", **INSTRUCTION)
    assert caught.value.status_code == 400
    assert "already exists" in str(caught.value).lower()


@pytest.mark.anyio
async def test_existing_order_that_differs_is_a_conflict(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-1", metadata={"policy": "P-1"})  # someone else's
        # Our first attempt gets a 503 it never applied: unknown. The retry finds ORD-1.
        fake.inject("status", status=503, method="POST")
        with pytest.raises(ConflictError) as caught:
            await client.orders.create("ORD-1", metadata={"policy": "P-2"})
    assert "metadata" in str(caught.value)
    assert caught.value.correlation_id
    assert fake.orders["ORD-1"].metadata == {"policy": "P-1"}


@pytest.mark.anyio
async def test_existing_instruction_that_differs_is_a_conflict(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-1")
        await client.instructions.create("ORD-1", **INSTRUCTION)
        fake.inject("drop_after", method="POST", path="/instruction$")
        with pytest.raises(ConflictError) as caught:
            await client.instructions.create("ORD-1", **{**INSTRUCTION, "amount": "250.00"})
    assert "amount" in str(caught.value)
    assert fake.orders["ORD-1"].instructions["INS-1"].amount == Decimal("200.00")


@pytest.mark.anyio
async def test_unknown_outcome_after_the_last_retry_names_the_ref(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    async with make_client() as client:
        fake.inject("drop_after", method="POST", times=5)
        with pytest.raises(OutcomeUnknownError) as caught:
            await client.orders.create("ORD-1", max_retries=1, correlation_id="cid-unknown")
    err = caught.value
    assert err.ref == "ORD-1"
    assert "ORD-1" in str(err)
    assert err.correlation_id == "cid-unknown"
    assert isinstance(err, APIConnectionError)  # callers catching connection errors see it
    assert len(calls_to(fake, ORDERS_PATH, "POST")) == 2
    assert clock.sleeps == [0.5]


@pytest.mark.anyio
async def test_unknown_instruction_outcome_names_order_and_instruction(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-1")
        fake.inject("status", status=502, method="POST", times=None)
        with pytest.raises(OutcomeUnknownError) as caught:
            await client.instructions.create("ORD-1", **INSTRUCTION)
    assert caught.value.ref == "ORD-1/INS-1"


@pytest.mark.anyio
async def test_refused_connection_on_every_attempt_is_a_connection_error(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    async with make_client() as client:
        fake.inject("drop_before", method="POST", times=None)
        with pytest.raises(APIConnectionError) as caught:
            await client.orders.create("ORD-1")
    # Nothing can have been applied, so the outcome is not "unknown".
    assert not isinstance(caught.value, OutcomeUnknownError)
    assert fake.orders == {}
    assert len(calls_to(fake, ORDERS_PATH, "POST")) == 3
    assert clock.sleeps == [0.5, 1.0]


@pytest.mark.anyio
async def test_decimal_amount_round_trips_exactly(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-1")
        await client.instructions.create("ORD-1", **INSTRUCTION)
        instruction = await client.instructions.get("ORD-1", "INS-1")
        order = await client.orders.get("ORD-1")
    assert instruction.amount == Decimal("200.00")
    assert str(instruction.amount) == "200.00"  # the scale survives, no float on the way
    assert isinstance(order.instructions[0].amount, Decimal)
    assert str(order.instructions[0].amount) == "200.00"
    sent = calls_to(fake, INSTRUCTIONS_PATH)[0].json()
    assert sent["amount"] in ("200.00", Decimal("200.00"))
