"""What a test can see of the fake: requests, orders, counters, reset, the pytest plugin."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import attrs
import pytest

from imburse.testing import FakeImburse

from .fake_helpers import Api, instruction

ORDERS = "/v1/order-management"


def test_requests_are_recorded_without_leaking_secrets(fake: FakeImburse, api: Api) -> None:
    assert api.post(ORDERS, {"orderRef": "O"}).status_code == 201
    exchange, create = fake.requests
    assert (exchange.method, exchange.path, exchange.status) == ("POST", "/v1/identity/hmac", 201)
    assert exchange.headers["authorization"].startswith("Hmac ")
    assert (create.method, create.path, create.status, create.fault) == ("POST", ORDERS, 201, None)
    assert create.json() == {"orderRef": "O"}
    assert create.headers["authorization"] == f"Bearer {api.token}"
    for seen in fake.requests:
        text = repr(seen)
        assert "'authorization': '***'" in text
        assert api.token not in text
        assert seen.headers["authorization"].split(" ", 1)[1] not in text
    assert api.token not in repr(fake)


def test_token_answers_hide_the_token(fake: FakeImburse) -> None:
    from .fake_helpers import hmac_header

    answer = fake.handle(
        "POST",
        "/v1/identity/hmac",
        {"Authorization": hmac_header(fake.credentials, fake.clock())},
        b"",
    )
    assert answer.status == 201
    assert answer.json()["accessToken"] not in repr(answer)
    assert "token answer" in repr(answer)


def test_token_exchanges_counts_successes_only(fake: FakeImburse, api: Api) -> None:
    assert api.exchange().status_code == 201
    refused = api.http.post("/v1/identity/hmac", headers={"Authorization": "Hmac a:b:1:c"})
    assert refused.status_code == 401
    fake.clock = lambda: 0.0  # the clock can be swapped; signatures made now are not stale
    assert api.exchange().status_code == 201
    assert fake.token_exchanges == 2


def test_orders_are_snapshots(fake: FakeImburse, api: Api) -> None:
    assert api.post(ORDERS, {"orderRef": "O"}).status_code == 201
    snapshot = fake.orders
    assert api.post(f"{ORDERS}/O/instruction", instruction("I1")).status_code == 201
    assert snapshot["O"].instructions == {}
    assert list(fake.orders["O"].instructions) == ["I1"]
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        fake.orders["O"].order_ref = "X"  # type: ignore[misc]


def test_reset_keeps_keys_and_settings(fake: FakeImburse, api: Api) -> None:
    fake.token_ttl = 99
    fake.schemes = {"scheme-1"}
    fake.add_key("11111111-2222-3333-4444-555555555555", fake.private_key, "acc", "ten")
    assert api.post(ORDERS, {"orderRef": "O"}).status_code == 201
    fake.inject("status", status=500, times=None)
    fake.inject_random(seed=1, rates={"status_503": 0.5})
    fake.reset()
    assert (fake.orders, fake.requests, fake.token_exchanges, fake.faults) == ({}, [], 0, [])
    assert (fake.token_ttl, fake.schemes) == (99, {"scheme-1"})
    # Old tokens are gone, new exchanges work, and the same nonce could be used again.
    assert api.get(f"{ORDERS}/O").json()["errors"][0]["metadata"]["reason"] == "UNKNOWN_TOKEN"
    api._token = None
    assert api.get(f"{ORDERS}/O").status_code == 404


def test_concurrent_clients_share_one_fake(fake: FakeImburse, api: Api) -> None:
    import concurrent.futures

    headers = api.headers()

    def create(i: int) -> int:
        with fake.client() as http:
            body = {"orderRef": f"O{i}", "instructions": [instruction()]}
            return http.post(ORDERS, json=body, headers=headers).status_code

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        assert set(pool.map(create, range(64))) == {202}
    assert len(fake.orders) == 64


def test_pytest_plugin(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["imburse.testing.pytest_plugin"]\n')
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent(
            """
            from imburse.testing import FakeImburse

            def test_fixture(fake_imburse):
                assert isinstance(fake_imburse, FakeImburse)
                fake_imburse.inject("status", status=503)
                fake_imburse.serve()  # stopped by the fixture

            def test_fresh_per_test(fake_imburse):
                assert fake_imburse.faults == []
            """
        )
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and a temp dir
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
