"""The version lives in pyproject.toml; the package and the CHANGELOG must agree with it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import imburse

ROOT = Path(__file__).resolve().parent.parent


def _pyproject_version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as f:
        version: str = tomllib.load(f)["project"]["version"]
    return version


def test_package_version_is_the_pyproject_version() -> None:
    assert imburse.__version__ == _pyproject_version()


def test_changelog_follows_keep_a_changelog() -> None:
    """Unreleased work sits on top; the pyproject version is the newest dated release."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\](.*)$", text, flags=re.M)
    assert headings[0][0] == "Unreleased"
    released = headings[1:]
    assert released, "no release section"
    newest, rest = released[0]
    assert newest == _pyproject_version()
    assert re.fullmatch(r" - \d{4}-\d{2}-\d{2}", rest), f"release {newest} has no date"


def test_first_release_has_nothing_fixed() -> None:
    """'Fixed' is for behaviour that was released; 0.1.0 is the first release."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    first = text[text.index("## [0.1.0]") :]
    assert "### Fixed" not in first
