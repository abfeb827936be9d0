"""Guards: cancellation leaks nothing, a client refuses a second event loop and a closed
state, and a client survives ``os.fork()`` with a pool (and locks) of its own.

Everything runs against the fake Imburse over real HTTP on 127.0.0.1, so the connection
pool is httpx's real one and can be inspected. The fork scenarios run in a fresh
interpreter (``fork_scenarios.py``), never in the pytest process itself.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import subprocess
import sys
import threading
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from imburse import AsyncImburse, ClientStateError, Imburse, ImburseError
from imburse._guards import AsyncCallerGuard, CallerGuard
from imburse.testing import FakeImburse, FakeServer

TOKEN_PATH = "/v1/identity/hmac"
SCENARIOS = Path(__file__).with_name("fork_scenarios.py")


def settings(fake: FakeImburse, server: FakeServer, **extra: Any) -> dict[str, Any]:
    return {
        "public_key": fake.public_key,
        "private_key": fake.private_key,
        "account_id": fake.account_id,
        "tenant_id": fake.tenant_id,
        "base_url": server.url,
        **extra,
    }


@pytest.fixture
def abandon() -> Iterator[list[AsyncImburse]]:
    """Clients whose pool belongs to a finished event loop: it cannot be closed any more.

    They are marked closed and collected here, their sockets' ResourceWarnings silenced
    (closing them is exactly what the loop they belong to can no longer do).
    """
    clients: list[AsyncImburse] = []
    yield clients
    for client in clients:
        client._pipeline.guard.closed = client._closed = True
    clients.clear()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


def pool_of(client: AsyncImburse | Imburse) -> Any:
    """The httpcore connection pool the client's transport owns."""
    transport: Any = client._pipeline.transport
    return transport.pools()[0]


def busy(pool: Any) -> list[Any]:
    """Connections neither idle nor closed: in use by a request that still runs."""
    return [c for c in pool.connections if not c.is_idle() and not c.is_closed()]


# --- cancellation -----------------------------------------------------------------------------


@pytest.mark.anyio
async def test_a_call_cancelled_mid_request_leaves_no_connection_behind(
    fake: FakeImburse, server: FakeServer
) -> None:
    async with AsyncImburse(**settings(fake, server)) as client:
        await client.orders.create("ORD-1")
        pool = pool_of(client)
        fake.inject("latency", method="GET", delay=5, times=20)  # the server sits on them
        for _ in range(20):
            with anyio.move_on_after(0.05) as scope:
                await client.orders.get("ORD-1")
            assert scope.cancelled_caught
        assert busy(pool) == []
        assert pool.requests == 0  # none holds a connection or waits for one
        assert len(pool.connections) <= 1  # the keep-alive one from the create, at most
        fake.clear_faults()  # faults the server never got to use
        with anyio.fail_after(5):
            order = await client.orders.get("ORD-1")
        assert order.order_ref == "ORD-1"
    assert fake.token_exchanges == 1


@pytest.mark.anyio
async def test_cancelling_many_calls_in_flight_returns_the_pool_to_rest(
    fake: FakeImburse, server: FakeServer
) -> None:
    async with AsyncImburse(**settings(fake, server)) as client:
        await client.orders.create("ORD-1")
        pool = pool_of(client)
        fake.inject("stall", method="GET", delay=5, times=50)
        async with anyio.create_task_group() as tg:
            for _ in range(50):
                tg.start_soon(client.orders.get, "ORD-1")
            with anyio.fail_after(10):  # all of them really are on the wire
                while len(busy(pool)) < 50:  # noqa: ASYNC110 - polling httpcore's state
                    await anyio.sleep(0.02)
            tg.cancel_scope.cancel()
        assert busy(pool) == []
        assert pool.requests == 0  # none holds a connection or waits for one
        fake.clear_faults()
        with anyio.fail_after(5):
            await client.orders.get("ORD-1")


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_an_asyncio_task_cancelled_mid_request_leaves_no_connection_behind(
    fake: FakeImburse, server: FakeServer
) -> None:
    async with AsyncImburse(**settings(fake, server)) as client:
        await client.orders.create("ORD-1")
        pool = pool_of(client)
        fake.inject("stall", method="GET", delay=5, times=10)
        tasks = [asyncio.ensure_future(client.orders.get("ORD-1")) for _ in range(10)]
        await asyncio.sleep(0.2)
        for task in tasks:
            task.cancel()
        results = await asyncio.gather(*tasks, return_exceptions=True)
        assert all(isinstance(r, asyncio.CancelledError) for r in results)
        assert busy(pool) == []
        assert pool.requests == 0  # none holds a connection or waits for one
        fake.clear_faults()
        order = await asyncio.wait_for(client.orders.get("ORD-1"), 5)
        assert order.order_ref == "ORD-1"


