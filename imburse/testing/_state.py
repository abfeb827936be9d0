"""Stored orders and instructions, and how the fake renders them (``imburse-api.md`` §5.13).

Values are frozen and replaced on change, so a snapshot handed to a test (``fake.orders``)
never moves under its feet while the server thread keeps working.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

import attrs

from ._jsonout import JSONValue

__all__ = ["CustomerDefault", "Instruction", "Order", "instruction_json", "order_json"]


@attrs.frozen
class CustomerDefault:
    """The defaults an order sets for one ``customerRef``; instructions inherit them."""

    financial_instrument_id: str | None = None
    scheme_id: str | None = None
    metadata: Mapping[str, str] = attrs.field(factory=dict)


@attrs.frozen
class Instruction:
    """One instruction as the fake stores it. ``amount`` keeps the exact decimal sent."""

    instruction_ref: str
    customer_ref: str
    direction: str
    amount: Decimal
    currency: str
    country: str
    settled_by_date: str | None = None
    financial_instrument_id: str | None = None
    scheme_id: str | None = None
    metadata: Mapping[str, str] = attrs.field(factory=dict)
    created_ms: int = 0
    last_updated_ms: int = 0


@attrs.frozen
class Order:
    """One order with its instructions (keyed by ``instructionRef``, in creation order)."""

    order_ref: str
    metadata: Mapping[str, str] = attrs.field(factory=dict)
    customer_defaults: Mapping[str, CustomerDefault] = attrs.field(factory=dict)
    instructions: Mapping[str, Instruction] = attrs.field(factory=dict)
    created_ms: int = 0

    def with_instruction(self, instruction: Instruction) -> Order:
        """A copy of this order with ``instruction`` added."""
        instructions = {**self.instructions, instruction.instruction_ref: instruction}
        return attrs.evolve(self, instructions=instructions)


def _source(own: str | None, inherited: str | None) -> tuple[str | None, str]:
    # Which value wins and the ``source`` the response names. An instruction's own value is
    # reported as "CUSTOMER" -- our assumption; the docs list NONE, CUSTOMER_DEFAULT and
    # CUSTOMER without saying which one an API-set value gets (newer samples: MANUALLY_SET).
    if own:
        return own, "CUSTOMER"
    if inherited:
        return inherited, "CUSTOMER_DEFAULT"
    return None, "NONE"


def instruction_json(order: Order, instruction: Instruction) -> dict[str, JSONValue]:
    """The InstructionResponse of §5.13, restricted to the fields the fake can know.

    ``_links.self`` always points at the v1 path: v2 responses do the same (§1.2).
    """
    default = order.customer_defaults.get(instruction.customer_ref, CustomerDefault())
    fi_id, fi_source = _source(instruction.financial_instrument_id, default.financial_instrument_id)
    scheme_id, scheme_source = _source(instruction.scheme_id, default.scheme_id)
    status = "READY" if fi_id and scheme_id else "INCOMPLETE"
    # canUpdate is true while the instruction is INCOMPLETE or READY, which is always here.
    can_update = status in {"INCOMPLETE", "READY"}
    href = f"/v1/order-management/{order.order_ref}/instruction/{instruction.instruction_ref}"
    return {
        "_links": {"self": {"href": href}},
        # instructionRef is not in the documented sample response; echoing it is our assumption.
        "instructionRef": instruction.instruction_ref,
        "created": instruction.created_ms,
        "lastUpdated": instruction.last_updated_ms,
        "direction": instruction.direction,
        "status": status,
        "customerRef": instruction.customer_ref,
        "amount": instruction.amount,
        "currency": instruction.currency,
        "country": instruction.country,
        "settledByDate": instruction.settled_by_date,
        "forecastedSettlementDate": None,
        "actualSettlementDate": None,
        "executionTimestamp": None,
        "financialInstrument": {
            "financialInstrumentId": fi_id,
            "source": fi_source,
            "canUpdate": can_update,
        },
        "scheme": {"schemeId": scheme_id, "source": scheme_source, "canUpdate": can_update},
        # Customer-default metadata merged in, instruction keys win (§5.13 inheritance rule).
        "metadata": {**default.metadata, **instruction.metadata},
    }


def order_json(order: Order) -> dict[str, JSONValue]:
    """The order as ``GET /v1/order-management/{orderRef}`` returns it.

    ``customerDefaults`` uses the nested shape the docs show for responses. Listing the
    instructions inside the order is our assumption (the get-order response is undocumented).
    A default without an instrument or scheme reports ``null`` with source ``NONE``.
    """
    defaults: dict[str, JSONValue] = {}
    for ref, default in order.customer_defaults.items():
        fi_id, fi_source = _source(None, default.financial_instrument_id)
        scheme_id, scheme_source = _source(None, default.scheme_id)
        defaults[ref] = {
            "financialInstrument": {"financialInstrumentId": fi_id, "source": fi_source},
            "scheme": {"schemeId": scheme_id, "source": scheme_source},
            "metadata": dict(default.metadata),
        }
    return {
        "orderRef": order.order_ref,
        "metadata": dict(order.metadata),
        "customerDefaults": defaults,
        "instructions": [instruction_json(order, i) for i in order.instructions.values()],
    }
