"""The fake over real HTTP (``fake.serve()``) and ``python -m imburse fake-server``."""

from __future__ import annotations

import argparse
import io
import json
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from imburse._cli import fake_server
from imburse.testing import DEMO_CREDENTIALS, FakeImburse, FakeServer

from .fake_helpers import TOKEN_PATH, hmac_header, ids_headers, instruction

ORDERS = "/v1/order-management"


@pytest.fixture
def headers(fake: FakeImburse, server: FakeServer) -> dict[str, str]:
    auth = hmac_header(DEMO_CREDENTIALS, fake.clock())
    response = httpx.post(server.url + TOKEN_PATH, headers={"Authorization": auth})
    assert response.status_code == 201, response.text
    token = response.json()["accessToken"]
    return {"Authorization": f"Bearer {token}", **ids_headers(DEMO_CREDENTIALS)}


def test_round_trip_over_http(
    fake: FakeImburse, server: FakeServer, headers: dict[str, str]
) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    with httpx.Client(base_url=server.url, headers=headers) as http:
        body = {"orderRef": "O", "instructions": [instruction("I1")]}
        assert http.post(ORDERS, json=body).status_code == 202
        # Several calls on one keep-alive connection.
        for _ in range(3):
            response = http.get(f"{ORDERS}/O/instruction/I1")
            assert response.status_code == 200
            assert b'"amount":200.00' in response.content
        assert http.get("/v2/order-management/NOPE").status_code == 400
    assert fake.token_exchanges == 1
    assert [r.status for r in fake.requests] == [201, 202, 200, 200, 200, 400]


def test_chunked_request_body(server: FakeServer, headers: dict[str, str]) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"orderRef":'
        yield b'"CHUNKED"}'

    with httpx.Client(base_url=server.url, headers=headers) as http:
        assert http.post(ORDERS, content=chunks()).status_code == 201
        assert http.get(f"{ORDERS}/CHUNKED").status_code == 200


def _create(
    server: FakeServer, headers: dict[str, str], ref: str, timeout: float = 5.0
) -> httpx.Response:
    with httpx.Client(base_url=server.url, headers=headers, timeout=timeout) as http:
        return http.post(ORDERS, json={"orderRef": ref})


def test_status_and_non_json_over_http(
    fake: FakeImburse, server: FakeServer, headers: dict[str, str]
) -> None:
    fake.inject("status", status=429, retry_after="1.5")
    response = _create(server, headers, "A")
    assert (response.status_code, response.headers["retry-after"]) == (429, "1.5")
    assert response.json()["errors"][0]["errorCode"] == "TOO_MANY_REQUESTS"
    fake.inject("non_json", apply=True)
    response = _create(server, headers, "B")
    assert response.status_code == 502
    assert response.headers["content-type"] == "text/html"
    assert list(fake.orders) == ["B"]


def test_drop_before_over_http(
    fake: FakeImburse, server: FakeServer, headers: dict[str, str]
) -> None:
    fake.inject("drop_before")
    with pytest.raises(httpx.TransportError):
        _create(server, headers, "A")
    assert fake.orders == {}
    assert fake.requests[-1].fault == "drop_before"
    assert fake.requests[-1].status is None


def test_drop_after_over_http(
    fake: FakeImburse, server: FakeServer, headers: dict[str, str]
) -> None:
    fake.inject("drop_after")
    with pytest.raises(httpx.RemoteProtocolError):
        _create(server, headers, "A")
    assert list(fake.orders) == ["A"]


def test_latency_and_stall_over_http(
    fake: FakeImburse, server: FakeServer, headers: dict[str, str]
) -> None:
    fake.inject("latency", delay=0.1)
    start = time.monotonic()
    assert _create(server, headers, "A").status_code == 201
    assert time.monotonic() - start >= 0.09
    fake.inject("stall", delay=30)
    start = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        _create(server, headers, "B", timeout=0.2)
    assert time.monotonic() - start < 5
    assert set(fake.orders) == {"A", "B"}


def test_truncate_over_http(fake: FakeImburse, server: FakeServer, headers: dict[str, str]) -> None:
    assert _create(server, headers, "O").status_code == 201
    fake.inject("truncate")
    with (
        httpx.Client(base_url=server.url, headers=headers) as http,
        pytest.raises(httpx.RemoteProtocolError),
    ):
        http.get(f"{ORDERS}/O")


def _raw(server: FakeServer, request: bytes) -> bytes:
    with socket.create_connection((server.host, server.port), timeout=5) as sock:
        sock.sendall(request)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
        return data