@pytest.mark.anyio
async def test_a_token_exchange_cancelled_mid_request_is_not_stuck(
    fake: FakeImburse, server: FakeServer
) -> None:
    fake.inject("latency", path=TOKEN_PATH, delay=5)  # only the first exchange hangs
    async with AsyncImburse(**settings(fake, server)) as client:
        async with anyio.create_task_group() as tg:  # 10 callers wait on one exchange
            for n in range(10):
                tg.start_soon(client.orders.create, f"ORD-{n}")
            await anyio.sleep(0.2)
            tg.cancel_scope.cancel()
        assert busy(pool_of(client)) == []  # (the pool was made for the first exchange)
        assert not client._pipeline.tokens._lock._lock.locked()
        with anyio.fail_after(3):  # a new exchange, not a wait on the abandoned one
            await client.orders.create("ORD-A")
        assert client.token_exchanges == 1
    assert sorted(fake.orders) == ["ORD-A"]


# --- closed clients ---------------------------------------------------------------------------


@pytest.mark.anyio
async def test_a_closed_async_client_and_its_views_raise_client_state_error(
    fake: FakeImburse, server: FakeServer
) -> None:
    client = AsyncImburse(**settings(fake, server))
    view = client.with_options(deadline=5)
    async with client:
        await client.orders.create("ORD-1")
    for closed in (client, view, client.with_options(max_retries=0)):
        with pytest.raises(ClientStateError, match="closed") as info:
            await closed.orders.get("ORD-1")
        assert isinstance(info.value, ImburseError)
        assert isinstance(info.value, RuntimeError)  # what httpx raised before: still caught


@pytest.mark.anyio
async def test_a_closed_client_refuses_calls_even_on_the_callers_open_http_client(
    fake: FakeImburse, server: FakeServer
) -> None:
    async with httpx.AsyncClient() as http:
        async with AsyncImburse(**settings(fake, server), http_client=http) as client:
            await client.orders.create("ORD-1")
        requests = len(fake.requests)
        with pytest.raises(ClientStateError):
            await client.orders.get("ORD-1")
        assert len(fake.requests) == requests  # refused before anything was sent
        assert not http.is_closed


def test_a_closed_sync_client_raises_client_state_error(
    fake: FakeImburse, server: FakeServer
) -> None:
    with Imburse(**settings(fake, server)) as client:
        client.orders.create("ORD-1")
    with pytest.raises(ClientStateError, match="closed"):
        client.orders.get("ORD-1")
    with pytest.raises(ClientStateError):
        client.with_options(deadline=1).instructions.get("ORD-1", "I-1")


# --- one event loop per async client ----------------------------------------------------------


def _second_loop_error(client: AsyncImburse, backend: str) -> BaseException | None:
    async def call() -> None:
        await client.orders.get("ORD-1")

    try:
        anyio.run(call, backend=backend)
    except BaseException as err:  # what a user would see
        return err
    return None


