"""Choosing an adapter: names, missing extras, caller-owned clients, failure mapping, the
sync client, and gzip on the fast path."""

from __future__ import annotations

import gzip
import sys
import zlib
from typing import Any

import httpx
import pytest

from imburse import AsyncImburse, ConfigurationError, Imburse
from imburse._async.transport import async_transport_for
from imburse._core.build import PreparedRequest
from imburse._core.call import TransportFailure
from imburse._core.config import Timeouts
from imburse._wire import BodyReader
from imburse.testing import FakeImburse, FakeServer

from .conftest import settings

SYNC_STACKS = ["httpx", "httpx2"]


def sync_stack(name: str) -> str:
    if name != "httpx":
        pytest.importorskip(name)
    return name


@pytest.mark.parametrize("name", ["httpx2", "aiohttp"])
def test_missing_extra_names_the_extra(monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    monkeypatch.setitem(sys.modules, name, None)  # import fails as if not installed
    with pytest.raises(ConfigurationError, match=rf"pip install 'imburse\[{name}\]'"):
        AsyncImburse(**settings(FakeImburse(), "http://127.0.0.1:1"), transport=name)


def test_unknown_transport_name_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="'httpx', 'httpx2' or 'aiohttp'"):
        AsyncImburse(**settings(FakeImburse(), "http://127.0.0.1:1"), transport="urllib3")


def test_sync_client_refuses_aiohttp() -> None:
    with pytest.raises(ConfigurationError, match="async-only"):
        Imburse(**settings(FakeImburse(), "http://127.0.0.1:1"), transport="aiohttp")


def test_http_client_of_another_stack_is_refused() -> None:
    pytest.importorskip("httpx2")
    with pytest.raises(ConfigurationError, match=r"httpx2\.AsyncClient"):
        AsyncImburse(
            **settings(FakeImburse(), "http://127.0.0.1:1"),
            transport="httpx2",
            http_client=httpx.AsyncClient(),
        )


@pytest.mark.anyio
@pytest.mark.parametrize("anyio_backend", ["trio"])
async def test_aiohttp_under_trio_is_a_configuration_error(
    fake: FakeImburse, server: FakeServer, anyio_backend: str
) -> None:
    pytest.importorskip("aiohttp")
    async with AsyncImburse(**settings(fake, server.url), transport="aiohttp") as client:
        with pytest.raises(ConfigurationError, match="asyncio only"):
            await client.orders.get("ORD-1")


@pytest.mark.anyio
async def test_a_callers_client_is_used_and_left_open(
    fake: FakeImburse, server: FakeServer, transport: str
) -> None:
    if transport == "aiohttp":
        import aiohttp

        own: Any = aiohttp.ClientSession()
    else:
        own = __import__(transport).AsyncClient()
    async with AsyncImburse(
        **settings(fake, server.url), transport=transport, http_client=own
    ) as client:
        await client.orders.create("ORD-1")
        assert (await client.orders.get("ORD-1")).order_ref == "ORD-1"
    closed = own.closed if transport == "aiohttp" else own.is_closed
    assert not closed
    await own.close() if transport == "aiohttp" else await own.aclose()


def request(url: str, method: str = "GET") -> PreparedRequest:
    return PreparedRequest(method, url, (("Accept", "application/json"),), b"", "/x")


@pytest.mark.anyio
async def test_refused_connection_maps_to_not_sent(fake: FakeImburse, transport: str) -> None:
    with fake.serve() as server:
        url = server.url
    adapter = async_transport_for(transport, None)
    try:
        with pytest.raises(TransportFailure) as caught:
            await adapter.send(request(url + "/v1/x"), Timeouts())
    finally:
        await adapter.aclose()
    assert caught.value.sent is False
    assert caught.value.timed_out is False


@pytest.mark.anyio
async def test_dropped_answer_maps_to_sent(
    fake: FakeImburse, server: FakeServer, transport: str
) -> None:
    # A POST: aiohttp itself repeats an idempotent request once on a dropped connection.
    fake.inject("drop_after", path="/v1/x")
    adapter = async_transport_for(transport, None)
    try:
        with pytest.raises(TransportFailure) as caught:
            await adapter.send(request(server.url + "/v1/x", "POST"), Timeouts())
    finally:
        await adapter.aclose()
    assert caught.value.sent is True


@pytest.mark.anyio
async def test_stall_maps_to_timed_out(
    fake: FakeImburse, server: FakeServer, transport: str
) -> None:
    fake.inject("stall", delay=5, path="/v1/x")
    adapter = async_transport_for(transport, None)
    try:
        with pytest.raises(TransportFailure) as caught:
            await adapter.send(request(server.url + "/v1/x"), Timeouts(1.0, 0.2, 1.0, 1.0))
    finally:
        await adapter.aclose()
    assert caught.value.sent is True
    assert caught.value.timed_out is True


@pytest.mark.anyio
async def test_answer_has_lower_case_headers_and_the_whole_body(
    server: FakeServer, transport: str
) -> None:
    adapter = async_transport_for(transport, None)
    try:
        response = await adapter.send(request(server.url + "/v1/order-management/X"), Timeouts())
    finally:
        await adapter.aclose()
    assert response.status == 401
    assert all(name == name.lower() for name in response.headers)
    assert response.headers["content-type"].startswith("application/json")
    assert int(response.headers["content-length"]) == len(response.body)


@pytest.mark.parametrize("name", SYNC_STACKS)
def test_sync_client_over_real_http(fake: FakeImburse, server: FakeServer, name: str) -> None:
    sync_stack(name)
    fake.inject("status", status=503, retry_after="0.01", method="GET")
    with Imburse(**settings(fake, server.url), transport=name) as client:
        receipt = client.orders.create("ORD-1", metadata={"policy": "P-9"})
        order = client.orders.get("ORD-1")
        adapter: Any = client._pipeline.transport
    assert receipt.status_code == 201
    assert order.metadata == {"policy": "P-9"}
    assert adapter.client is None  # its own pool...
    assert adapter.pools() == []  # ...closed with the client


@pytest.mark.parametrize("name", SYNC_STACKS)
def test_sync_drop_after_create_is_reconciled(
    fake: FakeImburse, server: FakeServer, name: str
) -> None:
    sync_stack(name)
    fake.inject("drop_after", method="POST", path="^/v1/order-management$")
    with Imburse(**settings(fake, server.url), transport=name) as client:
        receipt = client.orders.create("ORD-1")
    assert receipt.reconciled
    assert list(fake.orders) == ["ORD-1"]


def _decoded(body: bytes, encoding: str) -> bytes:
    reader = BodyReader(200, {"content-encoding": encoding}, limit=1 << 20)
    for start in range(0, len(body), 7):  # as a socket would hand it over: in pieces
        reader.feed(body[start : start + 7])
    return reader.body()


def test_gzip_and_deflate_bodies_are_decompressed() -> None:
    body = b'{"orderRef": "ORD-1"}'
    assert _decoded(gzip.compress(body), "gzip") == body
    assert _decoded(zlib.compress(body), "deflate") == body
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    assert _decoded(raw.compress(body) + raw.flush(), "deflate") == body
    assert _decoded(body, "identity") == body
    assert _decoded(gzip.compress(zlib.compress(body)), "deflate, gzip") == body
    with pytest.raises(TransportFailure) as caught:
        _decoded(b"not gzip", "gzip")
    assert caught.value.sent is True
