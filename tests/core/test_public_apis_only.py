"""The package uses other projects through their public API only (what ruff's SLF001 cannot see).

ruff's ``SLF001`` (enforced over ``imburse/`` in pyproject.toml) flags ``obj._name``. This test
reads the package's source and fails on the other ways of reaching a private name:

- ``getattr`` / ``setattr`` / ``hasattr`` / ``delattr`` with a literal ``"_name"`` on anything
  but ``self``/``cls``, and ``obj.__dict__["_name"]`` / ``vars(obj)["_name"]``;
- ``from somepackage import _name`` (another project's private module member);
- a class deriving from another project's class that the project does not export: the base
  must be in its top-level package's ``__all__`` (or be a public name of a public stdlib
  module), never a ``_``-prefixed name or one reached through a ``_``-prefixed module.

A line that reaches one of the SDK's *own* private names this way says so with a trailing
``# own: <reason>`` comment; at most ten such lines in the package.
"""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "imburse"
OWN_MARK = "# own:"
MAX_OWN = 10


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _third_party(module: str) -> bool:
    return bool(module) and module.split(".")[0] != "imburse"


class _Finder(ast.NodeVisitor):
    def __init__(self, path: Path, lines: list[str]) -> None:
        self.path, self.lines = path, lines
        self.problems: list[str] = []
        self.own_marks = 0
        self.imported: dict[str, str] = {}  # local name -> "module.attr" for third-party imports

    def _flag(self, node: ast.AST, what: str) -> None:
        line = self.lines[node.lineno - 1] if hasattr(node, "lineno") else ""
        if OWN_MARK in line:
            self.own_marks += 1
            return
        rel = self.path.relative_to(PACKAGE.parent)
        self.problems.append(f"{rel}:{getattr(node, 'lineno', '?')}: {what}")

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if _third_party(alias.name):
                self.imported[alias.asname or alias.name.split(".")[0]] = (
                    alias.name if alias.asname else alias.name.split(".")[0]
                )
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = node.module or ""
        if node.level == 0 and _third_party(module):
            for alias in node.names:
                if _private(alias.name):
                    self._flag(node, f"imports private {module}.{alias.name}")
                self.imported[alias.asname or alias.name] = f"{module}.{alias.name}"
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if (
            isinstance(func, ast.Name)
            and func.id in {"getattr", "setattr", "hasattr", "delattr"}
            and len(node.args) >= 2
            and isinstance(node.args[1], ast.Constant)
            and isinstance(node.args[1].value, str)
            and _private(node.args[1].value)
        ):
            target = node.args[0]
            if not (isinstance(target, ast.Name) and target.id in {"self", "cls"}):
                self._flag(node, f"{func.id}(..., {node.args[1].value!r})")
        self.generic_visit(node)

    def visit_Subscript(self, node: ast.Subscript) -> None:
        key = node.slice
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and _private(key.value):
            value = node.value
            via_dict = isinstance(value, ast.Attribute) and value.attr == "__dict__"
            via_vars = (
                isinstance(value, ast.Call)
                and isinstance(value.func, ast.Name)
                and value.func.id == "vars"
            )
            if via_dict or via_vars:
                self._flag(node, f"reads {key.value!r} through __dict__/vars()")
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for base in node.bases:
            dotted = _dotted(base)
            if dotted is None:
                continue
            head, _, rest = dotted.partition(".")
            if head not in self.imported:
                continue
            full = self.imported[head] + (f".{rest}" if rest else "")
            problem = _private_base(full)
            if problem:
                self._flag(node, f"class {node.name} derives from {full}: {problem}")
        self.generic_visit(node)


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        inner = _dotted(node.value)
        return None if inner is None else f"{inner}.{node.attr}"
    if isinstance(node, ast.Subscript):  # Generic[T], Protocol[T]
        return _dotted(node.value)
    return None


def _private_base(full: str) -> str | None:
    parts = full.split(".")
    if any(_private(p) for p in parts):
        return "a private name"
    top = parts[0]
    if top in sys.stdlib_module_names:
        return None  # public names of public stdlib modules
    try:
        package = importlib.import_module(top)
    except ImportError:
        return None  # an optional extra that is not installed: nothing to check here
    exported = getattr(package, "__all__", None)
    name = parts[-1]
    if exported is not None and name in exported:
        return None
    if exported is None and hasattr(package, name):
        return None
    return f"{top} does not export {name}"


def _scan() -> tuple[list[str], int]:
    problems: list[str] = []
    own = 0
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        finder = _Finder(path, text.splitlines())
        finder.visit(ast.parse(text, filename=str(path)))
        problems += finder.problems
        own += finder.own_marks
    return problems, own


def test_no_private_name_of_another_project_is_reached() -> None:
    problems, _ = _scan()
    assert not problems, "private names reached:\n" + "\n".join(problems)


def test_own_private_access_is_rare_and_explained() -> None:
    _, own = _scan()
    assert own <= MAX_OWN


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import asyncio\nx = getattr(asyncio.current_task(), '_must_cancel', False)\n", 1),
        ("from asyncio import _get_running_loop\n", 1),
        ("from aiohttp.client_proto import ResponseHandler\nclass H(ResponseHandler): ...\n", 1),
        ("import httpx\nclass T(httpx.AsyncBaseTransport): ...\n", 0),
        ("class A:\n    def f(self):\n        return getattr(self, '_x', None)\n", 0),
        ("x = vars(obj)['_pool']\n", 1),
    ],
)
def test_the_scanner_sees_what_it_should(source: str, expected: int) -> None:
    """The scanner itself: each known way round SLF001 is caught, public use is not."""
    pytest.importorskip("aiohttp")
    path = PACKAGE / "_probe_for_test.py"  # a path inside the package, never written
    finder = _Finder(path, source.splitlines())
    finder.visit(ast.parse(source))
    assert len(finder.problems) == expected, finder.problems
