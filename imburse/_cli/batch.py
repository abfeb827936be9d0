"""``python -m imburse batch create-orders INPUT.jsonl --out RESULTS.jsonl``: a batch job.

One order per input line in the API's wire shape (camelCase, ``imburse-api.md`` §5.13); one
JSON result line per item (``line``, ``orderRef``, ``outcome``, ``error``, ``correlationId``)
written as each item finishes. Credentials come from the ``IMBURSE_*`` variables.

Re-running the same input after a crash or a kill finishes the job: orders created by the
first run are reported ``already_existed``, none is created twice, and one that differs from
its line is reported ``conflict`` and left alone. Any line that cannot become an order
(malformed, nested too deeply, too long, refused by validation) is reported ``invalid`` with
its number and skipped. Ctrl-C (or SIGTERM) stops taking lines, waits for the calls in flight
and writes their results; a second Ctrl-C aborts at once.

The input is read once, as a stream, in bounded pieces (``-`` or a pipe work; a line longer
than ``--max-line-bytes`` is skipped, never held whole). The results go to a temporary file
beside RESULTS.jsonl that replaces it at the end (``os.replace``): a reader never sees half a
file, and a symlink at RESULTS.jsonl is replaced, not followed.

Exit status: 0 when every line was created or already existed, 1 otherwise (including an
interrupted run), 2 for usage errors (bad arguments, unreadable input, ``--out`` naming the
input, missing credentials).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import queue
import signal
import stat
import sys
import tempfile
import threading
import time
from collections.abc import AsyncIterator, Mapping
from types import FrameType
from typing import IO, TYPE_CHECKING, Any, Literal, TextIO

import attrs

from .._core.batch_defaults import DEFAULT_CONCURRENCY, DEFAULT_MAX_LINE_BYTES

if TYPE_CHECKING:
    from .._core.models.batch import BatchItemResult, BatchProgress, BatchReport
    from .._core.models.orders import OrderInput

__all__ = ["LineReader", "add_parser", "main", "order_from_wire"]

_BAR_WIDTH = 24
# What an ``invalid`` result may echo of its line: the results file must stay small for any
# input, so an error text or a ref longer than this is cut (a ref) or left out.
_MAX_ERROR_CHARS = 500
_MAX_REF_CHARS = 128
_SKIP_CHUNK = 64 * 1024
_DESCRIPTION = f"""\
Create one order per line of INPUT.jsonl (the API's JSON shape, camelCase: orderRef,
instructions, metadata, customerDefaults) and write one JSON result line per item to
RESULTS.jsonl as it finishes: line, orderRef, outcome (created, already_existed, conflict,
failed, unknown, invalid), error, correlationId. Credentials come from the IMBURSE_*
variables.

INPUT.jsonl is read once, as a stream: "-" (or /dev/stdin, or a pipe) works, and the
progress then shows no percentage. Any line that cannot become an order (malformed JSON,
nested too deeply, refused by validation, longer than --max-line-bytes, default
{DEFAULT_MAX_LINE_BYTES:,} bytes = 1 MiB) is reported invalid with its line number and
skipped; a long line is never held in memory whole nor copied into the results.

RESULTS.jsonl is written atomically: results go to a hidden temporary file beside it
(.RESULTS.jsonl.*.partial) that replaces RESULTS.jsonl when the run ends, also when it is
interrupted; a symlink at RESULTS.jsonl is replaced, not followed. A killed run leaves its
finished results in that temporary file. A device or pipe (/dev/stdout) is written to
directly. --out naming the input file (by any path) is refused.

