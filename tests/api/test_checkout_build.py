"""White-label checkout (§5.16): no path is published, so no operation exists; the request
bodies are validated models whose JSON is written out here by hand."""

from __future__ import annotations

import json
from typing import Any

import pytest

from imburse import ValidationError
from imburse._core.build import encode_json
from imburse._core.operations import ALL_OPERATIONS, UNSUPPORTED
from imburse.checkout import (
    BankAccount,
    Channel,
    MandateSessionRequest,
    PayByLinkRequest,
    SessionTokenRequest,
)

THEME = "3d7c1e2a-5b6f-4a8e-9c0d-1e2f3a4b5c6d"
MANDATE = "5b1c2d3e-0000-4000-8000-00000000000a"


def test_checkout_operations_are_listed_as_unsupported() -> None:
    assert not [op for op in ALL_OPERATIONS if op.name.startswith("checkout.")]
    gaps = [u for u in UNSUPPORTED if u.group == "checkout"]
    assert [g.summary for g in gaps] == [
        "Create a checkout session token",
        "Create a session token and send a pay-by-link (SMS or e-mail)",
        "Create a session token for managing a mandate",
    ]
    assert all("[GAP]" in g.reason and "client.request" in g.reason for g in gaps)
    assert [u.summary for u in UNSUPPORTED if u.group == "webhooks"] == [
        "Manage webhook subscriptions",
        "Verify a webhook's signature",
    ]


def test_minimal_session_token_body() -> None:
    body = SessionTokenRequest(order_ref="ORD-1", instruction_ref="INS-1", expiry_seconds=900)
    assert encode_json(body.to_json()) == (
        b'{"orderRef":"ORD-1","instructionRef":"INS-1","expirySeconds":900}'
    )


def test_full_v2_session_token_body() -> None:
    body = SessionTokenRequest(
        order_ref="ORD-1",
        instruction_ref="INS-1",
        expiry_seconds=3600,
        theme_id=THEME,
        billing_house_number="12",
        billing_street1="High Street",
        billing_street2="Flat 3",
        billing_city="London",
        billing_state="Greater London",
        billing_country="GB",
        billing_post_code="N1 9GU",
        customer_email="ada@example.com",
        customer_mobile_phone="+447700900123",
        cardholder_name="Ada Lovelace",
        customer_type="B2B",
        company_name="Analytical Engines Ltd",
        authorization_source="WEB",
        authorization_frequency="Monthly",
        bank_account=BankAccount(account_holder_name="A Lovelace", number="12345678"),
        channels=[Channel(type="SMS", destination="+447700900123")],
    )
    assert encode_json(body.to_json()) == (
        b'{"orderRef":"ORD-1","instructionRef":"INS-1","expirySeconds":3600,'
        b'"themeId":"3d7c1e2a-5b6f-4a8e-9c0d-1e2f3a4b5c6d","billingHouseNumber":"12",'
        b'"billingStreet1":"High Street","billingStreet2":"Flat 3","billingCity":"London",'
        b'"billingState":"Greater London","billingCountry":"GB","billingPostCode":"N1 9GU",'
        b'"customerEmail":"ada@example.com","customerMobilePhone":"+447700900123",'
        b'"cardholderName":"Ada Lovelace","customerType":"B2B",'
        b'"companyName":"Analytical Engines Ltd","authorizationSource":"WEB",'
        b'"authorizationFrequency":"Monthly",'
        b'"bankAccount":{"accountHolderName":"A Lovelace","number":"12345678"},'
        b'"channels":[{"type":"SMS","destination":"+447700900123"}]}'
    )


def test_pay_by_link_body() -> None:
    body = PayByLinkRequest(
        order_ref="ORD-1",
        instruction_ref="INS-1",
        channels=[{"type": "Email", "destination": "ada@example.com"}],
        expiry_seconds=86400,
        theme_id=THEME,
    )
    assert json.dumps(body.to_json(), separators=(",", ":")) == (
        '{"orderRef":"ORD-1","instructionRef":"INS-1",'
        '"channels":[{"type":"Email","destination":"ada@example.com"}],'
        '"expirySeconds":86400,"themeId":"3d7c1e2a-5b6f-4a8e-9c0d-1e2f3a4b5c6d"}'
    )


def test_mandate_session_body() -> None:
    body = MandateSessionRequest(
        customer_ref="CUS-1", mandate_id=MANDATE, action="Amendment", expiry_seconds=600
    )
    assert body.to_json() == {
        "customerRef": "CUS-1",
        "mandateId": MANDATE,
        "action": "Amendment",
        "expirySeconds": 600,
    }


BASE: dict[str, Any] = {"order_ref": "ORD-1", "instruction_ref": "INS-1", "expiry_seconds": 900}


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"expiry_seconds": 0}, "expiry_seconds"),
        ({"expiry_seconds": "900"}, "expiry_seconds"),
        ({"expiry_seconds": True}, "expiry_seconds"),
        ({"expiry_seconds": 2**63}, "expiry_seconds"),
        ({"order_ref": ""}, "order_ref"),
        ({"instruction_ref": "INS/1"}, "instruction_ref"),
        ({"theme_id": "default"}, "theme_id"),
        ({"customer_type": "B2X"}, "customer_type"),
        ({"customer_type": "B2C", "customer_first_name": "Ada"}, "customer_last_name"),
        ({"customer_type": "B2C", "customer_last_name": "Lovelace"}, "customer_first_name"),
        ({"customer_type": "B2B", "customer_first_name": "Ada"}, "company_name"),
        ({"channels": [{"type": "sms", "destination": "1"}]}, "channels[0].type"),
        ({"channels": [{"type": "Email", "destination": ""}]}, "channels[0].destination"),
        ({"channels": [{"type": "Email"}]}, "channels[0]"),
        ({"channels": "SMS"}, "channels"),
        ({"bank_account": {"number": 1234}}, "bank_account.number"),
        ({"cardholder_name": 7}, "cardholder_name"),
    ],
)
def test_session_token_request_is_validated(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        SessionTokenRequest(**{**BASE, **kwargs})
    assert info.value.field == field


def test_customer_types_with_their_names_are_accepted() -> None:
    b2c = SessionTokenRequest(
        **BASE, customer_type="B2C", customer_first_name="Ada", customer_last_name="Lovelace"
    )
    assert b2c.customer_type == "B2C"
    assert SessionTokenRequest(**BASE, customer_type="B2B", company_name="AE Ltd").company_name


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"channels": []}, "channels"),
        ({"channels": [{"type": "Post", "destination": "x"}]}, "channels[0].type"),
        ({"expiry_seconds": -5}, "expiry_seconds"),
    ],
)
def test_pay_by_link_request_is_validated(kwargs: dict[str, Any], field: str) -> None:
    args = {**BASE, "channels": [{"type": "SMS", "destination": "+447700900123"}], **kwargs}
    with pytest.raises(ValidationError) as info:
        PayByLinkRequest(**args)
    assert info.value.field == field


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"mandate_id": "m-1"}, "mandate_id"),
        ({"customer_ref": "CUS 1"}, "customer_ref"),
        ({"action": ""}, "action"),
        ({"expiry_seconds": 0}, "expiry_seconds"),
    ],
)
def test_mandate_session_request_is_validated(kwargs: dict[str, Any], field: str) -> None:
    args = {
        "customer_ref": "CUS-1",
        "mandate_id": MANDATE,
        "action": "Amendment",
        "expiry_seconds": 600,
        **kwargs,
    }
    with pytest.raises(ValidationError) as info:
        MandateSessionRequest(**args)
    assert info.value.field == field
