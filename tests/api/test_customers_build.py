"""Customer vault (§5.14) and v2 orders (§1.2): exact request bytes and headers, written out
by hand. Pure: no network, no event loop."""

from __future__ import annotations

import pytest

import imburse
from imburse._core.build import build_request
from imburse._core.config import ClientConfig, resolve_config
from imburse._core.errors import ValidationError
from imburse._core.models.customers import (
    CustomerUpdate,
    MobileInstrumentInput,
    RewardClaim,
    reward_claim_ids,
)
from imburse._core.models.orders import OrderInput
from imburse._core.operations import ALL_OPERATIONS, UNSUPPORTED
from imburse._core.operations.customers import (
    CREATE_MOBILE_INSTRUMENT,
    GET_CUSTOMER,
    GET_CUSTOMER_V2,
    GET_FINANCIAL_INSTRUMENT,
    GET_REWARD_TRANSACTION,
    GET_TRANSACTION,
    GET_WALLET,
    UPDATE_CUSTOMER,
    UPDATE_CUSTOMER_V2,
)
from imburse._core.operations.instructions import GET_INSTRUCTION_V2
from imburse._core.operations.orders import CREATE_ORDER_V2

PUBLIC = "a123456b-c12c-123d-1ab4-18bd8c8e88a3"
PRIVATE = "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y="
ACCOUNT = "1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c"
TENANT = "2bb81e1e-b072-4e64-b1ec-fdcc54f2d08c"
BASE = "https://sandbox-api.imbursepayments.com"
CID = "c0ffee00-0000-4000-8000-000000000001"
UA = f"imburse-python/{imburse.__version__}"
FI = "0c1d2e3f-0000-4000-8000-000000000001"
TX = "8f482020-965f-4e9b-afb2-1e6e4336e6da"

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
    customers = sorted(op.name for op in ALL_OPERATIONS if op.name.startswith("customers."))
    assert customers == [
        "customers.create_mobile_instrument",
        "customers.get",
        "customers.get_financial_instrument",
        "customers.get_reward_transaction",
        "customers.get_transaction",
        "customers.get_v2",
        "customers.get_wallet",
        "customers.update",
        "customers.update_v2",
    ]
    experimental = sorted(
        op.name for op in ALL_OPERATIONS if op.name.startswith("customers.") and not op.confirmed
    )
    assert experimental == [
        "customers.create_mobile_instrument",
        "customers.get_financial_instrument",
        "customers.get_transaction",
    ]
    v2 = sorted(op.name for op in ALL_OPERATIONS if op.name.endswith("_v2"))
    assert {"orders.create_v2", "instructions.get_v2"} <= set(v2)
    gaps = [u.summary for u in UNSUPPORTED if u.group == "customers"]
    assert len(gaps) == 2
    assert gaps[0].startswith("Forget a customer")


def test_get_customer_v1_and_v2(config: ClientConfig) -> None:
    req = build_request(
        GET_CUSTOMER, config, path_params={"customerRef": "CUS-1"}, correlation_id=CID
    )
    assert (req.method, req.url, req.body) == ("GET", BASE + "/v1/customer-vault/CUS-1", b"")
    assert req.headers == HEADERS
    req = build_request(
        GET_CUSTOMER_V2, config, path_params={"customerRef": "CUS-1"}, correlation_id=CID
    )
    assert (req.method, req.url, req.body) == ("GET", BASE + "/v2/customer-vault/CUS-1", b"")
    assert req.headers == HEADERS


def test_update_customer_sends_the_metadata(config: ClientConfig) -> None:
    body = CustomerUpdate(metadata={"segment": "gold", "policy": "P-9"})
    for op, version in ((UPDATE_CUSTOMER, "v1"), (UPDATE_CUSTOMER_V2, "v2")):
        req = build_request(
            op, config, path_params={"customerRef": "CUS-1"}, body=body, correlation_id=CID
        )
        assert req.method == "PUT"
        assert req.url == f"{BASE}/{version}/customer-vault/CUS-1"
        assert req.body == b'{"metadata":{"segment":"gold","policy":"P-9"}}'
        assert req.headers == HEADERS_JSON


def test_update_customer_with_empty_metadata_clears_it(config: ClientConfig) -> None:
    body = CustomerUpdate(metadata={})
    req = build_request(
        UPDATE_CUSTOMER, config, path_params={"customerRef": "CUS-1"}, body=body, correlation_id=CID
    )
    assert req.body == b'{"metadata":{}}'


def test_get_wallet(config: ClientConfig) -> None:
    req = build_request(
        GET_WALLET, config, path_params={"customerRef": "CUS-1"}, correlation_id=CID
    )
    assert (req.method, req.url) == ("GET", BASE + "/v1/customer-vault/CUS-1/wallet")
    assert req.headers == HEADERS


