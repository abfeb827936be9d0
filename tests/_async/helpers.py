"""Test helpers: an injected clock and a recording wire in front of the fake.

Written once here; ``scripts/unasync.py`` turns this file into ``tests/_sync/helpers.py``.
"""

from __future__ import annotations

import httpx

from imburse.testing import FakeImburse, SeenRequest

# 2023-11-14T22:13:20Z: a round epoch, so HTTP dates and expiries are exact.
WALL_START = 1_700_000_000.0


class FakeClock:
    """Monotonic and wall clocks that move only when told to, or when the client sleeps.

    Give ``now`` as ``clock=``, ``wall`` as ``wall_clock=`` (and to the fake) and ``sleep`` as
    ``sleep=``; every sleep is recorded in ``sleeps`` and advances both clocks.
    """

    def __init__(self, wall: float = WALL_START, mono: float = 1_000.0) -> None:
        self._wall = wall
        self._mono = mono
        self.sleeps: list[float] = []

    def now(self) -> float:
        return self._mono

    def wall(self) -> float:
        return self._wall

    def advance(self, seconds: float) -> None:
        self._mono += seconds
        self._wall += seconds

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(seconds)


class Wire:
    """An ``httpx.MockTransport`` in front of a fake that records what went over the wire.

    Each entry of ``requests`` is ``(monotonic time, httpx.Request)``; ``responses`` keeps the
    answers. Dropped connections become the httpx errors a real network raises.
    """

    def __init__(self, fake: FakeImburse, clock: FakeClock) -> None:
        self.fake = fake
        self.clock = clock
        self.requests: list[tuple[float, httpx.Request]] = []
        self.responses: list[httpx.Response] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.requests.append((self.clock.now(), request))
        answer = self.fake.handle(
            request.method, str(request.url), request.headers, request.content
        )
        if answer.action == "drop_before":
            raise httpx.ConnectError("connection refused", request=request)
        if answer.action == "drop_after":
            raise httpx.RemoteProtocolError("server disconnected", request=request)
        response = httpx.Response(
            answer.status, headers=list(answer.headers.items()), content=answer.body
        )
        self.responses.append(response)
        return response

    def async_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(transport=httpx.MockTransport(self.handler))

    def paths(self) -> list[str]:
        return [request.url.path for _, request in self.requests]


def calls_to(fake: FakeImburse, path: str, method: str | None = None) -> list[SeenRequest]:
    """The requests the fake saw on ``path`` (exactly), optionally with ``method``."""
    return [r for r in fake.requests if r.path == path and (method is None or r.method == method)]


TOKEN_PATH = "/v1/identity/hmac"
ORDERS_PATH = "/v1/order-management"


def order_path(ref: str) -> str:
    return f"{ORDERS_PATH}/{ref}"
