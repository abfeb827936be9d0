"""What a create returns: Imburse answers creates with 201/202, usually without a body."""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    # Only for annotations: a client imports receipts, and must not pay for the order
    # models until a create is made.
    from .orders import Instruction, Order

__all__ = ["CreateReceipt"]


@attrs.frozen
class CreateReceipt:
    """Proof that a create was applied, built without an extra request.

    ``accepted`` is true for a 202 (e.g. an order created together with its instructions).
    ``reconciled`` is true when an attempt's outcome was unknown and the SDK settled it by
    reading the object back and finding exactly what was sent.

    ``body`` is the created object when the answer carried one, decoded (Imburse's 2019
    tutorial shows an instruction body on a 201; the current reference documents none), and
    ``None`` otherwise; :attr:`instruction` and :attr:`order` give it typed.

    >>> CreateReceipt(ref="ORD-1", status_code=202, correlation_id="c-1", attempts=1).accepted
    True
    """

    ref: str
    status_code: int
    correlation_id: str
    attempts: int
    reconciled: bool = False
    body: Order | Instruction | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def accepted(self) -> bool:
        """True when Imburse answered ``202 Accepted``."""
        return self.status_code == 202

    @property
    def instruction(self) -> Instruction | None:
        """The created instruction, when the answer of an instruction create carried it."""
        from .orders import Instruction

        return self.body if isinstance(self.body, Instruction) else None

    @property
    def order(self) -> Order | None:
        """The created order, when the answer of an order create carried it."""
        from .orders import Order

        return self.body if isinstance(self.body, Order) else None
