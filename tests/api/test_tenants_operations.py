"""Tenant and account-level tenant-key operations: request bytes, decoding, inputs. Pure."""

from __future__ import annotations

import pytest

import imburse
from imburse._core.build import build_request
from imburse._core.config import ClientConfig, resolve_config
from imburse._core.decode import decode_response
from imburse._core.errors import ValidationError
from imburse._core.models.account import KeyInput, VaultedKey
from imburse._core.models.tenants import Tenant, TenantInput
from imburse._core.operations import UNSUPPORTED, Scope
from imburse._core.operations.tenants import (
    CREATE_TENANT,
    CREATE_TENANT_KEY,
    DELETE_TENANT,
    DELETE_TENANT_KEY,
    GET_TENANT,
    GET_TENANT_KEY,
    LIST_TENANT_KEYS,
    LIST_TENANTS,
    OPERATIONS,
    UPDATE_TENANT,
    UPDATE_TENANT_KEY,
)

PUBLIC = "a123456b-c12c-123d-1ab4-18bd8c8e88a3"
PRIVATE = "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y="
ACCOUNT = "1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c"
TENANT = "2bb81e1e-b072-4e64-b1ec-fdcc54f2d08c"
KEY = "5c7e0e4a-9f1b-4d2e-8a3c-1b2d3e4f5a6b"
BASE = "https://sandbox-api.imbursepayments.com"
CID = "c0ffee00-0000-4000-8000-000000000001"

ACCOUNT_HEADERS = (
    ("Accept", "application/json"),
    ("User-Agent", f"imburse-python/{imburse.__version__}"),
    ("X-Correlation-ID", CID),
    ("x-account-id", ACCOUNT),
)
ACCOUNT_HEADERS_JSON = (*ACCOUNT_HEADERS, ("Content-Type", "application/json"))


@pytest.fixture
def config() -> ClientConfig:
    # A client configured with a tenant still sends no x-tenant-id on these calls.
    return resolve_config(
        public_key=PUBLIC, private_key=PRIVATE, account_id=ACCOUNT, tenant_id=TENANT, env={}
    )


def test_table() -> None:
    assert all(op.scope is Scope.ACCOUNT for op in OPERATIONS)
    assert {op.name for op in OPERATIONS if op.confirmed} == {
        "tenants.create",
        "tenants.keys.list",
        "tenants.keys.create",
        "tenants.keys.get",
    }
    reads = {op.name for op in OPERATIONS if op.method == "GET"}
    for op in OPERATIONS:
        expected = "account-tenant-read" if op.name in reads else "account-tenant-write"
        assert op.roles == (expected, "account-admin")
    # Names need not be unique and keys have no natural key: creates are not repeated.
    assert CREATE_TENANT.repeatable is False
    assert CREATE_TENANT_KEY.repeatable is False


def test_gaps_are_unsupported_with_reasons() -> None:
    tenants = {u.summary for u in UNSUPPORTED if u.group == "tenants"}
    assert tenants == {
        "Approve a tenant (role account-tenant-approval)",
        "Reject a tenant (role account-tenant-approval)",
    }
    admin = [u for u in UNSUPPORTED if u.group == "tenant administration"]
    assert len(admin) == 4 + 1 + 6  # tenant-scope keys, tenant information, users
    assert all("[GAP]" in u.reason for u in admin)
    key_gaps = [u for u in admin if "API key" in u.summary]
    assert len(key_gaps) == 4
    assert all("client.tenants.keys" in u.reason for u in key_gaps)


def test_create_tenant_sends_the_flat_body(config: ClientConfig) -> None:
    body = TenantInput(
        name="Acme UK",
        street_address="1 Street",
        extended_street_address="Floor 2",
        locality="London",
        region="",  # empty means "not given"
        post_code="EC1A 1BB",
        country="GB",
    )
    req = build_request(CREATE_TENANT, config, body=body, correlation_id=CID)
    assert (req.method, req.url) == ("POST", BASE + "/v1/account/tenants")
    assert req.body == (
        b'{"name":"Acme UK","streetAddress":"1 Street","extendedStreetAddress":"Floor 2",'
        b'"locality":"London","postCode":"EC1A 1BB","country":"GB"}'
    )
    assert req.headers == ACCOUNT_HEADERS_JSON


def test_tenant_paths(config: ClientConfig) -> None:
    params = {"tenantId": TENANT}
    assert build_request(LIST_TENANTS, config).url == BASE + "/v1/account/tenants"
    for op, method in ((GET_TENANT, "GET"), (UPDATE_TENANT, "PUT"), (DELETE_TENANT, "DELETE")):
        body = TenantInput(name="Acme") if op is UPDATE_TENANT else None
        req = build_request(op, config, path_params=params, body=body, correlation_id=CID)
        assert (req.method, req.url) == (method, f"{BASE}/v1/account/tenants/{TENANT}")
    update = build_request(UPDATE_TENANT, config, path_params=params, body=TenantInput(name="A"))
    assert update.body == b'{"name":"A"}'


