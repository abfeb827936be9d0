"""One cattrs converter for the wire: camelCase JSON <-> snake_case attrs models.

Why a custom layer over cattrs' generated functions:

* Imburse adds fields and enum values over time. A lenient decode keeps unknown fields in the
  model's ``extra`` mapping and unknown enum values as plain strings; strict mode (for tests)
  raises :class:`ResponseDecodeError` on either.
* Sources disagree on key case (``Scheme`` / ``metaData`` in 2019 samples), so a key that only
  matches a field case-insensitively is accepted.
* Money is :class:`~decimal.Decimal`: JSON is parsed with ``parse_float=Decimal`` and amounts
  given as strings are accepted too. Timestamps may be epoch seconds, epoch milliseconds or ISO
  strings; all become timezone-aware datetimes.
* Text fields take JSON strings. Lenient mode also takes a JSON number and keeps its digits
  (``12345678`` -> ``"12345678"``): v1 samples send numeric-looking mandate details as numbers.
  Strict mode refuses numbers there, and both modes refuse booleans, objects and arrays.
* Sequence fields (``tuple[X, ...]``) take JSON arrays only: a string is not a sequence of
  characters, nor an object a sequence of its keys.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, TypeVar, get_args, get_origin

import attrs

from .errors import ResponseDecodeError

__all__ = ["WireConverter", "get_converter", "loads", "to_camel", "wire_name"]

T = TypeVar("T")

# Fields that belong to the SDK, not to the wire.
_LOCAL_FIELDS = frozenset({"extra", "correlation_id"})
_MILLIS_THRESHOLD = 10**11
_FAST_EPOCH = 10**15  # beyond this the exact Decimal path decides (and raises)


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


# msgspec (extra ``imburse[speed]``) parses ~3x faster than the json module and hands each
# non-integer number to Decimal as its text: the same values, money never through float.
# Anything it refuses (NaN, lone surrogates, a BOM...) goes to the json module, whose answer
# or error is then the one given, exactly as without msgspec.
_fast_loads: Callable[[bytes | str], Any] | None = None
_parser = ""


def _pick_parser() -> None:
    global _fast_loads, _parser
    try:
        import msgspec
    except ImportError:
        _parser = "json"
        return
    _fast_loads = msgspec.json.Decoder(float_hook=Decimal).decode
    _parser = "msgspec"


def json_parser() -> str:
    """Which parser :func:`loads` tries first: ``"msgspec"`` or ``"json"``."""
    if not _parser:
        _pick_parser()
    return _parser


@contextlib.contextmanager
def stdlib_json() -> Iterator[None]:
    """Within the block, :func:`loads` uses only the json module (tests, benchmarks)."""
    global _fast_loads, _parser
    json_parser()
    saved = _fast_loads, _parser
    _fast_loads, _parser = None, "json"
    try:
        yield
    finally:
        _fast_loads, _parser = saved


def loads(body: bytes | str) -> Any:
    """Parse JSON with every non-integer number as ``Decimal`` (never float)."""
    if not _parser:
        _pick_parser()
    if _fast_loads is not None:
        try:
            return _fast_loads(body)
        except Exception:  # noqa: S110 - the json module gives the answer or the error
            pass
    return json.loads(body, parse_float=Decimal)


def _open_enum(tp: Any) -> type[StrEnum] | None:
    if get_origin(tp) is not Annotated:
        return None
    for meta in get_args(tp)[1:]:
        if isinstance(meta, type) and issubclass(meta, StrEnum):
            return meta
    return None


def _is_sequence(tp: Any) -> bool:
    """``tuple[X, ...]`` or ``list[X]``: the homogeneous sequences of the models."""
    origin, args = get_origin(tp), get_args(tp)
    if origin is tuple:
        return len(args) == 2 and args[1] is Ellipsis
    return origin is list and len(args) == 1


def _to_decimal(value: Any, _: Any = None) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("a boolean is not an amount")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int | str):
        result = Decimal(value.strip() if isinstance(value, str) else value)
    elif isinstance(value, float):
        result = Decimal(repr(value))  # only reached for callers' own dicts, never parsed JSON
    else:
        raise ValueError(f"not a number: {type(value).__name__}")
    if not result.is_finite():
        raise ValueError("amount is not finite")
    return result


def _to_bool(value: Any, _: Any = None) -> bool:
    # cattrs' default is bool(value), which reads the string "false" as True.
    if not isinstance(value, bool):
        raise ValueError(f"not a boolean: {type(value).__name__}")
    return value


def _to_datetime(value: Any, _: Any = None) -> datetime:
    if isinstance(value, bool):
        raise ValueError("a boolean is not a time")
    if type(value) is int and -_FAST_EPOCH < value < _FAST_EPOCH:
        # Integer epochs (the usual wire form): the same float the Decimal path below gives,
        # since int / int and float(Decimal) are both correctly rounded.
        epoch = value / 1000 if abs(value) > _MILLIS_THRESHOLD else float(value)
        return datetime.fromtimestamp(epoch, tz=UTC)
    if isinstance(value, int | Decimal | float) or (isinstance(value, str) and _is_number(value)):
        number = Decimal(str(value))
        seconds = number / 1000 if abs(number) > _MILLIS_THRESHOLD else number
        return datetime.fromtimestamp(float(seconds), tz=UTC)
    if isinstance(value, str):
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        # Some 2019 fields carry no zone; Imburse runs on UTC, so read them as UTC.
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    raise ValueError(f"not a time: {type(value).__name__}")


def _to_date(value: Any, _: Any = None) -> date:
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    raise ValueError(f"not a date: {type(value).__name__}")


def _is_number(text: str) -> bool:
    try:
        Decimal(text)
    except InvalidOperation:
        return False
    return True


class WireConverter:
    """Structure JSON into models and unstructure request models into JSON-ready dicts.

    >>> from imburse._core.models.orders import Instruction
    >>> get_converter().structure({"amount": "200.00", "metadataX": 1}, Instruction).extra
    {'metadataX': 1}
    """

    def __init__(self, *, strict: bool = False) -> None:
        self.strict = strict
        import cattrs  # here, not at import: ``import imburse`` stays light (issue 7)

        self._c = cattrs.Converter(detailed_validation=False)
        self._fast: dict[Any, Callable[[Any], Any] | bool] = {}
        self._direct: dict[Any, Callable[[bytes | str], Any] | bool] = {}
        c = self._c
        c.register_structure_hook(Decimal, _to_decimal)
        c.register_structure_hook(bool, _to_bool)
        c.register_structure_hook(datetime, _to_datetime)
        c.register_structure_hook(date, _to_date)
        c.register_structure_hook_func(lambda t: _open_enum(t) is not None, self._structure_enum)
        c.register_structure_hook(str, self._structure_text)
        c.register_structure_hook_factory(_is_sequence, self._sequence_factory)
        c.register_structure_hook_factory(attrs.has, self._structure_factory)
        c.register_unstructure_hook(Decimal, decimal_text)
        c.register_unstructure_hook(date, date.isoformat)
        c.register_unstructure_hook_factory(attrs.has, self._unstructure_factory)

    def structure(self, data: Any, cls: type[T]) -> T:
        """Build ``cls`` from parsed JSON; any failure becomes :class:`ResponseDecodeError`."""
        fast = self._fast.get(cls)
        if fast is None:
            from .fastpath import build_structure

            fast = self._fast[cls] = build_structure(self, cls) or False
        if fast is not False:
            try:
                return fast(data)  # type: ignore[operator,no-any-return]
            except Exception:  # noqa: S110 - the regular path below decides, and explains
                pass
        try:
            return self._c.structure(data, cls)
        except ResponseDecodeError:
            raise
        except Exception as exc:  # cattrs, ValueError, KeyError, TypeError...: all mean "bad body"
            raise ResponseDecodeError(
                f"could not decode {cls.__name__}: {type(exc).__name__}: {exc}"[:500]
            ) from None

    def decode(self, body: bytes | str, cls: type[T]) -> T:
        """Parse a JSON body and build ``cls``: :func:`loads` then :meth:`structure`, faster.

        With msgspec, the body is first decoded straight into ``cls`` (``fastpath.build_decoder``:
        no intermediate ``dict``), which only succeeds where the regular path gives the same
        model. Anything else takes the regular path, so the outcome is always theirs: a
        ``ValueError`` (``UnicodeDecodeError``, ``RecursionError``) from :func:`loads` for a
        body that is not JSON, :class:`ResponseDecodeError` for JSON of the wrong shape.
        """
        if not _parser:
            _pick_parser()
        if _fast_loads is not None:  # msgspec is installed and not switched off
            direct = self._direct.get(cls)
            if direct is None:
                from .fastpath import build_decoder

                direct = self._direct[cls] = build_decoder(self, cls) or False
            if direct is not False:
                try:
                    return direct(body)  # type: ignore[operator,no-any-return]
                except Exception:  # noqa: S110 - the regular path below decides, and explains
                    pass
        return self.structure(loads(body), cls)

    def unstructure(self, obj: Any) -> Any:
        """Turn a request model into a JSON-ready value with camelCase keys, unset omitted."""
        return self._c.unstructure(obj)

    def _structure_enum(self, value: Any, tp: Any) -> str:
        enum = _open_enum(tp)
        assert enum is not None
        if not isinstance(value, str):
            raise ValueError(f"{enum.__name__} must be a string")
        member = enum._value2member_map_.get(value)
        if member is not None:
            return member  # type: ignore[return-value]  # a StrEnum member is a str
        if self.strict:
            raise ResponseDecodeError(f"unknown {enum.__name__} value {value!r} (strict mode)")
        return value

    def _structure_text(self, value: Any, _: Any = None) -> str:
        # cattrs' default is str(value): True became "True" and {"a": 1} "{'a': 1}".
        if type(value) is str:
            return value
        if isinstance(value, str):  # a str subclass from a caller's mapping, e.g. an enum member
            return str(value)
        if isinstance(value, int | Decimal | float) and not isinstance(value, bool):
            if self.strict:
                raise ValueError(f"a number where text is expected: {value!r} (strict mode)")
            return str(value)  # a Decimal keeps the digits it was parsed from
        raise ValueError(f"not text: {type(value).__name__}")

    def _sequence_factory(self, tp: Any) -> Callable[[Any, Any], Any]:
        item = get_args(tp)[0]
        hook = self._c.get_structure_hook(item)
        as_list = get_origin(tp) is list

        def structure(value: Any, _: Any) -> Any:
            # cattrs' default iterates any iterable: "abc" became ("a", "b", "c").
            if not isinstance(value, list | tuple):
                raise ValueError(f"expected a JSON array, got {type(value).__name__}")
            items = [hook(element, item) for element in value]
            return items if as_list else tuple(items)

        return structure

    def _structure_factory(self, cls: type[Any]) -> Callable[[Any, Any], Any]:
        fields = attrs.fields(cls)
        wire = {f.name: wire_name(f) for f in fields if f.name not in _LOCAL_FIELDS}
        from cattrs.gen import make_dict_structure_fn, override

        overrides: dict[str, Any] = {name: override(rename=key) for name, key in wire.items()}
        overrides.update({f.name: override(omit=True) for f in fields if f.name in _LOCAL_FIELDS})
        generated = make_dict_structure_fn(cls, self._c, **overrides)
        known = frozenset(wire.values())
        by_lower = {key.lower(): key for key in known}
        keeps_extra = any(f.name == "extra" for f in fields)
        strict, name = self.strict, cls.__name__
        # A model may define ``_wire_prepare(data) -> data`` (a staticmethod) to bring a form
        # that sources disagree on into its one shape first: a bare list for a wrapper, a plain
        # code for an object, a 2019 key name for today's.
        prepare: Callable[[Any], Any] | None = getattr(cls, "_wire_prepare", None)

        def structure(data: Any, _: Any) -> Any:
            if prepare is not None:
                data = prepare(data)
            if not isinstance(data, Mapping):
                raise ResponseDecodeError(
                    f"{name}: expected a JSON object, got {type(data).__name__}"
                )
            extra: dict[str, Any] = {}
            if not known.issuperset(data):
                data = dict(data)
                for key in [k for k in data if k not in known]:
                    value = data.pop(key)
                    canonical = by_lower.get(key.lower()) if isinstance(key, str) else None
                    if canonical is not None and canonical not in data:
                        data[canonical] = value
                    else:
                        extra[key] = value
                if extra and strict:
                    raise ResponseDecodeError(
                        f"{name}: unknown fields {sorted(extra)} (strict mode)"
                    )
            obj = generated(data, cls)
            if extra and keeps_extra:
                # Frozen models: attrs itself sets fields this way in __init__.
                object.__setattr__(obj, "extra", extra)
            return obj

        return structure

    def _unstructure_factory(self, cls: type[Any]) -> Callable[[Any], Any]:
        fields = attrs.fields(cls)
        from cattrs.gen import make_dict_unstructure_fn, override

        overrides: dict[str, Any] = {
            f.name: override(rename=wire_name(f)) for f in fields if f.name not in _LOCAL_FIELDS
        }
        overrides.update({f.name: override(omit=True) for f in fields if f.name in _LOCAL_FIELDS})
        generated = make_dict_unstructure_fn(cls, self._c, **overrides)

        def unstructure(obj: Any) -> dict[str, Any]:
            # Unset fields stay off the wire: None, and empty sequences such as an order's
            # ``instructions`` (documented clients omit the key; ``[]`` is undocumented).
            return {k: v for k, v in generated(obj).items() if v is not None and v != []}

        return unstructure


@cache
def get_converter(strict: bool = False) -> WireConverter:
    """The shared converter (lenient by default), built once per mode."""
    return WireConverter(strict=strict)


def decimal_text(value: Decimal) -> str:
    """An amount as plain digits: ``Decimal("2E+2")`` (from ``normalize()``) is ``"200"``.

    ``str()`` would send exponent notation, which a decimal parser on the server may refuse.

    >>> decimal_text(Decimal("200.00").normalize()), decimal_text(Decimal("200.00"))
    ('200', '200.00')
    """
    return format(value, "f")


def coerce_decimal(value: Any) -> Decimal:
    """Public helper used by request models: numbers and numeric strings to Decimal."""
    return _to_decimal(value)