def test_get_financial_instrument_and_transaction(config: ClientConfig) -> None:
    params = {"customerRef": "CUS-1", "financialInstrumentId": FI}
    req = build_request(GET_FINANCIAL_INSTRUMENT, config, path_params=params, correlation_id=CID)
    assert req.url == BASE + "/v1/customer-vault/CUS-1/financial-instrument/" + FI
    assert (req.method, req.body, req.headers) == ("GET", b"", HEADERS)
    req = build_request(
        GET_TRANSACTION, config, path_params={**params, "transactionId": TX}, correlation_id=CID
    )
    assert req.url == (
        BASE + "/v1/customer-vault/CUS-1/financial-instrument/" + FI + "/transaction/" + TX
    )
    assert (req.method, req.headers) == ("GET", HEADERS)


def test_get_reward_transaction(config: ClientConfig) -> None:
    params = {"customerRef": "CUS-1", "financialInstrumentId": FI, "transactionId": TX}
    req = build_request(GET_REWARD_TRANSACTION, config, path_params=params, correlation_id=CID)
    assert req.url == BASE + "/v1/customer-vault/CUS-1/reward/" + FI + "/transaction/" + TX
    assert (req.method, req.body, req.headers) == ("GET", b"", HEADERS)
    assert req.path == (
        "/v1/customer-vault/{customerRef}/reward/{financialInstrumentId}"
        "/transaction/{transactionId}"
    )


def test_create_mobile_instrument(config: ClientConfig) -> None:
    body = MobileInstrumentInput(country_code="44", phone_number="07738620344")
    req = build_request(
        CREATE_MOBILE_INSTRUMENT,
        config,
        path_params={"customerRef": "CUS-1"},
        body=body,
        correlation_id=CID,
    )
    assert (req.method, req.url) == ("POST", BASE + "/v1/customer-vault/CUS-1/mobile")
    assert req.body == b'{"countryCode":"44","phoneNumber":"07738620344"}'
    assert req.headers == HEADERS_JSON
    assert CREATE_MOBILE_INSTRUMENT.repeatable is False


def test_v2_create_order_and_get_instruction(config: ClientConfig) -> None:
    req = build_request(
        CREATE_ORDER_V2, config, body=OrderInput(order_ref="ORD-1"), correlation_id=CID
    )
    assert (req.method, req.url) == ("POST", BASE + "/v2/order-management")
    assert req.body == b'{"orderRef":"ORD-1"}'
    assert req.headers == HEADERS_JSON
    assert CREATE_ORDER_V2.natural_key == "orderRef"
    req = build_request(
        GET_INSTRUCTION_V2,
        config,
        path_params={"orderRef": "ORD-1", "instructionRef": "INS-1"},
        correlation_id=CID,
    )
    assert req.url == BASE + "/v2/order-management/ORD-1/instruction/INS-1"
    assert (req.method, req.headers) == ("GET", HEADERS)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"metadata": None}, "metadata"),
        ({"metadata": {"k": 1}}, "metadata['k']"),
        ({"metadata": {"k" * 41: "v"}}, "metadata['" + "k" * 41 + "']"),
    ],
)
def test_customer_update_is_validated(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        CustomerUpdate(**kwargs)
    assert info.value.field == field


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"country_code": "+44", "phone_number": "07738620344"}, "country_code"),
        ({"country_code": "44", "phone_number": "0773 862 0344"}, "phone_number"),
        ({"country_code": "44", "phone_number": 7738620344}, "phone_number"),
    ],
)
def test_mobile_instrument_is_validated(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        MobileInstrumentInput(**kwargs)
    assert info.value.field == field


def test_reward_claim_location_is_parsed_absolute_or_relative() -> None:
    path = f"/v1/customer-vault/CUS-1/reward/{FI}/transaction/{TX}"
    for location in (BASE + path, path, "https://other.example" + path + "/"):
        claim = RewardClaim.from_location(location)
        assert claim.ids == ("CUS-1", FI, TX)
        assert reward_claim_ids(location) == ("CUS-1", FI, TX)
    assert reward_claim_ids(RewardClaim.from_location(BASE + path)) == ("CUS-1", FI, TX)
    assert reward_claim_ids(("CUS-1", FI, TX)) == ("CUS-1", FI, TX)


@pytest.mark.parametrize(
    ("target", "field"),
    [
        (None, "location_or_ids"),
        ("https://sandbox-api.imbursepayments.com/v1/order-management/ORD-1", "location"),
        (RewardClaim(location=None), "location"),
        (("bad ref", FI, TX), "customer_ref"),
        (("CUS-1", "not-a-uuid", TX), "financial_instrument_id"),
        (("CUS-1", FI, "42"), "transaction_id"),
    ],
)
def test_reward_claim_targets_are_checked(target: object, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        reward_claim_ids(target)
    assert info.value.field == field
