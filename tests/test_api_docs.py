"""What ``scripts/gen_api.py`` writes from the operation table (resource methods and their
raw twins, the client's groups, ``imburse/__init__.py``, ``docs/api.md``, the API snapshot)
must be checked in as generated, and the reference must list every operation."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_generated_files_are_current() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/gen_api.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_every_operation_and_gap_is_listed() -> None:
    from imburse._core.operations import ALL_OPERATIONS, UNSUPPORTED

    text = (ROOT / "docs" / "api.md").read_text()
    for op in ALL_OPERATIONS:
        assert f"`{op.path}`" in text
        if op.name != "identity.token":
            assert f"`client.{op.name}`" in text
    for gap in UNSUPPORTED:
        assert gap.summary in text
    experimental = [op for op in ALL_OPERATIONS if not op.confirmed]
    assert text.count("**experimental**") == len(experimental)


def test_the_header_reads_as_a_sentence() -> None:
    """docs/api.md said "An experimental operation has a path or method is inferred" in 0.1.0."""
    text = (ROOT / "docs" / "api.md").read_text()
    assert "has a path or\nmethod is inferred" not in text
    assert "path or method is inferred from sibling operations" in " ".join(text.split())
