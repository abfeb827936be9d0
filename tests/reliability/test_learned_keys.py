"""One odd key in one answer must not break the decoding of every later answer.

With ``imburse[speed]`` the decoder's msgspec mirror of a model learns the unknown keys it
meets. Before this test, a key holding a ``"`` or a ``\\`` (which msgspec refuses as a field
name) was learned too, and from then on every mirror of that model failed to build: each
later, ordinary answer raised ``ResponseDecodeError: response is not valid JSON`` for the rest
of the process. (Found by a random-key fuzz; the test failed before the fix.)
"""

from __future__ import annotations

import json

import pytest

from imburse._core.converter import get_converter
from imburse._core.models.orders import Order

pytest.importorskip("msgspec")

ORDINARY = json.dumps(
    {
        "orderRef": "ORD-1",
        "instructions": [
            {"instructionRef": "I-1", "amount": "12.50", "direction": "DEBIT", "currency": "GBP"}
        ],
    }
).encode()


@pytest.mark.parametrize("key", ['quote"d', "back\\slash", 'both\\"', "ctl\x01"])
def test_an_odd_key_is_kept_and_later_answers_still_decode(key: str) -> None:
    converter = get_converter(False)
    odd = converter.decode(json.dumps({"orderRef": "ORD-0", key: 1}).encode(), Order)
    assert odd.extra == {key: 1}
    for _ in range(3):
        order = converter.decode(ORDINARY, Order)
        assert order.order_ref == "ORD-1"
        assert order.instructions[0].instruction_ref == "I-1"
