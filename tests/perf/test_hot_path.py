"""Hot-path shortcuts keep their contracts: correlation ids, timeouts, headers, proxies."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from imburse import AsyncImburse
from imburse._core.build import PreparedRequest, build_request
from imburse._core.call import HTTPResponse, new_correlation_id
from imburse._core.config import Timeouts, resolve_config
from imburse._core.operations import GET_ORDER
from imburse.testing import FakeImburse

CONFIG = resolve_config(
    public_key="pk",
    private_key="AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y=",
    account_id="1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c",
    tenant_id="2bb81e1e-b072-4e64-b1ec-fdcc54f2d08c",
    env={},
)


def test_correlation_ids_are_distinct_uuid4_strings() -> None:
    ids = {new_correlation_id() for _ in range(2000)}
    assert len(ids) == 2000
    for value in list(ids)[:200]:
        parsed = uuid.UUID(value)
        assert parsed.version == 4
        assert parsed.variant == uuid.RFC_4122
        assert str(parsed) == value


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        ("ORD-1_a.b~c", "ORD-1_a.b~c"),
        ("ORD 1/2", "ORD%201%2F2"),
        ("café", "caf%C3%A9"),
    ],
)
def test_path_params_are_quoted_as_before(ref: str, expected: str) -> None:
    url = build_request(GET_ORDER, CONFIG, path_params={"orderRef": ref}).url
    assert url.endswith("/v1/order-management/" + expected)


def test_with_header_replaces_case_insensitively_and_keeps_the_rest() -> None:
    request = PreparedRequest(
        "POST", "https://x/v1/a", (("Accept", "a"), ("authorization", "old")), b"{}", "/v1/a"
    )
    changed = request.with_header("Authorization", "Bearer t")
    assert changed.headers == (("Accept", "a"), ("Authorization", "Bearer t"))
    assert (changed.method, changed.url, changed.body, changed.path) == (
        "POST",
        "https://x/v1/a",
        b"{}",
        "/v1/a",
    )


class Recorder:
    """A transport that answers from the fake and records the timeouts it was given."""

    def __init__(self, fake: FakeImburse) -> None:
        self.fake = fake
        self.timeouts: list[Timeouts] = []

    async def send(self, request: PreparedRequest, timeouts: Timeouts) -> HTTPResponse:
        self.timeouts.append(timeouts)
        answer = self.fake.handle(request.method, request.url, dict(request.headers), request.body)
        return HTTPResponse(answer.status, dict(answer.headers), answer.body)

    async def aclose(self) -> None:
        pass


def client(fake: FakeImburse, transport: Any, **options: Any) -> AsyncImburse:
    return AsyncImburse(
        public_key=fake.public_key,
        private_key=fake.private_key,
        account_id=fake.account_id,
        tenant_id=fake.tenant_id,
        transport=transport,
        **options,
    )


@pytest.mark.anyio
async def test_timeouts_are_clipped_only_near_the_deadline() -> None:
    fake = FakeImburse()
    wire = Recorder(fake)
    async with client(fake, wire, timeout=5.0) as sdk:
        await sdk.orders.create("ORD-1")
        await sdk.orders.get("ORD-1")
        assert all(t == Timeouts(5.0, 5.0, 5.0, 5.0) for t in wire.timeouts)
        await sdk.orders.get("ORD-1", deadline=2.0)
    last = wire.timeouts[-1]
    assert max(last.connect, last.read, last.write, last.pool) <= 2.0  # type: ignore[type-var]


@pytest.mark.anyio
async def test_a_custom_transport_object_is_used_as_is() -> None:
    fake = FakeImburse()
    wire = Recorder(fake)
    async with client(fake, wire) as sdk:
        await sdk.orders.create("ORD-1")
    assert len(wire.timeouts) == 2  # token exchange and create


def test_aiohttp_takes_the_proxy_from_the_environment_once(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("aiohttp")
    from imburse._aiohttp import AsyncAiohttpTransport

    def route(adapter: Any, origin: str) -> Any:  # what send() looks up per call
        return (adapter._origins.get(origin) or adapter._origin(origin))[1]

    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "internal.example")
    adapter = AsyncAiohttpTransport()
    proxy, auth = route(adapter, "https://api.example")
    assert str(proxy) == "http://proxy.example:3128"
    assert auth is None
    assert route(adapter, "https://internal.example") == (None, None)
    monkeypatch.delenv("HTTPS_PROXY")
    assert str(route(adapter, "https://api.example")[0]) == "http://proxy.example:3128"
    assert re.match(r"^\(None, None\)$", repr(route(AsyncAiohttpTransport(), "https://a.b")))


def test_timeout_extensions_match_the_timeouts_under_threads() -> None:
    import threading

    from imburse._sync.transport import HttpxTransport

    adapter = HttpxTransport()
    choices = [Timeouts(1.0, 2.0, 3.0, 4.0), Timeouts(5.0, 6.0, 7.0, 8.0)]
    wrong: list[Timeouts] = []

    def work(n: int) -> None:
        for i in range(2000):
            timeouts = choices[(i + n) % 2]
            if adapter._timeout_extensions(timeouts)["timeout"]["read"] != timeouts.read:
                wrong.append(timeouts)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    adapter.close()
    assert wrong == []