@pytest.mark.parametrize("second", ["asyncio", "trio"])
def test_an_async_client_used_from_a_second_event_loop_raises_a_clear_error(
    fake: FakeImburse, server: FakeServer, second: str, abandon: list[AsyncImburse]
) -> None:
    client = AsyncImburse(**settings(fake, server))
    abandon.append(client)

    async def first() -> None:
        await client.orders.create("ORD-1")
        await client.orders.get("ORD-1")

    anyio.run(first, backend="asyncio")
    requests = len(fake.requests)
    error = _second_loop_error(client, second)
    assert isinstance(error, ClientStateError), repr(error)
    assert "event loop" in str(error)
    assert len(fake.requests) == requests


def test_an_async_client_used_from_another_threads_loop_raises_a_clear_error(
    fake: FakeImburse, server: FakeServer, abandon: list[AsyncImburse]
) -> None:
    client = AsyncImburse(**settings(fake, server))
    abandon.append(client)
    anyio.run(client.orders.create, "ORD-1")
    errors: list[BaseException | None] = []
    thread = threading.Thread(target=lambda: errors.append(_second_loop_error(client, "asyncio")))
    thread.start()
    thread.join(10)
    assert len(errors) == 1
    assert isinstance(errors[0], ClientStateError)


def test_without_the_loop_guard_a_second_loop_fails_obscurely(
    fake: FakeImburse,
    server: FakeServer,
    monkeypatch: pytest.MonkeyPatch,
    abandon: list[AsyncImburse],
) -> None:
    """The guard's test has teeth: with the loop check removed the error is httpx's own."""
    monkeypatch.setattr(AsyncCallerGuard, "check", CallerGuard.check)
    client = AsyncImburse(**settings(fake, server))
    abandon.append(client)
    anyio.run(client.orders.create, "ORD-1")
    error = _second_loop_error(client, "asyncio")
    assert error is not None
    assert not isinstance(error, ImburseError)
    assert "Event loop is closed" in str(error)


@pytest.mark.anyio
async def test_many_tasks_of_one_loop_share_a_client_freely(
    fake: FakeImburse, server: FakeServer
) -> None:
    async with AsyncImburse(**settings(fake, server)) as client, anyio.create_task_group() as tg:
        for n in range(30):
            tg.start_soon(client.orders.create, f"ORD-{n}")
    assert len(fake.orders) == 30


# --- fork -------------------------------------------------------------------------------------


def _fork_scenario(name: str, **env: str) -> dict[str, Any]:
    """Run one scenario of ``fork_scenarios.py`` in a fresh interpreter; its JSON result."""
    done = subprocess.run(  # noqa: S603 - this interpreter, our own script
        [sys.executable, str(SCENARIOS), name],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


fork_only = pytest.mark.skipif(not hasattr(os, "fork"), reason="os.fork is POSIX only")


@fork_only
def test_a_forked_sync_client_gets_its_own_pool() -> None:
    result = _fork_scenario("sync_pool")
    assert result["child_errors"] == []
    assert result["parent_errors"] == []
    assert result["child_pool_is_new"]
    assert set(result["child_ports"]).isdisjoint(result["parent_ports"])
    assert result["child_calls"] == result["parent_calls"] == 100


@fork_only
def test_a_forked_sync_client_is_not_stuck_on_a_lock_held_at_the_fork() -> None:
    result = _fork_scenario("sync_lock")
    assert result == {"child": "ok", "exchanges_in_child": 1}


@fork_only
def test_a_forked_async_client_runs_on_the_childs_event_loop() -> None:
    result = _fork_scenario("async_pool")
    assert result["child"] == "ok"
    assert result["child_pool_is_new"]
    assert result["parent_second_loop"] == "ClientStateError"


@fork_only
def test_without_the_fork_guard_the_child_deadlocks_on_the_parents_lock() -> None:
    """The fork test has teeth: with the guard switched off the child is stuck."""
    result = _fork_scenario("sync_lock", IMBURSE_TEST_NO_FORK_GUARD="1")
    assert result["child"] == "stuck"


@fork_only
def test_without_the_fork_guard_parent_and_child_share_sockets() -> None:
    result = _fork_scenario("sync_pool", IMBURSE_TEST_NO_FORK_GUARD="1")
    assert not result["child_pool_is_new"]
    assert result["child_ports"] == result["parent_ports"]  # the child's call used them
