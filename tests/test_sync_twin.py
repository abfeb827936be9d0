"""The sync twin check fails on a hand edit, a missing file and an extra file."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COPIED = ("scripts", "imburse/_async", "imburse/_sync", "tests/_async", "tests/_sync")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    for part in COPIED:
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def check(repo: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "scripts/unasync.py", "--check"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )


def test_checked_in_twin_is_current(repo: Path) -> None:
    result = check(repo)
    assert result.returncode == 0, result.stderr


def test_hand_edit_of_generated_file_fails(repo: Path) -> None:
    target = repo / "imburse/_sync/pipeline.py"
    target.write_text(target.read_text().replace("failures += 1", "failures += 2"))
    result = check(repo)
    assert result.returncode == 1
    assert "differs: imburse/_sync/pipeline.py" in result.stderr


def test_missing_generated_file_fails(repo: Path) -> None:
    (repo / "imburse/_sync/token.py").unlink()
    result = check(repo)
    assert result.returncode == 1
    assert "missing: imburse/_sync/token.py" in result.stderr


def test_extra_file_in_twin_fails(repo: Path) -> None:
    (repo / "imburse/_sync/handmade.py").write_text("X = 1\n")
    result = check(repo)
    assert result.returncode == 1
    assert "extra (not generated from an async source): imburse/_sync/handmade.py" in result.stderr


def test_regenerating_restores_the_twin(repo: Path) -> None:
    target = repo / "imburse/_sync/client.py"
    target.write_text("# hand edit\n" + target.read_text())
    subprocess.run(
        [sys.executable, "scripts/unasync.py"], cwd=repo, check=True, capture_output=True
    )
    assert check(repo).returncode == 0
