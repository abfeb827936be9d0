"""Account management and account API keys (``imburse-api.md`` §5.3, §5.4).

Get/update account and list/create/get key also exist under ``/v2`` with the same bodies;
the SDK calls ``/v1``, where every operation of the group lives.
"""

from __future__ import annotations

from ..models.account import Account, AccountKeyList, AccountUpdate, Key, KeyInput, VaultedKey
from ._base import Operation, Scope, Unsupported

__all__ = [
    "CREATE_ACCOUNT_KEY",
    "DELETE_ACCOUNT_KEY",
    "GET_ACCOUNT",
    "GET_ACCOUNT_KEY",
    "LIST_ACCOUNT_KEYS",
    "OPERATIONS",
    "UNSUPPORTED",
    "UPDATE_ACCOUNT",
    "UPDATE_ACCOUNT_KEY",
]

ADMIN = ("account-admin",)

GET_ACCOUNT: Operation[Account] = Operation(
    name="account.get",
    method="GET",
    path="/v1/account",
    scope=Scope.ACCOUNT,
    roles=ADMIN,
    response={200: Account},
    summary="Read the account: company, billing contact, licence limits and usage (also /v2).",
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
)

LIST_ACCOUNT_KEYS: Operation[AccountKeyList] = Operation(
    name="account.keys.list",
    method="GET",
    path="/v1/account/keys",
    scope=Scope.ACCOUNT,
    roles=ADMIN,
    response={200: AccountKeyList},
    summary="List the account-scoped API keys (never their private keys) (also /v2).",
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
)

GET_ACCOUNT_KEY: Operation[Key] = Operation(
    name="account.keys.get",
    method="GET",
    path="/v1/account/keys/{publicKey}",
    scope=Scope.ACCOUNT,
    roles=ADMIN,
    response={200: Key},
    summary="Read one account-scoped API key by its public key (also /v2).",
)

UPDATE_ACCOUNT_KEY: Operation[None] = Operation(
    name="account.keys.update",
    method="PUT",
    path="/v1/account/keys/{publicKey}",
    scope=Scope.ACCOUNT,
    roles=ADMIN,
    response={204: None, 200: None},
    body=KeyInput,
    confirmed=False,
    summary="Rename an account-scoped API key and replace its roles.",
)

DELETE_ACCOUNT_KEY: Operation[None] = Operation(
    name="account.keys.delete",
    method="DELETE",
    path="/v1/account/keys/{publicKey}",
    scope=Scope.ACCOUNT,
    roles=ADMIN,
    response={204: None, 200: None},
    confirmed=False,
    summary="Revoke an account-scoped API key, immediately and for good.",
)

OPERATIONS: tuple[Operation[object], ...] = (
    GET_ACCOUNT,
    UPDATE_ACCOUNT,
    LIST_ACCOUNT_KEYS,
    CREATE_ACCOUNT_KEY,
    GET_ACCOUNT_KEY,
    UPDATE_ACCOUNT_KEY,
    DELETE_ACCOUNT_KEY,
)

_NO_PATH = (
    "path not published in any public source ([GAP]); "
    'reach it with client.request(..., scope="account")'
)
UNSUPPORTED: tuple[Unsupported, ...] = tuple(
    Unsupported("account", summary, _NO_PATH)
    for summary in (
        "Get the licensing history",
        "Request a licence upgrade",
        "Get the IP allow-list for account-scoped API keys",
        "Update the IP allow-list for account-scoped API keys",
    )
)
