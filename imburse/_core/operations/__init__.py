"""The table of operations: every endpoint the SDK calls, described as data.

A resource method names its :class:`Operation` and passes arguments; ``build`` turns the pair
into bytes and ``decode`` turns the answer into the operation's response model. The reference
in ``docs/api.md`` is printed from the same table (``scripts/gen_api.py``).

Each module of this package is one module of client groups (``orders`` for
``client.orders``, ``tenants`` for ``client.tenants`` and ``client.tenants.keys``...): its
``GROUPS``, its operations (each with the :class:`Method` that ``scripts/gen_api.py`` writes
into ``imburse/_async/resources/<module>.py``), ``OPERATIONS`` and ``UNSUPPORTED``.
:data:`ALL_OPERATIONS` collects the operations, :data:`ALL_GROUPS` the groups (with their
module), and :data:`UNSUPPORTED` the documented operations whose path is not published
(``[GAP]`` in ``imburse-api.md``), which the SDK does not invent.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import TYPE_CHECKING, Any

from ._base import (
    PAGE_ARGS,
    TOKEN,
    Arg,
    Group,
    Method,
    Operation,
    Scope,
    Unsupported,
    adhoc_operation,
    deprecation_warning,
    first_page_query,
)

if TYPE_CHECKING:
    from .instructions import CREATE_INSTRUCTION, GET_INSTRUCTION
    from .orders import CREATE_ORDER, GET_ORDER

    ALL_OPERATIONS: tuple[Operation[object], ...]
    ALL_GROUPS: tuple[tuple[str, Group], ...]
    UNSUPPORTED: tuple[Unsupported, ...]

__all__ = [
    "ALL_GROUPS",
    "ALL_OPERATIONS",
    "CREATE_INSTRUCTION",
    "CREATE_ORDER",
    "GET_INSTRUCTION",
    "GET_ORDER",
    "PAGE_ARGS",
    "TOKEN",
    "UNSUPPORTED",
    "Arg",
    "Group",
    "Method",
    "Operation",
    "Scope",
    "Unsupported",
    "adhoc_operation",
    "deprecation_warning",
    "first_page_query",
    "group_modules",
]


def group_modules() -> list[str]:
    """The names of the modules of this package that hold client groups, sorted."""
    return sorted(
        info.name for info in pkgutil.iter_modules(__path__) if not info.name.startswith("_")
    )


def _collect() -> dict[str, tuple[Any, ...]]:
    # Every public module of this package exports GROUPS, OPERATIONS and UNSUPPORTED;
    # discovering them keeps groups independent of each other.
    operations: list[Operation[object]] = [TOKEN]
    groups: list[tuple[str, Group]] = []
    unsupported: list[Unsupported] = []
    for name in group_modules():
        module = importlib.import_module(f"{__name__}.{name}")
        operations.extend(module.OPERATIONS)
        groups.extend((name, group) for group in module.GROUPS)
        unsupported.extend(module.UNSUPPORTED)
    return {
        "ALL_OPERATIONS": tuple(operations),
        "ALL_GROUPS": tuple(groups),
        "UNSUPPORTED": tuple(unsupported),
    }


_MODULE_OF = {
    "CREATE_ORDER": "orders",
    "GET_ORDER": "orders",
    "CREATE_INSTRUCTION": "instructions",
    "GET_INSTRUCTION": "instructions",
}


def __getattr__(name: str) -> Any:
    # The table is built on first use (PEP 562): building it imports every API group's
    # models, which ``from imburse import AsyncImburse`` must not pay for. A client loads
    # only the groups it calls.
    if name in ("ALL_OPERATIONS", "ALL_GROUPS", "UNSUPPORTED"):
        table = _collect()
        globals().update(table)
        return table[name]
    if name in _MODULE_OF:
        return getattr(importlib.import_module(f"{__name__}.{_MODULE_OF[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
