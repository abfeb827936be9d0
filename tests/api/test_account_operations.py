"""Account and account-key operations: exact request bytes, decoding, input checks. Pure."""

from __future__ import annotations

import pickle
from datetime import UTC, datetime

import pytest

import imburse
from imburse._core.build import build_request
from imburse._core.config import ClientConfig, resolve_config
from imburse._core.decode import decode_response
from imburse._core.errors import ResponseDecodeError, ValidationError
from imburse._core.models.account import (
    ACCOUNT_ROLES,
    TENANT_ROLES,
    UNLIMITED,
    AccountUpdate,
    Key,
    KeyInput,
    Role,
    VaultedKey,
)
from imburse._core.operations import ALL_OPERATIONS, UNSUPPORTED, Scope
from imburse._core.operations.account import (
    CREATE_ACCOUNT_KEY,
    GET_ACCOUNT,
    GET_ACCOUNT_KEY,
    LIST_ACCOUNT_KEYS,
    OPERATIONS,
    UPDATE_ACCOUNT,
    UPDATE_ACCOUNT_KEY,
)

PUBLIC = "a123456b-c12c-123d-1ab4-18bd8c8e88a3"
PRIVATE = "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y="
ACCOUNT = "1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c"
TENANT = "2bb81e1e-b072-4e64-b1ec-fdcc54f2d08c"
KEY = "5c7e0e4a-9f1b-4d2e-8a3c-1b2d3e4f5a6b"
BASE = "https://sandbox-api.imbursepayments.com"
CID = "c0ffee00-0000-4000-8000-000000000001"
UA = f"imburse-python/{imburse.__version__}"
SECRET = "bm90LWEtcmVhbC1zZWNyZXQtYnV0LWxvbmctZW5vdWdo"

ACCOUNT_HEADERS = (
    ("Accept", "application/json"),
    ("User-Agent", UA),
    ("X-Correlation-ID", CID),
    ("x-account-id", ACCOUNT),
)
ACCOUNT_HEADERS_JSON = (*ACCOUNT_HEADERS, ("Content-Type", "application/json"))


@pytest.fixture(params=[True, False], ids=["tenant-key-config", "account-key-config"])
def config(request: pytest.FixtureRequest) -> ClientConfig:
    """Account calls never send x-tenant-id, whether or not the client knows a tenant."""
    return resolve_config(
        public_key=PUBLIC,
        private_key=PRIVATE,
        account_id=ACCOUNT,
        tenant_id=TENANT if request.param else None,
        env={},
    )


# --- the table -------------------------------------------------------------------------------


def test_every_operation_is_account_scoped_and_in_the_table() -> None:
    assert all(op.scope is Scope.ACCOUNT for op in OPERATIONS)
    assert all(op.roles == ("account-admin",) for op in OPERATIONS)
    assert all(any(op is known for known in ALL_OPERATIONS) for op in OPERATIONS)
    experimental = {op.name for op in OPERATIONS if not op.confirmed}
    assert experimental == {"account.keys.update"}
    # Not published (the Account Key Management pages have four operations, no delete).
    assert [u.summary for u in UNSUPPORTED if u.group == "account.keys"] == [
        "Delete (revoke) an account-scoped API key"
    ]


def test_creating_a_key_is_never_repeated_after_an_unknown_outcome() -> None:
    # No natural key: a second attempt could make a second key pair.
    assert CREATE_ACCOUNT_KEY.repeatable is False
    assert UPDATE_ACCOUNT_KEY.repeatable is True


def test_gaps_are_listed_as_unsupported_not_invented() -> None:
    account_gaps = {u.summary for u in UNSUPPORTED if u.group == "account"}
    assert account_gaps == {
        "Get the licensing history",
        "Request a licence upgrade",
        "Get the IP allow-list for account-scoped API keys",
        "Update the IP allow-list for account-scoped API keys",
    }
    assert all("[GAP]" in u.reason for u in UNSUPPORTED if u.group == "account")


# --- requests --------------------------------------------------------------------------------


def test_get_account(config: ClientConfig) -> None:
    req = build_request(GET_ACCOUNT, config, correlation_id=CID)
    assert (req.method, req.url, req.body) == ("GET", BASE + "/v1/account", b"")
    assert req.headers == ACCOUNT_HEADERS


