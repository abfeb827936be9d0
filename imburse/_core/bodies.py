"""Decode a body the SDK did not fetch itself into one of its models.

Some published operations have no published path (chargebacks, most network-specific
mandate calls), so the SDK has no method for them; callers reach them with
``client.request``, which returns plain JSON. :func:`decode_model` turns that JSON (or the
raw body bytes) into the typed model, by the very rules every SDK call decodes with: the
one converter, lenient by default, strict on request.
"""

from __future__ import annotations

from typing import TypeVar, get_origin

import attrs

from .converter import get_converter
from .errors import ResponseDecodeError

__all__ = ["decode_model"]

T = TypeVar("T")


def decode_model(
    model: type[T],
    data: object,
    *,
    strict: bool = False,
    correlation_id: str | None = None,
) -> T:
    """Decode ``data`` into ``model``: the JSON value ``client.request`` returned, or raw
    JSON (``bytes`` or ``str``, parsed with money as ``Decimal``).

    Lenient by default, like every call of the SDK: unknown fields are kept in ``.extra``,
    unknown enum values stay strings. ``strict=True`` raises on those too. A body that is not
    JSON, or misses a required field (the object's own id), raises
    :class:`~imburse.ResponseDecodeError`. ``correlation_id`` (the id of the call that fetched
    the body) is recorded on the model when it has that attribute.

    >>> import imburse
    >>> body = (b'{"id": "5b1c2d3e-0000-4000-8000-00000000000a", "status": "Completed",'
    ...         b' "amount": 12.50, "currency": "EUR", "reasonCode": "MD01"}')
    >>> chargeback = imburse.decode_model(imburse.Chargeback, body)
    >>> chargeback.status == imburse.ChargebackStatus.COMPLETED, chargeback.amount
    (True, Decimal('12.50'))
    """
    if not _is_model(model):
        hint = ""
        if _is_model(get_origin(model)):  # Page[Mandate]: a generic alias, not a class
            hint = " (for a page, use its concrete class, e.g. MandatePage)"
        raise TypeError(f"decode_model() needs one of the SDK's model classes, not {model!r}{hint}")
    converter = get_converter(strict)
    if isinstance(data, bytes | bytearray | memoryview | str):
        raw = data if isinstance(data, str) else bytes(data)
        try:
            result = converter.decode(raw, model)
        except (ValueError, UnicodeDecodeError, RecursionError):
            # ResponseDecodeError (JSON of the wrong shape) is no ValueError: it passes as is.
            raise ResponseDecodeError(f"{model.__name__}: body is not valid JSON") from None
    else:
        result = converter.structure(data, model)
    if correlation_id is not None and hasattr(result, "correlation_id"):
        # Frozen attrs instance: the way attrs itself sets fields in __init__.
        object.__setattr__(result, "correlation_id", correlation_id)
    return result


def _is_model(value: object) -> bool:
    # A plain bool, not attrs.has()'s type guard: ``model`` must stay ``type[T]``.
    return isinstance(value, type) and attrs.has(value)
