"""``client.tenants`` and ``client.tenants.keys`` (``imburse-api.md`` §5.5-§5.7).

Only the create-tenant path is published; list/get/update/delete follow its REST pattern
``[INFERRED]``. Tenant-key list/create/get are published (list and create also under
``/v2``); update and delete are inferred. What a *tenant* key administers itself (its own
keys, tenant information, users) has no published path and is listed in ``UNSUPPORTED``.
"""

from __future__ import annotations

from ..models._checks import check_uuid
from ..models.account import Key, KeyInput, VaultedKey
from ..models.tenants import Tenant, TenantInput, TenantKeyList, TenantList
from ._base import Arg, Group, Method, Operation, Scope, Unsupported

__all__ = [
    "CREATE_TENANT",
    "CREATE_TENANT_KEY",
    "DELETE_TENANT",
    "DELETE_TENANT_KEY",
    "GET_TENANT",
    "GET_TENANT_KEY",
    "GROUPS",
    "LIST_TENANTS",
    "LIST_TENANT_KEYS",
    "OPERATIONS",
    "UNSUPPORTED",
    "UPDATE_TENANT",
    "UPDATE_TENANT_KEY",
]

GROUPS = (
    Group(
        "tenants",
        "Tenants",
        "Tenants: the business units of an account, each with its own keys and orders.\n\n"
        "Account-scoped calls: they send ``x-account-id`` only, so they need an account key\n"
        "(``account-tenant-read`` / ``-write`` or ``account-admin``), not the tenant's own key.",
    ),
    Group(
        "tenants.keys",
        "TenantKeys",
        "A tenant's API keys, managed with an account key. :meth:`create` returns the private\n"
        "key once; give it to the service that acts for the tenant\n"
        "(``AsyncImburse(tenant_id=...)``).",
    ),
)
_TENANT_ID = Arg("tenant_id", "str", path="tenantId", check=check_uuid)
_PUBLIC_KEY = Arg("public_key", "str", path="publicKey", check=check_uuid)

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
    python=Method(
        doc=(
            "Create a tenant. It is not retried after an unknown outcome (names need not be\n"
            "unique, so a retry could make a second tenant)."
        ),
        example=(
            'tenant = await client.tenants.create("Acme UK", post_code="EC1A 1BB", country="GB")\n'
            "tenant.tenant_id\n'2bb81e1e-b072-4e64-b1ec-fdcc54f2d08c'"
        ),
        args=(
            Arg("name", "str", positional=True),
            Arg("street_address", "str | None", default="None"),
            Arg("extended_street_address", "str | None", default="None"),
            Arg("locality", "str | None", default="None"),
            Arg("region", "str | None", default="None"),
            Arg("post_code", "str | None", default="None"),
            Arg("country", "str | None", default="None"),
        ),
    ),
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
    python=Method(
        doc="The account's tenants (experimental: the path is inferred).",
        example="[t.name for t in await client.tenants.list()]\n['Acme UK']",
        unwrap="tenants",
        returns="tuple[Tenant, ...]",
    ),
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
    python=Method(
        doc="Read one tenant (experimental: the path is inferred).",
        example="(await client.tenants.get(tenant_id)).name\n'Acme UK'",
        args=(_TENANT_ID,),
    ),
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
    python=Method(
        doc="Replace a tenant's name and address (experimental: the path is inferred).",
        example='await client.tenants.update(tenant_id, name="Acme United Kingdom")',
        args=(
            _TENANT_ID,
            Arg("name", "str"),
            Arg("street_address", "str | None", default="None"),
            Arg("extended_street_address", "str | None", default="None"),
            Arg("locality", "str | None", default="None"),
            Arg("region", "str | None", default="None"),
            Arg("post_code", "str | None", default="None"),
            Arg("country", "str | None", default="None"),
        ),
    ),
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
    python=Method(
        doc=(
            "Delete (deactivate) a tenant (experimental: the path is inferred, and the guides\n"
            "disagree on whether Imburse allows it)."
        ),
        example="await client.tenants.delete(tenant_id)",
        args=(_TENANT_ID,),
    ),
)

LIST_TENANT_KEYS: Operation[TenantKeyList] = Operation(
    name="tenants.keys.list",
    method="GET",
    path="/v1/account/tenants/{tenantId}/keys",
    scope=Scope.ACCOUNT,
    roles=READ,
    response={200: TenantKeyList},
    summary="List a tenant's API keys (never their private keys) (also /v2).",
    python=Method(
        doc="A tenant's API keys (public keys, names and roles; never private keys).",
        example="[key.name for key in await client.tenants.keys.list(tenant_id)]\n['orders']",
        args=(_TENANT_ID,),
        unwrap="tenant_keys",
        returns="tuple[Key, ...]",
    ),
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
    python=Method(
        doc=(
            "Create a tenant key; store its ``private_key`` now, it is shown only once.\n\n"
            "Not retried after an unknown outcome (a retry could make a second key)."
        ),
        example=(
            'key = await client.tenants.keys.create(tenant_id, name="orders",\n'
            '...     roles=["tenant-transaction-write"])\n'
            "tenant_client = AsyncImburse(public_key=key.public_key, private_key=key.private_key,\n"
            "...     account_id=account_id, tenant_id=tenant_id)"
        ),
        args=(
            _TENANT_ID,
            Arg("name", "str | None", default="None"),
            Arg("roles", "Sequence[str] | None", default="None"),
        ),
    ),
)

GET_TENANT_KEY: Operation[Key] = Operation(
    name="tenants.keys.get",
    method="GET",
    path="/v1/account/tenants/{tenantId}/keys/{publicKey}",
    scope=Scope.ACCOUNT,
    roles=READ,
    response={200: Key},
    summary="Read one tenant API key by its public key.",
    python=Method(
        doc="Read one tenant key by its public key.",
        example="(await client.tenants.keys.get(tenant_id, public_key)).roles\n('tenant-transaction-write',)",
        args=(_TENANT_ID, _PUBLIC_KEY),
    ),
)

UPDATE_TENANT_KEY: Operation[None] = Operation(
    name="tenants.keys.update",
    method="PUT",
    path="/v1/account/tenants/{tenantId}/keys/{publicKey}",
    scope=Scope.ACCOUNT,
    roles=WRITE,
    response={204: None},  # OA: 204 No Content
    body=KeyInput,
    confirmed=False,
    summary="Rename a tenant API key and replace its roles.",
    python=Method(
        doc="Rename a tenant key and replace its roles (experimental: the path is inferred).",
        example=(
            'await client.tenants.keys.update(tenant_id, public_key, name="orders",\n'
            '...     roles=["tenant-transaction-read"])'
        ),
        args=(_TENANT_ID, _PUBLIC_KEY, Arg("name", "str"), Arg("roles", "Sequence[str]")),
        body=KeyInput.replacing,
    ),
)

DELETE_TENANT_KEY: Operation[None] = Operation(
    name="tenants.keys.delete",
    method="DELETE",
    path="/v1/account/tenants/{tenantId}/keys/{publicKey}",
    scope=Scope.ACCOUNT,
    roles=WRITE,
    response={204: None},  # OA: 204 No Content
    confirmed=False,
    summary="Revoke a tenant API key, immediately and for good.",
    python=Method(
        doc="Revoke a tenant key, immediately and for good (experimental: the path is inferred).",
        example="await client.tenants.keys.delete(tenant_id, public_key)",
        args=(_TENANT_ID, _PUBLIC_KEY),
    ),
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