def test_tenant_key_paths(config: ClientConfig) -> None:
    keys_url = f"{BASE}/v1/account/tenants/{TENANT}/keys"
    one = {"tenantId": TENANT, "publicKey": KEY}
    listing = build_request(LIST_TENANT_KEYS, config, path_params={"tenantId": TENANT})
    assert (listing.method, listing.url) == ("GET", keys_url)
    create = build_request(
        CREATE_TENANT_KEY,
        config,
        path_params={"tenantId": TENANT},
        body=KeyInput(name="orders", roles=["tenant-transaction-write"]),
        correlation_id=CID,
    )
    assert (create.method, create.url) == ("POST", keys_url)
    assert create.body == b'{"name":"orders","roles":["tenant-transaction-write"]}'
    assert create.headers == ACCOUNT_HEADERS_JSON
    for op, method in (
        (GET_TENANT_KEY, "GET"),
        (UPDATE_TENANT_KEY, "PUT"),
        (DELETE_TENANT_KEY, "DELETE"),
    ):
        req = build_request(op, config, path_params=one)
        assert (req.method, req.url) == (method, f"{keys_url}/{KEY}")
    assert build_request(GET_TENANT_KEY, config, path_params=one).path == (
        "/v1/account/tenants/{tenantId}/keys/{publicKey}"
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": None}, "name"),
        ({"name": "A", "locality": 3}, "locality"),
        ({"name": "A", "country": "gb"}, "country"),
        ({"name": "A", "country": "GBR"}, "country"),
    ],
)
def test_tenant_input_rejects(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        TenantInput(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


# The tutorial's create answer (§5.5).
TENANT_BODY = (
    b'{"tenantId": "' + TENANT.encode() + b'", "accountId": "' + ACCOUNT.encode() + b'",'
    b' "name": "Acme UK", "address": {"streetAddress": "1 Street",'
    b' "extendedStreetAddress": "Floor 2", "locality": "London", "region": null,'
    b' "postCode": "EC1A 1BB", "country": "GB"}}'
)


@pytest.mark.parametrize("status", [200, 201])
def test_decode_created_tenant(status: int) -> None:
    tenant = decode_response(CREATE_TENANT, status, {}, TENANT_BODY, correlation_id=CID)
    assert isinstance(tenant, Tenant)
    assert (tenant.tenant_id, tenant.account_id, tenant.name) == (TENANT, ACCOUNT, "Acme UK")
    assert tenant.address is not None
    assert tenant.address.extended_street_address == "Floor 2"
    assert tenant.address.post_code == "EC1A 1BB"
    assert tenant.correlation_id == CID


def test_decode_tenant_list_and_single() -> None:
    listing = decode_response(LIST_TENANTS, 200, {}, b'{"tenants": [' + TENANT_BODY + b"]}")
    assert [t.name for t in listing.tenants] == ["Acme UK"]
    assert decode_response(GET_TENANT, 200, {}, TENANT_BODY).tenant_id == TENANT
    assert decode_response(UPDATE_TENANT, 204, {}, b"") is None
    assert decode_response(DELETE_TENANT, 204, {}, b"") is None


def test_decode_tenant_keys() -> None:
    key = b'{"identity": "i", "name": "orders", "publicKey": "' + KEY.encode() + b'", "roles": []}'
    listing = decode_response(LIST_TENANT_KEYS, 200, {}, b'{"tenantKeys": [' + key + b"]}")
    assert [k.public_key for k in listing.tenant_keys] == [KEY]
    assert decode_response(GET_TENANT_KEY, 200, {}, key).name == "orders"


def test_decode_older_tenant_key_answer_keeps_its_ids() -> None:
    # The 2019 tutorial's answer: {tenantId, accountId, name, publicKey, privateKey, roles}.
    body = (
        b'{"tenantId": "' + TENANT.encode() + b'", "accountId": "' + ACCOUNT.encode() + b'",'
        b' "name": "orders", "publicKey": "' + KEY.encode() + b'", "privateKey": "c2VjcmV0",'
        b' "roles": ["tenant-admin"]}'
    )
    key = decode_response(CREATE_TENANT_KEY, 201, {}, body)
    assert isinstance(key, VaultedKey)
    assert (key.tenant_id, key.account_id, key.private_key) == (TENANT, ACCOUNT, "c2VjcmV0")
    assert "c2VjcmV0" not in repr(key)
    assert key.extra == {}
