"""``client.orders``: create and read payment orders (``imburse-api.md`` §5.13)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Unpack

from ..._core.call import RequestOptions
from ..._core.models.orders import CustomerDefaultInput, InstructionInput, Order, OrderInput
from ..._core.models.receipts import CreateReceipt
from ..._core.operations import CREATE_ORDER, GET_ORDER
from ..._core.reconcile import order_differences
from ..._core.validation import check_ref
from ..._raw import async_raw
from ._base import AsyncResource

__all__ = ["AsyncOrders"]


class AsyncOrders(AsyncResource):
    """Payment orders: a container of instructions, keyed by your ``order_ref``."""

    async def create(
        self,
        order_ref: str,
        *,
        instructions: Sequence[InstructionInput | Mapping[str, Any]] | None = None,
        metadata: Mapping[str, str] | None = None,
        customer_defaults: Mapping[str, CustomerDefaultInput | Mapping[str, Any]] | None = None,
        **options: Unpack[RequestOptions],
    ) -> CreateReceipt:
        """Create an order, optionally with its instructions, safely under retries.

        Returns a receipt (Imburse answers 201, or 202 with instructions, with no body). If an
        attempt's outcome was unknown and the retry finds the order already there, the order
        is read back and compared: the receipt then says ``reconciled=True``.

        >>> receipt = await client.orders.create("ORD-1", metadata={"policy": "P-9"})  # doctest: +SKIP
        >>> receipt.status_code  # doctest: +SKIP
        201
        """
        order = OrderInput(
            order_ref=order_ref,
            instructions=instructions,
            metadata=metadata,
            customer_defaults=customer_defaults,
        )
        return await self.create_from(order, **options)

    async def create_from(
        self, order: OrderInput, *, existing_ok: bool = False, **options: Unpack[RequestOptions]
    ) -> CreateReceipt:
        """Create an order from an :class:`~imburse.OrderInput` (see :meth:`create`).

        With ``existing_ok=True`` an order that already exists and matches is reported as a
        reconciled success instead of ``BadRequestError`` (batch jobs re-run safely this way).

        >>> await client.orders.create_from(OrderInput(order_ref="ORD-1"))  # doctest: +SKIP
        """

        async def read_back(deadline: float, correlation_id: str) -> Order:
            return await self.get(order.order_ref, deadline=deadline, correlation_id=correlation_id)

        return await self._client._create(
            CREATE_ORDER,
            body=order,
            ref=order.order_ref,
            created_status=202 if order.instructions else 201,
            read_back=read_back,
            differences=lambda stored: order_differences(order, stored),
            existing_ok=existing_ok,
            options=options,
        )

    async def get(self, order_ref: str, **options: Unpack[RequestOptions]) -> Order:
        """Read an order with its instructions.

        >>> order = await client.orders.get("ORD-1")  # doctest: +SKIP
        >>> order.order_ref  # doctest: +SKIP
        'ORD-1'
        """
        check_ref("order_ref", order_ref)
        result: Order = await self._client._request(
            GET_ORDER, path_params={"orderRef": order_ref}, options=options
        )
        return result

    @property
    def with_raw_response(self) -> AsyncOrdersWithRawResponse:
        """The same methods, returning :class:`~imburse.RawResponse` (status, headers, ids)."""
        return AsyncOrdersWithRawResponse(self)


class AsyncOrdersWithRawResponse:
    """``client.orders.with_raw_response``."""

    def __init__(self, orders: AsyncOrders) -> None:
        self.create = async_raw(orders.create)
        self.create_from = async_raw(orders.create_from)
        self.get = async_raw(orders.get)
