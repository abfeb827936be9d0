"""A transport failure names its host and chains a frame-free copy of the root network
error (issue 14 item 5, transport side).

The HTTP library's frames hold the request's headers (the bearer token, the HMAC signature):
an error tracker capturing locals along the ``__cause__``/``__context__`` chain would print
them. Failed before: the failure carried no host, and its cause was dropped altogether
(``from None``), so a caller could not tell a refused connection from a reset one. Now
``TransportFailure.__cause__`` is the root error (``ConnectionRefusedError``, the library's
protocol error, a timeout) copied without traceback, context or attributes.
"""

from __future__ import annotations

import traceback
from typing import Any

import anyio
import pytest

from imburse._async.transport import async_transport_for
from imburse._core.build import PreparedRequest
from imburse._core.call import TransportFailure
from imburse._core.config import Timeouts
from imburse._sync.transport import sync_transport_for
from imburse.testing import FakeImburse, FakeServer

SECRET = "Bearer tok-SECRET-4f1e9c"
STACKS = [
    pytest.param(("httpx", "asyncio"), id="httpx-asyncio"),
    pytest.param(("httpx", "trio"), id="httpx-trio"),
    pytest.param(("httpx2", "asyncio"), id="httpx2-asyncio"),
    pytest.param(("aiohttp", "asyncio"), id="aiohttp-asyncio"),
    pytest.param(("httpx", ""), id="sync-httpx"),
    pytest.param(("httpx2", ""), id="sync-httpx2"),
]


def send(stack: tuple[str, str], url: str, timeouts: Timeouts) -> TransportFailure:
    """POST to ``url`` with a bearer token on the stack's own pool; the failure raised."""
    name, backend = stack
    if name != "httpx":
        pytest.importorskip(name)
    request = PreparedRequest(
        "POST", url, (("Authorization", SECRET), ("Accept", "application/json")), b"{}", "/x"
    )
    if not backend:
        adapter: Any = sync_transport_for(name, None)
        try:
            with pytest.raises(TransportFailure) as caught:
                adapter.send(request, timeouts)
        finally:
            adapter.close()
        return caught.value

    async def run() -> TransportFailure:
        adapter = async_transport_for(name, None)
        try:
            with pytest.raises(TransportFailure) as caught:
                await adapter.send(request, timeouts)
        finally:
            await adapter.aclose()
        return caught.value

    result: TransportFailure = anyio.run(run, backend=backend)
    return result


def assert_frame_free(failure: TransportFailure) -> None:
    cause = failure.__cause__
    assert cause is not None
    assert failure.cause is cause
    assert cause.__traceback__ is None
    assert cause.__cause__ is None
    assert cause.__context__ is None
    assert failure.__context__ is None  # the library's own exception is not kept either
    shown = "".join(
        traceback.TracebackException.from_exception(failure, capture_locals=True).format()
    )
    assert SECRET not in shown
    assert "SECRET" not in shown


@pytest.mark.parametrize("stack", STACKS)
def test_a_refused_connection_names_the_host_and_chains_the_os_error(
    stack: tuple[str, str],
) -> None:
    with FakeImburse().serve() as server:
        url = server.url
    host = url.removeprefix("http://")
    failure = send(stack, url + "/v1/x", Timeouts())
    assert failure.host == host
    assert failure.sent is False
    assert isinstance(failure.__cause__, ConnectionRefusedError)
    assert failure.__cause__.errno is not None
    assert_frame_free(failure)


@pytest.mark.parametrize("stack", STACKS)
def test_a_dropped_answer_chains_the_protocol_error_without_frames(
    fake: FakeImburse, server: FakeServer, stack: tuple[str, str]
) -> None:
    fake.inject("drop_after", path="/v1/x")
    failure = send(stack, server.url + "/v1/x", Timeouts())
    assert failure.host == server.url.removeprefix("http://")
    assert failure.sent is True
    assert_frame_free(failure)


@pytest.mark.parametrize("stack", STACKS)
def test_a_read_timeout_chains_a_frame_free_cause(
    fake: FakeImburse, server: FakeServer, stack: tuple[str, str]
) -> None:
    fake.inject("stall", delay=5, path="/v1/x")
    failure = send(stack, server.url + "/v1/x", Timeouts(1.0, 0.2, 1.0, 1.0))
    assert failure.timed_out
    assert failure.host == server.url.removeprefix("http://")
    assert_frame_free(failure)
