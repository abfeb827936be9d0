"""Mandates, creditor profiles and the SEPA DD configuration (``imburse-openapi-pages.md``
§4.7-4.12): exact request bytes, paths, roles and the decoding of the published samples."""

from __future__ import annotations

import pytest

import imburse
from imburse._core.build import build_request
from imburse._core.config import ClientConfig, resolve_config
from imburse._core.decode import decode_response
from imburse._core.models.creditor_profiles import CreditorProfileInput
from imburse._core.models.mandates import MandateInput
from imburse._core.operations import ALL_OPERATIONS
from imburse._core.operations.mandates import (
    CREATE_CREDITOR_PROFILE,
    CREATE_MANDATE,
    GET_BACS_CREDITOR_PROFILE,
    GET_BECS_AU_MANDATE,
    LIST_CREDITOR_PROFILES,
    LIST_MANDATES,
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


@pytest.fixture
def config() -> ClientConfig:
    return resolve_config(
        public_key=PUBLIC, private_key=PRIVATE, account_id=ACCOUNT, tenant_id=TENANT, env={}
    )


_TABLE = {
    # name: (method, path, roles, confirmed, deprecated)
    "mandates.creditor_profiles.list": (
        "GET",
        "/v2/mandates/creditor-profiles",
        "read",
        True,
        False,
    ),
    "mandates.creditor_profiles.create": (
        "POST",
        "/v2/mandates/creditor-profiles",
        "write",
        False,
        False,
    ),
    "mandates.creditor_profiles.get": (
        "GET",
        "/v2/mandates/creditor-profiles/{creditorProfileRef}",
        "read",
        False,
        False,
    ),
    "mandates.creditor_profiles.get_bacs": (
        "GET",
        "/v2/mandates/creditor-profiles/bacs/{creditorProfileRef}",
        "read",
        True,
        True,
    ),
    "mandates.create": ("POST", "/v2/mandates", "write", False, False),
    "mandates.list": ("GET", "/v2/mandates", "read", False, False),
    "mandates.get_becs_au": ("GET", "/v2/mandates/becsau/{mandateId}", "read", True, True),
    "mandates.get_becs_nz": ("GET", "/v2/mandates/becsnz/{mandateId}", "read", False, True),
    "mandates.sepa_configuration.validate": (
        "GET",
        "/v1/mandates/configuration/sepa-direct-debit-core/validate",
        "read",
        True,
        False,
    ),
    "mandates.sepa_configuration.create": (
        "POST",
        "/v1/mandates/configuration/sepa-direct-debit-core",
        "write",
        True,
        False,
    ),
    "mandates.sepa_configuration.get": (
        "GET",
        "/v1/mandates/configuration/sepa-direct-debit-core",
        "read",
        True,
        False,
    ),
    "mandates.sepa_configuration.update": (
        "PUT",
        "/v1/mandates/configuration/sepa-direct-debit-core",
        "write",
        False,
        False,
    ),
}
_ROLES = {
    "read": ("tenant-mandate-read", "tenant-admin"),
    "write": ("tenant-mandate-write", "tenant-admin"),
}


def test_the_table_matches_the_pages() -> None:
    """0.1.0 had two mandate operations with the transaction roles."""
    ops = {op.name: op for op in ALL_OPERATIONS if op.name.startswith("mandates.")}
    assert set(ops) == set(_TABLE)
    for name, (method, path, roles, confirmed, deprecated) in _TABLE.items():
        op = ops[name]
        assert (op.method, op.path, op.roles, op.confirmed) == (
            method,
            path,
            _ROLES[roles],
            confirmed,
        ), name
        assert (op.deprecated is not None) == deprecated, name
    assert CREATE_MANDATE.repeatable is False
    assert CREATE_CREDITOR_PROFILE.repeatable is False


def test_the_published_creditor_profile_sample_is_sent_as_is(config: ClientConfig) -> None:
    body = CreditorProfileInput(
        network="Bacs",
        creditor_profile_ref="org-bacs-profile-1234",
        profile_name="BACS Profile #1234",
        creditor_identifier="123456",
        creditor_name="Imburse",
    )
    req = build_request(CREATE_CREDITOR_PROFILE, config, body=body, correlation_id=CID)
    assert (req.method, req.url) == ("POST", BASE + "/v2/mandates/creditor-profiles")
    assert req.body == (
        b'{"network":"Bacs","creditorProfileRef":"org-bacs-profile-1234",'
        b'"profileName":"BACS Profile #1234","creditorIdentifier":"123456",'
        b'"creditorName":"Imburse"}'
    )
    assert req.headers == (*HEADERS, ("Content-Type", "application/json"))


def test_a_page_request_sends_from_and_take(config: ClientConfig) -> None:
    for op, path in (
        (LIST_MANDATES, "/v2/mandates"),
        (LIST_CREDITOR_PROFILES, "/v2/mandates/creditor-profiles"),
    ):
        req = build_request(op, config, query={"from": 200, "take": 100}, correlation_id=CID)
        assert (req.method, req.url, req.body, req.headers) == (
            "GET",
            BASE + path + "?from=200&take=100",
            b"",
            HEADERS,
        )


def test_create_mandate_sends_the_typed_body(config: ClientConfig) -> None:
    body = MandateInput(
        customer_ref="CUS-1",
        creditor_profile_ref="org-sepa-1",
        mandate_type="SepaB2B",
        agreement_type="Reuse",
        debtor={
            "company_name": "ACME",
            "account_holder_name": "ACME",
            "iban": "DE89370400440532013000",
        },
    )
    req = build_request(CREATE_MANDATE, config, body=body, correlation_id=CID)
    assert (req.method, req.url) == ("POST", BASE + "/v2/mandates")
    assert req.body == (
        b'{"customerRef":"CUS-1","creditorProfileRef":"org-sepa-1","mandateType":"SepaB2B",'
        b'"agreementType":"Reuse","debtor":{"companyName":"ACME","accountHolderName":"ACME",'
        b'"iban":"DE89370400440532013000"}}'
    )


def test_the_published_answers_decode() -> None:
    created = decode_response(
        CREATE_MANDATE,
        201,
        {},
        b'{"financialInstrumentId":"fi-1","mandateId":"5d1f7c8e-0000-4000-8000-000000000001",'
        b'"verificationCheck":{"status":"VERIFIED","reason":"Verification Successful"}}',
    )
    assert (created.financial_instrument_id, created.mandate_id[:8]) == ("fi-1", "5d1f7c8e")
    bacs = decode_response(
        GET_BACS_CREDITOR_PROFILE,
        200,
        {},
        b'{"creditorProfileRef":"p-1","profileName":"P","network":"Bacs",'
        b'"serviceUserNumber":"123456","organizationName":"Imburse","metadata":{}}',
    )
    assert (bacs.service_user_number, bacs.organization_name) == ("123456", "Imburse")
    page = decode_response(
        LIST_MANDATES,
        200,
        {},
        b'{"currentPage":1,"pageCount":1,"pageSize":100,"rowCount":1,"totalCount":1,'
        b'"results":[{"mandateId":"m-1","mandateRef":"MR-1","network":"SEPA",'
        b'"mandateType":"BacsB2C","customerRef":"CUS-1","status":"Draft",'
        b'"creditorProfileRef":"p-1","financialInstrumentId":"fi-1",'
        b'"created":"2021-01-30T08:30:00Z","metadata":{}}]}',
    )
    assert (page.total_count, page[0].status, page[0].network) == (1, "Draft", "SEPA")
    becs = decode_response(
        GET_BECS_AU_MANDATE,
        200,
        {},
        b'{"mandateId":"m-2","network":"BecsAu","mandateType":"BecsAuB2C","status":"Active",'
        b'"debtor":{"firstName":"A","bsbNumber":"062000"}}',
    )
    assert becs.debtor is not None
    assert becs.debtor.bsb_number == "062000"
