"""Generated structure functions for response models: the decoding hot path.

cattrs' generated functions go through its dispatch for every field and build each frozen
model through ``__init__`` (one ``object.__setattr__`` per field). For the models the API
returns, one straight-line function per class does the same work in a fraction of the time:
it reads each wire key once, keeps values that already have the field's type (a ``str`` for a
``str`` field, a finite ``Decimal`` for money, a known enum value), hands anything else to the
very cattrs hook the converter would have used, and, when ``__init__`` would only set the
fields (no validators or converters), sets them with plain attribute stores (see
:func:`_filler`) instead of calling it.

The fast function is a shortcut, never a second set of rules: on any exception the converter
throws its result away and decodes with the regular path, which then raises (or, in the
unlikely case the shortcut was stricter, succeeds) exactly as before.

With msgspec installed (``imburse[speed]``) :func:`build_decoder` goes one step further and
skips the parsed ``dict`` altogether: msgspec decodes the body straight into a "mirror" of the
model (one ``msgspec.Struct`` per attrs class, renamed to the wire keys), checking every
type in C, and a generated function copies the mirror into the frozen model. The mirror only
accepts what the regular path decodes to the same values (see :class:`_Mirror`); anything
else, such as an unknown field or enum value, a key in another case or an amount as ``"NaN"``,
makes msgspec raise, and the converter decodes the body the regular way.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, get_args, get_origin

import attrs

__all__ = ["build_decoder", "build_structure"]

_MISSING = object()
_NoneType = type(None)


def _optional(tp: Any) -> tuple[Any, bool]:
    """``X | None`` -> ``(X, True)``; anything else -> ``(tp, False)``."""
    if get_origin(tp) in (typing.Union, types.UnionType):
        args = [a for a in get_args(tp) if a is not _NoneType]
        if len(args) == 1 and len(get_args(tp)) == 2:
            return args[0], True
    return tp, False


class _Builder:
    """Writes the source of one structure function per class, recursively."""

    def __init__(self, converter: Any) -> None:
        self.converter = converter
        self.cattrs = converter._c
        self.namespace: dict[str, Any] = {
            "_MISSING": _MISSING,
            "_Decimal": Decimal,
            "_dict": dict,
            "_tuple": tuple,
            "_map": map,
            "_str": str,
            "_bool": bool,
            "_int": int,
            "_list": list,
            "_new": object.__new__,
            "_setattr": object.__setattr__,
            "_float": float,
            "_fromts": datetime.fromtimestamp,
            "_fromiso": date.fromisoformat,
            "_UTC": UTC,
        }
        from .converter import _FAST_EPOCH, _MILLIS_THRESHOLD

        self.namespace["_FAST_EPOCH"] = _FAST_EPOCH
        self.namespace["_MILLIS"] = _MILLIS_THRESHOLD
        self.namespace["_raise_missing"] = _raise_missing
        self.namespace["_str_map"] = _str_map
        self.namespace["_not_finite"] = _not_finite
        self.names: dict[type[Any], str] = {}
        self.sources: list[str] = []

    def ref(self, value: Any, hint: str) -> str:
        name = f"_{hint}_{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def hook(self, tp: Any) -> str:
        return self.ref(self.cattrs.get_structure_hook(tp), "hook")

    def value(self, expr: str, tp: Any, declared: Any) -> str:
        """An expression converting ``expr`` (a local name) from JSON to ``tp``."""
        inner, optional = _optional(tp)
        slow = f"{self.hook(declared)}({expr}, {self.ref(declared, 'tp')})"
        if inner is Any:
            return expr
        fast = self._fast_check(expr, inner)
        if fast is None:
            return slow
        check, result = fast
        converted = f"({result} if {check} else {slow})"
        return f"(None if {expr} is None else {converted})" if optional else converted

    def _fast_check(self, expr: str, tp: Any) -> tuple[str, str] | None:
        """``(condition, value)`` for values that already have the field's type."""
        if tp is str:
            return f"type({expr}) is _str", expr
        if tp is bool and self.cattrs.get_structure_hook(bool) is _hooks().get("bool"):
            return f"type({expr}) is _bool", expr
        if tp is int:
            return f"type({expr}) is _int", expr
        own = self.cattrs.get_structure_hook(tp) if isinstance(tp, type) else None
        if tp is Decimal and own is _hooks().get("decimal"):
            return f"type({expr}) is _Decimal and {expr}.is_finite()", expr
        if tp is datetime and own is _hooks().get("datetime"):
            # The integer-epoch branch of converter._to_datetime, inlined.
            return (
                f"type({expr}) is _int and -_FAST_EPOCH < {expr} < _FAST_EPOCH",
                f"_fromts({expr} / 1000 if ({expr} > _MILLIS or {expr} < -_MILLIS) "
                f"else _float({expr}), _UTC)",
            )
        if tp is date and own is _hooks().get("date"):
            return f"type({expr}) is _str", f"_fromiso({expr}[:10])"
        enum = _open_enum(tp)
        if enum is not None:
            members = self.ref(enum._value2member_map_, "members")
            return (
                f"type({expr}) is _str and {expr} in {members}",
                f"{members}[{expr}]",
            )
        if attrs.has(tp) and isinstance(tp, type):
            fn = self.function(tp)
            return f"type({expr}) is _dict", f"{fn}({expr})"
        origin, args = get_origin(tp), get_args(tp)
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            item = self._item(args[0])
            if item is not None:
                # Most lists are empty: no comprehension (a frame, a list) for those.
                return (
                    f"type({expr}) is _list",
                    f"(_tuple([{item} for _e in {expr}]) if {expr} else ())",
                )
        if origin in (dict, Mapping, typing.Mapping) and len(args) == 2 and args[0] is str:
            if args[1] is str:
                return f"type({expr}) is _dict", f"_str_map({expr})"
            item = self._item(args[1], name="_v")
            if item is not None:
                return (
                    f"type({expr}) is _dict and (not {expr} or "
                    f"all(type(_k) is _str for _k in {expr}))",
                    f"({{_k: {item} for _k, _v in {expr}.items()}} if {expr} else {{}})",
                )
        return None

    def _item(self, tp: Any, name: str = "_e") -> str | None:
        """A per-element expression for container items (attrs models only)."""
        if attrs.has(tp) and isinstance(tp, type):
            fn = self.function(tp)
            slow = f"{self.hook(tp)}({name}, {self.ref(tp, 'tp')})"
            return f"({fn}({name}) if type({name}) is _dict else {slow})"
        return None

    def function(self, cls: type[Any]) -> str:
        """The name of ``cls``'s structure function (written on first use)."""
        name = self.names.get(cls)
        if name is not None:
            return name
        name = self.names[cls] = f"_structure_{cls.__name__}_{len(self.names)}"
        try:
            self.sources.append(self._source(cls, name))
        except BaseException:
            del self.names[cls]  # no function under that name: callers must not refer to it
            raise
        return name

    def _source(self, cls: type[Any], name: str) -> str:
        from .converter import _LOCAL_FIELDS, wire_name

        hints = typing.get_type_hints(cls, include_extras=True)
        fields = attrs.fields(cls)
        wire = {f.name: wire_name(f) for f in fields if f.name not in _LOCAL_FIELDS}
        known = self.ref(frozenset(wire.values()), "known")
        by_lower = self.ref({key.lower(): key for key in wire.values()}, "lower")
        prepare = getattr(cls, "_wire_prepare", None)
        lines = [f"def {name}(data):"]
        if prepare is not None:
            lines.append(f"    data = {self.ref(prepare, 'prepare')}(data)")
        lines += [
            "    if type(data) is not _dict:",
            "        raise TypeError('not a JSON object')",
            "    extra = None",
            f"    if not {known}.issuperset(data):",
            "        data = _dict(data)",
            "        extra = {}",
            f"        for key in [k for k in data if k not in {known}]:",
            "            value = data.pop(key)",
            f"            canonical = {by_lower}.get(key.lower()) if type(key) is _str else None",
            "            if canonical is not None and canonical not in data:",
            "                data[canonical] = value",
            "            else:",
            "                extra[key] = value",
            "        if extra and " + ("True" if self.converter.strict else "False") + ":",
            "            raise ValueError('unknown fields (strict mode)')",
            "    get = data.get",
        ]
        values: dict[str, str] = {}
        for field in fields:
            local = f"a_{len(values)}"
            values[field.name] = local
            default = field.default
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                default_expr = f"{self.ref(default.factory, 'factory')}()"
            elif default is attrs.NOTHING:
                default_expr = "_raise_missing()"
            else:
                default_expr = self.ref(default, "default")
            if field.name in _LOCAL_FIELDS:
                if field.name == "extra":
                    lines.append(f"    {local} = extra if extra else {default_expr}")
                else:
                    lines.append(f"    {local} = {default_expr}")
                continue
            tp = hints.get(field.name, Any)
            key = wire[field.name]
            try:
                converted = self.value("v", tp, tp)
            except Exception:
                if field.converter is None:
                    raise
                # No hook for this type (a union such as customers.LenientBool): as cattrs
                # does, the raw JSON value goes to the field's attrs converter.
                converted = "v"
            if default is None and _optional(tp)[1]:
                # Missing and null both give None: one lookup, no sentinel.
                lines.append(f"    v = get({key!r})")
                lines.append(f"    {local} = {converted}")
            else:
                lines.append(f"    v = get({key!r}, _MISSING)")
                lines.append(f"    {local} = {default_expr} if v is _MISSING else {converted}")
        lines += self.construct(cls, values)
        return "\n".join(lines)

    def construct(self, cls: type[Any], values: dict[str, str]) -> list[str]:
        """Lines ending the function: build ``cls`` from ``{field name: local name}``."""
        cls_ref = self.ref(cls, "cls")
        plain = _plain(cls)
        lines: list[str] = []
        filler = _filler(cls) if plain == "slots" else None
        if plain == "dict":
            items = ", ".join(f"{n!r}: {v}" for n, v in values.items())
            lines.append(f"    obj = _new({cls_ref})")
            lines.append(f"    _setattr(obj, '__dict__', {{{items}}})")
        elif filler is not None:
            # Plain attribute stores (CPython's fastest: a specialised slot store) on an
            # instance of the class's setter-less twin, then the instance becomes a ``cls``.
            lines.append(f"    obj = _new({self.ref(filler, 'filler')})")
            lines += [f"    obj.{name} = {local}" for name, local in values.items()]
            lines.append(f"    obj.__class__ = {cls_ref}")
        elif plain == "slots":
            # Each slot's own descriptor, as attrs' __init__ would set it (frozen or not).
            lines.append(f"    obj = _new({cls_ref})")
            for field_name, local in values.items():
                setter = self.ref(getattr(cls, field_name).__set__, "set")
                lines.append(f"    {setter}(obj, {local})")
        else:  # attrs' own __init__ (slots classes: the default for attrs.frozen)
            fields = attrs.fields(cls)
            args = [values[f.name] for f in fields if f.init and not f.kw_only]
            args += [f"{f.alias}={values[f.name]}" for f in fields if f.init and f.kw_only]
            return [f"    return {cls_ref}({', '.join(args)})"]
        lines.append("    return obj")
        return lines


