"""Bad header values stop at the boundary, the same way on every HTTP stack (issue 14, item 6).

Before issue 14 a correlation id with CR/LF, a public key containing ``:`` or CR/LF and
non-ASCII header values ended in raw ``TypeError`` / ``ValueError`` / h11 errors that
differed per transport (or were sent: a 100 KB correlation id went out as is), extra headers
could set ``Host``, ``x-tenant-id`` or ``Content-Length``, and CR/LF in an id echoed into
``str(err)`` forged log lines. Now:

* a correlation id is 1-128 visible ASCII characters, else ``ValidationError`` naming
  ``correlation_id``;
* extra headers (per call and in ``with_options``) may not set a reserved name and must be
  printable ASCII, else ``ValidationError`` naming ``extra_headers``;
* the keys are checked for their documented format when the client is built
  (``ConfigurationError``, like every other constructor argument);
* ``str(err)`` escapes control characters, whoever sent them.

Nothing reaches the server when a value is refused, not even the token exchange.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import anyio
import pytest

from imburse import (
    APIConnectionError,
    AsyncImburse,
    ConfigurationError,
    DefaultRetryPolicy,
    Imburse,
    ValidationError,
)
from imburse._core.config import resolve_config
from imburse._core.decode import decode_error
from imburse.testing import FakeImburse, FakeServer

STACKS = [
    pytest.param(("httpx", "asyncio"), id="httpx-asyncio"),
    pytest.param(("httpx", "trio"), id="httpx-trio"),
    pytest.param(("httpx2", "asyncio"), id="httpx2-asyncio"),
    pytest.param(("aiohttp", "asyncio"), id="aiohttp-asyncio"),
    pytest.param(("sync", ""), id="sync-httpx"),
]
OTHER_UUID = "2bb81e1e-b072-4e64-b1ec-fdcc54f2d08c"


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> tuple[str, str]:
    name, backend = request.param
    if name not in ("httpx", "sync"):
        pytest.importorskip(name)
    return name, backend


def settings(fake: FakeImburse, server: FakeServer, **extra: Any) -> dict[str, Any]:
    return {
        "public_key": fake.public_key,
        "private_key": fake.private_key,
        "account_id": fake.account_id,
        "tenant_id": fake.tenant_id,
        "base_url": server.url,
        "max_retries": 0,
        "retry_policy": DefaultRetryPolicy(jitter=lambda wait: 0.0),
        "deadline": 10,
        **extra,
    }


def outcome(
    stack: tuple[str, str], options: dict[str, Any], call: Callable[[Any], Any]
) -> BaseException | None:
    """Run ``call(client)`` on a fresh client of ``stack``; the error it raised, if any."""
    name, backend = stack
    if name == "sync":
        with Imburse(**options) as client:
            try:
                call(client)
            except Exception as err:
                return err
            return None

    async def main() -> BaseException | None:
        async with AsyncImburse(**options, transport=name) as client:
            try:
                result = call(client)
                if inspect.isawaitable(result):
                    await result
            except Exception as err:
                return err
            return None

    result: BaseException | None = anyio.run(main, backend=backend)
    return result


BAD_CORRELATION_IDS = {
    "crlf": "job-1\r\nX-Injected: 1",
    "lf": "job-1\nforged log line",
    "100-kb": "c" * 100_000,
    "129-chars": "c" * 129,
    "non-ascii": "commande-\u00e9t\u00e9",
    "space": "job 1",
    "nul": "job\x001",
    "not-a-string": 12345,
}


@pytest.mark.parametrize("name", sorted(BAD_CORRELATION_IDS))
def test_a_bad_correlation_id_is_a_validation_error_on_every_stack(
    fake: FakeImburse, server: FakeServer, stack: tuple[str, str], name: str
) -> None:
    """Failed before issue 14: CR/LF and non-ASCII ids ended in a different raw error per
    transport, and the 100 KB id was sent as is."""
    cid = BAD_CORRELATION_IDS[name]
    err = outcome(
        stack, settings(fake, server), lambda c: c.orders.get("ORD-1", correlation_id=cid)
    )
    assert isinstance(err, ValidationError), repr(err)
    assert err.field == "correlation_id"
    assert "\n" not in str(err)
    assert "\r" not in str(err)
    assert len(str(err)) < 300
    assert fake.requests == []


def test_a_correlation_id_of_128_visible_ascii_characters_is_sent_as_is(
    fake: FakeImburse, server: FakeServer, stack: tuple[str, str]
) -> None:
    """The documented maximum passes untouched (passed before too: it guards against
    refusing too much)."""
    cid = "job-7/order:9~" + "x" * 114
    assert len(cid) == 128
    fake_order = outcome(stack, settings(fake, server), lambda c: c.orders.create("ORD-1"))
    assert fake_order is None
    err = outcome(
        stack, settings(fake, server), lambda c: c.orders.get("ORD-1", correlation_id=cid)
    )
    assert err is None
    assert fake.requests[-1].headers["x-correlation-id"] == cid


BAD_EXTRA_HEADERS = {
    "host": {"Host": "evil.example"},
    "authorization-padded": {" Authorization ": "Bearer mine"},
    "authorization-upper": {"AUTHORIZATION": "Bearer mine"},
    "account-id": {"X-Account-ID": OTHER_UUID},
    "tenant-id": {"x-tenant-id": OTHER_UUID},
    "tenant-id-padded": {"x-tenant-id\t": OTHER_UUID},
    "content-length": {"Content-Length": "0"},
    "transfer-encoding": {"Transfer-Encoding": "chunked"},
    "connection": {"Connection": "close"},
    "correlation-id": {"X-Correlation-ID": "mine"},
    "non-ascii-value": {"X-Note": "caf\u00e9"},
    "non-ascii-name": {"X-N\u00f6te": "cafe"},
    "space-in-name": {"X Note": "v"},
    "crlf-value": {"X-Note": "v\r\nInjected: 1"},
    "not-a-string": {"X-Note": 1},
}


@pytest.mark.parametrize("name", sorted(BAD_EXTRA_HEADERS))
def test_a_reserved_or_malformed_extra_header_is_a_validation_error_on_every_stack(
    fake: FakeImburse, server: FakeServer, stack: tuple[str, str], name: str
) -> None:
    """Failed before issue 14: ``Host``, ``x-tenant-id``, ``Content-Length``... were sent
    (another tenant's id, a forged length), a padded `` Authorization `` slipped past the
    check, and non-ASCII values ended in raw ``UnicodeEncodeError``/``TypeError``/h11 errors
    that differed per transport."""
    headers = BAD_EXTRA_HEADERS[name]
    per_call = outcome(
        stack, settings(fake, server), lambda c: c.orders.get("ORD-1", extra_headers=headers)
    )
    in_view = outcome(
        stack, settings(fake, server), lambda c: c.with_options(extra_headers=headers)
    )
    for err in (per_call, in_view):
        assert isinstance(err, ValidationError), repr(err)
        assert err.field == "extra_headers"
        assert "\n" not in str(err)
        assert "\r" not in str(err)
    assert fake.requests == []


@pytest.mark.parametrize(
    "public_key",
    ["pk:forged", "pk\r\nX-Injected: 1", "pk\nx", "cl\u00e9-publique", "pk x", "p" * 129],
)
def test_a_malformed_public_key_is_refused_when_the_client_is_built(
    fake: FakeImburse, server: FakeServer, stack: tuple[str, str], public_key: str
) -> None:
    """Failed before issue 14: the client was built, and the first call failed with a raw,
    transport-specific error (or, with ``:``, a signature the server could not parse)."""
    with pytest.raises(ConfigurationError, match="public_key"):
        outcome(stack, settings(fake, server, public_key=public_key), lambda c: None)
    assert fake.requests == []


@pytest.mark.parametrize(
    "private_key",
    [
        "c2VjcmV0",  # valid base64, but of 6 bytes
        "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y",  # 32 bytes without its padding
        "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y=AAAA",  # 35 bytes
        "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X6-_=",  # URL-safe alphabet
        "AGHYR1aWYgHgyjhJLkVCd7b8X\nfAVeA4tuFwCQl3X64Y=",  # a line break inside
    ],
)
def test_a_private_key_not_in_its_documented_format_is_refused_without_echoing_it(
    fake: FakeImburse, server: FakeServer, private_key: str
) -> None:
    """Failed before issue 14 for the first key: any valid base64 of any length was taken,
    and its signatures were then refused by the server with a 401. (The others were refused
    as bad base64 already, and stay refused.) The documented format is the base64 text of
    32 bytes (44 characters, ending in ``=``)."""
    with pytest.raises(ConfigurationError, match="private_key") as info:
        Imburse(**settings(fake, server, private_key=private_key))
    assert private_key not in str(info.value)
    assert private_key.strip("=")[:12] not in str(info.value)


def test_str_of_an_error_escapes_line_breaks_from_the_server() -> None:
    """Failed before issue 14: a server's ``correlationId`` or message with CR/LF appeared
    unescaped in ``str(err)``, so one log line could be turned into two."""
    body = (
        b'{"correlationId": "0HLPSRAQ7S0I6:1\\r\\n2026-12-03 ERROR forged", "errors": '
        b'[{"errorCode": "BAD\\nCODE", "message": "Order\\u001b[2J exists.\\r\\nforged"}]}'
    )
    err = decode_error(400, {}, body, correlation_id="c-1")
    text = str(err)
    assert "\n" not in text
    assert "\r" not in text
    assert "\x1b" not in text
    assert "\\r\\n2026-12-03 ERROR forged" in text
    assert err.server_correlation_id == "0HLPSRAQ7S0I6:1\r\n2026-12-03 ERROR forged"  # kept
    assert "\n" not in str(APIConnectionError("reset", correlation_id="a\nb"))


def test_the_private_key_given_as_the_public_key_is_refused() -> None:
    """The private key pasted as the public key would be shown in every repr and sent in every
    signed header. Before this test the client accepted it (a hypothesis run found the repr
    showing it); now it is a ConfigurationError that does not echo the key."""
    key = "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y="
    with pytest.raises(ConfigurationError) as caught:
        resolve_config(
            public_key=key,
            private_key=key,
            account_id="1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c",
            env={},
        )
    assert key not in str(caught.value)
