"""The public API, listed by introspection and compared with a checked-in snapshot.

The listing covers the names in ``imburse.__all__``, ``imburse.testing.__all__`` and
``imburse.redis.__all__``, and every public method (with its signature) and property of
``AsyncImburse`` / ``Imburse``, of their resource namespaces (found on live clients, nested
ones included), of ``FakeImburse`` and of the Redis policies. A difference fails the test, so
an accidental change to what users import or call is caught in review. When the change is
intended (a new operation, a new argument), regenerate the snapshot and commit it with the
change: ``python scripts/gen_api.py`` writes it with everything else generated from the
operation table (``UPDATE_API_SNAPSHOT=1 pytest tests/test_public_api.py`` writes only it).

The other tests here check that ``imburse`` exports every public model and that the imports
type checkers see (``if TYPE_CHECKING:`` in ``imburse/__init__.py``) match the lazy table.
"""

from __future__ import annotations

import ast
import difflib
import enum
import importlib
import inspect
import os
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import pytest

import imburse
import imburse._core.models
import imburse.redis
import imburse.testing
from imburse.testing import FakeImburse

SNAPSHOT = Path(__file__).with_name("public_api.txt")
UPDATE = os.environ.get("UPDATE_API_SNAPSHOT") == "1"
PUBLIC_MODEL = re.compile(r"[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*")  # CamelCase, not CONSTANTS
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
HEADER = """\
# The public API of imburse, as tests/test_public_api.py lists it. Do not edit by hand:
# regenerate with `UPDATE_API_SNAPSHOT=1 pytest tests/test_public_api.py` and review the diff.
"""


def _kind(value: Any) -> str:
    if inspect.isclass(value):
        if issubclass(value, BaseException):
            return "exception"
        if issubclass(value, enum.Enum):
            return "enum"
        if getattr(value, "_is_protocol", False):
            return "protocol"
        return "class"
    if inspect.isfunction(value):
        return f"function{_signature(value)}"
    return (
        "type alias"
        if "typing" in type(value).__module__ or "types" in type(value).__module__
        else type(value).__name__
    )


def _signature(function: Any) -> str:
    try:
        text = str(inspect.signature(function))
    except (TypeError, ValueError):
        return "(...)"
    return ADDRESS.sub("", text)


def _names(module: Any) -> list[str]:
    return [f"{name}: {_kind(getattr(module, name))}" for name in sorted(module.__all__)]


def _members(cls: type, *, constructor: bool = True) -> list[str]:
    """Public methods (with signatures) and properties defined by ``cls`` and its bases."""
    lines = []
    for name, member in sorted(inspect.getmembers(cls)):
        if name.startswith("_") and not (constructor and name == "__init__"):
            continue
        if getattr(member, "__objclass__", None) is object or member is object.__init__:
            continue
        if isinstance(inspect.getattr_static(cls, name), property):
            lines.append(f"property {name}")
        elif inspect.iscoroutinefunction(member):
            lines.append(f"async {name}{_signature(member)}")
        elif inspect.isfunction(member):
            lines.append(f"def {name}{_signature(member)}")
        elif inspect.ismethod(member):  # classmethods
            lines.append(f"classmethod {name}{_signature(member)}")
    return lines


def _instance_members(owner: Any) -> list[str]:
    """Methods a namespace sets on itself: the ``with_raw_response`` wrappers, which take the
    arguments of the method of the same name."""
    return [
        f"{'async' if inspect.iscoroutinefunction(value) else 'def'} {name}(...)"
        for name, value in sorted(vars(owner).items())
        if not name.startswith("_") and callable(value)
    ]


def _namespaces(owner: Any) -> dict[str, Any]:
    """Public attributes of ``owner`` (and of its class's properties) that are SDK objects."""
    found: dict[str, Any] = {}
    for name in dir(owner):
        if name.startswith("_"):
            continue
        value = getattr(owner, name)
        if callable(value) or not type(value).__module__.startswith("imburse."):
            continue
        found[name] = value
    return found


def _client_api(client: Any, title: str) -> list[str]:
    lines = [f"[{title}]", *_members(type(client))]
    todo = [(title, client, 0)]
    while todo:
        path, owner, depth = todo.pop(0)
        for name, namespace in sorted(_namespaces(owner).items()):
            label = f"{path}.{name}"
            lines.append(f"namespace {label}: {type(namespace).__name__}")
            if depth < 3:
                todo.append((label, namespace, depth + 1))
                members = _members(type(namespace), constructor=False)
                members += _instance_members(namespace)
                lines.extend(f"  {line}" for line in members)
    return lines


