"""The v2 financial-instrument body (issue 15 item 6): an instrument used by one instruction.

Unlike the customer vault's :class:`~imburse.FinancialInstrument` (a stored mandate or card
with details and capabilities), this body ties an instrument to one payment attempt:
``{id, attempt, type, createdDate, orderRef, instructionRef, amount, currency}``. Its own
``id`` is required; ``amount`` is a ``Decimal``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

__all__ = ["FinancialInstrumentV2"]


@attrs.frozen
class FinancialInstrumentV2:
    """A v2 financial instrument: which attempt of which instruction it paid, and how much.

    >>> from imburse import decode_model
    >>> fi = decode_model(FinancialInstrumentV2, b'{"id": "fi-1", "attempt": 2, "amount": 12.30}')
    >>> fi.attempt, fi.amount
    (2, Decimal('12.30'))
    """

    id: str  # required: the instrument's own id
    attempt: int | None = None
    type: str | None = None
    created_date: datetime | None = None
    order_ref: str | None = None
    instruction_ref: str | None = None
    amount: Decimal | None = None
    currency: str | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, repr=False, eq=False)
    correlation_id: str | None = attrs.field(default=None, repr=False, eq=False)
