"""The decoding shortcuts give exactly what the plain path gives.

``loads`` tries msgspec first, and ``decode`` a msgspec mirror of the model; both are checked
here against the json module and the model's dict function (``structure``) on ordinary, odd
and broken bodies.
"""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from imburse import ResponseDecodeError
from imburse._core import converter
from imburse._core.converter import WireConverter, get_converter, loads
from imburse._core.models.orders import Instruction, Order

ORDER: dict[str, Any] = {
    "orderRef": "ORD-1",
    "metadata": {"policy": "P-9"},
    "customerDefaults": {
        "CUS-1": {"scheme": {"schemeId": "S1", "source": "CUSTOMER", "canUpdate": True}}
    },
    "instructions": [
        {
            "_links": {"self": {"href": "/v1/x"}},
            "instructionRef": "INS-1",
            "created": 1732485600123,
            "lastUpdated": 1732485600,
            "direction": "DEBIT",
            "status": "SETTLED",
            "customerRef": "CUS-1",
            "amount": Decimal("1250.10"),
            "currency": "GBP",
            "country": "GB",
            "settledByDate": "2024-12-01",
            "actualSettlementDate": "2024-11-28T10:00:00Z",
            "executionTimestamp": None,
            "financialInstrument": {"financialInstrumentId": None, "source": "NONE"},
            "metadata": {"n": "1"},
            "transaction": {
                "transactionId": "TX-1",
                "amount": Decimal("1250.10"),
                "netAmount": 1238,
                "status": "SUCCESS",
                "createdTimestamp": "2024-11-28T10:00:00.5+01:00",
                "additionalInformation": {"rate": Decimal("0.5")},
                "refunds": [{"refundId": "R-1", "createdTimestamp": 1732485600}],
            },
        }
    ],
}


def variant(path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    body = copy.deepcopy(ORDER)
    target: Any = body
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return body


INS = ("instructions", 0)
VARIANTS = {
    "ordinary": ORDER,
    "unknown field kept": variant(("newField",), {"x": 1}),
    "unknown nested field": variant((*INS, "riskScore"), Decimal("0.7")),
    "key in other case": variant((*INS, "Scheme"), {"schemeId": "S2"}),
    "unknown enum value": variant((*INS, "status"), "ON_HOLD"),
    "amount as string": variant((*INS, "amount"), "200.00"),
    "amount as int": variant((*INS, "amount"), 200),
    "epoch seconds as string": variant((*INS, "created"), "1732485600"),
    "huge epoch": variant((*INS, "created"), 10**30),
    "null metadata": variant(("metadata",), None),
    "metadata with a number": variant(("metadata",), {"n": 1}),
    "instructions not a list": variant(("instructions",), "nope"),
    "instruction not an object": variant(("instructions",), [1]),
    "bool as string": variant((*INS, "financialInstrument", "canUpdate"), "true"),
    "bad date": variant((*INS, "settledByDate"), "2024-13-45"),
    "date as number": variant((*INS, "settledByDate"), 20241201),
    "amount not finite": variant((*INS, "amount"), "NaN"),
    "links list": variant((*INS, "_links"), []),
    "order is a list": [ORDER],
}


def regular(data: Any, cls: type[Any], strict: bool) -> Any:
    """The dict function on the parsed body (or the error it raises)."""
    try:
        return get_converter(strict).structure(copy.deepcopy(data), cls)
    except ResponseDecodeError as exc:
        return exc


def shortcut(data: Any, cls: type[Any], strict: bool) -> Any:
    """``decode`` of the body's bytes: msgspec, its mirror where it takes the body."""
    body = msgspec.json.Encoder(decimal_format="number").encode(data)
    try:
        return WireConverter(strict=strict).decode(body, cls)
    except ResponseDecodeError as exc:
        return exc


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("name", list(VARIANTS))
def test_shortcut_matches_the_regular_path(name: str, strict: bool) -> None:
    data = VARIANTS[name]
    expected = regular(data, Order, strict)
    got = shortcut(data, Order, strict)
    if isinstance(expected, ResponseDecodeError):
        assert isinstance(got, ResponseDecodeError), got
    else:
        assert got == expected
        assert repr(got) == repr(expected)
        assert got.extra == expected.extra
        for mine, theirs in zip(got.instructions, expected.instructions, strict=True):
            assert mine.extra == theirs.extra
            assert type(mine.status) is type(theirs.status)


def test_order_models_get_a_mirror() -> None:
    conv = get_converter()
    assert conv.mirror(Order) is not None
    assert conv.mirror(Instruction) is not None


def test_shortcut_does_not_touch_its_input() -> None:
    data = variant(("newField",), 1)
    before = copy.deepcopy(data)
    get_converter().structure(data, Order)
    assert data == before


BODIES = [
    b'{"a": 1.50, "b": [1e400, -0.0, 1.0E+2], "c": 123456789012345678901234567890}',
    b'{"a": 1, "a": 2}',
    b'{"a": "\\ud800"}',
    b"[NaN]",
    b"\xef\xbb\xbf{}",
    b' {"x": "caf\xc3\xa9"} ',
    b'{"a": ',
    b"\xff",
    json.dumps({"deep": [[[[[[1.25]]]]]]}).encode(),
]


@pytest.mark.parametrize("body", BODIES)
def test_loads_matches_the_json_module(body: bytes) -> None:
    def outcome(parse: Any) -> Any:
        try:
            return ("ok", parse(body))
        except Exception as exc:
            return ("error", type(exc))

    expected = outcome(lambda b: json.loads(b, parse_float=Decimal))
    got = outcome(loads)
    assert repr(got) == repr(expected)


def test_money_is_never_a_float() -> None:
    data = loads(b'{"amount": 0.1, "net": 12345678901234567.89}')
    assert data == {"amount": Decimal("0.1"), "net": Decimal("12345678901234567.89")}
    assert str(data["net"]) == "12345678901234567.89"


def test_stdlib_json_switch() -> None:
    parser = converter.json_parser()
    with converter.stdlib_json():
        assert converter.json_parser() == "json"
        assert loads(b'{"a": 1.5}') == {"a": Decimal("1.5")}
    assert converter.json_parser() == parser
