"""Client-side checks (imburse-api.md §5.13, §6): bad input fails before any request, naming the field."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st

from imburse import CustomerDefaultInput, InstructionInput, OrderInput, ValidationError
from imburse._core.validation import (
    check_amount,
    check_correlation_id,
    check_country,
    check_currency,
    check_date,
    check_extra_headers,
    check_metadata,
    check_ref,
    minor_unit,
    shown,
)

# The documented shape of orderRef / instructionRef / customerRef (OA; T-MT).
DOCUMENTED_REF = re.compile(r"[a-zA-Z0-9\-_.]{1,50}")  # used with fullmatch


def instruction_args(**overrides: Any) -> dict[str, Any]:
    return {
        "instruction_ref": "INS-1",
        "customer_ref": "CUS-1",
        "direction": "DEBIT",
        "amount": "200.00",
        "currency": "GBP",
        "country": "GB",
        **overrides,
    }


# --- refs -----------------------------------------------------------------------------------


@pytest.mark.parametrize("ref", ["A", "ORD-1", "a.b_c-D9", "x" * 50, "...", ".a", "-_-"])
def test_valid_refs_pass_unchanged(ref: str) -> None:
    assert check_ref("order_ref", ref) == ref


@pytest.mark.parametrize(
    ("ref", "problem"),
    [
        ("", "1-50"),
        ("x" * 51, "1-50"),
        ("has space", "letters, digits"),
        ("slash/ref", "letters, digits"),
        ("colon:ref", "letters, digits"),
        ("ünïcode", "letters, digits"),
        ("tab\tref", "letters, digits"),
        ("trailing-newline\n", "letters, digits"),
        ("\uff21\uff22\uff23", "letters, digits"),  # full-width letters are not [A-Za-z]
        ("١٢٣", "letters, digits"),  # Arabic-Indic digits are not [0-9]
    ],
)
def test_invalid_refs_name_the_field(ref: str, problem: str) -> None:
    with pytest.raises(ValidationError) as info:
        check_ref("order_ref", ref)
    assert info.value.field == "order_ref"
    assert problem in info.value.problem


@pytest.mark.parametrize("ref", [None, 123, b"ORD-1", ["ORD-1"], 1.5])
def test_non_string_refs_are_refused(ref: Any) -> None:
    with pytest.raises(ValidationError, match="must be a string") as info:
        check_ref("instruction_ref", ref)
    assert info.value.field == "instruction_ref"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60) | st.text(alphabet="abcXYZ019-_.", min_size=0, max_size=60))
def test_any_string_passes_exactly_when_it_matches_the_documented_pattern(ref: str) -> None:
    if DOCUMENTED_REF.fullmatch(ref) and ref not in (".", ".."):
        assert check_ref("customer_ref", ref) == ref
        assert 1 <= len(ref) <= 50
    else:
        with pytest.raises(ValidationError) as info:
            check_ref("customer_ref", ref)
        assert info.value.field == "customer_ref"


@settings(max_examples=100, deadline=None)
@given(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.decimals()
    | st.binary()
    | st.lists(st.text(max_size=5), max_size=3)
    | st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3)
)
def test_any_non_string_is_a_validation_error(value: Any) -> None:
    with pytest.raises(ValidationError):
        check_ref("order_ref", value)


# --- metadata -------------------------------------------------------------------------------


def test_metadata_at_the_limits_passes() -> None:
    metadata = {f"k{i:02d}" + "x" * 37: "v" * 500 for i in range(50)}
    assert all(len(k) == 40 for k in metadata)
    assert check_metadata("metadata", metadata) == metadata
    assert check_metadata("metadata", None) is None
    assert check_metadata("metadata", {}) == {}


def test_metadata_is_copied() -> None:
    source = {"a": "b"}
    result = check_metadata("metadata", source)
    source["c"] = "d"
    assert result == {"a": "b"}


@pytest.mark.parametrize(
    ("metadata", "field", "problem"),
    [
        ({f"k{i}": "v" for i in range(51)}, "metadata", "51 keys"),
        ({"k" * 41: "v"}, "metadata['" + "k" * 41 + "']", "longer than 40"),
        ({"note": "v" * 501}, "metadata['note']", "longer than 500"),
        ({"count": 3}, "metadata['count']", "must be a string"),
        ({"flag": None}, "metadata['flag']", "must be a string"),
        ({"": "v"}, "metadata", "non-empty"),
        ({3: "v"}, "metadata", "non-empty strings"),
        (["a", "b"], "metadata", "mapping"),
        ("a=b", "metadata", "mapping"),
    ],
    ids=[
        "51-keys",
        "41-char-key",
        "501-char-value",
        "int-value",
        "none-value",
        "empty-key",
        "int-key",
        "list",
        "str",
    ],
)
def test_metadata_limits_name_the_offending_key(metadata: Any, field: str, problem: str) -> None:
    with pytest.raises(ValidationError) as info:
        check_metadata("metadata", metadata)
    assert info.value.field == field
    assert problem in info.value.problem


# --- currency, country, date ------------------------------------------------------------------


@pytest.mark.parametrize("code", ["GBP", "EUR", "USD", "ZAR"])
def test_currency_shape_passes(code: str) -> None:
    assert check_currency("currency", code) == code


@pytest.mark.parametrize("code", ["gbp", "GB", "GBPP", "G1P", "", None, 826, " GBP"])
def test_bad_currency_shape_is_refused(code: Any) -> None:
    with pytest.raises(ValidationError) as info:
        check_currency("currency", code)
    assert info.value.field == "currency"


@pytest.mark.parametrize("code", ["GB", "IE", "US"])
def test_country_shape_passes(code: str) -> None:
    assert check_country("country", code) == code


@pytest.mark.parametrize("code", ["gb", "GBR", "G", "", None, 44, "G1"])
def test_bad_country_shape_is_refused(code: Any) -> None:
    with pytest.raises(ValidationError) as info:
        check_country("country", code)
    assert info.value.field == "country"


def test_dates() -> None:
    assert check_date("settled_by_date", "2024-05-31") == date(2024, 5, 31)
    assert check_date("settled_by_date", date(2024, 5, 31)) == date(2024, 5, 31)
    assert check_date("settled_by_date", None) is None
    for bad in ("31/05/2024", "2024-02-30", 20240531, datetime(2024, 5, 31, 12, 0)):
        with pytest.raises(ValidationError) as info:
            check_date("settled_by_date", bad)
        assert info.value.field == "settled_by_date"


# --- amount ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Without a currency (a body with no single one): up to 4 decimals, kept as given.
        (Decimal("200.00"), "200.00"),
        ("200.00", "200.00"),
        (200, "200"),
        ("0.01", "0.01"),
        ("0.0001", "0.0001"),
        (Decimal("12345678901234.5678"), "12345678901234.5678"),  # 18 digits
    ],
)
def test_amounts_accepted_as_exact_decimals(value: Any, expected: str) -> None:
    amount = check_amount("amount", value)
    assert type(amount) is Decimal
    assert str(amount) == expected


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (200.0, "never a float"),
        (0.1, "never a float"),
        (True, "not bool"),
        (False, "not bool"),
        (0, "positive"),
        ("0.00", "positive"),
        (-1, "positive"),
        (Decimal("-0.01"), "positive"),
        ("abc", "plain decimal digits"),
        ("", "plain decimal digits"),
        (None, "not NoneType"),
        ([200], "not list"),
        ("NaN", "plain decimal digits"),
        (Decimal("NaN"), "positive"),
        (Decimal("sNaN"), "positive"),
        ("Infinity", "plain decimal digits"),
        (Decimal("Infinity"), "positive"),
    ],
)
def test_bad_amounts_are_refused(value: Any, problem: str) -> None:
    with pytest.raises(ValidationError) as info:
        check_amount("amount", value)
    assert info.value.field == "amount"
    assert problem in info.value.problem


# --- InstructionInput / OrderInput --------------------------------------------------------------


def test_instruction_input_normalises_values() -> None:
    ins = InstructionInput(**instruction_args(settled_by_date="2024-05-31", amount=15))
    assert ins.amount == Decimal(15)
    assert ins.settled_by_date == date(2024, 5, 31)
    assert ins.direction == "DEBIT"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"instruction_ref": "bad ref"}, "instruction_ref"),
        ({"customer_ref": ""}, "customer_ref"),
        ({"direction": "debit"}, "direction"),
        ({"direction": "REFUND"}, "direction"),
        ({"amount": 1.5}, "amount"),
        ({"currency": "gbp"}, "currency"),
        ({"country": "GBR"}, "country"),
        ({"scheme_id": ""}, "scheme_id"),
        ({"financial_instrument_id": 7}, "financial_instrument_id"),
        ({"settled_by_date": "tomorrow"}, "settled_by_date"),
        ({"metadata": {"k": 1}}, "metadata['k']"),
    ],
)
def test_instruction_input_names_the_bad_field(overrides: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        InstructionInput(**instruction_args(**overrides))
    assert info.value.field == field


def test_order_input_names_the_instruction_index_and_field() -> None:
    with pytest.raises(ValidationError) as info:
        OrderInput(
            order_ref="ORD-1",
            instructions=[
                instruction_args(),
                instruction_args(instruction_ref="INS-2", amount=0.5),
            ],
        )
    assert info.value.field == "instructions[1].amount"
    assert str(info.value).startswith("instructions[1].amount: ")


def test_order_input_names_a_missing_instruction_argument() -> None:
    args = instruction_args()
    del args["currency"]
    with pytest.raises(ValidationError) as info:
        OrderInput(order_ref="ORD-1", instructions=[args])
    assert info.value.field == "instructions[0]"
    assert "currency" in info.value.problem


@pytest.mark.parametrize(
    "instructions",
    [5, "INS-1", b"INS-1", {"instruction_ref": "INS-1"}],
    ids=["int", "str", "bytes", "mapping"],
)
def test_order_input_refuses_instructions_that_are_not_a_sequence(instructions: Any) -> None:
    with pytest.raises(ValidationError) as info:
        OrderInput(order_ref="ORD-1", instructions=instructions)
    assert info.value.field == "instructions"


def test_order_input_refuses_an_instruction_of_the_wrong_type() -> None:
    with pytest.raises(ValidationError) as info:
        OrderInput(order_ref="ORD-1", instructions=[instruction_args(), 42])
    assert info.value.field == "instructions[1]"


def test_duplicate_instruction_refs_in_one_order_are_refused() -> None:
    with pytest.raises(ValidationError, match="INS-1") as info:
        OrderInput(
            order_ref="ORD-1",
            instructions=[
                instruction_args(),
                instruction_args(instruction_ref="INS-2"),
                instruction_args(customer_ref="CUS-9"),
            ],
        )
    assert info.value.field == "instructions"
    assert "duplicate" in info.value.problem


def test_order_input_accepts_models_mappings_and_generators() -> None:
    model = InstructionInput(**instruction_args())
    order = OrderInput(
        order_ref="ORD-1",
        instructions=(x for x in [model, instruction_args(instruction_ref="INS-2")]),
    )
    assert [i.instruction_ref for i in order.instructions] == ["INS-1", "INS-2"]
    assert order.instructions[0] is model
    assert OrderInput(order_ref="ORD-1").instructions == ()


def test_customer_default_errors_name_the_customer_and_field() -> None:
    with pytest.raises(ValidationError) as info:
        OrderInput(order_ref="ORD-1", customer_defaults={"C1": {"scheme_id": ""}})
    assert info.value.field == "customer_defaults['C1'].scheme_id"
    with pytest.raises(ValidationError) as info:
        OrderInput(order_ref="ORD-1", customer_defaults={"C1": {"metadata": {"k": "v" * 501}}})
    assert info.value.field == "customer_defaults['C1'].metadata['k']"


@pytest.mark.parametrize(
    ("defaults", "field"),
    [
        ({"bad ref": {}}, "customer_defaults['bad ref']"),
        ({"C1": "S-1"}, "customer_defaults['C1']"),
        ({"C1": {"schemeId": "S-1"}}, "customer_defaults['C1']"),  # camelCase by mistake
        ({"C1": {1: "S-1"}}, "customer_defaults['C1']"),
        (["C1"], "customer_defaults"),
    ],
)
def test_customer_defaults_shape_errors_are_validation_errors(defaults: Any, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        OrderInput(order_ref="ORD-1", customer_defaults=defaults)
    assert info.value.field == field


def test_customer_defaults_accept_models_and_mappings() -> None:
    order = OrderInput(
        order_ref="ORD-1",
        customer_defaults={
            "C1": CustomerDefaultInput(scheme_id="S-1"),
            "C2": {"financial_instrument_id": "fi-2", "metadata": {"a": "b"}},
        },
    )
    assert order.customer_defaults is not None
    assert order.customer_defaults["C1"].scheme_id == "S-1"
    assert order.customer_defaults["C2"] == CustomerDefaultInput(
        financial_instrument_id="fi-2", metadata={"a": "b"}
    )


def test_order_ref_is_checked() -> None:
    with pytest.raises(ValidationError) as info:
        OrderInput(order_ref="x" * 51)
    assert info.value.field == "order_ref"


def test_validation_errors_are_value_errors_for_generic_handlers() -> None:
    with pytest.raises(ValueError, match="order_ref"):
        OrderInput(order_ref="")


# --- amounts in a currency (issue 14) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "currency", "expected"),
    [
        ("12.5", "GBP", "12.50"),
        (12, "GBP", "12.00"),
        (Decimal("2E+2"), "EUR", "200.00"),
        ("12.0", "JPY", "12"),
        ("12", "JPY", "12"),
        ("1.5", "BHD", "1.500"),
        ("0.0001", "UYW", "0.0001"),
        ("12.50000", "GBP", "12.50"),
    ],
)
def test_an_amount_in_a_currency_has_exactly_its_minor_unit(
    value: Any, currency: str, expected: str
) -> None:
    assert str(check_amount("amount", value, currency)) == expected


@pytest.mark.parametrize(
    ("value", "currency", "problem"),
    [
        ("12.345", "GBP", "more decimals than GBP allows (2)"),
        ("12.5", "JPY", "more decimals than JPY allows (0)"),
        (Decimal("1E-30"), "GBP", "more decimals"),
        (Decimal("1E+1000000000"), "GBP", "too large"),
        ("10000000000000000", "GBP", "at most 16 digits before the decimal point"),
        ("1e3", "GBP", "plain decimal digits"),
        ("1_000", None, "plain decimal digits"),
        (" 5", None, "plain decimal digits"),
        ("\uff11\uff12", None, "plain decimal digits"),
        ("0.00001", None, "more than 4 decimals"),
        (10**30, None, "too large"),
    ],
)
def test_an_amount_outside_the_bounds_is_refused(
    value: Any, currency: str | None, problem: str
) -> None:
    with pytest.raises(ValidationError) as info:
        check_amount("amount", value, currency)
    assert info.value.field == "amount"
    assert problem in info.value.problem


@pytest.mark.parametrize("code", ["JPY", "BHD", "KWD", "CLF", "UYW", "XCG", "ZWG", "XAF"])
def test_every_active_iso_4217_code_passes(code: str) -> None:
    assert check_currency("currency", code) == code


@pytest.mark.parametrize("code", ["XAU", "XDR", "XTS", "XXX", "BGN", "HRK", "ABC"])
def test_codes_without_a_minor_unit_or_withdrawn_are_refused(code: str) -> None:
    with pytest.raises(ValidationError, match="not an active ISO 4217"):
        check_currency("currency", code)


def test_minor_units_of_the_documented_examples() -> None:
    assert [minor_unit(c) for c in ("GBP", "EUR", "USD", "JPY", "BHD", "KWD", "CLF")] == [
        2, 2, 2, 0, 3, 3, 4
    ]  # fmt: skip


# --- echoed values, correlation ids, extra headers (issue 14) ---------------------------------


def test_shown_cuts_long_values_and_escapes_line_breaks() -> None:
    assert shown("abc") == "'abc'"
    assert shown("x" * 41) == repr("x" * 40) + "... (41 chars)"
    assert shown("a\r\nb") == "'a\\r\\nb'"
    assert shown(10**5000) == "an int of 16610 bits"
    assert len(shown(list(range(10**6)))) < 60


@pytest.mark.parametrize("cid", ["c", "job-42/order-7", "0HLPSRAQ7S0I6:00000002", "x" * 128])
def test_correlation_ids_of_visible_ascii_pass(cid: str) -> None:
    assert check_correlation_id(cid) == cid


@pytest.mark.parametrize(
    "cid", ["", "x" * 129, "a b", "a\r\nb", "caf\u00e9", "tab\t", "\x7f", None, 42]
)
def test_other_correlation_ids_are_refused(cid: Any) -> None:
    with pytest.raises(ValidationError) as info:
        check_correlation_id(cid)
    assert info.value.field == "correlation_id"


@pytest.mark.parametrize(
    "name",
    ["Host", "authorization", " Authorization", "Authorization\t", "X-ACCOUNT-ID", "x-tenant-id",
     "content-length", "Transfer-Encoding", "connection", "x-correlation-id"],
)  # fmt: skip
def test_reserved_header_names_are_refused_in_any_case(name: str) -> None:
    with pytest.raises(ValidationError, match="set by the SDK") as info:
        check_extra_headers({name: "v"})
    assert info.value.field == "extra_headers"


def test_extra_headers_pass_when_printable_ascii() -> None:
    headers = {"X-Request-Source": "batch 7\tnightly", "If-None-Match": '"abc"'}
    assert check_extra_headers(headers) == headers
    assert check_extra_headers(None) == {}
    for bad in ({"X-A": "caf\u00e9"}, {"X-A": "v" * 8193}, {"X A": "v"}, {"": "v"}, ["X-A"]):
        with pytest.raises(ValidationError):
            check_extra_headers(bad)
