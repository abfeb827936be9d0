"""The account, its tenants registry and every API key of it (``imburse-api.md`` §5.3-§5.6).

Keys live in the fake's auth state (``app.auth.keys``), the same table the token exchange
reads: a key created here works for ``POST /v1/identity/hmac`` at once, and a deleted key is
refused there (401 ``UNKNOWN_KEY``) from the next exchange on. Tokens already issued to it
stay valid until they expire. Keys keep their name and roles as :class:`IssuedKey`; a key
registered with ``FakeImburse.add_key`` lists as ``"API Key"`` with the admin role of its
scope, which is what the fake lets it do: roles are recorded and validated, not enforced.

The tenants of an account are those created through the API plus those an existing key acts
for (the demo tenant), so keys of the demo tenant can be managed too. Codes for missing
objects and bad roles are assumed (Imburse documents none).
"""

from __future__ import annotations

import base64
import secrets
import uuid
from collections.abc import Mapping
from typing import Any

import attrs

from ..._core.models.account import ACCOUNT_ROLES, TENANT_ROLES, Role
from .._app import App, Call, Route, not_found, route
from .._auth import Credentials
from .._errors import HTTPProblem, Problem
from .._jsonout import JSONValue
from .._validate import INVALID_BODY, parse_body

__all__ = [
    "ROUTES",
    "IssuedKey",
    "create_key",
    "delete_key",
    "get_key",
    "list_keys",
    "required",
    "tenant_or_raise",
    "tenant_record",
    "tenants_of",
    "update_key",
    "wrong_type",
]

Reply = tuple[int, JSONValue]
DEFAULT_KEY_NAME = "API Key"  # GH: a key created without a name gets this one


@attrs.frozen
class IssuedKey(Credentials):
    """A key created through the API: its credentials plus the name and roles it was given."""

    name: str = DEFAULT_KEY_NAME
    roles: tuple[str, ...] = ()


# -- keys --------------------------------------------------------------------------------------


def _scope_keys(app: App, account_id: str, tenant_id: str | None) -> list[Credentials]:
    return [
        c for c in app.auth.keys.values() if c.account_id == account_id and c.tenant_id == tenant_id
    ]


def _key_json(key: Credentials, *, vaulted: bool = False) -> dict[str, JSONValue]:
    if isinstance(key, IssuedKey):
        name, roles = key.name, list(key.roles)
    else:
        name = DEFAULT_KEY_NAME
        roles = [Role.TENANT_ADMIN.value if key.tenant_id else Role.ACCOUNT_ADMIN.value]
    body: dict[str, JSONValue] = {
        # The shape of ``identity`` is not published; an OpenID-style URL is our assumption.
        "identity": f"https://openid.imbursepayments.com/{key.public_key}",
        "name": name,
        "publicKey": key.public_key,
        "roles": roles,
    }
    if vaulted:
        body["privateKey"] = key.private_key
    return body


def _key_or_raise(app: App, call: Call, tenant_id: str | None) -> Credentials:
    key = app.auth.keys.get(call.params["key"])
    if key is None or key.account_id != call.account_id or key.tenant_id != tenant_id:
        raise not_found("API_KEY_NOT_FOUND", "API key not found.", call.version)
    return key


def _key_fields(call: Call, tenant_id: str | None, *, replacing: bool) -> tuple[str, list[str]]:
    """Name and roles from a create (both optional) or update (both required) body."""
    data = parse_body(call.body)
    problems: list[Problem] = []
    name, roles = data.get("name"), data.get("roles")
    if replacing and name is None:
        problems.append(required("name", "NAME_IS_REQUIRED"))
    elif name is not None and (not isinstance(name, str) or not name.strip()):
        problems.append(wrong_type("name", "a non-empty string"))
    if replacing and roles is None:
        problems.append(required("roles", "ROLES_IS_REQUIRED"))
    elif roles is not None and not (
        isinstance(roles, list) and all(isinstance(r, str) for r in roles)
    ):
        problems.append(wrong_type("roles", "an array of strings"))
    elif roles is not None:
        allowed, scope = (TENANT_ROLES, "tenant") if tenant_id else (ACCOUNT_ROLES, "account")
        problems.extend(
            Problem(
                "ROLE_NOT_RECOGNISED",
                "Role {role} is not recognised for {scope} API keys.",
                {"propertyName": f"roles[{i}]", "role": role, "scope": scope},
            )
            for i, role in enumerate(roles)
            if role not in allowed
        )
    if problems:
        raise HTTPProblem(400, problems)
    return name or DEFAULT_KEY_NAME, list(dict.fromkeys(roles or ()))


def required(prop: str, code: str) -> Problem:
    """``{code}``: the property is missing."""
    return Problem(code, "{propertyName} is required.", {"propertyName": prop})


def wrong_type(prop: str, expected: str) -> Problem:
    """The property has the wrong JSON type (assumed code, as in ``_validate``)."""
    return Problem(
        INVALID_BODY,
        "{propertyName} must be {expected}.",
        {"propertyName": prop, "expected": expected},
    )


def list_keys(app: App, call: Call, tenant_id: str | None) -> list[JSONValue]:
    """Every key of the account (``tenant_id=None``) or of one of its tenants."""
    return [_key_json(key) for key in _scope_keys(app, call.account_id, tenant_id)]


def create_key(app: App, call: Call, tenant_id: str | None) -> Reply:
    """Issue a key pair and register it for the token exchange; 201 with the private key."""
    name, roles = _key_fields(call, tenant_id, replacing=False)
    key = IssuedKey(
        public_key=str(uuid.uuid4()),
        private_key=base64.b64encode(secrets.token_bytes(32)).decode(),
        account_id=call.account_id,
        tenant_id=tenant_id,
        name=name,
        roles=tuple(roles),
    )
    app.auth.add_key(key)
    return 201, _key_json(key, vaulted=True)