Safe to re-run: after a crash or a kill, run the same command again. Orders created before
are reported already_existed, nothing is created twice, and an order that exists with other
content is reported conflict and left alone. Ctrl-C or SIGTERM stops taking lines, waits for
the calls in flight and writes their results (a second one aborts at once).

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
    create.add_argument(
        "input", metavar="INPUT.jsonl", help="one order per line (camelCase); - for stdin"
    )
    create.add_argument(
        "--out",
        required=True,
        metavar="RESULTS.jsonl",
        help="where to write one result line per item (replaced atomically on each run)",
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
    create.add_argument(
        "--max-line-bytes",
        type=_positive_int,
        default=DEFAULT_MAX_LINE_BYTES,
        metavar="BYTES",
        help=(
            "longest input line read, line ending not counted; longer lines are invalid "
            f"(default {DEFAULT_MAX_LINE_BYTES:,} = 1 MiB)"
        ),
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


class LineReader:
    r"""Lines of a byte stream, read once, each at most ``limit`` bytes held in memory.

    :meth:`next` returns ``(number, content)`` without the line ending (``\n`` or
    ``\r\n``), ``(number, None)`` for a line longer than ``limit`` (skipped in pieces of
    64 KiB, never held whole), or None at the end. :attr:`position` counts bytes consumed.

    >>> import io
    >>> reader = LineReader(io.BytesIO(b'{"a": 1}\r\n' + b"x" * 9 + b"\nlast"), limit=8)
    >>> reader.next(), reader.next(), reader.next(), reader.next()
    ((1, b'{"a": 1}'), (2, None), (3, b'last'), None)
    """

    def __init__(self, stream: IO[bytes], *, limit: int) -> None:
        self.stream = stream
        self.limit = limit
        self.number = 0
        self.position = 0

    def next(self) -> tuple[int, bytes | None] | None:
        """The next line, or None at the end of the input."""
        # Room for the content, and a "\r\n" after it: more than that is a too-long line.
        line = self.stream.readline(self.limit + 2)
        if not line:
            return None
        self.number += 1
        self.position += len(line)
        ended = line.endswith(b"\n")
        content = line[:-1] if ended else line
        if content.endswith(b"\r") and (ended or len(line) <= self.limit):
            content = content[:-1]
        if len(content) <= self.limit:
            return self.number, content
        while not ended:  # drop the rest of the line, a bounded piece at a time
            rest = self.stream.readline(_SKIP_CHUNK)
            self.position += len(rest)
            ended = not rest or rest.endswith(b"\n")
        return self.number, None


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

    Keys are renamed by the converter's naming rule (``wire_name``), the one the SDK sends.
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


def _shorten(text: str, limit: int = _MAX_ERROR_CHARS) -> str:
    return text if len(text) <= limit else f"{text[: limit - 30]}... ({len(text):,} characters)"


@attrs.frozen
class _Line:
    """One input line turned into an order, or why it could not be."""

    ref: str | None
    order: OrderInput | None = None
    error: str | None = None


def _decode_line(text: bytes, ref_key: str) -> _Line:
    # Whatever a line holds, the outcome is this line's: any failure here is ``invalid``
    # (a line nested 100,000 deep raises RecursionError in the JSON parser).
    from .._core.converter import loads
    from .._core.errors import ValidationError

    try:
        data = loads(text)
    except RecursionError:
        return _Line(None, error="line: malformed JSON: nested too deeply")
    except ValueError as err:
        return _Line(None, error=_shorten(f"line: malformed JSON: {err}"))
    except Exception as err:  # anything else a parser may raise on hostile input
        return _Line(None, error=f"line: cannot be read ({type(err).__name__})")
    ref = data.get(ref_key) if isinstance(data, Mapping) else None
    if not isinstance(ref, str) or len(ref) > _MAX_REF_CHARS:
        ref = None
    try:
        return _Line(ref, order=order_from_wire(data))
    except ValidationError as err:
        return _Line(ref, error=_shorten(str(err)))
    except RecursionError:
        return _Line(ref, error="line: nested too deeply")
    except Exception as err:  # a per-line failure never ends the batch
        return _Line(ref, error=_shorten(f"line: cannot become an order ({type(err).__name__})"))


# --- progress -----------------------------------------------------------------------------


def _clock(seconds: float) -> str:
    seconds = max(int(seconds), 0)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Progress:
    """A live bar (rate and ETA) on a terminal; a plain line every ``interval`` otherwise.

    The share done is the share of the input read (``size`` bytes in all), since the number
    of lines is not known before the one pass over them; ``size=None`` (a pipe) shows counts
    and rate only.
    """

    def __init__(
        self, stream: TextIO, size: int | None, *, interval: float, tty: bool | None = None
    ) -> None:
        self.stream = stream
        self.size = size
        self.tty = stream.isatty() if tty is None else tty
        self.interval = 0.1 if self.tty else interval
        self._shown = 0.0
        self._drawn = False

    def line(self, done: int, counts: Mapping[str, int], elapsed: float, read: int) -> str:
        """The text of one progress update (``read``: bytes of the input consumed)."""
        rate = done / elapsed if elapsed > 0 else 0.0
        share = min(read / self.size, 1.0) if self.size else None
        problems = sum(n for k, n in counts.items() if k not in ("created", "already_existed"))
        if share is None:
            where = f"{done:,} done"
        else:
            eta = _clock(elapsed * (1 - share) / share) if share > 0 else "?"
            where = f"{done:,} done {share:4.0%}  ETA {eta}"
        text = (
            f"{where}  {rate:,.0f}/s  created {counts.get('created', 0):,}  "
            f"existed {counts.get('already_existed', 0):,}  problems {problems:,}"
        )
        if self.tty:
            if share is None:
                return f"\r{text}\x1b[K"
            filled = int(share * _BAR_WIDTH)
            return f"\r[{'#' * filled}{'.' * (_BAR_WIDTH - filled)}] {text}\x1b[K"
        return f"progress: {text} (elapsed {_clock(elapsed)})\n"

    def update(self, done: int, counts: Mapping[str, int], elapsed: float, read: int) -> None:
        """Show progress if ``interval`` passed since the last update."""
        if elapsed - self._shown >= self.interval:
            self._shown = elapsed
            self._show(done, counts, elapsed, read)

    def finish(self, done: int, counts: Mapping[str, int], elapsed: float, read: int) -> None:
        """Show the final state (and end the bar's line)."""
        if self.tty:
            self._show(done, counts, elapsed, read)
            self.stream.write("\n")
            self.stream.flush()
        elif self._drawn:
            self._show(done, counts, elapsed, read)

    def note(self, text: str) -> None:
        """A message that must not be overwritten by the bar."""
        self.stream.write(("\n" if self.tty and self._drawn else "") + text + "\n")
        self.stream.flush()
        self._drawn = False

    def _show(self, done: int, counts: Mapping[str, int], elapsed: float, read: int) -> None:
        self.stream.write(self.line(done, counts, elapsed, read))
        self.stream.flush()
        self._drawn = True


# --- the results file ---------------------------------------------------------------------


class ResultsFile:
    """Where result lines go: a temporary file that atomically replaces ``path`` at the end.

    The temporary file is created beside ``path`` (same directory, so ``os.replace`` is an
    atomic rename) with the permissions a new file would get. A symlink at ``path`` is
    replaced, never followed. A device or pipe at ``path`` (``/dev/stdout``) has nothing to
    protect and cannot be renamed over: it is written to directly.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.temporary: str | None = None
        try:
            target = os.stat(path)  # follows a symlink: what would a plain open() write to?
        except FileNotFoundError:
            target = None
        if target is not None and stat.S_ISDIR(target.st_mode):
            raise IsADirectoryError(21, "Is a directory", path)
        if target is not None and not stat.S_ISREG(target.st_mode):
            self.stream: TextIO = open(path, "w", encoding="utf-8")  # noqa: SIM115 - close()
            return
        directory, name = os.path.split(os.path.abspath(path))
        fd, self.temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".partial", dir=directory)
        try:
            umask = os.umask(0)
            os.umask(umask)
            os.fchmod(fd, 0o666 & ~umask)
            self.stream = os.fdopen(fd, "w", encoding="utf-8")
        except BaseException:
            os.close(fd)
            os.unlink(self.temporary)
            raise

    def write(self, text: str) -> None:
        """Write and flush one line (a crash loses no finished item: see ``temporary``)."""
        self.stream.write(text)
        self.stream.flush()

    def commit(self) -> None:
        """Close, and put the results in place."""
        self.stream.close()
        if self.temporary is not None:
            os.replace(self.temporary, self.path)

    def discard(self) -> None:
        """Close and remove the temporary file; ``path`` stays as it was."""
        with contextlib.suppress(OSError):
            self.stream.close()
        if self.temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.temporary)


# --- the job ------------------------------------------------------------------------------

# What the reading thread hands over: a line, the end (None), or the error that ended it.
_Read = tuple[int, bytes | None] | None | Exception


class _Job:
    """State of one ``create-orders`` run: the input, the results file, counts, stop flag."""

    def __init__(self, reader: LineReader, out: ResultsFile, progress: Progress) -> None:
        from .._core.converter import to_camel, wire_name
        from .._core.models.orders import OrderInput

        self.reader = reader
        self.out = out
        self.progress = progress
        self.started = time.monotonic()
        self.stop_requested = False
        self.interrupted_at: int | None = None
        self.invalid = 0
        self.library: BatchProgress | BatchReport | None = None
        # index of an item given to create_many -> its line number; only items in flight.
        self.lines: dict[int, int] = {}
        # camelCase by the converter's rule, as the input's keys and the API's are.
        self.ref_key = wire_name(attrs.fields(OrderInput).order_ref)
        self.keys = tuple(
            to_camel(name) for name in ("line", "order_ref", "outcome", "error", "correlation_id")
        )
        # A few lines ahead at most: memory stays bounded by the line limit.
        self._queue: queue.Queue[_Read] = queue.Queue(maxsize=4)
        self._reading_done = threading.Event()
        self._reading = False

    async def orders(self) -> AsyncIterator[OrderInput]:
        """The valid orders of the input; invalid lines are reported here and skipped."""
        import anyio.to_thread

        self._start_reading()
        index = 0
        taken = 0  # the last line number handed out
        while True:
            try:  # usually the reading thread is a line ahead: no thread hop needed
                got: _Read | Literal["stopped"] = self._queue.get_nowait()
            except queue.Empty:
                got = await anyio.to_thread.run_sync(self._take)
            if got is None:
                return
            if isinstance(got, Exception):
                raise got
            if isinstance(got, str) or self.stop_requested:  # "stopped"
                self.interrupted_at = taken + 1
                return
            number, text = got
            taken = number
            if text is None:
                line = _Line(
                    None,
                    error=f"line: longer than {self.reader.limit:,} bytes (--max-line-bytes)",
                )
            elif not text.strip():
                continue
            else:
                line = _decode_line(text, self.ref_key)
            if line.order is None:
                self.invalid += 1
                self.write(number, line.ref, "invalid", line.error, None)
                self._progress()
                continue
            self.lines[index] = number
            index += 1
            yield line.order

    def _start_reading(self) -> None:
        # A daemon thread reads the input, a few lines ahead: a pipe that is slow to deliver
        # must neither stall the calls in flight (the event loop never blocks on it) nor
        # hold up a stop or the process's exit (a daemon is not waited for). The thread
        # owns the input and closes it when it is done with it.
        self._reading = True
        threading.Thread(target=self._read_all, name="create-orders input", daemon=True).start()

    def finish_reading(self) -> None:
        """Tell the reading thread to close the input and end (the job no longer reads)."""
        self._reading_done.set()
        if not self._reading:  # never started: nobody else will close the input
            self.reader.stream.close()

    def _read_all(self) -> None:
        try:
            got: _Read = None
            while not self._reading_done.is_set():
                try:
                    got = self.reader.next()
                except Exception as err:  # OSError (or a closed file): the job stops with it
                    got = err
                while not self._reading_done.is_set():
                    try:
                        self._queue.put(got, timeout=0.25)
                        break
                    except queue.Full:
                        continue
                if got is None or isinstance(got, Exception):
                    return
        finally:
            with contextlib.suppress(OSError):
                self.reader.stream.close()

    def _take(self) -> _Read | Literal["stopped"]:
        while True:
            try:
                return self._queue.get(timeout=0.25)
            except queue.Empty:
                if self.stop_requested:  # an idle pipe must not hold up a stop
                    return "stopped"

    def write(
        self,
        line: int,
        ref: str | None,
        outcome: str,
        error: str | None,
        correlation_id: str | None,
    ) -> None:
        """Write one result line (flushed at once: a crash loses no finished item)."""
        import json

        record = dict(zip(self.keys, (line, ref, outcome, error, correlation_id), strict=True))
        self.out.write(json.dumps(record) + "\n")

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
        elapsed = time.monotonic() - self.started
        self.progress.update(self.done(), self.counts(), elapsed, self.reader.position)

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


def _open_input(name: str) -> tuple[IO[bytes], os.stat_result]:
    # Bytes: a line that is not UTF-8 is one invalid line, not the end of the batch. "-" is
    # a file object of our own on a copy of fd 0, not sys.stdin: the reading thread may be
    # blocked in a read of it when the process exits, and the interpreter flushes
    # sys.stdin at exit (it would wait for that thread's lock).
    source: IO[bytes] = open(os.dup(0) if name == "-" else name, "rb")  # noqa: SIM115
    try:
        identity = os.fstat(source.fileno())
        if stat.S_ISDIR(identity.st_mode):
            raise IsADirectoryError(21, "Is a directory", name)
    except BaseException:
        source.close()
        raise
    return source, identity


def _names_input(out: str, identity: os.stat_result) -> bool:
    # By device and inode: the same file under another path, a hardlink or a symlink to it.
    if not stat.S_ISREG(identity.st_mode):
        return False
    try:
        target = os.stat(out)
    except OSError:
        return False
    return (target.st_dev, target.st_ino) == (identity.st_dev, identity.st_ino)


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
        source, identity = _open_input(args.input)
    except OSError as err:
        print(f"create-orders: cannot read {args.input}: {err.strerror or err}", file=sys.stderr)
        return 2
    if _names_input(args.out, identity):
        source.close()
        print(
            f"create-orders: --out {args.out} is the input file: its results would "
            "replace the orders; choose another path",
            file=sys.stderr,
        )
        return 2
    try:
        out = ResultsFile(args.out)
    except OSError as err:
        source.close()
        print(f"create-orders: cannot write {args.out}: {err.strerror or err}", file=sys.stderr)
        return 2
    size = identity.st_size if stat.S_ISREG(identity.st_mode) else None
    reader = LineReader(source, limit=args.max_line_bytes)  # the job's reading thread closes it
    job = _Job(reader, out, Progress(sys.stderr, size, interval=args.progress_interval))
    restore = _install_signal_handlers(job)
    try:
        job.library = _run(job, args.concurrency, args.transport)
    except KeyboardInterrupt:
        _commit(out)
        print("create-orders: aborted; results of calls in flight are lost", file=sys.stderr)
        return 1
    except OSError as err:  # reading the input or writing the results failed
        out.discard()
        print(f"create-orders: stopped: {err}; {args.out} left as it was", file=sys.stderr)
        return 1
    finally:
        job.finish_reading()
        restore()
    try:
        out.commit()
    except OSError as err:
        out.discard()
        print(f"create-orders: cannot write {args.out}: {err}", file=sys.stderr)
        return 1
    _summary(job, args.out, sys.stdout)
    counts = job.counts()
    ok = job.interrupted_at is None and counts["created"] + counts["already_existed"] == job.done()
    return 0 if ok else 1


def _commit(out: ResultsFile) -> None:
    # After an abort the lines written so far are whole and true: keep them.
    try:
        out.commit()
    except OSError:
        out.discard()


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
    job.progress.finish(done, counts, elapsed, job.reader.position)
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
