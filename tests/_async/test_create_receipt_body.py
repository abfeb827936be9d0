"""A create whose answer carries a body keeps it, decoded, on its receipt.

Imburse documents creates without a body, but its 2019 tutorial shows an instruction body on
the 201 of an instruction create; 0.1.0 dropped it. Converted to ``tests/_sync`` by
``scripts/unasync.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal

import httpx
import pytest

from imburse import AsyncImburse, CreateReceipt, Instruction
from imburse.testing import FakeImburse

from .helpers import FakeClock, Wire

# The shape of the 2019 tutorial's answer (amount a number, status INCOMPLETE).
TUTORIAL_BODY = {
    "instructionRef": "INS-1",
    "customerRef": "CUS-1",
    "direction": "DEBIT",
    "amount": 200.00,
    "currency": "GBP",
    "country": "GB",
    "status": "INCOMPLETE",
    "metadata": {"source": "tutorial"},
}


class BodyOnCreateWire(Wire):
    """The fake applies the create; its 201 then carries ``answer`` as the body."""

    def __init__(self, fake: FakeImburse, clock: FakeClock, answer: bytes) -> None:
        super().__init__(fake, clock)
        self.answer = answer

    def handler(self, request: httpx.Request) -> httpx.Response:
        response = super().handler(request)
        if request.method == "POST" and request.url.path.endswith("/instruction"):
            headers = {"content-type": "application/json"}
            return httpx.Response(response.status_code, headers=headers, content=self.answer)
        return response


async def _create(client: AsyncImburse) -> CreateReceipt:
    await client.orders.create("ORD-1")
    return await client.instructions.create(
        "ORD-1",
        instruction_ref="INS-1",
        customer_ref="CUS-1",
        direction="DEBIT",
        amount=Decimal("200.00"),
        currency="GBP",
        country="GB",
        scheme_id="SCHEME",
    )


@pytest.mark.anyio
async def test_the_body_of_a_201_is_on_the_receipt(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    """Fails on 0.1.0: the receipt had no body and the answer was discarded."""
    fake.schemes = {"SCHEME"}
    wire = BodyOnCreateWire(fake, clock, json.dumps(TUTORIAL_BODY).encode())
    async with make_client(http_client=wire.async_client()) as client:
        receipt = await _create(client)
    instruction = receipt.instruction
    assert isinstance(instruction, Instruction)
    assert (instruction.instruction_ref, instruction.amount, instruction.metadata) == (
        "INS-1",
        Decimal("200.00"),
        {"source": "tutorial"},
    )
    assert receipt.body is instruction
    assert receipt.order is None


@pytest.mark.parametrize("answer", [b"", b"<html>created</html>"])
@pytest.mark.anyio
async def test_no_body_or_an_unreadable_one_leaves_the_receipt_as_before(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock, answer: bytes
) -> None:
    fake.schemes = {"SCHEME"}
    wire = BodyOnCreateWire(fake, clock, answer)
    async with make_client(http_client=wire.async_client()) as client:
        receipt = await _create(client)
    assert (receipt.status_code, receipt.body) == (201, None)
