"""Real concurrency: task groups on asyncio and trio, and threads on the sync client.

Not converted by ``scripts/unasync.py``: these tests need a running event loop (or threads)
to interleave calls, which the line-based rewrite cannot express.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import httpx
import pytest

from imburse import AsyncImburse, AuthenticationError, DeadlineExceededError, Imburse
from imburse.testing import FakeImburse

TOKEN_PATH = "/v1/identity/hmac"


def _credentials(fake: FakeImburse) -> dict[str, Any]:
    return {
        "public_key": fake.public_key,
        "private_key": fake.private_key,
        "account_id": fake.account_id,
        "tenant_id": fake.tenant_id,
    }


class InFlight:
    """Counts requests in flight at the transport, and the most seen at once."""

    def __init__(self, fake: FakeImburse, hold: float) -> None:
        self.fake = fake
        self.hold = hold
        self.now = 0
        self.peak = 0
        self._lock = threading.Lock()

    def _enter(self) -> None:
        with self._lock:
            self.now += 1
            self.peak = max(self.peak, self.now)

    def _leave(self) -> None:
        with self._lock:
            self.now -= 1

    def _answer(self, request: httpx.Request) -> httpx.Response:
        answer = self.fake.handle(
            request.method, str(request.url), request.headers, request.content
        )
        return httpx.Response(
            answer.status, headers=list(answer.headers.items()), content=answer.body
        )

    async def async_handler(self, request: httpx.Request) -> httpx.Response:
        self._enter()
        try:
            await anyio.sleep(self.hold)
            return self._answer(request)
        finally:
            self._leave()

    def handler(self, request: httpx.Request) -> httpx.Response:
        self._enter()
        try:
            time.sleep(self.hold)
            return self._answer(request)
        finally:
            self._leave()


async def _gather(calls: list[Callable[[], Awaitable[object]]]) -> list[object]:
    results: list[object] = [None] * len(calls)

    async def run(index: int) -> None:
        results[index] = await calls[index]()

    async with anyio.create_task_group() as tg:
        for index in range(len(calls)):
            tg.start_soon(run, index)
    return results


@pytest.mark.anyio
async def test_a_thousand_calls_on_a_cold_client_share_one_exchange() -> None:
    fake = FakeImburse()
    fake.inject("latency", path=TOKEN_PATH, delay=0.05)  # every caller arrives mid-exchange
    async with (
        fake.async_client() as http,
        AsyncImburse(**_credentials(fake), http_client=http) as client,
    ):
        receipts = await _gather(
            [lambda n=n: client.orders.create(f"ORD-{n}") for n in range(1000)]
        )
        assert client.token_exchanges == 1
    assert fake.token_exchanges == 1
    assert len(fake.orders) == 1000
    assert all(r.status_code == 201 for r in receipts)  # type: ignore[attr-defined]


@pytest.mark.anyio
async def test_max_concurrency_caps_requests_in_flight() -> None:
    fake = FakeImburse()
    meter = InFlight(fake, hold=0.01)
    transport = httpx.MockTransport(meter.async_handler)
    async with (
        httpx.AsyncClient(transport=transport) as http,
        AsyncImburse(**_credentials(fake), http_client=http, max_concurrency=4) as client,
    ):
        await _gather([lambda n=n: client.orders.create(f"ORD-{n}") for n in range(40)])
    assert meter.peak == 4
    assert len(fake.orders) == 40


@pytest.mark.anyio
async def test_waiting_for_a_slot_counts_against_the_deadline() -> None:
    fake = FakeImburse()
    meter = InFlight(fake, hold=0.3)
    transport = httpx.MockTransport(meter.async_handler)
    async with (
        httpx.AsyncClient(transport=transport) as http,
        AsyncImburse(**_credentials(fake), http_client=http, max_concurrency=1) as client,
    ):
        await client.orders.create("ORD-1")  # warm the token
        outcome: dict[str, object] = {}

        async def hurried() -> None:
            await anyio.sleep(0.05)  # the slow call holds the only slot by now
            try:
                await client.orders.get("ORD-1", deadline=0.2)
            except DeadlineExceededError as err:
                outcome["error"] = err

        async with anyio.create_task_group() as tg:
            tg.start_soon(client.orders.get, "ORD-1")
            tg.start_soon(hurried)
    assert isinstance(outcome.get("error"), DeadlineExceededError)


@pytest.mark.anyio
async def test_cancelling_a_call_during_the_exchange_leaves_the_client_usable() -> None:
    fake = FakeImburse()
    fake.inject("latency", path=TOKEN_PATH, delay=10)  # only the first exchange hangs
    async with (
        fake.async_client() as http,
        AsyncImburse(**_credentials(fake), http_client=http) as client,
    ):
        with anyio.move_on_after(0.05) as scope:
            await client.orders.create("ORD-1")
        assert scope.cancelled_caught
        with anyio.fail_after(5):
            receipt = await client.orders.create("ORD-1")
        assert receipt.status_code == 201
        await client.orders.get("ORD-1")
        assert client.token_exchanges == 1
    assert fake.token_exchanges == 1  # the cancelled exchange never completed


@pytest.mark.anyio
async def test_cancelling_a_waiter_does_not_disturb_the_exchange_in_flight() -> None:
    fake = FakeImburse()
    fake.inject("latency", path=TOKEN_PATH, delay=0.2)
    async with (
        fake.async_client() as http,
        AsyncImburse(**_credentials(fake), http_client=http) as client,
    ):
        done: list[str] = []

        async def patient() -> None:
            await client.orders.create("ORD-A")
            done.append("A")

        async def impatient() -> None:
            with anyio.move_on_after(0.05):
                await client.orders.create("ORD-B")
                done.append("B")

        async with anyio.create_task_group() as tg:
            tg.start_soon(patient)
            tg.start_soon(impatient)
        await client.orders.create("ORD-C")
        assert client.token_exchanges == 1
    assert done == ["A"]
    assert sorted(fake.orders) == ["ORD-A", "ORD-C"]
    assert fake.token_exchanges == 1


@pytest.mark.anyio
async def test_cancelling_a_call_mid_request_keeps_the_cached_token() -> None:
    fake = FakeImburse()
    async with (
        fake.async_client() as http,
        AsyncImburse(**_credentials(fake), http_client=http) as client,
    ):
        await client.orders.create("ORD-1")
        fake.inject("latency", method="GET", delay=10)
        with anyio.move_on_after(0.05) as scope:
            await client.orders.get("ORD-1")
        assert scope.cancelled_caught
        order = await client.orders.get("ORD-1")
        assert order.order_ref == "ORD-1"
    assert fake.token_exchanges == 1


@pytest.mark.anyio
async def test_a_refused_exchange_fails_every_waiting_call() -> None:
    fake = FakeImburse()
    credentials = {
        **_credentials(fake),
        "private_key": "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y=",
    }
    failures: list[BaseException] = []

    async def call(n: int) -> None:
        try:
            await client.orders.get(f"ORD-{n}")
        except AuthenticationError as err:
            failures.append(err)

    # The exchange is slow enough for all twenty callers to queue behind it.
    fake.inject("latency", path=TOKEN_PATH, delay=0.2)
    async with fake.async_client() as http, AsyncImburse(**credentials, http_client=http) as client:
        with anyio.fail_after(10):
            async with anyio.create_task_group() as tg:
                for n in range(20):
                    tg.start_soon(call, n)
        exchanges = [r for r in fake.requests if r.path == TOKEN_PATH]
        # One refused exchange answers every caller that waited for it (was one each).
        assert [r.status for r in exchanges] == [401]
        assert len(fake.requests) == 1  # no call went out without a token
        assert len(failures) == 20
        assert len({id(err) for err in failures}) == 20  # each caller its own exception
        assert {err.status_code for err in failures} == {401}  # type: ignore[attr-defined]
        # A later call is not answered from memory: the key may have been fixed meanwhile.
        with pytest.raises(AuthenticationError):
            await client.orders.get("ORD-LATER")
    assert [r.status for r in fake.requests] == [401, 401]


def test_fifty_threads_share_one_exchange_on_the_sync_client() -> None:
    fake = FakeImburse()
    fake.inject("latency", path=TOKEN_PATH, delay=0.1)
    start = threading.Barrier(50)
    errors: list[BaseException] = []

    with fake.client() as http, Imburse(**_credentials(fake), http_client=http) as client:

        def work(n: int) -> None:
            try:
                start.wait()
                client.orders.create(f"ORD-{n}")
                client.orders.get(f"ORD-{n}")
            except BaseException as err:  # reported below
                errors.append(err)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert client.token_exchanges == 1
    assert errors == []
    assert fake.token_exchanges == 1
    assert len(fake.orders) == 50


def test_max_concurrency_caps_threads_on_the_sync_client() -> None:
    fake = FakeImburse()
    meter = InFlight(fake, hold=0.01)
    with (
        httpx.Client(transport=httpx.MockTransport(meter.handler)) as http,
        Imburse(**_credentials(fake), http_client=http, max_concurrency=3) as client,
    ):
        threads = [
            threading.Thread(target=client.orders.create, args=(f"ORD-{n}",)) for n in range(30)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert meter.peak == 3
    assert len(fake.orders) == 30
