"""Reward groups and rewards catalog (§5.11, §5.12): exact request bytes, written by hand, and
input checks. Pure."""

from __future__ import annotations

from decimal import Decimal

import pytest

import imburse
from imburse._core.build import build_request
from imburse._core.config import ClientConfig, resolve_config
from imburse._core.errors import ValidationError
from imburse._core.models.rewards_catalog import (
    CatalogSearchQuery,
    RewardGroupInput,
    RewardGroupReward,
    RewardGroupRewardInput,
)
from imburse._core.operations import ALL_OPERATIONS, UNSUPPORTED
from imburse._core.operations.rewards_catalog import (
    CREATE_REWARD_GROUP,
    DELETE_REWARD_GROUP,
    GET_REWARD_GROUP,
    LIST_CATALOG,
    LIST_REWARD_GROUPS,
    SEARCH_CATALOG,
    UPDATE_REWARD_GROUP,
)

PUBLIC = "a123456b-c12c-123d-1ab4-18bd8c8e88a3"
PRIVATE = "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y="
ACCOUNT = "1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c"
TENANT = "2bb81e1e-b072-4e64-b1ec-fdcc54f2d08c"
BASE = "https://sandbox-api.imbursepayments.com"
CID = "c0ffee00-0000-4000-8000-000000000001"
UA = f"imburse-python/{imburse.__version__}"
GROUP = "9c0d7e8f-1a2b-4c3d-8e4f-5a6b7c8d9e0f"

HEADERS = (
    ("Accept", "application/json"),
    ("User-Agent", UA),
    ("X-Correlation-ID", CID),
    ("x-account-id", ACCOUNT),
    ("x-tenant-id", TENANT),
)
HEADERS_JSON = (*HEADERS, ("Content-Type", "application/json"))


@pytest.fixture
def config() -> ClientConfig:
    return resolve_config(
        public_key=PUBLIC, private_key=PRIVATE, account_id=ACCOUNT, tenant_id=TENANT, env={}
    )


def test_operation_counts_are_pinned() -> None:
    def names(prefix: str) -> list[str]:
        return sorted(op.name for op in ALL_OPERATIONS if op.name.startswith(prefix))

    assert names("reward_groups.") == [
        "reward_groups.create",
        "reward_groups.delete",
        "reward_groups.get",
        "reward_groups.list",
        "reward_groups.update",
    ]
    assert names("catalog.") == ["catalog.list", "catalog.search"]
    experimental = sorted(
        op.name
        for op in ALL_OPERATIONS
        if op.name.startswith(("reward_groups.", "catalog.")) and not op.confirmed
    )
    assert experimental == ["reward_groups.delete", "reward_groups.get", "reward_groups.update"]
    assert not [u for u in UNSUPPORTED if u.group in ("reward_groups", "catalog")]


def test_list_reward_groups(config: ClientConfig) -> None:
    req = build_request(LIST_REWARD_GROUPS, config, correlation_id=CID)
    assert (req.method, req.url, req.body) == ("GET", BASE + "/v1/reward-groups", b"")
    assert req.headers == HEADERS


def test_create_reward_group(config: ClientConfig) -> None:
    group = RewardGroupInput(
        name="Gift cards",
        rewards=[
            "U561593",
            {"reward_id": "U426141", "is_enabled": False},
            RewardGroupRewardInput(reward_id="7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910"),
        ],
    )
    req = build_request(CREATE_REWARD_GROUP, config, body=group, correlation_id=CID)
    assert (req.method, req.url) == ("POST", BASE + "/v1/reward-groups")
    assert req.body == (
        b'{"name":"Gift cards","rewards":[{"rewardId":"U561593","isEnabled":true},'
        b'{"rewardId":"U426141","isEnabled":false},'
        b'{"rewardId":"7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910","isEnabled":true}]}'
    )
    assert req.headers == HEADERS_JSON


def test_get_reward_group(config: ClientConfig) -> None:
    req = build_request(
        GET_REWARD_GROUP, config, path_params={"rewardGroupId": GROUP}, correlation_id=CID
    )
    assert (req.method, req.url, req.body) == (
        "GET",
        BASE + "/v1/reward-groups/9c0d7e8f-1a2b-4c3d-8e4f-5a6b7c8d9e0f",
        b"",
    )
    assert req.headers == HEADERS


def test_update_reward_group_sends_the_whole_group(config: ClientConfig) -> None:
    group = RewardGroupInput(
        name="Renamed", rewards=[RewardGroupReward(reward_id="U561593", is_enabled=False)]
    )
    req = build_request(
        UPDATE_REWARD_GROUP,
        config,
        path_params={"rewardGroupId": GROUP},
        body=group,
        correlation_id=CID,
    )
    assert (req.method, req.url) == (
        "PUT",
        BASE + "/v1/reward-groups/9c0d7e8f-1a2b-4c3d-8e4f-5a6b7c8d9e0f",
    )
    assert req.body == b'{"name":"Renamed","rewards":[{"rewardId":"U561593","isEnabled":false}]}'
    assert req.headers == HEADERS_JSON


