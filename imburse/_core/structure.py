"""Generated structure functions: the one place the SDK writes code at run time.

Decoding an order applies the rules of :mod:`.rules` to some eighty values in a dozen nested
objects. Applied by a generic loop (or by cattrs' dispatch), that costs two to three times
what pydantic v2 spends; the decode target of the SDK is to be no slower. So for each response
model, on first use, this module writes one straight-line Python function from the model's
fields (:func:`.rules.fields_of`) and their :class:`.rules.Rule`, compiles it once and keeps
it. The function adds no rule of its own: for each field it either keeps a value the rule
returns unchanged (``Rule.exact``, ``Rule.table``), calls the structure function of a nested
model (``Rule.model``, ``Rule.items``), or calls ``Rule.convert``; a :class:`.rules.Mismatch`
from any of them goes to ``extra`` (lenient) or raises (strict, required fields).

Each model gets a dict function (parsed JSON in, model out) and, with msgspec in lenient mode,
a :class:`Mirror` (body bytes in): both are written from the same field code, so they differ
only in how they find a key's value, and tests compare them on every model.

Filling the object: a frozen attrs class refuses ``obj.field = value``, and attrs'
``__init__`` sets each field through ``object.__setattr__``, a call per field that costs more
than decoding the field. For a slots class whose ``__init__`` only sets its fields,
:func:`_filler` makes a twin subclass with plain attribute setting and no layout of its own;
the generated function fills an instance of the twin, then gives it the model's class
(``obj.__class__ = cls``, allowed because both layouts are the same). The result is exactly
what ``cls(...)`` would have built; a probe checks that once per class, and any class the
interpreter would not switch (or whose ``__init__`` does more) is built through ``__init__``.
Measured on the benchmark order with msgspec: 0.9x pydantic's time with the twins, 1.65x
through ``__init__``; cattrs' generated functions alone took 3.5x.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs

from .rules import (
    Field,
    Mismatch,
    Rule,
    Rules,
    as_object,
    fields_of,
    keep_raw,
    refuse,
    refuse_absent,
    split_unknown,
)

__all__ = ["Mirror", "Structurer"]


class Structurer:
    """The structure functions of one mode (lenient or strict), written on first use.

    >>> from imburse._core.models.orders import Link
    >>> Structurer(strict=False).function(Link)({"href": "/x", "rel": 1}).extra
    {'rel': 1}
    """

    def __init__(self, *, strict: bool) -> None:
        self.strict = strict
        self.rules = Rules(strict=strict, structure_of=self.function)
        self._functions: dict[type, Callable[[Any], Any]] = {}
        self._names: dict[type, str] = {}
        self._namespace: dict[str, Any] = {
            "_dict": dict,
            "_list": list,
            "_str": str,
            "_tuple": tuple,
            "_new": object.__new__,
            "_Mismatch": Mismatch,
            "_as_object": as_object,
            "_split": split_unknown,
            "_keep": keep_raw,
            "_refuse": refuse,
            "_absent": refuse_absent,
        }
        self._lock = threading.RLock()
        # Mirrors (lenient mode with msgspec): see Mirror.
        self._learned: dict[type, dict[str, None]] = {}
        self._generation = 0
        self._mirrors: dict[type, tuple[int, Mirror | None]] = {}
        self._mirror_names = 0

    def function(self, cls: type) -> Callable[[Any], Any]:
        """``data -> cls``: raises :class:`.rules.Mismatch` when ``data`` is no object of
        ``cls`` at all, :class:`~imburse.ResponseDecodeError` for a required field."""
        function = self._functions.get(cls)
        if function is not None:
            return function
        with self._lock:
            if cls not in self._functions:
                self._build(cls)
            return self._functions[cls]

    def _build(self, cls: type) -> None:
        # One batch: cls and every model it refers to that has no function yet.
        sources: list[str] = []
        pending = [cls]
        new: list[type] = []
        while pending:
            model = pending.pop()
            if model in self._functions or model in new:
                continue
            self._name(model, pending)
            new.append(model)
            sources.append(self._source(model, pending))
        code = compile("\n\n".join(sources), f"<imburse structure {cls.__name__}>", "exec")
        exec(code, self._namespace)  # noqa: S102 - our own generated source (see module doc)
        for model in new:
            self._functions[model] = self._namespace[self._names[model]]

    def _learner(self, cls: type) -> Callable[[list[str]], None] | None:
        if self.strict:
            return None  # strict mode raises on unknown keys: nothing to learn

        known = {f.key.lower() for f in fields_of(cls) if f.key}

        def learn(keys: list[str]) -> None:
            with self._lock:
                learned = self._learned.setdefault(cls, {})
                for key in keys:
                    # A key in another case stays with the dict path (it is read as a field
                    # there); so do odd keys (msgspec names no '"', '\\' or control
                    # characters: one such key learned would make every later mirror fail to
                    # build) and anything past the cap (a body of random keys).
                    if (
                        isinstance(key, str)
                        and 0 < len(key) <= 64
                        and key.isascii()
                        and key.isprintable()
                        and '"' not in key
                        and "\\" not in key
                        and key not in learned
                        and key.lower() not in known
                        and len(learned) < _LEARNED_KEYS
                    ):
                        learned[key] = None
                        self._generation += 1

        return learn

    def mirror(self, cls: type) -> Mirror | None:
        """The msgspec mirror of ``cls`` (lenient mode, msgspec installed), else None."""
        got = self._mirrors.get(cls)
        if got is not None and got[0] == self._generation:
            return got[1]
        with self._lock:
            try:
                import msgspec
            except ImportError:
                mirror = None
            else:
                mirror = None if self.strict else self._build_mirror(cls, msgspec)
            self._mirrors[cls] = (self._generation, mirror)
            return mirror

    def _build_mirror(self, cls: type, msgspec: Any) -> Mirror | None:
        if not (isinstance(cls, type) and _mirrorable(cls)):
            return None
        self.function(cls)  # the dict functions the copy functions call for some fields
        self._mirror_names += 1
        tag = self._mirror_names
        structs: dict[type, Any] = {}
        sources: list[str] = []
        absent = self._namespace.setdefault("_ABSENT", _ABSENT)

        def struct(model: type) -> Any:
            if model in structs:
                return structs[model]
            structs[model] = None  # a model that refers back to itself: not mirrored there
            fields: list[tuple[str, Any, Any]] = []
            rename: dict[str, str] = {}
            copy = f"_copy_{model.__name__}_{tag}"
            lines = [f"def {copy}(m):", "    extra = None"]
            values: dict[str, str] = {}
            for index, field in enumerate(fields_of(model)):
                local = values[field.name] = f"a_{index}"
                if field.name == "extra":
                    continue
                if not field.key:
                    lines.append(f"    {local} = {self._default(field)}")
                    continue
                rule = self.rules.rule(field.annotation)
                attr = f"f{index}"
                rename[attr] = field.key
                typed = _typed(rule)
                if typed is not None:
                    # msgspec checks the type: a value of another one refuses the body,
                    # which then takes the dict function (the rule's conversion).
                    fields.append((attr, typed | None, None))
                    lines += self._typed_field(model, field, local, f"m.{attr}")
                    continue
                tp, expression = self._mirrored(rule, struct)
                fields.append((attr, tp, None))  # missing and null alike: None
                lines += self._field(model, field, local, f"m.{attr}", expression)
            for index, key in enumerate(self._learned.get(model, ())):
                attr = f"x{index}"
                rename[attr] = key
                fields.append((attr, Any, absent))
                lines += [
                    f"    if m.{attr} is not _ABSENT:",
                    "        if extra is None: extra = {}",
                    f"        extra[{key!r}] = m.{attr}",
                ]
            if "extra" in values:
                default = next(f for f in fields_of(model) if f.name == "extra")
                lines.append(
                    f"    {values['extra']} = extra if extra else {self._default(default)}"
                )
            lines += self._construct(model, values)
            sources.append("\n".join(lines))
            made = msgspec.defstruct(
                f"Mirror{model.__name__}",
                fields,
                rename=rename,
                forbid_unknown_fields=True,
                gc=False,  # lives for one decode; JSON holds no cycles
                module=__name__,
            )
            structs[model] = (made, copy)
            return structs[model]

        root, copy = struct(cls)
        code = compile("\n\n".join(sources), f"<imburse mirror {cls.__name__}>", "exec")
        exec(code, self._namespace)  # noqa: S102 - our own generated source (see module doc)
        decode = msgspec.json.Decoder(root, float_hook=Decimal).decode
        return Mirror(decode=decode, copy=self._namespace[copy], refused=msgspec.DecodeError)

    def _mirrored(self, rule: Rule, struct: Callable[[type], Any]) -> tuple[Any, str]:
        """``(mirror field type, expression)``: the value as msgspec gives it, converted."""
        pending: list[type] = []
        if rule.model is not None and _mirrorable(rule.model):
            got = struct(rule.model)
            if got is not None:
                return got[0] | None, f"{got[1]}(v)"
        if rule.items is not None and _mirrorable(rule.items):
            got = struct(rule.items)
            if got is not None:
                item = got[1]
                expression = f"(_tuple([{item}(e) for e in v if e is not None]) if v else ())"
                return tuple[got[0] | None, ...] | None, expression  # type: ignore[valid-type]
        expression = self._expression(rule, pending)
        assert not pending, pending  # every model's dict function exists (self.function above)
        return Any, expression

    def _name(self, model: type, pending: list[type]) -> str:
        """The function name of ``model``; a model seen the first time joins ``pending``."""
        name = self._names.get(model)
        if name is None:
            name = self._names[model] = f"_structure_{model.__name__}_{len(self._names)}"
            pending.append(model)
        return name

    def _ref(self, value: Any, hint: str) -> str:
        name = f"_{hint}_{len(self._namespace)}"
        self._namespace[name] = value
        return name

    def _source(self, cls: type, pending: list[type]) -> str:
        name = cls.__name__
        fields = fields_of(cls)
        wire = [f for f in fields if f.key]
        known = self._ref(frozenset(f.key for f in wire), "known")
        lower = self._ref({f.key.lower(): f.key for f in wire}, "lower")
        lines = [f"def {self._name(cls, pending)}(data):"]
        prepare = getattr(cls, "_wire_prepare", None)
        if prepare is not None:
            lines.append(f"    data = {self._ref(prepare, 'prepare')}(data)")
        lines += [
            "    if type(data) is not _dict:",
            f"        data = _as_object(data, {name!r})",
            "    extra = None",
            f"    if not {known}.issuperset(data):",
            f"        data, extra = _split(data, {known}, {lower}, {name!r}, {self.strict}, "
            f"{self._ref(self._learner(cls), 'learn')})",
            "    get = data.get",
        ]
        values: dict[str, str] = {}
        for field in fields:
            local = values[field.name] = f"a_{len(values)}"
            if field.name == "extra":
                continue  # set last: every field may still add to it
            if not field.key:
                lines.append(f"    {local} = {self._default(field)}")
            else:
                rule = self.rules.rule(field.annotation)
                expression = self._expression(rule, pending)
                lines += self._field(cls, field, local, f"get({field.key!r})", expression)
        for field in fields:
            if field.name == "extra":
                lines.append(f"    {values['extra']} = extra if extra else {self._default(field)}")
        lines += self._construct(cls, values)
        return "\n".join(lines)

    def _default(self, field: Field) -> str:
        default = field.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            return "{}" if default.factory is dict else f"{self._ref(default.factory, 'factory')}()"
        if default is None or default == ():
            return repr(default)
        return self._ref(default, "default")

    def _typed_field(self, cls: type, field: Field, local: str, read: str) -> list[str]:
        """Lines setting ``local`` from ``read``, a value msgspec already checked is of the
        type the rule returns unchanged (or a fresh dict, as it returns a copy) or ``None``."""
        lines = [f"    {local} = {read}"]
        if field.required:
            lines.append(f"    if {local} is None: _absent({cls.__name__!r}, {field.key!r})")
        elif field.default is not None:
            lines.append(f"    if {local} is None: {local} = {self._default(field)}")
        return lines

    def _field(self, cls: type, field: Field, local: str, read: str, expression: str) -> list[str]:
        """Lines setting ``local`` from the JSON value ``read`` by the field's rule."""
        name, key = cls.__name__, field.key
        lines = [f"    v = {read}"]
        if field.required:
            lines.append(f"    if v is None: _absent({name!r}, {key!r})")
        else:
            lines.append(f"    if v is None: {local} = {self._default(field)}")
        lines += [
            "    else:",
            "        try:",
            f"            {local} = {expression}",
            "        except _Mismatch as e:",
        ]
        if field.required or self.strict:
            lines.append(f"            _refuse({name!r}, {key!r}, e, {self.strict})")
        else:
            lines.append(f"            {local} = {self._default(field)}")
            lines.append(f"            extra = _keep(extra, {name!r}, {key!r}, v, e)")
        return lines

    def _expression(self, rule: Rule, pending: list[type]) -> str:
        """An expression applying ``rule`` to the local ``v`` (never ``None`` here)."""
        if rule.any:
            return "v"
        convert = f"{self._ref(rule.convert, 'convert')}(v)"
        if rule.model is not None:
            return f"{self._name(rule.model, pending)}(v)"
        if rule.items is not None and not self.strict:
            item = self._name(rule.items, pending)
            # Most lists are short or empty: no comprehension (a frame, a list) for those.
            return (
                f"((_tuple([{item}(e) for e in v if e is not None]) if v else ()) "
                f"if type(v) is _list else {convert})"
            )
        if rule.exact is not None:
            return f"(v if type(v) is {self._ref(rule.exact, 'type')} else {convert})"
        if rule.table is not None:
            table = self._ref(rule.table, "table")
            return f"({table}[v] if type(v) is _str and v in {table} else {convert})"
        return convert

    def _construct(self, cls: type, values: dict[str, str]) -> list[str]:
        cls_ref = self._ref(cls, "cls")
        filler = _filler(cls)
        if filler is not None:
            lines = [f"    obj = _new({self._ref(filler, 'filler')})"]
            lines += [f"    obj.{field} = {local}" for field, local in values.items()]
            lines.append(f"    obj.__class__ = {cls_ref}")
            lines.append("    return obj")
            return lines
        fields = {f.name: f for f in attrs.fields(cls)}
        args = ", ".join(f"{fields[n].alias}={local}" for n, local in values.items())
        return [f"    return {cls_ref}({args})"]


