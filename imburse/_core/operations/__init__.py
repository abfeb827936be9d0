"""The table of operations: every endpoint the SDK calls, described as data.

A resource method names its :class:`Operation` and passes arguments; ``build`` turns the pair
into bytes and ``decode`` turns the answer into the operation's response model. The reference
in ``docs/api.md`` is printed from the same table (``scripts/gen_api_docs.py``).

Each API group keeps its operations in a module of this package; :data:`ALL_OPERATIONS`
collects them, and :data:`UNSUPPORTED` lists documented operations whose path is not
published (``[GAP]`` in ``imburse-api.md``), which the SDK does not invent.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING, Any

from ._base import TOKEN, Operation, Scope, Unsupported, adhoc_operation

if TYPE_CHECKING:
    from .orders import CREATE_INSTRUCTION, CREATE_ORDER, GET_INSTRUCTION, GET_ORDER

    ALL_OPERATIONS: tuple[Operation[object], ...]
    UNSUPPORTED: tuple[Unsupported, ...]

__all__ = [
    "ALL_OPERATIONS",
    "CREATE_INSTRUCTION",
    "CREATE_ORDER",
    "GET_INSTRUCTION",
    "GET_ORDER",
    "TOKEN",
    "UNSUPPORTED",
    "Operation",
    "Scope",
    "Unsupported",
    "adhoc_operation",
]


def _collect() -> tuple[tuple[Operation[object], ...], tuple[Unsupported, ...]]:
    # Every public module of this package is one API group exporting OPERATIONS and
    # UNSUPPORTED; discovering them keeps groups independent of each other.
    operations: list[Operation[object]] = [TOKEN]
    unsupported: list[Unsupported] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        operations.extend(module.OPERATIONS)
        unsupported.extend(getattr(module, "UNSUPPORTED", ()))
    return tuple(operations), tuple(unsupported)


_ORDER_OPERATIONS = frozenset(
    {"CREATE_INSTRUCTION", "CREATE_ORDER", "GET_INSTRUCTION", "GET_ORDER"}
)


def __getattr__(name: str) -> Any:
    # The table is built on first use (PEP 562): building it imports every API group's
    # models, which ``from imburse import AsyncImburse`` must not pay for. A client loads
    # only the groups it calls.
    if name in ("ALL_OPERATIONS", "UNSUPPORTED"):
        table = dict(zip(("ALL_OPERATIONS", "UNSUPPORTED"), _collect(), strict=True))
        globals().update(table)
        return table[name]
    if name in _ORDER_OPERATIONS:
        from . import orders

        return getattr(orders, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
