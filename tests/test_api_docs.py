"""docs/api.md is generated from the operation table and must not go stale."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_api_reference_is_current() -> None:
    result = subprocess.run(
        [sys.executable, "scripts/gen_api_docs.py", "--check"],
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
