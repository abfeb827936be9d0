"""The cheap timers of the hot path keep the semantics of the expensive ones they replace.

``AsyncDeadline`` cancels with ``Task.cancel()`` / ``Task.uncancel()`` on asyncio (anyio's
scope on trio), its time kept by the client's shared ``AsyncTimers``; the aiohttp adapter
keeps its read timeout with a watchdog on such timers (``AsyncDeadline.extend`` per chunk)
instead of aiohttp's ``sock_read``. Neither may swallow somebody else's cancellation, cut a
block late or early, or leave a cancel request behind.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import pytest

from imburse._deadline import AsyncDeadline, AsyncTimers

pytestmark = pytest.mark.anyio


@pytest.fixture
def anyio_backend() -> str:
    """asyncio only: its cancellation protocol is what is under test (trio: see below)."""
    return "asyncio"


async def _guarded(seconds: float, body: Any, timers: AsyncTimers | None) -> AsyncDeadline:
    with AsyncDeadline(seconds, timers) as deadline:
        await body()
    return deadline


@pytest.mark.parametrize("shared", [True, False], ids=["shared-timers", "own-timer"])
async def test_asyncio_deadline_cuts_the_block_and_takes_its_cancel_back(shared: bool) -> None:
    timers = AsyncTimers() if shared else None
    started = time.monotonic()
    deadline = await _guarded(0.05, lambda: asyncio.sleep(5), timers)
    elapsed = time.monotonic() - started
    assert deadline.expired
    assert 0.04 < elapsed < 1.0
    task = asyncio.current_task()
    assert task is not None
    assert task.cancelling() == 0
    await asyncio.sleep(0.01)  # no cancel request left over to land here


@pytest.mark.parametrize("shared", [True, False], ids=["shared-timers", "own-timer"])
async def test_a_block_done_in_time_is_not_expired_and_never_cancelled(shared: bool) -> None:
    timers = AsyncTimers() if shared else None
    deadline = await _guarded(0.05, lambda: asyncio.sleep(0.001), timers)
    assert not deadline.expired
    await asyncio.sleep(0.1)  # past the deadline: nothing fires into the task
    if timers is not None:
        assert timers.pending() == 0


async def test_shared_timers_cut_each_block_at_its_own_time() -> None:
    timers = AsyncTimers()
    results: dict[str, tuple[bool, float]] = {}

    async def run(name: str, seconds: float) -> None:
        started = time.monotonic()
        deadline = await _guarded(seconds, lambda: asyncio.sleep(5), timers)
        results[name] = (deadline.expired, time.monotonic() - started)

    # The long one first: the short one, added later, must re-arm the timer earlier.
    await asyncio.gather(run("long", 0.3), run("short", 0.05), run("middle", 0.15))
    for name, low in (("short", 0.04), ("middle", 0.14), ("long", 0.29)):
        expired, elapsed = results[name]
        assert expired
        assert low < elapsed < low + 0.5, (name, elapsed)
    assert timers.pending() == 0


async def test_a_task_busy_inside_the_block_is_still_cut() -> None:
    async def spin() -> None:
        while True:  # noqa: ASYNC110 - busy on purpose: it never waits on a future
            await asyncio.sleep(0)

    deadline = await _guarded(0.05, spin, AsyncTimers())
    assert deadline.expired


async def test_a_cancel_from_outside_at_the_same_moment_is_not_swallowed() -> None:
    seen: list[AsyncDeadline] = []

    async def body() -> None:
        with AsyncDeadline(10, AsyncTimers()) as deadline:
            seen.append(deadline)
            await asyncio.sleep(5)

    task = asyncio.create_task(body())
    await asyncio.sleep(0.01)
    seen[0].fire()  # the deadline passes ...
    task.cancel()  # ... and the caller cancels, in the same turn of the loop
    with pytest.raises(asyncio.CancelledError):
        await task
    assert task.cancelled()
    assert not seen[0].expired


async def test_a_cancel_from_outside_before_the_deadline_propagates() -> None:
    async def body() -> None:
        with AsyncDeadline(10, AsyncTimers()):
            await asyncio.sleep(5)

    task = asyncio.create_task(body())
    await asyncio.sleep(0.01)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_an_enclosing_asyncio_timeout_wins_when_it_is_shorter() -> None:
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.05):
            await _guarded(10, lambda: asyncio.sleep(5), AsyncTimers())


async def test_an_enclosing_anyio_scope_wins_when_it_is_shorter() -> None:
    with anyio.move_on_after(0.05) as outer:
        await _guarded(10, lambda: anyio.sleep(5), AsyncTimers())
    assert outer.cancelled_caught
    await anyio.sleep(0.01)  # nothing left over


async def test_the_deadline_inside_an_anyio_scope_is_its_own() -> None:
    with anyio.move_on_after(10) as outer:
        deadline = await _guarded(0.05, lambda: anyio.sleep(5), AsyncTimers())
        await anyio.sleep(0.01)
    assert deadline.expired
    assert not outer.cancelled_caught


def test_on_trio_the_deadline_is_anyio_scope() -> None:
    pytest.importorskip("trio")

    async def main() -> tuple[bool, float]:
        started = time.monotonic()
        deadline = await _guarded(0.05, lambda: anyio.sleep(5), AsyncTimers())
        return deadline.expired, time.monotonic() - started

    expired, elapsed = anyio.run(main, backend="trio")
    assert expired
    assert elapsed < 1.0


# --- AsyncDeadline.extend: a watchdog fed on progress -------------------------------------


@pytest.mark.parametrize("shared", [True, False], ids=["shared-timers", "own-timer"])
async def test_extend_moves_the_end_later_and_earlier(shared: bool) -> None:
    timers = AsyncTimers() if shared else None

    async def fed() -> None:
        for _ in range(6):  # 0.3 s in all, never 0.1 s without progress
            await asyncio.sleep(0.05)
            watch.extend(0.1)

    started = time.monotonic()
    with AsyncDeadline(0.1, timers) as watch:
        await fed()
    assert not watch.expired
    assert time.monotonic() - started >= 0.25

    started = time.monotonic()
    with AsyncDeadline(5.0, timers) as watch:
        watch.extend(0.05)  # earlier than the armed timer: re-armed
        await asyncio.sleep(5)
    assert watch.expired
    assert time.monotonic() - started < 1.0
    assert asyncio.current_task().cancelling() == 0  # type: ignore[union-attr]


def test_extend_on_trio_moves_the_scope() -> None:
    pytest.importorskip("trio")

    async def main() -> tuple[bool, float]:
        started = time.monotonic()
        with AsyncDeadline(5.0) as watch:
            watch.extend(0.05)
            await anyio.sleep(5)
        return watch.expired, time.monotonic() - started

    expired, elapsed = anyio.run(main, backend="trio")
    assert expired
    assert elapsed < 1.0


# --- aiohttp: the read watchdog on a kept-alive connection --------------------------------


Conversation = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def _local_server(talk: Conversation) -> tuple[asyncio.AbstractServer, str]:
    """A server on 127.0.0.1 running ``talk`` per connection; a client leaving is no error."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await talk(reader, writer)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(handle, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}/v1/x"


