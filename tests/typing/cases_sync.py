"""What the sync client's methods return, as a type checker sees it (checked by mypy only)."""

from __future__ import annotations

from typing import assert_type

from imburse import Imburse, Instruction, InstructionStatusLiteral, Order, RawResponse


def reads(client: Imburse) -> None:
    order = client.orders.get("ORD-1")
    assert_type(order, Order)
    assert_type(order.instructions, tuple[Instruction, ...])
    assert_type(order.instructions[0].status, InstructionStatusLiteral | None)
    assert_type(client.orders.with_raw_response.get("ORD-1"), RawResponse[Order])


def misuse(client: Imburse, instruction: Instruction) -> None:
    if instruction.status == "SETLED":  # type: ignore[comparison-overlap]
        pass
    client.orders.get("ORD-1", colour="red")  # type: ignore[call-arg]
    client.orders.get("ORD-1", timeout="5")  # type: ignore[arg-type]
