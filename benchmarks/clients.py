"""Every client the benchmark compares, behind one shape: an async (or sync) context manager
yielding ``get()`` (read and decode the order) and ``create(ref)``.

Raw clients send the same headers the SDK sends: ``Accept``, the SDK's ``User-Agent``, a fresh
``X-Correlation-ID`` per call (``uuid.uuid4()``, what a caller would write), the bearer token
(fetched once), ``x-account-id``, ``x-tenant-id``, and ``Content-Type`` when there is a body.
They decode the body with ``json.loads`` (what ``response.json()`` does), so the comparison is
GET + decode on both sides. SDK clients run in their default configuration, only pointed at
the local server.
"""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

from benchmarks.payloads import ACCOUNT_ID, PRIVATE_KEY, PUBLIC_KEY, TENANT_ID
from imburse import __version__

__all__ = ["ASYNC_CLIENTS", "PEERS", "SYNC_CLIENTS", "async_client", "sync_client"]

ORDERS = "/v1/order-management"
# What the SDK sends for the same read, header for header (the token is fetched once); the
# correlation id is added per call by ``_headers``.
RAW_HEADERS = {
    "Accept": "application/json",
    "User-Agent": f"imburse-python/{__version__}",
    "Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJhY2NvdW50IjoiYmVuY2gifQ.c2lnbmF0dXJl",
    "x-account-id": ACCOUNT_ID,
    "x-tenant-id": TENANT_ID,
}

ASYNC_CLIENTS = ("sdk-httpx", "raw-httpx", "sdk-httpx2", "raw-httpx2", "sdk-aiohttp", "raw-aiohttp")
SYNC_CLIENTS = ("sdk-sync-httpx", "raw-sync-httpx", "raw-requests")
# Each SDK client and the raw client of the same stack it is measured against.
PEERS = {
    "sdk-httpx": "raw-httpx",
    "sdk-httpx2": "raw-httpx2",
    "sdk-aiohttp": "raw-aiohttp",
    "sdk-sync-httpx": "raw-sync-httpx",
}

Get = Callable[[str], Awaitable[Any]]


def _headers(base: dict[str, str]) -> dict[str, str]:
    """``base`` plus a fresh correlation id: the SDK sends one per call, so must the raw client."""
    return {**base, "X-Correlation-ID": str(uuid.uuid4())}


Create = Callable[[str], Awaitable[Any]]


def sdk_kwargs(url: str) -> dict[str, Any]:
    """Constructor arguments of a default SDK client pointed at the benchmark server."""
    return {
        "public_key": PUBLIC_KEY,
        "private_key": PRIVATE_KEY,
        "account_id": ACCOUNT_ID,
        "tenant_id": TENANT_ID,
        "base_url": url,
    }


@contextlib.asynccontextmanager
async def async_client(name: str, url: str) -> AsyncIterator[tuple[Get, Create, Any]]:
    """``(get(ref), create(ref), client)`` for one async client."""
    kind, _, stack = name.partition("-")
    if kind == "sdk":
        from imburse import AsyncImburse

        async with AsyncImburse(**sdk_kwargs(url), transport=stack) as sdk:

            async def get(ref: str) -> Any:
                return await sdk.orders.get(ref)

            async def create(ref: str) -> Any:
                return await sdk.orders.create(ref, metadata={"batch": "bench"})

            yield get, create, sdk
        return
    body = {"orderRef": "", "metadata": {"batch": "bench"}}
    create_headers = {**RAW_HEADERS, "Content-Type": "application/json"}
    if stack in ("httpx", "httpx2"):
        module: Any = __import__(stack)
        async with module.AsyncClient() as http:

            async def get(ref: str) -> Any:
                response = await http.get(f"{url}{ORDERS}/{ref}", headers=_headers(RAW_HEADERS))
                if response.status_code != 200:
                    raise RuntimeError(response.status_code)
                return response.json()

            async def create(ref: str) -> Any:
                content = json.dumps({**body, "orderRef": ref}).encode()
                response = await http.post(
                    url + ORDERS, content=content, headers=_headers(create_headers)
                )
                if response.status_code != 201:
                    raise RuntimeError(response.status_code)

            yield get, create, http
        return
    import aiohttp

    async with aiohttp.ClientSession() as session:

        async def get(ref: str) -> Any:
            async with session.get(
                f"{url}{ORDERS}/{ref}", headers=_headers(RAW_HEADERS)
            ) as response:
                if response.status != 200:
                    raise RuntimeError(response.status)
                return json.loads(await response.read())

        async def create(ref: str) -> Any:
            content = json.dumps({**body, "orderRef": ref}).encode()
            async with session.post(
                url + ORDERS, data=content, headers=_headers(create_headers)
            ) as r:
                await r.read()
                if r.status != 201:
                    raise RuntimeError(r.status)

        yield get, create, session


@contextlib.contextmanager
def sync_client(name: str, url: str) -> Iterator[Callable[[str], Any]]:
    """``get(ref)`` for one sync client (thread-safe: threads share it)."""
    if name == "sdk-sync-httpx":
        from imburse import Imburse

        with Imburse(**sdk_kwargs(url)) as sdk:
            yield sdk.orders.get
    elif name == "raw-sync-httpx":
        import httpx

        with httpx.Client() as http:

            def get(ref: str) -> Any:
                response = http.get(f"{url}{ORDERS}/{ref}", headers=_headers(RAW_HEADERS))
                if response.status_code != 200:
                    raise RuntimeError(response.status_code)
                return response.json()

            yield get
    else:
        import requests

        with requests.Session() as session:

            def get(ref: str) -> Any:
                response = session.get(f"{url}{ORDERS}/{ref}", headers=_headers(RAW_HEADERS))
                if response.status_code != 200:
                    raise RuntimeError(response.status_code)
                return json.loads(response.content)

            yield get