def describe() -> str:
    """The whole listing, as written to the snapshot."""
    lines = [HEADER]
    for module in (imburse, imburse.testing, imburse.redis):
        lines += [f"[{module.__name__}.__all__]", *_names(module), ""]
    with FakeImburse() as fake, fake.imburse() as sync_client:
        async_client = fake.async_imburse()
        try:
            lines += [*_client_api(async_client, "AsyncImburse"), ""]
        finally:
            anyio.run(async_client.aclose)
        lines += [*_client_api(sync_client, "Imburse"), ""]
    classes = {
        "imburse.testing": [FakeImburse],
        "imburse.redis": [
            imburse.redis.AsyncRedisRateLimitPolicy,
            imburse.redis.AsyncRedisTokenCache,
            imburse.redis.RedisRateLimitPolicy,
            imburse.redis.RedisTokenCache,
        ],
    }
    for module, members in classes.items():
        for cls in members:
            lines += [f"[{module}.{cls.__name__}]", *_members(cls), ""]
    return "\n".join(lines).rstrip() + "\n"


def test_public_api_matches_the_snapshot() -> None:
    current = describe()
    if UPDATE:
        SNAPSHOT.write_text(current)
        return
    assert SNAPSHOT.exists(), (
        "no API snapshot: run UPDATE_API_SNAPSHOT=1 pytest tests/test_public_api.py"
    )
    expected = SNAPSHOT.read_text()
    if current != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                current.splitlines(keepends=True),
                "tests/public_api.txt (checked in)",
                "public API now",
            )
        )
        pytest.fail(
            "The public API changed. If that is intended, regenerate the snapshot with\n"
            "    UPDATE_API_SNAPSHOT=1 pytest tests/test_public_api.py\n"
            "and commit tests/public_api.txt with the change.\n\n" + diff,
            pytrace=False,
        )


def _model_modules() -> list[Any]:
    package = imburse._core.models
    return [
        importlib.import_module(f"{package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(package.__path__)
        if not info.name.startswith("_")
    ]


@pytest.mark.parametrize("module", _model_modules(), ids=lambda m: m.__name__.rsplit(".", 1)[1])
def test_every_public_model_is_exported_from_imburse(module: Any) -> None:
    names = getattr(module, "__all__", None) or [
        name
        for name, value in vars(module).items()
        if inspect.isclass(value) and value.__module__ == module.__name__
    ]
    missing = [n for n in names if PUBLIC_MODEL.fullmatch(n) and n not in imburse.__all__]
    assert not missing, f"add to imburse/__init__.py (_MODELS and TYPE_CHECKING): {missing}"
    for name in names:
        if name in imburse.__all__:
            assert getattr(imburse, name) is getattr(module, name)


def test_every_exported_name_resolves() -> None:
    for module in (imburse, imburse.testing, imburse.redis):
        for name in module.__all__:
            assert getattr(module, name) is not None, f"{module.__name__}.{name}"
    assert dir(imburse) == sorted(imburse.__all__)
    with pytest.raises(AttributeError):
        imburse.NoSuchName  # noqa: B018 - the lazy lookup must still refuse unknown names


def test_type_checkers_see_what_the_lazy_table_exports() -> None:
    tree = ast.parse(Path(imburse.__file__).read_text())
    guarded = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING"
    )
    seen = {
        alias.asname or alias.name: "imburse." + (node.module or "")
        for node in guarded.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    exports = {name: imburse._EXPORTS[name] for name in imburse._EXPORTS}  # type: ignore[attr-defined]
    assert seen == exports


def test_the_clients_mirror_each_other() -> None:
    listing = describe()
    async_part = listing.split("[AsyncImburse]")[1].split("[Imburse]")[0]
    sync_part = listing.split("[Imburse]")[1].split("\n\n")[0]

    def normalised(text: str) -> list[str]:
        text = re.sub(r"\bAsync(?=[A-Z])", "", text).replace("async ", "def ")
        text = text.replace("aclose", "close").replace("AsyncImburse", "Imburse")
        return sorted(line for line in text.splitlines() if line.strip())

    assert normalised(async_part) == normalised(sync_part.replace("[Imburse]", ""))


def _public_methods(owner: Any, path: str, depth: int = 0) -> Iterator[tuple[str, Any]]:
    for name in dir(owner):
        if name.startswith("_"):
            continue
        value = getattr(owner, name)
        if inspect.ismethod(value):
            yield f"{path}.{name}", value
        elif name != "with_raw_response" and name in _namespaces(owner) and depth < 3:
            yield from _public_methods(value, f"{path}.{name}", depth + 1)


def test_public_methods_have_docstrings_with_examples() -> None:
    with FakeImburse() as fake, fake.imburse() as sync_client:
        async_client = fake.async_imburse()
        try:
            methods = [
                *_public_methods(async_client, "AsyncImburse"),
                *_public_methods(sync_client, "Imburse"),
            ]
        finally:
            anyio.run(async_client.aclose)
    assert len(methods) > 20
    undocumented = [path for path, method in methods if ">>>" not in (inspect.getdoc(method) or "")]
    assert not undocumented, f"give these a docstring with an example: {undocumented}"
