"""Apps (§5.8): exact request bytes and headers, expected values written by hand. Pure."""

from __future__ import annotations

from decimal import Decimal

import pytest

import imburse
from imburse._core.build import build_request
from imburse._core.config import ClientConfig, resolve_config
from imburse._core.errors import ValidationError
from imburse._core.models.apps import (
    BraintreeConfigurationInput,
    BraintreeSettingInput,
    DepositFundsInput,
    check_configuration,
)
from imburse._core.operations import ALL_OPERATIONS, UNSUPPORTED
from imburse._core.operations.apps import (
    CONFIGURE_APP,
    GET_MARKETPLACE_APP,
    INSTALL_APP,
    LIST_MARKETPLACE_APPS,
    TANGOCARD_CREATE_ACCOUNT,
    TANGOCARD_DEPOSIT_FUNDS,
    UNINSTALL_APP,
)

PUBLIC = "a123456b-c12c-123d-1ab4-18bd8c8e88a3"
PRIVATE = "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y="
ACCOUNT = "1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c"
TENANT = "2bb81e1e-b072-4e64-b1ec-fdcc54f2d08c"
BASE = "https://sandbox-api.imbursepayments.com"
CID = "c0ffee00-0000-4000-8000-000000000001"
UA = f"imburse-python/{imburse.__version__}"

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


def test_operation_count_is_pinned() -> None:
    names = sorted(op.name for op in ALL_OPERATIONS if op.name.startswith("apps."))
    assert names == [
        "apps.configure",
        "apps.get_marketplace",
        "apps.install",
        "apps.list_marketplace",
        "apps.tangocard.create_account",
        "apps.tangocard.deposit_funds",
        "apps.uninstall",
    ]
    assert [
        op.name for op in ALL_OPERATIONS if op.name.startswith("apps.") and not op.confirmed
    ] == ["apps.uninstall"]
    assert sorted(u.summary for u in UNSUPPORTED if u.group == "apps") == [
        "Get an installed app",
        "List installed apps",
        "Read an app's configuration (legacy)",
    ]


def test_list_marketplace(config: ClientConfig) -> None:
    req = build_request(LIST_MARKETPLACE_APPS, config, correlation_id=CID)
    assert (req.method, req.url, req.body) == ("GET", BASE + "/v1/marketplace/apps", b"")
    assert req.headers == HEADERS


def test_get_marketplace_keeps_the_app_id_as_given(config: ClientConfig) -> None:
    req = build_request(
        GET_MARKETPLACE_APP, config, path_params={"appId": "braintree_sdk"}, correlation_id=CID
    )
    assert (req.method, req.url, req.body) == (
        "GET",
        BASE + "/v1/marketplace/apps/braintree_sdk",
        b"",
    )
    assert req.headers == HEADERS


def test_install_without_a_body(config: ClientConfig) -> None:
    req = build_request(
        INSTALL_APP, config, path_params={"appId": "TANGOCARD_RAAS"}, correlation_id=CID
    )
    assert (req.method, req.url, req.body) == (
        "POST",
        BASE + "/v1/marketplace/apps/TANGOCARD_RAAS/install",
        b"",
    )
    assert req.headers == HEADERS


def test_install_with_the_configuration_of_one_tutorial(config: ClientConfig) -> None:
    body = check_configuration({"merchantId": "m-1", "publicKey": "pk", "privateKey": "sk"})
    req = build_request(
        INSTALL_APP, config, path_params={"appId": "braintree_sdk"}, body=body, correlation_id=CID
    )
    assert req.url == BASE + "/v1/marketplace/apps/braintree_sdk/install"
    assert req.body == b'{"merchantId":"m-1","publicKey":"pk","privateKey":"sk"}'
    assert req.headers == HEADERS_JSON


