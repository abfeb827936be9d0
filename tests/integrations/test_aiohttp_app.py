"""examples/aiohttp_app.py served by aiohttp on 127.0.0.1, concurrent requests, the fake over HTTP."""

from __future__ import annotations

import aiohttp_app
import anyio
import httpx
import pytest
from aiohttp import web

from .conftest import Served


@pytest.mark.anyio
async def test_aiohttp_app_opens_one_client_in_cleanup_ctx(served: Served) -> None:
    app = aiohttp_app.create_app(served.async_factory())
    runner = web.AppRunner(app)
    await runner.setup()  # runs the cleanup_ctx up to its yield: the client opens
    try:
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        host, port = runner.addresses[0][:2]
        client = app[aiohttp_app.IMBURSE]
        statuses: list[int] = []
        async with httpx.AsyncClient(base_url=f"http://{host}:{port}", timeout=30) as http:

            async def create_and_read(n: int) -> None:
                created = await http.post(f"/orders/ORD-{n}", json={"metadata": {"n": str(n)}})
                read = await http.get(f"/orders/ORD-{n}")
                assert read.json()["metadata"] == {"n": str(n)}
                statuses.extend((created.status_code, read.status_code))

            async with anyio.create_task_group() as group:
                for n in range(20):
                    group.start_soon(create_and_read, n)
            missing = await http.get("/orders/NOPE-1")
            empty_body = await http.post("/orders/ORD-EMPTY")
            refused = await http.post(f"/orders/{'X' * 51}", json={})
            not_json = await http.post("/orders/ORD-2", content=b"{nope")
    finally:
        await runner.cleanup()  # the rest of the cleanup_ctx: the client closes
    assert statuses.count(201) == 20
    assert statuses.count(200) == 20
    assert missing.status_code == 404
    assert missing.json()["error"] == "NotFoundError"
    assert empty_body.status_code == 201
    assert refused.status_code == 400  # the SDK refused the ref before sending anything
    assert refused.json() == {"error": "ValidationError", "field": "order_ref"}
    assert not_json.status_code == 400
    assert len(served.fake.orders) == 21
    assert served.fake.token_exchanges == 1
    assert client._closed