def test_update_with_no_rewards_leaves_the_key_out(config: ClientConfig) -> None:
    req = build_request(
        UPDATE_REWARD_GROUP,
        config,
        path_params={"rewardGroupId": GROUP},
        body=RewardGroupInput(name="Empty"),
        correlation_id=CID,
    )
    assert req.body == b'{"name":"Empty"}'


def test_delete_reward_group(config: ClientConfig) -> None:
    req = build_request(
        DELETE_REWARD_GROUP, config, path_params={"rewardGroupId": GROUP}, correlation_id=CID
    )
    assert (req.method, req.url, req.body) == (
        "DELETE",
        BASE + "/v1/reward-groups/9c0d7e8f-1a2b-4c3d-8e4f-5a6b7c8d9e0f",
        b"",
    )
    assert req.headers == HEADERS


def test_list_catalog(config: ClientConfig) -> None:
    req = build_request(LIST_CATALOG, config, query={"showInactive": None}, correlation_id=CID)
    assert (req.method, req.url, req.body) == ("GET", BASE + "/v1/catalog", b"")
    assert req.headers == HEADERS


def test_list_catalog_with_inactive_rewards(config: ClientConfig) -> None:
    req = build_request(LIST_CATALOG, config, query={"showInactive": True}, correlation_id=CID)
    assert req.url == BASE + "/v1/catalog?showInactive=true"


def test_search_catalog_with_every_filter(config: ClientConfig) -> None:
    query = CatalogSearchQuery(
        app_id="TANGOCARD_RAAS",
        brand_name="Amazon UK",
        countries=["GB", "US"],
        currencies="GBP",
        amount=Decimal("25.00"),
        show_inactive=False,
    )
    req = build_request(SEARCH_CATALOG, config, query=query.params(), correlation_id=CID)
    assert (req.method, req.body) == ("GET", b"")
    assert req.url == (
        BASE + "/v1/catalog/search?appId=TANGOCARD_RAAS&brandName=Amazon+UK"
        "&countries=GB%2CUS&currencies=GBP&amount=25.00&showInactive=false"
    )
    assert req.headers == HEADERS


def test_search_amount_in_plain_digits(config: ClientConfig) -> None:
    query = CatalogSearchQuery(app_id="TANGOCARD_RAAS", amount=Decimal("5E+1"))
    req = build_request(SEARCH_CATALOG, config, query=query.params(), correlation_id=CID)
    assert req.url == BASE + "/v1/catalog/search?appId=TANGOCARD_RAAS&amount=50"


def test_search_catalog_with_the_app_only(config: ClientConfig) -> None:
    query = CatalogSearchQuery(app_id="tangocard_raas")
    req = build_request(SEARCH_CATALOG, config, query=query.params(), correlation_id=CID)
    assert req.url == BASE + "/v1/catalog/search?appId=tangocard_raas"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"app_id": None}, "app_id"),
        ({"app_id": ""}, "app_id"),
        ({"app_id": "TANGO CARD"}, "app_id"),
        ({"app_id": "X", "brand_name": ""}, "brand_name"),
        ({"app_id": "X", "countries": ["gb"]}, "countries[0]"),
        ({"app_id": "X", "currencies": ["GBP", "pounds"]}, "currencies[1]"),
        ({"app_id": "X", "amount": "0"}, "amount"),
        ({"app_id": "X", "amount": 9.99}, "amount"),
        ({"app_id": "X", "show_inactive": "yes"}, "show_inactive"),
    ],
)
def test_search_query_is_validated(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        CatalogSearchQuery(**kwargs)  # type: ignore[arg-type]
    assert err.value.field == field


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "  "}, "name"),
        ({"name": "G", "rewards": "U561593"}, "rewards"),
        ({"name": "G", "rewards": [""]}, "rewards[0].reward_id"),
        ({"name": "G", "rewards": [{"reward_id": "a/b"}]}, "rewards[0].reward_id"),
        (
            {"name": "G", "rewards": [{"reward_id": "a", "is_enabled": "no"}]},
            "rewards[0].is_enabled",
        ),
        ({"name": "G", "rewards": [{"rewardId": "a"}]}, "rewards[0]"),
        ({"name": "G", "rewards": [7]}, "rewards[0]"),
    ],
)
def test_reward_group_input_is_validated(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        RewardGroupInput(**kwargs)  # type: ignore[arg-type]
    assert err.value.field == field
