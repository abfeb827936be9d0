"""The package's module graph has no import cycle (issue 17, item 5).

The graph is built from the source with ``ast``, so it sees every import a run can execute:

* module-level imports, and imports inside functions and methods (a cycle through a
  function-level import is still a cycle: it only moves the failure to the first call that
  happens during a partial import, and it ties the two modules together all the same);
* ``importlib.import_module("imburse....")`` with a literal name;
* the package's two dynamic-import sites, modelled explicitly (:data:`DYNAMIC_IMPORT_SITES`):
  the lazy export table of ``imburse/__init__.py`` (its module names are string literals)
  and discovery with ``pkgutil.iter_modules`` (an edge to every submodule of the package
  itself and of each package it imports). A
  new dynamic-import site fails :func:`test_every_dynamic_import_site_is_modelled`, so
  nothing can hide an edge from this test.

Not counted: imports under ``if TYPE_CHECKING:`` (never executed; they exist for type
checkers, and are how a module names a type of a module that imports it). An edge goes to the
module a statement names (``from .x import y`` is an edge to ``x``, or to ``x.y`` when that is
a submodule), not to the packages above it: every submodule's parents run first, so counting
them would make any package that re-exports its submodules a "cycle".

When this test fails it prints each cycle as ``a -> b -> ... -> a``. Break it by moving the
shared piece into a module both can import, or by making the lower module take what it needs
as an argument.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import imburse

PACKAGE = Path(imburse.__file__).resolve().parent

#: Edges of cycles that other work in flight removes (issue 17 item 5), ignored until then:
#: ``_async/transport -> _transports -> _aiohttp -> _async/transport`` and
#: ``converter <-> fastpath``. THE INTEGRATOR EMPTIES THIS after merging the branches that
#: break them; :func:`test_the_allow_list_names_only_edges_that_exist` fails once an entry
#: no longer matches an edge, so a stale entry cannot outlive its cycle.
KNOWN_CYCLE_EDGES: frozenset[tuple[str, str]] = frozenset(
    {
        ("imburse._aiohttp", "imburse._async.transport"),
        ("imburse._core.fastpath", "imburse._core.converter"),
    }
)

#: Modules that call ``importlib.import_module`` with a computed name, and how this test
#: models what they import.
DYNAMIC_IMPORT_SITES: dict[str, str] = {
    "imburse": "lazy exports: every module name in the file's string literals",
    "imburse._core.operations": "discovery (pkgutil.iter_modules): every submodule",
    "imburse.testing.routes": "discovery (pkgutil.iter_modules): every submodule",
    "imburse._transports": "third-party extras only (import_extra); no edge in the package",
}


def module_files() -> dict[str, Path]:
    """Every module of the package by dotted name (a package by its ``__init__.py``)."""
    modules: dict[str, Path] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node that can run: all of them but the bodies of ``if TYPE_CHECKING:``."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for other in node.orelse:
                yield other
                yield from _runtime_nodes(other)
            continue
        yield node
        yield from _runtime_nodes(node)


def _dynamic_import(node: ast.AST) -> ast.Call | None:
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "import_module":
        return node
    if isinstance(func, ast.Name) and func.id in ("import_module", "__import__"):
        return node
    return None


def _literal(node: ast.Call) -> str | None:
    if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
        return node.args[0].value
    return None


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package modules that ``name`` imports at run time (see the module docstring)."""
    is_package = path.name == "__init__.py"
    targets: set[str] = set()
    dynamic = False
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                source = ".".join([*base, *([node.module] if node.module else [])])
            else:
                source = node.module or ""
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                targets.add(submodule if submodule in modules else source)
        elif (call := _dynamic_import(node)) is not None:
            literal = _literal(call)
            if literal is not None:
                targets.add(literal)
            else:
                dynamic = True
    if dynamic and name == "imburse":
        targets.update(
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value in modules
        )
    elif dynamic and "iter_modules" in ast.unparse(tree):
        # Discovery: every submodule of the package itself or of a package it imports.
        packages = {t for t in targets if modules.get(t, path).name == "__init__.py"}
        packages |= {name} if is_package else set()
        targets.update(m for m in modules if m.rpartition(".")[0] in packages)
    return {t for t in targets if t in modules and t != name}


def dynamic_sites() -> set[str]:
    """Modules that import a computed module name."""
    found = set()
    for name, path in module_files().items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in _runtime_nodes(tree):
            call = _dynamic_import(node)
            if call is not None and _literal(call) is None:
                found.add(name)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the package modules it imports at run time."""
    modules = module_files()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One shortest cycle per strongly connected component (Tarjan, iterative), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(component)
    return sorted(_shortest_cycle(graph, component) for component in components)


def _shortest_cycle(graph: dict[str, set[str]], component: set[str]) -> list[str]:
    start = min(component)
    paths = {start: [start]}
    queue = [start]
    for node in queue:  # breadth first inside the component, back to start
        for child in sorted(graph[node] & component):
            if child == start:
                return [*paths[node], start]
            if child not in paths:
                paths[child] = [*paths[node], child]
                queue.append(child)
    raise AssertionError(f"no cycle through {start}")  # pragma: no cover


def _without_known(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    return {
        a: {b for b in targets if (a, b) not in KNOWN_CYCLE_EDGES} for a, targets in graph.items()
    }


def test_the_package_has_no_import_cycle() -> None:
    """Failed before the fix: ``imburse.testing._app`` imported every route module (inside
    ``all_routes``, by discovery) and each route module imports ``_app``."""
    found = cycles(_without_known(import_graph()))
    assert not found, "import cycles:\n" + "\n".join(" -> ".join(c) for c in found)


def test_the_allow_list_names_only_edges_that_exist() -> None:
    graph = import_graph()
    stale = sorted((a, b) for a, b in KNOWN_CYCLE_EDGES if b not in graph.get(a, set()))
    assert not stale, f"remove from KNOWN_CYCLE_EDGES (the edge is gone): {stale}"


def test_every_dynamic_import_site_is_modelled() -> None:
    assert dynamic_sites() <= set(DYNAMIC_IMPORT_SITES), (
        "a module imports a computed name: model its edges in this test's imports_of() and "
        "list it in DYNAMIC_IMPORT_SITES"
    )


def test_the_graph_sees_function_level_and_dynamic_imports_but_not_type_checking_ones() -> None:
    """The builder itself: a cycle through a function-level import is found, a
    ``TYPE_CHECKING`` one is not, and the lazy export table is an edge."""
    graph = import_graph()
    # imburse/testing/_fake.py imports its transport inside FakeImburse.transport() ...
    assert "imburse.testing._transport" in graph["imburse.testing._fake"]
    # ... while a route module names FakeImburse for type checkers only.
    assert "imburse.testing._fake" not in graph["imburse.testing.routes.customers"]
    assert "imburse._async.client" in graph["imburse"]  # the lazy table
    assert "imburse._core.operations.orders" in graph["imburse._core.operations"]  # discovery
    synthetic = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(synthetic) == [["a", "b", "c", "a"]]
