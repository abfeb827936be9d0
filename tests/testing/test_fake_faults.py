"""Fault injection through the in-process transports (sync, and async on asyncio and trio)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

import anyio
import attrs
import httpx
import pytest

from imburse.testing import DEMO_CREDENTIALS, FakeImburse

from .fake_helpers import TOKEN_PATH, Api, error_of, hmac_header, instruction

ORDERS = "/v1/order-management"
NEW_ORDER = json.dumps({"orderRef": "NEW", "instructions": [instruction()]}).encode()


@attrs.frozen
class Case:
    """One fault, one request, and what the caller must see."""

    kind: str
    params: dict[str, Any]
    method: str = "POST"
    path: str = ORDERS
    timeout: float = 5.0
    raises: type[Exception] | None = None
    status: int | None = None
    applied: bool = False
    check: Callable[[httpx.Response], None] | None = None


def _retry_headers(response: httpx.Response) -> None:
    assert response.headers["retry-after"] == "Wed, 21 Oct 2015 07:28:00 GMT"
    assert response.headers["retry-after-ms"] == "1500"
    assert error_of(response, 429, "TOO_MANY_REQUESTS")["message"] == "Too Many Requests."


def _service_unavailable(response: httpx.Response) -> None:
    error_of(response, 503, "SERVICE_UNAVAILABLE")
    assert "retry-after" not in response.headers


def _html(response: httpx.Response) -> None:
    assert response.headers["content-type"] == "text/html"
    assert b"<h1>502 Bad Gateway</h1>" in response.content
    with pytest.raises(ValueError, match="Expecting value"):
        response.json()


def _truncated(response: httpx.Response) -> None:
    assert int(response.headers["content-length"]) > len(response.content) > 0
    with pytest.raises(ValueError, match=r"Unterminated|Expecting"):
        response.json()


def _kept_10(response: httpx.Response) -> None:
    assert len(response.content) == 10


CASES = [
    Case("status", {}, status=503, check=_service_unavailable),
    Case(
        "status",
        {"status": 429, "retry_after": "Wed, 21 Oct 2015 07:28:00 GMT", "retry_after_ms": 1500},
        status=429,
        check=_retry_headers,
    ),
    Case("status", {"status": 500, "apply": True}, status=500, applied=True),
    Case("drop_before", {}, raises=httpx.ConnectError),
    Case("drop_after", {}, raises=httpx.RemoteProtocolError, applied=True),
    Case("latency", {"delay": 0.05}, status=202, applied=True),
    Case("latency", {"delay": 5.0}, timeout=0.05, raises=httpx.ReadTimeout, applied=True),
    Case("stall", {"delay": 5.0}, timeout=0.05, raises=httpx.ReadTimeout, applied=True),
    Case("stall", {"delay": 0.05}, status=202, applied=True),
    Case("truncate", {}, method="GET", path=f"{ORDERS}/O", status=200, check=_truncated),
    Case("truncate", {"keep": 10}, method="GET", path=f"{ORDERS}/O", status=200, check=_kept_10),
    Case("non_json", {}, status=502, check=_html),
    Case("non_json", {"status": 504, "apply": True}, status=504, applied=True),
]
IDS = [f"{c.kind}-{i}" for i, c in enumerate(CASES)]


def _prepare(fake: FakeImburse, case: Case) -> dict[str, str]:
    with Api(fake) as api:
        assert api.post(ORDERS, {"orderRef": "O", "metadata": {"k": "v" * 100}}).status_code == 201
        headers = api.headers()
    fake.inject(case.kind, **case.params)  # type: ignore[arg-type]
    return headers


def _verify(fake: FakeImburse, case: Case, outcome: httpx.Response | Exception) -> None:
    if case.raises is not None:
        assert isinstance(outcome, case.raises), outcome
    else:
        assert isinstance(outcome, httpx.Response), outcome
        assert outcome.status_code == case.status
        if case.check:
            case.check(outcome)
    if case.method == "POST":
        assert ("NEW" in fake.orders) is case.applied
    seen = fake.requests[-1]
    assert (seen.path, seen.fault) == (case.path, case.kind)
    assert fake.faults == []


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_fault_sync(fake: FakeImburse, case: Case) -> None:
    headers = _prepare(fake, case)
    body = NEW_ORDER if case.method == "POST" else b""
    with fake.client(timeout=case.timeout) as http:
        try:
            outcome: httpx.Response | Exception = http.request(
                case.method, case.path, headers=headers, content=body
            )
        except httpx.HTTPError as err:
            outcome = err
    _verify(fake, case, outcome)


@pytest.mark.anyio
@pytest.mark.parametrize("case", CASES, ids=IDS)
async def test_fault_async(fake: FakeImburse, case: Case) -> None:
    headers = _prepare(fake, case)
    body = NEW_ORDER if case.method == "POST" else b""
    async with fake.async_client(timeout=case.timeout) as http:
        try:
            outcome: httpx.Response | Exception = await http.request(
                case.method, case.path, headers=headers, content=body
            )
        except httpx.HTTPError as err:
            outcome = err
    _verify(fake, case, outcome)


@pytest.mark.anyio
async def test_async_latency_really_waits(fake: FakeImburse) -> None:
    with Api(fake) as api:
        headers = api.headers()
    fake.inject("latency", delay=0.1)
    async with fake.async_client() as http:
        start = anyio.current_time()
        response = await http.get(f"{ORDERS}/X", headers=headers)
        assert anyio.current_time() - start >= 0.09
    assert response.status_code == 404


def test_sync_stall_times_out_after_the_read_timeout(fake: FakeImburse, api: Api) -> None:
    headers = api.headers()
    fake.inject("stall", delay=30)
    with fake.client(timeout=httpx.Timeout(5.0, read=0.1)) as http:
        start = time.monotonic()
        with pytest.raises(httpx.ReadTimeout):
            http.get(f"{ORDERS}/X", headers=headers)
        assert 0.09 <= time.monotonic() - start < 2


# -- matching --------------------------------------------------------------------------------


def test_times_and_clear(fake: FakeImburse, api: Api) -> None:
    fault = fake.inject("status", status=502, times=2)
    assert [api.get(f"{ORDERS}/X").status_code for _ in range(3)] == [502, 502, 404]
    assert (fault.fired, fault.remaining) == (2, 0)
    forever = fake.inject("status", status=503, times=None)
    assert [api.get(f"{ORDERS}/X").status_code for _ in range(3)] == [503] * 3
    assert forever.remaining is None
    assert fake.faults == [forever]
    fake.clear_faults()
    assert api.get(f"{ORDERS}/X").status_code == 404


def test_token_endpoint_is_spared_unless_named(fake: FakeImburse, api: Api) -> None:
    fake.inject("status", status=503, times=None)
    assert api.exchange().status_code == 201
    fake.clear_faults()
    fake.inject("status", status=503, path=r"^/v1/identity/hmac$")
    assert api.exchange().status_code == 503
    assert api.exchange().status_code == 201
    fake.inject("drop_before", path="identity")
    with pytest.raises(httpx.ConnectError):
        api.exchange()


def test_method_and_path_filters(fake: FakeImburse, api: Api) -> None:
    fake.inject("status", status=500, method="post", path=r"/instruction$")
    assert api.get(f"{ORDERS}/O/instruction/I").status_code == 404
    assert api.post(ORDERS, {"orderRef": "O"}).status_code == 201
    assert api.post(f"{ORDERS}/O/instruction", instruction()).status_code == 500
    assert fake.orders["O"].instructions == {}


def test_first_matching_fault_wins(fake: FakeImburse, api: Api) -> None:
    fake.inject("status", status=500)
    fake.inject("status", status=502)
    assert [api.get(f"{ORDERS}/X").status_code for _ in range(3)] == [500, 502, 404]


def test_the_caller_correlation_id_reaches_fault_bodies(fake: FakeImburse, api: Api) -> None:
    fake.inject("status", status=503)
    response = api.get(f"{ORDERS}/X", **{"x-correlation-id": "abc"})
    assert error_of(response, 503, "SERVICE_UNAVAILABLE")["metadata"]["correlationId"] == "abc"


def test_status_below_400_has_no_body(fake: FakeImburse, api: Api) -> None:
    fake.inject("status", status=204)
    response = api.get(f"{ORDERS}/X")
    assert (response.status_code, response.content) == (204, b"")


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"kind": "explode"}, ValueError),
        ({"kind": "latency", "status": 500}, TypeError),
        ({"kind": "drop_after", "delay": 1}, TypeError),
        ({"kind": "status", "times": 0}, ValueError),
        ({"kind": "stall", "delay": -1}, ValueError),
        ({"kind": "truncate", "keep": -1}, ValueError),
    ],
)
def test_inject_checks_its_arguments(
    fake: FakeImburse, kwargs: dict[str, Any], error: type
) -> None:
    with pytest.raises(error):
        fake.inject(**kwargs)


def test_handle_reports_actions_without_sleeping(fake: FakeImburse) -> None:
    path = f"{ORDERS}/X"
    for kind, params, action in [
        ("drop_before", {}, "drop_before"),
        ("drop_after", {}, "drop_after"),
        ("stall", {"delay": 60}, "stall"),
        ("latency", {"delay": 60}, "respond"),
        ("truncate", {}, "truncate"),
    ]:
        fake.inject(kind, **params)  # type: ignore[arg-type]
        start = time.monotonic()
        response = fake.handle("GET", path, {}, b"")
        assert time.monotonic() - start < 1
        assert (response.action, response.fault) == (action, kind)
    assert fake.handle("GET", path, {}, b"").fault is None


# -- random mode -----------------------------------------------------------------------------


def _run_chaos(seed: int, n: int = 200) -> tuple[list[int | None], dict[str, int]]:
    with FakeImburse() as fake:
        chaos = fake.inject_random(
            seed=seed,
            rates={
                "status_503": 0.2,
                "status_429": 0.1,
                "drop_after": 0.1,
                "status_500_applied": 0.1,
            },
            retry_after="1",
        )
        statuses = [fake.handle("GET", f"{ORDERS}/X", {}, b"").status or None for _ in range(n)]
        return statuses, dict(chaos.counts)


def test_random_faults_are_reproducible() -> None:
    first, counts = _run_chaos(42)
    assert _run_chaos(42) == (first, counts)
    assert _run_chaos(43)[0] != first
    # Roughly the asked-for rates, and every other request answered normally (401, no token).
    assert set(first) == {401, 503, 429, None, 500}
    assert 20 <= counts["status_503"] <= 60
    assert sum(counts.values()) + first.count(401) == 200


def test_random_faults_details(fake: FakeImburse, api: Api) -> None:
    chaos = fake.inject_random(seed=1, rates={"status_429": 1.0}, retry_after="3", path="order")
    response = api.get(f"{ORDERS}/X")
    assert (response.status_code, response.headers["retry-after"]) == (429, "3")
    assert api.exchange().status_code == 201  # the path filter spares the token endpoint
    fake.inject("status", status=500)
    assert api.get(f"{ORDERS}/X").status_code == 500  # scripted faults come first
    assert chaos.counts == {"status_429": 1}
    fake.inject_random(seed=1, rates={"non_json_applied": 1.0})
    assert api.post(ORDERS, {"orderRef": "R"}).status_code == 502
    assert "R" in fake.orders
    fake.clear_faults()
    assert api.get(f"{ORDERS}/X").status_code == 404


@pytest.mark.parametrize(
    "rates",
    [
        {"status_503": 0.6, "drop_after": 0.6},
        {"status_5033": 0.1},
        {"status": 0.1},
        {"teleport": 0.1},
        {"drop_after_applied": 0.1},
        {"latency": -0.1},
    ],
)
def test_random_rates_are_checked(fake: FakeImburse, rates: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=r"rate|unknown|only"):
        fake.inject_random(seed=0, rates=rates)


def test_random_latency_and_stall_delays(fake: FakeImburse) -> None:
    fake.inject_random(seed=0, rates={"latency": 0.5, "stall": 0.5}, latency=0.25, stall=0.75)
    delays = {fake.handle("GET", "/v1/x", {}, b"").delay for _ in range(20)}
    assert delays == {0.25, 0.75}


def test_token_exchange_under_faults(fake: FakeImburse) -> None:
    # drop_after on the token endpoint: the token was issued, the caller never saw it.
    fake.inject("drop_after", path=TOKEN_PATH)
    header = hmac_header(DEMO_CREDENTIALS, fake.clock())
    with fake.client() as http, pytest.raises(httpx.RemoteProtocolError):
        http.post(TOKEN_PATH, headers={"Authorization": header})
    assert fake.token_exchanges == 1
