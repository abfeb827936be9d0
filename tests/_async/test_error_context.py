"""Errors say which call failed and why: operation, path parameters, host, the reason for
giving up, and (for the token exchange) what to check.

On 0.1.0 the messages were ``404 ORDER_NOT_FOUND: Order not found. (correlation_id=...)``,
``connection failed (ConnectError)``, ``rate limited`` without the numbers and a bare 401
for a refused exchange: each test below fails there.
"""

from __future__ import annotations

import socket
from collections.abc import Callable

import pytest

from imburse import (
    APIConnectionError,
    AsyncImburse,
    AuthenticationError,
    NotFoundError,
    RateLimitError,
)
from imburse.testing import FakeImburse

from .helpers import FakeClock

OTHER_PRIVATE_KEY = "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y="


@pytest.mark.anyio
async def test_a_not_found_error_names_the_operation_and_its_path_parameters(
    make_client: Callable[..., AsyncImburse],
) -> None:
    async with make_client() as client:
        with pytest.raises(NotFoundError) as caught:
            await client.orders.get("ORD-MISSING", correlation_id="cid-1")
        assert client.token_exchanges == 1
    err = caught.value
    assert err.operation == "orders.get"
    assert err.path_params == {"order_ref": "ORD-MISSING"}
    assert "(orders.get order_ref='ORD-MISSING'; correlation_id=cid-1" in str(err)


@pytest.mark.anyio
async def test_a_not_found_instruction_names_both_refs(
    make_client: Callable[..., AsyncImburse],
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-1")
        with pytest.raises(NotFoundError) as caught:
            await client.instructions.get("ORD-1", "INS-9")
    assert caught.value.path_params == {"order_ref": "ORD-1", "instruction_ref": "INS-9"}
    assert "order_ref='ORD-1' instruction_ref='INS-9'" in str(caught.value)


@pytest.mark.anyio
async def test_a_refused_connection_names_the_host(fake: FakeImburse) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with AsyncImburse(
        public_key=fake.public_key,
        private_key=fake.private_key,
        account_id=fake.account_id,
        tenant_id=fake.tenant_id,
        base_url=f"http://127.0.0.1:{port}",
        max_retries=0,
    ) as client:
        with pytest.raises(APIConnectionError) as caught:
            await client.orders.get("ORD-1")
        assert client.token_exchanges == 0
    err = caught.value
    assert err.host == f"127.0.0.1:{port}"
    assert f"could not reach 127.0.0.1:{port}" in str(err)
    # The operating system's refusal is chained, without the frames that held the request.
    assert isinstance(err.__cause__, OSError)
    assert err.__cause__.__traceback__ is None
    # The exchange failed first: the error is the token call's.
    assert err.operation == "identity.token"


@pytest.mark.anyio
async def test_a_rate_limit_given_up_at_once_says_why(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-A")
        fake.inject("status", status=429, retry_after="120", path="ORD-A")
        with pytest.raises(RateLimitError) as caught:
            await client.orders.get("ORD-A", deadline=5)
    err = caught.value
    assert err.retry_after == pytest.approx(120.0)
    assert "gave up at once: Retry-After 120 s exceeds the 5 s left before the deadline" in str(err)
    assert err.operation == "orders.get"
    assert clock.sleeps == []


@pytest.mark.anyio
async def test_a_call_waiting_on_the_cooldown_past_its_deadline_says_so(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-A")
        fake.inject("status", status=429, retry_after="30", path="ORD-A")
        with pytest.raises(RateLimitError):
            await client.orders.get("ORD-A", deadline=10)
        with pytest.raises(RateLimitError) as caught:
            await client.orders.get("ORD-B", deadline=10)
    assert "gave up at once" in str(caught.value)
    assert "s left before the deadline" in str(caught.value)
    assert caught.value.path_params == {"order_ref": "ORD-B"}


@pytest.mark.anyio
async def test_a_refused_token_exchange_says_so_and_names_the_public_key_only(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client(private_key=OTHER_PRIVATE_KEY) as client:
        with pytest.raises(AuthenticationError) as caught:
            await client.orders.get("ORD-1")
        assert client.token_exchanges == 0  # refused: no token
    text = str(caught.value)
    assert "token exchange was refused" in text
    assert f"public key {fake.public_key[:8]}..." in text
    assert "private key are a pair" in text
    assert fake.public_key not in text  # a prefix, enough to tell keys apart
    assert OTHER_PRIVATE_KEY not in text
    assert fake.private_key not in text
    assert caught.value.operation == "identity.token"
