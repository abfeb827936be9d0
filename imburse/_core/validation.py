"""Client-side checks of what the API documents, raised before any request is sent.

Each check names the field in its :class:`ValidationError` so a caller can point at the exact
input, and echoes at most the first 40 characters of a bad value (:func:`shown`), so a 10 MB
argument never becomes a 10 MB log line. Limits come from ``imburse-api.md`` §5.13 and §6;
where sources disagree (metadata values of 256 vs 500 characters) we enforce the published
Getting Started limits and let the server's stricter rule surface as ``BadRequestError``.

The bounds (also listed in the README's "Reliability" section):

* **Amounts** (:func:`check_amount`): a ``Decimal``, an ``int`` or a string of plain decimal
  digits (``"12.50"``: ASCII digits and at most one ``.``; no sign, exponent, ``_``, spaces
  or other digits), positive, at most :data:`MAX_AMOUNT_DIGITS` (18) digits in all, and exact
  in the currency's ISO 4217 minor unit; sent with exactly that many decimals (GBP
  ``"12.50"``, JPY ``"12"``). Where a body has no single currency, at most
  :data:`MAX_UNPRICED_DECIMALS` (4) decimals.
* **Refs**: 1-50 of ``[A-Za-z0-9-_.]``, and never ``.`` or ``..`` (they are path segments).
* **Correlation ids**: 1-:data:`MAX_CORRELATION_ID_LENGTH` (128) visible ASCII characters.
* **Extra headers**: RFC 9110 token names, printable ASCII values without line breaks, and
  none of :data:`RESERVED_HEADERS`.
"""

from __future__ import annotations

import re
import reprlib
from collections.abc import Mapping
from datetime import date
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    Inexact,
    InvalidOperation,
)
from typing import Any

from .errors import ValidationError
from .iso4217 import MINOR_UNITS

__all__ = [
    "MAX_AMOUNT_DIGITS",
    "MAX_CORRELATION_ID_LENGTH",
    "MAX_HEADER_VALUE_LENGTH",
    "MAX_METADATA_KEYS",
    "MAX_METADATA_KEY_LENGTH",
    "MAX_METADATA_VALUE_LENGTH",
    "MAX_REF_LENGTH",
    "MAX_UNPRICED_DECIMALS",
    "RESERVED_HEADERS",
    "check_amount",
    "check_correlation_id",
    "check_country",
    "check_currency",
    "check_date",
    "check_extra_headers",
    "check_metadata",
    "check_ref",
    "minor_unit",
    "shown",
]

MAX_REF_LENGTH = 50
MAX_METADATA_KEYS = 50
MAX_METADATA_KEY_LENGTH = 40
MAX_METADATA_VALUE_LENGTH = 500
#: Digits of an amount in all, its minor-unit decimals included: GBP up to
#: 9,999,999,999,999,999.99, JPY up to 999,999,999,999,999,999. Far above any payment, far
#: below what a JSON or .NET ``decimal`` parser on the server (28-29 digits) could misread.
MAX_AMOUNT_DIGITS = 18
#: Decimals allowed where a body has no single currency (scheme rule bounds, catalog search,
#: Tango Card deposits): the largest ISO 4217 minor unit (CLF, UYW).
MAX_UNPRICED_DECIMALS = 4
MAX_CORRELATION_ID_LENGTH = 128
MAX_HEADER_VALUE_LENGTH = 8192
#: Header names an ``extra_headers`` mapping may not set (compared case-insensitively, after
#: stripping whitespace): the SDK writes them, or the HTTP stack frames the message with them.
RESERVED_HEADERS = frozenset(
    {
        "authorization",
        "connection",
        "content-length",
        "host",
        "transfer-encoding",
        "x-account-id",
        "x-correlation-id",
        "x-tenant-id",
    }
)

