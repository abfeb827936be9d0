"""White-label checkout (``imburse-api.md`` §5.16): documented, but no path is published.

The request bodies are modelled in :mod:`imburse.checkout` so a caller who knows a path can
send a validated body with ``client.request``.
"""

from __future__ import annotations

from ._base import Operation, Unsupported

__all__ = ["GROUPS", "OPERATIONS", "UNSUPPORTED"]

GROUPS = ()  # no client namespace

OPERATIONS: tuple[Operation[object], ...] = ()

_REASON = (
    "path not published ([GAP]); build the body with imburse.checkout.{model}(...).to_json() "
    "and send it with client.request()"
)
UNSUPPORTED: tuple[Unsupported, ...] = (
    Unsupported(
        "checkout",
        "Create a checkout session token",
        _REASON.format(model="SessionTokenRequest"),
    ),
    Unsupported(
        "checkout",
        "Create a session token and send a pay-by-link (SMS or e-mail)",
        _REASON.format(model="PayByLinkRequest"),
    ),
    Unsupported(
        "checkout",
        "Create a session token for managing a mandate",
        _REASON.format(model="MandateSessionRequest"),
    ),
)
