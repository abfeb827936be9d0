"""``python -m imburse batch create-orders INPUT.jsonl --out RESULTS.jsonl``: a batch job.

One order per input line in the API's wire shape (camelCase, ``imburse-api.md`` §5.13); one
JSON result line per item (``line``, ``orderRef``, ``outcome``, ``error``, ``correlationId``)
written as each item finishes. Credentials come from the ``IMBURSE_*`` variables.

Re-running the same input after a crash or a kill finishes the job: orders created by the
first run are reported ``already_existed``, none is created twice, and one that differs from
its line is reported ``conflict`` and left alone. A malformed line is reported ``invalid``
with its number and skipped. Ctrl-C (or SIGTERM) stops taking lines, waits for the calls in
flight and writes their results; a second Ctrl-C aborts at once.

Exit status: 0 when every line was created or already existed, 1 otherwise (including an
interrupted run), 2 for usage errors (bad arguments, unreadable input, missing credentials).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from types import FrameType
from typing import IO, TYPE_CHECKING, Any, TextIO

import attrs

if TYPE_CHECKING:
    from .._core.models.batch import BatchItemResult, BatchProgress, BatchReport
    from .._core.models.orders import OrderInput

__all__ = ["add_parser", "main", "order_from_wire"]

DEFAULT_CONCURRENCY = 32
_BAR_WIDTH = 24
_DESCRIPTION = """\
Create one order per line of INPUT.jsonl (the API's JSON shape, camelCase: orderRef,
instructions, metadata, customerDefaults) and write one JSON result line per item to
RESULTS.jsonl as it finishes: line, orderRef, outcome (created, already_existed, conflict,
failed, unknown, invalid), error, correlationId. Credentials come from the IMBURSE_*
variables.

Safe to re-run: after a crash or a kill, run the same command again. Orders created before
are reported already_existed, nothing is created twice, and an order that exists with other
content is reported conflict and left alone. Malformed lines are reported invalid with their
line number. Ctrl-C or SIGTERM stops taking lines, waits for the calls in flight and writes
their results (a second one aborts at once).

