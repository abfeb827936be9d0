"""Collect and payout schemes (§5.9, §5.10): exact request bytes, written by hand, and input
checks. Pure."""

from __future__ import annotations

from decimal import Decimal

import pytest

import imburse
from imburse._core.build import build_request
from imburse._core.config import ClientConfig, resolve_config
from imburse._core.errors import ValidationError
from imburse._core.models.schemes import (
    CollectSchemeInput,
    Country,
    Currency,
    MatchType,
    PayoutOptionsQuery,
    PayoutRuleInput,
    PayoutSchemeInput,
    RewardGroupRef,
    Rule,
    RuleApp,
    RuleAppInput,
    RuleInput,
)
from imburse._core.operations import ALL_OPERATIONS, UNSUPPORTED
from imburse._core.operations.schemes import (
    CREATE_COLLECT_SCHEME,
    CREATE_PAYOUT_SCHEME,
    DELETE_COLLECT_SCHEME,
    DELETE_PAYOUT_SCHEME,
    GET_COLLECT_SCHEME,
    GET_PAYOUT_OPTIONS,
    GET_PAYOUT_SCHEME,
    LIST_COLLECT_SCHEMES,
    LIST_PAYOUT_SCHEMES,
    PUBLISH_COLLECT_DRAFT,
    PUBLISH_PAYOUT_DRAFT,
)

PUBLIC = "a123456b-c12c-123d-1ab4-18bd8c8e88a3"
PRIVATE = "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y="
ACCOUNT = "1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c"
TENANT = "2bb81e1e-b072-4e64-b1ec-fdcc54f2d08c"
BASE = "https://sandbox-api.imbursepayments.com"
CID = "c0ffee00-0000-4000-8000-000000000001"
UA = f"imburse-python/{imburse.__version__}"
SCHEME = "654EB81FF7F07F7CF5A1EE3FF6972E90"
DRAFT = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
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

    assert names("collect_schemes.") == [
        "collect_schemes.create",
        "collect_schemes.delete",
        "collect_schemes.get",
        "collect_schemes.list",
        "collect_schemes.publish_draft",
    ]
    assert names("payout_schemes.") == [
        "payout_schemes.create",
        "payout_schemes.delete",
        "payout_schemes.get",
        "payout_schemes.list",
        "payout_schemes.options",
        "payout_schemes.publish_draft",
    ]
    experimental = sorted(
        op.name for op in ALL_OPERATIONS if "_schemes." in op.name and not op.confirmed
    )
    assert experimental == [
        "collect_schemes.delete",
        "collect_schemes.get",
        "payout_schemes.delete",
        "payout_schemes.list",
    ]
    # 5 + 6 = 11 collect operations documented, 6 + 6 = 12 payout ones.
    assert sum(u.group == "collect_schemes" for u in UNSUPPORTED) == 6
    assert sum(u.group == "payout_schemes" for u in UNSUPPORTED) == 6


# --- collect --------------------------------------------------------------------------------


def test_list_collect_schemes(config: ClientConfig) -> None:
    req = build_request(LIST_COLLECT_SCHEMES, config, correlation_id=CID)
    assert (req.method, req.url, req.body) == ("GET", BASE + "/v1/schemes/collect", b"")
    assert req.headers == HEADERS


