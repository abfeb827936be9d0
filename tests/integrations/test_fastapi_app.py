"""examples/fastapi_app.py under uvicorn on 127.0.0.1, concurrent requests, the fake over HTTP."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import anyio
import fastapi_app
import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from .conftest import Served


@contextmanager
def serving(app: FastAPI) -> Iterator[str]:
    """Run ``app`` under uvicorn in a thread (lifespan on); yield its URL; stop it."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="on", log_level="warning")
    )
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=20)


@pytest.mark.anyio
async def test_fastapi_app_shares_one_client_across_concurrent_requests(served: Served) -> None:
    app = fastapi_app.create_app(served.async_factory())
    with serving(app) as url:
        client = app.state.imburse  # opened by the lifespan
        async with httpx.AsyncClient(base_url=url, timeout=30) as http:
            created: list[httpx.Response] = []
            read: list[httpx.Response] = []

            async def create(n: int) -> None:
                created.append(
                    await http.post(f"/orders/ORD-{n}", json={"metadata": {"n": str(n)}})
                )

            async def get(n: int) -> None:
                read.append(await http.get(f"/orders/ORD-{n}"))

            async with anyio.create_task_group() as group:
                for n in range(20):
                    group.start_soon(create, n)
            async with anyio.create_task_group() as group:
                for n in range(20):
                    group.start_soon(get, n)
            missing = await http.get("/orders/NOPE-1")
            refused = await http.post(f"/orders/{'X' * 51}", json={})

        assert [r.status_code for r in created] == [201] * 20
        assert all(r.json()["correlation_id"] for r in created)
        assert sorted(r.json()["metadata"]["n"] for r in read) == sorted(map(str, range(20)))
        assert missing.status_code == 404
        assert missing.json()["error"] == "NotFoundError"
        assert refused.status_code == 400  # the SDK refused the ref before sending anything
        assert refused.json() == {"error": "ValidationError", "field": "order_ref"}
        assert len(served.fake.orders) == 20
        assert served.fake.token_exchanges == 1  # one client, one token for every request
        assert client.token_exchanges == 1
    assert client._closed  # the lifespan closed it at shutdown


def test_module_level_app_reads_the_environment(
    served: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in served.settings.items():
        monkeypatch.setenv(f"IMBURSE_{name.upper()}", str(value))
    with serving(fastapi_app.app) as url:
        answer = httpx.post(f"{url}/orders/ORD-ENV", json={}, timeout=30)
    assert answer.status_code == 201
    assert "ORD-ENV" in served.fake.orders
