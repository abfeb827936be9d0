"""The type-checking suite: ``mypy --strict --warn-unused-ignores`` over ``cases_*.py``.

The cases pin what methods return (``assert_type``) and which misuses are errors (a
``# type: ignore[code]`` that stops being needed fails the run). Before the Literal types,
``instruction.status == "SETLED"`` and ``InstructionInput(amount=12.5)`` type-checked, so
their ignores were unused and this test failed.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).parent


def test_cases_type_check_as_written() -> None:
    pytest.importorskip("mypy")
    cases = sorted(str(p) for p in HERE.glob("cases_*.py"))
    assert cases
    done = subprocess.run(  # noqa: S603 - our interpreter, our files
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--warn-unused-ignores",
            "--no-incremental",
            *cases,
        ],
        capture_output=True,
        text=True,
        check=False,
        cwd=HERE.parent.parent,
    )
    assert done.returncode == 0, done.stdout + done.stderr