_LEARNED_KEYS = 32  # unknown keys a model's mirror learns at most
_ABSENT = type("Absent", (), {"__repr__": lambda self: "<absent>"})()


@attrs.frozen
class Mirror:
    """``copy(decode(body))`` is the model; ``decode`` raises ``refused`` for what it cannot map.

    ``decode`` is msgspec decoding the body straight into "mirror" structs of the model: one
    ``msgspec.Struct`` per model, its fields renamed to the wire keys, holding the plain JSON
    value of each key (numbers as ``Decimal``, as :func:`~imburse._core.converter.loads` gives
    them), except that nested models are nested mirrors. msgspec only maps keys to slots here:
    every value is converted by ``copy``, which is generated with the very field code of the
    dict functions above (the same rule, the same ``extra`` and warnings). A key the mirror
    does not know makes msgspec refuse the body; the converter then decodes it through the
    dict function, which tells the mirror the key (``learn``), and the next mirror built takes
    it into ``extra`` itself: a field Imburse adds costs one slow decode per process, not one
    per call. A key in another case, a nested value of another shape and JSON that msgspec
    refuses (NaN) always go the dict way.
    """

    decode: Callable[[bytes | str], Any]
    copy: Callable[[Any], Any]
    refused: type[Exception]


# Types whose JSON form msgspec checks exactly as ``type(value) is X`` does on the value the
# standard parser gives: a JSON string, a JSON integer (never a boolean), a JSON boolean.
_MSGSPEC_EXACT = (str, int, bool)


