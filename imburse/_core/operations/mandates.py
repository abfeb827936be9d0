"""``client.mandates`` (``imburse-api.md`` §5.17): observed in Imburse's QA tests only,
schemas unknown.

Both operations are experimental; bodies are sent as given and answers decode as plain JSON.
Accounts whose licence lacks mandates were expected to get 405 ``SERVICE_UNAVAILABLE``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import ValidationError
from ._base import Arg, Group, Method, Operation, Scope

__all__ = ["CREATE_MANDATE", "GROUPS", "LIST_MANDATES", "OPERATIONS", "UNSUPPORTED", "mandate_body"]

GROUPS = (
    Group(
        "mandates",
        "Mandates",
        "Mandates (v2). Experimental: observed in Imburse's QA tests, not documented.\n\n"
        "Their request and answer schemas are not published: bodies go out exactly as given\n"
        '(wire names, e.g. ``{"customerRef": ...}``) and answers come back as decoded JSON.',
    ),
)


def mandate_body(body: object) -> dict[str, Any]:
    """The body of a mandate create: a JSON mapping, checked, sent as given.

    The schema is unknown, so only JSON-ness is checked; floats are refused anywhere, as for
    every amount in this SDK (use ``Decimal`` or a string).
    """
    if not isinstance(body, Mapping):
        raise ValidationError("body", f"must be a mapping, not {type(body).__name__}")
    _check_json(body, "body")
    return dict(body)


def _check_json(value: object, field: str) -> None:
    if isinstance(value, float):
        raise ValidationError(field, "must not contain floats; use Decimal or a string")
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValidationError(field, f"keys must be strings (got {key!r})")
            _check_json(item, f"{field}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_json(item, f"{field}[{index}]")


CREATE_MANDATE: Operation[object] = Operation(
    name="mandates.create",
    method="POST",
    path="/v2/mandates",
    scope=Scope.TENANT,
    roles=("tenant-transaction-write", "tenant-admin"),  # assumed: not published
    response={},
    body=dict,  # sent as given
    confirmed=False,
    summary="Create a mandate (observed only; 201 expected, schema not published).",
    python=Method(
        doc=(
            "Create a mandate from ``body`` (sent as given); returns the decoded answer or None.\n\n"
            "Experimental: path observed only in Imburse's QA tests; schema not published.\n"
            "Not retried after an unknown outcome."
        ),
        example='await client.mandates.create({"customerRef": "CUS-1", "schemeId": sid})',
        args=(Arg("body", "Mapping[str, Any]", positional=True),),
        body=mandate_body,
        returns="Any",
    ),
)

LIST_MANDATES: Operation[object] = Operation(
    name="mandates.list",
    method="GET",
    path="/v2/mandates",
    scope=Scope.TENANT,
    roles=("tenant-transaction-read", "tenant-admin"),  # assumed: not published
    response={},
    confirmed=False,
    summary="List mandates (observed only; schema not published).",
    python=Method(
        doc=(
            "List mandates; returns the decoded answer (its shape is not published).\n\n"
            "Experimental: path observed only in Imburse's QA tests; schema not published."
        ),
        example="answer = await client.mandates.list()",
        returns="Any",
    ),
)

OPERATIONS: tuple[Operation[object], ...] = (CREATE_MANDATE, LIST_MANDATES)
UNSUPPORTED = ()