Exit status: 0 when every line was created or already existed, 1 otherwise (also when
interrupted), 2 for usage errors.
"""


def add_parser(commands: Any) -> None:
    """Register ``batch`` (with its ``create-orders`` job) on an ``add_subparsers()`` object."""
    batch = commands.add_parser(
        "batch",
        help="batch jobs: create many orders from a file",
        description="Batch jobs against the Imburse API.",
    )
    jobs = batch.add_subparsers(dest="job", required=True, metavar="JOB")
    create = jobs.add_parser(
        "create-orders",
        help="create one order per line of a JSON Lines file",
        description=_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    create.add_argument("input", metavar="INPUT.jsonl", help="one order per line (camelCase)")
    create.add_argument(
        "--out",
        required=True,
        metavar="RESULTS.jsonl",
        help="where to write one result line per item (rewritten on each run)",
    )
    create.add_argument(
        "--concurrency",
        type=_positive_int,
        default=DEFAULT_CONCURRENCY,
        help=f"creates in flight at once (default {DEFAULT_CONCURRENCY})",
    )
    create.add_argument(
        "--transport",
        choices=("httpx", "httpx2", "aiohttp"),
        default="httpx",
        help="HTTP stack (default httpx; httpx2 and aiohttp need the extra of that name)",
    )
    create.add_argument(
        "--progress-interval",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="seconds between progress lines when stderr is not a terminal (default 10)",
    )
    create.set_defaults(run=run_create_orders)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


# --- input --------------------------------------------------------------------------------


def _renamer(cls: type[Any]) -> dict[str, str]:
    from .._core.converter import wire_name

    return {wire_name(field): field.name for field in attrs.fields(cls)}


def _snake_keys(data: Mapping[str, Any], names: Mapping[str, str], where: str) -> dict[str, Any]:
    from .._core.errors import ValidationError

    out: dict[str, Any] = {}
    for key, value in data.items():
        name = names.get(key)
        if name is None:
            raise ValidationError(f"{where}{key}", "unknown field")
        out[name] = value
    return out


def order_from_wire(data: Any) -> OrderInput:
    """Decode one order in the API's request shape (camelCase) into an ``OrderInput``.

    Unknown keys are refused (a misspelt ``metdata`` must not vanish); metadata keys are the
    caller's own and kept as they are. Raises :class:`~imburse.ValidationError`.

    >>> order_from_wire({"orderRef": "ORD-1", "instructions": [{"instructionRef": "I-1",
    ...     "customerRef": "C-1", "direction": "DEBIT", "amount": "9.99", "currency": "GBP",
    ...     "country": "GB"}]}).instructions[0].amount
    Decimal('9.99')
    """
    from .._core.errors import ValidationError
    from .._core.models.orders import CustomerDefaultInput, InstructionInput, OrderInput

    if not isinstance(data, Mapping):
        raise ValidationError("line", f"must be a JSON object, not {type(data).__name__}")
    kwargs = _snake_keys(data, _renamer(OrderInput), "")
    instructions = kwargs.get("instructions")
    if isinstance(instructions, list):
        names = _renamer(InstructionInput)
        kwargs["instructions"] = [
            _snake_keys(item, names, f"instructions[{n}].") if isinstance(item, Mapping) else item
            for n, item in enumerate(instructions)
        ]
    defaults = kwargs.get("customer_defaults")
    if isinstance(defaults, Mapping):
        names = _renamer(CustomerDefaultInput)
        kwargs["customer_defaults"] = {
            ref: _snake_keys(item, names, f"customerDefaults[{ref!r}].")
            if isinstance(item, Mapping)
            else item
            for ref, item in defaults.items()
        }
    try:
        return OrderInput(**kwargs)
    except TypeError as err:  # a required field is missing
        raise ValidationError("line", str(err).replace("OrderInput.__init__() ", "")) from None


def _decode_line(text: bytes) -> OrderInput:
    from .._core.converter import loads
    from .._core.errors import ValidationError

    try:
        data = loads(text)
    except ValueError as err:
        raise ValidationError("line", f"malformed JSON: {err}") from None
    return order_from_wire(data)


def _ref_in(text: bytes) -> str | None:
    try:
        ref = json.loads(text).get("orderRef")
    except (ValueError, AttributeError):
        return None
    return ref if isinstance(ref, str) else None


def _count_items(path: str) -> int:
    count = 0
    with open(path, "rb") as lines:
        for line in lines:
            if line.strip():
                count += 1
    return count


# --- progress -----------------------------------------------------------------------------


def _clock(seconds: float) -> str:
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    """A live bar (rate and ETA) on a terminal; a plain line every ``interval`` otherwise."""

    def __init__(
        self, stream: TextIO, total: int, *, interval: float, tty: bool | None = None
    ) -> None:
        self.stream = stream
        self.total = total
        self.tty = stream.isatty() if tty is None else tty
        self.interval = 0.1 if self.tty else interval
        self._shown = 0.0
        self._drawn = False

    def line(self, done: int, counts: Mapping[str, int], elapsed: float) -> str:
        """The text of one progress update."""
        rate = done / elapsed if elapsed > 0 else 0.0
        eta = _clock((self.total - done) / rate) if rate > 0 and self.total >= done else "?"
        share = done / self.total if self.total else 1.0
        problems = sum(n for k, n in counts.items() if k not in ("created", "already_existed"))
        text = (
            f"{done:,}/{self.total:,} {share:4.0%}  {rate:,.0f}/s  ETA {eta}  "
            f"created {counts.get('created', 0):,}  existed {counts.get('already_existed', 0):,}"
            f"  problems {problems:,}"
        )
        if self.tty:
            filled = int(share * _BAR_WIDTH)
            return f"\r[{'#' * filled}{'.' * (_BAR_WIDTH - filled)}] {text}\x1b[K"
        return f"progress: {text} (elapsed {_clock(elapsed)})\n"

    def update(self, done: int, counts: Mapping[str, int], elapsed: float) -> None:
        """Show progress if ``interval`` passed since the last update."""
        if elapsed - self._shown >= self.interval:
            self._shown = elapsed
            self._show(done, counts, elapsed)

    def finish(self, done: int, counts: Mapping[str, int], elapsed: float) -> None:
        """Show the final state (and end the bar's line)."""
        if self.tty:
            self._show(done, counts, elapsed)
            self.stream.write("\n")
            self.stream.flush()
        elif self._drawn:
            self._show(done, counts, elapsed)

    def note(self, text: str) -> None:
        """A message that must not be overwritten by the bar."""
        self.stream.write(("\n" if self.tty and self._drawn else "") + text + "\n")
        self.stream.flush()
        self._drawn = False

    def _show(self, done: int, counts: Mapping[str, int], elapsed: float) -> None:
        self.stream.write(self.line(done, counts, elapsed))
        self.stream.flush()
        self._drawn = True


# --- the job ------------------------------------------------------------------------------


class _Job:
    """State of one ``create-orders`` run: the input, the results file, counts, stop flag."""

    def __init__(self, source: IO[bytes], out: IO[str], progress: Progress) -> None:
        self.source = source
        self.out = out
        self.progress = progress
        self.started = time.monotonic()
        self.stop_requested = False
        self.interrupted_at: int | None = None
        self.invalid = 0
        self.library: BatchProgress | BatchReport | None = None
        # index of an item given to create_many -> its line number; only items in flight.
        self.lines: dict[int, int] = {}

    def orders(self) -> Iterator[OrderInput]:
        """The valid orders of the input; invalid lines are reported here and skipped."""
        from .._core.errors import ValidationError

        index = 0
        for number, text in enumerate(self.source, 1):
            if self.stop_requested:
                self.interrupted_at = number
                return
            if not text.strip():
                continue
            try:
                order = _decode_line(text)
            except ValidationError as err:
                self.invalid += 1
                self.write(number, _ref_in(text), "invalid", str(err), None)
                self._progress()
                continue
            self.lines[index] = number
            index += 1
            yield order

    def write(
        self,
        line: int,
        ref: str | None,
        outcome: str,
        error: str | None,
        correlation_id: str | None,
    ) -> None:
        """Write one result line (flushed at once: a crash loses no finished item)."""
        record = {
            "line": line,
            "orderRef": ref,
            "outcome": outcome,
            "error": error,
            "correlationId": correlation_id,
        }
        self.out.write(json.dumps(record) + "\n")
        self.out.flush()

    def on_result(self, result: BatchItemResult) -> None:
        """A finished item from ``create_many``."""
        line = self.lines.pop(result.index)
        error = None if result.error is None else str(result.error)
        self.write(line, result.ref, result.outcome, error, result.correlation_id)

    def on_progress(self, progress: BatchProgress) -> None:
        """A progress snapshot from ``create_many``."""
        self.library = progress
        self._progress()

    def counts(self) -> dict[str, int]:
        """Counts per outcome so far, invalid lines included."""
        from .._core.models.batch import OUTCOMES

        library = self.library
        counts: dict[str, int] = {
            o: 0 if library is None else int(getattr(library, o)) for o in OUTCOMES
        }
        counts["invalid"] += self.invalid
        return counts

    def done(self) -> int:
        """Items finished so far."""
        return sum(self.counts().values())

    def _progress(self) -> None:
        self.progress.update(self.done(), self.counts(), time.monotonic() - self.started)

    def stop(self, signum: int, frame: FrameType | None) -> None:
        """Signal handler: the first signal stops taking lines, the second aborts."""
        if self.stop_requested:
            raise KeyboardInterrupt
        self.stop_requested = True
        # os.write, not print: a handler may run in the middle of a buffered write.
        os.write(
            2,
            f"\ncreate-orders: stopping: no new lines; waiting for {len(self.lines)} call(s) "
            "in flight (signal again to abort)\n".encode(),
        )


def run_create_orders(args: argparse.Namespace) -> int:
    """Run ``batch create-orders`` and return its exit status."""
    from .._core.config import resolve_config
    from .._core.errors import ConfigurationError
    from .._transports import import_extra

    try:
        resolve_config()  # only to report missing credentials before touching any file
    except ConfigurationError as err:
        print(f"create-orders: {err} (set the IMBURSE_* variables)", file=sys.stderr)
        return 2
    try:
        import_extra(args.transport, args.transport)
    except ConfigurationError as err:
        print(f"create-orders: {err}", file=sys.stderr)
        return 2
    try:
        total = _count_items(args.input)
        # Bytes: a line that is not UTF-8 is one invalid line, not the end of the batch.
        source = open(args.input, "rb")  # noqa: SIM115 - closed below
    except OSError as err:
        print(f"create-orders: cannot read {args.input}: {err.strerror or err}", file=sys.stderr)
        return 2
    with source:
        try:
            out = open(args.out, "w", encoding="utf-8")  # noqa: SIM115 - closed in finally
        except OSError as err:
            print(f"create-orders: cannot write {args.out}: {err.strerror or err}", file=sys.stderr)
            return 2
        job = _Job(source, out, Progress(sys.stderr, total, interval=args.progress_interval))
        restore = _install_signal_handlers(job)
        try:
            job.library = _run(job, args.concurrency, args.transport)
        except KeyboardInterrupt:
            print("create-orders: aborted; results of calls in flight are lost", file=sys.stderr)
            return 1
        except OSError as err:  # reading the input or writing the results failed
            print(f"create-orders: stopped: {err}", file=sys.stderr)
            return 1
        finally:
            restore()
            # Every line was flushed as written; a close can only repeat a failed write.
            with contextlib.suppress(OSError):
                out.close()
    _summary(job, args.out, sys.stdout)
    counts = job.counts()
    ok = job.interrupted_at is None and counts["created"] + counts["already_existed"] == job.done()
    return 0 if ok else 1


def _run(job: _Job, concurrency: int, transport: str) -> BatchReport:
    import anyio

    from .._async.client import AsyncImburse

    async def main() -> BatchReport:
        async with AsyncImburse(transport=transport) as client:
            report: BatchReport = await client.orders.create_many(
                job.orders(),
                concurrency=concurrency,
                on_result=job.on_result,
                on_progress=job.on_progress,
            )
            return report

    return anyio.run(main)


def _install_signal_handlers(job: _Job) -> Any:
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    previous = {sig: signal.signal(sig, job.stop) for sig in (signal.SIGINT, signal.SIGTERM)}

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore


def _summary(job: _Job, out_path: str, stream: TextIO) -> None:
    elapsed = time.monotonic() - job.started
    counts, done = job.counts(), job.done()
    job.progress.finish(done, counts, elapsed)
    rate = done / elapsed if elapsed > 0 else 0.0
    print(f"create-orders: {done:,} item(s) in {elapsed:.1f} s ({rate:,.0f}/s)", file=stream)
    for outcome, count in counts.items():
        print(f"  {outcome:<16}{count:>10,}", file=stream)
    print(f"results: {out_path}", file=stream)
    if job.interrupted_at is not None:
        print(
            f"interrupted before line {job.interrupted_at}: run the same command again to "
            "finish (orders already created are reported as already_existed)",
            file=stream,
        )
    stream.flush()


def main(argv: list[str] | None = None) -> int:
    """Entry point for tests: ``python -m imburse batch ...`` without the top-level parser."""
    parser = argparse.ArgumentParser(prog="python -m imburse")
    add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["batch", *(argv or [])])
    status: int = args.run(args)
    return status
