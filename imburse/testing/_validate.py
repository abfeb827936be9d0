"""Request-body validation for orders and instructions (``imburse-api.md`` §5.13, §6).

Every problem in a body is reported at once (the API answers with an ``errors`` array), and
nothing is stored unless the whole body is valid. Each problem names the offending property
in ``metadata.propertyName`` (e.g. ``instructions[2].amount``), used by its template.

Codes marked "assumed" below are not documented by Imburse; the fake needs *a* name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from ._errors import HTTPProblem, Problem
from ._state import CustomerDefault, Instruction

__all__ = ["Limits", "OrderInput", "parse_body", "validate_instruction", "validate_order"]


@attrs.frozen
class Limits:
    """The documented limits (§6); the metadata value limit follows the 2019 docs (500)."""

    max_ref_length: int = 50
    max_metadata_keys: int = 50
    max_metadata_key_length: int = 40
    max_metadata_value_length: int = 500
    max_instructions: int = 100


LIMITS = Limits()
_REF = re.compile(r"^[a-zA-Z0-9\-_.]+$")
_AMOUNT_TEXT = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_DIRECTIONS = frozenset({"CREDIT", "DEBIT"})

# Assumed code for malformed JSON and for a value of the wrong JSON type.
INVALID_BODY = "INVALID_REQUEST_BODY"


def parse_body(body: bytes) -> dict[str, Any]:
    """Decode a JSON object; floats become Decimal so money is never a float."""
    try:
        data = json.loads(body.decode("utf-8"), parse_float=Decimal, parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError):
        raise HTTPProblem.one(
            400, INVALID_BODY, "The request body is not valid JSON.", propertyName=""
        ) from None
    if not isinstance(data, dict):
        raise HTTPProblem.one(
            400, INVALID_BODY, "The request body must be a JSON object.", propertyName=""
        )
    return data


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


class _Checker:
    """Collects problems; ``prefix`` names the object being checked (``instructions[0].``)."""

    def __init__(self, problems: list[Problem], prefix: str = "") -> None:
        self.problems = problems
        self.prefix = prefix

    def add(self, code: str, template: str, prop: str, **values: str) -> None:
        self.problems.append(
            Problem(code, template, {"propertyName": self.prefix + prop, **values})
        )

    def wrong_type(self, prop: str, expected: str) -> None:
        self.add(INVALID_BODY, "{propertyName} must be {expected}.", prop, expected=expected)

    def optional_str(self, data: Mapping[str, Any], prop: str) -> str | None:
        value = data.get(prop)
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            self.wrong_type(prop, "a string")
            return None
        return value

    def ref(self, value: Any, prop: str, name: str, *, chars_code: str | None = None) -> str | None:
        """Check a ref: required, 1-50 chars, ``[a-zA-Z0-9-_.]``; ``name`` is the code stem."""
        if value is None or value == "":
            self.add(f"{name}_IS_REQUIRED", "{propertyName} is required.", prop)
            return None
        if not isinstance(value, str):
            self.wrong_type(prop, "a string")
            return None
        if len(value) > LIMITS.max_ref_length:
            self.add(
                f"{name}_LENGTH_OUT_OF_RANGE",
                "{propertyName} length out of range. It must not exceed {maxLength} in length.",
                prop,
                maxLength=str(LIMITS.max_ref_length),
            )
            return None
        if not _REF.fullmatch(value):
            self.add(
                chars_code or f"{name}_CONTAINS_INVALID_CHARACTERS",
                "{propertyName} contains invalid characters. "
                "It must contain only alphanumeric characters or [-_.].",
                prop,
            )
            return None
        return value

    def metadata(self, value: Any, prop: str = "metadata") -> dict[str, str]:
        """Flat string->string map; at most 50 keys of 1-40 chars, values up to 500 chars."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.wrong_type(prop, "an object of strings")
            return {}
        if len(value) > LIMITS.max_metadata_keys:
            self.add(
                "METADATA_KEY_COUNT_OUT_OF_RANGE",  # assumed code
                "{propertyName} must not have more than {maxKeyCount} keys.",
                prop,
                maxKeyCount=str(LIMITS.max_metadata_keys),
            )
        for key, item in value.items():
            # An empty key is refused as out of range too: our assumption (min length 1).
            if not 0 < len(key) <= LIMITS.max_metadata_key_length:
                self.add(
                    "METADATA_KEY_SIZE_OUT_OF_RANGE",
                    "Metadata key {key} must not exceed {maxKeySize} in length.",
                    prop,
                    key=key,
                    maxKeySize=str(LIMITS.max_metadata_key_length),
                )
            if not isinstance(item, str):
                self.wrong_type(f"{prop}.{key}", "a string")
            elif len(item) > LIMITS.max_metadata_value_length:
                self.add(
                    "METADATA_VALUE_SIZE_OUT_OF_RANGE",  # assumed code; the text is documented
                    "Metadata value size out of range. It must not exceed {maxValueSize} in length.",
                    prop,
                    key=key,
                    maxValueSize=str(LIMITS.max_metadata_value_length),
                )
        return {k: v for k, v in value.items() if isinstance(v, str)}

    def scheme(self, data: Mapping[str, Any], schemes: Collection[str] | None) -> str | None:
        scheme_id = self.optional_str(data, "schemeId")
        if scheme_id is not None and schemes and scheme_id not in schemes:
            self.add(
                "SCHEME_ID_NOT_RECOGNISED",
                "Scheme {schemeId} not recognised.",
                "schemeId",
                schemeId=scheme_id,
            )
        return scheme_id

    def required_code(
        self, data: Mapping[str, Any], prop: str, name: str, pattern: re.Pattern[str], *, what: str
    ) -> str | None:
        value = data.get(prop)
        if value is None or value == "":
            self.add(f"{name}_IS_REQUIRED", "{propertyName} is required.", prop)
            return None
        if not isinstance(value, str) or not pattern.fullmatch(value):
            # *_IS_INVALID codes are assumed.
            self.add(f"{name}_IS_INVALID", "{propertyName} must be " + what + ".", prop)
            return None
        return value

    def amount(self, data: Mapping[str, Any]) -> Decimal | None:
        """A positive decimal sent as a JSON number or a plain decimal string (§6)."""
        value = data.get("amount")
        if value is None or value == "":
            self.add("AMOUNT_IS_REQUIRED", "{propertyName} is required.", "amount")
            return None
        amount: Decimal | None = None
        if isinstance(value, Decimal):
            amount = value
        elif (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, str) and _AMOUNT_TEXT.fullmatch(value)
        ):
            amount = Decimal(value)
        if amount is None:
            # assumed code
            self.add("AMOUNT_IS_INVALID", "{propertyName} must be a decimal number.", "amount")
            return None
        if amount <= 0:
            # assumed code
            self.add("AMOUNT_MUST_BE_POSITIVE", "{propertyName} must be greater than 0.", "amount")
            return None
        return amount

    def settled_by_date(self, data: Mapping[str, Any]) -> str | None:
        value = data.get("settledByDate")
        if value is None:
            return None
        if isinstance(value, str) and _DATE.fullmatch(value):
            try:
                date.fromisoformat(value)
            except ValueError:
                pass
            else:
                return value
        self.add(
            "SETTLED_BY_DATE_IS_INVALID",  # assumed code
            "{propertyName} must be a date in the form YYYY-MM-DD.",
            "settledByDate",
        )
        return None


