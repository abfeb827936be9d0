"""The fault-injection run: thousands of creates against a misbehaving Imburse, then an audit.

The fake Imburse runs in its own process (so its threads do not compete with the clients
for the GIL and the deadline measurements are honest), served over real HTTP on 127.0.0.1,
and injects seeded random faults: 429 with ``Retry-After``, 500/502/503/504 both before and
after applying the request, connections dropped before and after applying, stalls past the
client's read timeout, truncated answers, gateway HTML pages and latency. Many orders and
instructions are created with many calls in flight, on the async client (an anyio task
group) and on the sync client (threads). Each call is timed and its outcome kept;
afterwards the server's state is audited against what every caller was told:

* a receipt -> the object exists, and the server applied exactly one create for its ref;
* ``OutcomeUnknownError`` -> it names the ref; whether the object exists is recorded;
* any other documented error -> the object does not exist (no create was applied);
* no ref was ever created twice (counted per *applied* create, and per 2xx on the wire);
* no call returned later than its deadline plus a small margin.

Used by ``tests/reliability/test_fault_run.py`` (CI-sized) and ``nox -s chaos`` (larger).
"""

from __future__ import annotations

import collections
import concurrent.futures
import contextlib
import functools
import json
import multiprocessing
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any

import anyio
import attrs

from imburse import (
    AsyncImburse,
    CreateReceipt,
    DefaultRetryPolicy,
    Imburse,
    ImburseError,
    OutcomeUnknownError,
    Timeouts,
)
from imburse._core.retry import seeded_jitter
from imburse.testing import DEMO_CREDENTIALS, FakeImburse, SeenRequest

ORDERS_PATH = "/v1/order-management"

#: Random faults per request (the token exchange is spared: no fault names its path).
RATES: Mapping[str, float] = {
    "status_429": 0.02,
    "status_500": 0.015,
    "status_500_applied": 0.015,
    "status_502": 0.015,
    "status_502_applied": 0.01,
    "status_503": 0.015,
    "status_503_applied": 0.015,
    "status_504": 0.01,
    "status_504_applied": 0.01,
    "drop_before": 0.02,
    "drop_after": 0.03,
    "stall": 0.02,
    "truncate": 0.02,
    "non_json": 0.005,
    "latency": 0.02,
}
READ_TIMEOUT = 0.4
STALL = 1.0  # well past READ_TIMEOUT: the client gives up on the attempt
RETRY_AFTER = "0.05"  # sent with the random 429s and 503s
DEADLINES = (0.8, 2.0, 5.0)  # per call, chosen by index: some calls run out of time
#: How far past its deadline a call may return: the scheduling of a busy process (timers
#: fire late when 64 tasks or 16 threads share one interpreter), never a whole attempt.
DEADLINE_MARGIN = 0.25
#: An oversleep of the lag probe this long means the whole process stood still (see LagProbe).
STALL_AT_LEAST = 0.05


@attrs.define
class Call:
    """One create as its caller saw it."""

    kind: str  # "order" or "instruction"
    ref: str  # order ref, or "order/instruction" for an instruction
    deadline: float
    parts: tuple[str, ...] = ()  # refs of the instructions sent inside an order
    started: float = 0.0  # time.monotonic() when the call began
    elapsed: float = 0.0
    receipt: CreateReceipt | None = None
    error: BaseException | None = None


# --- the server side ---------------------------------------------------------------------------