def _typed(rule: Rule) -> Any:
    """The type a mirror field may declare (``None`` allowed too) for ``rule``, or None.

    ``X`` when the rule returns values of exactly that type unchanged; ``dict[str, X]`` when
    it returns a copy of an object whose values all are. msgspec then refuses any other
    value, and the body takes the dict function: the rule still decides it.
    """
    if rule.table is not None or rule.model is not None or rule.items is not None or rule.any:
        return None
    if rule.exact in _MSGSPEC_EXACT:
        return rule.exact
    if rule.values in _MSGSPEC_EXACT:
        return dict[str, rule.values]  # type: ignore[name-defined]
    return None


def _mirrorable(cls: type) -> bool:
    # A model that reshapes its input first (``_wire_prepare``) needs the plain JSON value.
    return attrs.has(cls) and getattr(cls, "_wire_prepare", None) is None


def _plain(cls: type) -> bool:
    """True when setting the fields is all ``cls.__init__`` does, and only slots hold them.

    That excludes validators, converters, ``__attrs_pre_init__`` / ``__attrs_post_init__``,
    ``init=False`` fields, factories taking ``self`` and slots other than the fields.
    """
    if hasattr(cls, "__attrs_post_init__") or hasattr(cls, "__attrs_pre_init__"):
        return False
    fields = attrs.fields(cls)
    for field in fields:
        if field.validator is not None or field.converter is not None or not field.init:
            return False
        if isinstance(field.default, attrs.Factory) and field.default.takes_self:  # type: ignore[arg-type]
            return False
    if "__slots__" not in cls.__dict__:
        return False
    slots = {
        name
        for klass in cls.__mro__
        for name in getattr(klass, "__dict__", {}).get("__slots__", ())
        if name not in ("__weakref__", "__dict__")
    }
    return slots == {f.name for f in fields}


def _filler(cls: type) -> type | None:
    """A setter-less twin of the slots class ``cls`` (see the module docstring), or None."""
    if cls in _FILLERS:
        return _FILLERS[cls]
    filler: type | None = None
    if _plain(cls):
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
        names = [field.name for field in attrs.fields(cls)]
        for name in names:
            setattr(probe, name, name)
        try:
            probe.__class__ = cls
        except TypeError:  # an interpreter that refuses the switch: build through __init__
            pass
        else:
            if type(probe) is cls and all(getattr(probe, name) == name for name in names):
                filler = twin
    _FILLERS[cls] = filler
    return filler


# cls -> its filler twin (or None): one twin per model for the process, shared by both modes.
_FILLERS: dict[type, type | None] = {}