_SHOWN = 40
_REF = re.compile(r"[A-Za-z0-9\-_.]+")
_CURRENCY = re.compile(r"[A-Z]{3}")
_COUNTRY = re.compile(r"[A-Z]{2}")
# Plain decimal notation in ASCII ([0-9] is ASCII-only; \d would take Arabic-Indic or
# full-width digits too).
_PLAIN_AMOUNT = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_MAX_AMOUNT_TEXT = 40  # digits, a dot and some leading zeros; refused before the pattern runs
_VISIBLE_ASCII = re.compile(r"[\x21-\x7e]+")
_HEADER_NAME = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")  # RFC 9110 token
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")
# Quantizing under this context signals (and so raises) instead of rounding a cent away.
_EXACT = Context(
    prec=MAX_AMOUNT_DIGITS, rounding=ROUND_HALF_EVEN, traps=[Inexact, InvalidOperation]
)
_STEPS = tuple(Decimal(1).scaleb(-places) for places in range(MAX_UNPRICED_DECIMALS + 1))
_REPR = reprlib.Repr()
_REPR.maxstring = _SHOWN
_REPR.maxother = _SHOWN
_REPR.maxlist = _REPR.maxtuple = _REPR.maxset = _REPR.maxdict = 4


def shown(value: object, limit: int = _SHOWN) -> str:
    """``value`` for an error message: its repr, cut to the first ``limit`` (40) characters.

    Line breaks come out escaped (``'\\n'``), so an echoed value cannot forge a log line.

    >>> shown("ORD-1")
    "'ORD-1'"
    >>> shown("x" * 100)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx'... (100 chars)"
    """
    if isinstance(value, str):
        if len(value) <= limit:
            return repr(value)
        return f"{value[:limit]!r}... ({len(value)} chars)"
    if isinstance(value, int) and value.bit_length() > 128:
        # repr() of a huge int is slow, and refused past 4300 digits.
        return f"an int of {value.bit_length()} bits"
    return _REPR.repr(value)