def get_key(app: App, call: Call, tenant_id: str | None) -> Reply:
    return 200, _key_json(_key_or_raise(app, call, tenant_id))


def update_key(app: App, call: Call, tenant_id: str | None) -> Reply:
    key = _key_or_raise(app, call, tenant_id)
    name, roles = _key_fields(call, tenant_id, replacing=True)
    app.auth.keys[key.public_key] = IssuedKey(
        public_key=key.public_key,
        private_key=key.private_key,
        account_id=key.account_id,
        tenant_id=key.tenant_id,
        name=name,
        roles=tuple(roles),
    )
    return 204, None


def delete_key(app: App, call: Call, tenant_id: str | None) -> Reply:
    """Revoke a key: the next token exchange with it is refused."""
    del app.auth.keys[_key_or_raise(app, call, tenant_id).public_key]
    return 204, None


# -- tenants registry ----------------------------------------------------------------------------


def tenant_record(
    tenant_id: str, account_id: str, name: str, address: Mapping[str, Any]
) -> dict[str, JSONValue]:
    """A tenant as the API answers it: the address nested, every line present."""
    lines = ("streetAddress", "extendedStreetAddress", "locality", "region", "postCode", "country")
    return {
        "tenantId": tenant_id,
        "accountId": account_id,
        "name": name,
        "address": {line: address.get(line) for line in lines},
    }


def tenants_of(app: App, account_id: str) -> dict[str, dict[str, JSONValue]]:
    """The account's tenants by id, including any tenant a registered key acts for."""
    tenants: dict[str, dict[str, JSONValue]] = app.store(account_id, "tenants")
    for key in app.auth.keys.values():
        if key.account_id == account_id and key.tenant_id and key.tenant_id not in tenants:
            name = f"Tenant {key.tenant_id[:8]}"
            tenants[key.tenant_id] = tenant_record(key.tenant_id, account_id, name, {})
    return tenants


def tenant_or_raise(app: App, call: Call) -> str:
    """The ``{tenant}`` path parameter, when it is a tenant of the caller's account."""
    tenant_id = call.params["tenant"]
    if tenant_id not in tenants_of(app, call.account_id):
        raise not_found("TENANT_NOT_FOUND", "Tenant {tenantId} not found.", call.version)
    return tenant_id


# -- the account ---------------------------------------------------------------------------------


def _settings(app: App, account_id: str) -> dict[str, Any]:
    settings: dict[str, Any] = app.store(account_id, "account")
    settings.setdefault("tenantCreationApprovalRequired", False)
    return settings


def get_account(app: App, call: Call) -> Reply:
    account_id = call.account_id
    # A sandbox account with an unlimited licence; every value but the ids is made up.
    return 200, {
        "accountId": account_id,
        "imburseAccountRef": "ACC-" + account_id[:8].upper(),
        "companyName": "Fake Imburse Ltd",
        "billingContactFirstName": "Ada",
        "billingContactLastName": "Lovelace",
        "tenantCreationApprovalRequired": _settings(app, account_id)[
            "tenantCreationApprovalRequired"
        ],
        "billingContactAddress": {
            "streetAddress": "1 Example Street",
            "extendedAddress": None,
            "locality": "London",
            "region": None,
            "postCode": "EC1A 1BB",
            "country": "GB",
        },
        "license": {
            "licenseId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"license:{account_id}")),
            "licenseName": "Sandbox",
            "maxTenants": -1,
            "maxTransactions": -1,
            "maxCollectApps": -1,
            "maxPayoutApps": -1,
            "licensePeriodStartDate": "2024-01-01T00:00:00Z",
            "licensePeriodEndDate": "2099-12-31T23:59:59Z",
            "tenantUsage": len(tenants_of(app, account_id)),
            "enableMandates": False,
        },
    }


def update_account(app: App, call: Call) -> Reply:
    flag = parse_body(call.body).get("tenantCreationApprovalRequired")
    if flag is None:
        raise HTTPProblem(
            400,
            [required("tenantCreationApprovalRequired", "TENANT_CREATION_APPROVAL_IS_REQUIRED")],
        )
    if not isinstance(flag, bool):
        raise HTTPProblem(400, [wrong_type("tenantCreationApprovalRequired", "true or false")])
    _settings(app, call.account_id)["tenantCreationApprovalRequired"] = flag
    return 204, None


def _account_keys(app: App, call: Call) -> Reply:
    return 200, {"accountKeys": list_keys(app, call, None)}


def _create_account_key(app: App, call: Call) -> Reply:
    return create_key(app, call, None)


def _get_account_key(app: App, call: Call) -> Reply:
    return get_key(app, call, None)


def _update_account_key(app: App, call: Call) -> Reply:
    return update_key(app, call, None)


ROUTES: tuple[Route, ...] = (
    route("GET", r"/v[12]/account", get_account, scope="account"),
    route("PUT", r"/v[12]/account", update_account, scope="account"),
    route("GET", r"/v[12]/account/keys", _account_keys, scope="account"),
    route("POST", r"/v[12]/account/keys", _create_account_key, scope="account"),
    route("GET", r"/v[12]/account/keys/{key}", _get_account_key, scope="account"),
    route("PUT", r"/v1/account/keys/{key}", _update_account_key, scope="account"),
    # No DELETE /v1/account/keys/{key}: Imburse publishes no account key delete.
)
