"""The table of operations: every endpoint the SDK calls, described as data.

A resource method names its :class:`Operation` and passes arguments; ``build`` turns the pair
into bytes and ``decode`` turns the answer into the operation's response model. The reference
in ``docs/api.md`` is printed from the same table (``scripts/gen_api_docs.py``).

Each API group keeps its operations in a module of this package; :data:`ALL_OPERATIONS`
collects them, and :data:`UNSUPPORTED` lists documented operations whose path is not
published (``[GAP]`` in ``imburse-api.md``), which the SDK does not invent.
"""

from __future__ import annotations

from ._base import TOKEN, Operation, Scope, Unsupported
from .orders import (
    CREATE_INSTRUCTION,
    CREATE_ORDER,
    GET_INSTRUCTION,
    GET_ORDER,
    OPERATIONS as _ORDERS,
    UNSUPPORTED as _ORDERS_UNSUPPORTED,
)

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
]

ALL_OPERATIONS: tuple[Operation[object], ...] = (TOKEN, *_ORDERS)
UNSUPPORTED: tuple[Unsupported, ...] = (*_ORDERS_UNSUPPORTED,)