def check_ref(field: str, value: Any) -> str:
    """A ref (order, instruction, customer): 1-50 characters of ``[A-Za-z0-9-_.]``.

    ``.`` and ``..`` are refused: a ref becomes a URL path segment when it is read back, and
    servers and proxies resolve those segments, so such an object could never be read.

    >>> check_ref("order_ref", "ORD-1")
    'ORD-1'
    >>> check_ref("order_ref", "bad ref")
    Traceback (most recent call last):
    imburse.ValidationError: order_ref: may contain only letters, digits and -_. (got 'bad ref')
    """
    if not isinstance(value, str):
        raise ValidationError(field, f"must be a string, not {type(value).__name__}")
    if not 1 <= len(value) <= MAX_REF_LENGTH:
        raise ValidationError(field, f"must be 1-{MAX_REF_LENGTH} characters (got {len(value)})")
    if not _REF.fullmatch(value):
        raise ValidationError(
            field, f"may contain only letters, digits and -_. (got {shown(value)})"
        )
    if value == "." or value == "..":
        raise ValidationError(field, f"cannot be {value!r}: it could never be read back by URL")
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
            raise ValidationError(field, f"keys must be non-empty strings (got {shown(key)})")
        if len(key) > MAX_METADATA_KEY_LENGTH:
            raise ValidationError(
                # A key a little too long is shown whole, so it can be found in the input.
                f"{field}[{shown(key, 2 * MAX_METADATA_KEY_LENGTH)}]",
                f"key is longer than {MAX_METADATA_KEY_LENGTH} characters",
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
    """An active ISO 4217 currency code (three upper-case letters), e.g. ``GBP``.

    >>> check_currency("currency", "JPY")
    'JPY'
    >>> check_currency("currency", "ABC")
    Traceback (most recent call last):
    imburse.ValidationError: currency: 'ABC' is not an active ISO 4217 currency code
    """
    if not isinstance(value, str) or not _CURRENCY.fullmatch(value):
        raise ValidationError(field, f"must be an ISO 4217 code like 'GBP' (got {shown(value)})")
    if value not in MINOR_UNITS:
        raise ValidationError(field, f"{value!r} is not an active ISO 4217 currency code")
    return value


def minor_unit(currency: str) -> int:
    """How many decimals an amount in ``currency`` has (GBP 2, JPY 0, BHD 3, CLF 4).

    >>> minor_unit("GBP"), minor_unit("JPY"), minor_unit("KWD")
    (2, 0, 3)
    """
    return MINOR_UNITS[check_currency("currency", currency)]


def check_country(field: str, value: Any) -> str:
    """An ISO 3166-1 alpha-2 shape: two upper-case letters, e.g. ``GB``."""
    if not isinstance(value, str) or not _COUNTRY.fullmatch(value):
        raise ValidationError(
            field, f"must be an ISO 3166-1 alpha-2 code like 'GB' (got {shown(value)})"
        )
    return value


def check_amount(field: str, value: Any, currency: str | None = None) -> Decimal:
    """A positive amount as an exact ``Decimal``: the one rule every input amount goes through.

    ``value`` is a ``Decimal``, an ``int`` or a string of plain decimal digits (``"12.50"``);
    floats are refused (``0.1 + 0.2`` is how money goes missing), and so are signs,
    exponents, ``_``, whitespace and non-ASCII digits in a string. The size is checked before
    anything is expanded: at most :data:`MAX_AMOUNT_DIGITS` digits in all, counting the
    currency's decimals (``Decimal("1e1000000000")`` is refused at once).

    With a ``currency`` the amount must be exact in its ISO 4217 minor unit and comes back
    with exactly that many decimals, as it goes on the wire. Without one (a body with no
    single currency) it may have up to :data:`MAX_UNPRICED_DECIMALS` decimals and keeps its
    own (trailing zeros past the fourth decimal are dropped).

    >>> check_amount("amount", "12.5", "GBP"), check_amount("amount", "12.0", "JPY")
    (Decimal('12.50'), Decimal('12'))
    >>> check_amount("amount", "12.345", "GBP")
    Traceback (most recent call last):
    imburse.ValidationError: amount: has more decimals than GBP allows (2): '12.345'
    """
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        if len(value) > _MAX_AMOUNT_TEXT or not _PLAIN_AMOUNT.fullmatch(value):
            raise ValidationError(
                field,
                "must be plain decimal digits like '12.50' (no sign, exponent, separators, "
                f"spaces or non-ASCII digits; at most {_MAX_AMOUNT_TEXT} characters; "
                f"got {shown(value)})",
            )
        amount = Decimal(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        # Bounded before Decimal(value) turns a huge int into digits.
        amount = Decimal(value) if value.bit_length() <= 64 else Decimal("1e64")
    elif isinstance(value, float):
        raise ValidationError(field, "must be a Decimal, int or string of digits, never a float")
    else:
        raise ValidationError(
            field, f"must be a Decimal, int or string of digits, not {type(value).__name__}"
        )
    # Every test below is O(1) on the Decimal (adjusted() reads the exponent), so a value
    # like 1E+1000000000 is refused without ever being written out.
    if not amount.is_finite() or amount <= 0:
        raise ValidationError(field, f"must be a positive amount (got {shown(value)})")
    places = MAX_UNPRICED_DECIMALS if currency is None else MINOR_UNITS.get(currency)
    if places is None:
        raise ValidationError("currency", f"{currency!r} is not an active ISO 4217 currency code")
    whole = MAX_AMOUNT_DIGITS - places
    if amount.adjusted() >= whole:
        raise ValidationError(
            field,
            f"is too large: at most {whole} digits before the decimal point "
            f"({MAX_AMOUNT_DIGITS} digits in all; got {shown(value)})",
        )
    if currency is None:
        unit = f"more than {places} decimals"
    else:
        unit = f"more decimals than {currency} allows ({places})"
    try:
        if amount.adjusted() < -places:  # below the minor unit (1E-30): no need to quantize
            raise Inexact
        exact = amount.quantize(_STEPS[places], context=_EXACT)
    except (Inexact, InvalidOperation):
        raise ValidationError(field, f"has {unit}: {shown(value)}") from None
    if currency is not None:
        return exact
    # No single currency: keep the caller's own decimals ("25" stays "25", "25.5" stays
    # "25.5") and write 1E+2 as 100. (An int: the amount is finite.)
    exponent = int(amount.as_tuple().exponent)
    if exponent > 0:
        return amount.quantize(_STEPS[0], context=_EXACT)
    return amount if exponent >= -places else exact


def check_date(field: str, value: Any) -> date | None:
    """A calendar date, or an ISO ``YYYY-MM-DD`` string."""
    if value is None or (isinstance(value, date) and not hasattr(value, "hour")):
        return value
    if isinstance(value, str) and len(value) <= _SHOWN:
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise ValidationError(field, f"must be a date or 'YYYY-MM-DD' (got {shown(value)})")


def check_correlation_id(value: Any, field: str = "correlation_id") -> str:
    """A correlation id to send as ``X-Correlation-ID``: 1-128 visible ASCII characters.

    No spaces, line breaks or non-ASCII: the id is a header value on every transport and is
    printed in every error message, where a line break would forge a log line.

    >>> check_correlation_id("job-42/order-7")
    'job-42/order-7'
    >>> check_correlation_id("a\\r\\nX-Admin: 1")
    Traceback (most recent call last):
    imburse.ValidationError: correlation_id: must be visible ASCII without spaces or line breaks (got 'a\\r\\nX-Admin: 1')
    """
    if not isinstance(value, str):
        raise ValidationError(field, f"must be a string, not {type(value).__name__}")
    if not 1 <= len(value) <= MAX_CORRELATION_ID_LENGTH:
        raise ValidationError(
            field, f"must be 1-{MAX_CORRELATION_ID_LENGTH} characters (got {len(value)})"
        )
    if not _VISIBLE_ASCII.fullmatch(value):
        raise ValidationError(
            field, f"must be visible ASCII without spaces or line breaks (got {shown(value)})"
        )
    return value


def check_extra_headers(value: Any, field: str = "extra_headers") -> dict[str, str]:
    """Headers a caller adds to a call: checked the same way whatever the transport.

    Names are RFC 9110 tokens and none of :data:`RESERVED_HEADERS`; values are strings of
    printable ASCII (tabs allowed) without line breaks, at most 8192 characters.

    >>> check_extra_headers({"X-Request-Source": "billing"})
    {'X-Request-Source': 'billing'}
    >>> check_extra_headers({" authorization": "Bearer x"})
    Traceback (most recent call last):
    imburse.ValidationError: extra_headers: header ' authorization' is set by the SDK and cannot be overridden
    """
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValidationError(field, f"must be a mapping of str to str, not {type(value).__name__}")
    result: dict[str, str] = {}
    for name, item in value.items():
        if not isinstance(name, str):
            raise ValidationError(field, f"header names must be strings (got {shown(name)})")
        header = f"header {shown(name)}"
        if name.strip().lower() in RESERVED_HEADERS:
            raise ValidationError(field, f"{header} is set by the SDK and cannot be overridden")
        if not _HEADER_NAME.fullmatch(name):
            raise ValidationError(field, f"{header} is not a valid header name (RFC 9110 token)")
        if not isinstance(item, str):
            raise ValidationError(field, f"{header} must be a string, not {type(item).__name__}")
        if len(item) > MAX_HEADER_VALUE_LENGTH:
            raise ValidationError(
                field, f"{header} is longer than {MAX_HEADER_VALUE_LENGTH} characters"
            )
        if not _HEADER_VALUE.fullmatch(item):
            raise ValidationError(
                field,
                f"{header} must be printable ASCII without line breaks (got {shown(item)})",
            )
        result[name] = item
    return result