def test_update_account(config: ClientConfig) -> None:
    body = AccountUpdate(tenant_creation_approval_required=False)
    req = build_request(UPDATE_ACCOUNT, config, body=body, correlation_id=CID)
    assert (req.method, req.url) == ("PUT", BASE + "/v1/account")
    # False is a value, not "unset": it must stay on the wire.
    assert req.body == b'{"tenantCreationApprovalRequired":false}'
    assert req.headers == ACCOUNT_HEADERS_JSON


def test_list_account_keys(config: ClientConfig) -> None:
    req = build_request(LIST_ACCOUNT_KEYS, config, correlation_id=CID)
    assert (req.method, req.url, req.body) == ("GET", BASE + "/v1/account/keys", b"")
    assert req.headers == ACCOUNT_HEADERS


def test_create_account_key_with_name_and_roles(config: ClientConfig) -> None:
    body = KeyInput(name="tenants", roles=[Role.ACCOUNT_TENANT_WRITE, "account-tenant-read"])
    req = build_request(CREATE_ACCOUNT_KEY, config, body=body, correlation_id=CID)
    assert (req.method, req.url) == ("POST", BASE + "/v1/account/keys")
    assert req.body == b'{"name":"tenants","roles":["account-tenant-write","account-tenant-read"]}'
    assert req.headers == ACCOUNT_HEADERS_JSON


def test_create_account_key_with_server_defaults(config: ClientConfig) -> None:
    req = build_request(CREATE_ACCOUNT_KEY, config, body=KeyInput(), correlation_id=CID)
    assert req.body == b"{}"


def test_get_and_update_account_key(config: ClientConfig) -> None:
    params = {"publicKey": KEY}
    get = build_request(GET_ACCOUNT_KEY, config, path_params=params, correlation_id=CID)
    assert (get.method, get.url, get.path) == (
        "GET",
        f"{BASE}/v1/account/keys/{KEY}",
        "/v1/account/keys/{publicKey}",
    )
    body = KeyInput.replacing("reporting", ["account-tenant-read"])
    put = build_request(UPDATE_ACCOUNT_KEY, config, path_params=params, body=body)
    assert (put.method, put.url) == ("PUT", f"{BASE}/v1/account/keys/{KEY}")
    assert put.body == b'{"name":"reporting","roles":["account-tenant-read"]}'


