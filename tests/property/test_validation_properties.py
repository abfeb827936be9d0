"""Client-side validation: any input is a value or a ``ValidationError`` naming the field.

And it never refuses less than the server would: whatever the SDK accepts and builds, the
fake Imburse's validator (written from the documented rules, independently of the SDK's
checks) accepts too, so a valid call never comes back as a surprise 400.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st

from imburse import InstructionInput, OrderInput, ValidationError
from imburse._core.build import encode_json
from imburse._core.validation import (
    MAX_METADATA_KEY_LENGTH,
    MAX_METADATA_KEYS,
    MAX_METADATA_VALUE_LENGTH,
    check_amount,
    check_country,
    check_currency,
    check_date,
    check_metadata,
)
from imburse.testing._errors import HTTPProblem
from imburse.testing._validate import parse_body, validate_instruction, validate_order

from .strategies import attempt, instruction_inputs, json_values, order_inputs

_SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
anything = (
    json_values
    | st.decimals()
    | st.floats()
    | st.binary(max_size=8)
    | st.dates()
    | st.datetimes()
    | st.dictionaries(st.text(max_size=5) | st.integers() | st.none(), json_values, max_size=3)
    | st.sampled_from(["1e3", "0", "-1", "NaN", "sNaN", "Infinity", "1E-400", "٣", " 5 ", "5_0"])
)
metadata_like = st.dictionaries(
    st.text(max_size=MAX_METADATA_KEY_LENGTH + 2) | st.integers(),
    st.text(max_size=MAX_METADATA_VALUE_LENGTH + 2) | st.integers() | st.none(),
    max_size=MAX_METADATA_KEYS + 2,
)


@_SETTINGS
@given(anything | metadata_like)
def test_metadata_is_a_flat_string_map_within_limits_or_refused(value: Any) -> None:
    result, refused = attempt(check_metadata, "metadata", value, expected=ValidationError)
    if refused is not None:
        assert refused.field.startswith("metadata")
        return
    if value is None:
        assert result is None
        return
    assert result == dict(value)
    assert len(result) <= MAX_METADATA_KEYS
    for key, item in result.items():
        assert isinstance(key, str)
        assert 1 <= len(key) <= MAX_METADATA_KEY_LENGTH
        assert isinstance(item, str)
        assert len(item) <= MAX_METADATA_VALUE_LENGTH


@_SETTINGS
@given(anything)
def test_an_amount_is_a_positive_finite_decimal_of_the_same_value_or_refused(value: Any) -> None:
    amount, refused = attempt(check_amount, "amount", value, expected=ValidationError)
    if refused is not None:
        assert refused.field == "amount"
        return
    assert isinstance(amount, Decimal)
    assert amount.is_finite()
    assert amount > 0
    assert not isinstance(value, float | bool)
    assert amount == Decimal(value) if not isinstance(value, Decimal) else amount is value


@_SETTINGS
@given(anything, st.sampled_from([check_currency, check_country, check_date]))
def test_codes_and_dates_are_values_or_validation_errors(value: Any, check: Any) -> None:
    _, refused = attempt(check, "field", value, expected=ValidationError)
    assert refused is None or refused.field == "field"


_INSTRUCTION_FIELDS = {
    "instruction_ref": st.text(max_size=55),
    "customer_ref": st.text(max_size=55),
    "direction": st.sampled_from(["DEBIT", "CREDIT", "debit", "", "BOTH"]),
    "amount": anything,
    "currency": st.text(max_size=4),
    "country": st.text(max_size=3),
    "scheme_id": st.none() | anything,
    "financial_instrument_id": st.none() | anything,
    "settled_by_date": st.none() | anything,
    "metadata": st.none() | metadata_like | anything,
}


@_SETTINGS
@given(st.fixed_dictionaries({k: v | json_values for k, v in _INSTRUCTION_FIELDS.items()}))
def test_any_instruction_arguments_build_an_input_or_a_validation_error(
    arguments: dict[str, Any],
) -> None:
    attempt(InstructionInput, **arguments, expected=ValidationError)


@_SETTINGS
@given(
    st.text(max_size=55) | json_values,
    st.none()
    | st.lists(st.fixed_dictionaries(_INSTRUCTION_FIELDS) | json_values, max_size=3)
    | anything,
    st.none() | metadata_like | anything,
    st.none() | st.dictionaries(st.text(max_size=5), json_values, max_size=2) | anything,
)
def test_any_order_arguments_build_an_input_or_a_validation_error(
    order_ref: Any, instructions: Any, metadata: Any, customer_defaults: Any
) -> None:
    attempt(
        OrderInput,
        order_ref=order_ref,
        instructions=instructions,
        metadata=metadata,
        customer_defaults=customer_defaults,
        expected=ValidationError,
    )


@_SETTINGS
@given(order_inputs())
def test_what_the_sdk_accepts_the_server_accepts_too(order: OrderInput) -> None:
    body = parse_body(encode_json(order))
    checked, problem = attempt(validate_order, body, expected=HTTPProblem)
    assert problem is None, problem
    assert checked.order_ref == order.order_ref


@_SETTINGS
@given(instruction_inputs())
def test_what_the_sdk_accepts_as_an_instruction_the_server_accepts_too(
    instruction: InstructionInput,
) -> None:
    problems: list[Any] = []
    body = json.loads(encode_json(instruction), parse_float=Decimal)
    stored = validate_instruction(body, problems)
    assert problems == []
    assert stored is not None
    assert stored.amount == instruction.amount
