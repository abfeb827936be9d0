"""``python -m imburse batch create-orders``: results file, invalid lines, exit status, usage.

These run the command in this process against the fake served over real HTTP; the kill and
signal tests (``test_batch_cli_signals.py``) run it as a separate process.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from imburse._cli import batch as batch_cli
from imburse.testing import FakeImburse

from .batch_helpers import Served, read_results, wire_order, write_lines


def run(served: Served, monkeypatch: pytest.MonkeyPatch, *argv: str) -> int:
    for name, value in served.variables.items():
        monkeypatch.setenv(name, value)
    return batch_cli.main(list(argv))


def test_malformed_and_invalid_lines_are_reported_by_number_and_skipped(
    served: Served,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = write_lines(
        tmp_path / "orders.jsonl",
        [
            wire_order("OK-1"),  # line 1
            "{not json",  # 2
            wire_order("OK-2", amount="7.25"),  # 3
            {"orderRef": "bad ref"},  # 4
            "",  # 5: blank lines are skipped, not items
            {"orderRef": "TYPO-1", "metdata": {"a": "b"}},  # 6
            "[1, 2]",  # 7
            {"orderRef": "SHORT-1", "instructions": [{"instructionRef": "I-1"}]},  # 8
            {
                **wire_order("OK-3"),
                "instructions": [{**wire_order("X")["instructions"][0], "amount": 12.5}],
            },  # 9
            {
                "orderRef": "AMOUNT-1",
                "instructions": [{**wire_order("X")["instructions"][0], "amount": "-3"}],
            },  # 10
        ],
    )
    with source.open("ab") as lines:
        lines.write(b'{"orderRef": "LATIN-1", "metadata": {"city": "K\xf6ln"}}\n')  # 11
        lines.write(json.dumps(wire_order("OK-4")).encode())  # 12, without a final newline
    out = tmp_path / "results.jsonl"

    status = run(served, monkeypatch, "create-orders", str(source), "--out", str(out))

    assert status == 1  # not every line was created
    results = read_results(out)
    by_line = {r["line"]: r for r in results}
    assert len(results) == len(by_line) == 11
    assert sorted(by_line) == [1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12]
    created = (1, 3, 9, 12)  # line 12 has no final newline
    assert {n: by_line[n]["outcome"] for n in created} == dict.fromkeys(created, "created")
    invalid = {n: r for n, r in by_line.items() if r["outcome"] == "invalid"}
    assert sorted(invalid) == [2, 4, 6, 7, 8, 10, 11]
    assert "malformed JSON" in invalid[2]["error"]
    assert invalid[4]["orderRef"] == "bad ref"
    assert invalid[4]["error"].startswith("order_ref:")
    assert invalid[6]["error"] == "metdata: unknown field"
    assert invalid[6]["orderRef"] == "TYPO-1"
    assert "JSON object" in invalid[7]["error"]
    assert invalid[8]["error"].startswith("instructions[0]")
    assert invalid[10]["error"].startswith("instructions[0].amount")
    assert "malformed JSON" in invalid[11]["error"]  # not UTF-8: never altered and sent
    assert all(r["correlationId"] is None for r in invalid.values())
    assert all(by_line[n]["correlationId"] for n in created)
    assert set(results[0]) == {"line", "orderRef", "outcome", "error", "correlationId"}
    # Only the valid lines reached Imburse, with their amounts as exact decimals.
    fake: FakeImburse = served.fake
    assert set(fake.orders) == {"OK-1", "OK-2", "OK-3", "OK-4"}
    assert fake.orders["OK-2"].instructions["I-1"].amount == Decimal("7.25")
    assert fake.orders["OK-3"].instructions["I-1"].amount == Decimal("12.5")
    summary = capsys.readouterr().out
    assert "11 item(s)" in summary
    assert "created                  4" in summary
    assert "invalid                  7" in summary


def test_exit_status_is_zero_only_when_every_line_was_created_or_already_existed(
    served: Served, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    source = write_lines(tmp_path / "orders.jsonl", [wire_order(f"E-{n}") for n in range(20)])
    out = tmp_path / "results.jsonl"

    assert run(served, monkeypatch, "create-orders", str(source), "--out", str(out)) == 0
    assert {r["outcome"] for r in read_results(out)} == {"created"}

    # The same input again (on another HTTP stack): nothing is created twice, the results
    # file is rewritten.
    again_args = ("create-orders", str(source), "--out", str(out), "--transport", "aiohttp")
    assert run(served, monkeypatch, *again_args) == 0
    again = read_results(out)
    assert len(again) == 20
    assert {r["outcome"] for r in again} == {"already_existed"}

    # One line now differs from what Imburse holds: a conflict, never an overwrite.
    changed = [wire_order(f"E-{n}") for n in range(20)]
    changed[7] = wire_order("E-7", amount="99.99")
    write_lines(source, changed)
    assert run(served, monkeypatch, "create-orders", str(source), "--out", str(out)) == 1
    (conflict,) = [r for r in read_results(out) if r["outcome"] == "conflict"]
    assert (conflict["line"], conflict["orderRef"]) == (8, "E-7")
    assert "amount" in conflict["error"]
    assert conflict["correlationId"]
    assert served.fake.orders["E-7"].instructions["I-1"].amount == Decimal("12.50")


def test_usage_errors_exit_with_status_2(
    served: Served,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = write_lines(tmp_path / "orders.jsonl", [wire_order("U-1")])
    out = str(tmp_path / "results.jsonl")
    with pytest.raises(SystemExit) as missing_out:
        batch_cli.main(["create-orders", str(source)])
    assert missing_out.value.code == 2
    with pytest.raises(SystemExit) as bad_concurrency:
        batch_cli.main(["create-orders", str(source), "--out", out, "--concurrency", "0"])
    assert bad_concurrency.value.code == 2
    assert batch_cli.main(["create-orders", str(source), "--out", out]) == 2  # no IMBURSE_*
    assert "IMBURSE_" in capsys.readouterr().err
    missing = str(tmp_path / "nope.jsonl")
    assert run(served, monkeypatch, "create-orders", missing, "--out", out) == 2
    assert "cannot read" in capsys.readouterr().err
    assert run(served, monkeypatch, "create-orders", str(source), "--out", str(tmp_path)) == 2
    assert "cannot write" in capsys.readouterr().err
    assert served.fake.orders == {}


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_results_file_that_cannot_be_written_stops_the_batch_cleanly(
    served: Served,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    source = write_lines(tmp_path / "orders.jsonl", [wire_order(f"F-{n}") for n in range(200)])
    status = run(served, monkeypatch, "create-orders", str(source), "--out", "/dev/full")
    assert status == 1
    assert "create-orders: stopped: [Errno 28] No space left on device" in capsys.readouterr().err
    assert 1 <= len(served.fake.orders) < 200  # stopped taking lines after the first failure


def test_the_command_is_registered_on_python_m_imburse(capsys: pytest.CaptureFixture[str]) -> None:
    from imburse.__main__ import main

    with pytest.raises(SystemExit) as done:
        main(["batch", "create-orders", "--help"])
    assert done.value.code == 0
    help_text = capsys.readouterr().out
    assert "--concurrency" in help_text
    assert "already_existed" in help_text


def test_progress_is_a_bar_with_rate_and_eta_on_a_terminal_and_plain_lines_otherwise() -> None:
    import io

    counts = {"created": 40, "already_existed": 8, "failed": 2}
    bar_stream = io.StringIO()
    bar = batch_cli.Progress(bar_stream, 1000, interval=10.0, tty=True)  # 1,000 input bytes
    bar.update(50, counts, elapsed=5.0, read=500)
    bar.update(51, counts, elapsed=5.05, read=510)  # too soon after the last redraw
    shown = bar_stream.getvalue()
    assert shown.startswith("\r[############............] 50 done  50%")
    assert "10/s" in shown
    assert "ETA 0:05" in shown
    assert "problems 2" in shown
    assert shown.count("\r") == 1

    plain_stream = io.StringIO()
    plain = batch_cli.Progress(plain_stream, 1000, interval=10.0, tty=False)
    plain.update(10, counts, elapsed=2.0, read=100)  # before the first interval: quiet
    plain.update(50, counts, elapsed=10.0, read=500)
    plain.update(60, counts, elapsed=12.0, read=600)
    plain.update(90, counts, elapsed=20.0, read=900)
    lines = plain_stream.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("progress: 50 done  50%")
    assert "ETA 0:10" in lines[0]
    assert "\r" not in plain_stream.getvalue()

    # Input from a pipe: its size is unknown, so no share and no ETA, only counts and rate.
    piped_stream = io.StringIO()
    piped = batch_cli.Progress(piped_stream, None, interval=10.0, tty=False)
    piped.update(50, counts, elapsed=10.0, read=500)
    assert piped_stream.getvalue().startswith("progress: 50 done  5/s  created 40")
    assert "ETA" not in piped_stream.getvalue()


def test_order_from_wire_maps_camel_case_and_refuses_unknown_keys() -> None:
    from imburse import ValidationError

    order = batch_cli.order_from_wire(
        {
            "orderRef": "W-1",
            "metadata": {"someKey": "kept as is"},
            "customerDefaults": {"C-1": {"schemeId": "S-1", "financialInstrumentId": "F-1"}},
            "instructions": [
                {
                    **wire_order("X")["instructions"][0],
                    "settledByDate": "2025-01-31",
                    "schemeId": "S-2",
                }
            ],
        }
    )
    assert order.metadata == {"someKey": "kept as is"}
    assert order.customer_defaults is not None
    assert order.customer_defaults["C-1"].scheme_id == "S-1"
    instruction = order.instructions[0]
    assert (instruction.scheme_id, str(instruction.settled_by_date)) == ("S-2", "2025-01-31")
    with pytest.raises(ValidationError, match=r"customerDefaults\['C-1'\]\.scheme"):
        batch_cli.order_from_wire({"orderRef": "W-1", "customerDefaults": {"C-1": {"scheme": "S"}}})
    with pytest.raises(ValidationError, match=r"instructions\[0\]\.instrumentId: unknown field"):
        batch_cli.order_from_wire(
            {"orderRef": "W-1", "instructions": [{"instrumentId": "F", "instructionRef": "I"}]}
        )
    with pytest.raises(ValidationError, match="order_ref"):
        batch_cli.order_from_wire({"metadata": {}})
