"""Private keys, HMAC signatures and bearer tokens never show: not in a repr or str (of the
client, its config, a token, a prepared request, any error, also after pickling), not in a
traceback, not in any log record at DEBUG, whoever logs it (imburse, httpx, httpcore,
anyio, asyncio, aiohttp...), not on stdout or stderr.

A busy day is played against the fake Imburse over real HTTP on every transport and on the
sync client: token exchanges, creates, reads, retried 503s, revoked tokens, a wrong key,
timeouts, dropped connections, a redirect. Then every secret the fake saw on the wire is
searched for in everything that was shown. The last tests switch each redaction off in
turn and check that this search finds the secret: the tests have teeth.
"""

from __future__ import annotations

import base64
import logging
import pickle
import traceback
from collections.abc import Callable, Iterator
from typing import Any

import anyio
import attrs
import pytest

from imburse import (
    AccessToken,
    AsyncImburse,
    DefaultRetryPolicy,
    Imburse,
    ImburseError,
    ResponseDecodeError,
    Timeouts,
)
from imburse._core.auth import decode_private_key, parse_token
from imburse._core.build import PreparedRequest, build_request, build_token_request
from imburse._core.config import ClientConfig, Credentials
from imburse._core.operations import GET_ORDER
from imburse.testing import FakeImburse, FakeServer

OTHER_PRIVATE_KEY = "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y="
TOKEN_PATH = "/v1/identity/hmac"


def no_wait(delay: float) -> float:
    return 0.0


