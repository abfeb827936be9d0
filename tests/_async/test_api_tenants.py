"""``client.tenants`` and ``client.tenants.keys`` against the fake, end to end.

The central story: an account administrator creates a tenant and a key for it; a second
client holding only that key creates an order in the tenant; once the key is deleted the
next token exchange with it is refused.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from imburse import (
    AsyncImburse,
    AuthenticationError,
    BadRequestError,
    NotFoundError,
    ValidationError,
)
from imburse._core.models.account import Role, VaultedKey
from imburse.testing import FakeImburse

from .helpers import TOKEN_PATH, calls_to

ADMIN_PUBLIC = "0d4c3f2e-1b0a-4f9e-8d7c-6b5a4f3e2d1c"
ADMIN_PRIVATE = "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y="
UNKNOWN_TENANT = "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a"


@pytest.fixture
def admin(
    fake: FakeImburse, make_client: Callable[..., AsyncImburse]
) -> Callable[..., AsyncImburse]:
    """Clients holding an account key (no tenant)."""
    fake.add_key(ADMIN_PUBLIC, ADMIN_PRIVATE, fake.account_id)

    def make(**kwargs: object) -> AsyncImburse:
        settings: dict[str, object] = {
            "public_key": ADMIN_PUBLIC,
            "private_key": ADMIN_PRIVATE,
            "tenant_id": None,
        }
        return make_client(**{**settings, **kwargs})

    return make


def tenant_client(
    make_client: Callable[..., AsyncImburse], key: VaultedKey, tenant_id: str
) -> AsyncImburse:
    """A client acting for one tenant with a key the SDK just created."""
    return make_client(public_key=key.public_key, private_key=key.private_key, tenant_id=tenant_id)


@pytest.mark.anyio
async def test_a_new_tenant_key_creates_orders_until_it_is_deleted(
    admin: Callable[..., AsyncImburse],
    make_client: Callable[..., AsyncImburse],
    fake: FakeImburse,
) -> None:
    async with admin() as client:
        tenant = await client.tenants.create("Acme UK", post_code="EC1A 1BB", country="GB")
        assert tenant.tenant_id is not None
        tenant_id = tenant.tenant_id
        key = await client.tenants.keys.create(
            tenant_id, name="orders", roles=[Role.TENANT_TRANSACTION_WRITE]
        )
        assert isinstance(key, VaultedKey)
        assert key.private_key
        assert key.private_key not in repr(key)

        async with tenant_client(make_client, key, tenant_id) as orders_client:
            receipt = await orders_client.orders.create("ORD-1", metadata={"policy": "P-9"})
        assert receipt.status_code == 201
        assert list(fake.orders_for(tenant_id)) == ["ORD-1"]
        assert "ORD-1" not in fake.orders  # not in the demo tenant
        create = calls_to(fake, "/v1/order-management", "POST")[0]
        assert create.headers["x-tenant-id"] == tenant_id

        assert key.public_key is not None
        await client.tenants.keys.delete(tenant_id, key.public_key)

        async with tenant_client(make_client, key, tenant_id) as revoked:
            with pytest.raises(AuthenticationError) as info:
                await revoked.orders.create("ORD-2")
            assert revoked.token_exchanges == 0
    assert info.value.errors[0].metadata["reason"] == "UNKNOWN_KEY"
    assert calls_to(fake, TOKEN_PATH)[-1].status == 401
    assert list(fake.orders_for(tenant_id)) == ["ORD-1"]


@pytest.mark.anyio
async def test_tenant_lifecycle(admin: Callable[..., AsyncImburse], fake: FakeImburse) -> None:
    async with admin() as client:
        # The demo tenant exists already: the demo key acts for it.
        assert [t.tenant_id for t in await client.tenants.list()] == [fake.tenant_id]
        created = await client.tenants.create(
            "Acme UK",
            street_address="1 Example Street",
            extended_street_address="Floor 2",
            locality="London",
            post_code="EC1A 1BB",
            country="GB",
        )
        assert created.tenant_id is not None
        assert created.account_id == fake.account_id
        assert created.address is not None
        assert created.address.extended_street_address == "Floor 2"
        assert created.address.region is None
        tenant_id = created.tenant_id
        listed = await client.tenants.list()
        assert [t.tenant_id for t in listed] == [fake.tenant_id, tenant_id]
        assert await client.tenants.get(tenant_id) == created

        await client.tenants.update(tenant_id, name="Acme United Kingdom", country="GB")
        updated = await client.tenants.get(tenant_id)
        assert updated.name == "Acme United Kingdom"
        assert updated.address is not None
        assert (updated.address.locality, updated.address.country) == (None, "GB")
        assert (await client.account.get()).license.tenant_usage == 2  # type: ignore[union-attr]

        await client.tenants.delete(tenant_id)
        with pytest.raises(NotFoundError) as info:
            await client.tenants.get(tenant_id)
        assert info.value.error_code == "TENANT_NOT_FOUND"
    # The create body is flat, as in the tenant tutorial.
    assert calls_to(fake, "/v1/account/tenants", "POST")[0].json() == {
        "name": "Acme UK",
        "streetAddress": "1 Example Street",
        "extendedStreetAddress": "Floor 2",
        "locality": "London",
        "postCode": "EC1A 1BB",
        "country": "GB",
    }


@pytest.mark.anyio
async def test_deleting_a_tenant_revokes_its_keys(
    admin: Callable[..., AsyncImburse],
    make_client: Callable[..., AsyncImburse],
) -> None:
    async with admin() as client:
        tenant = await client.tenants.create("Short-lived")
        assert tenant.tenant_id is not None
        key = await client.tenants.keys.create(tenant.tenant_id)
        await client.tenants.delete(tenant.tenant_id)
        with pytest.raises(NotFoundError):
            await client.tenants.keys.list(tenant.tenant_id)
    async with tenant_client(make_client, key, tenant.tenant_id) as orphan:
        with pytest.raises(AuthenticationError):
            await orphan.orders.get("ORD-1")
        assert orphan.token_exchanges == 0


@pytest.mark.anyio
async def test_tenant_key_get_update_list(
    admin: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with admin() as client:
        # The demo key is listed under the demo tenant, without its private key.
        demo_keys = await client.tenants.keys.list(fake.tenant_id)
        assert [(k.public_key, k.roles) for k in demo_keys] == [
            (fake.public_key, ("tenant-admin",))
        ]
        key = await client.tenants.keys.create(fake.tenant_id, roles=["tenant-transaction-read"])
        assert key.public_key is not None
        await client.tenants.keys.update(
            fake.tenant_id, key.public_key, name="reporting", roles=["tenant-admin"]
        )
        fetched = await client.tenants.keys.get(fake.tenant_id, key.public_key)
        assert (fetched.name, fetched.roles) == ("reporting", ("tenant-admin",))
        assert not isinstance(fetched, VaultedKey)
        # A tenant key is not an account key, and the other way round.
        assert key.public_key not in [k.public_key for k in await client.account.keys.list()]
        with pytest.raises(NotFoundError):
            await client.tenants.keys.get(fake.tenant_id, ADMIN_PUBLIC)
    assert calls_to(fake, f"/v1/account/tenants/{fake.tenant_id}/keys/{key.public_key}", "PUT")[
        0
    ].json() == {"name": "reporting", "roles": ["tenant-admin"]}


@pytest.mark.anyio
async def test_unknown_tenant_is_not_found(admin: Callable[..., AsyncImburse]) -> None:
    async with admin() as client:
        with pytest.raises(NotFoundError) as info:
            await client.tenants.keys.create(UNKNOWN_TENANT, name="orders")
        assert info.value.status_code == 404
        with pytest.raises(NotFoundError):
            await client.tenants.delete(UNKNOWN_TENANT)


@pytest.mark.anyio
async def test_fake_refuses_an_account_role_on_a_tenant_key(
    admin: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with admin() as client:
        with pytest.raises(BadRequestError) as info:
            await client.tenants.keys.create(fake.tenant_id, roles=["account-admin"])
        assert len(await client.tenants.keys.list(fake.tenant_id)) == 1  # nothing was created
    assert info.value.error_code == "ROLE_NOT_RECOGNISED"


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.tenants.create(""), "name"),
        (lambda c: c.tenants.create("Acme", country="gb"), "country"),
        (lambda c: c.tenants.get("acme"), "tenant_id"),
        (lambda c: c.tenants.update(UNKNOWN_TENANT, name=" "), "name"),
        (lambda c: c.tenants.keys.list("42"), "tenant_id"),
        (lambda c: c.tenants.keys.get(UNKNOWN_TENANT, "pk"), "public_key"),
        (lambda c: c.tenants.keys.create(UNKNOWN_TENANT, roles=[""]), "roles[0]"),
    ],
    ids=[
        "empty-name",
        "lower-case-country",
        "bad-tenant-id",
        "blank-name",
        "keys-bad-tenant",
        "bad-public-key",
        "empty-role",
    ],
)
@pytest.mark.anyio
async def test_bad_arguments_raise_before_any_request(
    admin: Callable[..., AsyncImburse],
    fake: FakeImburse,
    call: Callable[[AsyncImburse], Awaitable[object]],
    field: str,
) -> None:
    async with admin() as client:
        with pytest.raises(ValidationError) as info:
            await call(client)
        assert client.token_exchanges == 0
    assert info.value.field == field
    assert fake.requests == []


@pytest.mark.anyio
async def test_v2_tenant_key_paths_answer_like_v1(
    admin: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with admin() as client:
        path = f"/v2/account/tenants/{fake.tenant_id}/keys"
        created = await client.request("POST", path, json={"name": "v2"}, scope="account")
        listed = await client.request("GET", path, scope="account")
    assert created["privateKey"]
    assert [k["name"] for k in listed["tenantKeys"]] == ["API Key", "v2"]
