"""A pydantic v2 model of the same shape as :class:`imburse.Order` (a reference, not a dependency).

Same field types (Decimal money, datetimes, dates, nested objects), camelCase aliases, unknown
fields kept (``extra="allow"``), frozen, and enums as plain strings (the SDK keeps unknown enum
values too, so a closed pydantic Enum would do less work than the SDK).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

__all__ = ["PydOrder"]


class _Base(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel, populate_by_name=True, extra="allow", frozen=True
    )


class PydLink(_Base):
    href: str | None = None
    name: str | None = None


class PydLinks(_Base):
    self_: PydLink | None = Field(default=None, alias="self")
    financial_instruments: tuple[PydLink, ...] = ()
    transactions: tuple[PydLink, ...] = ()


class PydFinancialInstrumentRef(_Base):
    financial_instrument_id: str | None = None
    source: str | None = None
    can_update: bool | None = None
    source_flow: str | None = None


class PydSchemeRef(_Base):
    scheme_id: str | None = None
    source: str | None = None
    can_update: bool | None = None


class PydTransactionApp(_Base):
    app_id: str | None = None
    app_transaction_id: str | None = None
    app_batch_id: str | None = None
    support_details: dict[str, Any] | None = None


class PydRefund(_Base):
    refund_id: str | None = None
    created_timestamp: datetime | None = None


class PydTransaction(_Base):
    transaction_id: str | None = None
    financial_instrument_id: str | None = None
    created_timestamp: datetime | None = None
    last_updated_timestamp: datetime | None = None
    amount: Decimal | None = None
    net_amount: Decimal | None = None
    status: str | None = None
    additional_information: Any = None
    app: PydTransactionApp | None = None
    refunds: tuple[PydRefund, ...] = ()


class PydInstruction(_Base):
    instruction_ref: str | None = None
    customer_ref: str | None = None
    direction: str | None = None
    status: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    country: str | None = None
    settled_by_date: date | None = None
    forecasted_settlement_date: date | None = None
    actual_settlement_date: date | None = None
    execution_timestamp: datetime | None = None
    created: datetime | None = None
    last_updated: datetime | None = None
    financial_instrument: PydFinancialInstrumentRef | None = None
    scheme: PydSchemeRef | None = None
    metadata: dict[str, str] = Field(default_factory=dict)
    transaction: PydTransaction | None = None
    links: PydLinks | None = Field(default=None, alias="_links")


class PydCustomerDefault(_Base):
    financial_instrument: PydFinancialInstrumentRef | None = None
    scheme: PydSchemeRef | None = None
    metadata: dict[str, str] = Field(default_factory=dict)


class PydOrder(_Base):
    order_ref: str | None = None
    metadata: dict[str, str] = Field(default_factory=dict)
    customer_defaults: dict[str, PydCustomerDefault] = Field(default_factory=dict)
    instructions: tuple[PydInstruction, ...] = ()