def test_configure_braintree_from_the_input_model(config: ClientConfig) -> None:
    configuration = BraintreeConfigurationInput(
        merchant_id="m-1",
        public_key="pk",
        private_key="sk",
        settings=[
            BraintreeSettingInput(
                currency="GBP",
                countries=["GB"],
                merchant_account_id="acc-gbp",
                description="UK cards",
            ),
            {"currency": "EUR", "countries": ["DE", "FR"], "merchant_account_id": "acc-eur"},
        ],
    )
    req = build_request(
        CONFIGURE_APP,
        config,
        path_params={"appId": "braintree_sdk"},
        body=check_configuration(configuration),
        correlation_id=CID,
    )
    assert (req.method, req.url) == (
        "POST",
        BASE + "/v1/apps/installed/braintree_sdk/configuration",
    )
    assert req.body == (
        b'{"merchantId":"m-1","publicKey":"pk","privateKey":"sk","settings":['
        b'{"currency":"GBP","countries":["GB"],"merchantAccountId":"acc-gbp",'
        b'"description":"UK cards"},'
        b'{"currency":"EUR","countries":["DE","FR"],"merchantAccountId":"acc-eur"}]}'
    )
    assert req.headers == HEADERS_JSON
    assert "sk" not in repr(configuration)


def test_configure_with_a_plain_mapping_sends_it_as_is(config: ClientConfig) -> None:
    body = check_configuration({"apiKey": "k", "nested": {"a": [1, 2]}})
    req = build_request(
        CONFIGURE_APP, config, path_params={"appId": "STRIPE"}, body=body, correlation_id=CID
    )
    assert req.url == BASE + "/v1/apps/installed/STRIPE/configuration"
    assert req.body == b'{"apiKey":"k","nested":{"a":[1,2]}}'


def test_uninstall_uses_the_tutorial_curl_path(config: ClientConfig) -> None:
    req = build_request(
        UNINSTALL_APP, config, path_params={"appId": "braintree_sdk"}, correlation_id=CID
    )
    assert (req.method, req.url, req.body) == (
        "POST",
        BASE + "/v1/apps/installed/braintree_sdk/uninstall",
        b"",
    )
    assert req.headers == HEADERS


def test_tangocard_create_account(config: ClientConfig) -> None:
    req = build_request(TANGOCARD_CREATE_ACCOUNT, config, correlation_id=CID)
    assert (req.method, req.url, req.body) == (
        "POST",
        BASE + "/v1/apps/installed/tangocard_raas/account",
        b"",
    )
    assert req.headers == HEADERS


def test_tangocard_deposit_sends_the_amount_as_an_exact_json_number(config: ClientConfig) -> None:
    body = DepositFundsInput(amount=Decimal("1500.10")).to_json()
    req = build_request(TANGOCARD_DEPOSIT_FUNDS, config, body=body, correlation_id=CID)
    assert (req.method, req.url) == (
        "POST",
        BASE + "/v1/apps/installed/tangocard_raas/deposit-funds",
    )
    assert req.body == b'{"amount":1500.10}'
    assert req.headers == HEADERS_JSON


def test_deposit_amount_is_written_in_plain_digits() -> None:
    assert DepositFundsInput(amount=Decimal("1E+2")).to_json() == b'{"amount":100}'
    assert DepositFundsInput(amount=7).to_json() == b'{"amount":7}'


@pytest.mark.parametrize("amount", [0, "-5", "abc", 1.5, True, None])
def test_deposit_refuses_bad_amounts(amount: object) -> None:
    with pytest.raises(ValidationError) as err:
        DepositFundsInput(amount=amount)  # type: ignore[arg-type]
    assert err.value.field == "amount"


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"merchant_id": "", "public_key": "p", "private_key": "s"}, "merchant_id"),
        ({"merchant_id": "m", "public_key": None, "private_key": "s"}, "public_key"),
        (
            {"merchant_id": "m", "public_key": "p", "private_key": "s", "settings": [{}]},
            "settings[0]",
        ),
        (
            {
                "merchant_id": "m",
                "public_key": "p",
                "private_key": "s",
                "settings": [{"currency": "gbp", "merchant_account_id": "a"}],
            },
            "settings[0].currency",
        ),
        (
            {
                "merchant_id": "m",
                "public_key": "p",
                "private_key": "s",
                "settings": [{"currency": "GBP", "merchant_account_id": "a", "countries": "GB"}],
            },
            "settings[0].countries",
        ),
    ],
)
def test_braintree_configuration_is_validated(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        BraintreeConfigurationInput(**kwargs)  # type: ignore[arg-type]
    assert err.value.field == field


@pytest.mark.parametrize("value", [None, ["a"], {1: "x"}, "text"])
def test_configuration_must_be_a_mapping_with_string_keys(value: object) -> None:
    with pytest.raises(ValidationError) as err:
        check_configuration(value)
    assert err.value.field == "configuration"
