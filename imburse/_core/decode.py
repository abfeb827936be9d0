"""Status + headers + body bytes -> a model, or the matching exception. Pure.

Error bodies follow ``imburse-api.md`` §4.2 but are read defensively: a proxy's HTML page or a
truncated body still yields the right exception class, with whatever could be read.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

from .converter import get_converter, loads
from .errors import APIStatusError, ErrorDetail, ResponseDecodeError, error_for_status
from .operations import Operation
from .ratelimit import DEFAULT_MAX_RETRY_AFTER
from .retry import parse_retry_after

__all__ = ["decode_error", "decode_response", "path_params_of", "stamp"]

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
    path_params: Mapping[str, str] | None = None,
) -> Any:
    """Decode a response of ``operation``; raise the mapped error for a non-2xx status.

    ``headers`` must have lower-case keys. Returns ``None`` for answers without a documented
    body (creates), else an instance of the operation's response model. ``path_params`` (the
    call's, by Python name) are recorded on any error raised, with the operation's name.

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
            operation=operation.name,
            path_params=path_params,
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
            operation=operation.name,
            path_params=path_params,
        )
    else:
        model = next(iter(operation.response.values()), None)
    if model is None:
        return None
    try:
        result = get_converter(strict).decode(body, model)
    except ResponseDecodeError as err:
        err.correlation_id, err.status_code, err.body = correlation_id, status, body[:_BODY_KEPT]
        err.operation, err.path_params = operation.name, dict(path_params or {})
        raise
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ResponseDecodeError(
            f"{operation.name}: response is not valid JSON",
            correlation_id=correlation_id,
            status_code=status,
            body=body[:_BODY_KEPT],
            operation=operation.name,
            path_params=path_params,
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
            operation=operation.name,
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
    operation: str | None = None,
    path_params: Mapping[str, str] | None = None,
    max_retry_after: float = DEFAULT_MAX_RETRY_AFTER,
) -> APIStatusError:
    """Build the exception for an error response (it is returned, not raised).

    Every error shape Imburse publishes fills the same fields (code, message, field errors,
    server correlation id):

    * classic (``imburse-api.md`` §4.2): ``{correlationId, errors: [{errorCode, message,
      messageTemplate, metadata}]}``;
    * problem details (mandates, creditor profiles): ``{title, detail, status, traceId,
      correlationId, errors: [{title, detail, metadata}]}``: an entry's ``title`` is its code,
      ``detail`` its message and ``metadata.PropertyName`` the field it is about;
    * RFC 7807 with ``trace`` (rewards v2): ``{status, title, detail, instance, trace:
      {requestId}}``: no ``errors`` array, so the top-level ``title``/``detail`` are the one
      error's code and message, and ``trace.requestId`` the server's id.

    ``addressed`` says whether the request named an object in its path (see
    :func:`~imburse._core.errors.error_for_status`); ``operation`` and ``path_params`` say which
    call failed, for the message.

    >>> body = b'{"correlationId": "0HLPSRAQ7S0I6:00000002", "errors": [{"errorCode": "ORDER_ALREADY_EXISTS", "message": "Order already exists."}]}'
    >>> err = decode_error(400, {}, body, correlation_id="c-1")
    >>> type(err).__name__, err.error_code, err.server_correlation_id
    ('BadRequestError', 'ORDER_ALREADY_EXISTS', '0HLPSRAQ7S0I6:00000002')
    """
    try:
        data = loads(body) if body else None
    except (ValueError, UnicodeDecodeError, RecursionError):
        data = None
    errors: list[ErrorDetail] = []
    server_id: str | None = None
    message: str | None = None
    if isinstance(data, Mapping):
        errors, server_id, message = _read_error(data)
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
        message=message,
        operation=operation,
        path_params=path_params,
    )


def _read_error(data: Mapping[str, Any]) -> tuple[list[ErrorDetail], str | None, str | None]:
    """(details, server correlation id, message) from any of the published error shapes."""
    trace = data.get("trace")
    server_id = (
        _text(data.get("correlationId"))
        or _text(data.get("traceId"))
        or (_text(trace.get("requestId")) if isinstance(trace, Mapping) else None)
    )
    raw_errors = data.get("errors")
    errors: list[ErrorDetail] = []
    if isinstance(raw_errors, list):
        errors = [e for e in map(_detail, raw_errors) if e is not None]
    elif isinstance(raw_errors, Mapping):
        # ASP.NET's validation problem details: {"errors": {"Field": ["message", ...]}}.
        for field, messages in raw_errors.items():
            for text in messages if isinstance(messages, list) else [messages]:
                if isinstance(text, str):
                    errors.append(ErrorDetail("", text, field=str(field)))
    title = _text(data.get("title"))
    detail = _text(data.get("detail"))
    if not errors and (title or detail):
        # RFC 7807 without an errors array: the problem itself is the one error.
        errors = [ErrorDetail(title or "", detail or title or "")]
    message = next((e.message for e in errors if e.message), None) or detail or title
    return errors, server_id, message


def _detail(raw: Any) -> ErrorDetail | None:
    if not isinstance(raw, Mapping):
        return None
    metadata = raw.get("metadata")
    kept = (
        {str(k): v if isinstance(v, str) else str(v) for k, v in metadata.items() if v is not None}
        if isinstance(metadata, Mapping)
        else {}
    )
    field = (
        _text(raw.get("field"))
        or _text(raw.get("propertyName"))
        or kept.get("PropertyName")
        or kept.get("propertyName")
    )
    code = _text(raw.get("errorCode")) or _text(raw.get("code")) or _text(raw.get("title"))
    message = _text(raw.get("message")) or _text(raw.get("detail")) or kept.get("ErrorMessage")
    return ErrorDetail(
        error_code=code or "",
        message=message or "",
        message_template=_text(raw.get("messageTemplate")) or "",
        metadata=kept,
        field=field,
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


_CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def path_params_of(template: str, url: str) -> dict[str, str]:
    """The path parameters of a built request, by their Python names, for error messages.

    Read back from the URL (its last segments match the template's), so that every error of
    a call can name them without the caller passing them along.

    >>> path_params_of("/v1/order-management/{orderRef}/instruction/{instructionRef}",
    ...                "https://api.example/v1/order-management/ORD%201/instruction/I-2?x=1")
    {'order_ref': 'ORD 1', 'instruction_ref': 'I-2'}
    """
    names = template.strip("/").split("/")
    if not any(name.startswith("{") for name in names):
        return {}
    values = urlsplit(url).path.strip("/").split("/")[-len(names) :]
    if len(values) != len(names):
        return {}
    return {
        _CAMEL_HUMP.sub("_", name[1:-1]).lower(): unquote(value)
        for name, value in zip(names, values, strict=True)
        if name.startswith("{") and name.endswith("}")
    }
