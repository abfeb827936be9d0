"""Status + headers + body bytes -> a model, or the matching exception. Pure.

Error bodies follow ``imburse-api.md`` §4.2 but are read defensively: a proxy's HTML page or a
truncated body still yields the right exception class, with whatever could be read.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from .converter import get_converter, loads
from .errors import APIStatusError, ErrorDetail, ResponseDecodeError, error_for_status
from .operations import Operation
from .ratelimit import DEFAULT_MAX_RETRY_AFTER
from .retry import parse_retry_after

__all__ = ["decode_error", "decode_response", "stamp"]

_BODY_KEPT = 4096  # bytes of an error body kept on the exception


def decode_response(
    operation: Operation[Any],
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    correlation_id: str | None = None,
    strict: bool = False,
    now: float | None = None,
) -> Any:
    """Decode a response of ``operation``; raise the mapped error for a non-2xx status.

    ``headers`` must have lower-case keys. Returns ``None`` for answers without a documented
    body (creates), else an instance of the operation's response model.

    >>> from imburse._core.operations import GET_ORDER
    >>> decode_response(GET_ORDER, 200, {}, b'{"orderRef": "ORD-1"}').order_ref
    'ORD-1'
    """
    if not 200 <= status < 300:
        raise decode_error(
            status,
            headers,
            body,
            correlation_id=correlation_id,
            now=now,
            addressed=operation.addresses_object,
        )
    if not operation.response:  # client.request: plain JSON, whatever the status
        return _plain_json(body, operation, status, correlation_id) if body.strip() else None
    if status in operation.response:
        model = operation.response[status]
    elif strict:
        raise ResponseDecodeError(
            f"{operation.name}: undocumented status {status}",
            correlation_id=correlation_id,
            status_code=status,
        )
    else:
        model = next(iter(operation.response.values()), None)
    if model is None:
        return None
    try:
        result = get_converter(strict).decode(body, model)
    except ResponseDecodeError as err:
        err.correlation_id, err.status_code, err.body = correlation_id, status, body[:_BODY_KEPT]
        raise
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ResponseDecodeError(
            f"{operation.name}: response is not valid JSON",
            correlation_id=correlation_id,
            status_code=status,
            body=body[:_BODY_KEPT],
        ) from None
    return stamp(result, correlation_id)


def _plain_json(body: bytes, operation: Operation[Any], status: int, cid: str | None) -> Any:
    try:
        return loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ResponseDecodeError(
            f"{operation.name}: response is not valid JSON",
            correlation_id=cid,
            status_code=status,
            body=body[:_BODY_KEPT],
        ) from None


def stamp(model: Any, correlation_id: str | None) -> Any:
    """Record the call's correlation id on a decoded top-level model."""
    if correlation_id is not None and hasattr(model, "correlation_id"):
        # Frozen attrs instance: same mechanism attrs uses in __init__.
        object.__setattr__(model, "correlation_id", correlation_id)
    return model


def decode_error(
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    *,
    correlation_id: str | None = None,
    now: float | None = None,
    addressed: bool = True,
    max_retry_after: float = DEFAULT_MAX_RETRY_AFTER,
) -> APIStatusError:
    """Build the exception for an error response (it is returned, not raised).

    ``addressed`` says whether the request named an object in its path (see
    :func:`~imburse._core.errors.error_for_status`).

    >>> body = b'{"correlationId": "0HLPSRAQ7S0I6:00000002", "errors": [{"errorCode": "ORDER_ALREADY_EXISTS", "message": "Order already exists."}]}'
    >>> err = decode_error(400, {}, body, correlation_id="c-1")
    >>> type(err).__name__, err.error_code, err.server_correlation_id
    ('BadRequestError', 'ORDER_ALREADY_EXISTS', '0HLPSRAQ7S0I6:00000002')
    """
    errors: list[ErrorDetail] = []
    server_id: str | None = None
    try:
        data = loads(body) if body else None
    except (ValueError, UnicodeDecodeError, RecursionError):
        data = None
    if isinstance(data, Mapping):
        server_id = _text(data.get("correlationId"))
        raw_errors = data.get("errors")
        if isinstance(raw_errors, list):
            errors = [e for e in map(_detail, raw_errors) if e is not None]
    retry_after = parse_retry_after(
        headers, now=time.time() if now is None else now, cap=max_retry_after
    )
    return error_for_status(
        status,
        errors=errors,
        server_correlation_id=server_id,
        correlation_id=correlation_id,
        retry_after=retry_after,
        headers=headers,
        body=body[:_BODY_KEPT],
        addressed=addressed,
    )


def _detail(raw: Any) -> ErrorDetail | None:
    if not isinstance(raw, Mapping):
        return None
    metadata = raw.get("metadata")
    return ErrorDetail(
        error_code=_text(raw.get("errorCode")) or "",
        message=_text(raw.get("message")) or "",
        message_template=_text(raw.get("messageTemplate")) or "",
        metadata={str(k): str(v) for k, v in metadata.items()}
        if isinstance(metadata, Mapping)
        else {},
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