def _filler(cls: type[Any]) -> type[Any] | None:
    """A subclass of the slots class ``cls`` with plain ``object`` attribute setting, or None.

    A frozen attrs class refuses ``obj.field = value``; attrs' ``__init__`` and the fallback
    above go through ``object.__setattr__`` or the slot descriptor instead, a call per field
    that costs more than all the rest of decoding a field. The twin adds nothing to the
    layout (no slots, no ``__dict__``), so an instance filled through it can take ``cls`` as
    its ``__class__``: the object is then exactly what ``cls.__init__`` would have built.
    Both ``__setattr__`` and ``__delattr__`` are ``object``'s so that CPython keeps its
    generic (specialisable) attribute store for the twin. Checked once on a probe instance;
    None (and per-field descriptors) wherever the interpreter refuses.
    """
    if cls in _FILLERS:
        return _FILLERS[cls]
    filler: type[Any] | None = None
    try:
        twin = type(
            f"_Filling{cls.__name__}",
            (cls,),
            {
                "__slots__": (),
                "__setattr__": object.__setattr__,
                "__delattr__": object.__delattr__,
                "__module__": __name__,
            },
        )
        probe: Any = object.__new__(twin)
        for field in attrs.fields(cls):
            setattr(probe, field.name, None)
        probe.__class__ = cls
        if type(probe) is cls and all(
            getattr(probe, field.name) is None for field in attrs.fields(cls)
        ):
            filler = twin
    except Exception:  # noqa: S110 - an interpreter without this layout rule: descriptors
        pass
    _FILLERS[cls] = filler
    return filler


