"""The decode rules, written once: how a JSON value becomes the value of a model field.

Every response is decoded by these rules and nothing else. :mod:`.structure` writes one
straight-line function per model *from* them (a :class:`Rule` says which values it returns
unchanged and which it converts, and by which function); it adds no rule of its own.

The rules, in lenient mode (the default) and in strict mode (for tests):

* **Keys.** A model field reads its ``wire`` metadata key, else its camelCase name. A key that
  matches a field only case-insensitively (``Scheme``, ``metaData`` in 2019 samples) is read as
  that field, unless the exact key is there too. Any other key is kept in the model's
  ``extra`` mapping; strict mode raises on it.
* **Absent values.** A missing key and ``null`` both give the field's default. A field without a
  default is *required* (the object's own ref or id): missing or ``null`` raises
  :class:`~imburse.ResponseDecodeError` in both modes, and so does a value of the wrong type.
* **Values of the wrong type** in an optional field: lenient mode keeps the raw value in
  ``extra`` under its wire key (the attribute keeps its default) and logs a warning on the
  ``imburse`` logger once per model and field per process; strict mode raises.
* **Arrays** (``tuple[X, ...]``) take JSON arrays only (a string is not a sequence of
  characters). Lenient mode drops ``null`` items; strict mode raises on them. An item of the
  wrong type makes the whole field's value wrong (see above).
* **Mappings** (``Mapping[str, X]``) take JSON objects; lenient mode reads an empty array ``[]``
  as an empty mapping (the 2019 samples send ``"metaData": []``) and drops ``null`` values
  (unless ``X`` is ``Any``).
* **Text** takes JSON strings; lenient mode also takes a number and keeps its digits
  (``12345678`` -> ``"12345678"``: v1 samples send mandate details as numbers).
* **Money** is :class:`~decimal.Decimal`: JSON numbers (parsed from their text, never through
  float) and numeric strings; never a boolean, never NaN or infinity.
* **Times** are timezone-aware: epoch seconds, epoch milliseconds (beyond ``10**11``), as
  numbers or numeric strings, or ISO 8601 text (text without a zone is UTC). **Dates** are ISO
  ``YYYY-MM-DD`` (a longer ISO time keeps its date).
* **Booleans** are JSON booleans only (``"false"`` is not one); a field typed
  ``Annotated[bool, TEXT_BOOL]`` also takes the text ``"True"`` / ``"false"`` (v2 samples).
* **Integers** are JSON integers, integral numbers (``5.0`` is ``5``) or integer text.
* **Open enums**: a field typed ``Literal["A", "B"]`` (what type checkers see, so ``mypy
  --strict`` flags ``status == "SETLED"``) takes its listed values and, in lenient mode, any
  other text too, kept as the plain string the server sent (a value added to the API later
  must not break a decode); strict mode raises on an unlisted value. The models type them
  ``Annotated[SomeLiteral, SomeEnum]``: the same rule, with a known value decoded to the
  :class:`~enum.StrEnum` member (which *is* that ``str``: ``==`` and ``match`` see the text).

A model may define ``_wire_prepare(data) -> data`` (a staticmethod) to bring a form that
sources disagree on into its one shape first (a bare list for a wrapper, a plain code for an
object, a 2019 key name for today's).
"""

from __future__ import annotations

import logging
import re
import threading
import types
import typing
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Annotated, Any, Literal, get_args, get_origin

import attrs

from .errors import ResponseDecodeError

__all__ = [
    "LOCAL_FIELDS",
    "TEXT_BOOL",
    "Field",
    "Mismatch",
    "Rule",
    "Rules",
    "fields_of",
    "to_camel",
    "wire_name",
    # used by the generated code (structure.py)
    "as_object",
    "keep_raw",
    "refuse",
    "refuse_absent",
    "split_unknown",
    # tests
    "forget_warnings",
]

logger = logging.getLogger("imburse")

# Fields that belong to the SDK, not to the wire.
LOCAL_FIELDS = frozenset({"extra", "correlation_id"})
MILLIS_THRESHOLD = 10**11  # an epoch beyond this is in milliseconds
_FAST_EPOCH = 10**15  # beyond this the exact Decimal path decides (and refuses)


