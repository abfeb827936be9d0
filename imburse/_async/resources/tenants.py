"""``client.tenants`` and ``client.tenants.keys``: tenants of the account and their API keys.

Account-scoped calls (``imburse-api.md`` §5.5, §5.6): they send ``x-account-id`` only, so
they need an account key (``account-tenant-read`` / ``-write`` or ``account-admin``), not the
tenant's own key. Only create-tenant and list/create/get tenant key have published paths; the
other methods are experimental.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Unpack

from ..._core.call import RequestOptions
from ..._core.models._checks import check_uuid
from ..._core.models.account import Key, KeyInput, VaultedKey
from ..._core.models.tenants import Tenant, TenantInput, TenantKeyList, TenantList
from ..._core.operations.tenants import (
    CREATE_TENANT,
    CREATE_TENANT_KEY,
    DELETE_TENANT,
    DELETE_TENANT_KEY,
    GET_TENANT,
    GET_TENANT_KEY,
    LIST_TENANT_KEYS,
    LIST_TENANTS,
    UPDATE_TENANT,
    UPDATE_TENANT_KEY,
)
from ..._raw import async_raw
from ._base import AsyncResource

if TYPE_CHECKING:
    from ..client import AsyncImburse

__all__ = ["AsyncTenantKeys", "AsyncTenants"]


class AsyncTenants(AsyncResource):
    """Tenants: the business units of an account, each with its own keys and orders."""

    def __init__(self, client: AsyncImburse) -> None:
        super().__init__(client)
        self.keys = AsyncTenantKeys(client)

    async def create(
        self,
        name: str,
        *,
        street_address: str | None = None,
        extended_street_address: str | None = None,
        locality: str | None = None,
        region: str | None = None,
        post_code: str | None = None,
        country: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> Tenant:
        """Create a tenant. It is not retried after an unknown outcome (names need not be
        unique, so a retry could make a second tenant).

        >>> tenant = await client.tenants.create("Acme UK", post_code="EC1A 1BB", country="GB")  # doctest: +SKIP
        >>> tenant.tenant_id  # doctest: +SKIP
        '2bb81e1e-b072-4e64-b1ec-fdcc54f2d08c'
        """
        body = TenantInput(
            name=name,
            street_address=street_address,
            extended_street_address=extended_street_address,
            locality=locality,
            region=region,
            post_code=post_code,
            country=country,
        )
        return await self._client._request(CREATE_TENANT, body=body, options=options)

    async def list(self, **options: Unpack[RequestOptions]) -> tuple[Tenant, ...]:
        """The account's tenants (experimental: the path is inferred).

        >>> [t.name for t in await client.tenants.list()]  # doctest: +SKIP
        ['Acme UK']
        """
        result: TenantList = await self._client._request(LIST_TENANTS, options=options)
        return result.tenants

    async def get(self, tenant_id: str, **options: Unpack[RequestOptions]) -> Tenant:
        """Read one tenant (experimental: the path is inferred).

        >>> (await client.tenants.get(tenant_id)).name  # doctest: +SKIP
        'Acme UK'
        """
        params = {"tenantId": check_uuid("tenant_id", tenant_id)}
        return await self._client._request(GET_TENANT, path_params=params, options=options)

    async def update(
        self,
        tenant_id: str,
        *,
        name: str,
        street_address: str | None = None,
        extended_street_address: str | None = None,
        locality: str | None = None,
        region: str | None = None,
        post_code: str | None = None,
        country: str | None = None,
        **options: Unpack[RequestOptions],
    ) -> None:
        """Replace a tenant's name and address (experimental: the path is inferred).

        >>> await client.tenants.update(tenant_id, name="Acme United Kingdom")  # doctest: +SKIP
        """
        params = {"tenantId": check_uuid("tenant_id", tenant_id)}
        body = TenantInput(
            name=name,
            street_address=street_address,
            extended_street_address=extended_street_address,
            locality=locality,
            region=region,
            post_code=post_code,
            country=country,
        )
        await self._client._request(UPDATE_TENANT, path_params=params, body=body, options=options)

    async def delete(self, tenant_id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete (deactivate) a tenant (experimental: the path is inferred, and the guides
        disagree on whether Imburse allows it).

        >>> await client.tenants.delete(tenant_id)  # doctest: +SKIP
        """
        params = {"tenantId": check_uuid("tenant_id", tenant_id)}
        await self._client._request(DELETE_TENANT, path_params=params, options=options)

    @property
    def with_raw_response(self) -> AsyncTenantsWithRawResponse:
        """The same methods, returning :class:`~imburse.RawResponse`."""
        return AsyncTenantsWithRawResponse(self)