def validate_instruction(
    data: Any,
    problems: list[Problem],
    *,
    prefix: str = "",
    schemes: Collection[str] | None = None,
    now_ms: int = 0,
) -> Instruction | None:
    """Check one instruction body; return it, or None after adding its problems.

    Unknown properties are ignored, as ASP.NET model binding does by default.
    """
    check = _Checker(problems, prefix)
    if not isinstance(data, dict):
        check.wrong_type("", "an object")
        return None
    before = len(problems)
    # One code for both a too-long ref and bad characters, as observed (T-AP).
    ref = check.ref(
        data.get("instructionRef"),
        "instructionRef",
        "INSTRUCTION_REF",
        chars_code="INSTRUCTION_REF_LENGTH_OUT_OF_RANGE",
    )
    customer_ref = check.ref(data.get("customerRef"), "customerRef", "CUSTOMER_REF")
    direction = data.get("direction")
    if direction is None or direction == "":
        check.add("DIRECTION_IS_REQUIRED", "{propertyName} is required.", "direction")
    elif direction not in _DIRECTIONS:
        check.add("DIRECTION_IS_INVALID", "{propertyName} must be CREDIT or DEBIT.", "direction")
    amount = check.amount(data)
    currency = check.required_code(
        data, "currency", "CURRENCY", _CURRENCY, what="a 3-letter upper-case ISO-4217 code"
    )
    country = check.required_code(
        data, "country", "COUNTRY", _COUNTRY, what="a 2-letter upper-case ISO-3166 code"
    )
    settled_by = check.settled_by_date(data)
    instrument = check.optional_str(data, "financialInstrumentId")
    scheme_id = check.scheme(data, schemes)
    metadata = check.metadata(data.get("metadata"))
    if len(problems) > before:
        return None
    # No problems were added, so every required value was found (this tells mypy).
    assert ref is not None
    assert customer_ref is not None
    assert amount is not None
    assert currency is not None
    assert country is not None
    return Instruction(
        instruction_ref=ref,
        customer_ref=customer_ref,
        direction=str(direction),
        amount=amount,
        currency=currency,
        country=country,
        settled_by_date=settled_by,
        financial_instrument_id=instrument,
        scheme_id=scheme_id,
        metadata=metadata,
        created_ms=now_ms,
        last_updated_ms=now_ms,
    )


