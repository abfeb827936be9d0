"""Every third-party module the package imports is declared in pyproject (issue 16, item 1).

``pip install 'imburse[aiohttp]'`` then ``transport="aiohttp"`` failed with
``ModuleNotFoundError: No module named 'sniffio'``: ``imburse/_aiohttp.py`` imported it and
nothing declared it (the dev extra's trio pulled it in, so no test noticed). This test reads
every module of ``imburse/`` with ``ast`` -- imports at module level and inside functions,
and ``import_module``/``import_extra`` calls with a literal name -- and requires each
third-party one to come from a distribution named in ``[project] dependencies`` or in a user
extra (not ``dev``/``bench``, which users do not install). Imports under
``if TYPE_CHECKING:`` are left out: they never run. ``nox -s extras`` then installs each
extra alone and makes real calls (``scripts/check_extras.py``).
"""

from __future__ import annotations

import ast
import functools
import importlib.metadata
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

import imburse

PACKAGE = Path(imburse.__file__).resolve().parent
PYPROJECT = PACKAGE.parent / "pyproject.toml"
SCRIPT = PACKAGE.parent / "scripts" / "check_extras.py"
NOT_FOR_USERS = frozenset({"dev", "bench"})

#: Undeclared imports that other work in flight removes, ignored until then:
#: ``imburse/_aiohttp.py`` imports ``sniffio`` (the transport rework drops it).
#: THE INTEGRATOR EMPTIES THIS after merging that branch;
#: :func:`test_the_allow_list_names_only_imports_that_exist` fails once an entry is stale.
KNOWN_UNDECLARED: frozenset[str] = frozenset({"sniffio"})

#: Modules that run only inside the program that provides the import: the pytest plugin is
#: loaded by pytest, so ``pytest`` is there whenever the plugin is; it uses the user's own
#: ``pytest_asyncio`` when (and only when) that plugin is installed. Only from these files.
HOSTED: dict[str, frozenset[str]] = {
    "pytest": frozenset({"imburse/testing/pytest_plugin.py"}),
    "pytest_asyncio": frozenset({"imburse/testing/pytest_plugin.py"}),
}


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, requirement
    return _normalise(match.group(1))


def declared() -> dict[str, set[str]]:
    """Distribution name -> where it is declared (``"dependencies"`` or extra names)."""
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    where: dict[str, set[str]] = {}
    for requirement in project["dependencies"]:
        where.setdefault(_requirement_name(requirement), set()).add("dependencies")
    for extra, requirements in project.get("optional-dependencies", {}).items():
        if extra in NOT_FOR_USERS:
            continue
        for requirement in requirements:
            where.setdefault(_requirement_name(requirement), set()).add(extra)
    return where


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for other in node.orelse:
                yield other
                yield from _runtime_nodes(other)
            continue
        yield node
        yield from _runtime_nodes(node)


def _literal_import(node: ast.AST) -> str | None:
    # importlib.import_module("x"), import_extra("x", extra)
    if not isinstance(node, ast.Call) or not node.args:
        return None
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    first = node.args[0]
    if name in ("import_module", "import_extra") and isinstance(first, ast.Constant):
        return first.value if isinstance(first.value, str) else None
    return None


@functools.cache
def third_party_imports() -> dict[str, set[str]]:
    """Top-level third-party module -> the package files that import it at run time."""
    found: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        names: list[str] = []
        for node in _runtime_nodes(tree):
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.append(node.module)
            elif (literal := _literal_import(node)) is not None:
                names.append(literal)
        for name in names:
            top = name.partition(".")[0]
            if top in sys.stdlib_module_names or top in ("imburse", "__future__"):
                continue
            found.setdefault(top, set()).add(str(path.relative_to(PACKAGE.parent)))
    return found


@functools.cache
def _installed() -> Mapping[str, list[str]]:
    return importlib.metadata.packages_distributions()


def distributions_of(module: str) -> set[str]:
    """The distributions that provide an importable top-level module (its own name if none
    is installed: an uninstalled module must then be declared under that name)."""
    providers = _installed().get(module)
    return {_normalise(d) for d in providers} if providers else {_normalise(module)}


def test_every_third_party_import_is_declared_for_users() -> None:
    """Failed before: ``yarl`` (imported by imburse/_aiohttp.py, only a dependency of
    aiohttp) and ``sniffio`` were declared nowhere. ``yarl`` is now declared in the aiohttp
    extra; ``sniffio`` is allow-listed until the transport rework drops it."""
    where = declared()
    undeclared = {
        module: sorted(files - HOSTED.get(module, frozenset()))
        for module, files in third_party_imports().items()
        if module not in KNOWN_UNDECLARED
        and not distributions_of(module) & where.keys()
        and not files <= HOSTED.get(module, frozenset())
    }
    assert not undeclared, (
        "imported but declared neither in [project] dependencies nor in a user extra "
        f"(dev and bench do not count): {undeclared}"
    )


def test_the_allow_list_names_only_imports_that_exist() -> None:
    stale = sorted(KNOWN_UNDECLARED - third_party_imports().keys())
    assert not stale, f"remove from KNOWN_UNDECLARED (no longer imported): {stale}"


def test_the_scan_sees_function_level_and_literal_imports() -> None:
    """The scanner itself: msgspec is imported inside a function only, httpx2 only through
    ``import_extra("httpx2", ...)``, and both are declared in their extra."""
    imports = third_party_imports()
    assert "imburse/_core/converter.py" in imports["msgspec"]
    assert "imburse/_async/transport.py" in imports["httpx2"]
    where = declared()
    assert "speed" in where["msgspec"]
    assert "httpx2" in where["httpx2"]
    assert "dependencies" in where["httpx"]
    assert not {"trio", "respx", "hypothesis"} & set(imports)  # dev-only tools stay out


def _user_extras() -> list[str]:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    return sorted(set(project.get("optional-dependencies", {})) - NOT_FOR_USERS)


@pytest.mark.parametrize("extra", ["none", *_user_extras()])
def test_each_extra_works_alone_and_the_absent_ones_name_the_pip_command(extra: str) -> None:
    """The short, in-suite form of ``nox -s extras``: here every extra is installed, so the
    others are made unimportable in the child process (``--block-others``); nox runs the
    same script in a fresh virtualenv per extra. Real calls against the served fake (a real
    redis-server for ``redis``); an absent extra must be a ConfigurationError naming
    ``pip install 'imburse[...]'``, never a ModuleNotFoundError."""
    if extra == "redis" and shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (CI installs it)")
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(SCRIPT), extra, "--block-others"],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        cwd=PACKAGE.parent,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok    default call" in done.stdout
