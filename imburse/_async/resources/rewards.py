"""``client.rewards``: the Transaction API v2 reward operations (``imburse-api.md`` §5.15).

Imburse answers 200 without publishing the body, so these methods return the decoded JSON
as is (``None`` for an empty body). For claiming a reward on a payout instruction, see
``client.instructions.claim_reward``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Unpack

from ..._core.call import RequestOptions
from ..._core.models.rewards import RewardAuthorizationInput, RewardClaimInput
from ..._core.operations.rewards import AUTHORIZE_REWARD, CLAIM_REWARD
from ..._core.validation import check_ref
from ..._raw import async_raw
from ._base import AsyncResource

__all__ = ["AsyncRewards"]


class AsyncRewards(AsyncResource):
    """Rewards for a customer (v2): authorize an amount, then claim a reward."""

    async def authorize(
        self,
        customer_ref: str,
        *,
        order_ref: str,
        instruction_ref: str,
        amount: Decimal | int | str,
        currency: str,
        **options: Unpack[RequestOptions],
    ) -> Any:
        """Authorize a reward amount for a payout instruction (``amount`` sent as a string).

        Not retried after an unknown outcome (it is not idempotent). Returns the decoded
        answer, whose shape is not published, or ``None``.

        >>> await client.rewards.authorize("CUS-1", order_ref="ORD-1",
        ...     instruction_ref="INS-1", amount=Decimal("25.00"), currency="EUR")  # doctest: +SKIP
        """
        check_ref("customer_ref", customer_ref)
        body = RewardAuthorizationInput(
            order_ref=order_ref, instruction_ref=instruction_ref, amount=amount, currency=currency
        )
        return await self._client._request(
            AUTHORIZE_REWARD, path_params={"customerRef": customer_ref}, body=body, options=options
        )

    async def claim(
        self,
        customer_ref: str,
        *,
        financial_instrument_id: str,
        reward_id: str,
        **options: Unpack[RequestOptions],
    ) -> Any:
        """Claim a reward for a customer's financial instrument (v2).

        Not retried after an unknown outcome: a second claim could be a second reward.
        Returns the decoded answer, whose shape is not published, or ``None``.

        >>> await client.rewards.claim("CUS-1", financial_instrument_id=fi_id,
        ...     reward_id="AMZ-DE-25")  # doctest: +SKIP
        """
        check_ref("customer_ref", customer_ref)
        body = RewardClaimInput(
            financial_instrument_id=financial_instrument_id, reward_id=reward_id
        )
        return await self._client._request(
            CLAIM_REWARD, path_params={"customerRef": customer_ref}, body=body, options=options
        )

    @property
    def with_raw_response(self) -> AsyncRewardsWithRawResponse:
        """The same methods, returning :class:`~imburse.RawResponse` (status, headers, ids)."""
        return AsyncRewardsWithRawResponse(self)


class AsyncRewardsWithRawResponse:
    """``client.rewards.with_raw_response``."""

    def __init__(self, rewards: AsyncRewards) -> None:
        self.authorize = async_raw(rewards.authorize)
        self.claim = async_raw(rewards.claim)
