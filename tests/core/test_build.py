"""Exact request bytes and headers for each operation (expected values written by hand)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import imburse
from imburse._core.build import PreparedRequest, build_request, build_token_request, encode_json
from imburse._core.config import ClientConfig, resolve_config
from imburse._core.models.orders import CustomerDefaultInput, InstructionInput, OrderInput
from imburse._core.operations import (
    CREATE_INSTRUCTION,
    CREATE_ORDER,
    GET_INSTRUCTION,
    GET_ORDER,
)

PUBLIC = "a123456b-c12c-123d-1ab4-18bd8c8e88a3"
PRIVATE = "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y="
ACCOUNT = "1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c"
TENANT = "2bb81e1e-b072-4e64-b1ec-fdcc54f2d08c"
BASE = "https://sandbox-api.imbursepayments.com"
CID = "c0ffee00-0000-4000-8000-000000000001"
UA = f"imburse-python/{imburse.__version__}"


def make_config(*, tenant: bool = True) -> ClientConfig:
    return resolve_config(
        public_key=PUBLIC,
        private_key=PRIVATE,
        account_id=ACCOUNT,
        tenant_id=TENANT if tenant else None,
        env={},
    )


@pytest.fixture
def config() -> ClientConfig:
    return make_config()


TENANT_HEADERS_NO_BODY = (
    ("Accept", "application/json"),
    ("User-Agent", UA),
    ("X-Correlation-ID", CID),
    ("x-account-id", ACCOUNT),
    ("x-tenant-id", TENANT),
)
TENANT_HEADERS_JSON = (*TENANT_HEADERS_NO_BODY, ("Content-Type", "application/json"))


def instruction(ref: str = "INS-1", **overrides: object) -> InstructionInput:
    args: dict[str, object] = {
        "instruction_ref": ref,
        "customer_ref": "CUS-1",
        "direction": "DEBIT",
        "amount": Decimal("200.00"),
        "currency": "GBP",
        "country": "GB",
        **overrides,
    }
    return InstructionInput(**args)


def test_user_agent_names_the_sdk_version() -> None:
    assert "imburse-python/" + imburse.__version__ == UA
    assert make_config().user_agent == UA


# --- CREATE_ORDER ---------------------------------------------------------------------------


def test_create_order_without_instructions(config: ClientConfig) -> None:
    order = OrderInput(order_ref="ORD-1")
    req = build_request(CREATE_ORDER, config, body=order, correlation_id=CID)
    assert req.method == "POST"
    assert req.url == BASE + "/v1/order-management"
    assert req.path == "/v1/order-management"
    assert req.body == b'{"orderRef":"ORD-1"}'
    assert req.headers == TENANT_HEADERS_JSON


def test_create_order_with_metadata_only(config: ClientConfig) -> None:
    order = OrderInput(order_ref="ORD-1", metadata={"policy": "P-9"})
    req = build_request(CREATE_ORDER, config, body=order, correlation_id=CID)
    assert req.body == b'{"orderRef":"ORD-1","metadata":{"policy":"P-9"}}'


def test_create_order_with_instructions(config: ClientConfig) -> None:
    order = OrderInput(
        order_ref="ORD-1",
        instructions=[
            instruction(
                "INS-1",
                scheme_id="654EB81FF7F07F7CF5A1EE3FF6972E90",
                settled_by_date=date(2024, 5, 31),
                metadata={"leg": "1"},
            ),
            {
                "instruction_ref": "INS-2",
                "customer_ref": "CUS-2",
                "direction": "CREDIT",
                "amount": "15.5",  # sent with EUR's two decimals
                "currency": "EUR",
                "country": "IE",
                "financial_instrument_id": "fi-9",
            },
        ],
        metadata={"policy": "P-9"},
    )
    req = build_request(CREATE_ORDER, config, body=order, correlation_id=CID)
    assert req.body == (
        b'{"orderRef":"ORD-1","instructions":['
        b'{"instructionRef":"INS-1","customerRef":"CUS-1","direction":"DEBIT",'
        b'"amount":"200.00","currency":"GBP","country":"GB",'
        b'"schemeId":"654EB81FF7F07F7CF5A1EE3FF6972E90","settledByDate":"2024-05-31",'
        b'"metadata":{"leg":"1"}},'
        b'{"instructionRef":"INS-2","customerRef":"CUS-2","direction":"CREDIT",'
        b'"amount":"15.50","currency":"EUR","country":"IE","financialInstrumentId":"fi-9"}],'
        b'"metadata":{"policy":"P-9"}}'
    )
    assert req.headers == TENANT_HEADERS_JSON


def test_create_order_with_customer_defaults(config: ClientConfig) -> None:
    order = OrderInput(
        order_ref="ORD-1",
        instructions=[instruction("INS-1")],
        customer_defaults={
            "CUS-1": {"scheme_id": "S-1", "financial_instrument_id": "fi-1"},
            "CUS-2": CustomerDefaultInput(metadata={"segment": "gold"}),
        },
    )
    req = build_request(CREATE_ORDER, config, body=order, correlation_id=CID)
    assert req.body == (
        b'{"orderRef":"ORD-1","instructions":['
        b'{"instructionRef":"INS-1","customerRef":"CUS-1","direction":"DEBIT",'
        b'"amount":"200.00","currency":"GBP","country":"GB"}],'
        b'"customerDefaults":{"CUS-1":{"financialInstrumentId":"fi-1","schemeId":"S-1"},'
        b'"CUS-2":{"metadata":{"segment":"gold"}}}}'
    )


def test_amount_never_goes_through_float(config: ClientConfig) -> None:
    order = OrderInput(order_ref="O", instructions=[instruction(amount="0.10")])
    body = build_request(CREATE_ORDER, config, body=order).body
    assert b'"amount":"0.10"' in body
    # 18 digits with the two GBP decimals: past float's 15-17 significant digits.
    order = OrderInput(order_ref="O", instructions=[instruction(amount=1234567890123456)])
    assert b'"amount":"1234567890123456.00"' in build_request(CREATE_ORDER, config, body=order).body


@pytest.mark.parametrize(
    ("amount", "wire"),
    [
        # Always the currency's decimals (GBP: 2), never an exponent.
        (Decimal("200.00").normalize(), b'"amount":"200.00"'),  # Decimal('2E+2')
        (Decimal("1e3"), b'"amount":"1000.00"'),
        (Decimal("0.0100000"), b'"amount":"0.01"'),  # str() of 1E-2 would be an exponent
        (Decimal("200.00"), b'"amount":"200.00"'),
    ],
)
def test_amount_is_sent_in_plain_digits_never_exponent(
    config: ClientConfig, amount: object, wire: bytes
) -> None:
    body = build_request(
        CREATE_INSTRUCTION, config, path_params={"orderRef": "O"}, body=instruction(amount=amount)
    ).body
    assert wire in body
    assert b"E" not in body.split(b'"amount":')[1].split(b",")[0]


def test_non_ascii_metadata_is_sent_as_utf8(config: ClientConfig) -> None:
    order = OrderInput(order_ref="O", metadata={"name": "Zoë Ågren"})
    body = build_request(CREATE_ORDER, config, body=order).body
    assert body == '{"orderRef":"O","metadata":{"name":"Zoë Ågren"}}'.encode()


def test_same_input_gives_the_same_bytes(config: ClientConfig) -> None:
    def build() -> PreparedRequest:
        order = OrderInput(order_ref="ORD-1", instructions=[instruction()], metadata={"a": "b"})
        return build_request(CREATE_ORDER, config, body=order, correlation_id=CID)

    assert build() == build()


# --- GET_ORDER, CREATE_INSTRUCTION, GET_INSTRUCTION ------------------------------------------


def test_get_order(config: ClientConfig) -> None:
    req = build_request(GET_ORDER, config, path_params={"orderRef": "ORD-1"}, correlation_id=CID)
    assert req.method == "GET"
    assert req.url == BASE + "/v1/order-management/ORD-1"
    assert req.path == "/v1/order-management/{orderRef}"
    assert req.body == b""
    assert req.headers == TENANT_HEADERS_NO_BODY


def test_create_instruction(config: ClientConfig) -> None:
    ins = instruction("INS-7", scheme_id="S-1", settled_by_date="2024-06-01", metadata={"k": "v"})
    req = build_request(
        CREATE_INSTRUCTION,
        config,
        path_params={"orderRef": "ORD-1"},
        body=ins,
        correlation_id=CID,
    )
    assert req.method == "POST"
    assert req.url == BASE + "/v1/order-management/ORD-1/instruction"
    assert req.path == "/v1/order-management/{orderRef}/instruction"
    assert req.body == (
        b'{"instructionRef":"INS-7","customerRef":"CUS-1","direction":"DEBIT",'
        b'"amount":"200.00","currency":"GBP","country":"GB","schemeId":"S-1",'
        b'"settledByDate":"2024-06-01","metadata":{"k":"v"}}'
    )
    assert req.headers == TENANT_HEADERS_JSON


def test_get_instruction(config: ClientConfig) -> None:
    req = build_request(
        GET_INSTRUCTION,
        config,
        path_params={"orderRef": "ORD-1", "instructionRef": "INS-7"},
        correlation_id=CID,
    )
    assert req.method == "GET"
    assert req.url == BASE + "/v1/order-management/ORD-1/instruction/INS-7"
    assert req.path == "/v1/order-management/{orderRef}/instruction/{instructionRef}"
    assert req.body == b""
    assert req.headers == TENANT_HEADERS_NO_BODY


def test_path_params_are_percent_encoded_and_kept_out_of_the_path_template(
    config: ClientConfig,
) -> None:
    req = build_request(GET_ORDER, config, path_params={"orderRef": "a/b c?d#e"})
    assert req.url == BASE + "/v1/order-management/a%2Fb%20c%3Fd%23e"
    assert req.path == "/v1/order-management/{orderRef}"


def test_missing_path_param_is_a_validation_error_naming_it(config: ClientConfig) -> None:
    with pytest.raises(imburse.ValidationError) as info:
        build_request(GET_INSTRUCTION, config, path_params={"orderRef": "ORD-1"})
    assert info.value.field == "instructionRef"


def test_without_correlation_id_no_header_is_sent(config: ClientConfig) -> None:
    req = build_request(GET_ORDER, config, path_params={"orderRef": "ORD-1"})
    assert req.header("X-Correlation-ID") is None
    assert req.headers == tuple(h for h in TENANT_HEADERS_NO_BODY if h[0] != "X-Correlation-ID")


@pytest.mark.parametrize(
    ("operation", "params", "body"),
    [
        (GET_ORDER, {"orderRef": "O"}, None),
        (GET_INSTRUCTION, {"orderRef": "O", "instructionRef": "I"}, None),
        (CREATE_ORDER, {}, OrderInput(order_ref="O")),
        (CREATE_INSTRUCTION, {"orderRef": "O"}, instruction()),
    ],
    ids=["get-order", "get-instruction", "create-order", "create-instruction"],
)
def test_no_authorization_header_is_built_for_api_calls(
    config: ClientConfig, operation: object, params: dict[str, str], body: object
) -> None:
    req = build_request(operation, config, path_params=params, body=body)  # type: ignore[arg-type]
    assert req.header("authorization") is None
    assert all(name.lower() != "authorization" for name, _ in req.headers)


def test_tenant_operation_without_tenant_id_names_tenant_id() -> None:
    config = make_config(tenant=False)
    with pytest.raises(imburse.ConfigurationError, match="tenant_id"):
        build_request(GET_ORDER, config, path_params={"orderRef": "ORD-1"})
    with pytest.raises(imburse.ConfigurationError, match="IMBURSE_TENANT_ID"):
        build_request(CREATE_ORDER, config, body=OrderInput(order_ref="O"))


# --- extra headers --------------------------------------------------------------------------


def test_extra_headers_are_appended(config: ClientConfig) -> None:
    req = build_request(
        GET_ORDER, config, path_params={"orderRef": "O"}, extra_headers={"X-Trace": "t-1"}
    )
    assert req.headers[-1] == ("X-Trace", "t-1")


@pytest.mark.parametrize("name", ["Authorization", "authorization", "AUTHORIZATION"])
def test_extra_headers_cannot_set_authorization(config: ClientConfig, name: str) -> None:
    with pytest.raises(imburse.ValidationError) as info:
        build_request(
            GET_ORDER, config, path_params={"orderRef": "O"}, extra_headers={name: "Bearer x"}
        )
    assert info.value.field == "extra_headers"
    assert "Bearer x" not in str(info.value)


@pytest.mark.parametrize(
    "headers", [{"X-A": "v\r\nInjected: 1"}, {"X-A\n": "v"}, {"X-A": "line\nbreak"}]
)
def test_extra_headers_with_line_breaks_are_refused(
    config: ClientConfig, headers: dict[str, str]
) -> None:
    with pytest.raises(imburse.ValidationError):
        build_request(GET_ORDER, config, path_params={"orderRef": "O"}, extra_headers=headers)


# --- token request --------------------------------------------------------------------------


def test_token_request_is_signed_with_the_given_nonce_and_timestamp(config: ClientConfig) -> None:
    req = build_token_request(
        config, nonce="randomuniquestring123", timestamp=1535617532, correlation_id=CID
    )
    assert req.method == "POST"
    assert req.url == BASE + "/v1/identity/hmac"
    assert req.path == "/v1/identity/hmac"
    assert req.body == b""
    expected_auth = imburse.hmac_authorization(
        PUBLIC, PRIVATE, b"", nonce="randomuniquestring123", timestamp=1535617532
    )
    # §2.6 vector A, spelled out.
    assert expected_auth == (
        "Hmac a123456b-c12c-123d-1ab4-18bd8c8e88a3:randomuniquestring123:1535617532:"
        "JYDZ7e7Y36oeJJ3E5UB7tF9VBAwIv1B5HTPNw9iaV6Y="
    )
    assert req.headers == (
        ("Accept", "application/json"),
        ("User-Agent", UA),
        ("X-Correlation-ID", CID),
        ("Authorization", expected_auth),
    )
    assert req.header("content-type") is None
    assert req.header("x-account-id") is None


def test_token_request_needs_no_tenant() -> None:
    req = build_token_request(make_config(tenant=False), nonce="n1", timestamp=1)
    authorization = req.header("Authorization")
    assert authorization is not None
    assert authorization.startswith("Hmac " + PUBLIC + ":n1:1:")


# --- PreparedRequest ------------------------------------------------------------------------


def test_prepared_request_repr_hides_authorization(config: ClientConfig) -> None:
    req = build_token_request(config, nonce="randomuniquestring123", timestamp=1535617532)
    signature = "JYDZ7e7Y36oeJJ3E5UB7tF9VBAwIv1B5HTPNw9iaV6Y="
    assert signature in req.header("Authorization")  # type: ignore[operator]
    for text in (repr(req), str(req)):
        assert signature not in text
        assert "randomuniquestring123" not in text
        assert "'***'" in text
    bearer = req.with_header("authorization", "Bearer eyJ.secret.token")
    assert "eyJ.secret.token" not in repr(bearer)


def test_with_header_replaces_case_insensitively(config: ClientConfig) -> None:
    req = build_request(GET_ORDER, config, path_params={"orderRef": "O"})
    first = req.with_header("Authorization", "Bearer one")
    second = first.with_header("authorization", "Bearer two")
    assert second.header("AUTHORIZATION") == "Bearer two"
    assert [k for k, _ in second.headers].count("authorization") == 1
    assert all(k != "Authorization" for k, _ in second.headers)
    assert req.header("Authorization") is None  # the original is unchanged (frozen)


def test_encode_json_is_compact_and_keeps_decimals_exact() -> None:
    assert encode_json({"amount": Decimal("1.10"), "n": [1, 2]}) == b'{"amount":"1.10","n":[1,2]}'
    assert encode_json({"amount": Decimal("1E+2")}) == b'{"amount":"100"}'


def test_raw_bytes_body_is_sent_untouched(config: ClientConfig) -> None:
    raw = b'{"orderRef": "ORD-1"}'
    req = build_request(CREATE_ORDER, config, body=raw)
    assert req.body == raw
    assert req.header("Content-Type") == "application/json"