def test_create_collect_scheme_as_in_the_openapi_sample(config: ClientConfig) -> None:
    scheme = CollectSchemeInput(
        name="Cards",
        code="CARDS-1",
        agreement_type="SingleUse",
        rules=[
            RuleInput(
                currencies=["EUR"],
                countries=["DE"],
                low_value_inclusive=Decimal("0.01"),
                high_value_inclusive="1000.00",
                apps=[RuleAppInput(app_id="BRAINTREE_SDK", excluded_payment_methods=["PAYPAL"])],
            ),
            {"apps": [{"app_id": "STRIPE"}]},
        ],
    )
    req = build_request(CREATE_COLLECT_SCHEME, config, body=scheme, correlation_id=CID)
    assert (req.method, req.url) == ("POST", BASE + "/v1/schemes/collect")
    assert req.body == (
        b'{"name":"Cards","code":"CARDS-1","agreementType":"SingleUse","rules":['
        b'{"currencies":["EUR"],"countries":["DE"],'
        b'"lowValueInclusive":"0.01","highValueInclusive":"1000.00",'
        b'"apps":[{"appId":"BRAINTREE_SDK","excludedPaymentMethods":["PAYPAL"]}]},'
        b'{"apps":[{"appId":"STRIPE"}]}]}'
    )
    assert req.headers == HEADERS_JSON


def test_create_collect_scheme_with_a_name_only(config: ClientConfig) -> None:
    req = build_request(
        CREATE_COLLECT_SCHEME, config, body=CollectSchemeInput(name="Cards"), correlation_id=CID
    )
    assert req.body == b'{"name":"Cards"}'


def test_get_collect_scheme(config: ClientConfig) -> None:
    req = build_request(
        GET_COLLECT_SCHEME, config, path_params={"schemeId": SCHEME}, correlation_id=CID
    )
    assert (req.method, req.url, req.body) == (
        "GET",
        BASE + "/v1/schemes/collect/654EB81FF7F07F7CF5A1EE3FF6972E90",
        b"",
    )
    assert req.headers == HEADERS


def test_delete_collect_scheme(config: ClientConfig) -> None:
    req = build_request(
        DELETE_COLLECT_SCHEME, config, path_params={"schemeId": SCHEME}, correlation_id=CID
    )
    assert (req.method, req.url, req.body) == (
        "DELETE",
        BASE + "/v1/schemes/collect/654EB81FF7F07F7CF5A1EE3FF6972E90",
        b"",
    )
    assert req.headers == HEADERS


def test_publish_collect_draft(config: ClientConfig) -> None:
    req = build_request(
        PUBLISH_COLLECT_DRAFT,
        config,
        path_params={"schemeId": SCHEME, "draftId": DRAFT},
        correlation_id=CID,
    )
    assert (req.method, req.url, req.body) == (
        "POST",
        BASE + "/v1/schemes/collect/654EB81FF7F07F7CF5A1EE3FF6972E90"
        "/drafts/3fa85f64-5717-4562-b3fc-2c963f66afa6/publish",
        b"",
    )
    assert req.headers == HEADERS


# --- payout ---------------------------------------------------------------------------------


def test_list_payout_schemes(config: ClientConfig) -> None:
    req = build_request(LIST_PAYOUT_SCHEMES, config, correlation_id=CID)
    assert (req.method, req.url, req.body) == ("GET", BASE + "/v1/schemes/payout", b"")
    assert req.headers == HEADERS


def test_create_payout_scheme_with_reward_groups(config: ClientConfig) -> None:
    scheme = PayoutSchemeInput(
        name="Gift cards",
        rules=[
            PayoutRuleInput(
                currencies=["USD"],
                countries=["US"],
                low_value_inclusive=5,
                apps=[{"app_id": "TANGOCARD_RAAS"}],
                reward_groups=[{"reward_group_id": GROUP, "exclusions": ["U561593"]}],
            )
        ],
    )
    req = build_request(CREATE_PAYOUT_SCHEME, config, body=scheme, correlation_id=CID)
    assert (req.method, req.url) == ("POST", BASE + "/v1/schemes/payout")
    assert req.body == (
        b'{"name":"Gift cards","rules":[{"currencies":["USD"],"countries":["US"],'
        b'"lowValueInclusive":"5","apps":[{"appId":"TANGOCARD_RAAS"}],'
        b'"rewardGroups":[{"rewardGroupId":"9c0d7e8f-1a2b-4c3d-8e4f-5a6b7c8d9e0f",'
        b'"exclusions":["U561593"]}]}]}'
    )
    assert req.headers == HEADERS_JSON


