"""Mandates (``imburse-api.md`` §5.17): observed in Imburse's QA tests only, schemas unknown.

Both operations are experimental; bodies are sent as given and answers decode as plain JSON.
Accounts whose licence lacks mandates were expected to get 405 ``SERVICE_UNAVAILABLE``.
"""

from __future__ import annotations

from ._base import Operation, Scope

__all__ = ["CREATE_MANDATE", "LIST_MANDATES", "OPERATIONS"]

CREATE_MANDATE: Operation[object] = Operation(
    name="mandates.create",
    method="POST",
    path="/v2/mandates",
    scope=Scope.TENANT,
    roles=("tenant-transaction-write", "tenant-admin"),  # assumed: not published
    response={},
    confirmed=False,
    summary="Create a mandate (observed only; 201 expected, schema not published).",
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
)

OPERATIONS: tuple[Operation[object], ...] = (CREATE_MANDATE, LIST_MANDATES)
UNSUPPORTED = ()
