"""Decoding through a msgspec mirror gives exactly what the dict path gives.

With msgspec installed, ``WireConverter.decode`` (lenient mode) first decodes the body into a
mirror of the model (``structure.Mirror``: msgspec maps keys to slots, the generated copy
function converts every value by the rules); a body whose keys it cannot map is refused and
decoded by ``loads`` and the model's dict function. Both are generated from the same field
code, so they must agree to the type of every value, ``extra`` included. Checked on every
hand-written sample body of the test suite, on odd bodies and on what a mirror learns.
"""

from __future__ import annotations

import ast
import copy
import importlib
import json
import pickle
import sys
import weakref
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import msgspec
import pytest

from benchmarks.payloads import ORDER_BODY as BENCH_ORDER_BODY
from imburse import Instruction, Order, ResponseDecodeError
from imburse._core import converter as converter_module
from imburse._core.converter import WireConverter, get_converter, stdlib_json
from imburse._core.decode import decode_response
from imburse._core.operations import GET_INSTRUCTION, GET_ORDER
from tests.property.test_decode_properties import MODELS, assert_identical

from .test_converter import INSTRUCTION_BODY, ORDER_BODY


def _samples() -> dict[str, bytes]:
    """The JSON bodies written out by hand in the decode tests."""
    found: dict[str, bytes] = {"benchmark order": BENCH_ORDER_BODY}
    for name in (
        "tests.api.test_apps_decode",
        "tests.api.test_customers_decode",
        "tests.api.test_rewards_catalog_decode",
        "tests.api.test_schemes_decode",
        "tests.api.test_published_samples",
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


def regular(body: bytes, model: type[Any], strict: bool = False) -> Any:
    """The dict path with the json module (no mirror), or the error type it raises."""
    try:
        with stdlib_json():
            return WireConverter(strict=strict).decode(body, model)
    except (ResponseDecodeError, ValueError) as exc:
        return type(exc)


def direct(conv: WireConverter, body: bytes, model: type[Any]) -> Any:
    """What the mirror gives, or None when msgspec refuses the body."""
    mirror = conv.mirror(model)
    assert mirror is not None, model
    try:
        parsed = mirror.decode(body)
    except mirror.refused:
        return None
    try:
        return mirror.copy(parsed)
    except ResponseDecodeError:
        return ResponseDecodeError


def test_every_response_model_has_a_mirror_in_lenient_mode_only() -> None:
    for model in MODELS:
        assert get_converter(strict=True).mirror(model) is None
        mirrored = get_converter().mirror(model) is not None
        assert mirrored is (getattr(model, "_wire_prepare", None) is None), model


@pytest.mark.parametrize("sample", list(SAMPLES))
def test_sample_bodies_decode_alike_into_every_model(sample: str) -> None:
    body = SAMPLES[sample]
    conv = WireConverter()
    for model in MODELS:
        if conv.mirror(model) is None:
            continue
        got = direct(conv, body, model)
        if got is not None:
            expected = regular(body, model)
            if isinstance(got, type):
                assert got is expected, (model, expected)
            else:
                assert_identical(got, expected)


@pytest.mark.parametrize(
    ("body", "model"),
    [(INSTRUCTION_BODY, Instruction), (ORDER_BODY, Order), (BENCH_ORDER_BODY, Order)],
)
def test_documented_shapes_take_the_mirror(body: bytes, model: type) -> None:
    got = direct(WireConverter(), body, model)
    assert got is not None
    assert_identical(got, regular(body, model))


# --- odd bodies: taken alike, or refused and then learned -----------------------------------

ODD: dict[str, tuple[dict[str, Any], str]] = {
    # change to the benchmark's first instruction -> "taken", "learned" (taken from the second
    # decode on) or "refused" (always the dict path). Text, integer, boolean and text-mapping
    # fields are typed in the mirror (msgspec checks them, the copy does nothing more), so a
    # value of another type there is refused: the dict path converts it by the same rule.
    "unknown field": ({"riskScore": Decimal("0.7")}, "learned"),
    "unknown nested field": ({"scheme": {"schemeId": "S", "schemeName": "x"}}, "learned"),
    "key in another case": ({"Scheme": {"schemeId": "S2"}}, "refused"),
    "unknown enum value": ({"status": "ON_HOLD"}, "taken"),
    "amount NaN text": ({"transaction": {"amount": "NaN"}}, "taken"),
    "amount as bool": ({"transaction": {"amount": True}}, "taken"),
    "customerRef as number": ({"customerRef": 5}, "refused"),
    "date with a time": ({"settledByDate": "2024-12-01T10:00:00Z"}, "taken"),
    "bool as string": ({"financialInstrument": {"canUpdate": "true"}}, "refused"),
    "metadata null": ({"metadata": None}, "taken"),
    "metadata empty array": ({"metadata": []}, "refused"),
    "metadata number value": ({"metadata": {"n": 1}}, "refused"),
    "links as list": ({"_links": []}, "refused"),
    "refunds with a null": ({"transaction": {"transactionId": "T", "refunds": [None]}}, "taken"),
    "refunds as string": ({"transaction": {"refunds": "abc"}}, "refused"),
    "amount as text": ({"amount": " 200.00 "}, "taken"),
    "epoch as text": ({"created": "1732485600123"}, "taken"),
    "epoch out of range": ({"created": 10**16}, "taken"),
    "duplicate key": ({}, "taken"),
}


def _odd_body(name: str) -> bytes:
    changes, _ = ODD[name]
    order = json.loads(BENCH_ORDER_BODY, parse_float=Decimal)
    order["instructions"][0].update(copy.deepcopy(changes))
    encoded = msgspec.json.Encoder(decimal_format="number").encode(order)
    if name == "duplicate key":
        encoded = encoded.replace(b'"orderRef":', b'"orderRef":"first","orderRef":', 1)
    return encoded


@pytest.mark.parametrize("name", list(ODD))
def test_odd_bodies_decode_alike_and_new_keys_are_learned(name: str) -> None:
    """Issue 17 item 4: a body with a field the SDK does not know stays on the fast path.

    Old code: such a body left the msgspec path on every call (the mirror forbade it).
    """
    body, conv = _odd_body(name), WireConverter()
    first = direct(conv, body, Order)
    assert (first is None) is (ODD[name][1] != "taken")
    outcome = conv.decode(body, Order)  # the dict path learns the new keys
    expected = regular(body, Order)
    assert_identical(outcome, expected)
    second = direct(conv, body, Order)
    assert (second is None) is (ODD[name][1] == "refused")
    for got in (first, second):
        if got is not None:
            assert_identical(got, expected)
    assert_identical(decode_response(GET_ORDER, 200, {}, body), expected)


def test_a_mirror_learns_a_bounded_number_of_keys() -> None:
    conv = WireConverter()
    many = {f"k{i}": i for i in range(100)}
    body = json.dumps({"orderRef": "O", **many}).encode()
    for _ in range(3):
        assert conv.decode(body, Order).extra == many
    assert direct(conv, body, Order) is None  # 100 new keys: past the cap, the dict path
    assert direct(conv, json.dumps({"orderRef": "O", "k1": 1}).encode(), Order) is not None


def test_a_required_field_fails_alike_on_both_paths() -> None:
    for body in (b"{}", b'{"orderRef": null}', b'{"orderRef": true, "x": 1}', b'{"orderRef": []}'):
        conv = WireConverter()
        with pytest.raises(ResponseDecodeError, match="orderRef"):
            conv.decode(body, Order)
        with pytest.raises(ResponseDecodeError, match="orderRef"):
            conv.decode(body, Order)
        with stdlib_json(), pytest.raises(ResponseDecodeError, match="orderRef"):
            conv.decode(body, Order)


# --- the models it builds ------------------------------------------------------------------


def test_models_built_by_the_generated_code_are_ordinary_frozen_instances() -> None:
    order = direct(WireConverter(), BENCH_ORDER_BODY, Order)
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
    rebuilt = attrs.evolve(order)  # through attrs' own __init__
    assert_identical(rebuilt, order)


# --- without msgspec ---------------------------------------------------------------------------


def test_without_msgspec_there_is_no_mirror_and_decoding_still_works(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "msgspec", None)  # ``import msgspec`` now fails
    monkeypatch.setattr(converter_module, "_parser", "")
    monkeypatch.setattr(converter_module, "_fast_loads", None)
    assert converter_module.json_parser() == "json"
    conv = WireConverter()
    assert conv.mirror(Order) is None
    for body, model in ((BENCH_ORDER_BODY, Order), (INSTRUCTION_BODY, Instruction)):
        assert_identical(conv.decode(body, model), regular(body, model))
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


# --- one set of rules ------------------------------------------------------------------------


def _imports(module: str) -> set[str]:
    """The SDK modules ``imburse/_core/<module>.py`` imports, in functions too."""
    path = Path(__file__).parents[2] / "imburse" / "_core" / f"{module}.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            found.add(node.module or "")
        elif isinstance(node, ast.ImportFrom | ast.Import) and "imburse" in ast.unparse(node):
            found.add(ast.unparse(node))
    return found


def test_the_decode_modules_form_no_cycle() -> None:
    """Issue 17 items 4-5: rules <- structure <- converter, nothing back (imports inside
    functions count). Old code: converter and fastpath imported each other."""
    assert _imports("rules") == {"errors"}
    assert _imports("structure") == {"rules"}
    assert "converter" not in _imports("structure") | _imports("rules")
