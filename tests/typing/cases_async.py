"""What the async client's methods return, as a type checker sees it (checked by mypy only).

Each ``# type: ignore[code]`` marks a misuse that must stay an error: the suite runs with
``--warn-unused-ignores``, so a misuse that stops being an error fails the check.
"""

from __future__ import annotations

from decimal import Decimal
from typing import assert_type

from imburse import (
    AsyncImburse,
    DirectionLiteral,
    Instruction,
    InstructionInput,
    InstructionStatusLiteral,
    Order,
    RawResponse,
)


async def reads(client: AsyncImburse) -> None:
    order = await client.orders.get("ORD-1")
    assert_type(order, Order)
    assert_type(order.instructions, tuple[Instruction, ...])
    instruction = order.instructions[0]
    assert_type(instruction.status, InstructionStatusLiteral | None)
    assert_type(instruction.direction, DirectionLiteral)
    assert_type(instruction.amount, Decimal)
    assert_type(instruction.currency, str)
    raw = await client.orders.with_raw_response.get("ORD-1")
    assert_type(raw, RawResponse[Order])
    await client.orders.get("ORD-1", timeout=5.0)


async def misuse(client: AsyncImburse, instruction: Instruction) -> None:
    if instruction.status == "SETLED":  # type: ignore[comparison-overlap]
        pass
    await client.orders.get("ORD-1", colour="red")  # type: ignore[call-arg]
    await client.orders.get("ORD-1", timeout="5")  # type: ignore[arg-type]


def inputs() -> None:
    InstructionInput(
        instruction_ref="INS-1",
        customer_ref="CUS-1",
        direction="DEBIT",
        amount="12.50",
        currency="GBP",
        country="GB",
    )
    InstructionInput(
        instruction_ref="INS-1",
        customer_ref="CUS-1",
        direction="DEBIT",
        amount=12.5,  # type: ignore[arg-type]
        currency="GBP",
        country="GB",
    )
    InstructionInput(
        instruction_ref="INS-1",
        customer_ref="CUS-1",
        direction="SIDEWAYS",  # type: ignore[arg-type]
        amount=Decimal("12.50"),
        currency="GBP",
        country="GB",
    )


def other_inputs() -> None:
    from imburse import SepaDirectDebitConfigurationInput

    SepaDirectDebitConfigurationInput(iban=1234)  # type: ignore[arg-type]
