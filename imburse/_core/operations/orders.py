"""Order management operations (``imburse-api.md`` §5.13)."""

from __future__ import annotations

from ..models.orders import Instruction, InstructionInput, Order, OrderInput
from ._base import Operation, Scope, Unsupported

__all__ = ["CREATE_INSTRUCTION", "CREATE_ORDER", "GET_INSTRUCTION", "GET_ORDER", "OPERATIONS"]

TXN_READ = ("tenant-transaction-read", "tenant-admin")
TXN_WRITE = ("tenant-transaction-write", "tenant-admin")

CREATE_ORDER: Operation[None] = Operation(
    name="orders.create",
    method="POST",
    path="/v1/order-management",
    scope=Scope.TENANT,
    roles=TXN_WRITE,
    response={201: None, 202: None},
    body=OrderInput,
    natural_key="orderRef",
    summary="Create a payment order, optionally with its instructions (201, or 202 with them).",
)

GET_ORDER: Operation[Order] = Operation(
    name="orders.get",
    method="GET",
    path="/v1/order-management/{orderRef}",
    scope=Scope.TENANT,
    roles=TXN_READ,
    response={200: Order},
    confirmed=False,
    summary="Read a payment order with its instructions.",
)

CREATE_INSTRUCTION: Operation[None] = Operation(
    name="instructions.create",
    method="POST",
    path="/v1/order-management/{orderRef}/instruction",
    scope=Scope.TENANT,
    roles=TXN_WRITE,
    response={201: None, 202: None},
    body=InstructionInput,
    natural_key="instructionRef",
    summary="Add an instruction (a collection or a payout) to an order.",
)

GET_INSTRUCTION: Operation[Instruction] = Operation(
    name="instructions.get",
    method="GET",
    path="/v1/order-management/{orderRef}/instruction/{instructionRef}",
    scope=Scope.TENANT,
    roles=TXN_READ,
    response={200: Instruction},
    summary="Read one instruction with its status, scheme, instrument and transaction.",
)

OPERATIONS: tuple[Operation[object], ...] = (
    CREATE_ORDER,
    GET_ORDER,
    CREATE_INSTRUCTION,
    GET_INSTRUCTION,
)

_NO_PATH = "path not published in any public source ([GAP]); reach it with client.request()"
UNSUPPORTED: tuple[Unsupported, ...] = tuple(
    Unsupported("orders", summary, _NO_PATH)
    for summary in (
        "Update order metadata",
        "Delete order metadata",
        "Update customer defaults",
        "Update a customer default's financial instrument id",
        "Update a customer default's scheme id",
        "Update a customer default's metadata",
        "Delete a customer default",
        "Update an instruction (while INCOMPLETE or READY)",
    )
)
