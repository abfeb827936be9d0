"""Orders and instructions (§5.13) and their validation (§6)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from imburse.testing import FakeImburse, Instruction

from .fake_helpers import VECTOR_TIME, Api, codes_of, error_of, instruction

ORDERS = "/v1/order-management"


def test_create_without_instructions_is_201(api: Api, fake: FakeImburse) -> None:
    response = api.post(ORDERS, {"orderRef": "ORD-1", "metadata": {"k": "v"}})
    assert (response.status_code, response.content) == (201, b"")
    assert fake.orders["ORD-1"].metadata == {"k": "v"}
    assert fake.orders["ORD-1"].instructions == {}


def test_empty_instruction_list_counts_as_none(api: Api) -> None:
    assert api.post(ORDERS, {"orderRef": "ORD-1", "instructions": []}).status_code == 201


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_create_with_instructions_is_202(api: Api, fake: FakeImburse, version: str) -> None:
    body = {"orderRef": "ORD-1", "instructions": [instruction("I1"), instruction("I2")]}
    response = api.post(f"/{version}/order-management", body)
    assert (response.status_code, response.content) == (202, b"")
    assert list(fake.orders["ORD-1"].instructions) == ["I1", "I2"]


def test_duplicate_order(api: Api) -> None:
    assert api.post(ORDERS, {"orderRef": "ORD-1"}).status_code == 201
    error = error_of(api.post(ORDERS, {"orderRef": "ORD-1"}), 400, "ORDER_ALREADY_EXISTS")
    assert error["metadata"]["orderRef"] == "ORD-1"


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({}, "ORDER_REF_IS_REQUIRED"),
        ({"orderRef": ""}, "ORDER_REF_IS_REQUIRED"),
        ({"orderRef": None}, "ORDER_REF_IS_REQUIRED"),
        ({"orderRef": "x" * 51}, "ORDER_REF_LENGTH_OUT_OF_RANGE"),
        ({"orderRef": "x" * 255}, "ORDER_REF_LENGTH_OUT_OF_RANGE"),
        ({"orderRef": "has space"}, "ORDER_REF_CONTAINS_INVALID_CHARACTERS"),
        ({"orderRef": "a/b"}, "ORDER_REF_CONTAINS_INVALID_CHARACTERS"),
        ({"orderRef": "abc\n"}, "ORDER_REF_CONTAINS_INVALID_CHARACTERS"),
        ({"orderRef": 12}, "INVALID_REQUEST_BODY"),
        ({"orderRef": "O", "metadata": {"k" * 41: "v"}}, "METADATA_KEY_SIZE_OUT_OF_RANGE"),
        ({"orderRef": "O", "metadata": {"": "v"}}, "METADATA_KEY_SIZE_OUT_OF_RANGE"),
        ({"orderRef": "O", "metadata": {"k": "v" * 501}}, "METADATA_VALUE_SIZE_OUT_OF_RANGE"),
        (
            {"orderRef": "O", "metadata": {f"k{i}": "v" for i in range(51)}},
            "METADATA_KEY_COUNT_OUT_OF_RANGE",
        ),
        ({"orderRef": "O", "metadata": {"k": 1}}, "INVALID_REQUEST_BODY"),
        ({"orderRef": "O", "metadata": {"k": None}}, "INVALID_REQUEST_BODY"),
        ({"orderRef": "O", "metadata": ["k"]}, "INVALID_REQUEST_BODY"),
        ({"orderRef": "O", "instructions": {}}, "INVALID_REQUEST_BODY"),
        ({"orderRef": "O", "instructions": ["x"]}, "INVALID_REQUEST_BODY"),
        ({"orderRef": "O", "customerDefaults": []}, "INVALID_REQUEST_BODY"),
        (
            {"orderRef": "O", "customerDefaults": {"C 1": {}}},
            "CUSTOMER_REF_CONTAINS_INVALID_CHARACTERS",
        ),
        ({"orderRef": "O", "customerDefaults": {"C": "x"}}, "INVALID_REQUEST_BODY"),
        (
            {"orderRef": "O", "customerDefaults": {"C": {"metadata": {"k": "v" * 501}}}},
            "METADATA_VALUE_SIZE_OUT_OF_RANGE",
        ),
        (
            {"orderRef": "O", "instructions": [instruction("I1"), instruction("I1")]},
            "INSTRUCTION_ALREADY_EXISTS",
        ),
        (
            {"orderRef": "O", "instructions": [instruction(f"I{i}") for i in range(101)]},
            "INSTRUCTION_COUNT_OUT_OF_RANGE",
        ),
        ({"orderRef": "O", "instructions": [instruction(amount="0")]}, "AMOUNT_MUST_BE_POSITIVE"),
    ],
)
def test_order_validation(api: Api, fake: FakeImburse, body: dict[str, Any], code: str) -> None:
    response = api.post(ORDERS, body)
    assert code in codes_of(response)
    error_of(response, 400, codes_of(response)[0])
    assert fake.orders == {}


def test_limits_are_inclusive(api: Api) -> None:
    body = {
        "orderRef": "x" * 50,
        "metadata": {f"{i:040d}": "v" * 500 for i in range(50)},
        "instructions": [instruction(f"I{i}") for i in range(100)],
    }
    assert api.post(ORDERS, body).status_code == 202


def test_metadata_key_error_names_the_key(api: Api) -> None:
    key = "k" * 41
    error = error_of(
        api.post(ORDERS, {"orderRef": "O", "metadata": {key: "v"}}),
        400,
        "METADATA_KEY_SIZE_OUT_OF_RANGE",
    )
    assert error["messageTemplate"] == "Metadata key {key} must not exceed {maxKeySize} in length."
    assert error["message"] == f"Metadata key {key} must not exceed 40 in length."
    assert error["metadata"]["maxKeySize"] == "40"


@pytest.mark.parametrize(
    "body", [b"", b"{", b"[]", b'"x"', b"\xff", b'{"orderRef": NaN}', b'{"orderRef": "O",}']
)
def test_malformed_json(api: Api, body: bytes) -> None:
    error_of(api.post(ORDERS, body), 400, "INVALID_REQUEST_BODY")


def test_validation_is_all_or_nothing_and_lists_every_problem(api: Api, fake: FakeImburse) -> None:
    body = {
        "orderRef": "O",
        "instructions": [instruction("I1"), instruction("I2", currency="gbp", amount="abc")],
    }
    response = api.post(ORDERS, body)
    assert codes_of(response) == ["AMOUNT_IS_INVALID", "CURRENCY_IS_INVALID"]
    props = [e["metadata"]["propertyName"] for e in response.json()["errors"]]
    assert props == ["instructions[1].amount", "instructions[1].currency"]
    assert fake.orders == {}


# -- instructions -----------------------------------------------------------------------------

IMISSING = ...


@pytest.mark.parametrize(
    ("overrides", "code"),
    [
        ({"instructionRef": IMISSING}, "INSTRUCTION_REF_IS_REQUIRED"),
        ({"instructionRef": ""}, "INSTRUCTION_REF_IS_REQUIRED"),
        ({"instructionRef": "i" * 51}, "INSTRUCTION_REF_LENGTH_OUT_OF_RANGE"),
        ({"instructionRef": "i#1"}, "INSTRUCTION_REF_LENGTH_OUT_OF_RANGE"),
        ({"customerRef": IMISSING}, "CUSTOMER_REF_IS_REQUIRED"),
        ({"customerRef": "c" * 51}, "CUSTOMER_REF_LENGTH_OUT_OF_RANGE"),
        ({"customerRef": "c c"}, "CUSTOMER_REF_CONTAINS_INVALID_CHARACTERS"),
        ({"direction": IMISSING}, "DIRECTION_IS_REQUIRED"),
        ({"direction": "debit"}, "DIRECTION_IS_INVALID"),
        ({"direction": "REFUND"}, "DIRECTION_IS_INVALID"),
        ({"amount": IMISSING}, "AMOUNT_IS_REQUIRED"),
        ({"amount": ""}, "AMOUNT_IS_REQUIRED"),
        ({"amount": "12,50"}, "AMOUNT_IS_INVALID"),
        ({"amount": "1e3"}, "AMOUNT_IS_INVALID"),
        ({"amount": " 5"}, "AMOUNT_IS_INVALID"),
        ({"amount": True}, "AMOUNT_IS_INVALID"),
        ({"amount": [1]}, "AMOUNT_IS_INVALID"),
        ({"amount": "0.00"}, "AMOUNT_MUST_BE_POSITIVE"),
        ({"amount": -1}, "AMOUNT_MUST_BE_POSITIVE"),
        ({"currency": IMISSING}, "CURRENCY_IS_REQUIRED"),
        ({"currency": "GBPX"}, "CURRENCY_IS_INVALID"),
        ({"currency": "gbp"}, "CURRENCY_IS_INVALID"),
        ({"currency": "GBP\n"}, "CURRENCY_IS_INVALID"),
        ({"amount": "5\n"}, "AMOUNT_IS_INVALID"),
        ({"country": IMISSING}, "COUNTRY_IS_REQUIRED"),
        ({"country": "GBR"}, "COUNTRY_IS_INVALID"),
        ({"settledByDate": "2030-02-30"}, "SETTLED_BY_DATE_IS_INVALID"),
        ({"settledByDate": "31/01/2030"}, "SETTLED_BY_DATE_IS_INVALID"),
        ({"settledByDate": 20300131}, "SETTLED_BY_DATE_IS_INVALID"),
        ({"schemeId": 5}, "INVALID_REQUEST_BODY"),
        ({"financialInstrumentId": 5}, "INVALID_REQUEST_BODY"),
        ({"metadata": {"k" * 41: "v"}}, "METADATA_KEY_SIZE_OUT_OF_RANGE"),
        ({"metadata": {"k": "v" * 501}}, "METADATA_VALUE_SIZE_OUT_OF_RANGE"),
        ({"metadata": {f"k{i}": "v" for i in range(51)}}, "METADATA_KEY_COUNT_OUT_OF_RANGE"),
        ({"metadata": {"k": 1}}, "INVALID_REQUEST_BODY"),
    ],
)
def test_instruction_validation(
    api: Api, fake: FakeImburse, overrides: dict[str, Any], code: str
) -> None:
    assert api.post(ORDERS, {"orderRef": "O"}).status_code == 201
    response = api.post(f"{ORDERS}/O/instruction", instruction("I1", **overrides))
    assert codes_of(response) == [code]
    error_of(response, 400, code)
    assert fake.orders["O"].instructions == {}


def test_create_instruction(api: Api, fake: FakeImburse) -> None:
    assert api.post(ORDERS, {"orderRef": "O"}).status_code == 201
    response = api.post(f"{ORDERS}/O/instruction", instruction("I1"))
    assert (response.status_code, response.content) == (201, b"")
    stored = fake.orders["O"].instructions["I1"]
    assert isinstance(stored, Instruction)
    assert stored.amount == Decimal("200.00")
    assert str(stored.amount) == "200.00"
    error_of(
        api.post(f"{ORDERS}/O/instruction", instruction("I1")), 400, "INSTRUCTION_ALREADY_EXISTS"
    )


def test_create_instruction_needs_an_order(api: Api) -> None:
    error = error_of(api.post(f"{ORDERS}/NOPE/instruction", instruction()), 400, "ORDER_NOT_FOUND")
    assert error["message"] == "Order not found."


def test_scheme_ids_are_checked_only_when_configured(api: Api, fake: FakeImburse) -> None:
    assert api.post(ORDERS, {"orderRef": "O"}).status_code == 201
    assert api.post(f"{ORDERS}/O/instruction", instruction("I1", schemeId="any")).status_code == 201
    fake.schemes = {"scheme-1"}
    error = error_of(
        api.post(f"{ORDERS}/O/instruction", instruction("I2", schemeId="other")),
        400,
        "SCHEME_ID_NOT_RECOGNISED",
    )
    assert error["metadata"]["schemeId"] == "other"
    assert api.post(f"{ORDERS}/O/instruction", instruction("I3")).status_code == 201
    body = {"orderRef": "O2", "customerDefaults": {"C": {"schemeId": "other"}}}
    error_of(api.post(ORDERS, body), 400, "SCHEME_ID_NOT_RECOGNISED")


def test_schemes_constructor_option(clock: Any) -> None:
    with FakeImburse(clock=clock, schemes=["s1"]) as fake:
        assert fake.schemes == {"s1"}


# -- reading back -----------------------------------------------------------------------------


def test_get_instruction_shape(api: Api, clock: Any) -> None:
    body = {"orderRef": "O", "instructions": [instruction("I1", metadata={"a": "1"})]}
    assert api.post(ORDERS, body).status_code == 202
    response = api.get(f"{ORDERS}/O/instruction/I1")
    assert response.status_code == 200
    # The amount is a JSON number with the exact text sent, never a float round trip.
    assert b'"amount":200.00,' in response.content
    assert response.json(parse_float=Decimal)["amount"] == Decimal("200.00")
    assert response.json() == {
        "_links": {"self": {"href": "/v1/order-management/O/instruction/I1"}},
        "instructionRef": "I1",
        "created": VECTOR_TIME * 1000,
        "lastUpdated": VECTOR_TIME * 1000,
        "direction": "DEBIT",
        "status": "INCOMPLETE",
        "customerRef": "CUST-1",
        "amount": 200.0,
        "currency": "GBP",
        "country": "GB",
        "settledByDate": "2030-01-31",
        "forecastedSettlementDate": None,
        "actualSettlementDate": None,
        "executionTimestamp": None,
        "financialInstrument": {"financialInstrumentId": None, "source": "NONE", "canUpdate": True},
        "scheme": {"schemeId": "scheme-1", "source": "CUSTOMER", "canUpdate": True},
        "metadata": {"a": "1"},
    }


@pytest.mark.parametrize(
    ("sent", "text"),
    [
        (b"200.00", b"200.00"),
        (b"0.1", b"0.1"),
        (b"12345678901234567890.123456789", b"12345678901234567890.123456789"),
        (b'"0.10"', b"0.10"),
        (b"7", b"7"),
        (b'"7.000"', b"7.000"),
    ],
)
def test_amount_text_is_preserved(api: Api, sent: bytes, text: bytes) -> None:
    assert api.post(ORDERS, {"orderRef": "O"}).status_code == 201
    body = json.dumps(instruction("I1", amount="@")).encode().replace(b'"@"', sent)
    assert api.post(f"{ORDERS}/O/instruction", body).status_code == 201
    assert b'"amount":' + text + b"," in api.get(f"{ORDERS}/O/instruction/I1").content


def test_customer_defaults_are_inherited(api: Api) -> None:
    body = {
        "orderRef": "O",
        "metadata": {"order": "x"},
        "customerDefaults": {
            "CUST-1": {
                "financialInstrumentId": "fi-1",
                "schemeId": "scheme-default",
                "metadata": {"a": "default", "b": "default"},
            },
            "CUST-2": {"metadata": {}},
        },
        "instructions": [
            instruction("I1", schemeId=..., metadata={"a": "own"}),
            instruction("I2", customerRef="CUST-2", financialInstrumentId="fi-own"),
            instruction("I3", customerRef="CUST-3", schemeId=...),
        ],
    }
    assert api.post(ORDERS, body).status_code == 202
    one = api.get(f"{ORDERS}/O/instruction/I1").json()
    assert one["status"] == "READY"
    assert one["financialInstrument"] == {
        "financialInstrumentId": "fi-1",
        "source": "CUSTOMER_DEFAULT",
        "canUpdate": True,
    }
    assert one["scheme"] == {
        "schemeId": "scheme-default",
        "source": "CUSTOMER_DEFAULT",
        "canUpdate": True,
    }
    assert one["metadata"] == {"a": "own", "b": "default"}
    two = api.get("/v2/order-management/O/instruction/I2").json()
    assert two["status"] == "READY"
    assert two["financialInstrument"]["source"] == "CUSTOMER"
    assert two["_links"]["self"]["href"] == "/v1/order-management/O/instruction/I2"
    three = api.get(f"{ORDERS}/O/instruction/I3").json()
    assert three["status"] == "INCOMPLETE"
    assert three["scheme"] == {"schemeId": None, "source": "NONE", "canUpdate": True}

    order = api.get(f"{ORDERS}/O")
    assert order.status_code == 200
    data = order.json()
    assert set(data) == {"orderRef", "metadata", "customerDefaults", "instructions"}
    assert data["orderRef"] == "O"
    assert data["metadata"] == {"order": "x"}
    assert data["customerDefaults"] == {
        "CUST-1": {
            "financialInstrument": {"financialInstrumentId": "fi-1", "source": "CUSTOMER_DEFAULT"},
            "scheme": {"schemeId": "scheme-default", "source": "CUSTOMER_DEFAULT"},
            "metadata": {"a": "default", "b": "default"},
        },
        "CUST-2": {
            "financialInstrument": {"financialInstrumentId": None, "source": "NONE"},
            "scheme": {"schemeId": None, "source": "NONE"},
            "metadata": {},
        },
    }
    assert [i["instructionRef"] for i in data["instructions"]] == ["I1", "I2", "I3"]
    assert data["instructions"][0] == one
    assert api.get("/v2/order-management/O").json() == data


def test_not_found_v1_is_404_and_v2_is_400(api: Api) -> None:
    assert api.post(ORDERS, {"orderRef": "O"}).status_code == 201
    for path, code, text in [
        ("order-management/NOPE", "ORDER_NOT_FOUND", "Order not found."),
        ("order-management/NOPE/instruction/I1", "ORDER_NOT_FOUND", "Order not found."),
        ("order-management/O/instruction/NOPE", "INSTRUCTION_NOT_FOUND", "Instruction not found."),
    ]:
        assert error_of(api.get(f"/v1/{path}"), 404, code)["message"] == text
        assert error_of(api.get(f"/v2/{path}"), 400, code)["message"] == text


def test_percent_encoded_refs(api: Api) -> None:
    assert api.post(ORDERS, {"orderRef": "A.B-C_D"}).status_code == 201
    assert api.get(f"{ORDERS}/A%2EB-C_D").json()["orderRef"] == "A.B-C_D"
