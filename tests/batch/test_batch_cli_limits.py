"""The batch command survives any input line and never damages a file (issue 14, item 9).

Each test failed on the command before this change, as its docstring says. The fake is
served over real HTTP on 127.0.0.1; the stdin tests run the command as a separate process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

import pytest

from imburse._cli import batch as batch_cli

from .batch_helpers import (
    Served,
    partial_files,
    read_results,
    results_so_far,
    wire_order,
    write_lines,
)


def run(served: Served, monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    for name, value in served.variables.items():
        monkeypatch.setenv(name, value)
    return batch_cli.main(["create-orders", *argv])


def command(*argv: str) -> list[str]:
    return [sys.executable, "-m", "imburse", "batch", "create-orders", *argv]


def test_a_line_nested_100000_deep_is_one_invalid_line_and_the_run_goes_on(
    served: Served,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Failed before: RecursionError ended the run, with no summary and later lines unsent."""
    deep_array = "[" * 100_000 + "]" * 100_000
    deep_object = '{"a":' * 100_000 + "1" + "}" * 100_000
    deep_metadata = '{"orderRef": "DEEP-3", "metadata": ' + deep_object + "}"
    source = write_lines(
        tmp_path / "orders.jsonl",
        [wire_order("OK-1"), deep_array, deep_object, deep_metadata, wire_order("OK-2")],
    )
    out = tmp_path / "results.jsonl"

    assert run(served, monkeypatch, str(source), "--out", str(out)) == 1

    by_line = {r["line"]: r for r in read_results(out)}
    assert {n: r["outcome"] for n, r in by_line.items()} == {
        1: "created",
        2: "invalid",
        3: "invalid",
        4: "invalid",
        5: "created",
    }
    for n in (2, 3, 4):
        assert "nested too deeply" in by_line[n]["error"]
        assert len(json.dumps(by_line[n])) < 300  # the line is not echoed
    assert set(served.fake.orders) == {"OK-1", "OK-2"}
    summary = capsys.readouterr().out
    assert "5 item(s)" in summary
    assert "invalid                  3" in summary


