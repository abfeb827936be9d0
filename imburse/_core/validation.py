"""Client-side checks of what the API documents, raised before any request is sent.

Each check names the field in its :class:`ValidationError` so a caller can point at the exact
input. Limits come from ``imburse-api.md`` §5.13 and §6; where sources disagree (metadata
values of 256 vs 500 characters) we enforce the published Getting Started limits and let the
server's stricter rule surface as ``BadRequestError``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from .errors import ValidationError

__all__ = [
    "MAX_METADATA_KEYS",
    "MAX_METADATA_KEY_LENGTH",
    "MAX_METADATA_VALUE_LENGTH",
    "check_amount",
    "check_country",
    "check_currency",
    "check_date",
    "check_metadata",
    "check_ref",
]

MAX_REF_LENGTH = 50
MAX_METADATA_KEYS = 50
MAX_METADATA_KEY_LENGTH = 40
MAX_METADATA_VALUE_LENGTH = 500

_REF = re.compile(r"[A-Za-z0-9\-_.]+")
_CURRENCY = re.compile(r"[A-Z]{3}")
_COUNTRY = re.compile(r"[A-Z]{2}")


def check_ref(field: str, value: Any) -> str:
    """A ref (order, instruction, customer): 1-50 characters of ``[A-Za-z0-9-_.]``.

    >>> check_ref("order_ref", "ORD-1")
    'ORD-1'
    >>> check_ref("order_ref", "bad ref")
    Traceback (most recent call last):
    imburse._core.errors.ValidationError: order_ref: may contain only letters, digits and -_. (got 'bad ref')
    """
    if not isinstance(value, str):
        raise ValidationError(field, f"must be a string, not {type(value).__name__}")
    if not 1 <= len(value) <= MAX_REF_LENGTH:
        raise ValidationError(field, f"must be 1-{MAX_REF_LENGTH} characters (got {len(value)})")
    if not _REF.fullmatch(value):
        raise ValidationError(field, f"may contain only letters, digits and -_. (got {value!r})")
    return value


def check_metadata(field: str, value: Any) -> dict[str, str] | None:
    """Flat string-to-string metadata: at most 50 keys, keys <= 40 and values <= 500 chars."""
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ValidationError(field, f"must be a mapping of str to str, not {type(value).__name__}")
    if len(value) > MAX_METADATA_KEYS:
        raise ValidationError(field, f"has {len(value)} keys; at most {MAX_METADATA_KEYS} allowed")
    for key, item in value.items():
        if not isinstance(key, str) or not key:
            raise ValidationError(field, f"keys must be non-empty strings (got {key!r})")
        if len(key) > MAX_METADATA_KEY_LENGTH:
            raise ValidationError(
                f"{field}[{key!r}]", f"key is longer than {MAX_METADATA_KEY_LENGTH} characters"
            )
        if not isinstance(item, str):
            raise ValidationError(
                f"{field}[{key!r}]", f"must be a string, not {type(item).__name__}"
            )
        if len(item) > MAX_METADATA_VALUE_LENGTH:
            raise ValidationError(
                f"{field}[{key!r}]", f"value is longer than {MAX_METADATA_VALUE_LENGTH} characters"
            )
    return dict(value)


def check_currency(field: str, value: Any) -> str:
    """An ISO 4217 code shape: three upper-case letters, e.g. ``GBP``."""
    if not isinstance(value, str) or not _CURRENCY.fullmatch(value):
        raise ValidationError(field, f"must be an ISO 4217 code like 'GBP' (got {value!r})")
    return value


def check_country(field: str, value: Any) -> str:
    """An ISO 3166-1 alpha-2 shape: two upper-case letters, e.g. ``GB``."""
    if not isinstance(value, str) or not _COUNTRY.fullmatch(value):
        raise ValidationError(
            field, f"must be an ISO 3166-1 alpha-2 code like 'GB' (got {value!r})"
        )
    return value


def check_amount(field: str, value: Any) -> Decimal:
    """A positive, finite amount as ``Decimal``; ints and numeric strings are accepted.

    Floats are refused: ``0.1 + 0.2`` is how money goes missing.

    >>> check_amount("amount", "200.00")
    Decimal('200.00')
    """
    if isinstance(value, bool | float):
        raise ValidationError(field, "must be a Decimal, int or numeric string, never a float")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        raise ValidationError(field, f"is not a number (got {value!r})") from None
    if not amount.is_finite() or amount <= 0:
        raise ValidationError(field, f"must be a positive amount (got {value!r})")
    return amount


def check_date(field: str, value: Any) -> date | None:
    """A calendar date, or an ISO ``YYYY-MM-DD`` string."""
    if value is None or (isinstance(value, date) and not hasattr(value, "hour")):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValidationError(field, f"must be a date or 'YYYY-MM-DD' (got {value!r})")
