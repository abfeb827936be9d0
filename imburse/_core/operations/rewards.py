"""Reward operations: claiming a reward for a payout instruction (``imburse-api.md`` §5.13
#13) and the Transaction API v2 ``authorize`` / ``claim`` (§5.15).

None of them is repeatable: a second claim is a second reward. The v2 answers are not
published (200, body not shown), so they decode as plain JSON.
"""

from __future__ import annotations

from ..models.rewards import (
    InstructionRewardClaimInput,
    RewardAuthorizationInput,
    RewardClaimInput,
)
from ._base import Operation, Scope

__all__ = ["AUTHORIZE_REWARD", "CLAIM_INSTRUCTION_REWARD", "CLAIM_REWARD", "OPERATIONS"]

TXN_WRITE = ("tenant-transaction-write", "tenant-admin")

CLAIM_INSTRUCTION_REWARD: Operation[None] = Operation(
    name="instructions.claim_reward",
    method="POST",
    path="/v1/order-management/{orderRef}/instruction/{instructionRef}/claim-reward",
    scope=Scope.TENANT,
    roles=TXN_WRITE,
    response={202: None},
    body=InstructionRewardClaimInput,
    summary="Claim a reward for a payout instruction: 202 with the `location` to poll.",
)

# Plain JSON answers: ``response={}`` makes decode return the parsed body (or None).
AUTHORIZE_REWARD: Operation[object] = Operation(
    name="rewards.authorize",
    method="POST",
    path="/v2/customer-vault/{customerRef}/reward/authorize",
    scope=Scope.TENANT,
    roles=(),  # none listed (OA:txn-v2/Rewards)
    response={},
    body=RewardAuthorizationInput,
    summary="Authorize a reward for an instruction (v2; 200, answer not published).",
)

CLAIM_REWARD: Operation[object] = Operation(
    name="rewards.claim",
    method="POST",
    path="/v2/customer-vault/{customerRef}/reward/claim",
    scope=Scope.TENANT,
    roles=(),  # none listed (OA:txn-v2/Rewards)
    response={},
    body=RewardClaimInput,
    summary="Claim a reward onto a customer's financial instrument (v2; 200, answer not published).",
)

OPERATIONS: tuple[Operation[object], ...] = (
    CLAIM_INSTRUCTION_REWARD,
    AUTHORIZE_REWARD,
    CLAIM_REWARD,
)
UNSUPPORTED = ()