class AsyncTenantKeys(AsyncResource):
    """A tenant's API keys, managed with an account key. :meth:`create` returns the private key
    once; give it to the service that acts for the tenant (``AsyncImburse(tenant_id=...)``).
    """

    async def list(self, tenant_id: str, **options: Unpack[RequestOptions]) -> tuple[Key, ...]:
        """A tenant's API keys (public keys, names and roles; never private keys).

        >>> [key.name for key in await client.tenants.keys.list(tenant_id)]  # doctest: +SKIP
        ['orders']
        """
        params = {"tenantId": check_uuid("tenant_id", tenant_id)}
        result: TenantKeyList = await self._client._request(
            LIST_TENANT_KEYS, path_params=params, options=options
        )
        return result.tenant_keys

    async def create(
        self,
        tenant_id: str,
        *,
        name: str | None = None,
        roles: Sequence[str] | None = None,
        **options: Unpack[RequestOptions],
    ) -> VaultedKey:
        """Create a tenant key; store its ``private_key`` now, it is shown only once.

        Not retried after an unknown outcome (a retry could make a second key).

        >>> key = await client.tenants.keys.create(tenant_id, name="orders",
        ...     roles=["tenant-transaction-write"])  # doctest: +SKIP
        >>> tenant_client = AsyncImburse(public_key=key.public_key, private_key=key.private_key,
        ...     account_id=account_id, tenant_id=tenant_id)  # doctest: +SKIP
        """
        params = {"tenantId": check_uuid("tenant_id", tenant_id)}
        body = KeyInput(name=name, roles=roles)
        return await self._client._request(
            CREATE_TENANT_KEY, path_params=params, body=body, options=options
        )

    async def get(self, tenant_id: str, public_key: str, **options: Unpack[RequestOptions]) -> Key:
        """Read one tenant key by its public key.

        >>> (await client.tenants.keys.get(tenant_id, public_key)).roles  # doctest: +SKIP
        ('tenant-transaction-write',)
        """
        params = _key_params(tenant_id, public_key)
        return await self._client._request(GET_TENANT_KEY, path_params=params, options=options)

    async def update(
        self,
        tenant_id: str,
        public_key: str,
        *,
        name: str,
        roles: Sequence[str],
        **options: Unpack[RequestOptions],
    ) -> None:
        """Rename a tenant key and replace its roles (experimental: the path is inferred).

        >>> await client.tenants.keys.update(tenant_id, public_key, name="orders",
        ...     roles=["tenant-transaction-read"])  # doctest: +SKIP
        """
        params = _key_params(tenant_id, public_key)
        body = KeyInput.replacing(name, roles)
        await self._client._request(
            UPDATE_TENANT_KEY, path_params=params, body=body, options=options
        )

    async def delete(
        self, tenant_id: str, public_key: str, **options: Unpack[RequestOptions]
    ) -> None:
        """Revoke a tenant key, immediately and for good (experimental: the path is inferred).

        >>> await client.tenants.keys.delete(tenant_id, public_key)  # doctest: +SKIP
        """
        params = _key_params(tenant_id, public_key)
        await self._client._request(DELETE_TENANT_KEY, path_params=params, options=options)

    @property
    def with_raw_response(self) -> AsyncTenantKeysWithRawResponse:
        """The same methods, returning :class:`~imburse.RawResponse`."""
        return AsyncTenantKeysWithRawResponse(self)


def _key_params(tenant_id: str, public_key: str) -> dict[str, str]:
    return {
        "tenantId": check_uuid("tenant_id", tenant_id),
        "publicKey": check_uuid("public_key", public_key),
    }


class AsyncTenantsWithRawResponse:
    """``client.tenants.with_raw_response``."""

    def __init__(self, tenants: AsyncTenants) -> None:
        self.create = async_raw(tenants.create)
        self.list = async_raw(tenants.list)
        self.get = async_raw(tenants.get)
        self.update = async_raw(tenants.update)
        self.delete = async_raw(tenants.delete)


class AsyncTenantKeysWithRawResponse:
    """``client.tenants.keys.with_raw_response``."""

    def __init__(self, keys: AsyncTenantKeys) -> None:
        self.list = async_raw(keys.list)
        self.create = async_raw(keys.create)
        self.get = async_raw(keys.get)
        self.update = async_raw(keys.update)
        self.delete = async_raw(keys.delete)
