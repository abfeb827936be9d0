"""``client.account`` and ``client.account.keys``: the account and its API keys.

Account-scoped calls (``imburse-api.md`` §5.3, §5.4): they send ``x-account-id`` only and
need an account key with the ``account-admin`` role.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Unpack

from ..._core.call import RequestOptions
from ..._core.models._checks import check_uuid
from ..._core.models.account import (
    Account,
    AccountKeyList,
    AccountUpdate,
    Key,
    KeyInput,
    VaultedKey,
)
from ..._core.operations.account import (
    CREATE_ACCOUNT_KEY,
    DELETE_ACCOUNT_KEY,
    GET_ACCOUNT,
    GET_ACCOUNT_KEY,
    LIST_ACCOUNT_KEYS,
    UPDATE_ACCOUNT,
    UPDATE_ACCOUNT_KEY,
)
from ..._raw import async_raw
from ._base import AsyncResource

if TYPE_CHECKING:
    from ..client import AsyncImburse

__all__ = ["AsyncAccountResource", "AsyncAccountKeys"]


class AsyncAccountResource(AsyncResource):
    """The account behind the API key: its settings, licence and account-scoped keys."""

    def __init__(self, client: AsyncImburse) -> None:
        super().__init__(client)
        self.keys = AsyncAccountKeys(client)

    async def get(self, **options: Unpack[RequestOptions]) -> Account:
        """Read the account: company, billing contact, licence limits and usage.

        >>> account = await client.account.get()  # doctest: +SKIP
        >>> account.license.max_tenants  # doctest: +SKIP
        -1
        """
        return await self._client._request(GET_ACCOUNT, options=options)

    async def update(
        self, *, tenant_creation_approval_required: bool, **options: Unpack[RequestOptions]
    ) -> None:
        """Change whether a new tenant waits for approval (by a key with ``account-tenant-approval``).

        >>> await client.account.update(tenant_creation_approval_required=True)  # doctest: +SKIP
        """
        body = AccountUpdate(tenant_creation_approval_required=tenant_creation_approval_required)
        await self._client._request(UPDATE_ACCOUNT, body=body, options=options)

    @property
    def with_raw_response(self) -> AsyncAccountWithRawResponse:
        """The same methods, returning :class:`~imburse.RawResponse`."""
        return AsyncAccountWithRawResponse(self)


class AsyncAccountKeys(AsyncResource):
    """Account-scoped API keys. A new key's private key is returned once, by :meth:`create`."""

    async def list(self, **options: Unpack[RequestOptions]) -> tuple[Key, ...]:
        """The account's API keys (public keys, names and roles; never private keys).

        >>> [key.name for key in await client.account.keys.list()]  # doctest: +SKIP
        ['API Key', 'reporting']
        """
        result: AccountKeyList = await self._client._request(LIST_ACCOUNT_KEYS, options=options)
        return result.account_keys

    async def create(
        self,
        *,
        name: str | None = None,
        roles: Sequence[str] | None = None,
        **options: Unpack[RequestOptions],
    ) -> VaultedKey:
        """Create an account-scoped key; store its ``private_key`` now, it is shown only once.

        Without ``name`` Imburse calls the key ``"API Key"``. ``roles`` are names such as
        ``Role.ACCOUNT_TENANT_WRITE``. A create is not retried after an unknown outcome (it
        has no natural key, so a retry could make a second key).

        >>> key = await client.account.keys.create(name="tenants", roles=["account-tenant-write"])  # doctest: +SKIP
        >>> vault.store(key.public_key, key.private_key)  # doctest: +SKIP
        """
        body = KeyInput(name=name, roles=roles)
        return await self._client._request(CREATE_ACCOUNT_KEY, body=body, options=options)

    async def get(self, public_key: str, **options: Unpack[RequestOptions]) -> Key:
        """Read one account-scoped key by its public key.

        >>> (await client.account.keys.get("a123456b-c12c-123d-1ab4-18bd8c8e88a3")).roles  # doctest: +SKIP
        ('account-admin',)
        """
        params = {"publicKey": check_uuid("public_key", public_key)}
        return await self._client._request(GET_ACCOUNT_KEY, path_params=params, options=options)

    async def update(
        self,
        public_key: str,
        *,
        name: str,
        roles: Sequence[str],
        **options: Unpack[RequestOptions],
    ) -> None:
        """Rename a key and replace its roles (experimental: the path is inferred).

        >>> await client.account.keys.update(public_key, name="tenants",
        ...     roles=["account-tenant-read"])  # doctest: +SKIP
        """
        params = {"publicKey": check_uuid("public_key", public_key)}
        body = KeyInput.replacing(name, roles)
        await self._client._request(
            UPDATE_ACCOUNT_KEY, path_params=params, body=body, options=options
        )

    async def delete(self, public_key: str, **options: Unpack[RequestOptions]) -> None:
        """Revoke a key, immediately and for good (experimental: the path is inferred).

        >>> await client.account.keys.delete(public_key)  # doctest: +SKIP
        """
        params = {"publicKey": check_uuid("public_key", public_key)}
        await self._client._request(DELETE_ACCOUNT_KEY, path_params=params, options=options)

    @property
    def with_raw_response(self) -> AsyncAccountKeysWithRawResponse:
        """The same methods, returning :class:`~imburse.RawResponse`."""
        return AsyncAccountKeysWithRawResponse(self)


class AsyncAccountWithRawResponse:
    """``client.account.with_raw_response``."""

    def __init__(self, account: AsyncAccountResource) -> None:
        self.get = async_raw(account.get)
        self.update = async_raw(account.update)


class AsyncAccountKeysWithRawResponse:
    """``client.account.keys.with_raw_response``."""

    def __init__(self, keys: AsyncAccountKeys) -> None:
        self.list = async_raw(keys.list)
        self.create = async_raw(keys.create)
        self.get = async_raw(keys.get)
        self.update = async_raw(keys.update)
        self.delete = async_raw(keys.delete)
