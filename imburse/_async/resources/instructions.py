"""``client.instructions``: add and read instructions of an order (``imburse-api.md`` §5.13)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Unpack

import attrs

from ..._core.call import RequestOptions
from ..._core.models.customers import RewardClaim
from ..._core.models.orders import Instruction, InstructionInput
from ..._core.models.receipts import CreateReceipt
from ..._core.models.rewards import InstructionRewardClaimInput
from ..._core.operations import CREATE_INSTRUCTION, GET_INSTRUCTION
from ..._core.operations.orders_v2 import GET_INSTRUCTION_V2
from ..._core.operations.rewards import CLAIM_INSTRUCTION_REWARD
from ..._core.reconcile import instruction_differences
from ..._core.validation import check_ref
from ..._raw import async_raw, record_raw
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
        return await self._client._request(
            GET_INSTRUCTION,
            path_params={"orderRef": order_ref, "instructionRef": instruction_ref},
            options=options,
        )

    async def get_v2(
        self, order_ref: str, instruction_ref: str, **options: Unpack[RequestOptions]
    ) -> Instruction:
        """Read one instruction through the v2 API (a missing one answers 400, raised as
        :class:`~imburse.NotFoundError`).

        >>> instruction = await client.instructions.get_v2("ORD-1", "INS-1")  # doctest: +SKIP
        """
        check_ref("order_ref", order_ref)
        check_ref("instruction_ref", instruction_ref)
        return await self._client._request(
            GET_INSTRUCTION_V2,
            path_params={"orderRef": order_ref, "instructionRef": instruction_ref},
            options=options,
        )

    async def claim_reward(
        self,
        order_ref: str,
        instruction_ref: str,
        *,
        reward_id: str,
        **options: Unpack[RequestOptions],
    ) -> RewardClaim:
        """Claim a reward for a payout (``CREDIT``) instruction; Imburse settles it later.

        Returns the ``location`` to poll and the ids parsed from it; pass the result to
        ``client.customers.wait_for_reward_claim``. Never retried after an unknown outcome:
        a second claim could be a second reward.

        >>> claim = await client.instructions.claim_reward("ORD-1", "INS-1", reward_id=rid)  # doctest: +SKIP
        >>> tx = await client.customers.wait_for_reward_claim(claim)  # doctest: +SKIP
        """
        check_ref("order_ref", order_ref)
        check_ref("instruction_ref", instruction_ref)
        body = InstructionRewardClaimInput(reward_id=reward_id)
        # The answer is a header (202, no body): read it through a raw capture, then record
        # it again so an outer ``with_raw_response`` sees this call too.
        raw = await async_raw(self._client._request)(
            CLAIM_INSTRUCTION_REWARD,
            path_params={"orderRef": order_ref, "instructionRef": instruction_ref},
            body=body,
            options=options,
        )
        record_raw(raw.status_code, raw.headers, raw.correlation_id, raw.attempts)
        claim = RewardClaim.from_location(raw.headers.get("location"))
        return attrs.evolve(claim, correlation_id=raw.correlation_id)

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
        self.get_v2 = async_raw(instructions.get_v2)
        self.claim_reward = async_raw(instructions.claim_reward)
