"""The v2 twins of two order-management operations (``imburse-api.md`` §1.2, §5.13).

``POST /v2/order-management`` (pay-by-link use case) and the v2 instruction read take the
same bodies and answer like v1; they are separate operations so the v1 ones stay unchanged.
"""

from __future__ import annotations

from ..models.orders import Instruction, OrderInput
from ._base import Operation, Scope

__all__ = ["CREATE_ORDER_V2", "GET_INSTRUCTION_V2", "OPERATIONS"]

CREATE_ORDER_V2: Operation[None] = Operation(
    name="orders.create_v2",
    method="POST",
    path="/v2/order-management",
    scope=Scope.TENANT,
    roles=("tenant-transaction-write", "tenant-admin"),
    response={201: None, 202: None},
    body=OrderInput,
    natural_key="orderRef",
    summary="Create a payment order through the v2 API (same body and answers as v1).",
)

GET_INSTRUCTION_V2: Operation[Instruction] = Operation(
    name="instructions.get_v2",
    method="GET",
    path="/v2/order-management/{orderRef}/instruction/{instructionRef}",
    scope=Scope.TENANT,
    roles=("tenant-transaction-read", "tenant-admin"),
    response={200: Instruction},
    summary="Read one instruction through the v2 API (missing objects answer 400).",
)

OPERATIONS: tuple[Operation[object], ...] = (CREATE_ORDER_V2, GET_INSTRUCTION_V2)
UNSUPPORTED = ()
