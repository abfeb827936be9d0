"""``client.orders``: create and read payment orders (``imburse-api.md`` §5.13)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Unpack

from ..._core.call import RequestOptions
from ..._core.models.batch import BatchItemResult, BatchProgress, BatchReport, OrderItem
from ..._core.models.orders import CustomerDefaultInput, InstructionInput, Order, OrderInput
from ..._core.models.receipts import CreateReceipt
from ..._core.operations import CREATE_ORDER, GET_ORDER
from ..._core.operations.orders_v2 import CREATE_ORDER_V2
from ..._core.reconcile import order_differences
from ..._core.validation import check_ref
from ..._raw import async_raw
from ..._workers import AsyncSource
from ..batch import DEFAULT_CONCURRENCY, AsyncOrderBatch
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

    async def create_many(
        self,
        orders: AsyncSource[OrderItem],
        *,
        concurrency: int = DEFAULT_CONCURRENCY,
        on_result: Callable[[BatchItemResult], None] | None = None,
        on_progress: Callable[[BatchProgress], None] | None = None,
    ) -> BatchReport:
        """Create many orders, ``concurrency`` at a time; safe to re-run after a crash.

        ``orders`` yields :class:`~imburse.OrderInput` objects or mappings of their snake_case
        arguments (any iterable; the asynchronous client also reads asynchronous iterables);
        it is read lazily, one item per free worker.
        Each create goes through this client's pipeline (token, rate-limit policy, retries,
        deadline: use ``client.with_options(...)`` to change them) with ``existing_ok``: an
        order that already exists is read back and reported ``already_existed`` when it
        matches, ``conflict`` (never overwritten) when it differs.

        ``on_result`` gets every item's :class:`~imburse.BatchItemResult` as it finishes and
        ``on_progress`` a :class:`~imburse.BatchProgress` snapshot after it; they are called
        one at a time and should be quick. The returned :class:`~imburse.BatchReport` counts
        each outcome and keeps only the items that did not succeed, so memory stays flat for
        any input size.

        >>> report = await client.orders.create_many(read_orders(), concurrency=64)  # doctest: +SKIP
        >>> report.created, report.already_existed, report.failures  # doctest: +SKIP
        (9998, 2, ())
        """
        batch = AsyncOrderBatch(
            self, concurrency=concurrency, on_result=on_result, on_progress=on_progress
        )
        return await batch.run(orders)

    async def get(self, order_ref: str, **options: Unpack[RequestOptions]) -> Order:
        """Read an order with its instructions.

        >>> order = await client.orders.get("ORD-1")  # doctest: +SKIP
        >>> order.order_ref  # doctest: +SKIP
        'ORD-1'
        """
        check_ref("order_ref", order_ref)
        return await self._client._request(
            GET_ORDER, path_params={"orderRef": order_ref}, options=options
        )

    async def create_v2(
        self,
        order_ref: str,
        *,
        instructions: Sequence[InstructionInput | Mapping[str, Any]] | None = None,
        metadata: Mapping[str, str] | None = None,
        customer_defaults: Mapping[str, CustomerDefaultInput | Mapping[str, Any]] | None = None,
        existing_ok: bool = False,
        **options: Unpack[RequestOptions],
    ) -> CreateReceipt:
        """Create an order through the v2 API (``POST /v2/order-management``).

        Same body, answers and safe-retry rule as :meth:`create` (an unknown outcome is
        settled by reading the order back).

        >>> await client.orders.create_v2("ORD-2", instructions=[instruction])  # doctest: +SKIP
        """
        order = OrderInput(
            order_ref=order_ref,
            instructions=instructions,
            metadata=metadata,
            customer_defaults=customer_defaults,
        )

        async def read_back(deadline: float, correlation_id: str) -> Order:
            return await self.get(order.order_ref, deadline=deadline, correlation_id=correlation_id)

        return await self._client._create(
            CREATE_ORDER_V2,
            body=order,
            ref=order.order_ref,
            created_status=202 if order.instructions else 201,
            read_back=read_back,
            differences=lambda stored: order_differences(order, stored),
            existing_ok=existing_ok,
            options=options,
        )

    @property
    def with_raw_response(self) -> AsyncOrdersWithRawResponse:
        """The same methods, returning :class:`~imburse.RawResponse` (status, headers, ids)."""
        return AsyncOrdersWithRawResponse(self)


class AsyncOrdersWithRawResponse:
    """``client.orders.with_raw_response``."""

    def __init__(self, orders: AsyncOrders) -> None:
        self.create = async_raw(orders.create)
        self.create_from = async_raw(orders.create_from)
        self.create_v2 = async_raw(orders.create_v2)
        self.get = async_raw(orders.get)