# cls -> its filler twin (or None): one twin per model for the process, shared by converters.
_FILLERS: dict[type[Any], type[Any] | None] = {}


def _str_map(value: dict[Any, Any]) -> dict[str, str]:
    """A copy of a JSON object of strings; anything else is left to the regular path."""
    for key, item in value.items():
        if type(key) is not str or type(item) is not str:
            raise TypeError("not a mapping of strings")
    return dict(value)


def _hooks() -> dict[str, Any]:
    """The converter's own hooks that the generated code may inline."""
    from . import converter

    return {
        "decimal": converter._to_decimal,
        "datetime": converter._to_datetime,
        "date": converter._to_date,
        "bool": converter._to_bool,
    }


def _raise_missing() -> Any:
    raise KeyError("a required field is missing")


def _not_finite() -> Any:
    raise ValueError("amount is not finite")


def _open_enum(tp: Any) -> Any:
    from .converter import _open_enum as open_enum

    return open_enum(tp)


def _plain(cls: type[Any]) -> str:
    """``"dict"`` / ``"slots"`` when setting the fields is all ``__init__`` would do, else ``""``.

    That excludes validators, converters, ``__attrs_pre_init__`` / ``__attrs_post_init__``,
    ``init=False`` fields, factories taking ``self`` and slots other than the fields (a cached
    hash, for instance).
    """
    if hasattr(cls, "__attrs_post_init__") or hasattr(cls, "__attrs_pre_init__"):
        return ""
    fields = attrs.fields(cls)
    for field in fields:
        if field.validator is not None or field.converter is not None or not field.init:
            return ""
        if isinstance(field.default, attrs.Factory) and field.default.takes_self:  # type: ignore[arg-type]
            return ""
    if "__slots__" not in cls.__dict__:
        return "dict"
    slots = {
        name
        for klass in cls.__mro__
        for name in getattr(klass, "__dict__", {}).get("__slots__", ())
        if name not in ("__weakref__", "__dict__")
    }
    names = {f.name for f in fields}
    if slots != names:
        return ""
    if any(type(getattr(cls, name, None)).__name__ != "member_descriptor" for name in names):
        return ""
    return "slots"


