"""The safe-create rule, in one place (the client's creates and batch jobs both use it).

Imburse has no idempotency header, but its refs are natural keys: a second create with the
same ``orderRef`` (or ``instructionRef`` within an order) is refused as a duplicate. So a
create whose attempt had an unknown outcome is retried, and a duplicate answer to that retry
is settled by reading the object back:

* stored object matches what was sent -> success, ``reconciled=True`` (one object exists);
* it differs -> :class:`~imburse.ConflictError`;
* the outcome still cannot be settled -> :class:`~imburse.OutcomeUnknownError` naming the ref.

A duplicate with no earlier unknown attempt is the caller's own duplicate and is raised as is
(unless ``existing_ok``, which batch jobs use to report "already existed").
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from .._core.call import CallTrace, HTTPResponse
from .._core.errors import (
    APIConnectionError,
    APIStatusError,
    ConflictError,
    ImburseError,
    OutcomeUnknownError,
)
from .._core.models.receipts import CreateReceipt
from .._core.reconcile import is_duplicate

__all__ = ["create_safely"]

T = TypeVar("T")

# Answers that prove a same-body earlier attempt was not applied either.
_DEFINITE_REFUSALS = frozenset({400, 404, 422})


async def create_safely(
    send: Callable[[CallTrace], Awaitable[HTTPResponse]],
    trace: CallTrace,
    *,
    ref: str,
    created_status: int,
    read_back: Callable[[], Awaitable[T]],
    differences: Callable[[T], list[str]],
    existing_ok: bool = False,
) -> CreateReceipt:
    """Run a create with the safe-create rule and return its receipt.

    ``send`` performs the create through the pipeline (recording into ``trace``);
    ``read_back`` fetches the stored object and ``differences`` compares it with what was
    sent; ``created_status`` is what a first-time create would have answered.
    """
    try:
        response = await send(trace)
    except APIStatusError as err:
        if is_duplicate(err) and (trace.unknown or existing_ok):
            await _settle(trace, ref, err, read_back, differences)
            return CreateReceipt(ref, created_status, trace.correlation_id, trace.attempts, True)
        if trace.unknown and err.status_code not in _DEFINITE_REFUSALS:
            raise _unknown(ref, trace, f"the last answer was {err.status_code}") from err
        raise
    except APIConnectionError as err:
        if trace.unknown:
            raise _unknown(ref, trace, str(err.message)) from err
        raise
    return CreateReceipt(ref, response.status, trace.correlation_id, trace.attempts)


async def _settle(
    trace: CallTrace,
    ref: str,
    duplicate: APIStatusError,
    read_back: Callable[[], Awaitable[T]],
    differences: Callable[[T], list[str]],
) -> None:
    try:
        stored = await read_back()
    except ImburseError as err:
        raise _unknown(ref, trace, "reading it back failed") from err
    diffs = differences(stored)
    if diffs:
        raise ConflictError(
            f"{ref} already exists with different {', '.join(diffs)}",
            status_code=duplicate.status_code,
            correlation_id=trace.correlation_id,
            server_correlation_id=duplicate.server_correlation_id,
            errors=duplicate.errors,
            headers=duplicate.headers,
            body=duplicate.body,
        )


def _unknown(ref: str, trace: CallTrace, why: str) -> OutcomeUnknownError:
    return OutcomeUnknownError(
        f"{ref}: the create may or may not have been applied ({why}); read it back before "
        "trying again",
        ref=ref,
        correlation_id=trace.correlation_id,
    )
