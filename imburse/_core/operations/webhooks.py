"""Webhooks (``imburse-api.md`` §5.18): nothing current is published.

Listed so the reference says so; ``docs/webhooks.md`` explains how to handle payloads.
"""

from __future__ import annotations

from ._base import Operation, Unsupported

__all__ = ["GROUPS", "OPERATIONS", "UNSUPPORTED"]

GROUPS = ()  # no client namespace

OPERATIONS: tuple[Operation[object], ...] = ()

UNSUPPORTED: tuple[Unsupported, ...] = (
    Unsupported(
        "webhooks",
        "Manage webhook subscriptions",
        "no current endpoint is published ([GAP]); configure webhooks in the Imburse portal",
    ),
    Unsupported(
        "webhooks",
        "Verify a webhook's signature",
        "Imburse publishes no signature scheme; read the order or instruction back instead "
        "(see docs/webhooks.md)",
    ),
)
