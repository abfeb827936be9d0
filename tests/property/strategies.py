"""Hypothesis strategies shared by the property tests.

* ``json_values``: any JSON document (what a broken proxy or a new API version might send).
* ``shaped(model)``: JSON that *looks like* a response model: the model's own wire keys, with
  values of roughly the right type and often the wrong one, nested to the model's depth. It
  drives the decoder far deeper than random JSON does.
* ``order_inputs`` / ``instruction_inputs``: valid create requests, within every documented
  limit, for build -> server -> decode round trips.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import string
import types
import typing
from typing import Any

import attrs
from hypothesis import strategies as st

from imburse import InstructionInput, OrderInput
from imburse._core.converter import wire_name
from imburse._core.iso4217 import MINOR_UNITS
from imburse._core.validation import (
    MAX_METADATA_KEY_LENGTH,
    MAX_METADATA_KEYS,
    MAX_METADATA_VALUE_LENGTH,
)

_LOCAL = frozenset({"extra", "correlation_id"})

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
)
json_values: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=5)
    ),
    max_leaves=25,
)

_NUMBER_TEXT = st.text(alphabet="0123456789.-+eE", max_size=14) | st.sampled_from(
    ["NaN", "Infinity", "-0", "1e400", "1E-400", "0.1", "007", "1_000", " 1 ", ""]
)
_DATE_TEXT = st.text(alphabet="0123456789-T:Z.+ ", max_size=30) | st.sampled_from(
    ["2023-02-30", "9999-12-31T23:59:59Z", "0000-01-01", "2023-01-01T25:00:00"]
)


def _type_name(tp: Any) -> str:
    return getattr(typing.get_origin(tp) or tp, "__name__", "")


def shaped(tp: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """JSON shaped like ``tp`` (an attrs model or a field type), often wrong, never Python."""
    if depth > 6:
        return json_values
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin is typing.Annotated:
        return shaped(args[0], depth) | st.text(max_size=10)
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(shaped(a, depth) for a in args))
    if tp is type(None):
        return st.none()
    if _type_name(tp) in ("list", "tuple", "Sequence", "set", "frozenset"):
        item = args[0] if args else Any
        return st.lists(shaped(item, depth + 1), max_size=3) | json_values
    if _type_name(tp) in ("dict", "Mapping"):
        value = args[1] if len(args) > 1 else Any
        return (
            st.dictionaries(st.text(max_size=6), shaped(value, depth + 1), max_size=3) | json_values
        )
    if attrs.has(tp):
        hints = typing.get_type_hints(tp, include_extras=True)
        keys = {
            wire_name(f): shaped(hints[f.name], depth + 1)
            for f in attrs.fields(tp)
            if f.name not in _LOCAL
        }
        unknown = st.dictionaries(st.text(max_size=6), json_values, max_size=2)
        return (
            st.builds(
                lambda known, extra: {**extra, **known},
                st.fixed_dictionaries({}, optional=keys),
                unknown,
            )
            | json_values
        )
    if tp is decimal.Decimal:
        return (
            st.integers()
            | st.floats()
            | _NUMBER_TEXT
            | st.decimals(allow_nan=False, allow_infinity=False).map(str)
        )
    if tp in (datetime.datetime, datetime.date):
        return st.integers() | _DATE_TEXT | st.datetimes().map(lambda d: d.isoformat())
    if tp is bool:
        return st.booleans() | st.sampled_from(["true", "False", "yes", "1", 1, 0, 2])
    if tp is int:
        return st.integers() | _NUMBER_TEXT | st.floats()
    if tp is str:
        return st.text(max_size=10) | st.integers()
    if isinstance(tp, type) and issubclass(tp, enum.Enum):
        return st.sampled_from([e.value for e in tp]) | st.text(max_size=8)
    return json_values


# --- valid inputs ------------------------------------------------------------------------------

_REF_ALPHABET = string.ascii_letters + string.digits + "-_."
refs = st.text(alphabet=_REF_ALPHABET, min_size=1, max_size=50).filter(
    lambda r: r not in (".", "..")
)
metadata = st.none() | st.dictionaries(
    st.text(min_size=1, max_size=MAX_METADATA_KEY_LENGTH),
    st.text(max_size=MAX_METADATA_VALUE_LENGTH),
    max_size=min(MAX_METADATA_KEYS, 6),
)
currencies = st.sampled_from(sorted(MINOR_UNITS))


def amounts_in(currency: str) -> st.SearchStrategy[decimal.Decimal]:
    """Amounts exact in ``currency``'s minor unit (GBP 2 decimals, JPY none, KWD 3)."""
    places = MINOR_UNITS[currency]
    return st.decimals(
        min_value=decimal.Decimal(1).scaleb(-places),
        max_value=decimal.Decimal("1e12"),
        places=places,
    ) | st.integers(min_value=1, max_value=10**12).map(decimal.Decimal)


@st.composite
def money(draw: st.DrawFn) -> tuple[decimal.Decimal, str]:
    currency = draw(currencies)
    return draw(amounts_in(currency)), currency


countries = st.text(alphabet=string.ascii_uppercase, min_size=2, max_size=2)


def instruction_inputs(ref: st.SearchStrategy[str] = refs) -> st.SearchStrategy[InstructionInput]:
    return money().flatmap(
        lambda pair: st.builds(
            InstructionInput,
            instruction_ref=ref,
            customer_ref=refs,
            direction=st.sampled_from(["DEBIT", "CREDIT"]),
            amount=st.just(pair[0]),
            currency=st.just(pair[1]),
            country=countries,
            scheme_id=st.none() | st.text(alphabet=string.hexdigits, min_size=1, max_size=32),
            financial_instrument_id=st.none() | st.uuids().map(str),
            settled_by_date=st.none() | st.dates(min_value=datetime.date(2000, 1, 1)),
            metadata=metadata,
        )
    )


@st.composite
def order_inputs(draw: st.DrawFn) -> OrderInput:
    instruction_refs = draw(st.lists(refs, max_size=3, unique=True))
    instructions = [draw(instruction_inputs(st.just(r))) for r in instruction_refs]
    return OrderInput(
        order_ref=draw(refs),
        instructions=instructions,
        metadata=draw(metadata),
    )


def attempt(call: Any, *args: Any, expected: type[Exception], **kwargs: Any) -> tuple[Any, Any]:
    """``(result, None)``, or ``(None, error)`` when ``call`` raised ``expected``.

    Any other exception propagates: that is what the property tests are looking for.
    """
    try:
        return call(*args, **kwargs), None
    except expected as error:
        return None, error
