"""Chargebacks (pages file §4.6, §7 item 5) and the v2 financial-instrument body: decoded from
bodies assembled from the published field lists and samples, through the public
:func:`imburse.decode_model` (what a caller uses with ``client.request``). Pure."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

import imburse
from imburse._core.converter import get_converter
from imburse._core.errors import ResponseDecodeError
from imburse._core.models.chargebacks import Chargeback, ChargebackStatus, MatchedTransaction
from imburse._core.models.instruments import FinancialInstrumentV2

BACS = b"""{
  "id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
  "created": "2023-08-14T12:39:38.499Z",
  "lastUpdated": "2023-08-15T09:00:00Z",
  "claimed": "2023-08-14",
  "status": "Pending",
  "appId": "BOTTOMLINE",
  "amount": 125.50,
  "currency": "GBP",
  "reasonCode": "1",
  "reasonDescription": "Instruction cancelled",
  "payingBankReference": "PBR-0001",
  "mandateRef": "MANDATE-0001",
  "matchedTransaction": {
    "customerRef": "CUS-1",
    "financialInstrumentId": "0f4e2a9c-1d2b-4c3d-8e5f-6a7b8c9d0e1f",
    "transactionId": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    "orderRef": "ORD-1",
    "instructionRef": "INS-1"
  }
}"""

SEPA = {
    "id": "9b2f0c1e-0000-4000-8000-000000000001",
    "created": "2023-09-01T10:00:00Z",
    "lastUpdated": "2023-09-02T10:00:00Z",
    "claimed": "2023-09-01",
    "status": "Completed",
    "appId": "SEPA_APP",
    "amount": Decimal("12.34"),
    "currency": "EUR",
    "reasonCode": "MD01",
    "reasonDescription": "No mandate",
    "payingBankReference": "PBR-0002",
    "mandateRef": "MANDATE-0002",
    "matchedTransaction": {"customerRef": "CUS-2", "orderRef": "ORD-2", "instructionRef": "I-2"},
}


def test_a_bacs_chargeback_body_decodes_with_decimal_money_and_aware_times() -> None:
    chargeback = imburse.decode_model(Chargeback, BACS, strict=True)
    assert chargeback == Chargeback(
        id="3fa85f64-5717-4562-b3fc-2c963f66afa6",
        created=datetime(2023, 8, 14, 12, 39, 38, 499000, tzinfo=UTC),
        last_updated=datetime(2023, 8, 15, 9, 0, tzinfo=UTC),
        claimed=date(2023, 8, 14),
        status=ChargebackStatus.PENDING,
        app_id="BOTTOMLINE",
        amount=Decimal("125.50"),
        currency="GBP",
        reason_code="1",
        reason_description="Instruction cancelled",
        paying_bank_reference="PBR-0001",
        mandate_ref="MANDATE-0001",
        matched_transaction=MatchedTransaction(
            customer_ref="CUS-1",
            financial_instrument_id="0f4e2a9c-1d2b-4c3d-8e5f-6a7b8c9d0e1f",
            transaction_id="7c9e6679-7425-40de-944b-e07fc1f90ae7",
            order_ref="ORD-1",
            instruction_ref="INS-1",
        ),
    )
    assert str(chargeback.amount) == "125.50"  # the digits sent, never through float


def test_a_sepa_chargeback_as_client_request_returns_it_decodes() -> None:
    """``client.request`` returns parsed JSON (numbers as Decimal); that value decodes."""
    chargeback = imburse.decode_model(Chargeback, SEPA, strict=True, correlation_id="c-1")
    assert chargeback.status is ChargebackStatus.COMPLETED
    assert (chargeback.reason_code, chargeback.amount) == ("MD01", Decimal("12.34"))
    assert chargeback.correlation_id == "c-1"


def test_text_and_bytes_decode_alike() -> None:
    as_text = imburse.decode_model(Chargeback, BACS.decode())
    assert as_text == imburse.decode_model(Chargeback, BACS)


def test_lenient_by_default_strict_on_request() -> None:
    body = {**SEPA, "status": "Reversed", "newField": 1}
    chargeback = imburse.decode_model(Chargeback, body)
    assert chargeback.status == "Reversed"
    assert chargeback.extra == {"newField": 1}
    with pytest.raises(ResponseDecodeError):
        imburse.decode_model(Chargeback, body, strict=True)


def test_decode_model_goes_through_the_sdks_one_converter() -> None:
    """Same answer as the converter every call uses, in both modes."""
    for strict in (False, True):
        assert imburse.decode_model(Chargeback, SEPA, strict=strict) == get_converter(
            strict
        ).structure(SEPA, Chargeback)


@pytest.mark.parametrize(
    "body",
    [b"not json", b'{"id": null}', b"{}", b"[]", json.dumps({"amount": "1"}).encode()],
)
def test_broken_bodies_raise_response_decode_error(body: bytes) -> None:
    with pytest.raises(ResponseDecodeError):
        imburse.decode_model(Chargeback, body)


def test_a_non_model_is_a_type_error() -> None:
    with pytest.raises(TypeError):
        imburse.decode_model(dict, {})
    with pytest.raises(TypeError, match="MandatePage"):
        imburse.decode_model(imburse.Page[Chargeback], {"results": []})


def test_the_v2_financial_instrument_body_decodes_with_a_decimal_amount() -> None:
    fi = imburse.decode_model(
        FinancialInstrumentV2,
        b'{"id": "0f4e2a9c-1d2b-4c3d-8e5f-6a7b8c9d0e1f", "attempt": 1, "type": "CARD",'
        b' "createdDate": 1692016778499, "orderRef": "ORD-1", "instructionRef": "INS-1",'
        b' "amount": 200.10, "currency": "CHF"}',
        strict=True,
    )
    assert fi == FinancialInstrumentV2(
        id="0f4e2a9c-1d2b-4c3d-8e5f-6a7b8c9d0e1f",
        attempt=1,
        type="CARD",
        created_date=datetime(2023, 8, 14, 12, 39, 38, 499000, tzinfo=UTC),
        order_ref="ORD-1",
        instruction_ref="INS-1",
        amount=Decimal("200.10"),
        currency="CHF",
    )
    with pytest.raises(ResponseDecodeError):
        imburse.decode_model(FinancialInstrumentV2, {"attempt": 1})
