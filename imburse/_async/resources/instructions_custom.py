"""The hand-written methods of ``client.instructions``: the create, which settles an unknown
outcome by reading the instruction back, and the reward claim, whose answer is a header.
``instructions.py`` (generated) adds the plain reads.

Each is written once (a module function); the ordinary method returns its parsed result and
the ``with_raw_response`` twin the whole response.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Unpack

import attrs

from ..._core.call import RequestOptions, check_options
from ..._core.models.customers import RewardClaim
from ..._core.models.enums import Direction, DirectionLiteral
from ..._core.models.orders import Instruction, InstructionInput
from ..._core.models.receipts import CreateReceipt
from ..._core.models.rewards import InstructionRewardClaimInput
from ..._core.operations.instructions import (
    CLAIM_INSTRUCTION_REWARD,
    CREATE_INSTRUCTION,
    GET_INSTRUCTION,
)
from ..._core.reconcile import instruction_differences
from ..._core.validation import check_ref
from ..._raw import RawResponse
from ..requestor import AsyncRequestor
from ._base import AsyncResource

__all__ = ["NO_RAW_TWIN", "AsyncInstructionsCustom", "AsyncInstructionsCustomRaw"]

NO_RAW_TWIN: dict[str, str] = {}


async def _create(
    requestor: AsyncRequestor,
    order_ref: str,
    instruction: InstructionInput,
    existing_ok: bool,
    options: RequestOptions,
) -> RawResponse[CreateReceipt]:
    check_ref("order_ref", order_ref)
    path = {"orderRef": order_ref}
    ref = instruction.instruction_ref

    async def read_back(read_options: RequestOptions) -> Instruction:
        read_path = {"orderRef": order_ref, "instructionRef": ref}
        return (await requestor.send(GET_INSTRUCTION, read_path, options=read_options)).parsed

    return await requestor.create(
        CREATE_INSTRUCTION,
        path_params=path,
        body=instruction,
        ref=f"{order_ref}/{ref}",
        created_status=201,
        read_back=read_back,
        differences=lambda stored: instruction_differences(instruction, stored),
        existing_ok=existing_ok,
        options=options,
        body_model=Instruction,
    )


def _instruction(
    instruction_ref: str,
    customer_ref: str,
    direction: DirectionLiteral | Direction,
    amount: Decimal | int | str,
    currency: str,
    country: str,
    scheme_id: str | None,
    settled_by_date: date | str | None,
    metadata: Mapping[str, str] | None,
    financial_instrument_id: str | None,
) -> InstructionInput:
    return InstructionInput(
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


async def _claim_reward(
    requestor: AsyncRequestor,
    order_ref: str,
    instruction_ref: str,
    reward_id: str,
    options: RequestOptions,
) -> RawResponse[RewardClaim]:
    check_ref("order_ref", order_ref)
    check_ref("instruction_ref", instruction_ref)
    body = InstructionRewardClaimInput(reward_id=reward_id)
    path = {"orderRef": order_ref, "instructionRef": instruction_ref}
    response = await requestor.send(CLAIM_INSTRUCTION_REWARD, path, None, body, options)
    # The answer is a header (202, no body): the claim is read from its location.
    claim = RewardClaim.from_location(response.headers.get("location"))
    return response.with_parsed(attrs.evolve(claim, correlation_id=response.correlation_id))


class AsyncInstructionsCustom(AsyncResource):
    """The hand-written methods of ``client.instructions``."""

    async def create(
        self,
        order_ref: str,
        *,
        instruction_ref: str,
        customer_ref: str,
        direction: DirectionLiteral | Direction,
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
        if options:
            check_options(options, "instructions.create")
        check_ref("order_ref", order_ref)
        instruction = _instruction(
            instruction_ref,
            customer_ref,
            direction,
            amount,
            currency,
            country,
            scheme_id,
            settled_by_date,
            metadata,
            financial_instrument_id,
        )
        return (await _create(self._requestor, order_ref, instruction, False, options)).parsed

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
        if options:
            check_options(options, "instructions.create_from")
        response = await _create(self._requestor, order_ref, instruction, existing_ok, options)
        return response.parsed

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
        if options:
            check_options(options, "instructions.claim_reward")
        response = await _claim_reward(
            self._requestor, order_ref, instruction_ref, reward_id, options
        )
        return response.parsed


class AsyncInstructionsCustomRaw(AsyncResource):
    """The raw twins of :class:`AsyncInstructionsCustom`'s methods."""

    async def create(
        self,
        order_ref: str,
        *,
        instruction_ref: str,
        customer_ref: str,
        direction: DirectionLiteral | Direction,
        amount: Decimal | int | str,
        currency: str,
        country: str,
        scheme_id: str | None = None,
        settled_by_date: date | str | None = None,
        metadata: Mapping[str, str] | None = None,
        financial_instrument_id: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> RawResponse[CreateReceipt]:
        """Like ``client.instructions.create``, returning the whole :class:`~imburse.RawResponse`.

        >>> raw = await client.instructions.with_raw_response.create("ORD-1", ...)  # doctest: +SKIP
        """
        if options:
            check_options(options, "instructions.create")
        check_ref("order_ref", order_ref)
        instruction = _instruction(
            instruction_ref,
            customer_ref,
            direction,
            amount,
            currency,
            country,
            scheme_id,
            settled_by_date,
            metadata,
            financial_instrument_id,
        )
        return await _create(self._requestor, order_ref, instruction, False, options)

    async def create_from(
        self,
        order_ref: str,
        instruction: InstructionInput,
        *,
        existing_ok: bool = False,
        **options: Unpack[RequestOptions],
    ) -> RawResponse[CreateReceipt]:
        """Like ``client.instructions.create_from``, returning the whole
        :class:`~imburse.RawResponse`.

        >>> raw = await client.instructions.with_raw_response.create_from("ORD-1", instruction)  # doctest: +SKIP
        """
        if options:
            check_options(options, "instructions.create_from")
        return await _create(self._requestor, order_ref, instruction, existing_ok, options)

    async def claim_reward(
        self,
        order_ref: str,
        instruction_ref: str,
        *,
        reward_id: str,
        **options: Unpack[RequestOptions],
    ) -> RawResponse[RewardClaim]:
        """Like ``client.instructions.claim_reward``, returning the whole
        :class:`~imburse.RawResponse` (its ``location`` header among them).

        >>> raw = await client.instructions.with_raw_response.claim_reward("ORD-1", "INS-1", reward_id=rid)  # doctest: +SKIP
        """
        if options:
            check_options(options, "instructions.claim_reward")
        return await _claim_reward(self._requestor, order_ref, instruction_ref, reward_id, options)
