"""Tenants of the caller's account and their API keys (``imburse-api.md`` §5.5, §5.6).

Create answers 201 with the tutorial's response shape (the status is not documented). The
approval flow is not modelled: ``tenantCreationApprovalRequired`` changes nothing here.
Deleting a tenant also deletes its keys, so they stop working at the next token exchange;
its orders stay in the fake. Codes for bad tenant bodies are assumed.
"""

from __future__ import annotations

import re
import uuid

from .._app import App, Call, Route, route
from .._errors import HTTPProblem, Problem
from .._jsonout import JSONValue
from .._validate import parse_body
from .account import (
    create_key,
    delete_key,
    get_key,
    list_keys,
    required,
    tenant_or_raise,
    tenant_record,
    tenants_of,
    update_key,
    wrong_type,
)

__all__ = ["ROUTES"]

Reply = tuple[int, JSONValue]
_ADDRESS_LINES = ("streetAddress", "extendedStreetAddress", "locality", "region", "postCode")
_COUNTRY = re.compile(r"[A-Z]{2}")


def _tenant_fields(call: Call) -> tuple[str, dict[str, str]]:
    """Name and address lines of a flat tenant body; every problem reported at once."""
    data = parse_body(call.body)
    problems: list[Problem] = []
    name = data.get("name")
    if name is None or name == "":
        problems.append(required("name", "NAME_IS_REQUIRED"))
    elif not isinstance(name, str):
        problems.append(wrong_type("name", "a string"))
    address: dict[str, str] = {}
    for line in (*_ADDRESS_LINES, "country"):
        value = data.get(line)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            problems.append(wrong_type(line, "a string"))
        elif line == "country" and not _COUNTRY.fullmatch(value):
            problems.append(
                Problem(
                    "COUNTRY_IS_INVALID",
                    "{propertyName} must be a 2-letter upper-case ISO-3166 code.",
                    {"propertyName": "country"},
                )
            )
        else:
            address[line] = value
    if problems:
        raise HTTPProblem(400, problems)
    assert isinstance(name, str)
    return name, address


def create_tenant(app: App, call: Call) -> Reply:
    name, address = _tenant_fields(call)
    tenant_id = str(uuid.uuid4())
    record = tenant_record(tenant_id, call.account_id, name, address)
    tenants_of(app, call.account_id)[tenant_id] = record
    return 201, record


def list_tenants(app: App, call: Call) -> Reply:
    return 200, {"tenants": list(tenants_of(app, call.account_id).values())}


def get_tenant(app: App, call: Call) -> Reply:
    return 200, tenants_of(app, call.account_id)[tenant_or_raise(app, call)]


def update_tenant(app: App, call: Call) -> Reply:
    tenant_id = tenant_or_raise(app, call)
    name, address = _tenant_fields(call)
    tenants_of(app, call.account_id)[tenant_id] = tenant_record(
        tenant_id, call.account_id, name, address
    )
    return 204, None


def delete_tenant(app: App, call: Call) -> Reply:
    tenant_id = tenant_or_raise(app, call)
    for public_key in [
        k
        for k, c in app.auth.keys.items()
        if c.account_id == call.account_id and c.tenant_id == tenant_id
    ]:
        del app.auth.keys[public_key]
    del tenants_of(app, call.account_id)[tenant_id]
    return 204, None


def _tenant_keys(app: App, call: Call) -> Reply:
    return 200, {"tenantKeys": list_keys(app, call, tenant_or_raise(app, call))}


def _create_tenant_key(app: App, call: Call) -> Reply:
    return create_key(app, call, tenant_or_raise(app, call))


def _get_tenant_key(app: App, call: Call) -> Reply:
    return get_key(app, call, tenant_or_raise(app, call))


def _update_tenant_key(app: App, call: Call) -> Reply:
    return update_key(app, call, tenant_or_raise(app, call))


def _delete_tenant_key(app: App, call: Call) -> Reply:
    return delete_key(app, call, tenant_or_raise(app, call))


_TENANT = r"/v1/account/tenants/{tenant}"
_KEYS = r"/v[12]/account/tenants/{tenant}/keys"
ROUTES: tuple[Route, ...] = (
    route("POST", r"/v1/account/tenants", create_tenant, scope="account"),
    route("GET", r"/v1/account/tenants", list_tenants, scope="account"),
    route("GET", _TENANT, get_tenant, scope="account"),
    route("PUT", _TENANT, update_tenant, scope="account"),
    route("DELETE", _TENANT, delete_tenant, scope="account"),
    route("GET", _KEYS, _tenant_keys, scope="account"),
    route("POST", _KEYS, _create_tenant_key, scope="account"),
    route("GET", _TENANT + "/keys/{key}", _get_tenant_key, scope="account"),
    route("PUT", _TENANT + "/keys/{key}", _update_tenant_key, scope="account"),
    route("DELETE", _TENANT + "/keys/{key}", _delete_tenant_key, scope="account"),
)