# --- inputs ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": 7}, "name"),
        ({"roles": "account-admin"}, "roles"),  # a bare string is not a list of roles
        ({"roles": []}, "roles"),  # would be dropped from the body and mean "default"
        ({"roles": ["account-admin", ""]}, "roles[1]"),
        ({"roles": ["account-admin", None]}, "roles[1]"),
    ],
)
def test_key_input_rejects(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        KeyInput(**kwargs)
    assert info.value.field == field


def test_key_roles_keep_unknown_names_and_become_plain_strings() -> None:
    key = KeyInput(roles=(Role.ACCOUNT_ADMIN, "account-api-key-read"))
    assert key.roles == ("account-admin", "account-api-key-read")
    assert [type(r) for r in key.roles] == [str, str]


@pytest.mark.parametrize(("name", "roles", "field"), [(None, ["x"], "name"), ("n", None, "roles")])
def test_key_update_replaces_both_name_and_roles(
    name: str | None, roles: object, field: str
) -> None:
    with pytest.raises(ValidationError, match="an update replaces") as info:
        KeyInput.replacing(name, roles)
    assert info.value.field == field


@pytest.mark.parametrize("value", [None, "false", 0, 1])
def test_account_update_needs_a_real_boolean(value: object) -> None:
    with pytest.raises(ValidationError) as info:
        AccountUpdate(tenant_creation_approval_required=value)
    assert info.value.field == "tenant_creation_approval_required"


def test_role_sets_split_by_scope() -> None:
    assert Role.ACCOUNT_ADMIN in ACCOUNT_ROLES
    assert Role.TENANT_ADMIN in TENANT_ROLES
    assert not ACCOUNT_ROLES & TENANT_ROLES
    assert len(ACCOUNT_ROLES | TENANT_ROLES) == len(Role)


# --- responses -------------------------------------------------------------------------------

# The OpenAPI Account object (§5.3), with one field the SDK does not know yet.
ACCOUNT_BODY = b"""{
  "accountId": "1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c",
  "imburseAccountRef": "ACC-0001",
  "companyName": "Acme Insurance",
  "billingContactFirstName": "Ada",
  "billingContactLastName": "Lovelace",
  "tenantCreationApprovalRequired": true,
  "billingContactAddress": {"streetAddress": "1 Street", "extendedAddress": "Floor 2",
    "locality": "London", "region": "Greater London", "postCode": "EC1A 1BB", "country": "GB"},
  "license": {"licenseId": "9d0b5d5e-55a4-4bd4-9a7b-6f1b1c1d1e1f", "licenseName": "Enterprise",
    "maxTenants": -1, "maxTransactions": 100000, "maxCollectApps": 5, "maxPayoutApps": "3",
    "licensePeriodStartDate": "2024-01-01T00:00:00Z", "licensePeriodEndDate": "2025-01-01T00:00:00",
    "tenantUsage": 2, "enableMandates": false},
  "supportTier": "gold"
}"""


def test_decode_account() -> None:
    account = decode_response(GET_ACCOUNT, 200, {}, ACCOUNT_BODY, correlation_id=CID)
    assert account.account_id == ACCOUNT
    assert account.tenant_creation_approval_required is True
    assert account.billing_contact_address.extended_address == "Floor 2"
    license_ = account.license
    assert license_.max_tenants == UNLIMITED
    assert license_.max_payout_apps == 3  # GH typed the limits as strings once
    assert license_.license_period_start_date == datetime(2024, 1, 1, tzinfo=UTC)
    assert license_.license_period_end_date == datetime(2025, 1, 1, tzinfo=UTC)
    assert license_.enable_mandates is False
    assert account.extra == {"supportTier": "gold"}
    assert account.correlation_id == CID


def test_decode_account_strict_mode_fails_on_new_fields() -> None:
    with pytest.raises(ResponseDecodeError, match="supportTier"):
        decode_response(GET_ACCOUNT, 200, {}, ACCOUNT_BODY, strict=True)


def test_update_and_delete_answer_no_body() -> None:
    assert decode_response(UPDATE_ACCOUNT, 204, {}, b"") is None
    assert decode_response(UPDATE_ACCOUNT_KEY, 204, {}, b"") is None


def test_decode_key_list_keeps_unknown_roles() -> None:
    body = (
        b'{"accountKeys": [{"identity": "id-1", "name": "API Key", "publicKey": "'
        + KEY.encode()
        + b'", "roles": ["account-admin", "account-api-key-read"]}]}'
    )
    keys = decode_response(LIST_ACCOUNT_KEYS, 200, {}, body).account_keys
    assert keys == (
        Key(
            public_key=KEY,
            name="API Key",
            roles=("account-admin", "account-api-key-read"),
            identity="id-1",
        ),
    )
    assert keys[0].roles[0] is Role.ACCOUNT_ADMIN


VAULTED_BODY = (
    b'{"identity": "id-1", "name": "API Key", "publicKey": "' + KEY.encode() + b'",'
    b' "roles": ["account-admin"], "privateKey": "' + SECRET.encode() + b'"}'
)


def test_decode_vaulted_key_hides_the_private_key() -> None:
    key = decode_response(CREATE_ACCOUNT_KEY, 201, {}, VAULTED_BODY, correlation_id=CID)
    assert isinstance(key, VaultedKey)
    assert key.private_key == SECRET
    assert key.public_key == KEY
    assert SECRET not in repr(key)
    assert SECRET not in str(key)
    assert "private_key='***'" in repr(key)
    assert key.correlation_id == CID


def test_vaulted_key_survives_pickling_without_leaking_on_repr() -> None:
    key = VaultedKey(public_key=KEY, private_key=SECRET)
    copy = pickle.loads(pickle.dumps(key))  # noqa: S301 - our own bytes
    assert copy.private_key == SECRET
    assert SECRET not in repr(copy)


def test_a_decode_error_on_a_key_never_quotes_the_private_key(
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = VAULTED_BODY.replace(b'"roles": ["account-admin"]', b'"roles": 5')
    with pytest.raises(ResponseDecodeError) as info:
        decode_response(CREATE_ACCOUNT_KEY, 201, {}, body, strict=True)
    assert SECRET not in str(info.value)
    # Lenient mode keeps the odd value aside and warns: neither shows the key.
    odd = VAULTED_BODY.replace(b'"roles": ["account-admin"]', b'"roles": 5').replace(
        SECRET.encode(), b"12345"
    )
    with caplog.at_level("WARNING", logger="imburse"):
        key = decode_response(CREATE_ACCOUNT_KEY, 201, {}, body)
        decode_response(CREATE_ACCOUNT_KEY, 201, {}, odd)
    assert key.private_key == SECRET
    assert SECRET not in caplog.text
    assert SECRET not in repr(key)