@attrs.frozen
class OrderInput:
    """A validated create-order body."""

    order_ref: str
    metadata: dict[str, str]
    customer_defaults: dict[str, CustomerDefault]
    instructions: list[Instruction] | None


def validate_order(
    data: Mapping[str, Any], *, schemes: Collection[str] | None = None, now_ms: int = 0
) -> OrderInput:
    """Check a create-order body as a whole, or raise 400 listing every problem."""
    problems: list[Problem] = []
    check = _Checker(problems)
    order_ref = check.ref(data.get("orderRef"), "orderRef", "ORDER_REF")
    metadata = check.metadata(data.get("metadata"))
    defaults = _customer_defaults(check, data.get("customerDefaults"), schemes)
    instructions = _instructions(check, data.get("instructions"), schemes, now_ms)
    if problems:
        raise HTTPProblem(400, problems)
    assert order_ref is not None  # for mypy: no problems means a ref was found
    return OrderInput(order_ref, metadata, defaults, instructions)


def _customer_defaults(
    check: _Checker, value: Any, schemes: Collection[str] | None
) -> dict[str, CustomerDefault]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        check.wrong_type("customerDefaults", "an object keyed by customerRef")
        return {}
    defaults: dict[str, CustomerDefault] = {}
    for customer_ref, entry in value.items():
        inner = _Checker(check.problems, f"customerDefaults.{customer_ref}.")
        check.ref(customer_ref, f"customerDefaults.{customer_ref}", "CUSTOMER_REF")
        if not isinstance(entry, dict):
            inner.wrong_type("", "an object")
            continue
        # The request shape is flat (financialInstrumentId, schemeId, metadata), as every
        # client sends it; the nested shape is the response's (§5.13).
        defaults[customer_ref] = CustomerDefault(
            financial_instrument_id=inner.optional_str(entry, "financialInstrumentId"),
            scheme_id=inner.scheme(entry, schemes),
            metadata=inner.metadata(entry.get("metadata")),
        )
    return defaults


def _instructions(
    check: _Checker, value: Any, schemes: Collection[str] | None, now_ms: int
) -> list[Instruction] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        check.wrong_type("instructions", "an array")
        return None
    if len(value) > LIMITS.max_instructions:
        # T-MT expects 100 accepted and 101 rejected; the code name is assumed.
        check.add(
            "INSTRUCTION_COUNT_OUT_OF_RANGE",
            "{propertyName} must not hold more than {maxInstructions} items.",
            "instructions",
            maxInstructions=str(LIMITS.max_instructions),
        )
    result: list[Instruction] = []
    seen: set[str] = set()
    for i, item in enumerate(value):
        instruction = validate_instruction(
            item, check.problems, prefix=f"instructions[{i}].", schemes=schemes, now_ms=now_ms
        )
        if instruction is None:
            continue
        if instruction.instruction_ref in seen:
            check.add(
                "INSTRUCTION_ALREADY_EXISTS",  # assumed code (the duplicate 400 is confirmed)
                "Instruction {instructionRef} already exists.",
                f"instructions[{i}].instructionRef",
                instructionRef=instruction.instruction_ref,
            )
        seen.add(instruction.instruction_ref)
        result.append(instruction)
    return result