class Mismatch(Exception):
    """A JSON value that does not fit its field. Never leaves the decoder.

    Its message names the JSON type, never the value (it may be personal data or a key),
    except for an unknown enum value.

    Lenient mode turns it into an ``extra`` entry, strict mode (and a required field) into
    :class:`~imburse.ResponseDecodeError`.
    """


class _TextBool:
    """Marker: a boolean that may also come as the text ``"True"`` / ``"False"``."""

    def __repr__(self) -> str:
        return "TEXT_BOOL"


#: ``Annotated[bool | None, TEXT_BOOL]``: a boolean field that also takes ``"True"``/``"false"``.
TEXT_BOOL = _TextBool()


def to_camel(name: str) -> str:
    """``settled_by_date`` -> ``settledByDate``.

    >>> to_camel("financial_instrument_id")
    'financialInstrumentId'
    """
    head, *rest = name.rstrip("_").split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def wire_name(field: attrs.Attribute[Any]) -> str:
    """The JSON key of a model field: its ``wire`` metadata, else its camelCase name."""
    explicit = field.metadata.get("wire")
    return explicit if isinstance(explicit, str) else to_camel(field.name)


# --- scalar rules ---------------------------------------------------------------------------


def _kind(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def to_decimal(value: Any) -> Decimal:
    """Money: a finite Decimal from a JSON number or a numeric string.

    >>> to_decimal("200.00"), to_decimal(5)
    (Decimal('200.00'), Decimal('5'))
    """
    if type(value) is Decimal and value.is_finite():  # parsed JSON numbers: most values
        return value
    if isinstance(value, bool):
        raise Mismatch("a boolean is not an amount")
    try:
        if isinstance(value, Decimal):
            result = value
        elif isinstance(value, int):
            result = Decimal(value)
        elif isinstance(value, str):
            result = Decimal(value.strip())
        elif isinstance(value, float):  # only from callers' own dicts, never parsed JSON
            result = Decimal(repr(value))
        else:
            raise Mismatch(f"not a number: {_kind(value)}")
    except (InvalidOperation, ValueError):
        raise Mismatch("not a number") from None
    if not result.is_finite():
        raise Mismatch("amount is not finite")
    return result


def to_bool(value: Any) -> bool:
    """A JSON boolean; anything else (``"false"``, ``0``) does not fit."""
    if type(value) is bool:
        return value
    raise Mismatch(f"not a boolean: {_kind(value)}")


def to_text_bool(value: Any) -> bool:
    """A JSON boolean or the text ``"true"`` / ``"false"`` in any case."""
    if type(value) is bool:
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise Mismatch(f"not a boolean or 'True'/'False': {_kind(value)}")


def to_int(value: Any) -> int:
    """A JSON integer, an integral number (``5.0``) or integer text (``"3"``: a GitHub
    sample types licence limits as strings); never a boolean."""
    if type(value) is int:
        return value
    # ASCII digits only ("²" and full-width digits pass str.isdigit()), one sign, and a
    # bounded size: a server's text or exponent must not become a million-digit int.
    if isinstance(value, str) and _INT_TEXT.fullmatch(value.strip()):
        return int(value.strip())
    if (
        isinstance(value, Decimal)
        and value.is_finite()
        and value.adjusted() < _INT_DIGITS
        and value == value.to_integral_value()
    ):
        return int(value)
    raise Mismatch(f"not an integer: {_kind(value)}")


_INT_DIGITS = 19  # an int64 and then some: counts, pages, limits
_INT_TEXT = re.compile(rf"[+-]?[0-9]{{1,{_INT_DIGITS}}}")


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except (InvalidOperation, ValueError):
        return False
    return True


def to_datetime(value: Any) -> datetime:
    """A timezone-aware time from epoch seconds or milliseconds, or ISO text.

    >>> to_datetime(1732485600123).isoformat()
    '2024-11-24T22:00:00.123000+00:00'
    """
    if type(value) is int and -_FAST_EPOCH < value < _FAST_EPOCH:
        # Integer epochs (the usual wire form): the same float the Decimal path below gives,
        # since int / int and float(Decimal) are both correctly rounded.
        try:
            if value > MILLIS_THRESHOLD or value < -MILLIS_THRESHOLD:
                return _fromtimestamp(value / 1000, UTC)
            return _fromtimestamp(value, UTC)
        except (ValueError, OverflowError, OSError) as exc:
            raise Mismatch(f"not a time: out of range ({type(exc).__name__})") from None
    try:
        if isinstance(value, bool):
            raise Mismatch("a boolean is not a time")
        if isinstance(value, int | Decimal | float) or (
            isinstance(value, str) and _is_number(value)
        ):
            number = Decimal(str(value))
            seconds = number / 1000 if abs(number) > MILLIS_THRESHOLD else number
            return datetime.fromtimestamp(float(seconds), tz=UTC)
        if isinstance(value, str):
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            # Some 2019 fields carry no zone; Imburse runs on UTC, so read them as UTC.
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    except (ValueError, OverflowError, OSError, ArithmeticError) as exc:
        raise Mismatch(f"not a time: {_kind(value)} ({type(exc).__name__})") from None
    raise Mismatch(f"not a time: {_kind(value)}")


def to_date(value: Any) -> date:
    """A date from ISO text (``2024-12-01``, or the date of a longer ISO time)."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            raise Mismatch("not an ISO date") from None
    raise Mismatch(f"not a date: {_kind(value)}")


_fromtimestamp = datetime.fromtimestamp


def _identity(value: Any) -> Any:
    return value


# --- rules ----------------------------------------------------------------------------------


@attrs.frozen
class Rule:
    """How one field type decodes.

    ``convert(value)`` is the rule (it raises :class:`Mismatch` for a value that does not fit);
    the other attributes only say what it does for some values, so that generated code may
    skip the call for them:

    * ``exact``: values of exactly this type are returned unchanged;
    * ``table``: these (text) values give these results (an open enum's known values);
    * ``model``: the value is structured as this attrs model (``convert`` does just that);
    * ``items``: a ``tuple[model, ...]`` whose items are structured as ``items`` (``convert``
      does that too, dropping ``null`` items in lenient mode and refusing them in strict mode);
    * ``values``: a JSON object whose values are all of exactly this type gives a plain
      ``dict`` copy of it (a ``Mapping[str, X]`` field).
    """

    convert: Callable[[Any], Any]
    exact: type | None = None
    table: Mapping[str, Any] | None = None
    model: type | None = None
    items: type | None = None
    values: type | None = None
    any: bool = False

    def apply(self, value: Any) -> Any:
        """``convert(value)``, skipping the call where the rule says the result."""
        if self.exact is not None and type(value) is self.exact:
            return value
        return self.convert(value)


def _optional(tp: Any) -> Any:
    """``X | None`` -> ``X``; anything else unchanged (``null`` is handled by the caller)."""
    if get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return args[0]
    return tp


def _annotation(tp: Any) -> Any:
    """The metadata object of ``Annotated[X, meta]`` that names a rule (enum, TEXT_BOOL)."""
    if get_origin(tp) is not Annotated:
        return None
    for meta in get_args(tp)[1:]:
        if meta is TEXT_BOOL or (isinstance(meta, type) and issubclass(meta, StrEnum)):
            return meta
    return None


class Rules:
    """The rules of one mode, with ``structure_of(cls)`` giving a model's structure function.

    ``structure_of`` comes from :mod:`.structure`, which writes those functions from these
    rules; it is passed in, so this module depends on nothing but the errors.
    """

    def __init__(self, *, strict: bool, structure_of: Callable[[type], Callable[[Any], Any]]):
        self.strict = strict
        self._structure_of = structure_of
        self._cache: dict[Any, Rule] = {}

    def rule(self, tp: Any) -> Rule:
        """The rule for a field annotation (``X | None`` is the rule of ``X``)."""
        tp = _optional(tp)
        made = self._cache.get(tp)
        if made is None:
            made = self._cache[tp] = self._make(tp)
        return made

    def _make(self, tp: Any) -> Rule:
        meta = _annotation(tp)
        if meta is TEXT_BOOL:
            return Rule(to_text_bool, exact=bool)
        if isinstance(meta, type) and issubclass(meta, StrEnum):
            return self._enum(meta)
        if get_origin(tp) is Annotated:
            return self.rule(get_args(tp)[0])
        if get_origin(tp) is Literal and all(type(a) is str for a in get_args(tp)):
            return self._enum_table({a: a for a in get_args(tp)}, "value")
        if tp is Any or tp is object:
            return Rule(_identity, any=True)
        if tp is str:
            return Rule(self._text, exact=str)
        if tp is bool:
            return Rule(to_bool, exact=bool)
        if tp is int:
            return Rule(to_int, exact=int)
        if tp is Decimal:
            return Rule(to_decimal)
        if tp is datetime:
            return Rule(to_datetime)
        if tp is date:
            return Rule(to_date)
        if isinstance(tp, type) and attrs.has(tp):
            return Rule(self._model(tp), model=tp)
        origin, args = get_origin(tp), get_args(tp)
        if origin in (tuple, list) and (
            (origin is tuple and len(args) == 2 and args[1] is Ellipsis)
            or (origin is list and len(args) == 1)
        ):
            item = self.rule(args[0])
            if origin is list:
                return Rule(self._sequence(item, as_list=True))
            return Rule(self._sequence(item), items=item.model)
        if origin in (dict, Mapping, typing.Mapping) and len(args) == 2 and args[0] is str:
            values = self.rule(args[1])
            return Rule(self._mapping(values), values=None if values.any else values.exact)
        raise TypeError(f"no decode rule for {tp!r}")

    def _text(self, value: Any) -> str:
        if isinstance(value, str):  # a str subclass from a caller's mapping, e.g. an enum member
            return str(value)
        if isinstance(value, int | Decimal | float) and not isinstance(value, bool):
            if self.strict:
                raise Mismatch(f"a number where text is expected ({_kind(value)})")
            return str(value)  # a Decimal keeps the digits it was parsed from
        raise Mismatch(f"not text: {_kind(value)}")

    def _enum(self, enum: type[StrEnum]) -> Rule:
        return self._enum_table({m.value: m for m in enum}, enum.__name__)

    def _enum_table(self, members: Mapping[str, Any], name: str) -> Rule:
        """An open enum: ``members`` maps the known values to their results."""
        strict = self.strict

        def convert(value: Any) -> str:
            if not isinstance(value, str):
                raise Mismatch(f"{name} must be text, not {_kind(value)}")
            member = members.get(value)
            if member is not None:
                return member  # type: ignore[no-any-return]
            if strict:
                raise Mismatch(f"unknown {name} value {value!r}")
            return str(value)

        return Rule(convert, table=members)

    def _model(self, cls: type) -> Callable[[Any], Any]:
        structure_of = self._structure_of
        resolved: list[Callable[[Any], Any]] = []

        def convert(value: Any) -> Any:
            # Looked up on first use: models refer to each other (and to themselves).
            if not resolved:
                resolved.append(structure_of(cls))
            return resolved[0](value)

        return convert

    def _sequence(self, item: Rule, *, as_list: bool = False) -> Callable[[Any], Any]:
        strict, apply = self.strict, item.apply
        make: Callable[[list[Any]], Any] = list if as_list else tuple

        def convert(value: Any) -> Any:
            # A string is not a sequence of characters, nor an object a sequence of its keys.
            if not isinstance(value, list | tuple):
                raise Mismatch(f"expected a JSON array, got {_kind(value)}")
            if strict:
                if None in value:
                    raise Mismatch("null item in an array")
                return make([apply(e) for e in value])
            return make([apply(e) for e in value if e is not None])

        return convert

    def _mapping(self, item: Rule) -> Callable[[Any], dict[str, Any]]:
        strict, apply, keep_null = self.strict, item.apply, item.any

        exact = item.exact

        def convert(value: Any) -> dict[str, Any]:
            if keep_null and type(value) is dict:  # Mapping[str, Any]: any JSON object
                return dict(value)
            if type(value) is dict:
                for element in value.values():
                    if type(element) is not exact:
                        break
                else:  # every value already fits (and JSON keys are text): a plain copy
                    return dict(value)
            elif isinstance(value, list) and not value and not strict:
                return {}  # "metaData": [] in the 2019 samples: an empty mapping
            if not isinstance(value, Mapping):
                raise Mismatch(f"expected a JSON object, got {_kind(value)}")
            out: dict[str, Any] = {}
            for key, element in value.items():
                if not isinstance(key, str):
                    raise Mismatch(f"a key that is not text: {_kind(key)}")
                if element is None and not keep_null:
                    if strict:
                        raise Mismatch(f"null value under {key!r}")
                    continue
                out[key] = apply(element)
            return out

        return convert


# --- models ---------------------------------------------------------------------------------


@attrs.frozen
class Field:
    """One field of a response model, as the decoder sees it."""

    name: str
    key: str  # the wire key ("" for a local field such as extra / correlation_id)
    annotation: Any
    required: bool  # no default: missing, null or of the wrong type is a ResponseDecodeError
    default: Any  # attrs.NOTHING, a constant, or an attrs.Factory


def fields_of(cls: type) -> tuple[Field, ...]:
    """The decoder's view of an attrs model: wire keys, types, defaults, required-ness.

    A field without a default is required; that is the one place required-ness is written.
    """
    hints = typing.get_type_hints(cls, include_extras=True)
    out = []
    for field in attrs.fields(cls):
        local = field.name in LOCAL_FIELDS
        out.append(
            Field(
                name=field.name,
                key="" if local else wire_name(field),
                annotation=hints.get(field.name, Any),
                required=field.default is attrs.NOTHING,
                default=field.default,
            )
        )
    return tuple(out)


def split_unknown(
    data: dict[str, Any],
    known: frozenset[str],
    by_lower: Mapping[str, str],
    name: str,
    strict: bool,
    learn: Callable[[list[str]], None] | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(data with keys read as fields, extra)``: case-folded keys renamed, others set apart.

    ``learn`` is told the keys that went to ``extra`` (see :mod:`.structure`'s mirrors).
    """
    data = dict(data)
    extra: dict[str, Any] = {}
    for key in [k for k in data if k not in known]:
        value = data.pop(key)
        canonical = by_lower.get(key.lower()) if isinstance(key, str) else None
        if canonical is not None and canonical not in data:
            data[canonical] = value
        else:
            extra[key] = value
    if extra and strict:
        raise ResponseDecodeError(f"{name}: unknown fields {sorted(map(str, extra))} (strict mode)")
    if extra and learn is not None:
        learn(list(extra))
    return data, extra


def as_object(data: Any, name: str) -> dict[str, Any]:
    """A JSON object (a caller's ``Mapping`` is copied into a dict), else :class:`Mismatch`."""
    if isinstance(data, Mapping):
        return dict(data)
    raise Mismatch(f"{name}: expected a JSON object, got {_kind(data)}")


_warned: set[tuple[str, str]] = set()
_warned_lock = threading.Lock()


def keep_raw(
    extra: dict[str, Any] | None, model: str, key: str, value: Any, problem: Mismatch
) -> dict[str, Any]:
    """Lenient mode: a value that does not fit goes to ``extra``; warn once per model and key.

    The warning names the model, the key and the JSON type, never the value (it may be
    personal data or a secret).
    """
    if extra is None:
        extra = {}
    extra[key] = value
    with _warned_lock:
        first = (model, key) not in _warned
        _warned.add((model, key))
    if first:
        logger.warning(
            "imburse: %s.%s has an unexpected %s value (%s); kept in .extra[%r] "
            "(logged once per field)",
            model,
            key,
            _kind(value),
            str(problem)[:200],
            key,
        )
    return extra


def forget_warnings() -> None:
    """Warn again about fields already warned about (for tests of the warning itself)."""
    with _warned_lock:
        _warned.clear()


def refuse(model: str, key: str, problem: Mismatch, strict: bool) -> Any:
    """Raise the :class:`~imburse.ResponseDecodeError` for a value that cannot be kept."""
    mode = " (strict mode)" if strict else ""
    raise ResponseDecodeError(f"{model}.{key}: {problem}{mode}"[:500])


def refuse_absent(model: str, key: str) -> Any:
    """Raise the :class:`~imburse.ResponseDecodeError` for a required field missing or null."""
    raise ResponseDecodeError(f"{model}: required field {key!r} is missing or null")
