"""What a create returns: Imburse answers creates with 201/202 and no documented body."""

from __future__ import annotations

import attrs

__all__ = ["CreateReceipt"]


@attrs.frozen
class CreateReceipt:
    """Proof that a create was applied, built without an extra request.

    ``accepted`` is true for a 202 (e.g. an order created together with its instructions).
    ``reconciled`` is true when an attempt's outcome was unknown and the SDK settled it by
    reading the object back and finding exactly what was sent.

    >>> CreateReceipt(ref="ORD-1", status_code=202, correlation_id="c-1", attempts=1).accepted
    True
    """

    ref: str
    status_code: int
    correlation_id: str
    attempts: int
    reconciled: bool = False

    @property
    def accepted(self) -> bool:
        """True when Imburse answered ``202 Accepted``."""
        return self.status_code == 202
