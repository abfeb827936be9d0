"""The fake's rewards: claiming a reward for a payout instruction and polling the claim
(``imburse-api.md`` §5.13 #13, §5.14 #8), and the v2 ``authorize`` / ``claim`` (§5.15).

A claim answers 202 with a ``location`` on the documented sandbox host (the SDK takes only
the ids from it). Its transaction is ``SETTLING`` for the first ``settling_polls`` reads,
then ``SETTLED`` with credentials (or ``FAILED``): see :func:`configure_reward_claims`.

Choices where the notes are silent: a claim needs a ``CREDIT`` instruction (400
``INSTRUCTION_IS_NOT_A_PAYOUT`` otherwise); the claim's instrument is the instruction's own
or its customer default, else a new id (reward instruments are not listed in the vault);
the v2 operations answer 200 with an empty body (theirs is not published) after checking the
body and, for ``authorize``, that the order and instruction exist.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from .._app import App, Call, Route, not_found, route
from .._engine import engine_of
from .._errors import HTTPProblem, Problem
from .._jsonout import JSONValue
from .._state import CustomerDefault
from .._validate import _Checker, parse_body
from .customers import _checked_ref

if TYPE_CHECKING:
    from .._fake import FakeImburse

__all__ = ["ROUTES", "configure_reward_claims"]

# The host of the documented sample ``location``; whichever host served the fake.
LOCATION_BASE = "https://sandbox-api.imbursepayments.com"
_UUID = re.compile(r"[0-9A-Fa-f]{8}-([0-9A-Fa-f]{4}-){3}[0-9A-Fa-f]{12}")
_CURRENCY = re.compile(r"[A-Z]{3}")
_OUTCOMES = ("SETTLED", "FAILED")
_DEFAULTS: dict[str, Any] = {"settling_polls": 1, "outcome": "SETTLED"}


def configure_reward_claims(
    fake: FakeImburse, *, settling_polls: int = 1, outcome: str = "SETTLED"
) -> None:
    """How claims made from now on settle: ``SETTLING`` for ``settling_polls`` reads, then
    ``outcome`` (``"SETTLED"`` or ``"FAILED"``). Kept until ``fake.reset()``.

    >>> from imburse.testing import FakeImburse
    >>> configure_reward_claims(FakeImburse(), settling_polls=3, outcome="FAILED")
    """
    if settling_polls < 0:
        raise ValueError("settling_polls must be >= 0")
    if outcome not in _OUTCOMES:
        raise ValueError(f"outcome must be one of {_OUTCOMES}")
    with engine_of(fake).locked() as app:
        settings = app.store("", "reward_claim_settings")
        settings.update(settling_polls=settling_polls, outcome=outcome)


def _settings(app: App) -> dict[str, Any]:
    return {**_DEFAULTS, **app.store("", "reward_claim_settings")}


def claim_reward(app: App, call: Call) -> tuple[int, JSONValue, dict[str, str]]:
    data = parse_body(call.body)
    reward_id = data.get("rewardId")
    if not isinstance(reward_id, str) or not reward_id:
        raise HTTPProblem.one(  # assumed code
            400, "REWARD_ID_IS_REQUIRED", "{propertyName} is required.", propertyName="rewardId"
        )
    order = app.tenants.get(call.tenant_id, {}).get(call.params["order"])
    if order is None:
        raise not_found("ORDER_NOT_FOUND", "Order not found.", call.version)
    instruction = order.instructions.get(call.params["instruction"])
    if instruction is None:
        raise not_found("INSTRUCTION_NOT_FOUND", "Instruction not found.", call.version)
    if instruction.direction != "CREDIT":
        raise HTTPProblem.one(  # assumed code
            400,
            "INSTRUCTION_IS_NOT_A_PAYOUT",
            "Instruction {instructionRef} is not a CREDIT instruction; rewards pay out only.",
            instructionRef=instruction.instruction_ref,
        )
    default = order.customer_defaults.get(instruction.customer_ref, CustomerDefault())
    instrument_id = (
        instruction.financial_instrument_id or default.financial_instrument_id or str(uuid.uuid4())
    )
    transaction_id = str(uuid.uuid4())  # "each claim will have a different transactionId"
    settings = _settings(app)
    claims = app.store(call.tenant_id, "reward_claims")
    claims[transaction_id] = {
        "customerRef": instruction.customer_ref,
        "financialInstrumentId": instrument_id,
        "rewardId": reward_id,
        "orderRef": order.order_ref,
        "instructionRef": instruction.instruction_ref,
        "polls": 0,
        "settlingPolls": settings["settling_polls"],
        "outcome": settings["outcome"],
        "claimedMs": call.now_ms,
    }
    location = (
        f"{LOCATION_BASE}/v1/customer-vault/{quote(instruction.customer_ref, safe='')}"
        f"/reward/{instrument_id}/transaction/{transaction_id}"
    )
    return 202, None, {"location": location}


def get_reward_transaction(app: App, call: Call) -> tuple[int, JSONValue]:
    customer_ref = _checked_ref(call)
    claim = app.store(call.tenant_id, "reward_claims").get(call.params["transaction"])
    if (
        claim is None
        or claim["customerRef"] != customer_ref
        or claim["financialInstrumentId"] != call.params["instrument"]
    ):
        raise not_found("TRANSACTION_NOT_FOUND", "Transaction not found.", call.version)
    claim["polls"] += 1
    if claim["polls"] <= claim["settlingPolls"]:
        return 200, {"status": "SETTLING", "data": None}
    if claim["outcome"] == "FAILED":
        return 200, {"status": "FAILED", "data": None}
    return 200, {"status": "SETTLED", "data": _redemption(call.params["transaction"], claim)}


def _redemption(transaction_id: str, claim: dict[str, Any]) -> JSONValue:
    # The shape of the documented sample (GH claiming-a-reward.md): a claim code and an
    # expiry date, both with rewardType null, and HTML redemption instructions.
    expires = datetime.fromtimestamp(claim["claimedMs"] / 1000, tz=UTC) + timedelta(days=365)
    code = transaction_id.replace("-", "")[:12].upper()
    return {
        "credentialList": [
            {
                "label": "Claim Code",
                "value": f"{code[:4]}-{code[4:10]}-{code[10:]}",
                "rewardType": None,
                "credentialType": "cardNumber",
            },
            {
                "label": "Expiration Date",
                "value": expires.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "rewardType": None,
                "credentialType": "expirationDate",
            },
        ],
        "redemptionInstructions": (
            f"<p>Test reward {claim['rewardId']} from the Imburse fake: nothing to redeem.</p>"
        ),
    }


def _v2_body_problems(data: dict[str, Any], checks: dict[str, str]) -> list[Problem]:
    problems: list[Problem] = []
    check = _Checker(problems)
    for prop, kind in checks.items():
        value = data.get(prop)
        if kind == "ref":
            check.ref(value, prop, _snake(prop))
        elif value is None or value == "":
            check.add(f"{_snake(prop)}_IS_REQUIRED", "{propertyName} is required.", prop)
        elif not _valid(kind, value):  # assumed *_IS_INVALID codes
            check.add(f"{_snake(prop)}_IS_INVALID", "{propertyName} is not valid.", prop)
    return problems


def _snake(prop: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", prop).upper()


def _valid(kind: str, value: Any) -> bool:
    if kind == "amount":
        # Documented as a string; numbers are accepted as for instructions (§6).
        if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
            return False
        try:
            amount = Decimal(value)
        except InvalidOperation:
            return False
        return amount.is_finite() and amount > 0
    if kind == "currency":
        return isinstance(value, str) and bool(_CURRENCY.fullmatch(value))
    if kind == "uuid":
        return isinstance(value, str) and bool(_UUID.fullmatch(value))
    return isinstance(value, str)


def authorize_reward(app: App, call: Call) -> tuple[int, JSONValue]:
    customer_ref = _checked_ref(call)
    data = parse_body(call.body)
    checks = {
        "orderRef": "ref",
        "instructionRef": "ref",
        "amount": "amount",
        "currency": "currency",
    }
    problems = _v2_body_problems(data, checks)
    if problems:
        raise HTTPProblem(400, problems)
    order = app.tenants.get(call.tenant_id, {}).get(data["orderRef"])
    if order is None:
        raise not_found("ORDER_NOT_FOUND", "Order not found.", call.version)
    if data["instructionRef"] not in order.instructions:
        raise not_found("INSTRUCTION_NOT_FOUND", "Instruction not found.", call.version)
    authorizations = app.store(call.tenant_id, "reward_authorizations")
    authorizations[f"{customer_ref}/{data['orderRef']}/{data['instructionRef']}"] = dict(data)
    return 200, None


def claim_reward_v2(app: App, call: Call) -> tuple[int, JSONValue]:
    customer_ref = _checked_ref(call)
    data = parse_body(call.body)
    problems = _v2_body_problems(data, {"financialInstrumentId": "uuid", "rewardId": "text"})
    if problems:
        raise HTTPProblem(400, problems)
    claims = app.store(call.tenant_id, "reward_claims_v2")
    claims.setdefault(customer_ref, []).append(dict(data))
    return 200, None


ROUTES: tuple[Route, ...] = (
    route(
        "POST",
        r"/v1/order-management/{order}/instruction/{instruction}/claim-reward",
        claim_reward,
    ),
    route(
        "GET",
        r"/v1/customer-vault/{customer}/reward/{instrument}/transaction/{transaction}",
        get_reward_transaction,
    ),
    route("POST", r"/v2/customer-vault/{customer}/reward/authorize", authorize_reward),
    route("POST", r"/v2/customer-vault/{customer}/reward/claim", claim_reward_v2),
)
