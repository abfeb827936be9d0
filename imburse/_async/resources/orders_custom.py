"""The hand-written methods of ``client.orders``: creates that settle an unknown outcome by
reading the order back, and batch creates. ``orders.py`` (generated) adds the plain calls.

Each create is written once (:func:`_create_order`); the ordinary method returns its parsed
receipt and the ``with_raw_response`` twin the whole response.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Unpack

from ..._core.batch_defaults import DEFAULT_CONCURRENCY
from ..._core.call import RequestOptions, check_options
from ..._core.models.orders import CustomerDefaultInput, InstructionInput, Order, OrderInput
from ..._core.models.receipts import CreateReceipt
from ..._core.operations.orders import CREATE_ORDER, CREATE_ORDER_V2, GET_ORDER
from ..._core.reconcile import order_differences
from ..._raw import RawResponse
from ..requestor import AsyncRequestor
from ._base import AsyncResource

if TYPE_CHECKING:  # loaded by create_many: the orders group is ready without them
    from ..._core.models.batch import BatchItemResult, BatchProgress, BatchReport, OrderItem
    from ..._workers import AsyncSource

__all__ = ["NO_RAW_TWIN", "AsyncOrdersCustom", "AsyncOrdersCustomRaw"]

#: Methods without a ``with_raw_response`` twin, and why.
NO_RAW_TWIN = {
    "create_many": "it makes many calls; each item's result carries its own correlation id",
}


async def _create_order(
    requestor: AsyncRequestor,
    operation: Any,
    order: OrderInput,
    existing_ok: bool,
    options: RequestOptions,
) -> RawResponse[CreateReceipt]:
    """Create ``order`` through ``operation`` (v1 or v2: same body, same answers)."""

    async def read_back(read_options: RequestOptions) -> Order:
        path = {"orderRef": order.order_ref}
        return (await requestor.send(GET_ORDER, path, options=read_options)).parsed

    return await requestor.create(
        operation,
        body=order,
        ref=order.order_ref,
        created_status=202 if order.instructions else 201,
        read_back=read_back,
        differences=lambda stored: order_differences(order, stored),
        existing_ok=existing_ok,
        options=options,
        body_model=Order,
    )


class AsyncOrdersCustom(AsyncResource):
    """The hand-written methods of :class:`~imburse._async.resources.orders.AsyncOrders`."""

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
        if options:
            check_options(options, "orders.create")
        order = OrderInput(
            order_ref=order_ref,
            instructions=instructions,
            metadata=metadata,
            customer_defaults=customer_defaults,
        )
        response = await _create_order(self._requestor, CREATE_ORDER, order, False, options)
        return response.parsed

    async def create_from(
        self, order: OrderInput, *, existing_ok: bool = False, **options: Unpack[RequestOptions]
    ) -> CreateReceipt:
        """Create an order from an :class:`~imburse.OrderInput` (see :meth:`create`).

        With ``existing_ok=True`` an order that already exists and matches is reported as a
        reconciled success instead of ``BadRequestError`` (batch jobs re-run safely this way).

        >>> await client.orders.create_from(OrderInput(order_ref="ORD-1"))  # doctest: +SKIP
        """
        if options:
            check_options(options, "orders.create_from")
        response = await _create_order(self._requestor, CREATE_ORDER, order, existing_ok, options)
        return response.parsed

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
        if options:
            check_options(options, "orders.create_v2")
        order = OrderInput(
            order_ref=order_ref,
            instructions=instructions,
            metadata=metadata,
            customer_defaults=customer_defaults,
        )
        response = await _create_order(
            self._requestor, CREATE_ORDER_V2, order, existing_ok, options
        )
        return response.parsed

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
        from ..batch import AsyncOrderBatch

        batch = AsyncOrderBatch(
            self, concurrency=concurrency, on_result=on_result, on_progress=on_progress
        )
        return await batch.run(orders)


class AsyncOrdersCustomRaw(AsyncResource):
    """The raw twins of :class:`AsyncOrdersCustom`'s methods."""

    async def create(
        self,
        order_ref: str,
        *,
        instructions: Sequence[InstructionInput | Mapping[str, Any]] | None = None,
        metadata: Mapping[str, str] | None = None,
        customer_defaults: Mapping[str, CustomerDefaultInput | Mapping[str, Any]] | None = None,
        **options: Unpack[RequestOptions],
    ) -> RawResponse[CreateReceipt]:
        """Like ``client.orders.create``, returning the whole :class:`~imburse.RawResponse`.

        >>> raw = await client.orders.with_raw_response.create("ORD-1")  # doctest: +SKIP
        """
        if options:
            check_options(options, "orders.create")
        order = OrderInput(
            order_ref=order_ref,
            instructions=instructions,
            metadata=metadata,
            customer_defaults=customer_defaults,
        )
        return await _create_order(self._requestor, CREATE_ORDER, order, False, options)

    async def create_from(
        self, order: OrderInput, *, existing_ok: bool = False, **options: Unpack[RequestOptions]
    ) -> RawResponse[CreateReceipt]:
        """Like ``client.orders.create_from``, returning the whole :class:`~imburse.RawResponse`.

        >>> raw = await client.orders.with_raw_response.create_from(order)  # doctest: +SKIP
        """
        if options:
            check_options(options, "orders.create_from")
        return await _create_order(self._requestor, CREATE_ORDER, order, existing_ok, options)

    async def create_v2(
        self,
        order_ref: str,
        *,
        instructions: Sequence[InstructionInput | Mapping[str, Any]] | None = None,
        metadata: Mapping[str, str] | None = None,
        customer_defaults: Mapping[str, CustomerDefaultInput | Mapping[str, Any]] | None = None,
        existing_ok: bool = False,
        **options: Unpack[RequestOptions],
    ) -> RawResponse[CreateReceipt]:
        """Like ``client.orders.create_v2``, returning the whole :class:`~imburse.RawResponse`.

        >>> raw = await client.orders.with_raw_response.create_v2("ORD-2")  # doctest: +SKIP
        """
        if options:
            check_options(options, "orders.create_v2")
        order = OrderInput(
            order_ref=order_ref,
            instructions=instructions,
            metadata=metadata,
            customer_defaults=customer_defaults,
        )
        return await _create_order(self._requestor, CREATE_ORDER_V2, order, existing_ok, options)
