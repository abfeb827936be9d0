"""``client.orders``: payment orders (``imburse-api.md`` §5.13).

The creates are hand-written (``imburse/_async/resources/orders_custom.py``): they settle an
unknown outcome by reading the order back.
"""

from __future__ import annotations

from ..models.orders import Order, OrderInput
from ..validation import check_ref
from ._base import Arg, Group, Method, Operation, Scope, Unsupported

__all__ = ["CREATE_ORDER", "CREATE_ORDER_V2", "GET_ORDER", "GROUPS", "OPERATIONS", "UNSUPPORTED"]

GROUPS = (
    Group(
        "orders",
        "Orders",
        "Payment orders: a container of instructions, keyed by your ``order_ref``.",
        custom=True,
    ),
)

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
    python=Method(
        doc="Read an order with its instructions.",
        example="order = await client.orders.get(\"ORD-1\")\norder.order_ref\n'ORD-1'",
        args=(Arg("order_ref", "str", path="orderRef", check=check_ref),),
    ),
)

CREATE_ORDER_V2: Operation[None] = Operation(
    name="orders.create_v2",
    method="POST",
    path="/v2/order-management",
    scope=Scope.TENANT,
    roles=TXN_WRITE,
    response={201: None, 202: None},
    body=OrderInput,
    natural_key="orderRef",
    summary="Create a payment order through the v2 API (same body and answers as v1).",
)

OPERATIONS: tuple[Operation[object], ...] = (CREATE_ORDER, GET_ORDER, CREATE_ORDER_V2)

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
