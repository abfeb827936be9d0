"""Webhook payloads: decode them with the SDK's models, then confirm by reading back.

Imburse publishes no webhook signature scheme and no payload schema (``imburse-api.md``
§5.18), so nothing here *verifies* a payload. These helpers only parse one defensively into
the same models the client returns (unknown fields kept in ``.extra``); act on what
``client.instructions.get(...)`` answers, never on the payload alone. See ``docs/webhooks.md``.

>>> from imburse.webhooks import decode_instruction
>>> decode_instruction(b'{"instructionRef": "INS-1", "status": "SETTLED", "amount": 25.00}').amount
Decimal('25.00')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ._core.converter import get_converter, loads
from ._core.errors import ResponseDecodeError
from ._core.models.orders import Instruction, Order

__all__ = ["decode_instruction", "decode_order"]


def _parse(body: bytes | str | Mapping[str, Any]) -> Any:
    if isinstance(body, Mapping):
        return body
    try:
        return loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ResponseDecodeError("webhook payload is not valid JSON") from None


def decode_instruction(
    body: bytes | str | Mapping[str, Any], *, strict: bool = False
) -> Instruction:
    """Parse an instruction-shaped payload (JSON bytes, text or an already parsed mapping).

    Raises :class:`~imburse.ResponseDecodeError` when it is not JSON of that shape. If your
    payloads wrap the instruction in an envelope, pass the inner object.
    """
    return get_converter(strict).structure(_parse(body), Instruction)


def decode_order(body: bytes | str | Mapping[str, Any], *, strict: bool = False) -> Order:
    """Parse an order-shaped payload; see :func:`decode_instruction`."""
    return get_converter(strict).structure(_parse(body), Order)