class AuditedFake(FakeImburse):
    """The fake, also remembering every create it *applied* and the status it decided.

    ``FakeImburse.requests`` records the status put on the wire, which hides creates applied
    behind a dropped connection or an ``_applied`` 5xx; the fake's ``on_request`` hook sees
    the status it decided (``SeenRequest.applied``) for every one of them.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(on_request=self._audit, **kwargs)
        self.applied: dict[str, list[int]] = collections.defaultdict(list)
        self._ledger_lock = threading.Lock()

    def _audit(self, seen: SeenRequest) -> None:
        if seen.applied is None:
            return
        ref = create_ref(seen.method, seen.path, seen.body)
        if ref is not None:
            with self._ledger_lock:
                self.applied[ref].append(seen.applied)


def create_ref(method: str, path: str, body: bytes) -> str | None:
    """The ref a create request is for (``order`` or ``order/instruction``), else None."""
    if method != "POST" or not path.startswith(ORDERS_PATH):
        return None
    try:
        data = json.loads(body)
    except ValueError:
        return None
    rest = path.removeprefix(ORDERS_PATH).strip("/")
    if not rest:
        return str(data.get("orderRef"))
    order_ref, _, tail = rest.partition("/")
    if tail == "instruction":
        return f"{order_ref}/{data.get('instructionRef')}"
    return None


@attrs.frozen
class Ledger:
    """What the server knows, copied out of its process."""

    applied: dict[str, list[int]]  # ref -> statuses of every applied create
    existing: frozenset[str]  # refs of stored orders and "order/instruction" refs
    wire: list[tuple[str, str, bytes, int | None]]  # method, path, body, status sent
    faults: dict[str, int]  # random faults fired, by name


def _snapshot(fake: AuditedFake, faults: dict[str, int]) -> Ledger:
    existing: set[str] = set()
    for ref, order in fake.orders.items():
        existing.add(ref)
        existing.update(f"{ref}/{i}" for i in order.instructions)
    wire = [(r.method, r.path, r.body, r.status) for r in fake.requests]
    return Ledger(dict(fake.applied), frozenset(existing), wire, faults)


def _serve(conn: Connection, seed: int, rates: dict[str, float]) -> None:
    """The server process: serve an audited fake until told to stop."""
    fake = AuditedFake()
    with fake, fake.serve() as server:
        chaos = fake.inject_random(
            seed=seed, rates=rates, stall=STALL, retry_after=RETRY_AFTER, latency=0.05
        )
        conn.send(server.url)
        while True:
            command = conn.recv()
            if command == "snapshot":
                conn.send(_snapshot(fake, dict(chaos.counts)))
            else:
                break


class ServedFake:
    """An audited fake Imburse with random faults, running in a child process."""

    def __init__(self, seed: int, rates: Mapping[str, float] = RATES) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(child, seed, dict(rates)), name="fake-imburse", daemon=True
        )
        self._process.start()
        child.close()
        if not self._conn.poll(60):
            self.close()
            raise RuntimeError("the fake Imburse process did not start")
        self.url: str = self._conn.recv()

    def snapshot(self) -> Ledger:
        self._conn.send("snapshot")
        ledger: Ledger = self._conn.recv()
        return ledger

    def close(self) -> None:
        if self._process.is_alive():
            with contextlib.suppress(OSError):
                self._conn.send("stop")
            self._process.join(10)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(5)
        self._conn.close()

    def __enter__(self) -> ServedFake:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


# --- the workload ------------------------------------------------------------------------------


def order_args(prefix: str, n: int) -> dict[str, Any]:
    """Order ``n``: every other one carries an instruction of its own."""
    args: dict[str, Any] = {"order_ref": f"{prefix}-{n:06d}", "metadata": {"n": str(n)}}
    if n % 2:
        args["instructions"] = [instruction_args(n, 0)]
    return args


def instruction_args(n: int, k: int) -> dict[str, Any]:
    return {
        "instruction_ref": f"I-{k}",
        "customer_ref": f"C-{n % 97}",
        "direction": "DEBIT" if (n + k) % 2 else "CREDIT",
        "amount": Decimal(f"{n % 1000 + 1}.{k:02d}"),
        "currency": "GBP",
        "country": "GB",
    }


def inline_refs(order: Mapping[str, Any]) -> tuple[str, ...]:
    ref = order["order_ref"]
    return tuple(f"{ref}/{i['instruction_ref']}" for i in order.get("instructions", ()))


def client_options(url: str, seed: int) -> dict[str, Any]:
    creds = DEMO_CREDENTIALS
    return {
        "public_key": creds.public_key,
        "private_key": creds.private_key,
        "account_id": creds.account_id,
        "tenant_id": creds.tenant_id,
        "base_url": url,
        "timeout": Timeouts(connect=1.0, read=READ_TIMEOUT, write=1.0, pool=1.0),
        "max_retries": 4,
        "retry_policy": DefaultRetryPolicy(base=0.02, max_delay=0.2, jitter=seeded_jitter(seed)),
    }


async def run_async(url: str, *, prefix: str, orders: int, in_flight: int, seed: int) -> list[Call]:
    """Create ``orders`` orders, then one more instruction on each, ``in_flight`` tasks."""
    calls: list[Call] = []
    todo: Iterator[int] = iter(range(orders))

    async with AsyncImburse(**client_options(url, seed)) as client:

        async def timed(call: Call, create: Any) -> None:
            calls.append(call)
            call.started = start = time.monotonic()
            try:
                call.receipt = await create
            except Exception as err:
                call.error = err
            finally:
                call.elapsed = time.monotonic() - start

        async def unit(n: int) -> None:
            args = order_args(prefix, n)
            ref = args["order_ref"]
            deadline = DEADLINES[n % len(DEADLINES)]
            order = Call("order", ref, deadline, inline_refs(args))
            await timed(order, client.orders.create(**args, deadline=deadline))
            if order.receipt is None:
                return
            extra = instruction_args(n, 1)
            deadline = DEADLINES[(n + 1) % len(DEADLINES)]
            instruction = Call("instruction", f"{ref}/{extra['instruction_ref']}", deadline)
            await timed(instruction, client.instructions.create(ref, **extra, deadline=deadline))

        async def worker() -> None:
            for n in todo:
                await unit(n)

        async with anyio.create_task_group() as tg:
            for _ in range(in_flight):
                tg.start_soon(worker)
    return calls


def run_sync(url: str, *, prefix: str, orders: int, threads: int, seed: int) -> list[Call]:
    """The same workload on the sync client, ``threads`` at a time."""
    calls: list[Call] = []
    lock = threading.Lock()

    with Imburse(**client_options(url, seed)) as client:

        def timed(call: Call, create: Any, *args: Any, **kwargs: Any) -> None:
            with lock:
                calls.append(call)
            call.started = start = time.monotonic()
            try:
                call.receipt = create(*args, **kwargs)
            except Exception as err:
                call.error = err
            finally:
                call.elapsed = time.monotonic() - start

        def unit(n: int) -> None:
            args = order_args(prefix, n)
            ref = args["order_ref"]
            deadline = DEADLINES[n % len(DEADLINES)]
            order = Call("order", ref, deadline, inline_refs(args))
            timed(order, client.orders.create, **args, deadline=deadline)
            if order.receipt is None:
                return
            extra = instruction_args(n, 1)
            deadline = DEADLINES[(n + 1) % len(DEADLINES)]
            instruction = Call("instruction", f"{ref}/{extra['instruction_ref']}", deadline)
            timed(instruction, client.instructions.create, ref, **extra, deadline=deadline)

        with concurrent.futures.ThreadPoolExecutor(threads, "fault-run") as pool:
            for future in [pool.submit(unit, n) for n in range(orders)]:
                future.result()
    return calls


# --- the audit ---------------------------------------------------------------------------------


@attrs.define
class Report:
    """What the audit found; ``problems`` must be empty."""

    label: str
    calls: int = 0
    seconds: float = 0.0
    requests: int = 0
    retries: int = 0
    faults: dict[str, int] = attrs.field(factory=dict)
    succeeded: int = 0
    recovered: int = 0  # succeeded after more than one attempt
    reconciled: int = 0  # of those, settled by reading the object back
    errors: dict[str, int] = attrs.field(factory=dict)
    unknown_existing: int = 0
    unknown_missing: int = 0
    duplicates: int = 0
    lost: int = 0  # told "created" but missing, or told "failed" but created
    undocumented: int = 0  # an exception outside imburse's tree
    max_overrun: float = 0.0  # seconds past the deadline, worst call
    lag: float = 0.0  # worst scheduling delay of the process meanwhile
    overruns: int = 0
    problems: list[str] = attrs.field(factory=list)

    def lines(self) -> list[str]:
        faults = ", ".join(f"{k}={v}" for k, v in sorted(self.faults.items()) if v)
        errors = ", ".join(f"{k}={v}" for k, v in sorted(self.errors.items())) or "none"
        return [
            f"[{self.label}] {self.calls} create calls in {self.seconds:.1f}s: "
            f"{self.requests} requests reached the server, {self.retries} create retries",
            f"  faults injected: {sum(self.faults.values())} ({faults})",
            f"  succeeded: {self.succeeded} (recovered after a failed attempt: {self.recovered}, "
            f"of which reconciled by read-back: {self.reconciled})",
            f"  surfaced errors: {sum(self.errors.values())} ({errors})",
            f"  OutcomeUnknownError: {self.unknown_existing} existed, "
            f"{self.unknown_missing} did not",
            f"  duplicates = {self.duplicates}, lost = {self.lost}, "
            f"undocumented errors = {self.undocumented}",
            f"  deadline: worst overrun {self.max_overrun * 1000:.0f} ms (allowed "
            f"{DEADLINE_MARGIN * 1000:.0f} ms + the scheduling delay measured during the call; "
            f"worst single delay {self.lag * 1000:.0f} ms), calls over = {self.overruns}",
        ]


def audit(
    label: str,
    ledger: Ledger,
    calls: list[Call],
    *,
    prefix: str,
    seconds: float,
    faults: Mapping[str, int],
    lag: float = 0.0,
    excuse: Callable[[float, float], float] | None = None,
) -> Report:
    """Check every call against the server's state; see the module docstring.

    ``lag`` is the worst scheduling delay seen during the run (reported); ``excuse(start,
    end)`` is the scheduling delay a call over that span suffered (LagProbe.excuse), added to
    its deadline margin (without it, ``lag`` is).
    """
    report = Report(label, calls=len(calls), seconds=seconds, faults=dict(faults), lag=lag)
    mark = f"{prefix}-".encode()
    mine = [w for w in ledger.wire if mark in w[1].encode() or mark in w[2]]
    report.requests = len(mine)
    creates = [(w, create_ref(*w[:3])) for w in mine if create_ref(*w[:3]) is not None]
    report.retries = len(creates) - len(calls)
    errors: collections.Counter[str] = collections.Counter()
    called = {ref for c in calls for ref in (c.ref, *c.parts)}
    for call in calls:
        created = [s for s in ledger.applied.get(call.ref, []) if 200 <= s < 300]
        exists = call.ref in ledger.existing
        if any((part in ledger.existing) != exists for part in call.parts):
            report.problems.append(f"{call.ref}: exists={exists}, its instructions do not agree")
        overrun = call.elapsed - call.deadline
        report.max_overrun = max(report.max_overrun, overrun)
        end = call.started + call.elapsed
        delayed = lag if excuse is None else excuse(call.started, end)
        if overrun > DEADLINE_MARGIN + delayed:
            report.overruns += 1
            report.problems.append(
                f"{call.ref}: took {call.elapsed:.3f}s, deadline {call.deadline}, "
                f"{delayed * 1000:.0f} ms of scheduling delay meanwhile"
            )
        if call.receipt is not None:
            report.succeeded += 1
            report.recovered += call.receipt.attempts > 1
            report.reconciled += call.receipt.reconciled
            if call.receipt.ref != call.ref:
                report.problems.append(f"{call.ref}: the receipt names {call.receipt.ref}")
            if not exists or len(created) != 1:
                report.lost += 1
                report.problems.append(f"{call.ref}: receipt, but created {len(created)} times")
            continue
        error = call.error
        assert error is not None
        errors[type(error).__name__] += 1
        if not isinstance(error, ImburseError):
            report.undocumented += 1
            report.problems.append(f"{call.ref}: undocumented {type(error).__name__}: {error}")
        elif isinstance(error, OutcomeUnknownError):
            if error.ref != call.ref:
                report.problems.append(f"{call.ref}: OutcomeUnknownError names {error.ref}")
            if exists:
                report.unknown_existing += 1
            else:
                report.unknown_missing += 1
            if len(created) != int(exists):
                report.problems.append(f"{call.ref}: created {len(created)} times, exists={exists}")
        elif exists or created:
            report.lost += 1
            report.problems.append(
                f"{call.ref}: raised {type(error).__name__} ({error}) but the server created it"
            )
    report.errors = dict(errors)
    for ref, statuses in ledger.applied.items():
        if not ref.startswith(f"{prefix}-"):
            continue
        if sum(200 <= s < 300 for s in statuses) > 1:
            report.duplicates += 1
            report.problems.append(f"{ref}: applied with statuses {statuses}")
        if ref not in called:
            report.problems.append(f"{ref}: reached the server but was never asked for")
    on_wire = collections.Counter(
        ref for (_, _, _, status), ref in creates if status and status < 300
    )
    for wire_ref, count in on_wire.items():
        if count > 1:
            report.duplicates += 1
            report.problems.append(f"{wire_ref}: {count} successful create answers on the wire")
    stray = {ref for ref in ledger.existing if ref.startswith(f"{prefix}-")} - called
    for ref in sorted(stray):
        report.problems.append(f"{ref}: exists but no call created it")
    return report


class LagProbe:
    """A thread measuring how late this process gets scheduled (a busy CI box is slow).

    ``worst`` is the longest a 10 ms sleep overslept while the probe ran: a timer inside the
    SDK can fire that late too, so it is added to the deadline margin and reported.
    ``stalls`` are the oversleeps of :data:`STALL_AT_LEAST` or more, the times the whole
    process stood still (the virtual machine descheduled, a long collection): several of them
    can land within one call, so :meth:`excuse` adds up those that overlap it.

    Only a stall of the whole process delays this thread: the SDK keeping the event loop busy
    does not (the interpreter hands the GIL over every 5 ms), so it is never excused.
    """

    def __init__(self) -> None:
        self.worst = 0.0
        self.stalls: list[tuple[float, float]] = []  # (woke at, seconds late)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="lag-probe", daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            started = time.monotonic()
            time.sleep(0.01)
            woke = time.monotonic()
            late = woke - started - 0.01
            self.worst = max(self.worst, late)
            if late >= STALL_AT_LEAST:
                self.stalls.append((woke, late))

    def excuse(self, start: float, end: float) -> float:
        """Seconds ``[start, end]`` lost to stalls, plus the worst small delay of the run."""
        small = min(self.worst, STALL_AT_LEAST)
        return small + sum(
            late for woke, late in self.stalls if woke - late <= end and woke >= start
        )

    def __enter__(self) -> LagProbe:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._thread.join()


def run(
    *,
    seed: int,
    async_orders: int,
    sync_orders: int,
    in_flight: int,
    threads: int,
    backends: tuple[str, ...] = ("asyncio",),
) -> list[Report]:
    """The async run on each backend, then the sync run, against one served fake."""
    reports: list[Report] = []
    with ServedFake(seed) as server:
        before: dict[str, int] = {}

        def audited(
            label: str, prefix: str, calls: list[Call], seconds: float, probe: LagProbe
        ) -> None:
            nonlocal before
            ledger = server.snapshot()
            faults = {k: v - before.get(k, 0) for k, v in ledger.faults.items()}
            before = ledger.faults
            report = audit(
                label,
                ledger,
                calls,
                prefix=prefix,
                seconds=seconds,
                faults=faults,
                lag=probe.worst,
                excuse=probe.excuse,
            )
            reports.append(report)

        for n, backend in enumerate(backends):
            prefix = f"A{n}"
            with LagProbe() as probe:
                started = time.monotonic()
                calls = anyio.run(
                    functools.partial(
                        run_async,
                        server.url,
                        prefix=prefix,
                        orders=async_orders,
                        in_flight=in_flight,
                        seed=seed + n,
                    ),
                    backend=backend,
                )
                seconds = time.monotonic() - started
            label = f"async on {backend}, {in_flight} calls in flight"
            audited(label, prefix, calls, seconds, probe)
        with LagProbe() as probe:
            started = time.monotonic()
            calls = run_sync(
                server.url, prefix="S", orders=sync_orders, threads=threads, seed=seed + 99
            )
            seconds = time.monotonic() - started
        audited(f"sync, {threads} threads", "S", calls, seconds, probe)
    return reports


if __name__ == "__main__":  # pragma: no cover - python -m tests.reliability.faultrun
    for found in run(seed=8, async_orders=1500, sync_orders=800, in_flight=32, threads=16):
        print("\n".join(found.lines()))
        print("\n".join(found.problems[:20]))
