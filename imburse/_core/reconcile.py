"""Pure comparisons for the safe-create rule: does the stored object match what was sent?

Only fields the caller set are compared: Imburse fills in others (status, timestamps,
inherited defaults), and those must not turn a successful retry into a false conflict.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from .errors import APIStatusError

if TYPE_CHECKING:  # the models load with the orders namespace, not with the client
    from .models.orders import Instruction, InstructionInput, Order, OrderInput

__all__ = ["instruction_differences", "is_duplicate", "order_differences"]

_DUPLICATE_CODES = frozenset({"ORDER_ALREADY_EXISTS", "INSTRUCTION_ALREADY_EXISTS"})


def is_duplicate(error: APIStatusError) -> bool:
    """True when Imburse refused a create because the ref already exists.

    >>> from imburse._core.errors import ErrorDetail, error_for_status
    >>> is_duplicate(error_for_status(400, errors=[ErrorDetail("ORDER_ALREADY_EXISTS")]))
    True
    """
    if error.status_code not in (400, 409):
        return False
    return any(
        e.error_code in _DUPLICATE_CODES or "already exists" in e.message.lower()
        for e in error.errors
    )


def _metadata_differences(
    prefix: str, sent: Mapping[str, str] | None, stored: Mapping[str, str]
) -> list[str]:
    return [f"{prefix}[{k!r}]" for k, v in (sent or {}).items() if stored.get(k) != v]


def instruction_differences(
    sent: InstructionInput, stored: Instruction, prefix: str = ""
) -> list[str]:
    """Names of the fields where ``stored`` differs from ``sent`` (empty when they match).

    >>> from decimal import Decimal
    >>> from imburse import Instruction, InstructionInput
    >>> sent = InstructionInput(instruction_ref="I", customer_ref="C", direction="DEBIT",
    ...                         amount="10.00", currency="GBP", country="GB")
    >>> instruction_differences(sent, Instruction(instruction_ref="I", customer_ref="C",
    ...     direction="DEBIT", amount=Decimal("10.0"), currency="GBP", country="EE"))
    ['country']
    """
    pairs: list[tuple[str, object, object]] = [
        ("instruction_ref", sent.instruction_ref, stored.instruction_ref),
        ("customer_ref", sent.customer_ref, stored.customer_ref),
        ("direction", sent.direction, stored.direction),
        ("amount", sent.amount, stored.amount),
        ("currency", sent.currency, stored.currency),
        ("country", sent.country, stored.country),
    ]
    if stored.instruction_ref is None:  # not echoed by every API version
        pairs = pairs[1:]
    if sent.settled_by_date is not None:
        pairs.append(("settled_by_date", sent.settled_by_date, stored.settled_by_date))
    if sent.scheme_id is not None:
        pairs.append(
            ("scheme_id", sent.scheme_id, stored.scheme.scheme_id if stored.scheme else None)
        )
    if sent.financial_instrument_id is not None:
        stored_fi = stored.financial_instrument
        pairs.append(
            (
                "financial_instrument_id",
                sent.financial_instrument_id,
                stored_fi.financial_instrument_id if stored_fi else None,
            )
        )
    diffs = [prefix + name for name, a, b in pairs if a != b]
    return diffs + _metadata_differences(prefix + "metadata", sent.metadata, stored.metadata)


def order_differences(sent: OrderInput, stored: Order) -> list[str]:
    """Names of the fields where a stored order differs from the order that was sent."""
    diffs = [] if stored.order_ref in (None, sent.order_ref) else ["order_ref"]
    diffs += _metadata_differences("metadata", sent.metadata, stored.metadata)
    for ref, default in (sent.customer_defaults or {}).items():
        have = stored.customer_defaults.get(ref)
        where = f"customer_defaults[{ref!r}]"
        if have is None:
            diffs.append(where)
            continue
        if default.scheme_id is not None and (
            have.scheme is None or have.scheme.scheme_id != default.scheme_id
        ):
            diffs.append(f"{where}.scheme_id")
        fi = have.financial_instrument
        if default.financial_instrument_id is not None and (
            fi is None or fi.financial_instrument_id != default.financial_instrument_id
        ):
            diffs.append(f"{where}.financial_instrument_id")
        diffs += _metadata_differences(f"{where}.metadata", default.metadata, have.metadata)
    stored_by_ref = {i.instruction_ref: i for i in stored.instructions}
    for n, instruction in enumerate(sent.instructions):
        prefix = f"instructions[{n}]."
        match = stored_by_ref.get(instruction.instruction_ref)
        if match is None:
            diffs.append(prefix + "instruction_ref")
        else:
            diffs += instruction_differences(instruction, match, prefix)
    return diffs
