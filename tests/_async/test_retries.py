"""Retries: what is repeated, how long the client waits, and the ids a user can trace."""

from __future__ import annotations

from collections.abc import Callable
from email.utils import formatdate

import pytest

from imburse import (
    APIConnectionError,
    AsyncImburse,
    BadRequestError,
    InternalServerError,
    RateLimitError,
    ValidationError,
)
from imburse.testing import FakeImburse

from .helpers import ORDERS_PATH, WALL_START, FakeClock, calls_to, order_path


async def _with_order(client: AsyncImburse, ref: str = "ORD-1") -> None:
    await client.orders.create(ref)


@pytest.mark.anyio
async def test_503_then_success_takes_two_attempts_after_half_a_second(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    async with make_client() as client:
        await _with_order(client)
        fake.inject("status", status=503)
        order = await client.orders.get("ORD-1")
    assert order.order_ref == "ORD-1"
    assert [r.status for r in calls_to(fake, order_path("ORD-1"))] == [503, 200]
    assert clock.sleeps == [0.5]


@pytest.mark.anyio
async def test_backoff_doubles_between_attempts(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    async with make_client() as client:
        await _with_order(client)
        fake.inject("status", status=502, times=2)
        await client.orders.get("ORD-1")
    assert [r.status for r in calls_to(fake, order_path("ORD-1"))] == [502, 502, 200]
    assert clock.sleeps == [0.5, 1.0]


@pytest.mark.anyio
async def test_every_attempt_carries_the_callers_correlation_id(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await _with_order(client)
        fake.inject("status", status=503, times=2)
        order = await client.orders.get("ORD-1", correlation_id="my-trace-42")
    sent = [r.headers["x-correlation-id"] for r in calls_to(fake, order_path("ORD-1"))]
    assert sent == ["my-trace-42"] * 3
    assert order.correlation_id == "my-trace-42"


@pytest.mark.anyio
async def test_a_generated_correlation_id_is_made_once_per_call(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await _with_order(client)
        fake.inject("status", status=503)
        first = await client.orders.get("ORD-1")
        second = await client.orders.get("ORD-1")
    sent = [r.headers["x-correlation-id"] for r in calls_to(fake, order_path("ORD-1"))]
    assert sent == [first.correlation_id, first.correlation_id, second.correlation_id]
    assert first.correlation_id != second.correlation_id
    assert first.correlation_id


@pytest.mark.anyio
async def test_errors_expose_the_correlation_id_sent_and_the_servers_trace_id(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await _with_order(client)
        fake.inject("status", status=503, times=None)
        with pytest.raises(InternalServerError) as caught:
            await client.orders.get("ORD-1", correlation_id="my-trace-7")
    err = caught.value
    assert err.status_code == 503
    assert err.correlation_id == "my-trace-7"
    assert err.server_correlation_id  # Imburse's own trace id, from the error body
    assert "my-trace-7" in str(err)
    assert err.server_correlation_id in str(err)
    assert len(calls_to(fake, order_path("ORD-1"))) == 3  # default: 2 retries


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry_after": "2"}, 2.0),
        ({"retry_after": "0.25"}, 0.25),
        ({"retry_after": formatdate(WALL_START + 3, usegmt=True)}, 3.0),
        ({"retry_after_ms": "1500"}, 1.5),
        ({"retry_after": "9", "retry_after_ms": "120"}, 0.12),
    ],
    ids=["seconds", "fractional", "http-date", "retry-after-ms", "ms-wins"],
)
@pytest.mark.parametrize("status", [429, 503])
@pytest.mark.anyio
async def test_retry_after_is_honoured_exactly(
    make_client: Callable[..., AsyncImburse],
    fake: FakeImburse,
    clock: FakeClock,
    status: int,
    headers: dict[str, str],
    expected: float,
) -> None:
    async with make_client() as client:
        await _with_order(client)
        fake.inject("status", status=status, **headers)  # type: ignore[arg-type]
        await client.orders.get("ORD-1")
    assert [r.status for r in calls_to(fake, order_path("ORD-1"))] == [status, 200]
    assert clock.sleeps == [expected]


@pytest.mark.anyio
async def test_retry_after_past_the_deadline_fails_at_once(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    async with make_client() as client:
        await _with_order(client)
        fake.inject("status", status=429, retry_after="30")
        with pytest.raises(RateLimitError) as caught:
            await client.orders.get("ORD-1", deadline=10)
    assert caught.value.retry_after == 30.0
    assert caught.value.status_code == 429
    assert clock.sleeps == []
    assert len(calls_to(fake, order_path("ORD-1"))) == 1


@pytest.mark.anyio
async def test_max_retries_zero_makes_a_single_attempt(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    async with make_client() as client:
        await _with_order(client)
        fake.inject("status", status=503, times=None)
        with pytest.raises(InternalServerError):
            await client.orders.get("ORD-1", max_retries=0)
    assert len(calls_to(fake, order_path("ORD-1"))) == 1
    assert clock.sleeps == []


@pytest.mark.anyio
async def test_max_retries_on_the_client_is_the_default(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    async with make_client(max_retries=4) as client:
        await _with_order(client)
        fake.inject("status", status=503, times=None)
        with pytest.raises(InternalServerError):
            await client.orders.get("ORD-1")
    assert len(calls_to(fake, order_path("ORD-1"))) == 5
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0]


@pytest.mark.anyio
async def test_400_is_not_retried(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    async with make_client() as client:
        await _with_order(client)
        fake.inject("status", status=400)
        with pytest.raises(BadRequestError) as caught:
            await client.orders.get("ORD-1")
    assert caught.value.status_code == 400
    assert len(calls_to(fake, order_path("ORD-1"))) == 1
    assert clock.sleeps == []


@pytest.mark.anyio
async def test_refused_connection_on_a_read_is_retried(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    async with make_client() as client:
        await _with_order(client)
        fake.inject("drop_before")
        order = await client.orders.get("ORD-1")
    assert order.order_ref == "ORD-1"
    assert [r.fault for r in calls_to(fake, order_path("ORD-1"))] == ["drop_before", None]
    assert clock.sleeps == [0.5]


@pytest.mark.anyio
async def test_dropped_answer_on_a_read_is_retried(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    async with make_client() as client:
        await _with_order(client)
        fake.inject("drop_after")
        await client.orders.get("ORD-1")
    assert len(calls_to(fake, order_path("ORD-1"))) == 2
    assert clock.sleeps == [0.5]


@pytest.mark.anyio
async def test_connection_errors_surface_after_the_retries(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await _with_order(client)
        fake.inject("drop_before", times=None)
        with pytest.raises(APIConnectionError) as caught:
            await client.orders.get("ORD-1", correlation_id="cid-conn")
    assert caught.value.correlation_id == "cid-conn"
    assert "cid-conn" in str(caught.value)


@pytest.mark.anyio
async def test_extra_headers_go_on_the_wire(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-1", extra_headers={"X-Request-Source": "batch-7"})
        await client.orders.get("ORD-1", extra_headers={"X-Request-Source": "ui"})
        await client.orders.get("ORD-1")
    create, get_with, get_without = (r for r in fake.requests if r.path.startswith(ORDERS_PATH))
    assert create.headers["x-request-source"] == "batch-7"
    assert get_with.headers["x-request-source"] == "ui"
    assert "x-request-source" not in get_without.headers


@pytest.mark.anyio
async def test_extra_headers_cannot_replace_the_authorization(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        with pytest.raises(ValidationError) as caught:
            await client.orders.get("ORD-1", extra_headers={"Authorization": "Bearer mine"})
        assert client.token_exchanges == 0
    assert caught.value.field == "extra_headers"
    assert fake.requests == []
