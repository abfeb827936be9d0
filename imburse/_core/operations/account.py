"""``client.account`` and ``client.account.keys`` (``imburse-api.md`` §5.3, §5.4).

Get/update account and list/create/get key also exist under ``/v2`` with the same bodies;
the SDK calls ``/v1``, where every operation of the group lives.
"""

from __future__ import annotations

from ..models._checks import check_uuid
from ..models.account import Account, AccountKeyList, AccountUpdate, Key, KeyInput, VaultedKey
from ._base import Arg, Group, Method, Operation, Scope, Unsupported

__all__ = [
    "CREATE_ACCOUNT_KEY",
    "GET_ACCOUNT",
    "GET_ACCOUNT_KEY",
    "GROUPS",
    "LIST_ACCOUNT_KEYS",
    "OPERATIONS",
    "UNSUPPORTED",
    "UPDATE_ACCOUNT",
    "UPDATE_ACCOUNT_KEY",
]

GROUPS = (
    Group(
        "account",
        "AccountResource",
        "The account behind the API key: its settings, licence and account-scoped keys.\n\n"
        "Account-scoped calls: they send ``x-account-id`` only and need an account key with\n"
        "the ``account-admin`` role.",
    ),
    Group(
        "account.keys",
        "AccountKeys",
        "Account-scoped API keys. A new key's private key is returned once, by :meth:`create`.",
    ),
)
_PUBLIC_KEY = Arg("public_key", "str", path="publicKey", check=check_uuid)

ADMIN = ("account-admin",)

GET_ACCOUNT: Operation[Account] = Operation(
    name="account.get",
    method="GET",
    path="/v1/account",
    scope=Scope.ACCOUNT,
    roles=ADMIN,
    response={200: Account},
    summary="Read the account: company, billing contact, licence limits and usage (also /v2).",
    python=Method(
        doc="Read the account: company, billing contact, licence limits and usage.",
        example="account = await client.account.get()\naccount.license.max_tenants\n-1",
    ),
)

UPDATE_ACCOUNT: Operation[None] = Operation(
    name="account.update",
    method="PUT",
    path="/v1/account",
    scope=Scope.ACCOUNT,
    roles=ADMIN,
    response={204: None, 200: None},
    body=AccountUpdate,
    summary="Change whether new tenants need approval (also /v2).",
    python=Method(
        doc=(
            "Change whether a new tenant waits for approval (by a key with\n"
            "``account-tenant-approval``)."
        ),
        example="await client.account.update(tenant_creation_approval_required=True)",
        args=(Arg("tenant_creation_approval_required", "bool"),),
    ),
)

LIST_ACCOUNT_KEYS: Operation[AccountKeyList] = Operation(
    name="account.keys.list",
    method="GET",
    path="/v1/account/keys",
    scope=Scope.ACCOUNT,
    roles=ADMIN,
    response={200: AccountKeyList},
    summary="List the account-scoped API keys (never their private keys) (also /v2).",
    python=Method(
        doc="The account's API keys (public keys, names and roles; never private keys).",
        example="[key.name for key in await client.account.keys.list()]\n['API Key', 'reporting']",
        unwrap="account_keys",
        returns="tuple[Key, ...]",
    ),
)

CREATE_ACCOUNT_KEY: Operation[VaultedKey] = Operation(
    name="account.keys.create",
    method="POST",
    path="/v1/account/keys",
    scope=Scope.ACCOUNT,
    roles=ADMIN,
    response={201: VaultedKey, 200: VaultedKey},
    body=KeyInput,
    summary="Create an account-scoped API key; its private key is returned this once (also /v2).",
    python=Method(
        doc=(
            "Create an account-scoped key; store its ``private_key`` now, it is shown only once.\n\n"
            'Without ``name`` Imburse calls the key ``"API Key"``. ``roles`` are names such as\n'
            "``Role.ACCOUNT_TENANT_WRITE``. A create is not retried after an unknown outcome (it\n"
            "has no natural key, so a retry could make a second key)."
        ),
        example=(
            'key = await client.account.keys.create(name="tenants", roles=["account-tenant-write"])\n'
            "vault.store(key.public_key, key.private_key)"
        ),
        args=(
            Arg("name", "str | None", default="None"),
            Arg("roles", "Sequence[str] | None", default="None"),
        ),
    ),
)

GET_ACCOUNT_KEY: Operation[Key] = Operation(
    name="account.keys.get",
    method="GET",
    path="/v1/account/keys/{publicKey}",
    scope=Scope.ACCOUNT,
    roles=ADMIN,
    response={200: Key},
    summary="Read one account-scoped API key by its public key (also /v2).",
    python=Method(
        doc="Read one account-scoped key by its public key.",
        example=(
            '(await client.account.keys.get("a123456b-c12c-123d-1ab4-18bd8c8e88a3")).roles\n'
            "('account-admin',)"
        ),
        args=(_PUBLIC_KEY,),
    ),
)

UPDATE_ACCOUNT_KEY: Operation[None] = Operation(
    name="account.keys.update",
    method="PUT",
    path="/v1/account/keys/{publicKey}",
    scope=Scope.ACCOUNT,
    roles=ADMIN,
    response={204: None},  # OA: 204 No Content
    body=KeyInput,
    confirmed=False,
    summary="Rename an account-scoped API key and replace its roles.",
    python=Method(
        doc="Rename a key and replace its roles (experimental: the path is inferred).",
        example=(
            'await client.account.keys.update(public_key, name="tenants",\n'
            '...     roles=["account-tenant-read"])'
        ),
        args=(_PUBLIC_KEY, Arg("name", "str"), Arg("roles", "Sequence[str]")),
        body=KeyInput.replacing,
    ),
)

OPERATIONS: tuple[Operation[object], ...] = (
    GET_ACCOUNT,
    UPDATE_ACCOUNT,
    LIST_ACCOUNT_KEYS,
    CREATE_ACCOUNT_KEY,
    GET_ACCOUNT_KEY,
    UPDATE_ACCOUNT_KEY,
)

_NO_PATH = (
    "path not published in any public source ([GAP]); "
    'reach it with client.request(..., scope="account")'
)
UNSUPPORTED: tuple[Unsupported, ...] = (
    *(
        Unsupported("account", summary, _NO_PATH)
        for summary in (
            "Get the licensing history",
            "Request a licence upgrade",
            "Get the IP allow-list for account-scoped API keys",
            "Update the IP allow-list for account-scoped API keys",
        )
    ),
    Unsupported(
        "account.keys",
        "Delete (revoke) an account-scoped API key",
        "not published: the Account Key Management pages (v1 and v2, read to their end) have "
        "four operations and no delete; only a 2019 guide's function list names one. Revoke "
        'keys in the Imburse portal, or with client.request(..., scope="account") if you '
        "know the path",
    ),
)
