"""Mandates (§5.17, observed only): exact request bytes and headers, written out by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

import imburse
from imburse._core.build import build_request
from imburse._core.config import ClientConfig, resolve_config
from imburse._core.decode import decode_response
from imburse._core.operations import ALL_OPERATIONS
from imburse._core.operations.mandates import CREATE_MANDATE, LIST_MANDATES

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


@pytest.fixture
def config() -> ClientConfig:
    return resolve_config(
        public_key=PUBLIC, private_key=PRIVATE, account_id=ACCOUNT, tenant_id=TENANT, env={}
    )


def test_operation_count_is_pinned_and_experimental() -> None:
    ops = sorted(
        (op.name, op.confirmed) for op in ALL_OPERATIONS if op.name.startswith("mandates.")
    )
    assert ops == [("mandates.create", False), ("mandates.list", False)]
    assert CREATE_MANDATE.repeatable is False


def test_create_sends_the_body_as_given(config: ClientConfig) -> None:
    body = {"customerRef": "CUS-1", "amount": Decimal("10.00"), "metadata": {"k": "v"}}
    req = build_request(CREATE_MANDATE, config, body=body, correlation_id=CID)
    assert (req.method, req.url) == ("POST", BASE + "/v2/mandates")
    assert req.body == b'{"customerRef":"CUS-1","amount":"10.00","metadata":{"k":"v"}}'
    assert req.headers == (*HEADERS, ("Content-Type", "application/json"))


def test_list(config: ClientConfig) -> None:
    req = build_request(LIST_MANDATES, config, correlation_id=CID)
    assert (req.method, req.url, req.body, req.headers) == (
        "GET",
        BASE + "/v2/mandates",
        b"",
        HEADERS,
    )


def test_answers_decode_as_plain_json() -> None:
    # No schema is published: whatever JSON comes back is returned, money as Decimal.
    body = b'{"mandates":[{"mandateId":"m-1","amount":10.50}]}'
    assert decode_response(LIST_MANDATES, 200, {}, body) == {
        "mandates": [{"mandateId": "m-1", "amount": Decimal("10.50")}]
    }
    assert decode_response(CREATE_MANDATE, 201, {}, b"") is None
