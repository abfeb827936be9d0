"""An operation's type parameter is its response model: mypy refuses an entry whose
annotation and models disagree (in 0.1.0 ``Operation[R]`` was a phantom type: any model
type-checked under any annotation)."""

from __future__ import annotations

from pathlib import Path

import pytest

mypy_api = pytest.importorskip("mypy.api")

SNIPPET = """\
from imburse._core.models.orders import Order
from imburse._core.models.schemes import Scheme
from imburse._core.operations import Operation, Scope

GOOD: Operation[Order] = Operation(
    name="a.b", method="GET", path="/v1/x", scope=Scope.TENANT, roles=(), response={200: Order}
)
NO_BODY: Operation[None] = Operation(
    name="a.c", method="POST", path="/v1/x", scope=Scope.TENANT, roles=(), response={201: None}
)
BAD: Operation[Order] = Operation(
    name="a.d", method="GET", path="/v1/x", scope=Scope.TENANT, roles=(), response={200: Scheme}
)
"""


def test_an_operation_annotated_with_another_model_does_not_type_check(tmp_path: Path) -> None:
    module = tmp_path / "table.py"
    module.write_text(SNIPPET)
    out, _, status = mypy_api.run(["--strict", "--no-incremental", str(module)])
    errors = [line for line in out.splitlines() if ": error:" in line]
    assert status == 1
    assert len(errors) == 1, out
    assert "table.py:12:" in errors[0]  # the BAD entry
    assert "type[Scheme]" in errors[0]
