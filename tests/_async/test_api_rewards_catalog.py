"""``client.reward_groups`` and ``client.catalog`` against the fake, end to end
(``imburse-api.md`` §5.11, §5.12)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from imburse import AsyncImburse, BadRequestError, NotFoundError, ValidationError
from imburse._core.models.rewards_catalog import RewardStatus, RewardValueType
from imburse.testing import FakeImburse

US_ANY = "7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910"  # the fake catalog: USD 0.01-2000
UK_25 = "8a7b6c5d-4e3f-4a21-9b0c-7d6e5f4a3b21"  # GBP 25 fixed
UK_50 = "9b8c7d6e-5f4a-4b32-8c1d-8e7f6a5b4c32"  # GBP 50 fixed
UK_INACTIVE = "ac9d8e7f-6a5b-4c43-9d2e-9f8a7b6c5d43"  # GBP 5-250, inactive
MISSING = "00000000-0000-4000-8000-000000000000"


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


@pytest.mark.anyio
async def test_catalog_list_and_search(fake: FakeImburse) -> None:
    async with connect(fake) as client:
        active = await client.catalog.list()
        assert [r.reward_id for r in active] == [US_ANY, UK_25, UK_50]
        assert all(r.status is RewardStatus.ACTIVE for r in active)
        everything = await client.catalog.list(show_inactive=True)
        assert [r.reward_id for r in everything][-1] == UK_INACTIVE

        uk = await client.catalog.search(
            "TANGOCARD_RAAS", brand_name="amazon", countries=["GB"], amount=Decimal("25")
        )
        assert [r.reward_id for r in uk] == [UK_25]
        reward = uk[0]
        assert reward.value_type is RewardValueType.FIXED_VALUE
        assert reward.fixed_value == Decimal("25.00")
        assert [str(c) for c in reward.countries] == ["GB"]
        assert reward.brand is not None
        assert reward.brand.description[0].language_code == "en"

        dollars = await client.catalog.search("tangocard_raas", currencies="USD", amount="150.5")
        assert [r.reward_id for r in dollars] == [US_ANY]
        inactive = await client.catalog.search(
            "TANGOCARD_RAAS", brand_name="Tesco", show_inactive=True
        )
        assert [r.reward_id for r in inactive] == [UK_INACTIVE]
        assert await client.catalog.search("STRIPE") == ()
    paths = [r.path for r in fake.requests if r.path.startswith("/v1/catalog")]
    assert paths == ["/v1/catalog", "/v1/catalog"] + ["/v1/catalog/search"] * 4


@pytest.mark.anyio
async def test_reward_group_crud(fake: FakeImburse) -> None:
    async with connect(fake) as client:
        group = await client.reward_groups.create(
            "UK gift cards", rewards=[UK_25, {"reward_id": UK_50, "is_enabled": False}]
        )
        group_id = group.reward_group_id
        assert group_id is not None
        assert group.correlation_id
        assert [(r.reward_id, r.is_enabled) for r in group.rewards] == [
            (UK_25, True),
            (UK_50, False),
        ]
        assert await client.reward_groups.get(group_id) == group

        updated = await client.reward_groups.update(
            group_id, name="UK cards", rewards=[*group.rewards, US_ANY]
        )
        assert updated.name == "UK cards"
        assert [(r.reward_id, r.is_enabled) for r in updated.rewards] == [
            (UK_25, True),
            (UK_50, False),
            (US_ANY, True),
        ]
        assert [g.name for g in await client.reward_groups.list()] == ["UK cards"]

        with pytest.raises(BadRequestError) as err:
            await client.reward_groups.create("UK cards")  # names are unique
        assert err.value.error_code == "REWARD_GROUP_NAME_ALREADY_EXISTS"

        await client.reward_groups.delete(group_id)
        with pytest.raises(NotFoundError):
            await client.reward_groups.get(group_id)
        with pytest.raises(NotFoundError):
            await client.reward_groups.update(MISSING, name="x")
    methods = [(r.method, r.status) for r in fake.requests if "/reward-groups/" in r.path]
    assert methods == [("GET", 200), ("PUT", 200), ("DELETE", 204), ("GET", 404), ("PUT", 404)]


@pytest.mark.anyio
async def test_a_group_in_a_published_payout_draft_cannot_be_deleted(fake: FakeImburse) -> None:
    async with connect(fake) as client:
        await client.apps.install("TANGOCARD_RAAS")
        group = await client.reward_groups.create("In use", rewards=[UK_25])
        assert group.reward_group_id is not None
        scheme = await client.payout_schemes.create(
            "Gifts",
            rules=[{"reward_groups": [{"reward_group_id": group.reward_group_id}]}],
        )
        assert scheme.scheme_id is not None
        assert scheme.drafts[0].draft_id is not None
        await client.payout_schemes.publish_draft(scheme.scheme_id, scheme.drafts[0].draft_id)
        with pytest.raises(BadRequestError) as err:
            await client.reward_groups.delete(group.reward_group_id)
        assert err.value.error_code == "REWARD_GROUP_IN_USE"
        await client.payout_schemes.delete(scheme.scheme_id)
        await client.reward_groups.delete(group.reward_group_id)
        assert await client.reward_groups.list() == ()


@pytest.mark.anyio
async def test_raw_response(fake: FakeImburse) -> None:
    async with connect(fake) as client:
        raw = await client.catalog.with_raw_response.search("TANGOCARD_RAAS")
        assert raw.status_code == 200
        assert len(raw.parse()) == 3
        created = await client.reward_groups.with_raw_response.create("Raw")
        assert created.status_code == 200
        assert created.parse().name == "Raw"


@pytest.mark.anyio
async def test_invalid_input_never_reaches_the_fake(fake: FakeImburse) -> None:
    async with connect(fake) as client:
        with pytest.raises(ValidationError, match="reward_group_id"):
            await client.reward_groups.get("group-1")
        with pytest.raises(ValidationError, match="reward_group_id"):
            await client.reward_groups.delete(MISSING.upper()[:35])
        with pytest.raises(ValidationError, match="name"):
            await client.reward_groups.create("")
        with pytest.raises(ValidationError, match=r"rewards\[0\].is_enabled"):
            await client.reward_groups.create("G", rewards=[{"reward_id": UK_25, "is_enabled": 1}])
        with pytest.raises(ValidationError, match="name"):
            await client.reward_groups.update(MISSING, name="  ")
        with pytest.raises(ValidationError, match="show_inactive"):
            await client.catalog.list(show_inactive="yes")  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="app_id"):
            await client.catalog.search("")
        with pytest.raises(ValidationError, match="amount"):
            await client.catalog.search("TANGOCARD_RAAS", amount=0)
        with pytest.raises(ValidationError, match=r"countries\[0\]"):
            await client.catalog.search("TANGOCARD_RAAS", countries=["gb"])
    assert fake.requests == []
