"""The safe-create comparisons: does what Imburse stored match what we sent?"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest

from imburse import (
    CustomerDefault,
    FinancialInstrumentRef,
    Instruction,
    InstructionInput,
    InstructionStatus,
    Order,
    OrderInput,
    SchemeRef,
)
from imburse._core.errors import ErrorDetail, error_for_status
from imburse._core.reconcile import instruction_differences, is_duplicate, order_differences


def sent_instruction(**overrides: Any) -> InstructionInput:
    args: dict[str, Any] = {
        "instruction_ref": "INS-1",
        "customer_ref": "CUS-1",
        "direction": "DEBIT",
        "amount": "200.00",
        "currency": "GBP",
        "country": "GB",
        **overrides,
    }
    return InstructionInput(**args)


def stored_instruction(**overrides: Any) -> Instruction:
    """What Imburse answers: the sent fields plus the ones it fills in itself."""
    args: dict[str, Any] = {
        "instruction_ref": "INS-1",
        "customer_ref": "CUS-1",
        "direction": "DEBIT",
        "status": InstructionStatus.READY,
        "amount": Decimal("200"),  # responses are numbers: scale may differ
        "currency": "GBP",
        "country": "GB",
        "created": datetime(2024, 5, 1, tzinfo=UTC),
        "scheme": SchemeRef(scheme_id="S-DEFAULT", source="CUSTOMER_DEFAULT"),
        "financial_instrument": FinancialInstrumentRef(financial_instrument_id="fi-auto"),
        "metadata": {"added-by-imburse": "x"},
        **overrides,
    }
    return Instruction(**args)


# --- instruction_differences --------------------------------------------------------------


def test_identical_instruction_has_no_differences() -> None:
    assert instruction_differences(sent_instruction(), stored_instruction()) == []


def test_fields_the_caller_did_not_set_are_not_compared() -> None:
    # Sent without scheme, instrument, date or metadata: whatever Imburse filled in is fine.
    stored = stored_instruction(settled_by_date=date(2030, 1, 1))
    assert instruction_differences(sent_instruction(), stored) == []


def test_amount_compares_by_value_not_scale() -> None:
    assert (
        instruction_differences(
            sent_instruction(amount="10.50"), stored_instruction(amount=Decimal("10.5"))
        )
        == []
    )
    assert instruction_differences(
        sent_instruction(amount="10.50"), stored_instruction(amount=Decimal("10.51"))
    ) == ["amount"]


@pytest.mark.parametrize(
    ("stored_changes", "expected"),
    [
        ({"customer_ref": "CUS-2"}, ["customer_ref"]),
        ({"direction": "CREDIT"}, ["direction"]),
        ({"amount": Decimal("199.99")}, ["amount"]),
        ({"amount": None}, ["amount"]),
        ({"currency": "EUR"}, ["currency"]),
        ({"country": "IE"}, ["country"]),
        ({"instruction_ref": "INS-9"}, ["instruction_ref"]),
        ({"currency": "EUR", "country": "IE"}, ["currency", "country"]),
    ],
)
def test_each_differing_required_field_is_named(
    stored_changes: dict[str, Any], expected: list[str]
) -> None:
    assert (
        instruction_differences(sent_instruction(), stored_instruction(**stored_changes))
        == expected
    )


def test_instruction_ref_not_echoed_is_not_a_difference() -> None:
    assert (
        instruction_differences(sent_instruction(), stored_instruction(instruction_ref=None)) == []
    )


def test_optional_fields_the_caller_set_are_compared() -> None:
    sent = sent_instruction(
        scheme_id="S-1",
        financial_instrument_id="fi-1",
        settled_by_date="2024-05-31",
        metadata={"policy": "P-9", "leg": "1"},
    )
    same = stored_instruction(
        scheme=SchemeRef(scheme_id="S-1"),
        financial_instrument=FinancialInstrumentRef(financial_instrument_id="fi-1"),
        settled_by_date=date(2024, 5, 31),
        metadata={"policy": "P-9", "leg": "1", "extra-key": "ok"},
    )
    assert instruction_differences(sent, same) == []
    other = stored_instruction(
        scheme=None,
        financial_instrument=FinancialInstrumentRef(financial_instrument_id="fi-2"),
        settled_by_date=date(2024, 6, 1),
        metadata={"policy": "P-8"},
    )
    assert instruction_differences(sent, other) == [
        "settled_by_date",
        "scheme_id",
        "financial_instrument_id",
        "metadata['policy']",
        "metadata['leg']",
    ]


def test_prefix_is_applied_to_every_name() -> None:
    sent = sent_instruction(metadata={"k": "v"})
    stored = stored_instruction(country="IE", metadata={})
    assert instruction_differences(sent, stored, "instructions[3].") == [
        "instructions[3].country",
        "instructions[3].metadata['k']",
    ]


# --- order_differences ----------------------------------------------------------------------


def sent_order(**overrides: Any) -> OrderInput:
    args: dict[str, Any] = {
        "order_ref": "ORD-1",
        "instructions": [sent_instruction(), sent_instruction(instruction_ref="INS-2", amount="5")],
        "metadata": {"policy": "P-9"},
        "customer_defaults": {
            "CUS-1": {"scheme_id": "S-1", "financial_instrument_id": "fi-1", "metadata": {"a": "b"}}
        },
        **overrides,
    }
    return OrderInput(**args)


def stored_order(**overrides: Any) -> Order:
    args: dict[str, Any] = {
        "order_ref": "ORD-1",
        "metadata": {"policy": "P-9", "server": "added"},
        "customer_defaults": {
            "CUS-1": CustomerDefault(
                scheme=SchemeRef(scheme_id="S-1", source="CUSTOMER"),
                financial_instrument=FinancialInstrumentRef(financial_instrument_id="fi-1"),
                metadata={"a": "b"},
            )
        },
        "instructions": (
            # Stored order may list instructions in another order.
            stored_instruction(instruction_ref="INS-2", amount=Decimal("5.00")),
            stored_instruction(),
        ),
        **overrides,
    }
    return Order(**args)


def test_matching_order_has_no_differences() -> None:
    assert order_differences(sent_order(), stored_order()) == []


def test_minimal_order_matches_any_stored_content() -> None:
    assert order_differences(OrderInput(order_ref="ORD-1"), stored_order()) == []
    assert order_differences(OrderInput(order_ref="ORD-1"), Order(order_ref="ORD-1")) == []


def test_order_ref_mismatch() -> None:
    assert order_differences(sent_order(), stored_order(order_ref="ORD-2")) == ["order_ref"]


def test_order_metadata_mismatch() -> None:
    assert order_differences(sent_order(), stored_order(metadata={"policy": "P-1"})) == [
        "metadata['policy']"
    ]


def test_missing_customer_default() -> None:
    assert order_differences(sent_order(), stored_order(customer_defaults={})) == [
        "customer_defaults['CUS-1']"
    ]


def test_customer_default_field_mismatches() -> None:
    stored = stored_order(
        customer_defaults={
            "CUS-1": CustomerDefault(
                scheme=SchemeRef(scheme_id="S-2"), financial_instrument=None, metadata={}
            )
        }
    )
    assert order_differences(sent_order(), stored) == [
        "customer_defaults['CUS-1'].scheme_id",
        "customer_defaults['CUS-1'].financial_instrument_id",
        "customer_defaults['CUS-1'].metadata['a']",
    ]


def test_missing_and_different_instructions_are_named_by_index() -> None:
    stored = stored_order(instructions=(stored_instruction(amount=Decimal("1")),))
    assert order_differences(sent_order(), stored) == [
        "instructions[0].amount",
        "instructions[1].instruction_ref",
    ]


# --- is_duplicate ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "code", "message", "expected"),
    [
        (400, "ORDER_ALREADY_EXISTS", "Order already exists.", True),
        (400, "INSTRUCTION_ALREADY_EXISTS", "", True),
        (400, "VALIDATION_FAILED", "Instruction with ref INS-1 already exists.", True),
        (409, "ORDER_ALREADY_EXISTS", "", True),
        (409, "CONFLICT", "An order with this ref Already Exists", True),
        (400, "ORDER_REF_IS_REQUIRED", "Order ref is required.", False),
        (400, "ORDER_NOT_FOUND", "Order not found.", False),
        (500, "ORDER_ALREADY_EXISTS", "Order already exists.", False),
        (404, "ORDER_ALREADY_EXISTS", "", False),
        (422, "ORDER_ALREADY_EXISTS", "", False),
    ],
)
def test_is_duplicate(status: int, code: str, message: str, expected: bool) -> None:
    err = error_for_status(status, errors=[ErrorDetail(code, message)])
    assert is_duplicate(err) is expected


def test_duplicate_code_anywhere_in_the_errors_counts() -> None:
    err = error_for_status(
        400,
        errors=[
            ErrorDetail("METADATA_KEY_SIZE_OUT_OF_RANGE", "x"),
            ErrorDetail("ORDER_ALREADY_EXISTS"),
        ],
    )
    assert is_duplicate(err)


def test_error_without_body_is_not_a_duplicate() -> None:
    assert not is_duplicate(error_for_status(400))
