"""Orders and instructions (``imburse-api.md`` §5.13): request inputs and decoded responses.

Inputs validate themselves on construction, so a bad value raises
:class:`~imburse.ValidationError` naming the field before any request exists. Responses keep
every field optional except the order's own ref and an instruction's direction, amount and
currency, which every published body carries (a field without a default is required, see
:mod:`imburse._core.rules`; the published instruction body has no ``instructionRef``):
Imburse's samples differ between versions and a missing field must not break a payment flow.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs

from ..errors import ValidationError
from ..validation import (
    check_amount,
    check_country,
    check_currency,
    check_date,
    check_metadata,
    check_ref,
    shown,
)
from ._checks import check_opaque_id
from .enums import (
    Direction,
    DirectionLiteral,
    DirectionValue,
    InstructionStatusValue,
    TransactionStatusValue,
    ValueSourceValue,
)

__all__ = [
    "CustomerDefault",
    "CustomerDefaultInput",
    "FinancialInstrumentRef",
    "Instruction",
    "InstructionInput",
    "Link",
    "Links",
    "Order",
    "OrderInput",
    "SchemeRef",
    "Transaction",
]


def _extra() -> Any:
    return attrs.field(factory=dict, repr=False, eq=False)


def _correlation_id() -> Any:
    return attrs.field(default=None, repr=False, eq=False)


# --- inputs ---------------------------------------------------------------------------------


def _check_direction(value: DirectionLiteral | Direction) -> str:
    if value not in (Direction.CREDIT, Direction.DEBIT):
        raise ValidationError("direction", f"must be 'DEBIT' or 'CREDIT' (got {shown(value)})")
    return str(value)


def _optional_id(field: str, value: Any) -> str | None:
    return None if value is None else check_opaque_id(field, value)


# attrs converters must be named functions for mypy; each one names its field for the error.
# Their parameter types are the constructor's (mypy's attrs plugin reads them): what a caller
# may pass, checked again at run time for callers without a type checker.
def _scheme_id(value: str | None) -> str | None:
    return _optional_id("scheme_id", value)


def _instrument_id(value: str | None) -> str | None:
    return _optional_id("financial_instrument_id", value)


def _metadata(value: Mapping[str, str] | None) -> dict[str, str] | None:
    return check_metadata("metadata", value)


def _order_ref(value: str) -> str:
    return check_ref("order_ref", value)


def _instruction_ref(value: str) -> str:
    return check_ref("instruction_ref", value)


def _customer_ref(value: str) -> str:
    return check_ref("customer_ref", value)


def _amount(value: Decimal | int | str) -> Decimal:
    # Checked with the currency (its minor unit) in __attrs_post_init__: a converter sees
    # one field only.
    result: Decimal = value  # type: ignore[assignment]
    return result


def _currency(value: str) -> str:
    return check_currency("currency", value)


def _country(value: str) -> str:
    return check_country("country", value)


def _settled_by(value: date | str | None) -> date | None:
    return check_date("settled_by_date", value)


@attrs.frozen
class CustomerDefaultInput:
    """Defaults inherited by instructions of one customer (the flat request shape).

    >>> CustomerDefaultInput(scheme_id="654EB81FF7F07F7CF5A1EE3FF6972E90").scheme_id
    '654EB81FF7F07F7CF5A1EE3FF6972E90'
    """

    financial_instrument_id: str | None = attrs.field(default=None, converter=_instrument_id)
    scheme_id: str | None = attrs.field(default=None, converter=_scheme_id)
    metadata: Mapping[str, str] | None = attrs.field(default=None, converter=_metadata)


@attrs.frozen
class InstructionInput:
    """One payment to collect (``DEBIT``) or pay out (``CREDIT``).

    ``amount`` must be exact in the currency's minor unit and is kept with exactly that many
    decimals (``"200"`` in GBP is ``200.00``; ``"12.5"`` in JPY is refused).

    >>> InstructionInput(instruction_ref="INS-1", customer_ref="CUS-1", direction="DEBIT",
    ...                  amount="200", currency="GBP", country="GB").amount
    Decimal('200.00')
    """

    instruction_ref: str = attrs.field(converter=_instruction_ref)
    customer_ref: str = attrs.field(converter=_customer_ref)
    direction: str = attrs.field(converter=_check_direction)
    amount: Decimal = attrs.field(converter=_amount)
    currency: str = attrs.field(converter=_currency)
    country: str = attrs.field(converter=_country)
    scheme_id: str | None = attrs.field(default=None, converter=_scheme_id)
    financial_instrument_id: str | None = attrs.field(default=None, converter=_instrument_id)
    settled_by_date: date | None = attrs.field(default=None, converter=_settled_by)
    metadata: Mapping[str, str] | None = attrs.field(default=None, converter=_metadata)

    def __attrs_post_init__(self) -> None:
        # Exact in the currency's minor unit, stored as sent: GBP "12.5" becomes 12.50.
        object.__setattr__(self, "amount", check_amount("amount", self.amount, self.currency))

    @classmethod
    def coerce(cls, value: InstructionInput | Mapping[str, Any], field: str) -> InstructionInput:
        """Accept an ``InstructionInput`` or a mapping of its snake_case arguments.

        Errors are re-raised with ``field`` as prefix, e.g. ``instructions[2].amount``.
        """
        if isinstance(value, InstructionInput):
            return value
        if not isinstance(value, Mapping):
            raise ValidationError(
                field, f"must be an InstructionInput or a mapping, not {shown(value)}"
            )
        try:
            return cls(**value)
        except ValidationError as err:
            raise ValidationError(f"{field}.{err.field}", err.problem) from None
        except TypeError as err:
            raise ValidationError(
                field, str(err).replace("InstructionInput.__init__() ", "")
            ) from None


def _instructions(value: Any) -> tuple[InstructionInput, ...]:
    if value is None:
        return ()
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ValidationError("instructions", "must be a sequence of instructions")
    items = tuple(InstructionInput.coerce(v, f"instructions[{i}]") for i, v in enumerate(value))
    refs = [i.instruction_ref for i in items]
    duplicates = sorted({r for r in refs if refs.count(r) > 1})
    if duplicates:
        raise ValidationError("instructions", f"duplicate instruction_ref {duplicates}")
    return items


def _customer_defaults(value: Any) -> Mapping[str, CustomerDefaultInput] | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise ValidationError("customer_defaults", "must map customer_ref to defaults")
    result: dict[str, CustomerDefaultInput] = {}
    for ref, item in value.items():
        check_ref(f"customer_defaults[{shown(ref)}]", ref)
        if isinstance(item, CustomerDefaultInput):
            result[ref] = item
        elif isinstance(item, Mapping):
            try:
                result[ref] = CustomerDefaultInput(**item)
            except ValidationError as err:
                raise ValidationError(
                    f"customer_defaults[{ref!r}].{err.field}", err.problem
                ) from None
            except TypeError as err:  # unknown or non-str keys, e.g. camelCase "schemeId"
                raise ValidationError(
                    f"customer_defaults[{ref!r}]",
                    str(err).replace("CustomerDefaultInput.__init__() ", ""),
                ) from None
        else:
            raise ValidationError(f"customer_defaults[{ref!r}]", "must be a mapping")
    return result


@attrs.frozen
class OrderInput:
    """A payment order, optionally with its instructions.

    >>> OrderInput(order_ref="ORD-1", metadata={"policy": "P-9"}).order_ref
    'ORD-1'
    """

    order_ref: str = attrs.field(converter=_order_ref)
    instructions: tuple[InstructionInput, ...] = attrs.field(default=(), converter=_instructions)
    metadata: Mapping[str, str] | None = attrs.field(default=None, converter=_metadata)
    customer_defaults: Mapping[str, CustomerDefaultInput] | None = attrs.field(
        default=None, converter=_customer_defaults
    )


# --- responses ------------------------------------------------------------------------------


@attrs.frozen
class Link:
    """A hypermedia link from ``_links``."""

    href: str | None = None
    name: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Links:
    """The ``_links`` block of an instruction or customer."""

    self_: Link | None = attrs.field(default=None, metadata={"wire": "self"})
    financial_instruments: tuple[Link, ...] = ()
    transactions: tuple[Link, ...] = ()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class FinancialInstrumentRef:
    """Which financial instrument an instruction uses, and where that choice came from."""

    financial_instrument_id: str | None = None
    source: ValueSourceValue | None = None
    can_update: bool | None = None
    source_flow: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class SchemeRef:
    """Which collect or payout scheme an instruction uses."""

    scheme_id: str | None = None
    source: ValueSourceValue | None = None
    can_update: bool | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class TransactionApp:
    """The payment app that processed a transaction (e.g. Stripe's ``pi_...`` id)."""

    app_id: str | None = None
    app_transaction_id: str | None = None
    app_batch_id: str | None = None
    support_details: Mapping[str, Any] | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Refund:
    """A refund of a transaction; only its first fields are published."""

    refund_id: str | None = None
    created_timestamp: datetime | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Transaction:
    """The money movement behind an instruction."""

    transaction_id: str | None = None
    financial_instrument_id: str | None = None
    created_timestamp: datetime | None = None
    last_updated_timestamp: datetime | None = None
    amount: Decimal | None = None
    net_amount: Decimal | None = None
    status: TransactionStatusValue | None = None
    additional_information: Any = None
    app: TransactionApp | None = None
    refunds: tuple[Refund, ...] = ()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Instruction:
    """An instruction as Imburse reports it (``GET .../instruction/{ref}``).

    ``correlation_id`` is the id the SDK sent for the call that fetched it.
    """

    instruction_ref: str | None = None  # not in every published instruction body
    customer_ref: str | None = None
    # Every published instruction body (2019 and newer) carries these three: required, so a
    # body without one is a ResponseDecodeError naming it (see imburse._core.rules).
    # Keyword-only, so the positional order of the other fields is unchanged.
    direction: DirectionValue = attrs.field(kw_only=True)
    status: InstructionStatusValue | None = None
    amount: Decimal = attrs.field(kw_only=True)
    currency: str = attrs.field(kw_only=True)
    country: str | None = None
    settled_by_date: date | None = None
    forecasted_settlement_date: date | None = None
    actual_settlement_date: date | None = None
    execution_timestamp: datetime | None = None
    created: datetime | None = None
    last_updated: datetime | None = None
    financial_instrument: FinancialInstrumentRef | None = None
    scheme: SchemeRef | None = None
    metadata: Mapping[str, str] = attrs.field(factory=dict)
    transaction: Transaction | None = None
    links: Links | None = attrs.field(default=None, metadata={"wire": "_links"})
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = _correlation_id()


@attrs.frozen
class CustomerDefault:
    """A customer's defaults on an order, in the nested response shape."""

    financial_instrument: FinancialInstrumentRef | None = None
    scheme: SchemeRef | None = None
    metadata: Mapping[str, str] = attrs.field(factory=dict)
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Order:
    """A payment order and its instructions (``GET /v1/order-management/{orderRef}``)."""

    order_ref: str  # required: the order's own ref
    metadata: Mapping[str, str] = attrs.field(factory=dict)
    customer_defaults: Mapping[str, CustomerDefault] = attrs.field(factory=dict)
    instructions: tuple[Instruction, ...] = ()
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = _correlation_id()
