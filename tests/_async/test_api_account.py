"""``client.account`` and ``client.account.keys`` against the fake, end to end."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest

from imburse import (
    APIConnectionError,
    AsyncImburse,
    BadRequestError,
    ValidationError,
)
from imburse._core.models.account import UNLIMITED, Key, Role, VaultedKey
from imburse.testing import FakeImburse

from .helpers import TOKEN_PATH, calls_to

# An account-scoped key (no tenant), registered on the fake by the ``admin`` fixture.
ADMIN_PUBLIC = "0d4c3f2e-1b0a-4f9e-8d7c-6b5a4f3e2d1c"
ADMIN_PRIVATE = "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y="
KEYS_PATH = "/v1/account/keys"


@pytest.fixture
def admin(
    fake: FakeImburse, make_client: Callable[..., AsyncImburse]
) -> Callable[..., AsyncImburse]:
    """Clients holding an account key, as account administration needs."""
    fake.add_key(ADMIN_PUBLIC, ADMIN_PRIVATE, fake.account_id)

    def make(**kwargs: object) -> AsyncImburse:
        settings: dict[str, object] = {
            "public_key": ADMIN_PUBLIC,
            "private_key": ADMIN_PRIVATE,
            "tenant_id": None,
        }
        return make_client(**{**settings, **kwargs})

    return make


def sdk_calls(fake: FakeImburse) -> list[tuple[str, str, int | None]]:
    return [(r.method, r.path, r.status) for r in fake.requests if r.path != TOKEN_PATH]


@pytest.mark.anyio
async def test_get_account_sends_only_the_account_id(
    admin: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with admin() as client:
        account = await client.account.get()
    assert account.account_id == fake.account_id
    assert account.license is not None
    assert account.license.max_tenants == UNLIMITED
    assert account.license.tenant_usage == 1  # the demo tenant
    assert account.correlation_id
    seen = calls_to(fake, "/v1/account")[0]
    assert seen.headers["x-account-id"] == fake.account_id
    assert "x-tenant-id" not in seen.headers


@pytest.mark.anyio
async def test_a_client_with_a_tenant_still_sends_no_tenant_header(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:  # the demo key, which has a tenant
        await client.account.get()
    assert "x-tenant-id" not in calls_to(fake, "/v1/account")[0].headers


@pytest.mark.anyio
async def test_update_account_flag(admin: Callable[..., AsyncImburse], fake: FakeImburse) -> None:
    async with admin() as client:
        assert (await client.account.get()).tenant_creation_approval_required is False
        await client.account.update(tenant_creation_approval_required=True)
        assert (await client.account.get()).tenant_creation_approval_required is True
    assert calls_to(fake, "/v1/account", "PUT")[0].json() == {
        "tenantCreationApprovalRequired": True
    }


@pytest.mark.anyio
async def test_update_account_refuses_a_non_boolean_before_sending(
    admin: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with admin() as client:
        with pytest.raises(ValidationError, match="tenant_creation_approval_required"):
            await client.account.update(tenant_creation_approval_required="yes")  # type: ignore[arg-type]
        assert client.token_exchanges == 0
    assert fake.requests == []


@pytest.mark.anyio
async def test_account_key_lifecycle(admin: Callable[..., AsyncImburse], fake: FakeImburse) -> None:
    async with admin() as client:
        # A key registered out of band lists with the default name and the admin role.
        assert await client.account.keys.list() == (
            Key(
                public_key=ADMIN_PUBLIC,
                name="API Key",
                roles=("account-admin",),
                identity=f"https://openid.imbursepayments.com/{ADMIN_PUBLIC}",
            ),
        )
        created = await client.account.keys.create(
            name="tenants", roles=[Role.ACCOUNT_TENANT_WRITE]
        )
        assert isinstance(created, VaultedKey)
        assert created.private_key
        assert created.roles == ("account-tenant-write",)
        public = created.public_key
        assert public is not None
        listed = await client.account.keys.list()
        assert [k.public_key for k in listed] == [ADMIN_PUBLIC, public]
        assert all(not isinstance(k, VaultedKey) for k in listed)

        fetched = await client.account.keys.get(public)
        assert (fetched.name, fetched.roles) == ("tenants", ("account-tenant-write",))

        await client.account.keys.update(public, name="reader", roles=["account-tenant-read"])
        fetched = await client.account.keys.get(public)
        assert (fetched.name, fetched.roles) == ("reader", ("account-tenant-read",))

        listed = await client.account.keys.list()
        assert [k.public_key for k in listed] == [ADMIN_PUBLIC, public]


@pytest.mark.anyio
async def test_account_keys_cannot_be_deleted_as_imburse_publishes_no_delete(
    admin: Callable[..., AsyncImburse],
) -> None:
    """0.1.0 sent an inferred ``DELETE /v1/account/keys/{publicKey}``; the published
    Account Key Management pages have no delete."""
    async with admin() as client:
        assert not hasattr(client.account.keys, "delete")
        assert not hasattr(client.account.keys.with_raw_response, "delete")


@pytest.mark.anyio
async def test_key_without_name_gets_the_default_name(
    admin: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with admin() as client:
        created = await client.account.keys.create()
    assert (created.name, created.roles) == ("API Key", ())
    assert calls_to(fake, KEYS_PATH, "POST")[0].body == b"{}"


@pytest.mark.anyio
async def test_created_key_works_for_a_token_exchange(
    admin: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with admin() as client:
        created = await client.account.keys.create(name="ops", roles=["account-admin"])
        assert created.public_key
        assert created.private_key

        async with admin(public_key=created.public_key, private_key=created.private_key) as own:
            account = await own.account.get()
            assert account.account_id == fake.account_id
            assert own.token_exchanges == 1
    assert calls_to(fake, TOKEN_PATH)[-1].status == 201


@pytest.mark.anyio
async def test_private_key_never_shows_in_repr_or_raw_response(
    admin: Callable[..., AsyncImburse],
) -> None:
    async with admin() as client:
        raw = await client.account.keys.with_raw_response.create(name="ops")
    key = raw.parse()
    assert raw.status_code == 201
    assert key.private_key
    assert key.private_key not in repr(key)
    assert key.private_key not in repr(raw)
    assert raw.correlation_id == key.correlation_id


@pytest.mark.anyio
async def test_fake_refuses_a_tenant_role_on_an_account_key(
    admin: Callable[..., AsyncImburse],
) -> None:
    async with admin() as client:
        with pytest.raises(BadRequestError) as info:
            await client.account.keys.create(roles=["account-admin", "tenant-admin"])
        assert len(await client.account.keys.list()) == 1  # nothing was created
    assert info.value.error_code == "ROLE_NOT_RECOGNISED"
    assert info.value.errors[0].metadata["propertyName"] == "roles[1]"


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.account.keys.get("not-a-uuid"), "public_key"),
        (lambda c: c.account.keys.create(roles=[]), "roles"),
        (lambda c: c.account.keys.create(roles="account-admin"), "roles"),
        (
            lambda c: c.account.keys.update(
                "0d4c3f2e-1b0a-4f9e-8d7c-6b5a4f3e2d1c", name="x", roles=None
            ),
            "roles",
        ),
    ],
    ids=["get-bad-id", "empty-roles", "roles-as-string", "update-no-roles"],
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
async def test_key_create_is_not_repeated_after_an_unknown_outcome(
    admin: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with admin() as client:
        fake.inject("drop_after", method="POST", path=KEYS_PATH)
        with pytest.raises(APIConnectionError):
            await client.account.keys.create(name="ops")
        # The fake applied it; a retry would have made a second key pair.
        assert len(calls_to(fake, KEYS_PATH, "POST")) == 1
        names = [k.name for k in await client.account.keys.list()]
    assert names == ["API Key", "ops"]


@pytest.mark.anyio
async def test_v2_paths_answer_like_v1(
    admin: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with admin() as client:
        account = await client.request("GET", "/v2/account", scope="account")
        keys = await client.request("GET", "/v2/account/keys", scope="account")
    assert account["accountId"] == fake.account_id
    assert [k["publicKey"] for k in keys["accountKeys"]] == [ADMIN_PUBLIC]
