"""``client.collect_schemes`` and ``client.payout_schemes`` against the fake, end to end
(``imburse-api.md`` §5.9, §5.10)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from imburse import AsyncImburse, BadRequestError, NotFoundError, ValidationError
from imburse._core.models.schemes import AgreementType, MatchType
from imburse.testing import FakeImburse

TOKEN_PATH = "/v1/identity/hmac"
UK_25 = "8a7b6c5d-4e3f-4a21-9b0c-7d6e5f4a3b21"  # the fake catalog's fixed GBP 25 reward
UK_50 = "9b8c7d6e-5f4a-4b32-8c1d-8e7f6a5b4c32"  # and its GBP 50 one
DRAFT = "3fa85f64-5717-4562-b3fc-2c963f66afa6"


@pytest.fixture
def fake() -> FakeImburse:
    """A fake on the real clock (the shared fixture's frozen clock needs a client on it too)."""
    return FakeImburse()


def connect(fake: FakeImburse) -> AsyncImburse:
    return AsyncImburse(
        public_key=fake.public_key,
        private_key=fake.private_key,
        account_id=fake.account_id,
        tenant_id=fake.tenant_id,
        http_client=fake.async_client(),
    )


def sdk_calls(fake: FakeImburse) -> list[tuple[str, str, int | None]]:
    return [(r.method, r.path, r.status) for r in fake.requests if r.path != TOKEN_PATH]


@pytest.mark.anyio
async def test_collect_scheme_lifecycle(fake: FakeImburse) -> None:
    async with connect(fake) as client:
        await client.apps.install("BRAINTREE_SDK")
        scheme = await client.collect_schemes.create(
            "Cards",
            code="CARDS-1",
            agreement_type="SingleUse",
            rules=[
                {
                    "currencies": ["GBP"],
                    "countries": ["GB"],
                    "low_value_inclusive": Decimal("0.50"),
                    "high_value_inclusive": "1000",
                    "apps": [{"app_id": "BRAINTREE_SDK", "excluded_payment_methods": ["PAYPAL"]}],
                }
            ],
        )
        assert scheme.scheme_id
        assert scheme.published_draft is None
        draft = scheme.drafts[0]
        assert (draft.name, draft.code, draft.agreement_type) == (
            "Cards",
            "CARDS-1",
            AgreementType.SINGLE_USE,
        )
        rule = draft.rules[0]
        assert (rule.low_value_inclusive, rule.high_value_inclusive) == (
            Decimal("0.50"),
            Decimal(1000),
        )
        assert [str(c) for c in rule.currencies] == ["GBP"]
        assert rule.apps[0].excluded_payment_methods == ("PAYPAL",)
        assert "PAYPAL" not in rule.apps[0].available_payment_methods
        assert draft.last_modified is not None
        assert draft.last_modified.tzinfo is not None

        listed = await client.collect_schemes.list()
        assert [s.scheme_id for s in listed] == [scheme.scheme_id]
        assert await client.collect_schemes.get(scheme.scheme_id) == scheme

        assert draft.draft_id is not None
        published = await client.collect_schemes.publish_draft(scheme.scheme_id, draft.draft_id)
        assert published.published_draft_id == draft.draft_id
        assert published.published_draft == draft

        await client.collect_schemes.delete(scheme.scheme_id)
        assert await client.collect_schemes.list() == ()
        with pytest.raises(NotFoundError):
            await client.collect_schemes.get(scheme.scheme_id)
    create = [r for r in fake.requests if r.method == "POST" and r.path == "/v1/schemes/collect"]
    assert create[0].body == (
        b'{"name":"Cards","code":"CARDS-1","agreementType":"SingleUse","rules":['
        b'{"currencies":["GBP"],"countries":["GB"],"lowValueInclusive":"0.50",'
        b'"highValueInclusive":"1000","apps":[{"appId":"BRAINTREE_SDK",'
        b'"excludedPaymentMethods":["PAYPAL"]}]}]}'
    )


@pytest.mark.anyio
async def test_publish_of_an_unknown_draft_is_not_found(fake: FakeImburse) -> None:
    async with connect(fake) as client:
        scheme = await client.collect_schemes.create("Empty")
        assert scheme.scheme_id is not None
        with pytest.raises(NotFoundError):
            await client.collect_schemes.publish_draft(scheme.scheme_id, DRAFT)


@pytest.mark.anyio
async def test_the_fake_checks_rule_apps_and_reward_groups(fake: FakeImburse) -> None:
    async with connect(fake) as client:
        with pytest.raises(BadRequestError) as err:
            await client.collect_schemes.create(
                "Cards", rules=[{"apps": [{"app_id": "BRAINTREE_SDK"}]}]
            )
        assert err.value.error_code == "APP_NOT_INSTALLED"
        with pytest.raises(BadRequestError) as err:
            await client.payout_schemes.create(
                "Gifts", rules=[{"reward_groups": [{"reward_group_id": DRAFT}]}]
            )
        assert err.value.error_code == "REWARD_GROUP_ID_NOT_RECOGNISED"


@pytest.mark.anyio
async def test_payout_scheme_offers_rewards_once_published(fake: FakeImburse) -> None:
    async with connect(fake) as client:
        await client.apps.install("TANGOCARD_RAAS")
        group = await client.reward_groups.create("UK gift cards", rewards=[UK_25, UK_50])
        assert group.reward_group_id is not None
        scheme = await client.payout_schemes.create(
            "Gifts",
            rules=[
                {
                    "currencies": ["GBP"],
                    "countries": ["GB"],
                    "low_value_inclusive": "1",
                    "high_value_inclusive": "100",
                    "apps": [{"app_id": "TANGOCARD_RAAS"}],
                    "reward_groups": [{"reward_group_id": group.reward_group_id}],
                }
            ],
        )
        scheme_id, draft_id = scheme.scheme_id, scheme.drafts[0].draft_id
        assert scheme_id is not None
        assert draft_id is not None
        assert scheme.drafts[0].rules[0].reward_groups[0].reward_group_id == group.reward_group_id

        nothing = await client.payout_schemes.options(
            scheme_id, amount="25", currency="GBP", country="GB"
        )
        assert nothing.rewards == ()  # no published draft yet

        await client.payout_schemes.publish_draft(scheme_id, draft_id)
        exact = await client.payout_schemes.options(
            scheme_id, amount=Decimal("25.00"), currency="GBP", country="GB"
        )
        assert [r.reward_id for r in exact.rewards] == [UK_25]
        reward = exact.rewards[0]
        assert reward.fixed_value == Decimal("25.00")
        assert str(reward.currency_code) == "GBP"
        assert reward.app is not None
        assert reward.app.app_id == "TANGOCARD_RAAS"
        assert reward.brand is not None
        assert str(reward.brand.description[0]).startswith("<p>")

        up_to_50 = await client.payout_schemes.options(
            scheme_id, amount="50", currency="GBP", country="GB", match_type=MatchType.MAX
        )
        assert [r.reward_id for r in up_to_50.rewards] == [UK_25, UK_50]
        elsewhere = await client.payout_schemes.options(
            scheme_id, amount="25", currency="USD", country="US"
        )
        assert elsewhere.rewards == ()

        got = await client.payout_schemes.get(scheme_id)
        assert got.published_draft_id == draft_id
        assert [s.scheme_id for s in await client.payout_schemes.list()] == [scheme_id]
        await client.payout_schemes.delete(scheme_id)
        assert await client.payout_schemes.list() == ()
    calls = sdk_calls(fake)
    assert ("GET", f"/v2/schemes/payout/{scheme_id}", 200) in calls
    options = [r for r in fake.requests if r.path.endswith("/options")]
    assert [r.status for r in options] == [200, 200, 200, 200]


@pytest.mark.anyio
async def test_raw_response(fake: FakeImburse) -> None:
    async with connect(fake) as client:
        raw = await client.payout_schemes.with_raw_response.list(correlation_id="cid-7")
        assert (raw.status_code, raw.correlation_id) == (200, "cid-7")
        assert raw.parse() == ()
        raw_collect = await client.collect_schemes.with_raw_response.create("Raw")
        assert raw_collect.status_code == 200
        assert raw_collect.parse().scheme_id


@pytest.mark.anyio
async def test_invalid_input_never_reaches_the_fake(fake: FakeImburse) -> None:
    async with connect(fake) as client:
        with pytest.raises(ValidationError, match="name"):
            await client.collect_schemes.create("")
        with pytest.raises(ValidationError, match=r"rules\[0\].low_value_inclusive"):
            await client.collect_schemes.create(
                "Cards", rules=[{"low_value_inclusive": "10", "high_value_inclusive": "5"}]
            )
        with pytest.raises(ValidationError, match=r"rules\[0\].low_value_inclusive"):
            await client.payout_schemes.create("Gifts", rules=[{"low_value_inclusive": 0}])
        with pytest.raises(ValidationError, match=r"rules\[0\].currencies\[0\]"):
            await client.collect_schemes.create("Cards", rules=[{"currencies": ["gbp"]}])
        with pytest.raises(ValidationError, match=r"reward_groups\[0\].reward_group_id"):
            await client.payout_schemes.create(
                "Gifts", rules=[{"reward_groups": [{"reward_group_id": "group-1"}]}]
            )
        with pytest.raises(ValidationError, match="scheme_id"):
            await client.collect_schemes.get("a/b")
        with pytest.raises(ValidationError, match="scheme_id"):
            await client.payout_schemes.delete("")
        with pytest.raises(ValidationError, match="draft_id"):
            await client.collect_schemes.publish_draft("S1", "draft-1")
        with pytest.raises(ValidationError, match="match_type"):
            await client.payout_schemes.options(
                "S1", amount="5", currency="GBP", country="GB", match_type="exact"
            )
        with pytest.raises(ValidationError, match="amount"):
            await client.payout_schemes.options(
                "S1",
                amount=5.0,  # type: ignore[arg-type]
                currency="GBP",
                country="GB",
            )
        with pytest.raises(ValidationError, match="country"):
            await client.payout_schemes.options("S1", amount="5", currency="GBP", country="gb")
    assert fake.requests == []
