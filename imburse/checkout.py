"""``imburse.checkout``: white-label checkout bodies (session tokens, pay-by-link).

Imburse documents these operations but not their paths, so the client has no methods for
them. Build a validated body here and send it with ``client.request`` once you know the
path; decode the answer with ``SessionToken.from_json`` / ``PayByLink.from_json``.

>>> from imburse.checkout import SessionTokenRequest
>>> SessionTokenRequest(order_ref="ORD-1", instruction_ref="INS-1", expiry_seconds=900).to_json()
{'orderRef': 'ORD-1', 'instructionRef': 'INS-1', 'expirySeconds': 900}
"""

from __future__ import annotations

from ._core.models.checkout import (
    BankAccount,
    Channel,
    ChannelType,
    CustomerType,
    MandateSessionRequest,
    PayByLink,
    PayByLinkRequest,
    SessionToken,
    SessionTokenRequest,
)

__all__ = [
    "BankAccount",
    "Channel",
    "ChannelType",
    "CustomerType",
    "MandateSessionRequest",
    "PayByLink",
    "PayByLinkRequest",
    "SessionToken",
    "SessionTokenRequest",
]
