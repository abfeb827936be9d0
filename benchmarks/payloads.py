"""Canned wire bodies shared by the benchmark server and the decode benchmark.

The order is what the fake Imburse answers for an order with two instructions, one of them
settled with a transaction: about 1.5 KB, with Decimal amounts, epoch-millisecond timestamps,
ISO dates, enums, nested objects and ``_links``.
"""

from __future__ import annotations

import json

__all__ = [
    "ACCOUNT_ID",
    "ORDER_BODY",
    "ORDER_REF",
    "PRIVATE_KEY",
    "PUBLIC_KEY",
    "TENANT_ID",
    "token_body",
]

PUBLIC_KEY = "a123456b-c12c-123d-1ab4-18bd8c8e88a3"
PRIVATE_KEY = "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y="
ACCOUNT_ID = "1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c"
TENANT_ID = "2bb81e1e-b072-4e64-b1ec-fdcc54f2d08c"
ORDER_REF = "ORD-BENCH-000001"


def _instruction(n: int, settled: bool) -> dict[str, object]:
    ref = f"INS-{n:06d}"
    item: dict[str, object] = {
        "_links": {"self": {"href": f"/v1/order-management/ORD-BENCH-000001/instruction/{ref}"}},
        "instructionRef": ref,
        "created": 1732485600123,
        "lastUpdated": 1732489200456,
        "direction": "DEBIT",
        "status": "SETTLED" if settled else "READY",
        "customerRef": "CUS-000042",
        "amount": 1250.75,
        "currency": "GBP",
        "country": "GB",
        "settledByDate": "2024-12-01",
        "forecastedSettlementDate": None,
        "actualSettlementDate": "2024-11-28" if settled else None,
        "executionTimestamp": None,
        "financialInstrument": {
            "financialInstrumentId": "FI-7f3a2c",
            "source": "CUSTOMER",
            "canUpdate": True,
        },
        "scheme": {
            "schemeId": "654EB81FF7F07F7CF5A1EE3FF6972E90",
            "source": "CUSTOMER",
            "canUpdate": True,
        },
        "metadata": {"installment": str(n)},
    }
    if settled:
        item["transaction"] = {
            "transactionId": "TX-91c2e5d0",
            "amount": 1250.75,
            "netAmount": 1238.25,
            "status": "SUCCESS",
            "createdTimestamp": 1732485700000,
        }
    return item


ORDER = {
    "orderRef": "ORD-BENCH-000001",
    "metadata": {"policy": "P-000123", "source": "batch"},
    "customerDefaults": {},
    "instructions": [_instruction(0, True), _instruction(1, False)],
}
ORDER_BODY: bytes = json.dumps(ORDER, separators=(",", ":")).encode()


def token_body(now: float, ttl: float = 3600.0) -> bytes:
    """A token answer (``expires`` in epoch seconds) valid for ``ttl`` seconds."""
    token = "eyJhbGciOiJIUzI1NiJ9.eyJhY2NvdW50IjoiYmVuY2gifQ.c2lnbmF0dXJl"  # noqa: S105 - canned
    return json.dumps({"accessToken": token, "expires": int(now + ttl)}).encode()
