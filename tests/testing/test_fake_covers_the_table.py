"""The fake answers every operation of the SDK's table, so users' own tests can call any
method (mandates and creditor profiles included) without a network."""

from __future__ import annotations

import re

from imburse._core.operations import ALL_OPERATIONS, TOKEN
from imburse.testing.routes import all_routes


def test_every_operation_in_the_table_has_a_route_in_the_fake() -> None:
    missing = []
    for operation in ALL_OPERATIONS:
        if operation is TOKEN:
            continue
        path = re.sub(r"{\w+}", "x-1", operation.path)
        if not any(
            route.method == operation.method and route.pattern.fullmatch(path)
            for route in all_routes()
        ):
            missing.append(f"{operation.method} {operation.path} ({operation.name})")
    assert missing == []
