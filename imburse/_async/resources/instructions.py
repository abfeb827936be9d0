"""``client.instructions``: add and read instructions of an order (``imburse-api.md`` §5.13)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Unpack

from ..._core.call import RequestOptions
from ..._core.models.orders import Instruction, InstructionInput
from ..._core.models.receipts import CreateReceipt
from ..._core.operations import CREATE_INSTRUCTION, GET_INSTRUCTION
from ..._core.reconcile import instruction_differences
from ..._core.validation import check_ref
from ..._raw import async_raw
from ._base import AsyncResource

__all__ = ["AsyncInstructions"]


class AsyncInstructions(AsyncResource):
    """Instructions: one collection (``DEBIT``) or payout (``CREDIT``) each."""

    async def create(
        self,
        order_ref: str,
        *,
        instruction_ref: str,
        customer_ref: str,
        direction: str,
        amount: Decimal | int | str,
        currency: str,
        country: str,
        scheme_id: str | None = None,
        settled_by_date: date | str | None = None,
        metadata: Mapping[str, str] | None = None,
        financial_instrument_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> CreateReceipt:
        """Add an instruction to an existing order, safely under retries.

        ``amount`` is a ``Decimal`` (or an int or numeric string); floats are refused.

        >>> await client.instructions.create("ORD-1", instruction_ref="INS-1",
        ...     customer_ref="CUS-1", direction="DEBIT", amount=Decimal("200.00"),
        ...     currency="GBP", country="GB", scheme_id="SCHEME")  # doctest: +SKIP
        """
        check_ref("order_ref", order_ref)
        instruction = InstructionInput(
            instruction_ref=instruction_ref,
            customer_ref=customer_ref,
            direction=direction,
            amount=amount,
            currency=currency,
            country=country,
            scheme_id=scheme_id,
            settled_by_date=settled_by_date,
            metadata=metadata,
            financial_instrument_id=financial_instrument_id,
        )
        return await self.create_from(order_ref, instruction, **options)

    async def create_from(
        self,
        order_ref: str,
        instruction: InstructionInput,
        *,
        existing_ok: bool = False,
        **options: Unpack[RequestOptions],
    ) -> CreateReceipt:
        """Add an :class:`~imburse.InstructionInput` to an order (see :meth:`create`).

        >>> await client.instructions.create_from("ORD-1", instruction)  # doctest: +SKIP
        """
        check_ref("order_ref", order_ref)
        ref = instruction.instruction_ref

        async def read_back(deadline: float, correlation_id: str) -> Instruction:
            return await self.get(order_ref, ref, deadline=deadline, correlation_id=correlation_id)

        return await self._client._create(
            CREATE_INSTRUCTION,
            path_params={"orderRef": order_ref},
            body=instruction,
            ref=f"{order_ref}/{ref}",
            created_status=201,
            read_back=read_back,
            differences=lambda stored: instruction_differences(instruction, stored),
            existing_ok=existing_ok,
            options=options,
        )

    async def get(
        self, order_ref: str, instruction_ref: str, **options: Unpack[RequestOptions]
    ) -> Instruction:
        """Read one instruction: status, scheme, instrument, transaction.

        >>> instruction = await client.instructions.get("ORD-1", "INS-1")  # doctest: +SKIP
        >>> instruction.status  # doctest: +SKIP
        'READY'
        """
        check_ref("order_ref", order_ref)
        check_ref("instruction_ref", instruction_ref)
        result: Instruction = await self._client._request(
            GET_INSTRUCTION,
            path_params={"orderRef": order_ref, "instructionRef": instruction_ref},
            options=options,
        )
        return result

    @property
    def with_raw_response(self) -> AsyncInstructionsWithRawResponse:
        """The same methods, returning :class:`~imburse.RawResponse`."""
        return AsyncInstructionsWithRawResponse(self)


class AsyncInstructionsWithRawResponse:
    """``client.instructions.with_raw_response``."""

    def __init__(self, instructions: AsyncInstructions) -> None:
        self.create = async_raw(instructions.create)
        self.create_from = async_raw(instructions.create_from)
        self.get = async_raw(instructions.get)