def test_any_per_line_failure_is_invalid_with_its_line_number(
    served: Served, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A guard beside the test above (this one passed before too): numbers the parser
    refuses (a 10,000-digit integer exceeds Python's digit limit) stay one invalid line
    each, with a bounded error, and the valid line after them is created."""
    source = write_lines(
        tmp_path / "orders.jsonl",
        [
            '{"orderRef": "N-1", "metadata": {"k": 1' + "0" * 10_000 + "}}",
            '{"orderRef": 1' + "0" * 10_000 + "}",
            wire_order("OK-1"),
        ],
    )
    out = tmp_path / "results.jsonl"

    assert run(served, monkeypatch, str(source), "--out", str(out)) == 1

    by_line = {r["line"]: r for r in read_results(out)}
    assert [by_line[n]["outcome"] for n in (1, 2, 3)] == ["invalid", "invalid", "created"]
    assert all(len(by_line[n]["error"]) <= 500 for n in (1, 2))


@pytest.mark.parametrize("name", ["-", "/dev/stdin"])
def test_input_from_a_pipe_is_read_once_and_every_line_is_created(
    served: Served, tmp_path: Path, name: str
) -> None:
    """Failed before: ``/dev/stdin`` gave 0 items (the input was read twice: once to count
    the lines), and ``-`` was "cannot read -"."""
    lines = "".join(json.dumps(wire_order(f"P-{n}")) + "\n" for n in range(30))
    out = tmp_path / "results.jsonl"

    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        command(name, "--out", str(out)),
        input=lines,
        env=served.environ(),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    results = read_results(out)
    assert sorted(r["line"] for r in results) == list(range(1, 31))
    assert {r["outcome"] for r in results} == {"created"}
    assert len(served.fake.orders) == 30
    assert "30 item(s)" in done.stdout


def test_out_naming_the_input_file_by_any_path_is_refused_with_exit_2(
    served: Served,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Failed before: the input was truncated and the run reported success with 0 items."""
    source = write_lines(tmp_path / "orders.jsonl", [wire_order(f"SAME-{n}") for n in range(3)])
    original = source.read_bytes()
    (tmp_path / "sub").mkdir()
    hardlink = tmp_path / "hardlink.jsonl"
    os.link(source, hardlink)
    symlink = tmp_path / "symlink.jsonl"
    symlink.symlink_to(source)
    names = [
        str(source),
        str(tmp_path / "sub" / ".." / "orders.jsonl"),
        str(hardlink),
        str(symlink),
    ]

    for name in names:
        assert run(served, monkeypatch, str(source), "--out", name) == 2, name
        assert "is the input file" in capsys.readouterr().err
    assert source.read_bytes() == original
    assert served.fake.orders == {}
    assert not partial_files(source)


def test_a_symlink_at_out_is_replaced_not_followed(
    served: Served, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Failed before: the results were written through the symlink into the file it named."""
    source = write_lines(tmp_path / "orders.jsonl", [wire_order("LINK-1")])
    precious = tmp_path / "precious.txt"
    precious.write_text("not yours\n")
    out = tmp_path / "results.jsonl"
    out.symlink_to(precious)

    assert run(served, monkeypatch, str(source), "--out", str(out)) == 0

    assert precious.read_text() == "not yours\n"
    assert not out.is_symlink()
    assert [r["orderRef"] for r in read_results(out)] == ["LINK-1"]
    assert not partial_files(out)


def test_results_replace_the_old_file_atomically_when_the_run_ends(
    served: Served, tmp_path: Path
) -> None:
    """Failed before: ``--out`` was truncated at the start and filled line by line, so a
    reader (or a crash) saw a half-written file."""
    source = write_lines(tmp_path / "orders.jsonl", [wire_order(f"A-{n}") for n in range(40)])
    out = tmp_path / "results.jsonl"
    out.write_text('{"previous": "run"}\n')
    served.fake.inject("latency", delay=0.05, times=None, method="POST")

    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command(str(source), "--out", str(out), "--concurrency", "2"),
        env=served.environ(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while len(results_so_far(out)) < 5:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no results after 30 s"
        time.sleep(0.01)
    # Mid-run: results so far are in the temporary file; --out is still the old one whole.
    assert out.read_text() == '{"previous": "run"}\n'
    stdout, stderr = process.communicate(timeout=60)

    assert process.returncode == 0, stdout + stderr
    assert len(read_results(out)) == 40
    assert not partial_files(out)
    mode = out.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask  # the permissions a new file gets, not mkstemp's 0600


def test_a_line_longer_than_the_limit_is_invalid_and_never_held_or_copied_whole(
    served: Served, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Failed before: a 40 MiB line was read, parsed (about 4.5x its size in memory) and
    sent to validation, and its error repeated the value into the results."""
    source = tmp_path / "orders.jsonl"
    huge = json.dumps({"orderRef": "HUGE-1", "metadata": {"blob": "x" * (40 * 1024 * 1024)}})
    with source.open("w") as lines:
        lines.write(json.dumps(wire_order("BEFORE-1")) + "\n")
        lines.write(huge + "\n")
        lines.write(json.dumps(wire_order("AFTER-1")) + "\n")
    del huge
    out = tmp_path / "results.jsonl"

    tracemalloc.start()
    try:
        status = run(served, monkeypatch, str(source), "--out", str(out))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert status == 1
    assert peak < 12 * 1024 * 1024  # the limit (1 MiB) and the client, never the 40 MiB line
    by_line = {r["line"]: r for r in read_results(out)}
    assert [by_line[n]["outcome"] for n in (1, 2, 3)] == ["created", "invalid", "created"]
    assert by_line[2]["error"] == "line: longer than 1,048,576 bytes (--max-line-bytes)"
    assert out.stat().st_size < 2048
    assert set(served.fake.orders) == {"BEFORE-1", "AFTER-1"}


def test_max_line_bytes_is_exact_and_configurable(
    served: Served, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Failed before: there was no limit (and no ``--max-line-bytes``)."""
    fits = json.dumps({"orderRef": "FIT-1"})
    limit = len(fits)
    too_long = json.dumps({"orderRef": "LONG-1"})
    assert len(too_long) == limit + 1
    source = tmp_path / "orders.jsonl"
    # The line ending does not count: "\r\n" after a line of exactly the limit is fine.
    source.write_bytes(f"{fits}\r\n{too_long}\n{fits.replace('FIT-1', 'FIT-2')}".encode())
    out = tmp_path / "results.jsonl"

    status = run(
        served, monkeypatch, str(source), "--out", str(out), "--max-line-bytes", str(limit)
    )

    assert status == 1
    outcomes = {r["line"]: (r["orderRef"], r["outcome"]) for r in read_results(out)}
    assert outcomes == {1: ("FIT-1", "created"), 2: (None, "invalid"), 3: ("FIT-2", "created")}


def test_the_help_documents_the_limits_and_the_atomic_write(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Failed before: the help named neither (there were none)."""
    with pytest.raises(SystemExit):
        batch_cli.main(["create-orders", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "--max-line-bytes" in text
    assert "1,048,576" in text
    assert "written atomically" in text
    assert "a symlink at RESULTS.jsonl is replaced, not followed" in text
    assert '"-" (or /dev/stdin, or a pipe) works' in text


def test_a_stop_is_honoured_while_a_pipe_has_nothing_to_say(served: Served, tmp_path: Path) -> None:
    """Failed before: ``-`` was not an input, and ``/dev/stdin`` was read to its end (to
    count the lines) before anything was sent, so an open, idle pipe held the run forever.
    Now the input is read by a daemon thread one line ahead: lines are created as they
    arrive, and SIGTERM while the pipe is idle stops the run at once with its results."""
    import signal

    out = tmp_path / "results.jsonl"
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        command("-", "--out", str(out)),
        env=served.environ(),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdin is not None
    for n in range(5):
        process.stdin.write(json.dumps(wire_order(f"IDLE-{n}")) + "\n")
    process.stdin.flush()  # ... and the pipe stays open, with nothing more to say
    deadline = time.monotonic() + 30
    while len(results_so_far(out)) < 5:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the lines that arrived were not created"
        time.sleep(0.01)

    process.send_signal(signal.SIGTERM)
    started = time.monotonic()
    process.wait(timeout=15)  # not communicate(): it would close stdin, an end of input
    assert process.stdout is not None
    assert process.stderr is not None
    stdout, stderr = process.stdout.read(), process.stderr.read()
    for stream in (process.stdin, process.stdout, process.stderr):
        stream.close()

    assert time.monotonic() - started < 5
    assert process.returncode == 1, stdout + stderr
    assert "interrupted before line 6" in stdout
    assert sorted(r["orderRef"] for r in read_results(out)) == [f"IDLE-{n}" for n in range(5)]
