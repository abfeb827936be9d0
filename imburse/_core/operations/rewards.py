"""``client.rewards``: the Transaction API v2 ``authorize`` / ``claim`` (``imburse-api.md``
§5.15). Claiming a reward on a payout instruction lives with the instructions.

Neither is repeatable: a second claim is a second reward. The answers are not published
(200, body not shown), so they decode as plain JSON (``None`` for an empty body).
Imburse marks both deprecated (the current page answers 410 Gone, :class:`~imburse.GoneError`):
calling them warns with :class:`DeprecationWarning`.
"""

from __future__ import annotations

from ..models.rewards import RewardAuthorizationInput, RewardClaimInput
from ..validation import check_ref
from ._base import Arg, Group, Method, Operation, Scope

__all__ = ["AUTHORIZE_REWARD", "CLAIM_REWARD", "GROUPS", "OPERATIONS", "UNSUPPORTED"]

GROUPS = (
    Group(
        "rewards",
        "Rewards",
        "Rewards for a customer (v2): authorize an amount, then claim a reward. Both are\n"
        "deprecated by Imburse (the current API answers 410 Gone).",
    ),
)
TXN_WRITE = ("tenant-transaction-write", "tenant-admin")
# Both are marked Deprecated on the current page, which answers 410 Gone (GoneError).
_GONE = "the current API answers 410 Gone (imburse.GoneError); no replacement is published"
_CUSTOMER = Arg("customer_ref", "str", path="customerRef", check=check_ref)

# Plain JSON answers: ``response={}`` makes decode return the parsed body (or None).
AUTHORIZE_REWARD: Operation[object] = Operation(
    name="rewards.authorize",
    method="POST",
    path="/v2/customer-vault/{customerRef}/reward/authorize",
    scope=Scope.TENANT,
    roles=TXN_WRITE,  # the newer snapshot of OA:txn-v2/Rewards (the older lists none)
    deprecated=_GONE,
    response={},
    body=RewardAuthorizationInput,
    summary="Authorize a reward for an instruction (v2; 200, answer not published).",
    python=Method(
        doc=(
            "Authorize a reward amount for a payout instruction (``amount`` sent as a string).\n\n"
            "Not retried after an unknown outcome (it is not idempotent). Returns the decoded\n"
            "answer, whose shape is not published, or ``None``."
        ),
        example=(
            'await client.rewards.authorize("CUS-1", order_ref="ORD-1",\n'
            '...     instruction_ref="INS-1", amount=Decimal("25.00"), currency="EUR")'
        ),
        args=(
            _CUSTOMER,
            Arg("order_ref", "str"),
            Arg("instruction_ref", "str"),
            Arg("amount", "Decimal | int | str"),
            Arg("currency", "str"),
        ),
        returns="Any",
    ),
)

CLAIM_REWARD: Operation[object] = Operation(
    name="rewards.claim",
    method="POST",
    path="/v2/customer-vault/{customerRef}/reward/claim",
    scope=Scope.TENANT,
    roles=TXN_WRITE,  # the newer snapshot of OA:txn-v2/Rewards (the older lists none)
    deprecated=_GONE,
    response={},
    body=RewardClaimInput,
    summary="Claim a reward onto a customer's financial instrument (v2; 200, answer not published).",
    python=Method(
        doc=(
            "Claim a reward for a customer's financial instrument (v2).\n\n"
            "Not retried after an unknown outcome: a second claim could be a second reward.\n"
            "Returns the decoded answer, whose shape is not published, or ``None``."
        ),
        example=(
            'await client.rewards.claim("CUS-1", financial_instrument_id=fi_id,\n'
            '...     reward_id="AMZ-DE-25")'
        ),
        args=(_CUSTOMER, Arg("financial_instrument_id", "str"), Arg("reward_id", "str")),
        returns="Any",
    ),
)

OPERATIONS: tuple[Operation[object], ...] = (AUTHORIZE_REWARD, CLAIM_REWARD)
UNSUPPORTED = ()