def build_structure(converter: Any, cls: type[Any]) -> Callable[[Any], Any] | None:
    """A fast structure function for the attrs class ``cls``, or ``None`` if it has none."""
    if not (attrs.has(cls) and isinstance(cls, type)):
        return None
    builder = _Builder(converter)
    try:
        name = builder.function(cls)
        source = "\n\n".join(builder.sources)
        code = compile(source, f"<imburse fast structure {cls.__name__}>", "exec")
        exec(code, builder.namespace)  # noqa: S102 - our own generated source, like cattrs
    except Exception:  # an unusual model: the regular path handles it
        return None
    function: Callable[[Any], Any] = builder.namespace[name]
    return function


# A conversion from a mirror's value (an expression, evaluated once) to the model's, or None
# when the value is already the model's.
_Convert = Callable[[str], str] | None


class _Mirror:
    """msgspec mirrors of attrs models, and the functions copying a mirror into its model.

    A field is mirrored (given a msgspec type) only when msgspec accepts no JSON value that
    the regular path would decode differently:

    * ``str``, ``int``, ``bool``, ``date``, ``Any``: msgspec takes only the JSON type itself
      (no ``"5"`` for an int, no ``1`` for a bool, only ``YYYY-MM-DD`` for a date) and gives the
      value the regular path gives for it; the coercions of the regular path are left to it.
    * ``Decimal``: msgspec builds it from the number's text, as ``parse_float=Decimal`` does,
      and from numeric strings as ``Decimal(text)`` does; only the finiteness check (a
      ``"NaN"`` string) is left to the generated code.
    * open enums (``Annotated[str, SomeEnum]``): msgspec gives the member of a known value and
      rejects an unknown one, which lenient and strict mode treat differently.
    * attrs models that ``_plain`` can fill slot by slot and that have no ``_wire_prepare``:
      a Struct with the wire keys and ``forbid_unknown_fields``, so extras and keys in another
      case go to the regular path; ``tuple[X, ...]``, ``Mapping[str, X]`` and ``X | None`` of
      mirrored types.

    Every other field (timestamps, which may be epoch seconds, milliseconds or ISO text;
    unions; models with ``_wire_prepare``) is decoded by msgspec as plain JSON, numbers as
    ``Decimal``, exactly as :func:`~imburse._core.converter.loads` would, and converted by the
    same expression as :func:`build_structure`'s functions.
    """

    def __init__(self, builder: _Builder, msgspec: Any) -> None:
        self.b = builder
        self.msgspec = msgspec
        # cls -> (mirror struct, name of its copy function); None: not mirrored (or, while a
        # class is being written, a reference to itself, which is then not mirrored either).
        self.structs: dict[type[Any], tuple[Any, str] | None] = {}
        self.names = 0

    def field(self, tp: Any) -> tuple[Any, _Convert] | None:
        """``(mirror type, conversion)`` for a field of type ``tp``, or None."""
        inner, optional = _optional(tp)
        got = self._field(inner)
        if got is None or not optional:
            return got
        mirror, convert = got
        if convert is None:
            return typing.Optional[mirror], None  # noqa: UP045 - a runtime type, of any kind
        return typing.Optional[mirror], lambda x: f"(None if {x} is None else {convert(x)})"  # noqa: UP045

    def _field(self, tp: Any) -> tuple[Any, _Convert] | None:
        hooks = _hooks()
        enum = _open_enum(tp)
        if enum is not None:
            if all(type(value) is str for value in enum._value2member_map_):
                return enum, None
            return None
        if tp is Any or tp is str or tp is int:
            return tp, None
        own = self.b.cattrs.get_structure_hook(tp) if isinstance(tp, type) else None
        if tp is bool and own is hooks["bool"]:
            return bool, None
        if tp is date and own is hooks["date"]:
            return date, None
        if tp is Decimal and own is hooks["decimal"]:
            return Decimal, lambda x: f"({x} if {x}.is_finite() else _not_finite())"
        if attrs.has(tp) and isinstance(tp, type):
            got = self.struct(tp)
            if got is None:
                return None
            struct, function = got
            return struct, lambda x: f"{function}({x})"
        origin, args = get_origin(tp), get_args(tp)
        if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
            item = self.field(args[0])
            if item is None:
                return None
            mirror, convert = item
            if convert is None:
                return tuple[mirror, ...], None  # type: ignore[valid-type]
            # msgspec gives the empty tuple itself for [] (most lists): kept as it is.
            name = self._local()
            copier = self._function(args[0])
            if copier is not None:
                return tuple[mirror, ...], lambda x: f"({x} and _tuple(_map({copier}, {x})))"  # type: ignore[valid-type]
            return tuple[mirror, ...], (  # type: ignore[valid-type]
                lambda x: f"({x} and _tuple([{convert(name)} for {name} in {x}]))"
            )
        if origin in (dict, Mapping, typing.Mapping) and len(args) == 2 and args[0] is str:
            item = self.field(args[1])
            if item is None:
                return None
            mirror, convert = item
            if convert is None:
                return dict[str, mirror], None  # type: ignore[valid-type]
            key, name = self._local(), self._local()
            return dict[str, mirror], (  # type: ignore[valid-type]
                lambda x: f"({x} and {{{key}: {convert(name)} for {key}, {name} in {x}.items()}})"
            )
        return None

    def _function(self, tp: Any) -> str | None:
        """The copy function of a mirrored model ``tp`` (not optional), else None."""
        got = self.struct(tp) if attrs.has(tp) and isinstance(tp, type) else None
        return None if got is None else got[1]

    def _local(self) -> str:
        self.names += 1
        return f"_x{self.names}"

    def struct(self, cls: type[Any]) -> tuple[Any, str] | None:
        """The mirror of ``cls`` and the name of its copy function (written on first use)."""
        if cls in self.structs:
            return self.structs[cls]
        self.structs[cls] = None
        if getattr(cls, "_wire_prepare", None) is not None or _plain(cls) != "slots":
            return None
        try:
            got = self._struct(cls)
        except Exception:  # an unusual model (msgspec refused the mirror): not mirrored
            return None
        self.structs[cls] = got
        return got

    def _struct(self, cls: type[Any]) -> tuple[Any, str]:
        from .converter import _LOCAL_FIELDS, wire_name

        b = self.b
        hints = typing.get_type_hints(cls, include_extras=True)
        name = f"_copy_{cls.__name__}_{len(self.structs)}"
        fields: list[tuple[str, Any] | tuple[str, Any, Any]] = []
        rename: dict[str, str] = {}
        lines = [f"def {name}(m):"]
        values: dict[str, str] = {}
        for field in attrs.fields(cls):
            default = field.default
            mirror_default: Any
            if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
                factory = default.factory
                default_expr = "{}" if factory is dict else f"{b.ref(factory, 'factory')}()"
                mirror_default = self.msgspec.field(default_factory=factory)
            elif default is attrs.NOTHING:
                default_expr, mirror_default = "_raise_missing()", attrs.NOTHING
            else:
                default_expr, mirror_default = b.ref(default, "default"), default
            if field.name in _LOCAL_FIELDS:
                values[field.name] = default_expr
                continue
            tp = hints.get(field.name, Any)
            rename[field.name] = wire_name(field)
            got = self.field(tp)
            local = f"a_{len(values)}"
            if got is not None:
                mirror, convert = got
                if convert is None:
                    values[field.name] = f"m.{field.name}"
                else:
                    lines.append(f"    {local} = m.{field.name}")
                    values[field.name] = convert(local)
            else:
                # Plain JSON, converted as build_structure's functions convert it.
                mirror = Any
                lines.append(f"    {local} = m.{field.name}")
                value = b.value(local, tp, tp)
                if default is None and _optional(tp)[1]:
                    pass  # a missing key and null both give None
                elif default is not attrs.NOTHING:
                    mirror_default = _MISSING
                    value = f"{default_expr} if {local} is _MISSING else {value}"
                values[field.name] = value
            if mirror_default is attrs.NOTHING:
                fields.append((field.name, mirror))
            else:
                fields.append((field.name, mirror, mirror_default))
        lines += b.construct(cls, values)
        struct = self.msgspec.defstruct(
            f"Mirror{cls.__name__}",
            fields,
            rename=rename,
            forbid_unknown_fields=True,
            # Only ever filled from JSON, by key: a required field may follow optional ones
            # (a page subclass re-declares ``results`` after the base's counters).
            kw_only=True,
            # Mirrors live for one decode and hold no cycles: no GC tracking.
            gc=False,
            module=__name__,
        )
        b.sources.append("\n".join(lines))
        return struct, name


def build_decoder(converter: Any, cls: type[Any]) -> Callable[[bytes | str], Any] | None:
    """``body -> model`` through a msgspec mirror of ``cls``, or ``None`` without msgspec.

    The function raises on any body the mirror does not take (see :class:`_Mirror`); the
    converter then parses and structures the body the regular way.
    """
    try:
        import msgspec
    except ImportError:
        return None
    if not (attrs.has(cls) and isinstance(cls, type)):
        return None
    builder = _Builder(converter)
    try:
        got = _Mirror(builder, msgspec).struct(cls)
        if got is None:
            return None
        struct, name = got
        source = "\n\n".join(builder.sources)
        code = compile(source, f"<imburse mirror copy {cls.__name__}>", "exec")
        exec(code, builder.namespace)  # noqa: S102 - our own generated source, like cattrs
        # Numbers in the plain-JSON parts become Decimal from their text, as in loads().
        decode = msgspec.json.Decoder(struct, float_hook=Decimal).decode
    except Exception:  # an unusual model: the regular path handles it
        return None
    copy: Callable[[Any], Any] = builder.namespace[name]

    def decode_model(body: bytes | str) -> Any:
        return copy(decode(body))

    return decode_model
