"""Configuration as a user meets it: environment fallbacks, clear errors, HTTPS, repr."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from imburse import AsyncImburse, ConfigurationError
from imburse.testing import FakeImburse

from .helpers import FakeClock, Wire


def _set_env(monkeypatch: pytest.MonkeyPatch, fake: FakeImburse, **skip: bool) -> None:
    values = {
        "IMBURSE_PUBLIC_KEY": fake.public_key,
        "IMBURSE_PRIVATE_KEY": fake.private_key,
        "IMBURSE_ACCOUNT_ID": fake.account_id,
        "IMBURSE_TENANT_ID": fake.tenant_id,
    }
    for name, value in values.items():
        if not skip.get(name):
            monkeypatch.setenv(name, value)


@pytest.mark.anyio
async def test_credentials_and_ids_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, fake: FakeImburse, clock: FakeClock
) -> None:
    _set_env(monkeypatch, fake)
    async with (
        fake.async_client() as http,
        AsyncImburse(
            http_client=http, clock=clock.now, wall_clock=clock.wall, sleep=clock.sleep
        ) as client,
    ):
        receipt = await client.orders.create("ORD-ENV")
    assert receipt.status_code == 201
    assert list(fake.orders) == ["ORD-ENV"]
    order_call = fake.requests[-1]
    assert order_call.headers["x-account-id"] == fake.account_id
    assert order_call.headers["x-tenant-id"] == fake.tenant_id


@pytest.mark.parametrize(
    ("variable", "argument"),
    [
        ("IMBURSE_PUBLIC_KEY", "public_key"),
        ("IMBURSE_PRIVATE_KEY", "private_key"),
        ("IMBURSE_ACCOUNT_ID", "account_id"),
    ],
)
def test_missing_credential_names_the_argument_and_the_variable(
    monkeypatch: pytest.MonkeyPatch, fake: FakeImburse, variable: str, argument: str
) -> None:
    _set_env(monkeypatch, fake, **{variable: True})
    with pytest.raises(ConfigurationError) as caught:
        AsyncImburse()
    assert argument in str(caught.value)
    assert variable in str(caught.value)


@pytest.mark.anyio
async def test_arguments_win_over_the_environment(
    monkeypatch: pytest.MonkeyPatch, fake: FakeImburse, clock: FakeClock
) -> None:
    monkeypatch.setenv("IMBURSE_PUBLIC_KEY", "from-env")
    # Never read: the argument wins, so this malformed key cannot fail the client.
    monkeypatch.setenv("IMBURSE_PRIVATE_KEY", "not base64 at all!")
    monkeypatch.setenv("IMBURSE_ACCOUNT_ID", "00000000-0000-4000-8000-000000000000")
    monkeypatch.setenv("IMBURSE_TENANT_ID", "00000000-0000-4000-8000-000000000001")
    async with (
        fake.async_client() as http,
        AsyncImburse(
            public_key=fake.public_key,
            private_key=fake.private_key,
            account_id=fake.account_id,
            tenant_id=fake.tenant_id,
            http_client=http,
            clock=clock.now,
            wall_clock=clock.wall,
            sleep=clock.sleep,
        ) as client,
    ):
        await client.orders.create("ORD-ARGS")
    assert list(fake.orders) == ["ORD-ARGS"]
    assert fake.requests[-1].headers["x-account-id"] == fake.account_id


@pytest.mark.anyio
async def test_tenant_operation_without_tenant_id_fails_before_any_request(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client(tenant_id=None) as client:
        with pytest.raises(ConfigurationError) as caught:
            await client.orders.get("ORD-1")
        with pytest.raises(ConfigurationError):
            await client.orders.create("ORD-1")
    assert "tenant_id" in str(caught.value)
    assert "IMBURSE_TENANT_ID" in str(caught.value)
    assert fake.requests == []  # not even a token exchange


@pytest.mark.anyio
async def test_base_url_wins_over_environment_and_environment_variable(
    monkeypatch: pytest.MonkeyPatch,
    make_client: Callable[..., AsyncImburse],
    fake: FakeImburse,
    clock: FakeClock,
) -> None:
    monkeypatch.setenv("IMBURSE_ENVIRONMENT", "production")
    monkeypatch.setenv("IMBURSE_BASE_URL", "https://from-env.example")
    wire = Wire(fake, clock)
    async with (
        wire.async_client() as http,
        make_client(
            http_client=http, base_url="https://imburse.internal.example/", environment="sandbox"
        ) as client,
    ):
        await client.orders.create("ORD-1")
    hosts = {str(request.url.copy_with(path="/")) for _, request in wire.requests}
    assert hosts == {"https://imburse.internal.example/"}


@pytest.mark.anyio
async def test_environment_picks_the_production_host(
    monkeypatch: pytest.MonkeyPatch,
    make_client: Callable[..., AsyncImburse],
    fake: FakeImburse,
    clock: FakeClock,
) -> None:
    monkeypatch.setenv("IMBURSE_ENVIRONMENT", "production")
    wire = Wire(fake, clock)
    async with wire.async_client() as http, make_client(http_client=http) as client:
        await client.orders.create("ORD-1")
    assert {request.url.host for _, request in wire.requests} == {"api.imbursepayments.com"}


@pytest.mark.parametrize(
    "url",
    ["http://api.imbursepayments.com", "http://10.0.0.5:8080", "ftp://example.com"],
)
def test_plain_http_is_refused_off_loopback(fake: FakeImburse, url: str) -> None:
    with pytest.raises(ConfigurationError, match="base_url"):
        AsyncImburse(
            public_key=fake.public_key,
            private_key=fake.private_key,
            account_id=fake.account_id,
            base_url=url,
        )


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080", "http://localhost:9000/", "http://[::1]:8080"]
)
@pytest.mark.anyio
async def test_plain_http_is_allowed_on_loopback(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock, url: str
) -> None:
    wire = Wire(fake, clock)
    async with wire.async_client() as http, make_client(http_client=http, base_url=url) as client:
        await client.orders.create("ORD-1")
    assert {request.url.scheme for _, request in wire.requests} == {"http"}
    assert fake.orders


@pytest.mark.anyio
async def test_repr_and_str_of_the_client_hide_the_private_key(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-1")  # a token now sits in the client, too
        shown = repr(client) + str(client)
        shown += repr(client.with_options(deadline=5))
    assert fake.private_key not in shown
    assert fake.account_id in shown  # the ids are not secret and help debugging
    bearer = fake.requests[-1].headers["authorization"].removeprefix("Bearer ")
    assert bearer not in shown