def test_get_payout_scheme_uses_the_published_v2_path(config: ClientConfig) -> None:
    req = build_request(
        GET_PAYOUT_SCHEME, config, path_params={"schemeId": SCHEME}, correlation_id=CID
    )
    assert (req.method, req.url) == (
        "GET",
        BASE + "/v2/schemes/payout/654EB81FF7F07F7CF5A1EE3FF6972E90",
    )
    assert req.headers == HEADERS


def test_delete_payout_scheme(config: ClientConfig) -> None:
    """The published delete sits in the v2 tag (204); 0.1.0 sent it to ``/v1``."""
    req = build_request(
        DELETE_PAYOUT_SCHEME, config, path_params={"schemeId": SCHEME}, correlation_id=CID
    )
    assert (req.method, req.url) == (
        "DELETE",
        BASE + "/v2/schemes/payout/654EB81FF7F07F7CF5A1EE3FF6972E90",
    )
    assert DELETE_PAYOUT_SCHEME.response == {204: None}
    assert req.headers == HEADERS


def test_publish_payout_draft(config: ClientConfig) -> None:
    req = build_request(
        PUBLISH_PAYOUT_DRAFT,
        config,
        path_params={"schemeId": SCHEME, "draftId": DRAFT},
        correlation_id=CID,
    )
    assert (req.method, req.url, req.body) == (
        "POST",
        BASE + "/v1/schemes/payout/654EB81FF7F07F7CF5A1EE3FF6972E90"
        "/drafts/3fa85f64-5717-4562-b3fc-2c963f66afa6/publish",
        b"",
    )
    assert req.headers == HEADERS


def test_payout_options_query_string(config: ClientConfig) -> None:
    query = PayoutOptionsQuery(amount=Decimal("25.00"), currency="USD", country="US")
    req = build_request(
        GET_PAYOUT_OPTIONS,
        config,
        path_params={"schemeId": SCHEME},
        query=query.params(),
        correlation_id=CID,
    )
    assert (req.method, req.body) == ("GET", b"")
    assert req.url == (
        BASE + "/v1/schemes/payout/654EB81FF7F07F7CF5A1EE3FF6972E90/options"
        "?amount=25.00&currency=USD&country=US&matchType=Exact"
    )
    assert req.headers == HEADERS


def test_payout_options_max_match(config: ClientConfig) -> None:
    query = PayoutOptionsQuery(amount="10", currency="GBP", country="GB", match_type=MatchType.MAX)
    req = build_request(
        GET_PAYOUT_OPTIONS,
        config,
        path_params={"schemeId": SCHEME},
        query=query.params(),
        correlation_id=CID,
    )
    assert req.url.endswith("/options?amount=10.00&currency=GBP&country=GB&matchType=Max")


def test_payout_options_amount_in_plain_digits_with_the_currency_decimals(
    config: ClientConfig,
) -> None:
    query = PayoutOptionsQuery(amount=Decimal("2.5E+1"), currency="USD", country="US")
    req = build_request(
        GET_PAYOUT_OPTIONS,
        config,
        path_params={"schemeId": SCHEME},
        query=query.params(),
        correlation_id=CID,
    )
    assert req.url.endswith("/options?amount=25.00&currency=USD&country=US&matchType=Exact")


