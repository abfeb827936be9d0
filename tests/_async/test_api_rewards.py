"""Reward claims and the v2 reward operations against the fake, end to end
(``imburse-api.md`` §5.13 #13, §5.14 #8, §5.15). Converted to ``tests/_sync``."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from imburse import (
    AsyncImburse,
    BadRequestError,
    DeadlineExceededError,
    GoneError,
    InternalServerError,
    NotFoundError,
    ValidationError,
)
from imburse._core.operations.rewards import AUTHORIZE_REWARD, CLAIM_REWARD
from imburse.testing import FakeImburse
from imburse.testing.routes.rewards import configure_reward_claims

from .helpers import TOKEN_PATH, FakeClock

INSTRUCTION: dict[str, Any] = {
    "instruction_ref": "INS-1",
    "customer_ref": "CUS-1",
    "amount": Decimal("25.00"),
    "currency": "EUR",
    "country": "DE",
    "scheme_id": "SCHEME-1",
}
FI = "0c1d2e3f-0000-4000-8000-000000000001"
LOCATION_BASE = "https://sandbox-api.imbursepayments.com"


async def payout_order(client: AsyncImburse, direction: str = "CREDIT") -> None:
    defaults = {"CUS-1": {"financial_instrument_id": FI}}
    await client.orders.create(
        "ORD-1",
        instructions=[{**INSTRUCTION, "direction": direction}],
        customer_defaults=defaults,
    )


def polls(fake: FakeImburse) -> list[str]:
    return [r.path for r in fake.requests if r.method == "GET" and "/reward/" in r.path]


@pytest.mark.anyio
async def test_claim_then_wait_until_settled(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    configure_reward_claims(fake, settling_polls=2)
    async with make_client() as client:
        await payout_order(client)
        claim = await client.instructions.claim_reward("ORD-1", "INS-1", reward_id="AMZ-DE-25")
        settled = await client.customers.wait_for_reward_claim(claim)
    assert claim.customer_ref == "CUS-1"
    assert claim.financial_instrument_id == FI
    assert claim.transaction_id is not None
    assert claim.location == (
        f"{LOCATION_BASE}/v1/customer-vault/CUS-1/reward/{FI}/transaction/{claim.transaction_id}"
    )
    assert claim.correlation_id is not None
    assert settled.status == "SETTLED"
    assert [c.credential_type for c in settled.credential_list] == ["cardNumber", "expirationDate"]
    assert settled.redemption_instructions is not None
    assert "AMZ-DE-25" in settled.redemption_instructions
    # SETTLING twice, then SETTLED: three polls, one second apart (Imburse's advice).
    path = f"/v1/customer-vault/CUS-1/reward/{FI}/transaction/{claim.transaction_id}"
    assert polls(fake) == [path, path, path]
    assert clock.sleeps == [1.0, 1.0]
    posted = [r for r in fake.requests if r.path.endswith("/claim-reward")]
    assert posted[0].body == b'{"rewardId":"AMZ-DE-25"}'


@pytest.mark.anyio
async def test_wait_accepts_a_location_or_the_ids_and_reports_failure(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    configure_reward_claims(fake, settling_polls=0, outcome="FAILED")
    async with make_client() as client:
        await payout_order(client)
        raw = await client.instructions.with_raw_response.claim_reward(
            "ORD-1", "INS-1", reward_id="R-1"
        )
        claim = raw.parse()
        by_location = await client.customers.wait_for_reward_claim(raw.headers["location"])
        assert claim.ids is not None
        by_ids = await client.customers.wait_for_reward_claim(claim.ids, poll_interval=0.25)
    assert raw.status_code == 202
    assert raw.headers["location"] == claim.location
    assert by_location.status == by_ids.status == "FAILED"
    assert by_location.credential_list == ()
    assert clock.sleeps == []


@pytest.mark.anyio
async def test_wait_gives_up_at_the_deadline_naming_the_transaction(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    configure_reward_claims(fake, settling_polls=1000)
    async with make_client() as client:
        await payout_order(client)
        claim = await client.instructions.claim_reward("ORD-1", "INS-1", reward_id="R-1")
        with pytest.raises(DeadlineExceededError) as info:
            await client.customers.wait_for_reward_claim(claim, deadline=5, poll_interval=1)
    assert str(claim.transaction_id) in str(info.value)
    assert "SETTLING" in str(info.value)
    assert len(polls(fake)) == 5
    assert clock.sleeps == [1.0, 1.0, 1.0, 1.0]


@pytest.mark.anyio
async def test_claims_need_a_payout_instruction(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await payout_order(client, direction="DEBIT")
        with pytest.raises(BadRequestError) as bad:
            await client.instructions.claim_reward("ORD-1", "INS-1", reward_id="R-1")
        with pytest.raises(NotFoundError) as missing:
            await client.instructions.claim_reward("ORD-1", "INS-404", reward_id="R-1")
    assert bad.value.error_code == "INSTRUCTION_IS_NOT_A_PAYOUT"
    assert missing.value.status_code == 404


@pytest.mark.anyio
async def test_a_claim_is_not_repeated_after_an_unknown_outcome(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await payout_order(client)
        fake.inject("status", status=503, apply=True, path="claim-reward")
        with pytest.raises(InternalServerError) as info:
            await client.instructions.claim_reward("ORD-1", "INS-1", reward_id="R-1")
    assert info.value.status_code == 503
    assert len([r for r in fake.requests if r.path.endswith("/claim-reward")]) == 1


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.anyio
async def test_v2_authorize_and_claim(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await payout_order(client)
        authorized = await client.rewards.authorize(
            "CUS-1",
            order_ref="ORD-1",
            instruction_ref="INS-1",
            amount=Decimal("25.00"),
            currency="EUR",
        )
        claimed = await client.rewards.with_raw_response.claim(
            "CUS-1", financial_instrument_id=FI, reward_id="AMZ-DE-25"
        )
        with pytest.raises(NotFoundError) as info:
            await client.rewards.authorize(
                "CUS-1", order_ref="ORD-9", instruction_ref="INS-1", amount="1", currency="EUR"
            )
    assert authorized is None
    assert (claimed.status_code, claimed.parse()) == (200, None)
    assert info.value.status_code == 400  # v2 answers a missing order with 400
    sent = [r for r in fake.requests if r.path.startswith("/v2/customer-vault/")]
    assert sent[0].body == (
        b'{"orderRef":"ORD-1","instructionRef":"INS-1","amount":"25.00","currency":"EUR"}'
    )
    assert (
        sent[1].body == b'{"financialInstrumentId":"' + FI.encode() + b'","rewardId":"AMZ-DE-25"}'
    )


@pytest.mark.anyio
async def test_v2_authorize_and_claim_are_deprecated_and_a_410_is_gone(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    """Imburse marks both deprecated and its current page answers 410 Gone; 0.1.0 called
    them silently, with no roles listed."""
    async with make_client() as client:
        await payout_order(client)
        fake.inject("status", status=410, path="/reward/(authorize|claim)$", times=2)
        with (
            pytest.warns(DeprecationWarning, match=r"client\.rewards\.authorize") as seen,
            pytest.raises(GoneError) as gone,
        ):
            await client.rewards.authorize(
                "CUS-1", order_ref="ORD-1", instruction_ref="INS-1", amount="1", currency="EUR"
            )
        with (
            pytest.warns(DeprecationWarning, match=r"client\.rewards\.claim"),
            pytest.raises(GoneError),
        ):
            await client.rewards.with_raw_response.claim(
                "CUS-1", financial_instrument_id=FI, reward_id="AMZ-DE-25"
            )
    assert seen[0].filename == __file__  # points at the caller's line
    assert gone.value.status_code == 410
    assert (
        AUTHORIZE_REWARD.roles
        == CLAIM_REWARD.roles
        == (
            "tenant-transaction-write",
            "tenant-admin",
        )
    )


async def rejected(call: Any, client: AsyncImburse) -> ValidationError:
    """The ValidationError that ``call(client)`` raises."""
    with pytest.raises(ValidationError) as info:
        await call(client)
    return info.value


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.instructions.claim_reward("ORD-1", "INS-1", reward_id=""), "reward_id"),
        (lambda c: c.instructions.claim_reward("ORD 1", "INS-1", reward_id="R"), "order_ref"),
        (lambda c: c.customers.wait_for_reward_claim("https://x/v1/nope"), "location"),
        (lambda c: c.customers.wait_for_reward_claim(("CUS-1", FI, "t")), "transaction_id"),
        (
            lambda c: c.customers.wait_for_reward_claim(("CUS-1", FI, FI), poll_interval=0),
            "poll_interval",
        ),
        (
            lambda c: c.rewards.authorize(
                "CUS-1", order_ref="ORD-1", instruction_ref="INS-1", amount=2.5, currency="EUR"
            ),
            "amount",
        ),
        (
            lambda c: c.rewards.authorize(
                "CUS-1", order_ref="ORD-1", instruction_ref="INS-1", amount="1", currency="eur"
            ),
            "currency",
        ),
        (
            lambda c: c.rewards.claim("CUS-1", financial_instrument_id="fi", reward_id="R"),
            "financial_instrument_id",
        ),
        (
            lambda c: c.rewards.claim("CUS 1", financial_instrument_id=FI, reward_id="R"),
            "customer_ref",
        ),
    ],
)
@pytest.mark.anyio
async def test_bad_input_never_reaches_the_server(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, call: Any, field: str
) -> None:
    async with make_client() as client:
        error = await rejected(call, client)
    assert error.field == field
    assert [r for r in fake.requests if r.path != TOKEN_PATH] == []
    assert fake.requests == []
