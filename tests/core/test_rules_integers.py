"""Integer fields read from text: ASCII digits only, bounded, never a crash of the decoder.

Before this test ``"²"`` (and ``"+-5"``) passed the check ``str.isdigit()`` and then made
``int()`` raise a ``ValueError``, which the decoder reported as "response is not valid JSON"
even in lenient mode (found by the lenient-decoding property test on the paged envelopes); and
an integral ``Decimal("1e100000")`` became a 100,001-digit int.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from imburse._core.converter import get_converter
from imburse._core.models.creditor_profiles import CreditorProfilePage
from imburse._core.rules import Mismatch, to_int


@pytest.mark.parametrize("text", ["²", "+-5", "\uff11\uff12", "1_000", "", "12345678901234567890"])
def test_odd_integer_text_is_a_mismatch(text: str) -> None:
    with pytest.raises(Mismatch):
        to_int(text)


@pytest.mark.parametrize(("value", "expected"), [("3", 3), (" -7 ", -7), (Decimal("5.0"), 5)])
def test_integer_text_and_integral_numbers_are_read(value: object, expected: int) -> None:
    assert to_int(value) == expected


def test_a_huge_integral_number_is_a_mismatch_not_a_huge_int() -> None:
    with pytest.raises(Mismatch):
        to_int(Decimal("1e100000"))


def test_a_page_with_odd_integer_text_still_decodes_in_lenient_mode() -> None:
    page = get_converter(False).decode(
        b'{"results": [], "currentPage": "\\u00b2"}', CreditorProfilePage
    )
    assert page.extra == {"currentPage": "²"}
