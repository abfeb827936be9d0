"""Fork scenarios for ``test_guards.py``, each run in a fresh interpreter (POSIX only).

    python tests/reliability/fork_scenarios.py sync_pool | sync_lock | async_pool

Each prints one JSON line with what the parent and the child saw. With
``IMBURSE_TEST_NO_FORK_GUARD=1`` the fork guard is switched off (no client learns about the
fork), which is how the tests show that they would catch its absence.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from typing import Any

from imburse import AsyncImburse, Imburse
from imburse._guards import _GUARDS
from imburse.testing import FakeImburse

NO_GUARD = os.environ.get("IMBURSE_TEST_NO_FORK_GUARD") == "1"


def _settings(fake: FakeImburse, url: str) -> dict[str, Any]:
    return {
        "public_key": fake.public_key,
        "private_key": fake.private_key,
        "account_id": fake.account_id,
        "tenant_id": fake.tenant_id,
        "base_url": url,
    }


def _pool(client: Any) -> Any:
    return client._pipeline.transport.pools()[0]


def _ports(client: Any) -> list[int]:
    ports = []
    for connection in _pool(client).connections:
        inner = connection._connection
        if inner is not None and not connection.is_closed():
            ports.append(inner._network_stream.get_extra_info("client_addr")[1])
    return ports


def _fork() -> int:
    if NO_GUARD:
        _GUARDS.clear()  # nobody is told about the fork
    return os.fork()


def _child_done(write_fd: int, result: dict[str, Any]) -> None:
    os.write(write_fd, json.dumps(result).encode() + b"\n")
    os._exit(0)


def _read_line(read_fd: int) -> dict[str, Any]:
    data = b""
    while not data.endswith(b"\n"):
        chunk = os.read(read_fd, 65536)
        if not chunk:
            break
        data += chunk
    result: dict[str, Any] = json.loads(data)
    return result


def _gets(client: Imburse, ref: str, count: int) -> list[str]:
    errors = []
    for _ in range(count):
        try:
            order = client.orders.get(ref)
        except Exception as err:
            errors.append(type(err).__name__)
        else:
            if order.order_ref != ref:  # another process's answer
                errors.append(f"got {order.order_ref}")
    return errors


def sync_pool(fake: FakeImburse, url: str) -> dict[str, Any]:
    """Parent and child call through one client at once; each must get its own answers.

    Without the guard only the child's first call is made: on shared sockets the two
    processes read each other's answers and then wait for ones that never come.
    """
    calls = 1 if NO_GUARD else 100
    with Imburse(**_settings(fake, url)) as client:
        client.orders.create("ORD-P")
        client.orders.create("ORD-C")
        parent_pool, parent_ports = id(_pool(client)), _ports(client)
        results, child_results = os.pipe()
        started, child_started = os.pipe()
        pid = _fork()
        if pid == 0:
            first = _gets(client, "ORD-C", 1)
            first_ports = _ports(client)
            os.write(child_started, b"go")
            errors = first + _gets(client, "ORD-C", calls - 1)
            _child_done(
                child_results,
                {
                    "errors": errors,
                    "pool_is_new": id(_pool(client)) != parent_pool,
                    "ports": first_ports,
                },
            )
        os.read(started, 2)  # the child's first call is done: now both call at once
        parent_errors = _gets(client, "ORD-P", calls)
        child = _read_line(results)
        os.waitpid(pid, 0)
    return {
        "parent_errors": parent_errors,
        "parent_ports": parent_ports,
        "parent_calls": calls,
        "child_errors": child["errors"],
        "child_pool_is_new": child["pool_is_new"],
        "child_ports": child["ports"],
        "child_calls": calls,
    }


def sync_lock(fake: FakeImburse, url: str) -> dict[str, Any]:
    """A thread of the parent is mid token exchange (holds the lock) at the fork."""
    with Imburse(**_settings(fake, url)) as client:
        client.orders.create("ORD-1")
        tokens = client._pipeline.tokens
        tokens._lock._lock.acquire()  # as a refreshing thread would
        tokens._token = None  # and the token is due for a refresh
        results, child_results = os.pipe()
        pid = _fork()
        if pid == 0:

            def stuck(signum: int, frame: Any) -> None:
                raise TimeoutError

            signal.signal(signal.SIGALRM, stuck)
            signal.alarm(2)
            before = client.token_exchanges
            try:
                client.orders.get("ORD-1")
            except TimeoutError:
                _child_done(child_results, {"child": "stuck"})
            _child_done(
                child_results,
                {"child": "ok", "exchanges_in_child": client.token_exchanges - before},
            )
        child = _read_line(results)
        os.waitpid(pid, 0)
        tokens._lock._lock.release()
    return child


def async_pool(fake: FakeImburse, url: str) -> dict[str, Any]:
    """An async client used on the parent's loop, then on the child's own loop."""
    client = AsyncImburse(**_settings(fake, url))

    async def get() -> str | None:
        return (await client.orders.get("ORD-1")).order_ref

    async def first() -> None:
        await client.orders.create("ORD-1")
        await client.orders.get("ORD-1")

    asyncio.run(first())
    parent_pool = id(_pool(client))
    results, child_results = os.pipe()
    pid = _fork()
    if pid == 0:
        try:
            outcome = asyncio.run(get())
        except Exception as err:
            outcome = type(err).__name__
        _child_done(
            child_results,
            {
                "child": "ok" if outcome == "ORD-1" else outcome,
                "child_pool_is_new": id(_pool(client)) != parent_pool,
            },
        )
    child = _read_line(results)
    os.waitpid(pid, 0)
    try:
        asyncio.run(get())
        second = "ok"
    except Exception as err:
        second = type(err).__name__
    client._pipeline.guard.closed = client._closed = True  # its pool's loop is gone
    return {**child, "parent_second_loop": second}


def main() -> None:
    scenario = {"sync_pool": sync_pool, "sync_lock": sync_lock, "async_pool": async_pool}
    with FakeImburse() as fake, fake.serve() as server:
        result = scenario[sys.argv[1]](fake, server.url)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