class Capture(logging.Handler):
    """Keeps every record of every logger, rendered every way a log pipeline might."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def text(self) -> str:
        parts = []
        for record in self.records:
            parts.append(self.format(record))  # message, and the traceback if any
            parts.append(repr(record.args))
            parts.append(repr({k: v for k, v in vars(record).items() if k != "exc_info"}))
        return "\n".join(parts)


@pytest.fixture
def logs() -> Iterator[Capture]:
    capture = Capture()
    root = logging.getLogger()
    names = ["imburse", "httpx", "httpcore", "hpack", "anyio", "asyncio", "trio", "aiohttp"]
    saved = [(logger, logger.level) for logger in map(logging.getLogger, ["", *names])]
    for logger, _ in saved:
        logger.setLevel(logging.DEBUG)
    root.addHandler(capture)
    try:
        yield capture
    finally:
        root.removeHandler(capture)
        for logger, level in saved:
            logger.setLevel(level)


@pytest.fixture
def fake() -> Iterator[FakeImburse]:
    with FakeImburse() as fake:
        fake.add_key(fake.public_key.replace("8", "9"), OTHER_PRIVATE_KEY, fake.account_id)
        yield fake


def secrets_of(fake: FakeImburse, *private_keys: str) -> list[str]:
    """Everything secret: the keys (as text, bytes and hex), every HMAC signature and header
    and every bearer token the fake saw (whole, and its signature part alone)."""
    found: list[str] = []
    for key in private_keys:
        raw = decode_private_key(key)
        found += [key, key.rstrip("="), repr(raw)[2:-1], raw.hex()]
    for request in fake.requests:
        value = request.headers.get("authorization", "")
        if value.startswith("Hmac "):
            found += [value, value.rsplit(":", 1)[1]]
        elif value.startswith("Bearer "):
            token = value.removeprefix("Bearer ")
            found += [token, token.rsplit(".", 1)[-1]]
    return [s for s in found if len(s) >= 16]


def shown(value: Any) -> str:
    """``str`` and ``repr`` of a value; for an error also its attributes (what error trackers
    record), its traceback, and all of that again after pickling."""
    parts = [str(value), repr(value)]
    if hasattr(value, "__dict__"):
        parts.append(repr(vars(value)))
    if isinstance(value, BaseException):
        parts.append("".join(traceback.format_exception(value)))
        copy = pickle.loads(pickle.dumps(value))  # noqa: S301 - our own bytes
        parts += [str(copy), repr(copy), repr(vars(copy))]
    return "\n".join(parts)


def assert_hidden(secrets: list[str], text: str) -> None:
    leaked = [s[:6] + "..." for s in secrets if s in text]
    assert leaked == [], f"secrets shown: {leaked}"


# --- a busy day --------------------------------------------------------------------------------


class Day:
    """What a busy day showed: objects to render and errors raised."""

    def __init__(self) -> None:
        self.objects: list[Any] = []
        self.errors: list[ImburseError] = []

    async def expect_error(self, call: Any) -> None:
        try:
            await call
        except ImburseError as err:
            self.errors.append(err)
        else:
            raise AssertionError("expected an ImburseError")


def _settings(fake: FakeImburse, server: FakeServer, **extra: Any) -> dict[str, Any]:
    return {
        "public_key": fake.public_key,
        "private_key": fake.private_key,
        "account_id": fake.account_id,
        "tenant_id": fake.tenant_id,
        "base_url": server.url,
        "max_retries": 1,
        "retry_policy": DefaultRetryPolicy(jitter=no_wait),
        "timeout": Timeouts(connect=2, read=0.3, write=2, pool=2),
        **extra,
    }


async def busy_day(fake: FakeImburse, server: FakeServer, transport: str) -> Day:
    day = Day()
    async with AsyncImburse(**_settings(fake, server), transport=transport) as client:
        day.objects += [client, client.with_options(deadline=5), client._config]
        day.objects += [client._config.credentials, client._pipeline, client._pipeline.tokens]
        await client.orders.create("ORD-1", metadata={"k": "v"})
        await client.instructions.create(
            "ORD-1",
            instruction_ref="I-1",
            customer_ref="C-1",
            direction="DEBIT",
            amount="1.00",
            currency="GBP",
            country="GB",
        )
        day.objects += [await client.orders.get("ORD-1"), client._pipeline.tokens._token]
        fake.revoke_tokens()
        await client.orders.get("ORD-1")  # 401, a new exchange, the retry
        fake.inject("status", status=503, times=2)
        await day.expect_error(client.orders.get("ORD-1"))
        fake.inject("status", status=401, times=2, path="order-management")
        await day.expect_error(client.orders.get("ORD-1"))
        fake.inject("stall", delay=1, times=2)
        await day.expect_error(client.orders.get("ORD-1"))
        fake.inject("drop_after", times=None, method="GET")  # aiohttp retries one itself
        await day.expect_error(client.orders.get("ORD-1"))
        fake.clear_faults()
        fake.inject("drop_after", times=2, method="POST")
        await day.expect_error(client.orders.create("ORD-2"))  # outcome unknown
        fake.inject("non_json", status=502, times=2)
        await day.expect_error(client.orders.get("ORD-1"))
        await day.expect_error(client.orders.create("ORD-1"))  # a duplicate of our own
        await day.expect_error(client.orders.get("ORD-1", extra_headers={"Authorization": "x"}))
    settings = _settings(fake, server, private_key=OTHER_PRIVATE_KEY)
    settings["public_key"] = fake.public_key.replace("8", "9")
    async with AsyncImburse(**settings, transport=transport) as wrong:  # known key, wrong tenant
        day.objects.append(wrong)
        await day.expect_error(wrong.orders.get("ORD-1"))
    async with AsyncImburse(
        **_settings(fake, server, private_key=OTHER_PRIVATE_KEY), transport=transport
    ) as forged:  # a signature the fake refuses
        await day.expect_error(forged.orders.get("ORD-1"))
    return day


TRANSPORTS = [
    pytest.param(("httpx", "asyncio"), id="httpx-asyncio"),
    pytest.param(("httpx", "trio"), id="httpx-trio"),
    pytest.param(("httpx2", "asyncio"), id="httpx2-asyncio"),
    pytest.param(("aiohttp", "asyncio"), id="aiohttp-asyncio"),
]


@pytest.mark.parametrize("stack", TRANSPORTS)
def test_no_secret_shows_anywhere_on_any_transport(
    fake: FakeImburse,
    server: FakeServer,
    logs: Capture,
    capfd: pytest.CaptureFixture[str],
    stack: tuple[str, str],
) -> None:
    transport, backend = stack
    if transport != "httpx":
        pytest.importorskip(transport)
    day = anyio.run(busy_day, fake, server, transport, backend=backend)
    out, err = capfd.readouterr()
    secrets = secrets_of(fake, fake.private_key, OTHER_PRIVATE_KEY)
    assert len(secrets) > 10
    assert len(day.errors) == 10
    assert len(logs.records) > 20
    assert {"imburse", "imburse.testing"} <= {r.name for r in logs.records}
    assert_hidden(secrets, logs.text())
    assert_hidden(secrets, out + err)
    for value in day.objects + day.errors:
        assert_hidden(secrets, shown(value))


def test_no_secret_shows_on_the_sync_client(
    fake: FakeImburse, server: FakeServer, logs: Capture, capfd: pytest.CaptureFixture[str]
) -> None:
    errors: list[ImburseError] = []
    with Imburse(**_settings(fake, server)) as client:
        client.orders.create("ORD-1")
        fake.revoke_tokens()
        client.orders.get("ORD-1")
        fake.inject("status", status=503, times=2)
        with pytest.raises(ImburseError) as unavailable:
            client.orders.get("ORD-1")
        errors.append(unavailable.value)
        shown_objects = [client, client._config, client._pipeline.tokens._token]
    out, err = capfd.readouterr()
    secrets = secrets_of(fake, fake.private_key)
    assert len(secrets) >= 6
    assert_hidden(secrets, logs.text() + out + err)
    for value in shown_objects + errors:
        assert_hidden(secrets, shown(value))


# --- the pure pieces, one by one ---------------------------------------------------------------

CONFIG_KEY = "fIV2ABvonbR5xMg70jta0t4yVbKmRS8kLL/zpf5c5gU="
BEARER = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjQxMDI0NDQ4MDB9.c2lnbmF0dXJlLW9mLXRoZS10b2tlbg"


def _config() -> ClientConfig:
    from imburse._core.config import resolve_config

    return resolve_config(
        public_key="pk",
        private_key=CONFIG_KEY,
        account_id="1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c",
        tenant_id="2bb81e1e-b072-4e64-b1ec-fdcc54f2d08c",
        env={},
    )


def _signature(request: PreparedRequest) -> str:
    return (request.header("Authorization") or "").rsplit(":", 1)[1]


# Each location: what to render, and the secrets it holds.
def _config_case() -> tuple[Any, list[str]]:
    return _config(), [CONFIG_KEY]


def _credentials_case() -> tuple[Any, list[str]]:
    return _config().credentials, [CONFIG_KEY]


def _token_case() -> tuple[Any, list[str]]:
    token = parse_token(f'{{"accessToken": "{BEARER}", "expires": 4102444800}}'.encode())
    return token, [BEARER]


def _bearer_request_case() -> tuple[Any, list[str]]:
    request = build_request(GET_ORDER, _config(), path_params={"orderRef": "O"})
    return request.with_header("Authorization", f"Bearer {BEARER}"), [BEARER]


def _hmac_request_case() -> tuple[Any, list[str]]:
    request = build_token_request(_config(), nonce="n0nce", timestamp=1_700_000_000)
    return request, [_signature(request), CONFIG_KEY]


def _client_case() -> tuple[Any, list[str]]:
    client = AsyncImburse(**{**vars_of_config(), "private_key": CONFIG_KEY})
    client._closed = True  # never used: nothing to close
    return client, [CONFIG_KEY]


def _bad_token_answer_case() -> tuple[Any, list[str]]:
    body = f'{{"accessToken": "{BEARER}", "expires": '.encode()  # cut short by a proxy
    try:
        parse_token(body)
    except ResponseDecodeError as err:
        return err, [BEARER, BEARER[:40]]
    raise AssertionError("parse_token accepted a cut-short answer")


def vars_of_config() -> dict[str, Any]:
    return {
        "public_key": "pk",
        "account_id": "1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c",
        "tenant_id": "2bb81e1e-b072-4e64-b1ec-fdcc54f2d08c",
    }


CASES: dict[str, Callable[[], tuple[Any, list[str]]]] = {
    "config": _config_case,
    "credentials": _credentials_case,
    "token": _token_case,
    "request with a bearer token": _bearer_request_case,
    "signed token request": _hmac_request_case,
    "client": _client_case,
    "error for a cut-short token answer": _bad_token_answer_case,
}


@pytest.mark.parametrize("case", CASES)
def test_each_location_hides_its_secrets(case: str) -> None:
    value, secrets = CASES[case]()
    assert_hidden(secrets, shown(value))


# --- the tests have teeth: remove a redaction, and they see the secret -------------------------


def _naive_repr(self: Any) -> str:
    if attrs.has(type(self)):
        fields = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in attrs.fields(type(self)))
    else:
        fields = repr(vars(self))
    return f"{type(self).__name__}({fields})"


def _client_repr_with_config(self: Any) -> str:
    return f"AsyncImburse({self._config.credentials!r})"


# What each location's protection is, and how to remove it.
REDACTIONS: dict[str, list[tuple[Any, str, Any]]] = {
    "config": [(Credentials, "__repr__", _naive_repr)],
    "credentials": [(Credentials, "__repr__", _naive_repr)],
    "token": [(AccessToken, "__repr__", _naive_repr)],
    "request with a bearer token": [(PreparedRequest, "__repr__", _naive_repr)],
    "signed token request": [(PreparedRequest, "__repr__", _naive_repr)],
    "client": [
        (AsyncImburse, "__repr__", _client_repr_with_config),
        (Credentials, "__repr__", _naive_repr),
    ],
}


@pytest.mark.parametrize("case", REDACTIONS)
def test_without_its_redaction_each_location_is_caught(
    case: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for owner, name, replacement in REDACTIONS[case]:
        monkeypatch.setattr(owner, name, replacement)
    value, secrets = CASES[case]()
    with pytest.raises(AssertionError, match="secrets shown"):
        assert_hidden(secrets, shown(value))


def test_the_log_capture_sees_a_secret_any_library_logs(
    fake: FakeImburse, server: FakeServer, logs: Capture
) -> None:
    """If httpcore (or anything else) logged the Authorization header, the search finds it."""

    async def day() -> None:
        async with AsyncImburse(**_settings(fake, server)) as client:
            await client.orders.create("ORD-1")
            token = client._pipeline.tokens._token
            assert token is not None
            logging.getLogger("httpcore.http11").debug(
                "headers=%r", [("Authorization", token.value)]
            )

    anyio.run(day)
    with pytest.raises(AssertionError, match="secrets shown"):
        assert_hidden(secrets_of(fake, fake.private_key), logs.text())


def test_secrets_found_includes_the_key_in_every_form() -> None:
    fake = FakeImburse()
    found = secrets_of(fake, fake.private_key)
    assert fake.private_key in found
    assert base64.b64decode(fake.private_key).hex() in found


@pytest.mark.parametrize(
    "url",
    [
        "ftp://user:hunter2-secret@imburse.example.com",
        "https://user:hunter2-secret@imbürse.example.com",
        "https://user:hunter2-secret@imburse.example.com",
        "http://user:hunter2-secret@10.0.0.1",
    ],
)
def test_a_refused_base_url_does_not_echo_its_password(url: str) -> None:
    from imburse import ConfigurationError
    from imburse._core.config import check_base_url

    with pytest.raises(ConfigurationError) as info:
        check_base_url(url)
    assert_hidden(["hunter2-secret"], shown(info.value))