async def _read_request(reader: asyncio.StreamReader) -> None:
    while (await reader.readline()) not in (b"\r\n", b""):
        pass


async def _stalling_server(
    answers: list[float],
) -> tuple[asyncio.AbstractServer, str]:
    """Answers request n after ``answers[n]`` seconds (one connection, kept alive)."""
    body = b'{"ok": true}'

    async def talk(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        for delay in answers:
            await _read_request(reader)
            await asyncio.sleep(delay)
            writer.write(
                b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
                + f"content-length: {len(body)}\r\n\r\n".encode()
                + body
            )
            await writer.drain()

    return await _local_server(talk)


async def test_aiohttp_read_timeout_on_a_reused_connection() -> None:
    pytest.importorskip("aiohttp")
    from imburse._aiohttp import AsyncAiohttpTransport
    from imburse._core.build import PreparedRequest
    from imburse._core.call import TransportFailure
    from imburse._core.config import Timeouts

    # A connection is free: the answer must begin within read = 0.3 s of the request. The
    # second comes after 0.2 s, within the watchdog armed by the first request (the timer
    # finds that deadline ended and re-arms); the third never in time.
    server, url = await _stalling_server([0.0, 0.2, 5.0])
    adapter = AsyncAiohttpTransport()
    request = PreparedRequest("GET", url, (("Accept", "application/json"),), b"", "/v1/x")
    timeouts = Timeouts(connect=1.0, read=0.3, write=1.0, pool=1.0)
    try:
        assert (await adapter.send(request, timeouts)).status == 200
        await asyncio.sleep(0.2)
        started = time.monotonic()
        assert (await adapter.send(request, timeouts)).status == 200
        assert time.monotonic() - started >= 0.15
        started = time.monotonic()
        with pytest.raises(TransportFailure) as caught:
            await adapter.send(request, timeouts)
        elapsed = time.monotonic() - started
    finally:
        await adapter.aclose()
        server.close()
    assert caught.value.timed_out
    assert caught.value.sent
    assert caught.value.kind == "ReadTimeout"
    assert 0.25 < elapsed < 1.0


async def test_aiohttp_a_request_waiting_for_a_connection_gets_its_full_read_timeout() -> None:
    """Two requests on a one-connection pool, each answered 0.2 s after it arrives: the
    second waits 0.2 s for the connection, then 0.2 s for its answer (0.4 s in all, past the
    0.3 s read timeout counted from its start). It started with every connection busy, so
    it also gets ``pool`` + ``connect`` and succeeds."""
    aiohttp = pytest.importorskip("aiohttp")
    from imburse._aiohttp import AsyncAiohttpTransport
    from imburse._core.build import PreparedRequest
    from imburse._core.config import Timeouts

    server, url = await _stalling_server([0.2, 0.2])
    session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=1))
    adapter = AsyncAiohttpTransport(session)
    request = PreparedRequest("GET", url, (("Accept", "application/json"),), b"", "/v1/x")
    timeouts = Timeouts(connect=1.0, read=0.3, write=1.0, pool=1.0)
    started = time.monotonic()
    try:
        first, second = await asyncio.gather(
            adapter.send(request, timeouts), adapter.send(request, timeouts)
        )
    finally:
        await adapter.aclose()
        await session.close()
        server.close()
    assert (first.status, second.status) == (200, 200)
    assert time.monotonic() - started >= 0.35


