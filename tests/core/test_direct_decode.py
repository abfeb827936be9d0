"""Decoding a body straight into a model (msgspec mirrors) gives what the regular path gives.

``WireConverter.decode`` first tries ``fastpath.build_decoder``: msgspec decodes the body into
a mirror of the model and generated code copies it into the frozen model. It must either give
exactly the model the regular path (``loads`` + cattrs) gives, the same types included, or
raise so that the regular path answers. Checked on every response model with the hand-written
sample bodies of the test suite, with generated bodies that are mostly right and sometimes
wrong, and with the json module alone (no msgspec).
"""

from __future__ import annotations

import copy
import importlib
import json
import pickle
import sys
import types
import typing
import weakref
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import attrs
import msgspec
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from benchmarks.payloads import ORDER_BODY as BENCH_ORDER_BODY
from imburse import Instruction, Order, ResponseDecodeError
from imburse._core import converter as converter_module, fastpath
from imburse._core.converter import WireConverter, get_converter, stdlib_json, wire_name
from imburse._core.decode import decode_response
from imburse._core.models.customers import FinancialInstrumentDetails
from imburse._core.models.orders import Link, Transaction
from imburse._core.operations import ALL_OPERATIONS, GET_INSTRUCTION, GET_ORDER
from tests.property.strategies import json_values, shaped

from .test_converter import INSTRUCTION_BODY, ORDER_BODY

_LOCAL = frozenset({"extra", "correlation_id"})


def _models() -> list[type[Any]]:
    """Every response model of the operation table, and every model nested in one."""
    seen: dict[type[Any], None] = {}

    def visit(tp: Any) -> None:
        if attrs.has(tp) and isinstance(tp, type):
            if tp in seen:
                return
            seen[tp] = None
            hints = typing.get_type_hints(tp, include_extras=True)
            for field in attrs.fields(tp):
                visit(hints.get(field.name, Any))
        for arg in typing.get_args(tp):
            visit(arg)

    for operation in ALL_OPERATIONS:
        for model in (operation.response or {}).values():
            visit(model)
    visit(Order)
    return list(seen)


MODELS = _models()


def _samples() -> dict[str, bytes]:
    """The JSON bodies written out by hand in the decode tests."""
    found: dict[str, bytes] = {"benchmark order": BENCH_ORDER_BODY}
    for name in (
        "tests.api.test_apps_decode",
        "tests.api.test_customers_decode",
        "tests.api.test_rewards_catalog_decode",
        "tests.api.test_schemes_decode",
        "tests.api.test_webhooks_decode",
        "tests.api.test_account_operations",
        "tests.api.test_tenants_operations",
        "tests.core.test_converter",
    ):
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if isinstance(value, bytes) and attr.isupper():
                try:
                    json.loads(value)
                except ValueError:
                    continue
                found[f"{name.rsplit('.', 1)[1]}.{attr}"] = value
    return found


SAMPLES = _samples()


def regular(body: bytes, model: type[Any], strict: bool) -> Any:
    """What the regular path gives: json module + cattrs (no shortcut), or the error type."""
    try:
        data = json.loads(body, parse_float=Decimal)
    except ValueError:
        return ValueError
    try:
        return get_converter(strict)._c.structure(data, model)
    except Exception as exc:
        return type(exc)


def direct(body: bytes, model: type[Any], strict: bool) -> Any:
    """What the msgspec mirror gives, or None when it steps aside."""
    decode = fastpath.build_decoder(get_converter(strict), model)
    assert decode is not None, model
    try:
        return decode(body)
    except Exception:
        return None