def _request(method: str, path: str, headers: dict[str, str], body: bytes = b"") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: fake", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def test_raw_socket_faults(fake: FakeImburse, server: FakeServer, headers: dict[str, str]) -> None:
    body = json.dumps({"orderRef": "RAW"}).encode()
    fake.inject("drop_after")
    assert _raw(server, _request("POST", ORDERS, headers, body)) == b""
    assert "RAW" in fake.orders

    fake.inject("truncate", keep=5)
    data = _raw(server, _request("GET", f"{ORDERS}/RAW", headers))
    head, _, got = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200")
    announced = int(
        next(
            line.split(b":", 1)[1]
            for line in head.split(b"\r\n")
            if line.lower().startswith(b"content-length")
        )
    )
    assert len(got) == 5 < announced


def test_only_loopback_hosts(fake: FakeImburse) -> None:
    for host in ["0.0.0.0", "10.1.2.3", "example.com", ""]:  # noqa: S104 - refused
        with pytest.raises(ValueError, match="loopback"):
            fake.serve(host)
    with fake.serve("localhost") as server:
        assert server.url.startswith("http://localhost:")
        assert httpx.get(server.url + "/v1/x").status_code == 404


def test_ipv6_loopback(fake: FakeImburse) -> None:
    try:
        server = fake.serve("::1")
    except OSError:  # pragma: no cover - machines without IPv6
        pytest.skip("no IPv6 loopback here")
    with server:
        assert server.url.startswith("http://[::1]:")
        assert httpx.get(server.url + "/v1/x").status_code == 404


def test_close_stops_serving(fake: FakeImburse) -> None:
    server = fake.serve()
    assert "serving" in repr(server)
    fake.inject("stall", delay=30)
    stalled: list[BaseException] = []

    def call() -> None:
        try:
            httpx.get(server.url + "/v1/x", timeout=10)
        except httpx.HTTPError as err:
            stalled.append(err)

    thread = threading.Thread(target=call)
    thread.start()
    time.sleep(0.2)
    start = time.monotonic()
    fake.close()  # wakes the stalled handler instead of waiting 30 s
    thread.join(5)
    assert time.monotonic() - start < 5
    assert not thread.is_alive()
    assert "closed" in repr(server)
    server.close()  # idempotent
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.url + "/v1/x")


# -- CLI -------------------------------------------------------------------------------------


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    fake_server.add_parser(parser.add_subparsers(dest="command"))
    return parser.parse_args(argv)


def test_cli_arguments() -> None:
    args = _parse(["fake-server"])
    assert (args.host, args.port, args.run) == ("127.0.0.1", 8080, fake_server.run)
    args = _parse(["fake-server", "--host", "::1", "--port", "0"])
    assert (args.host, args.port) == ("::1", 0)


def test_cli_serves_and_prints_credentials() -> None:
    out = io.StringIO()
    stop = threading.Event()
    result: list[int] = []
    args = _parse(["fake-server", "--port", "0"])
    thread = threading.Thread(
        target=lambda: result.append(fake_server.run(args, stop=stop, out=out))
    )
    thread.start()
    try:
        deadline = time.monotonic() + 5
        while "IMBURSE_TENANT_ID" not in out.getvalue() and time.monotonic() < deadline:
            time.sleep(0.01)
        env = dict(
            line.split("=", 1)
            for line in out.getvalue().splitlines()
            if line.startswith("IMBURSE_")
        )
        assert set(env) == {
            "IMBURSE_BASE_URL",
            "IMBURSE_PUBLIC_KEY",
            "IMBURSE_PRIVATE_KEY",
            "IMBURSE_ACCOUNT_ID",
            "IMBURSE_TENANT_ID",
        }
        assert env["IMBURSE_PUBLIC_KEY"] == DEMO_CREDENTIALS.public_key
        assert env["IMBURSE_PRIVATE_KEY"] == DEMO_CREDENTIALS.private_key
        auth = hmac_header(DEMO_CREDENTIALS, time.time())
        response = httpx.post(env["IMBURSE_BASE_URL"] + TOKEN_PATH, headers={"Authorization": auth})
        assert response.status_code == 201
    finally:
        stop.set()
        thread.join(5)
    assert result == [0]


def test_cli_refuses_public_hosts(capsys: pytest.CaptureFixture[str]) -> None:
    args = _parse(["fake-server", "--host", "0.0.0.0", "--port", "0"])  # noqa: S104 - refused
    assert fake_server.run(args, out=io.StringIO()) == 2
    assert "loopback" in capsys.readouterr().err


def test_python_m_imburse_fake_server_help() -> None:
    from imburse.__main__ import main

    with pytest.raises(SystemExit) as exit_info:
        main(["fake-server", "--help"])
    assert exit_info.value.code == 0


def test_answers_are_not_held_back_by_nagle(server: FakeServer, headers: dict[str, str]) -> None:
    # Headers and body leave in two sends; without TCP_NODELAY the body waited ~40 ms for
    # the client's delayed ACK, which made every test over real HTTP crawl.
    with httpx.Client(base_url=server.url, headers=headers) as client:
        client.get(ORDERS + "/NOPE")  # opens the kept-alive connection
        connections = list(server._httpd.connections)
        assert connections
        for conn in connections:
            assert conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