async def _trickling_server(
    pieces: int, size: int, gaps: list[float]
) -> tuple[asyncio.AbstractServer, str]:
    """Answers with headers at once, then ``pieces`` pieces of ``size`` bytes, waiting
    ``gaps[n]`` seconds before piece n."""

    async def talk(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await _read_request(reader)
        writer.write(
            b"HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\n"
            + f"content-length: {pieces * size}\r\n\r\n".encode()
        )
        for n in range(pieces):
            await asyncio.sleep(gaps[n])
            writer.write(b"x" * size)
            await writer.drain()

    return await _local_server(talk)


@pytest.mark.parametrize("pause", [None, 1.0], ids=["steady", "paused"])
async def test_aiohttp_read_timeout_is_per_wait_for_the_body(pause: float | None) -> None:
    """A 256 KiB body in eight pieces 0.15 s apart takes 1.2 s, four times the 0.3 s read
    timeout, and arrives whole: each wait for more gets ``read`` again. A pause of 1 s
    between two pieces ends the attempt as a read timeout soon after 0.3 s of silence."""
    pytest.importorskip("aiohttp")
    from imburse._aiohttp import AsyncAiohttpTransport
    from imburse._core.build import PreparedRequest
    from imburse._core.call import TransportFailure
    from imburse._core.config import Timeouts

    gaps = [0.15] * 8
    if pause is not None:
        gaps[4] = pause
    server, url = await _trickling_server(8, 32 * 1024, gaps)
    adapter = AsyncAiohttpTransport()
    request = PreparedRequest("GET", url, (("Accept", "*/*"),), b"", "/v1/x")
    timeouts = Timeouts(connect=1.0, read=0.3, write=1.0, pool=1.0)
    started = time.monotonic()
    try:
        if pause is None:
            response = await adapter.send(request, timeouts)
            assert response.body == b"x" * (256 * 1024)
            assert time.monotonic() - started >= 1.0
        else:
            with pytest.raises(TransportFailure) as caught:
                await adapter.send(request, timeouts)
            assert caught.value.kind == "ReadTimeout"
            assert caught.value.timed_out
            assert caught.value.sent
            # four pieces (0.6 s), then 0.3 s of silence: cut near 0.9 s, long before 1.6 s
            assert 0.8 < time.monotonic() - started < 1.5
    finally:
        await adapter.aclose()
        server.close()
