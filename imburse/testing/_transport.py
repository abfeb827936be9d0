"""In-process ``httpx`` transports answering from a :class:`~imburse.testing.FakeImburse`.

Faults become the exceptions a real network would raise through httpx:

* ``drop_before`` -> :class:`httpx.ConnectError` (nothing applied)
* ``drop_after``  -> :class:`httpx.RemoteProtocolError` (applied, no answer)
* ``latency`` / ``stall`` -> a real sleep (``time.sleep`` / ``anyio.sleep``), cut short by
  the request's read timeout, which then raises :class:`httpx.ReadTimeout`. A latency
  request that timed out is still applied, as a real server would once the delay passed.
  A stall shorter than the read timeout ends with the normal answer, as over real HTTP.
* ``truncate`` -> the cut body, with the full ``content-length`` header.

Both transports share one step generator that yields the seconds to sleep, so the sync and
async behaviour cannot drift apart.
"""

from __future__ import annotations

import time
from collections.abc import Generator
from typing import TYPE_CHECKING

import anyio
import httpx

if TYPE_CHECKING:
    from ._fake import Exchange, FakeImburse

__all__ = ["AsyncFakeTransport", "FakeTransport"]


def _read_timeout(request: httpx.Request) -> float | None:
    timeout = request.extensions.get("timeout") or {}
    value = timeout.get("read")
    return float(value) if value is not None else None


def _bounded(delay: float, timeout: float | None) -> float:
    return delay if timeout is None else min(delay, timeout)


def _steps(
    exchange: Exchange, body: bytes, request: httpx.Request
) -> Generator[float, None, httpx.Response]:
    timeout = _read_timeout(request)
    if exchange.wait_before:
        wait = _bounded(exchange.wait_before, timeout)
        yield wait
        if wait < exchange.wait_before:
            exchange.complete(body)
            raise httpx.ReadTimeout(
                "[fake imburse] read timed out (latency fault)", request=request
            )
    if exchange.drops_before:
        exchange.drop(body)
        raise httpx.ConnectError("[fake imburse] connection dropped (drop_before)", request=request)
    answer = exchange.complete(body)
    if answer.action == "drop_after":
        raise httpx.RemoteProtocolError(
            "[fake imburse] server disconnected without sending a response (drop_after)",
            request=request,
        )
    if answer.action == "stall":
        wait = _bounded(answer.delay, timeout)
        yield wait
        if wait < answer.delay:
            raise httpx.ReadTimeout("[fake imburse] read timed out (stall fault)", request=request)
    return httpx.Response(
        answer.status,
        headers=list(answer.headers.items()),
        content=answer.body,
        request=request,
        extensions={"http_version": b"HTTP/1.1"},
    )


class FakeTransport(httpx.BaseTransport):
    """Sync transport; get one from :meth:`FakeImburse.transport`."""

    def __init__(self, fake: FakeImburse) -> None:
        self._fake = fake

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        body = request.read()
        exchange = self._fake.begin(request.method, str(request.url), request.headers)
        steps = _steps(exchange, body, request)
        while True:
            try:
                delay = next(steps)
            except StopIteration as done:
                response: httpx.Response = done.value
                return response
            time.sleep(delay)


class AsyncFakeTransport(httpx.AsyncBaseTransport):
    """Async transport for asyncio or trio; get one from :meth:`FakeImburse.async_transport`."""

    def __init__(self, fake: FakeImburse) -> None:
        self._fake = fake

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        body = await request.aread()
        exchange = self._fake.begin(request.method, str(request.url), request.headers)
        steps = _steps(exchange, body, request)
        while True:
            try:
                delay = next(steps)
            except StopIteration as done:
                response: httpx.Response = done.value
                return response
            await anyio.sleep(delay)
