"""The httpx adapters' own connection pool (``imburse._async.connections``), async side.

Each request gets a connection for itself alone; requests beyond the limit wait their turn up
to the pool timeout; idle connections are reused most recent first, probed once as they are
taken (a connection the server closed, or one idle past the keep-alive expiry, is closed and
replaced, never used). Run against a threaded HTTP/1.1 server on 127.0.0.1, on asyncio and
trio, with httpcore and (when installed) httpcore2. The sync twin, under threads:
``tests/pool/test_sync_pool.py``.
"""

from __future__ import annotations

import time
from types import ModuleType
from typing import Any

import anyio
import pytest

from imburse._async.connections import AsyncOriginPool
from imburse._netbackends import async_network_backend
from tests.pool.threaded_http import BODY, MakeServer, Server, order_url, pool_options

pytestmark = pytest.mark.anyio


def _pool(core: ModuleType, server: Server, **options: Any) -> AsyncOriginPool:
    settings = pool_options(async_network_backend(core), **options)
    return AsyncOriginPool(core, core.Origin(b"http", b"127.0.0.1", server.port), **settings)


async def _get(
    core: ModuleType, pool: AsyncOriginPool, server: Server, pool_timeout: float = 5
) -> bytes:
    url = order_url(core, server)
    timeouts = {"connect": 5, "read": 5, "write": 5, "pool": pool_timeout}
    async with pool.stream(
        "GET",
        url,
        headers=[(b"Host", f"127.0.0.1:{server.port}".encode())],
        content=None,
        extensions={"timeout": timeouts},
    ) as response:
        assert response.status == 200
        body: bytes = await response.aread()
        return body


async def test_requests_beyond_the_limit_wait_their_turn_on_that_many_connections(
    core: ModuleType, server: MakeServer
) -> None:
    served = server(delay=0.01)
    pool = _pool(core, served, max_connections=3, max_keepalive_connections=3)
    bodies: list[bytes] = []

    async def one() -> None:
        bodies.append(await _get(core, pool, served))

    with anyio.fail_after(20):
        async with anyio.create_task_group() as tg:
            for _ in range(30):
                tg.start_soon(one)
    assert bodies == [BODY] * 30
    assert served.connections == 3
    assert sum(served.answers) == 30
    assert pool.requests == 0
    assert len(pool.connections) == 3
    assert all(connection.is_idle() for connection in pool.connections)
    await pool.aclose()
    assert pool.connections == []


async def test_a_request_waiting_past_the_pool_timeout_fails_with_pool_timeout(
    core: ModuleType, server: MakeServer
) -> None:
    served = server(delay=1.0)
    pool = _pool(core, served, max_connections=1, max_keepalive_connections=1)
    async with anyio.create_task_group() as tg:
        tg.start_soon(_get, core, pool, served)
        await anyio.sleep(0.1)  # the one connection is taken
        started = time.monotonic()
        with pytest.raises(core.PoolTimeout):
            await _get(core, pool, served, pool_timeout=0.1)
        assert 0.09 < time.monotonic() - started < 0.9
        assert pool.requests == 1  # the first one, still on the wire
    assert pool.requests == 0
    assert served.connections == 1
    await pool.aclose()


async def test_a_connection_the_server_closed_while_idle_is_replaced_not_used(
    core: ModuleType, server: MakeServer
) -> None:
    served = server(close_after_answer=True)
    pool = _pool(core, served)
    for _ in range(5):
        assert await _get(core, pool, served) == BODY
        await anyio.sleep(0.05)  # the server's close reaches this side
    assert served.connections == 5
    assert served.answers == [1] * 5
    assert len(pool.connections) <= 1
    await pool.aclose()


async def test_an_idle_connection_past_the_keepalive_expiry_is_closed_not_used(
    core: ModuleType, server: MakeServer
) -> None:
    served = server()
    pool = _pool(core, served, keepalive_expiry=0.1)
    await _get(core, pool, served)
    first = pool.connections[0]
    await anyio.sleep(0.2)
    await _get(core, pool, served)
    assert served.answers == [1, 1]
    assert first.is_closed()
    assert pool.connections != [first]
    await pool.aclose()


async def test_the_oldest_idle_connections_are_closed_as_they_expire(
    core: ModuleType, server: MakeServer
) -> None:
    served = server(delay=0.05)
    pool = _pool(core, served, keepalive_expiry=0.3)
    async with anyio.create_task_group() as tg:  # three connections, then idle
        for _ in range(3):
            tg.start_soon(_get, core, pool, served)
    assert len(pool.connections) == 3
    await anyio.sleep(0.35)
    await _get(core, pool, served)  # takes one; its return sweeps the expired ones
    assert served.connections == 4
    assert len(pool.connections) == 1
    await pool.aclose()


async def test_the_most_recently_used_connection_is_taken_first(
    core: ModuleType, server: MakeServer
) -> None:
    served = server(delay=0.05)
    pool = _pool(core, served)
    async with anyio.create_task_group() as tg:  # two connections, one answer each
        for _ in range(2):
            tg.start_soon(_get, core, pool, served)
    for _ in range(6):  # one at a time: always the same (last returned) connection
        await _get(core, pool, served)
    assert sorted(served.answers) == [1, 7]
    await pool.aclose()


async def test_a_response_left_unread_closes_its_connection_and_frees_its_slot(
    core: ModuleType, server: MakeServer
) -> None:
    served = server(body=b"x" * 1_000_000)
    pool = _pool(core, served, max_connections=1, max_keepalive_connections=1)
    url = order_url(core, served)
    async with pool.stream(
        "GET", url, headers=[(b"Host", b"127.0.0.1")], content=None, extensions={}
    ) as response:
        assert response.status == 200  # the body is never read
    assert pool.connections == []  # it could not be reused: closed
    assert pool.requests == 0
    with anyio.fail_after(5):  # the one slot is free again
        assert len(await _get(core, pool, served)) == 1_000_000
    assert served.connections == 2
    await pool.aclose()


async def test_closing_the_pool_closes_connections_in_use(
    core: ModuleType, server: MakeServer
) -> None:
    served = server(delay=5)
    pool = _pool(core, served)
    failures: list[BaseException] = []

    async def one() -> None:
        try:
            await _get(core, pool, served)
        except Exception as exc:  # what the request ends with is the point
            failures.append(exc)

    with anyio.fail_after(4):
        async with anyio.create_task_group() as tg:
            tg.start_soon(one)
            await anyio.sleep(0.1)
            busy = pool.connections
            assert len(busy) == 1
            await pool.aclose()
    assert busy[0].is_closed()
    assert len(failures) == 1  # the request in flight failed, and did not hang
    assert pool.connections == []


async def test_the_idle_probe_sees_a_connection_the_server_closed(
    core: ModuleType, server: MakeServer
) -> None:
    served = server(close_after_answer=True)
    backend = async_network_backend(core)
    stream = await backend.connect_tcp("127.0.0.1", served.port)
    assert stream.get_extra_info("is_readable") is False  # open, nothing sent: reusable
    await stream.write(b"GET /v1/x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    answer = b""
    while not answer.endswith(BODY):
        answer += await stream.read(65536)
    with anyio.fail_after(5):
        while not stream.get_extra_info("is_readable"):  # noqa: ASYNC110 - polling the probe is the test
            await anyio.sleep(0.01)
    await stream.aclose()
    assert stream.get_extra_info("is_readable") is True  # closed: never reused
