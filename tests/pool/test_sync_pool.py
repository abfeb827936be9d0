"""The sync client's connection pool (``imburse._sync.connections``, generated from the async
one) under threads: each request has its connection to itself, requests beyond the limit
wait their turn up to the pool timeout, a connection the server closed or one idle past the
keep-alive expiry is replaced, and every wait is bounded by the call's deadline (the sync
network backend). The async side: ``tests/pool/test_async_pool.py``.
"""

from __future__ import annotations

import threading
import time
from types import ModuleType
from typing import Any

import pytest

from imburse._deadline import Deadline
from imburse._netbackends import sync_network_backend
from imburse._sync.connections import OriginPool
from tests.pool.threaded_http import BODY, MakeServer, Server, order_url, pool_options


def _pool(core: ModuleType, server: Server, **options: Any) -> OriginPool:
    settings = pool_options(sync_network_backend(core), **options)
    return OriginPool(core, core.Origin(b"http", b"127.0.0.1", server.port), **settings)


def _get(core: ModuleType, pool: OriginPool, server: Server, pool_timeout: float = 5) -> bytes:
    url = order_url(core, server)
    timeouts = {"connect": 5, "read": 5, "write": 5, "pool": pool_timeout}
    with pool.stream(
        "GET",
        url,
        headers=[(b"Host", f"127.0.0.1:{server.port}".encode())],
        content=None,
        extensions={"timeout": timeouts},
    ) as response:
        assert response.status == 200
        body: bytes = response.read()
        return body


def _in_threads(count: int, work: Any) -> list[Any]:
    results: list[Any] = []

    def run() -> None:
        try:
            results.append(work())
        except Exception as exc:  # what each thread ends with is the point
            results.append(exc)

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    return results


def test_threads_beyond_the_limit_wait_their_turn_on_that_many_connections(
    core: ModuleType, server: MakeServer
) -> None:
    served = server(delay=0.01)
    pool = _pool(core, served, max_connections=3, max_keepalive_connections=3)
    results = _in_threads(30, lambda: _get(core, pool, served))
    assert results == [BODY] * 30
    assert served.connections == 3
    assert pool.requests == 0
    assert len(pool.connections) == 3
    pool.close()
    assert pool.connections == []


def test_a_thread_waiting_past_the_pool_timeout_fails_with_pool_timeout(
    core: ModuleType, server: MakeServer
) -> None:
    served = server(delay=1.0)
    pool = _pool(core, served, max_connections=1, max_keepalive_connections=1)
    first = threading.Thread(target=_get, args=(core, pool, served))
    first.start()
    time.sleep(0.1)  # the one connection is taken
    started = time.monotonic()
    with pytest.raises(core.PoolTimeout):
        _get(core, pool, served, pool_timeout=0.1)
    assert 0.09 < time.monotonic() - started < 0.9
    assert pool.requests == 1
    first.join(5)
    assert pool.requests == 0
    assert served.connections == 1
    pool.close()


def test_a_connection_the_server_closed_while_idle_is_replaced_not_used(
    core: ModuleType, server: MakeServer
) -> None:
    served = server(close_after_answer=True)
    pool = _pool(core, served)
    for _ in range(5):
        assert _get(core, pool, served) == BODY
        time.sleep(0.05)  # the server's close reaches this side
    assert served.answers == [1] * 5
    pool.close()


def test_an_idle_connection_past_the_keepalive_expiry_is_closed_not_used(
    core: ModuleType, server: MakeServer
) -> None:
    served = server()
    pool = _pool(core, served, keepalive_expiry=0.1)
    _get(core, pool, served)
    first = pool.connections[0]
    time.sleep(0.2)
    _get(core, pool, served)
    assert served.answers == [1, 1]
    assert first.is_closed()
    pool.close()


def test_a_response_left_unread_closes_its_connection_and_frees_its_slot(
    core: ModuleType, server: MakeServer
) -> None:
    served = server(body=b"x" * 1_000_000)
    pool = _pool(core, served, max_connections=1, max_keepalive_connections=1)
    url = order_url(core, served)
    with pool.stream(
        "GET", url, headers=[(b"Host", b"127.0.0.1")], content=None, extensions={}
    ) as response:
        assert response.status == 200
    assert pool.connections == []
    assert pool.requests == 0
    assert len(_get(core, pool, served, pool_timeout=2)) == 1_000_000
    pool.close()


def test_the_call_deadline_bounds_a_read_on_a_pooled_connection(
    core: ModuleType, server: MakeServer
) -> None:
    served = server(delay=5)
    pool = _pool(core, served)
    started = time.monotonic()
    with pytest.raises(core.ReadTimeout), Deadline(0.3):
        _get(core, pool, served)
    assert time.monotonic() - started < 2
    assert pool.requests == 0
    pool.close()
