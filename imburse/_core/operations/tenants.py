"""Tenants and their API keys, managed with an account key (``imburse-api.md`` §5.5-§5.7).

Only the create-tenant path is published; list/get/update/delete follow its REST pattern
``[INFERRED]``. Tenant-key list/create/get are published (list and create also under
``/v2``); update and delete are inferred. What a *tenant* key administers itself (its own
keys, tenant information, users) has no published path and is listed in ``UNSUPPORTED``.
"""

from __future__ import annotations

from ..models.account import Key, KeyInput, VaultedKey
from ..models.tenants import Tenant, TenantInput, TenantKeyList, TenantList
from ._base import Operation, Scope, Unsupported

__all__ = [
    "CREATE_TENANT",
    "CREATE_TENANT_KEY",
    "DELETE_TENANT",
    "DELETE_TENANT_KEY",
    "GET_TENANT",
    "GET_TENANT_KEY",
    "LIST_TENANTS",
    "LIST_TENANT_KEYS",
    "OPERATIONS",
    "UNSUPPORTED",
    "UPDATE_TENANT",
    "UPDATE_TENANT_KEY",
]

READ = ("account-tenant-read", "account-admin")
WRITE = ("account-tenant-write", "account-admin")

CREATE_TENANT: Operation[Tenant] = Operation(
    name="tenants.create",
    method="POST",
    path="/v1/account/tenants",
    scope=Scope.ACCOUNT,
    roles=WRITE,
    response={201: Tenant, 200: Tenant},
    body=TenantInput,
    summary="Create a tenant (flat body: name and address lines).",
)

LIST_TENANTS: Operation[TenantList] = Operation(
    name="tenants.list",
    method="GET",
    path="/v1/account/tenants",
    scope=Scope.ACCOUNT,
    roles=READ,
    response={200: TenantList},
    confirmed=False,
    summary="List the account's tenants.",
)

GET_TENANT: Operation[Tenant] = Operation(
    name="tenants.get",
    method="GET",
    path="/v1/account/tenants/{tenantId}",
    scope=Scope.ACCOUNT,
    roles=READ,
    response={200: Tenant},
    confirmed=False,
    summary="Read one tenant.",
)

UPDATE_TENANT: Operation[None] = Operation(
    name="tenants.update",
    method="PUT",
    path="/v1/account/tenants/{tenantId}",
    scope=Scope.ACCOUNT,
    roles=WRITE,
    response={204: None, 200: None},
    body=TenantInput,
    confirmed=False,
    summary="Replace a tenant's name and address.",
)

DELETE_TENANT: Operation[None] = Operation(
    name="tenants.delete",
    method="DELETE",
    path="/v1/account/tenants/{tenantId}",
    scope=Scope.ACCOUNT,
    roles=WRITE,
    response={204: None, 200: None},
    confirmed=False,
    summary="Delete (deactivate) a tenant; the guides disagree on whether this is allowed.",
)

LIST_TENANT_KEYS: Operation[TenantKeyList] = Operation(
    name="tenants.keys.list",
    method="GET",
    path="/v1/account/tenants/{tenantId}/keys",
    scope=Scope.ACCOUNT,
    roles=READ,
    response={200: TenantKeyList},
    summary="List a tenant's API keys (never their private keys) (also /v2).",
)

CREATE_TENANT_KEY: Operation[VaultedKey] = Operation(
    name="tenants.keys.create",
    method="POST",
    path="/v1/account/tenants/{tenantId}/keys",
    scope=Scope.ACCOUNT,
    roles=WRITE,
    response={201: VaultedKey, 200: VaultedKey},
    body=KeyInput,
    summary="Create a tenant API key; its private key is returned this once (also /v2).",
)

GET_TENANT_KEY: Operation[Key] = Operation(
    name="tenants.keys.get",
    method="GET",
    path="/v1/account/tenants/{tenantId}/keys/{publicKey}",
    scope=Scope.ACCOUNT,
    roles=READ,
    response={200: Key},
    summary="Read one tenant API key by its public key.",
)

UPDATE_TENANT_KEY: Operation[None] = Operation(
    name="tenants.keys.update",
    method="PUT",
    path="/v1/account/tenants/{tenantId}/keys/{publicKey}",
    scope=Scope.ACCOUNT,
    roles=WRITE,
    response={204: None, 200: None},
    body=KeyInput,
    confirmed=False,
    summary="Rename a tenant API key and replace its roles.",
)

DELETE_TENANT_KEY: Operation[None] = Operation(
    name="tenants.keys.delete",
    method="DELETE",
    path="/v1/account/tenants/{tenantId}/keys/{publicKey}",
    scope=Scope.ACCOUNT,
    roles=WRITE,
    response={204: None, 200: None},
    confirmed=False,
    summary="Revoke a tenant API key, immediately and for good.",
)

OPERATIONS: tuple[Operation[object], ...] = (
    CREATE_TENANT,
    LIST_TENANTS,
    GET_TENANT,
    UPDATE_TENANT,
    DELETE_TENANT,
    LIST_TENANT_KEYS,
    CREATE_TENANT_KEY,
    GET_TENANT_KEY,
    UPDATE_TENANT_KEY,
    DELETE_TENANT_KEY,
)

_NO_PATH = "path not published in any public source ([GAP]); reach it with client.request()"
_PORTAL = "done in the account portal; no API path published ([GAP])"
_USE_ACCOUNT_KEY = (
    "path not published ([GAP]); an account key manages the same keys with client.tenants.keys"
)
UNSUPPORTED: tuple[Unsupported, ...] = (
    Unsupported("tenants", "Approve a tenant (role account-tenant-approval)", _PORTAL),
    Unsupported("tenants", "Reject a tenant (role account-tenant-approval)", _PORTAL),
    *(
        Unsupported("tenant administration", summary, _USE_ACCOUNT_KEY)
        for summary in (
            "Create a tenant API key with a tenant-admin key (tenant scope)",
            "List tenant API keys with a tenant-admin key (tenant scope)",
            "Get a tenant API key with a tenant-admin key (tenant scope)",
            "Delete a tenant API key with a tenant-admin key (tenant scope)",
        )
    ),
    *(
        Unsupported("tenant administration", summary, _NO_PATH)
        for summary in (
            "Read tenant information (role tenant-management; no model published either)",
            "Invite a tenant user",
            "Resend a tenant user's invitation",
            "List tenant users",
            "Get a tenant user by userId",
            "Update a tenant user",
            "Delete a tenant user",
        )
    ),
)
