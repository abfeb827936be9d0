"""Logs a user can read (one line per attempt) and secrets that never show anywhere."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from imburse import AsyncImburse, AuthenticationError, ImburseError
from imburse.testing import FakeImburse, FakeServer

from .helpers import TOKEN_PATH, FakeClock, calls_to, order_path

OTHER_PRIVATE_KEY = "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y="


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    for name in ("imburse", "httpx", "httpcore"):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


def _secrets(fake: FakeImburse, private_key: str) -> list[str]:
    """The private key, every HMAC signature and every bearer token the fake saw."""
    found = [private_key]
    for request in fake.requests:
        value = request.headers.get("authorization", "")
        if value.startswith("Hmac "):
            found.append(value.rsplit(":", 1)[1])
        elif value.startswith("Bearer "):
            found.append(value.removeprefix("Bearer "))
    return found


@pytest.mark.anyio
async def test_one_debug_line_per_attempt(
    make_client: Callable[..., AsyncImburse],
    fake: FakeImburse,
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-SECRET-REF")
        debug_logs.clear()
        fake.inject("status", status=503)
        order = await client.orders.get("ORD-SECRET-REF")
    lines = [
        r.getMessage()
        for r in debug_logs.records
        if r.name == "imburse" and "/v1/order-management" in r.getMessage()
    ]
    assert len(lines) == 2 == len(calls_to(fake, order_path("ORD-SECRET-REF")))
    first, second = lines
    for line in lines:
        assert "GET" in line
        assert "/v1/order-management/{orderRef}" in line  # the template, not the ref
        assert "ORD-SECRET-REF" not in line
        assert order.correlation_id is not None
        assert order.correlation_id in line
    assert "503" in first
    assert "attempt 1/3" in first
    assert "200" in second
    assert "attempt 2/3" in second


@pytest.mark.anyio
async def test_connection_failures_are_logged_per_attempt(
    make_client: Callable[..., AsyncImburse],
    fake: FakeImburse,
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    async with make_client() as client:
        await client.orders.create("ORD-1")
        debug_logs.clear()
        fake.inject("drop_before", times=2)
        await client.orders.get("ORD-1", correlation_id="cid-log")
    lines = [r.getMessage() for r in debug_logs.records if r.name == "imburse"]
    assert [("cid-log" in line, f"attempt {n}/3" in line) for n, line in enumerate(lines, 1)] == [
        (True, True)
    ] * 3


@pytest.mark.anyio
async def test_secrets_never_reach_logs_or_errors(
    make_client: Callable[..., AsyncImburse],
    fake: FakeImburse,
    clock: FakeClock,
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    errors: list[ImburseError] = []
    async with make_client(max_retries=1) as client:
        await client.orders.create("ORD-1", metadata={"k": "v"})
        fake.revoke_tokens()
        await client.orders.get("ORD-1")  # 401, new exchange, retry
        fake.inject("status", status=401, times=None, path="order-management")
        with pytest.raises(AuthenticationError) as refused_get:
            await client.orders.get("ORD-1")
        with pytest.raises(AuthenticationError) as refused_create:
            await client.orders.create("ORD-1")
        fake.clear_faults()
        fake.inject("status", status=503, times=None)
        with pytest.raises(ImburseError) as unavailable:
            await client.orders.get("ORD-1")
        errors += [refused_get.value, refused_create.value, unavailable.value]
    async with make_client(private_key=OTHER_PRIVATE_KEY) as wrong:
        with pytest.raises(AuthenticationError) as caught:
            await wrong.orders.get("ORD-1")
        errors.append(caught.value)
    assert len(errors) == 4
    secrets = _secrets(fake, fake.private_key) + _secrets(fake, OTHER_PRIVATE_KEY)
    assert len(secrets) > 5
    shown = debug_logs.text + "".join(str(err) + repr(err) + repr(err.__dict__) for err in errors)
    assert "imburse" in {r.name for r in debug_logs.records}
    for secret in secrets:
        assert secret not in shown


@pytest.mark.anyio
async def test_secrets_stay_out_of_httpx_and_httpcore_logs_over_real_http(
    fake: FakeImburse,
    clock: FakeClock,
    server: FakeServer,
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    async with AsyncImburse(
        public_key=fake.public_key,
        private_key=fake.private_key,
        account_id=fake.account_id,
        tenant_id=fake.tenant_id,
        base_url=server.url,
        wall_clock=clock.wall,
    ) as client:
        await client.orders.create("ORD-1")
        await client.orders.get("ORD-1")
    # Whatever the HTTP stack logs at DEBUG (httpx, httpcore...) is captured too.
    assert "imburse" in {r.name for r in debug_logs.records}
    assert len(debug_logs.records) > 4
    assert len(calls_to(fake, TOKEN_PATH)) == 1
    for secret in _secrets(fake, fake.private_key):
        assert secret not in debug_logs.text


@pytest.mark.anyio
async def test_each_attempt_line_names_the_operation_and_elapsed_time(
    make_client: Callable[..., AsyncImburse],
    fake: FakeImburse,
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    """0.1.0: ``GET /v1/order-management/{orderRef} -> 503 (attempt 1/3, ...)`` only."""
    async with make_client() as client:
        await client.orders.create("ORD-1")
        debug_logs.clear()
        fake.inject("status", status=503)
        await client.orders.get("ORD-1", correlation_id="cid-op")
    lines = [r.getMessage() for r in debug_logs.records if "cid-op" in r.getMessage()]
    assert len(lines) == 2
    for line in lines:
        assert line.startswith("orders.get: GET /v1/order-management/{orderRef} -> ")
        assert " ms into the call" in line
    assert "-> 503 (attempt 1/3" in lines[0]
    assert "retry in 0.500 s" in lines[0]
    assert "-> 200 (attempt 2/3" in lines[1]


@pytest.mark.anyio
async def test_a_failed_attempt_line_gives_the_reason(
    make_client: Callable[..., AsyncImburse],
    fake: FakeImburse,
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    """0.1.0: ``-> no response``, whatever went wrong."""
    async with make_client() as client:
        await client.orders.create("ORD-1")
        debug_logs.clear()
        fake.inject("drop_before", times=1)
        await client.orders.get("ORD-1", correlation_id="cid-drop")
    lines = [r.getMessage() for r in debug_logs.records if "cid-drop" in r.getMessage()]
    assert "no response" not in lines[0]
    assert "-> failed: " in lines[0]
    assert lines[0].split("-> failed: ", 1)[1].split(" ")[0]  # the failure's kind
    assert "-> 200" in lines[1]


@pytest.mark.anyio
async def test_the_token_line_says_imburse_once(
    make_client: Callable[..., AsyncImburse],
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    """0.1.0: ``imburse imburse token exchanged`` once formatted with the logger's name."""
    async with make_client() as client:
        await client.orders.create("ORD-1")
    records = [r for r in debug_logs.records if "token exchanged" in r.getMessage()]
    assert len(records) == 1
    formatted = logging.Formatter("%(name)s %(message)s").format(records[0])
    assert formatted.startswith("imburse token exchanged (expires_at=")
    assert formatted.count("imburse") == 1
    assert "correlation_id=" in formatted
