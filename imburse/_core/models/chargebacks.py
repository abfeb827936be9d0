"""Direct-debit chargebacks (``imburse-openapi-pages.md`` §4.6, §7 item 5).

Imburse publishes two reads, a Bacs and a SEPA Direct Debit chargeback
(``tenant-transaction-read`` or ``tenant-admin``; 404 "Chargeback not found"), with one body
shape, but not their paths. Until a path is published the SDK has no method for them: fetch
the body with ``client.request`` and decode it with :func:`imburse.decode_model`::

    data = await client.request("GET", path_from_imburse)
    chargeback = imburse.decode_model(imburse.Chargeback, data)

The chargeback's own ``id`` is required; everything else is optional. ``amount`` is a
``Decimal``; ``claimed`` is a date, ``created`` and ``last_updated`` are aware datetimes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

import attrs

__all__ = [
    "Chargeback",
    "ChargebackStatus",
    "MatchedTransaction",
]


class ChargebackStatus(StrEnum):
    """Chargeback states seen in the samples (mixed case)."""

    PENDING = "Pending"
    COMPLETED = "Completed"


#: The known ``ChargebackStatus`` values, for type checkers (see :class:`ChargebackStatus`).
ChargebackStatusLiteral = Literal["Pending", "Completed"]
ChargebackStatusValue = Annotated[ChargebackStatusLiteral, ChargebackStatus]


@attrs.frozen
class MatchedTransaction:
    """The collection a chargeback was matched to: its refs and ids."""

    customer_ref: str | None = None
    financial_instrument_id: str | None = None
    transaction_id: str | None = None
    order_ref: str | None = None
    instruction_ref: str | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)


@attrs.frozen
class Chargeback:
    """A Bacs or SEPA Direct Debit chargeback (``reasonCode`` ``"1"`` for Bacs ARUDD-style
    codes, ``"MD01"`` for SEPA reason codes).

    >>> import imburse
    >>> chargeback = imburse.decode_model(Chargeback, {"id": "c-1", "amount": "10.50"})
    >>> chargeback.id, chargeback.amount
    ('c-1', Decimal('10.50'))
    """

    id: str  # required: the chargeback's own id
    created: datetime | None = None
    last_updated: datetime | None = None
    claimed: date | None = None
    status: ChargebackStatusValue | None = None
    app_id: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    reason_code: str | None = None
    reason_description: str | None = None
    paying_bank_reference: str | None = None
    mandate_ref: str | None = None
    matched_transaction: MatchedTransaction | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)
    correlation_id: str | None = attrs.field(default=None, repr=False, eq=False)
