"""Rewards: claiming a reward for an instruction (§5.13 #13) and the v2 authorize / claim
(§5.15). Exact request bytes and headers, written out by hand. Pure."""

from __future__ import annotations

from decimal import Decimal

import pytest

import imburse
from imburse._core.build import build_request
from imburse._core.config import ClientConfig, resolve_config
from imburse._core.errors import ValidationError
from imburse._core.models.rewards import (
    InstructionRewardClaimInput,
    RewardAuthorizationInput,
    RewardClaimInput,
)
from imburse._core.operations import ALL_OPERATIONS
from imburse._core.operations.instructions import CLAIM_INSTRUCTION_REWARD
from imburse._core.operations.rewards import AUTHORIZE_REWARD, CLAIM_REWARD

PUBLIC = "a123456b-c12c-123d-1ab4-18bd8c8e88a3"
PRIVATE = "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y="
ACCOUNT = "1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c"
TENANT = "2bb81e1e-b072-4e64-b1ec-fdcc54f2d08c"
BASE = "https://sandbox-api.imbursepayments.com"
CID = "c0ffee00-0000-4000-8000-000000000001"
UA = f"imburse-python/{imburse.__version__}"
FI = "0c1d2e3f-0000-4000-8000-000000000001"

HEADERS_JSON = (
    ("Accept", "application/json"),
    ("User-Agent", UA),
    ("X-Correlation-ID", CID),
    ("x-account-id", ACCOUNT),
    ("x-tenant-id", TENANT),
    ("Content-Type", "application/json"),
)


@pytest.fixture
def config() -> ClientConfig:
    return resolve_config(
        public_key=PUBLIC, private_key=PRIVATE, account_id=ACCOUNT, tenant_id=TENANT, env={}
    )


def test_operation_counts_are_pinned() -> None:
    rewards = sorted(op.name for op in ALL_OPERATIONS if op.name.startswith("rewards."))
    assert rewards == ["rewards.authorize", "rewards.claim"]
    assert "instructions.claim_reward" in {op.name for op in ALL_OPERATIONS}
    # A second claim could be a second reward: never repeated after an unknown outcome.
    assert not any(
        op.repeatable for op in (CLAIM_INSTRUCTION_REWARD, AUTHORIZE_REWARD, CLAIM_REWARD)
    )


def test_claim_reward_for_an_instruction(config: ClientConfig) -> None:
    req = build_request(
        CLAIM_INSTRUCTION_REWARD,
        config,
        path_params={"orderRef": "ORD-1", "instructionRef": "INS-1"},
        body=InstructionRewardClaimInput(reward_id="AMZ-DE-25"),
        correlation_id=CID,
    )
    assert req.method == "POST"
    assert req.url == BASE + "/v1/order-management/ORD-1/instruction/INS-1/claim-reward"
    assert req.body == b'{"rewardId":"AMZ-DE-25"}'
    assert req.headers == HEADERS_JSON


def test_authorize_sends_the_amount_as_a_string(config: ClientConfig) -> None:
    body = RewardAuthorizationInput(
        order_ref="ORD-1", instruction_ref="INS-1", amount=Decimal("25.00"), currency="EUR"
    )
    req = build_request(
        AUTHORIZE_REWARD,
        config,
        path_params={"customerRef": "CUS-1"},
        body=body,
        correlation_id=CID,
    )
    assert req.method == "POST"
    assert req.url == BASE + "/v2/customer-vault/CUS-1/reward/authorize"
    assert req.body == (
        b'{"orderRef":"ORD-1","instructionRef":"INS-1","amount":"25.00","currency":"EUR"}'
    )
    assert req.headers == HEADERS_JSON


def test_v2_claim(config: ClientConfig) -> None:
    body = RewardClaimInput(financial_instrument_id=FI, reward_id="AMZ-DE-25")
    req = build_request(
        CLAIM_REWARD, config, path_params={"customerRef": "CUS-1"}, body=body, correlation_id=CID
    )
    assert req.url == BASE + "/v2/customer-vault/CUS-1/reward/claim"
    assert req.body == (
        b'{"financialInstrumentId":"0c1d2e3f-0000-4000-8000-000000000001","rewardId":"AMZ-DE-25"}'
    )
    assert req.headers == HEADERS_JSON


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"amount": 25.0}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"amount": "-1"}, "amount"),
        ({"currency": "eur"}, "currency"),
        ({"order_ref": "ORD 1"}, "order_ref"),
        ({"instruction_ref": "I" * 51}, "instruction_ref"),
    ],
)
def test_authorization_is_validated(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {
        "order_ref": "ORD-1",
        "instruction_ref": "INS-1",
        "amount": "25.00",
        "currency": "EUR",
        **kwargs,
    }
    with pytest.raises(ValidationError) as info:
        RewardAuthorizationInput(**args)
    assert info.value.field == field


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"financial_instrument_id": "fi-1"}, "financial_instrument_id"),
        ({"reward_id": ""}, "reward_id"),
        ({"reward_id": " AMZ"}, "reward_id"),
        ({"reward_id": 7}, "reward_id"),
    ],
)
def test_claims_are_validated(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"financial_instrument_id": FI, "reward_id": "AMZ-DE-25", **kwargs}
    with pytest.raises(ValidationError) as info:
        RewardClaimInput(**args)
    assert info.value.field == field
    if "reward_id" in kwargs:
        with pytest.raises(ValidationError):
            InstructionRewardClaimInput(reward_id=kwargs["reward_id"])
