"""``client.apps`` against the fake, end to end (``imburse-api.md`` §5.8)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from imburse import AsyncImburse, BadRequestError, NotFoundError, ValidationError
from imburse._core.models.apps import AppId, BraintreeConfigurationInput
from imburse.testing import FakeImburse

TOKEN_PATH = "/v1/identity/hmac"


@pytest.fixture
def fake() -> FakeImburse:
    """A fake on the real clock (the shared fixture's frozen clock needs a client on it too)."""
    return FakeImburse()


def connect(fake: FakeImburse) -> AsyncImburse:
    return AsyncImburse(
        public_key=fake.public_key,
        private_key=fake.private_key,
        account_id=fake.account_id,
        tenant_id=fake.tenant_id,
        http_client=fake.async_client(),
    )


def sdk_calls(fake: FakeImburse) -> list[tuple[str, str, int | None]]:
    return [(r.method, r.path, r.status) for r in fake.requests if r.path != TOKEN_PATH]


@pytest.mark.anyio
async def test_marketplace_list_and_get(fake: FakeImburse) -> None:
    async with connect(fake) as client:
        listed = await client.apps.list_marketplace()
        assert isinstance(listed, tuple)  # one convention for lists that are not paged
        assert [a.app_id for a in listed] == ["BRAINTREE_SDK", "TANGOCARD_RAAS", "STRIPE"]
        app = await client.apps.get_marketplace("braintree_sdk")
        assert app.app_id == AppId.BRAINTREE_SDK
        assert "PAYPAL" in [m.id for m in app.supported_payment_methods]
        assert [str(c) for c in app.supported_currencies] == ["GBP", "USD", "EUR"]
        with pytest.raises(NotFoundError):
            await client.apps.get_marketplace("NO_SUCH_APP")
    assert sdk_calls(fake) == [
        ("GET", "/v1/marketplace/apps", 200),
        ("GET", "/v1/marketplace/apps/braintree_sdk", 200),
        ("GET", "/v1/marketplace/apps/NO_SUCH_APP", 404),
    ]


@pytest.mark.anyio
async def test_install_configure_uninstall(fake: FakeImburse) -> None:
    async with connect(fake) as client:
        assert await client.apps.install("BRAINTREE_SDK") is None
        with pytest.raises(BadRequestError) as err:
            await client.apps.install("braintree_sdk")  # one instance per app and tenant
        assert err.value.error_code == "APP_ALREADY_INSTALLED"
        configuration = BraintreeConfigurationInput(
            merchant_id="m-1",
            public_key="pk",
            private_key="sk",
            settings=[{"currency": "GBP", "countries": ["GB"], "merchant_account_id": "acc"}],
        )
        echoed = await client.apps.configure("braintree_sdk", configuration)
        assert echoed.configuration["merchantId"] == "m-1"
        assert echoed.configuration["settings"][0]["merchantAccountId"] == "acc"
        await client.apps.uninstall("braintree_sdk")
        with pytest.raises(NotFoundError):
            await client.apps.configure("braintree_sdk", {"merchantId": "m-1"})
    configure = next(r for r in fake.requests if r.path.endswith("/configuration"))
    assert configure.body == (
        b'{"merchantId":"m-1","publicKey":"pk","privateKey":"sk","settings":'
        b'[{"currency":"GBP","countries":["GB"],"merchantAccountId":"acc"}]}'
    )
    assert ("POST", "/v1/apps/installed/braintree_sdk/uninstall", 200) in sdk_calls(fake)


@pytest.mark.anyio
async def test_install_may_carry_the_configuration(fake: FakeImburse) -> None:
    async with connect(fake) as client:
        await client.apps.install("STRIPE", configuration={"apiKey": "k"})
    install = next(r for r in fake.requests if r.path.endswith("/install"))
    assert install.body == b'{"apiKey":"k"}'


@pytest.mark.anyio
async def test_uninstall_is_refused_while_a_scheme_uses_the_app(fake: FakeImburse) -> None:
    async with connect(fake) as client:
        await client.apps.install("STRIPE")
        scheme = await client.collect_schemes.create(
            "Cards", rules=[{"apps": [{"app_id": "STRIPE"}]}]
        )
        with pytest.raises(BadRequestError) as err:
            await client.apps.uninstall("stripe")
        assert err.value.error_code == "APP_IN_USE"
        assert scheme.scheme_id is not None
        await client.collect_schemes.delete(scheme.scheme_id)
        await client.apps.uninstall("stripe")


@pytest.mark.anyio
async def test_tangocard_account_and_deposit(fake: FakeImburse) -> None:
    async with connect(fake) as client:
        with pytest.raises(NotFoundError):
            await client.apps.tangocard.create_account()  # not installed yet
        await client.apps.install("tangocard_raas")
        with pytest.raises(BadRequestError):
            await client.apps.tangocard.deposit_funds(Decimal("10"))  # no account yet
        await client.apps.tangocard.create_account()
        raw = await client.apps.tangocard.with_raw_response.deposit_funds(Decimal("150.25"))
        assert raw.status_code == 200
        assert raw.parse() is None
        assert raw.correlation_id
    deposit = [r for r in fake.requests if r.path.endswith("/deposit-funds")][-1]
    assert deposit.body == b'{"amount":150.25}'


@pytest.mark.anyio
async def test_raw_response(fake: FakeImburse) -> None:
    async with connect(fake) as client:
        raw = await client.apps.with_raw_response.get_marketplace("STRIPE", correlation_id="my-cid")
    assert raw.status_code == 200
    assert raw.correlation_id == "my-cid"
    assert raw.parse().app_id == "STRIPE"


@pytest.mark.anyio
async def test_invalid_input_never_reaches_the_fake(fake: FakeImburse) -> None:
    async with connect(fake) as client:
        with pytest.raises(ValidationError, match="app_id"):
            await client.apps.get_marketplace("bad id")
        with pytest.raises(ValidationError, match="app_id"):
            await client.apps.install("a/b")
        with pytest.raises(ValidationError, match="configuration"):
            await client.apps.install("STRIPE", configuration=["not", "a", "mapping"])  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="configuration"):
            await client.apps.configure("STRIPE", "apiKey=k")  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="app_id"):
            await client.apps.uninstall("")
        with pytest.raises(ValidationError, match="amount"):
            await client.apps.tangocard.deposit_funds(1.5)  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match="amount"):
            await client.apps.tangocard.deposit_funds(0)
    assert fake.requests == []
