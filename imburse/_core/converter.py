"""The wire converter: JSON bodies -> response models, request models -> JSON-ready dicts.

Decoding follows the rules of :mod:`.rules` (written once; read them there), applied by the
functions :mod:`.structure` writes per model. Encoding request models goes through cattrs'
generated functions with camelCase keys, unset fields left off the wire.

JSON is parsed with every non-integer number as :class:`~decimal.Decimal` (money never goes
through float): by msgspec when the ``imburse[speed]`` extra is installed (about three times
faster), else by the json module, with the same values either way.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

import attrs

from .errors import ResponseDecodeError
from .rules import LOCAL_FIELDS, Mismatch, to_camel, to_decimal, wire_name
from .structure import Mirror, Structurer

__all__ = ["WireConverter", "get_converter", "loads", "to_camel", "wire_name"]

T = TypeVar("T")


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
    """Parse JSON with every non-integer number as ``Decimal`` (never float).

    >>> loads(b'{"amount": 12.50}')
    {'amount': Decimal('12.50')}
    """
    if not _parser:
        _pick_parser()
    if _fast_loads is not None:
        try:
            return _fast_loads(body)
        except ValueError:
            # msgspec refused it (NaN, a lone surrogate, a BOM, invalid JSON): the json
            # module's answer or error is the one given, exactly as without msgspec.
            pass
    return json.loads(body, parse_float=Decimal)


class WireConverter:
    """Structure JSON into models and unstructure request models into JSON-ready dicts.

    >>> from imburse._core.models.orders import Instruction
    >>> body = {"direction": "DEBIT", "amount": 12.5, "currency": "GBP", "metadataX": 1}
    >>> instruction = get_converter().structure(body, Instruction)
    >>> instruction.amount, instruction.extra
    (Decimal('12.5'), {'metadataX': 1})
    """

    def __init__(self, *, strict: bool = False) -> None:
        self.strict = strict
        self._structurer = Structurer(strict=strict)
        self._functions: dict[Any, Callable[[Any], Any]] = {}
        self._unstructurer: Any = None

    def structure(self, data: Any, cls: type[T]) -> T:
        """Build ``cls`` from parsed JSON by the rules of :mod:`.rules`.

        Lenient mode (the default) drops ``null`` items of arrays, reads ``[]`` as an empty
        mapping and keeps a value of the wrong type in an optional field raw in ``extra``
        (with a warning logged once per model and field); strict mode raises on all of these.
        Either way a missing or ``null`` required field (the object's own ref or id) raises
        :class:`ResponseDecodeError`, and so does a body that is no JSON object of ``cls``.
        """
        function = self._functions.get(cls)
        if function is None:
            if isinstance(cls, type) and attrs.has(cls):
                function = self._structurer.function(cls)
            else:  # a plain type such as tuple[str, ...]: the same rule a field of it has
                function = self._structurer.rules.rule(cls).apply
            self._functions[cls] = function
        try:
            return function(data)  # type: ignore[no-any-return]
        except Mismatch as exc:  # the body itself is not an object of cls
            raise ResponseDecodeError(f"{cls.__name__}: {exc}"[:500]) from None

    def decode(self, body: bytes | str, cls: type[T]) -> T:
        """Parse a JSON body and build ``cls``: :func:`loads`, then :meth:`structure`.

        With msgspec (``imburse[speed]``) and in lenient mode, the body is first parsed
        straight into a mirror of ``cls`` (see :class:`~imburse._core.structure.Mirror`);
        msgspec refuses a body whose keys it cannot map, which then takes :func:`loads` and
        :meth:`structure`. Either way the same rules convert every value.

        A body that is not JSON raises the ``ValueError`` of :func:`loads`
        (``UnicodeDecodeError``, ``RecursionError`` too); JSON of the wrong shape raises
        :class:`ResponseDecodeError`.
        """
        if not _parser:
            _pick_parser()
        if _fast_loads is not None:
            mirror = self._structurer.mirror(cls)
            if mirror is not None:
                try:
                    parsed = mirror.decode(body)
                except mirror.refused:
                    pass  # msgspec could not map it (see Mirror): parsed again just below
                else:
                    return mirror.copy(parsed)  # type: ignore[no-any-return]
        return self.structure(loads(body), cls)

    def mirror(self, cls: type[Any]) -> Mirror | None:
        """The msgspec mirror :meth:`decode` tries first for ``cls`` (None: it has none)."""
        return self._structurer.mirror(cls)

    def unstructure(self, obj: Any) -> Any:
        """Turn a request model into a JSON-ready value with camelCase keys, unset omitted."""
        if self._unstructurer is None:
            self._unstructurer = _make_unstructurer()
        return self._unstructurer.unstructure(obj)


def _make_unstructurer() -> Any:
    import cattrs  # here, not at import: ``import imburse`` stays light
    from cattrs.gen import make_dict_unstructure_fn, override

    c = cattrs.Converter(detailed_validation=False)
    c.register_unstructure_hook(Decimal, decimal_text)
    c.register_unstructure_hook(date, date.isoformat)

    def factory(cls: type[Any]) -> Callable[[Any], Any]:
        fields = attrs.fields(cls)
        overrides: dict[str, Any] = {
            f.name: override(rename=wire_name(f)) for f in fields if f.name not in LOCAL_FIELDS
        }
        overrides.update({f.name: override(omit=True) for f in fields if f.name in LOCAL_FIELDS})
        generated = make_dict_unstructure_fn(cls, c, **overrides)

        def unstructure(obj: Any) -> dict[str, Any]:
            # Unset fields stay off the wire: None, and empty sequences such as an order's
            # ``instructions`` (documented clients omit the key; ``[]`` is undocumented).
            return {k: v for k, v in generated(obj).items() if v is not None and v != []}

        return unstructure

    c.register_unstructure_hook_factory(attrs.has, factory)
    return c


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
    try:
        return to_decimal(value)
    except Mismatch as exc:
        raise ValueError(str(exc)) from None