# --- input checks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"low_value_inclusive": 0}, "low_value_inclusive"),
        ({"low_value_inclusive": "-1"}, "low_value_inclusive"),
        ({"low_value_inclusive": 1.5}, "low_value_inclusive"),
        ({"high_value_inclusive": "x"}, "high_value_inclusive"),
        ({"low_value_inclusive": "10", "high_value_inclusive": "9.99"}, "low_value_inclusive"),
        ({"currencies": ["gbp"]}, "currencies[0]"),
        ({"currencies": ["GBP", "EURO"]}, "currencies[1]"),
        ({"countries": ["GBR"]}, "countries[0]"),
        ({"countries": 7}, "countries"),
        ({"apps": [{"app_id": "bad id"}]}, "apps[0].app_id"),
        ({"apps": [{"appId": "STRIPE"}]}, "apps[0]"),
        (
            {"apps": [{"app_id": "STRIPE", "excluded_payment_methods": [""]}]},
            "apps[0].excluded_payment_methods[0]",
        ),
        ({"apps": "STRIPE"}, "apps"),
    ],
)
def test_rules_are_validated(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        RuleInput(**kwargs)  # type: ignore[arg-type]
    assert err.value.field == field


def test_rule_bounds_may_be_equal_and_single_codes_are_accepted() -> None:
    rule = RuleInput(currencies="GBP", low_value_inclusive="5", high_value_inclusive=5)
    assert rule.currencies == ("GBP",)
    assert rule.low_value_inclusive == rule.high_value_inclusive == Decimal(5)


@pytest.mark.parametrize(
    ("reward_group", "field"),
    [
        ({"reward_group_id": "not-a-uuid"}, "reward_groups[0].reward_group_id"),
        ({"reward_group_id": GROUP, "exclusions": ["a b"]}, "reward_groups[0].exclusions[0]"),
        ({}, "reward_groups[0]"),
    ],
)
def test_payout_rule_reward_groups_are_validated(reward_group: object, field: str) -> None:
    with pytest.raises(ValidationError) as err:
        PayoutRuleInput(reward_groups=[reward_group])
    assert err.value.field == field


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": None}, "name"),
        ({"name": "ok", "code": ""}, "code"),
        ({"name": "ok", "agreement_type": 3}, "agreement_type"),
        ({"name": "ok", "rules": [{"low_value_inclusive": "0"}]}, "rules[0].low_value_inclusive"),
        ({"name": "ok", "rules": "rule"}, "rules"),
    ],
)
def test_collect_scheme_input_is_validated(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        CollectSchemeInput(**kwargs)  # type: ignore[arg-type]
    assert err.value.field == field


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"amount": "0"}, "amount"),
        ({"amount": 2.5}, "amount"),
        ({"currency": "usd"}, "currency"),
        ({"country": "USA"}, "country"),
        ({"match_type": "exact"}, "match_type"),
        ({"match_type": "Min"}, "match_type"),
    ],
)
def test_payout_options_query_is_validated(kwargs: dict[str, object], field: str) -> None:
    args: dict[str, object] = {"amount": "25", "currency": "USD", "country": "US", **kwargs}
    with pytest.raises(ValidationError) as err:
        PayoutOptionsQuery(**args)  # type: ignore[arg-type]
    assert err.value.field == field


def test_a_rule_read_back_from_a_draft_can_be_sent_again() -> None:
    rule = Rule(
        priority=1,
        currencies=(Currency(code="GBP", numeric="826"),),
        countries=(Country(code="GB"),),
        low_value_inclusive=Decimal("1"),
        high_value_inclusive=Decimal("100"),
        apps=(RuleApp(app_id="TANGOCARD_RAAS", available_payment_methods=("X",)),),
        reward_groups=(RewardGroupRef(reward_group_id=GROUP, exclusions=("R1",)),),
    )
    scheme = PayoutSchemeInput(name="Again", rules=[rule])
    assert scheme.rules[0] == PayoutRuleInput(
        currencies=["GBP"],
        countries=["GB"],
        low_value_inclusive="1",
        high_value_inclusive="100",
        apps=[{"app_id": "TANGOCARD_RAAS"}],
        reward_groups=[{"reward_group_id": GROUP, "exclusions": ["R1"]}],
    )
    collect = CollectSchemeInput(name="Again", rules=[rule])
    assert type(collect.rules[0]) is RuleInput