def _walk(value: Any, path: str = "$") -> Iterator[tuple[str, Any]]:
    """``(path, leaf)`` for every value inside a model, models and containers included."""
    yield path, value
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from _walk(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from _walk(item, f"{path}[{key!r}]")
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")


def assert_identical(got: Any, expected: Any) -> None:
    """Equal, with the same repr and the same type at every level (extra included)."""
    assert got == expected
    assert repr(got) == repr(expected)
    mine, theirs = list(_walk(got)), list(_walk(expected))
    assert [p for p, _ in mine] == [p for p, _ in theirs]
    for (path, a), (_, b) in zip(mine, theirs, strict=True):
        assert type(a) is type(b), path
        if not attrs.has(type(a)):
            assert a == b, path
            assert repr(a) == repr(b), path


def test_every_model_without_a_wire_prepare_gets_a_mirror() -> None:
    conv = get_converter(False)
    plain = [m for m in MODELS if not hasattr(m, "_wire_prepare") and fastpath._plain(m)]
    assert Order in plain
    assert Instruction in plain
    for model in plain:
        assert fastpath.build_decoder(conv, model) is not None, model


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize("sample", list(SAMPLES))
def test_sample_bodies_decode_alike_into_every_model(sample: str, strict: bool) -> None:
    body = SAMPLES[sample]
    for model in MODELS:
        if fastpath.build_decoder(get_converter(strict), model) is None:
            continue
        got = direct(body, model, strict)
        if got is not None:
            expected = regular(body, model, strict)
            assert not isinstance(expected, type), (model, expected)
            assert_identical(got, expected)


@pytest.mark.parametrize(
    ("body", "model"),
    [
        (INSTRUCTION_BODY, Instruction),
        (ORDER_BODY, Order),
        (BENCH_ORDER_BODY, Order),
    ],
)
@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_documented_shapes_take_the_direct_path(body: bytes, model: type, strict: bool) -> None:
    got = direct(body, model, strict)
    assert got is not None
    assert_identical(got, regular(body, model, strict))


# --- bodies the mirror must refuse (the regular path answers) ----------------------------------

ODD: dict[str, tuple[dict[str, Any], bool]] = {
    # change to the benchmark's first instruction -> does the mirror still take it?
    "unknown field": ({"riskScore": 0.7}, False),
    "key in another case": ({"Scheme": {"schemeId": "S2"}}, False),
    "unknown enum value": ({"status": "ON_HOLD"}, False),
    "amount NaN text": ({"amount": "NaN"}, False),
    "amount Infinity text": ({"amount": "-Infinity"}, False),
    "amount as bool": ({"amount": True}, False),
    "customerRef as number": ({"customerRef": 5}, False),
    "date with a time": ({"settledByDate": "2024-12-01T10:00:00Z"}, False),
    "date in basic format": ({"settledByDate": "20241201"}, False),
    "bool as string": ({"financialInstrument": {"canUpdate": "true"}}, False),
    "metadata null": ({"metadata": None}, False),
    "metadata number value": ({"metadata": {"n": 1}}, False),
    "links as list": ({"_links": []}, False),
    "refunds as string": ({"transaction": {"refunds": "abc"}}, False),
    # ... and those it takes, converted as the regular path converts them
    "amount as text": ({"amount": " 200.00 "}, True),
    "amount as integer": ({"amount": 200}, True),
    "amount with exponent": ({"amount": Decimal("1.5E+3")}, True),
    "amount huge": ({"amount": Decimal("123456789012345678901234567890.123")}, True),
    "epoch seconds": ({"created": 1732485600}, True),
    "epoch milliseconds negative": ({"created": -1732485600123}, True),
    "epoch as text": ({"created": "1732485600123"}, True),
    "iso time with offset": ({"created": "2024-11-28T10:00:00.5+01:00"}, True),
    "iso time without zone": ({"created": "2024-11-28T10:00:00"}, True),
    "epoch out of range": ({"created": 10**16}, False),
    "additional information": ({"transaction": {"additionalInformation": {"x": [1.25]}}}, True),
    "duplicate key": ({}, True),
}


def _odd_body(name: str) -> bytes:
    changes, _ = ODD[name]
    order = json.loads(BENCH_ORDER_BODY, parse_float=Decimal)
    order["instructions"][0].update(copy.deepcopy(changes))
    encoded = msgspec.json.Encoder(decimal_format="number").encode(order)
    if name == "duplicate key":
        encoded = encoded.replace(b'"orderRef":', b'"orderRef":"first","orderRef":', 1)
    return encoded


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize("name", list(ODD))
def test_odd_bodies_are_taken_alike_or_left_to_the_regular_path(name: str, strict: bool) -> None:
    body = _odd_body(name)
    got = direct(body, Order, strict)
    assert (got is not None) is ODD[name][1]
    expected = regular(body, Order, strict)
    if got is not None:
        assert_identical(got, expected)
    outcome: Any
    try:
        outcome = decode_response(GET_ORDER, 200, {}, body, strict=strict)
    except ResponseDecodeError:
        outcome = ResponseDecodeError
    if isinstance(expected, type):
        assert outcome is ResponseDecodeError
    else:
        assert_identical(outcome, expected)


# --- generated bodies --------------------------------------------------------------------------


def valid(tp: Any, depth: int = 0) -> st.SearchStrategy[Any]:
    """JSON values the model takes (and, now and then, values it refuses)."""
    wrong = shaped(tp, depth + 3)
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if depth > 5:
        return json_values
    if origin is typing.Annotated and isinstance(args[1], type) and issubclass(args[1], StrEnum):
        return st.sampled_from([e.value for e in args[1]]) | st.sampled_from(["NEW_VALUE"])
    if origin in (typing.Union, types.UnionType):
        return st.one_of(*(valid(a, depth) for a in args))
    if tp is type(None):
        return st.none()
    if origin is tuple:
        return st.lists(valid(args[0], depth + 1), max_size=3) | wrong
    if origin in (dict, Mapping, typing.Mapping):
        return st.dictionaries(st.text(max_size=5), valid(args[1], depth + 1), max_size=3)
    if attrs.has(tp):
        hints = typing.get_type_hints(tp, include_extras=True)
        keys = {
            wire_name(f): valid(hints[f.name], depth + 1)
            for f in attrs.fields(tp)
            if f.name not in _LOCAL
        }
        rare = st.dictionaries(st.sampled_from(["newField", "Metadata"]), json_values, max_size=1)
        return st.builds(
            lambda known, extra, odd: {**extra, **known} if odd else known,
            st.fixed_dictionaries({}, optional=keys),
            rare,
            st.integers(0, 9).map(lambda n: n == 0),
        )
    if tp is Decimal:
        return (
            st.integers()
            | st.decimals(allow_nan=False, allow_infinity=False)
            | st.decimals(allow_nan=False, allow_infinity=False).map(str)
            | st.sampled_from(["NaN", " 1.50 ", "1_000"])
        )
    if tp is datetime:
        return (
            st.integers(min_value=-(10**13), max_value=10**13)
            | st.integers()
            | st.datetimes(timezones=st.none() | st.just(UTC)).map(datetime.isoformat)
            | st.sampled_from(["1732485600", "2024-11-28T10:00:00Z"])
        )
    if tp is date:
        return st.dates().map(date.isoformat) | st.sampled_from(["2024-11-28T10:00:00Z"])
    if tp is bool:
        return st.booleans() | st.sampled_from(["true", 1])
    if tp is int:
        return st.integers() | st.sampled_from([1.0, "2"])
    if tp is str:
        return st.text(max_size=8) | st.sampled_from([5, Decimal("1.5")])
    return json_values


_ENCODE = msgspec.json.Encoder(decimal_format="number").encode
_DIRECT_MODELS = [m for m in MODELS if fastpath.build_decoder(get_converter(False), m)]
_BODIES = {model: valid(model) for model in _DIRECT_MODELS}


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(_DIRECT_MODELS), st.data(), st.booleans())
def test_generated_bodies_decode_alike(model: type, data: st.DataObject, strict: bool) -> None:
    body = _ENCODE(data.draw(_BODIES[model], label="body"))
    got = direct(body, model, strict)
    expected = regular(body, model, strict)
    if got is not None:
        assert not isinstance(expected, type), expected
        assert_identical(got, expected)
    conv = get_converter(strict)
    try:
        outcome: Any = conv.decode(body, model)
    except ResponseDecodeError:
        outcome = ResponseDecodeError
    if isinstance(expected, type):
        assert outcome is ResponseDecodeError
    else:
        assert_identical(outcome, expected)


