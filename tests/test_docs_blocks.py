"""Every Python block of README.md and docs/*.md runs as written, against the fake Imburse.

A block runs in a fresh interpreter with the ``IMBURSE_*`` variables pointing at a
``FakeImburse`` served over HTTP (as ``python -m imburse fake-server`` would), blocks of one
document in order against one fake, as a reader goes through it. A marker in an HTML comment
on the line before the fence changes that:

* ``<!-- fragment: why -->``: an excerpt that cannot run alone (the reason is required);
* ``<!-- pytest: why -->``: a test file, run by pytest with the SDK's pytest plugin.
"""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from imburse.testing import DEMO_CREDENTIALS, FakeImburse, FakeServer

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"^(?P<indent> *)```(?P<lang>\S*)\s*$")
MARKER = re.compile(r"^\s*<!--\s*(?P<kind>fragment|pytest)\b\s*(?::\s*(?P<why>.*?))?\s*-->\s*$")


@attrs.frozen
class Block:
    document: Path
    line: int  # of the opening fence, 1-based
    code: str
    marker: str | None  # "fragment", "pytest" or None
    why: str | None
    section: str  # the heading above it, so that ids survive edits elsewhere

    @property
    def id(self) -> str:
        return f"{self.document.name}#{self.section}"


def blocks(document: Path) -> list[Block]:
    """The Python blocks of a Markdown document, with the marker before each."""
    found: list[Block] = []
    lines = document.read_text(encoding="utf-8").splitlines()
    heading, count = "top", 0
    n = 0
    while n < len(lines):
        fence = FENCE.match(lines[n])
        if fence is None:
            if lines[n].startswith("#"):
                heading = re.sub(r"[^a-z0-9]+", "-", lines[n].lstrip("#").strip().lower()).strip(
                    "-"
                )
                count = 0
            n += 1
            continue
        indent, lang, start = fence["indent"], fence["lang"], n
        n += 1
        body: list[str] = []
        while n < len(lines) and lines[n].strip() != "```":
            body.append(lines[n][len(indent) :] if lines[n].startswith(indent) else lines[n])
            n += 1
        n += 1
        if lang not in ("python", "py"):
            continue
        count += 1
        previous = start - 1
        while previous >= 0 and not lines[previous].strip():
            previous -= 1
        marker = MARKER.match(lines[previous]) if previous >= 0 else None
        found.append(
            Block(
                document,
                start + 1,
                "\n".join(body) + "\n",
                marker["kind"] if marker else None,
                marker["why"] if marker else None,
                heading if count == 1 else f"{heading}-{count}",
            )
        )
    return found


ALL = [block for document in DOCUMENTS for block in blocks(document)]
RUNNABLE = [block for block in ALL if block.marker != "fragment"]


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[Path, FakeServer]]:
    """One fake per document, served over HTTP."""
    with contextlib.ExitStack() as stack:
        yield {
            document: stack.enter_context(stack.enter_context(FakeImburse()).serve())
            for document in DOCUMENTS
        }


def _env(server: FakeServer) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        IMBURSE_BASE_URL=server.url,
        IMBURSE_PUBLIC_KEY=DEMO_CREDENTIALS.public_key,
        IMBURSE_PRIVATE_KEY=DEMO_CREDENTIALS.private_key,
        IMBURSE_ACCOUNT_ID=DEMO_CREDENTIALS.account_id,
        IMBURSE_TENANT_ID=str(DEMO_CREDENTIALS.tenant_id),
    )
    env.pop("IMBURSE_ENVIRONMENT", None)
    return env


@pytest.mark.parametrize("block", RUNNABLE, ids=[b.id for b in RUNNABLE])
def test_block_runs_as_written(
    block: Block, servers: dict[Path, FakeServer], tmp_path: Path
) -> None:
    """On 0.1.0 the README's "Using it" block was a SyntaxError (top-level ``async with``)."""
    if block.marker == "pytest":
        (tmp_path / "conftest.py").write_text(
            'pytest_plugins = ["imburse.testing.pytest_plugin"]\n'
        )
        (tmp_path / "pytest.ini").write_text(
            "[pytest]\nasyncio_default_fixture_loop_scope = function\n"
        )
        (tmp_path / "test_block.py").write_text(block.code)
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error"]
    else:
        command = [sys.executable, "-c", block.code]
    result = subprocess.run(  # noqa: S603 - our interpreter, our own documentation
        command,
        env=_env(servers[block.document]),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, (
        f"{block.id} (line {block.line}) failed:\n{textwrap.indent(block.code, '    ')}\n"
        f"{result.stdout[-3000:]}{result.stderr[-3000:]}"
    )


def test_every_fragment_says_why() -> None:
    """A block is left out only with a reason a reader can check."""
    unexplained = [b.id for b in ALL if b.marker == "fragment" and not b.why]
    assert unexplained == []


def test_the_reader_finds_the_markers() -> None:
    """The parser sees fences inside lists and the marker before them (a check on the test)."""
    sample = ROOT / "README.md"
    found = blocks(sample)
    assert found, "README.md has Python blocks"
    assert any(b.marker == "fragment" for b in found)
    assert any(b.marker is None for b in found)
