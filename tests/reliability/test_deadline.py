"""A call's deadline bounds the whole call, even against a server that trickles its answer.

Per-phase timeouts bound each read, not their sum: a server (or a proxy under load) that
sends one byte every 0.2 s never trips a 0.5 s read timeout, and used to keep a call with a
1 s deadline busy for 8 s. The async client cuts every attempt off at the deadline, on
every HTTP stack. The sync client cannot cancel a thread mid-read: on the pools it builds,
every socket wait gets at most the time left before the deadline instead (a caller's own
``http_client`` is outside that guarantee: only its per-phase timeouts, clipped to the
deadline, bound it).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import anyio
import pytest

from imburse import AsyncImburse, DeadlineExceededError, Imburse, OutcomeUnknownError, Timeouts
from imburse._deadline import Deadline
from imburse.testing import FakeImburse

DEADLINE = 1.0
MARGIN = 0.4  # scheduling of a busy CI box; an unbounded call takes 8 s here
TRICKLE = 40  # bytes, one every 0.2 s


class TrickleServer:
    """Answers the token exchange from a fake, and everything else one byte at a time.

    ``headers=True`` trickles the status line and headers too, not only the body.
    """

    def __init__(
        self,
        fake: FakeImburse,
        *,
        headers: bool = False,
        length: int = TRICKLE,
        interval: float = 0.2,
    ) -> None:
        stop = self.stop = threading.Event()

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _drip(self, data: bytes) -> None:
                for byte in data:
                    if stop.wait(interval):
                        return
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()

            def _any(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                if self.path.startswith("/v1/identity/hmac"):
                    lowered = {k.lower(): v for k, v in self.headers.items()}
                    answer = fake.handle("POST", self.path, lowered, body)
                    self.send_response(answer.status)
                    for name, value in answer.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(answer.body)
                    return
                head = b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                head += f"content-length: {length}\r\n\r\n".encode()
                try:
                    if headers:
                        self._drip(head)
                    else:
                        self.wfile.write(head)
                    self._drip(b" " * length)
                except OSError:
                    pass  # the client gave up: that is the point
                self.close_connection = True

            do_GET = do_POST = _any

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._httpd.server_port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        self.stop.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)


@pytest.fixture(params=[False, True], ids=["body", "headers"])
def trickle(request: pytest.FixtureRequest) -> Iterator[TrickleServer]:
    server = TrickleServer(FakeImburse(), headers=request.param)
    yield server
    server.close()


STACKS = [
    pytest.param(("httpx", "asyncio"), id="httpx-asyncio"),
    pytest.param(("httpx", "trio"), id="httpx-trio"),
    pytest.param(("httpx2", "asyncio"), id="httpx2-asyncio"),
    pytest.param(("aiohttp", "asyncio"), id="aiohttp-asyncio"),
]


def settings(url: str) -> dict[str, Any]:
    fake = FakeImburse
    return {
        "public_key": fake.public_key,
        "private_key": fake.private_key,
        "account_id": fake.account_id,
        "tenant_id": fake.tenant_id,
        "base_url": url,
        "timeout": Timeouts(connect=1, read=0.5, write=1, pool=1),
        "deadline": DEADLINE,
    }


def timed_async(url: str, transport: str, backend: str, create: bool = False) -> tuple[Any, float]:
    async def run() -> tuple[Any, float]:
        async with AsyncImburse(**settings(url), transport=transport) as client:
            started = time.monotonic()
            try:
                if create:
                    await client.orders.create("ORD-T")
                else:
                    await client.orders.get("ORD-T")
            except Exception as err:
                return err, time.monotonic() - started
            return None, time.monotonic() - started

    result: tuple[Any, float] = anyio.run(run, backend=backend)
    return result


@pytest.mark.parametrize("stack", STACKS)
def test_a_trickling_answer_cannot_stretch_an_async_call_past_its_deadline(
    trickle: TrickleServer, stack: tuple[str, str]
) -> None:
    transport, backend = stack
    if transport != "httpx":
        pytest.importorskip(transport)
    error, elapsed = timed_async(trickle.url, transport, backend)
    assert isinstance(error, DeadlineExceededError)
    assert elapsed < DEADLINE + MARGIN


def test_a_create_cut_off_by_its_deadline_is_an_unknown_outcome(trickle: TrickleServer) -> None:
    error, elapsed = timed_async(trickle.url, "httpx", "asyncio", create=True)
    assert isinstance(error, OutcomeUnknownError)  # it was sent: it may have been applied
    assert error.ref == "ORD-T"
    assert elapsed < DEADLINE + MARGIN


def test_without_the_attempt_deadline_the_trickle_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test has teeth: with the async deadline made a no-op, the call runs long."""
    monkeypatch.setattr("imburse._async.pipeline.AsyncDeadline", Deadline)
    server = TrickleServer(FakeImburse(), length=15)  # 3 s
    try:
        _, elapsed = timed_async(server.url, "httpx", "asyncio")
    finally:
        server.close()
    assert elapsed > DEADLINE + 1.5


@pytest.mark.parametrize("headers", [False, True], ids=["body", "headers"])
@pytest.mark.parametrize("name", ["httpx", "httpx2"])
def test_a_trickling_answer_cannot_stretch_a_sync_call_past_its_deadline(
    name: str, headers: bool
) -> None:
    """Issue 14 item 4: one byte every 0.5 s never trips a 1 s read timeout, so only the
    deadline can end the call. Failed before (a strict xfail): the sync call ran until the
    whole answer had trickled in (7.5 s here), on every sync transport."""
    if name != "httpx":
        pytest.importorskip(name)
    server = TrickleServer(FakeImburse(), headers=headers, length=15, interval=0.5)
    options = {**settings(server.url), "timeout": Timeouts(connect=1, read=1, write=1, pool=1)}
    try:
        with Imburse(**options, transport=name) as client:
            started = time.monotonic()
            with pytest.raises(DeadlineExceededError):
                client.orders.get("ORD-T")
            elapsed = time.monotonic() - started
    finally:
        server.close()
    assert elapsed < DEADLINE + 1.0  # the bound: within 1 s of the deadline


def test_a_sync_create_cut_off_by_its_deadline_is_an_unknown_outcome() -> None:
    """The sync twin of the async create above: cut off after sending, it may have been
    applied, so it is reported as an unknown outcome naming the ref, in time."""
    server = TrickleServer(FakeImburse(), length=15, interval=0.5)
    options = {**settings(server.url), "timeout": Timeouts(connect=1, read=1, write=1, pool=1)}
    try:
        with Imburse(**options) as client:
            started = time.monotonic()
            with pytest.raises(OutcomeUnknownError) as caught:
                client.orders.create("ORD-T")
            elapsed = time.monotonic() - started
    finally:
        server.close()
    assert caught.value.ref == "ORD-T"
    assert elapsed < DEADLINE + 1.0
