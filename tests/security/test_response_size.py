"""Answers are bounded: ``max_response_bytes`` (16 MiB by default) caps every answer the SDK
reads, as read and as decompressed, on every transport the SDK builds (issue 14 item 3).

Before, a 1 GiB body or a 1 MiB gzip body inflating to 1 GiB grew the process by 2-3 GiB
on httpx and aiohttp (sometimes a raw ``MemoryError``), and with ``deadline=10`` a call took
13 s because the inflating ran outside the deadline. Each test here failed before: the
option did not exist, and the default case decoded 64 MiB of zeros into a decode error.
Now the answer ends in :class:`~imburse.ResponseTooLargeError` naming the status, without
reading past the limit.
"""

from __future__ import annotations

import contextlib
import threading
import time
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import anyio
import pytest

from imburse import AsyncImburse, Imburse, ResponseTooLargeError
from imburse.testing import FakeImburse

LIMIT = 1 << 20  # 1 MiB in these tests
MiB = 1 << 20
TOKEN_PATH = "/v1/identity/hmac"


def _gzip_of_zeros(size: int) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(MiB)
    return b"".join(packer.compress(block) for _ in range(size // MiB)) + packer.flush()


BOMB = _gzip_of_zeros(256 * MiB)  # ~250 KB on the wire, 256 MiB inflated


class BigAnswers:
    """Answers the token exchange from a fake, and everything else with ``answer``.

    ``answer`` is one of: ``declared`` (a 64 MiB body with its Content-Length), ``undeclared``
    (8 MiB until the connection closes, no length), ``gzip`` (the bomb above), ``error`` (a
    500 with an 8 MiB body). ``token=True`` gives the token exchange the answer too.
    """

    def __init__(self, answer: str, *, token: bool = False) -> None:
        fake = FakeImburse()
        self.requests = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _any(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                if self.path.startswith(TOKEN_PATH) and not token:
                    lowered = {k.lower(): v for k, v in self.headers.items()}
                    reply = fake.handle("POST", self.path, lowered, body)
                    self.send_response(reply.status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(reply.body)
                    return
                owner.requests += 1
                with contextlib.suppress(OSError):  # the client stopped reading: the point
                    self._big()
                self.close_connection = True

            def _big(self) -> None:
                status, size, declared, encoded = {
                    "declared": (200, 64 * MiB, True, False),
                    "undeclared": (200, 8 * MiB, False, False),
                    "gzip": (200, len(BOMB), True, True),
                    "error": (500, 8 * MiB, True, False),
                }[answer]
                self.send_response(status)
                self.send_header("content-type", "application/json")
                if declared:
                    self.send_header("content-length", str(size))
                else:
                    self.send_header("connection", "close")
                if encoded:
                    self.send_header("content-encoding", "gzip")
                self.end_headers()
                if encoded:
                    self.wfile.write(BOMB)
                    return
                block = b" " * (64 * 1024)
                for _ in range(size // len(block)):
                    self.wfile.write(block)

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
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)


STACKS = [
    pytest.param(("httpx", "asyncio", False), id="httpx-asyncio"),
    pytest.param(("httpx", "trio", False), id="httpx-trio"),
    pytest.param(("httpx2", "asyncio", False), id="httpx2-asyncio"),
    pytest.param(("aiohttp", "asyncio", False), id="aiohttp-asyncio"),
    pytest.param(("httpx", "", False), id="sync-httpx"),
    pytest.param(("httpx2", "", False), id="sync-httpx2"),
    pytest.param(("httpx", "asyncio", True), id="callers-httpx-asyncio"),
    pytest.param(("httpx", "", True), id="callers-sync-httpx"),
    pytest.param(("aiohttp", "asyncio", True), id="callers-aiohttp-asyncio"),
]


def settings(url: str, **extra: Any) -> dict[str, Any]:
    fake = FakeImburse
    return {
        "public_key": fake.public_key,
        "private_key": fake.private_key,
        "account_id": fake.account_id,
        "tenant_id": fake.tenant_id,
        "base_url": url,
        "deadline": 10,
        **extra,
    }


def call(stack: tuple[str, str, bool], options: dict[str, Any], how: str) -> tuple[Any, float]:
    """Run one call (``get``, ``create`` or ``request``); return (error or None, seconds)."""
    name, backend, callers = stack
    if name != "httpx":
        pytest.importorskip(name)
    if not backend:
        http = __import__(name).Client() if callers else None
        started = time.monotonic()
        try:
            with Imburse(**options, transport=name, http_client=http) as client:
                if how == "get":
                    client.orders.get("ORD-1")
                elif how == "create":
                    client.orders.create("ORD-1")
                else:
                    client.request("GET", "/v1/order-management/ORD-1")
        except Exception as err:
            return err, time.monotonic() - started
        finally:
            if http is not None:
                http.close()
        return None, time.monotonic() - started

    async def run() -> tuple[Any, float]:
        http: Any = None
        if callers:
            module = __import__(name)
            http = module.ClientSession() if name == "aiohttp" else module.AsyncClient()
        started = time.monotonic()
        try:
            async with AsyncImburse(**options, transport=name, http_client=http) as client:
                if how == "get":
                    await client.orders.get("ORD-1")
                elif how == "create":
                    await client.orders.create("ORD-1")
                else:
                    await client.request("GET", "/v1/order-management/ORD-1")
        except Exception as err:
            return err, time.monotonic() - started
        finally:
            if http is not None:
                await (http.close() if name == "aiohttp" else http.aclose())
        return None, time.monotonic() - started

    result: tuple[Any, float] = anyio.run(run, backend=backend)
    return result


@pytest.fixture
def big(request: pytest.FixtureRequest) -> Iterator[BigAnswers]:
    answer, token = request.param
    server = BigAnswers(answer, token=token)
    yield server
    server.close()


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize(
    ("big", "how", "status"),
    [
        pytest.param(("declared", False), "get", 200, id="declared-length"),
        pytest.param(("undeclared", False), "get", 200, id="read-until-close"),
        pytest.param(("gzip", False), "get", 200, id="gzip-bomb"),
        pytest.param(("error", False), "get", 500, id="error-answer"),
        pytest.param(("declared", True), "get", 200, id="token-exchange"),
        pytest.param(("gzip", False), "request", 200, id="client-request"),
    ],
    indirect=["big"],
)
def test_an_answer_over_the_limit_is_refused_on_every_transport(
    big: BigAnswers, stack: tuple[str, str, bool], how: str, status: int
) -> None:
    error, elapsed = call(stack, settings(big.url, max_response_bytes=LIMIT), how)
    assert isinstance(error, ResponseTooLargeError), repr(error)
    assert error.status_code == status
    assert error.limit == LIMIT
    assert error.correlation_id
    assert "max_response_bytes" in str(error)
    assert big.requests == 1  # never retried: the same request brings the same answer
    assert elapsed < 5  # stopped at the limit, not after reading or inflating it all


@pytest.mark.parametrize("big", [("gzip", False)], indirect=True)
@pytest.mark.parametrize("stack", STACKS[:1] + STACKS[4:5])
def test_the_default_limit_is_16_mib(big: BigAnswers, stack: tuple[str, str, bool]) -> None:
    error, _ = call(stack, settings(big.url), "get")
    assert isinstance(error, ResponseTooLargeError), repr(error)
    assert error.limit == 16 * MiB


@pytest.mark.parametrize("big", [("gzip", False)], indirect=True)
def test_a_create_answered_too_large_says_so_with_its_status(big: BigAnswers) -> None:
    """A 2xx too large to read means the object exists: the status says so (not retried)."""
    error, _ = call(STACKS[0].values[0], settings(big.url, max_response_bytes=LIMIT), "create")
    assert isinstance(error, ResponseTooLargeError)
    assert error.status_code == 200
    assert big.requests == 1


@pytest.mark.parametrize("value", [0, -1, 1.5, True, "16"])
def test_max_response_bytes_must_be_a_positive_int(value: Any) -> None:
    from imburse import ConfigurationError

    with pytest.raises(ConfigurationError, match="max_response_bytes"):
        Imburse(**settings("http://127.0.0.1:1", max_response_bytes=value))