# --- the models it builds ------------------------------------------------------------------


def test_models_built_directly_are_ordinary_frozen_instances() -> None:
    order = direct(BENCH_ORDER_BODY, Order, False)
    assert type(order) is Order
    instruction = order.instructions[0]
    assert type(instruction) is Instruction
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        instruction.amount = Decimal("1")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        del instruction.amount
    assert weakref.ref(order)() is order
    assert pickle.loads(pickle.dumps(order)) == order  # noqa: S301 - our own bytes
    assert attrs.evolve(instruction, currency="EUR").currency == "EUR"
    assert type(instruction.amount) is Decimal
    assert str(instruction.amount) == "1250.75"
    assert instruction.created == datetime(2024, 11, 24, 22, 0, 0, 123000, tzinfo=UTC)
    assert instruction.extra == {}
    assert instruction.extra is not order.instructions[1].extra
    assert order.extra is not order.instructions[0].extra


def test_without_the_twin_classes_the_slot_descriptors_give_the_same_models(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(fastpath, "_filler", lambda cls: None)
    for strict in (False, True):
        conv = WireConverter(strict=strict)
        decode = fastpath.build_decoder(conv, Order)
        assert decode is not None
        assert_identical(decode(BENCH_ORDER_BODY), regular(BENCH_ORDER_BODY, Order, strict))
        assert_identical(
            conv.structure(json.loads(ORDER_BODY, parse_float=Decimal), Order),
            regular(ORDER_BODY, Order, strict),
        )


def test_a_twin_is_made_once_per_class_and_only_for_plain_slots_models() -> None:
    assert fastpath._filler(Link) is fastpath._filler(Link)
    twin = fastpath._filler(Transaction)
    assert twin is not None
    assert issubclass(twin, Transaction)
    assert twin.__slots__ == ()
    # Validators / converters: built through attrs' own __init__, never a twin.
    assert fastpath._plain(FinancialInstrumentDetails) == ""


# --- without msgspec ---------------------------------------------------------------------------


def test_stdlib_json_switch_turns_the_direct_path_off() -> None:
    conv = WireConverter()
    with stdlib_json():
        got = conv.decode(BENCH_ORDER_BODY, Order)
    assert conv._direct == {}
    assert_identical(got, regular(BENCH_ORDER_BODY, Order, False))
    assert_identical(conv.decode(BENCH_ORDER_BODY, Order), got)
    assert conv._direct[Order] is not False


def test_without_msgspec_there_is_no_mirror_and_decoding_still_works(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "msgspec", None)  # ``import msgspec`` now fails
    monkeypatch.setattr(converter_module, "_parser", "")
    monkeypatch.setattr(converter_module, "_fast_loads", None)
    assert converter_module.json_parser() == "json"
    conv = WireConverter()
    assert fastpath.build_decoder(conv, Order) is None
    for body, model in ((BENCH_ORDER_BODY, Order), (INSTRUCTION_BODY, Instruction)):
        assert_identical(conv.decode(body, model), regular(body, model, False))
    with pytest.raises(ValueError, match="Expecting value"):
        conv.decode(b'{"orderRef": ', Order)
    with pytest.raises(ResponseDecodeError):
        conv.decode(b"[]", Order)


@pytest.mark.parametrize(
    "body", [b'{"a": ', b"\xff", b"[NaN]", b"\xef\xbb\xbf{}", b'{"orderRef": NaN}', b"[]"]
)
def test_odd_and_broken_bodies_give_the_same_outcome_with_either_parser(body: bytes) -> None:
    def outcome() -> str:
        try:
            return repr(decode_response(GET_INSTRUCTION, 200, {}, body))
        except ResponseDecodeError as err:
            return f"error: {err}"

    fast = outcome()
    with stdlib_json():
        assert outcome() == fast
