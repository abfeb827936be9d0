"""Reward request bodies: claiming a reward for a payout instruction (``imburse-api.md``
§5.13 #13) and the Transaction API v2 reward operations (§5.15).

The answers live in :mod:`.customers` (:class:`~.customers.RewardClaim`, the polled
:class:`~.customers.RewardClaimTransaction`); v2 answers are not published and come back as
plain JSON. (Reward groups and the catalog are in :mod:`.rewards_catalog`.)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from ..validation import check_amount, check_currency, check_ref
from ._checks import check_opaque_id
from .customers import check_uuid

__all__ = ["InstructionRewardClaimInput", "RewardAuthorizationInput", "RewardClaimInput"]


def _reward_id(value: Any) -> str:
    # Reward ids come from the catalog or payout options (GUIDs, long hex strings or
    # catalog codes such as "AMZ-DE-25"); they are sent as given, within the opaque-id rule.
    return check_opaque_id("reward_id", value)


def _order_ref(value: Any) -> str:
    return check_ref("order_ref", value)


def _instruction_ref(value: Any) -> str:
    return check_ref("instruction_ref", value)


def _amount(value: Any) -> Decimal:
    # Checked with the currency (its minor unit) in __attrs_post_init__.
    result: Decimal = value
    return result


def _currency(value: Any) -> str:
    return check_currency("currency", value)


def _instrument_id(value: Any) -> str:
    return check_uuid("financial_instrument_id", value)


@attrs.frozen
class InstructionRewardClaimInput:
    """Body of ``POST .../instruction/{instructionRef}/claim-reward``: ``{"rewardId"}``.

    >>> InstructionRewardClaimInput(reward_id="AMZ-DE-25").reward_id
    'AMZ-DE-25'
    """

    reward_id: str = attrs.field(converter=_reward_id)


@attrs.frozen
class RewardAuthorizationInput:
    """Body of ``POST /v2/customer-vault/{customerRef}/reward/authorize``.

    ``amount`` goes on the wire as a JSON string (``"25.00"``), as documented.

    >>> RewardAuthorizationInput(order_ref="ORD-1", instruction_ref="INS-1",
    ...                          amount="25.00", currency="EUR").amount
    Decimal('25.00')
    """

    order_ref: str = attrs.field(converter=_order_ref)
    instruction_ref: str = attrs.field(converter=_instruction_ref)
    amount: Decimal = attrs.field(converter=_amount)
    currency: str = attrs.field(converter=_currency)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "amount", check_amount("amount", self.amount, self.currency))


@attrs.frozen
class RewardClaimInput:
    """Body of ``POST /v2/customer-vault/{customerRef}/reward/claim``.

    >>> RewardClaimInput(financial_instrument_id="0c1d2e3f-0000-4000-8000-000000000001",
    ...                  reward_id="AMZ-DE-25").reward_id
    'AMZ-DE-25'
    """

    financial_instrument_id: str = attrs.field(converter=_instrument_id)
    reward_id: str = attrs.field(converter=_reward_id)
