"""Webhook payload helpers: parse with the SDK's models, verify nothing (§5.18)."""

from __future__ import annotations

from decimal import Decimal

import pytest

import imburse
from imburse import ResponseDecodeError
from imburse.webhooks import decode_instruction, decode_order

# Instruction-shaped, as the InstructionResponse of OA:txn-v2 (no payload sample is public).
PAYLOAD = b"""{
  "_links": {"self": {"href": "/v1/order-management/ORD-1/instruction/INS-1"}},
  "created": 1692016778499, "lastUpdated": 1692016779499,
  "direction": "DEBIT", "status": "SETTLED", "customerRef": "CUS-1",
  "amount": 200.00, "currency": "GBP", "country": "GB", "settledByDate": "2023-08-31",
  "metadata": {"policy": "P-9"},
  "transaction": {"transactionId": "t-1", "amount": 200.00, "netAmount": 196.70,
                  "status": "SUCCESS"},
  "eventType": "instruction.settled"
}"""


def test_instruction_payload_decodes_into_the_client_model() -> None:
    instruction = imburse.decode_instruction(PAYLOAD)
    assert isinstance(instruction, imburse.Instruction)
    assert (instruction.status, instruction.amount) == ("SETTLED", Decimal("200.00"))
    assert instruction.transaction is not None
    assert instruction.transaction.net_amount == Decimal("196.70")
    assert instruction.metadata == {"policy": "P-9"}
    assert instruction.extra == {"eventType": "instruction.settled"}
    assert instruction.links is not None
    assert instruction.links.self_ is not None
    assert instruction.links.self_.href == "/v1/order-management/ORD-1/instruction/INS-1"


def test_text_and_mappings_are_accepted_and_strict_mode_refuses_unknown_fields() -> None:
    assert decode_instruction(PAYLOAD.decode()).status == "SETTLED"
    assert decode_order({"orderRef": "ORD-1", "metadata": {}}).order_ref == "ORD-1"
    with pytest.raises(ResponseDecodeError):
        decode_instruction(PAYLOAD, strict=True)


@pytest.mark.parametrize("body", [b"", b"<html>", b"[1, 2]", b"null"])
def test_garbage_is_a_decode_error(body: bytes) -> None:
    with pytest.raises(ResponseDecodeError):
        decode_instruction(body)
