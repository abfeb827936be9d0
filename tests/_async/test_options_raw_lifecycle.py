"""``with_options`` views, ``with_raw_response``, and closing (or not closing) the client."""

from __future__ import annotations

import gc
import warnings
from collections.abc import Callable

import pytest

from imburse import AsyncImburse, CreateReceipt, InternalServerError, Order
from imburse.testing import FakeImburse, FakeServer

from .helpers import FakeClock, calls_to, order_path


@pytest.mark.anyio
async def test_a_view_shares_the_token_and_overrides_defaults(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-1")
        impatient = client.with_options(max_retries=0)
        fake.inject("status", status=503)
        with pytest.raises(InternalServerError):
            await impatient.orders.get("ORD-1")
        fake.inject("status", status=503)
        await client.orders.get("ORD-1")  # the parent keeps its own retries
        assert impatient.token_exchanges == client.token_exchanges == 1
    assert fake.token_exchanges == 1
    assert [r.status for r in calls_to(fake, order_path("ORD-1"))] == [503, 503, 200]
    assert clock.sleeps == [0.5]


@pytest.mark.anyio
async def test_a_views_deadline_bounds_its_calls(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    async with make_client(max_retries=10) as client:
        await client.orders.create("ORD-1")
        fake.inject("status", status=503, times=None)
        with pytest.raises(InternalServerError):
            await client.with_options(deadline=1.0).orders.get("ORD-1")
    assert clock.sleeps == [0.5]  # the next wait (1.0) would outlast the remaining 0.5 s


@pytest.mark.anyio
async def test_a_views_extra_headers_are_sent(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        tagged = client.with_options(extra_headers={"X-Team": "claims"})
        await tagged.orders.create("ORD-1")
        await tagged.orders.get("ORD-1", extra_headers={"X-Call": "1"})
        await client.orders.get("ORD-1")
    create, tagged_get, plain_get = fake.requests[1:]
    assert create.headers["x-team"] == "claims"
    assert (tagged_get.headers["x-team"], tagged_get.headers["x-call"]) == ("claims", "1")
    assert "x-team" not in plain_get.headers


@pytest.mark.anyio
async def test_closing_a_view_leaves_the_parent_open(
    fake: FakeImburse, clock: FakeClock, server: FakeServer
) -> None:
    client = AsyncImburse(
        public_key=fake.public_key,
        private_key=fake.private_key,
        account_id=fake.account_id,
        tenant_id=fake.tenant_id,
        base_url=server.url,
        wall_clock=clock.wall,
    )
    async with client:
        await client.orders.create("ORD-1")
        async with client.with_options(deadline=5) as view:
            await view.orders.get("ORD-1")
        await view.aclose()
        order = await client.orders.get("ORD-1")  # the shared pool is still open
        assert order.order_ref == "ORD-1"
    assert fake.token_exchanges == 1


@pytest.mark.anyio
async def test_leaving_the_context_manager_closes_the_pool(
    fake: FakeImburse, clock: FakeClock, server: FakeServer
) -> None:
    client = AsyncImburse(
        public_key=fake.public_key,
        private_key=fake.private_key,
        account_id=fake.account_id,
        tenant_id=fake.tenant_id,
        base_url=server.url,
        wall_clock=clock.wall,
    )
    async with client:
        await client.orders.create("ORD-1")
    with pytest.raises(Exception, match="closed"):
        await client.orders.get("ORD-1")
    await client.aclose()  # closing twice is harmless
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        del client
        gc.collect()


def _collect(objects: list[object]) -> None:
    objects.clear()
    gc.collect()


def test_an_unclosed_client_that_owns_its_pool_warns(fake: FakeImburse) -> None:
    clients: list[object] = [
        AsyncImburse(
            public_key=fake.public_key, private_key=fake.private_key, account_id=fake.account_id
        )
    ]
    clients.append(clients[0].with_options(deadline=5))  # type: ignore[attr-defined]
    with pytest.warns(ResourceWarning, match="not closed") as record:
        _collect(clients)
    assert len(record) == 1  # the view owns nothing, so only the client warns


@pytest.mark.anyio
async def test_the_callers_http_client_is_left_open(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with fake.async_client() as http:
        async with make_client(http_client=http) as client:
            await client.orders.create("ORD-1")
        await client.aclose()
        assert not http.is_closed
        response = await http.get(order_path("ORD-1"))  # still usable by its owner
        assert response.status_code == 401  # (no token: the fake answers, the pool works)


@pytest.mark.anyio
async def test_raw_get_exposes_the_http_details_and_the_order(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-1")
        fake.inject("status", status=503)
        raw = await client.orders.with_raw_response.get("ORD-1", correlation_id="cid-raw")
    assert raw.status_code == 200
    assert raw.headers["content-type"].startswith("application/json")
    assert raw.correlation_id == "cid-raw"
    assert raw.attempts == 2
    order = raw.parse()
    assert isinstance(order, Order)
    assert order.order_ref == "ORD-1"
    assert order.correlation_id == "cid-raw"


@pytest.mark.anyio
async def test_raw_create_returns_the_receipt(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        raw = await client.orders.with_raw_response.create("ORD-1", metadata={"k": "v"})
        fake.inject("drop_after", method="POST")
        reconciled = await client.orders.with_raw_response.create("ORD-2")
    receipt = raw.parse()
    assert isinstance(receipt, CreateReceipt)
    assert (raw.status_code, raw.attempts) == (201, 1)
    assert receipt.ref == "ORD-1"
    assert receipt.correlation_id == raw.correlation_id
    assert reconciled.status_code == 201
    assert reconciled.attempts == 2
    assert reconciled.parse().reconciled is True


@pytest.mark.anyio
async def test_raw_instruction_get(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-1")
        await client.instructions.create(
            "ORD-1",
            instruction_ref="INS-1",
            customer_ref="CUS-1",
            direction="CREDIT",
            amount="12.34",
            currency="EUR",
            country="IE",
        )
        raw = await client.instructions.with_raw_response.get("ORD-1", "INS-1")
    assert raw.status_code == 200
    assert raw.parse().customer_ref == "CUS-1"
    assert str(raw.parse().amount) == "12.34"
