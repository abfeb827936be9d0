"""The bearer token: one exchange shared by every call, refreshed in time, renewed on a 401."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from imburse import AsyncImburse, AuthenticationError
from imburse.testing import FakeImburse

from .helpers import TOKEN_PATH, FakeClock, Wire, calls_to, order_path

OTHER_PRIVATE_KEY = "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y="  # valid base64, wrong key


@pytest.mark.anyio
async def test_one_exchange_serves_many_calls(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-1")
        for _ in range(5):
            await client.orders.get("ORD-1")
        assert client.token_exchanges == 1
    assert fake.token_exchanges == 1
    assert len(calls_to(fake, TOKEN_PATH)) == 1


@pytest.mark.anyio
async def test_calls_carry_the_bearer_token_and_the_id_headers(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    wire = Wire(fake, clock)
    async with wire.async_client() as http, make_client(http_client=http) as client:
        await client.orders.create("ORD-1")
        await client.orders.get("ORD-1")
    exchange, create, get = (request for _, request in wire.requests)
    assert exchange.url.path == TOKEN_PATH
    assert exchange.headers["authorization"].startswith(f"Hmac {fake.public_key}:")
    token = json.loads(wire.responses[0].content)["accessToken"]
    for request in (create, get):
        assert request.headers["authorization"] == f"Bearer {token}"
        assert request.headers["x-account-id"] == fake.account_id
        assert request.headers["x-tenant-id"] == fake.tenant_id


@pytest.mark.anyio
async def test_token_is_refreshed_60_seconds_before_it_expires(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    fake.token_ttl = 3600
    async with make_client() as client:
        await client.orders.create("ORD-1")
        clock.advance(3600 - 60 - 1)  # 61 s left: still good
        await client.orders.get("ORD-1")
        assert fake.token_exchanges == 1
        clock.advance(2)  # 59 s left: refresh before using it
        await client.orders.get("ORD-1")
        assert fake.token_exchanges == 2
        await client.orders.get("ORD-1")
    assert fake.token_exchanges == 2
    # The refresh happened before the call: no request was refused for an expired token.
    assert all(r.status != 401 for r in fake.requests)


@pytest.mark.anyio
async def test_a_token_shorter_lived_than_the_margin_is_kept_for_half_its_life(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    fake.token_ttl = 40  # under the 60 s margin: it used to be stale on arrival
    async with make_client() as client:
        await client.orders.create("ORD-1")
        await client.orders.get("ORD-1")
        clock.advance(19)  # 21 s left: still in its first half
        await client.orders.get("ORD-1")
        assert fake.token_exchanges == 1
        clock.advance(2)  # 19 s left: past half its life, refresh
        await client.orders.get("ORD-1")
        assert fake.token_exchanges == 2
    assert all(r.status != 401 for r in fake.requests)


@pytest.mark.parametrize("expires_format", ["seconds", "milliseconds", "milliseconds-string"])
@pytest.mark.anyio
async def test_every_documented_expires_form_is_understood(
    make_client: Callable[..., AsyncImburse],
    fake: FakeImburse,
    clock: FakeClock,
    expires_format: str,
) -> None:
    fake.expires_format = expires_format  # type: ignore[assignment]
    fake.token_ttl = 600
    async with make_client() as client:
        await client.orders.create("ORD-1")
        clock.advance(500)  # 100 s left
        await client.orders.get("ORD-1")
        assert fake.token_exchanges == 1
        clock.advance(50)  # 50 s left
        await client.orders.get("ORD-1")
        assert fake.token_exchanges == 2
    assert all(r.status != 401 for r in fake.requests)


@pytest.mark.anyio
async def test_revoked_token_is_exchanged_once_and_the_call_retried(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-1")
        fake.revoke_tokens()
        order = await client.orders.get("ORD-1")
        assert order.order_ref == "ORD-1"
        await client.orders.get("ORD-1")  # the new token is kept
    assert fake.token_exchanges == 2
    statuses = [(r.path, r.status) for r in fake.requests]
    assert statuses == [
        (TOKEN_PATH, 201),
        ("/v1/order-management", 201),
        (order_path("ORD-1"), 401),
        (TOKEN_PATH, 201),
        (order_path("ORD-1"), 200),
        (order_path("ORD-1"), 200),
    ]
    assert clock.sleeps == []  # a token refresh is not a backoff


@pytest.mark.anyio
async def test_a_second_401_is_raised_not_looped(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-1")
        fake.inject("status", status=401, times=None, path="/v1/order-management/")
        with pytest.raises(AuthenticationError) as caught:
            await client.orders.get("ORD-1")
    assert caught.value.status_code == 401
    assert len(calls_to(fake, order_path("ORD-1"))) == 2
    assert fake.token_exchanges == 2


@pytest.mark.anyio
async def test_refused_exchange_raises_authentication_error_without_looping(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    async with make_client(private_key=OTHER_PRIVATE_KEY) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.orders.get("ORD-1")
        with pytest.raises(AuthenticationError):
            await client.orders.get("ORD-1")
    assert caught.value.status_code == 401
    # One exchange per call, nothing else: the 401 of an exchange is not "refresh and retry".
    assert [(r.path, r.status) for r in fake.requests] == [(TOKEN_PATH, 401), (TOKEN_PATH, 401)]
    assert clock.sleeps == []


@pytest.mark.parametrize(
    "fault",
    [
        {"kind": "status", "status": 503},
        {"kind": "status", "status": 502, "apply": True},
        {"kind": "drop_after"},
        {"kind": "drop_before"},
        {"kind": "status", "status": 429, "retry_after": "1"},
    ],
    ids=["503", "502-applied", "dropped-answer", "refused", "429"],
)
@pytest.mark.anyio
async def test_a_failed_exchange_is_retried_with_a_fresh_signature(
    make_client: Callable[..., AsyncImburse],
    fake: FakeImburse,
    clock: FakeClock,
    fault: dict[str, object],
) -> None:
    async with make_client() as client:
        fake.inject(path=TOKEN_PATH, **fault)  # type: ignore[arg-type]
        receipt = await client.orders.create("ORD-1")
    assert receipt.status_code == 201
    exchanges = calls_to(fake, TOKEN_PATH)
    assert len(exchanges) == 2
    assert exchanges[-1].status == 201
    nonces = {r.headers["authorization"].split(":")[1] for r in exchanges}
    assert len(nonces) == 2  # Imburse refuses a nonce it has seen
    assert len(clock.sleeps) == 1
