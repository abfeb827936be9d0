"""Customer vault answers (§5.14) decoded from sample bodies written out by hand.

The reward-claim transaction is the documented sample of GH ``claiming-a-reward.md``
(redemption text shortened); the customers are assembled from the field lists of the v1 and
v2 OpenAPI pages, with the v1/v2 differences the notes record.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from imburse import ResponseDecodeError
from imburse._core.decode import decode_response
from imburse._core.models.customers import (
    CredentialType,
    CustomerStatus,
    InstrumentStatus,
    RewardClaimStatus,
)
from imburse._core.operations.customers import (
    CREATE_MOBILE_INSTRUMENT,
    GET_CUSTOMER,
    GET_CUSTOMER_V2,
    GET_REWARD_TRANSACTION,
    GET_TRANSACTION,
    GET_WALLET,
)

REWARD_SETTLED = b"""{
    "status": "SETTLED",
    "data":
      {
        "credentialList": [
            {
                "label": "Gutscheincode - Claim Code",
                "value": "2A28-HVZ86C-GABK",
                "rewardType": null,
                "credentialType": "cardNumber"
            },
            {
                "label": "Verfallsdatum - Expiration Date",
                "value": "2029-06-14T21:59:59Z",
                "rewardType": null,
                "credentialType": "expirationDate"
            }
        ],
        "redemptionInstructions": "<p><strong>To redeem the code, please proceed as follows:</strong></p><ol><li>Go to&nbsp;<a href=\\"http://www.amazon.de/\\">www.amazon.de/gp/gc</a>.</li></ol>"
      }
}"""

CUSTOMER_V1 = b"""{
  "_links": {
    "self": {"href": "/v1/customer-vault/CUS-1"},
    "financialInstruments": [
      {"href": "/v1/customer-vault/CUS-1/financial-instrument/1c3d5e7f-0000-4000-8000-000000000001",
       "name": "MANDATE:BACS_DIRECT_DEBIT"}
    ]
  },
  "status": "ACTIVE",
  "metadata": {"segment": "gold"},
  "financialInstruments": [
    {
      "id": "1c3d5e7f-0000-4000-8000-000000000001",
      "type": "MANDATE:BACS_DIRECT_DEBIT",
      "status": "ACTIVE",
      "displayName": "Bacs Direct Debit ****5678",
      "createdDate": 1610000000000,
      "authorizationSource": "WEB",
      "details": {
        "financialInstrumentType": "MANDATE:BACS_DIRECT_DEBIT",
        "mandateReference": "MANDATE-0001",
        "debtorName": "Ada Lovelace",
        "debtorAccountNumber": 12345678,
        "debtorBranchCode": 200000,
        "debtorBankName": "Example Bank",
        "creditorName": "Example Insurer",
        "creditorIdentifier": "GB12ZZZ123456",
        "imburseMandateId": "9e8d7c6b-0000-4000-8000-000000000002",
        "statusReason": null,
        "hasFirstTransactionBeenSent": false,
        "providerName": "GoCardless",
        "providerMandateRef": "MD000123",
        "authorizationSource": "WEB",
        "authorizationFrequency": "Monthly"
      },
      "capabilities": {"valueType": "VARIABLE", "usageType": "MULTIPLE",
                       "canCredit": false, "canDebit": true},
      "agreement": {"agreementType": "Reuse"}
    }
  ]
}"""

CUSTOMER_V2 = b"""{
  "_links": {"self": {"href": "/v1/customer-vault/CUS-2"}, "financialInstruments": []},
  "status": "ACTIVE",
  "metadata": {},
  "financialInstruments": [
    {
      "id": "2d4e6f80-0000-4000-8000-000000000003",
      "type": "MANDATE:ACH",
      "status": "INACTIVE",
      "createdTimestamp": 1692016778499,
      "details": {
        "debtorAccountNumber": "000123456789",
        "debtorBranchCode": "021000021",
        "debtorAccountType": "Checking",
        "debtorSignatoryName": "Ada Lovelace",
        "hasFirstTransactionBeenSent": "True",
        "providerName": "Ach"
      },
      "wallet": {"enabled": true},
      "newField": {"x": 1}
    }
  ]
}"""


def test_settled_reward_claim_sample() -> None:
    tx = decode_response(GET_REWARD_TRANSACTION, 200, {}, REWARD_SETTLED, correlation_id="c-1")
    assert tx.status == RewardClaimStatus.SETTLED
    assert tx.settling is False
    assert tx.correlation_id == "c-1"
    assert [(c.label, c.value, c.reward_type, c.credential_type) for c in tx.credential_list] == [
        ("Gutscheincode - Claim Code", "2A28-HVZ86C-GABK", None, CredentialType.CARD_NUMBER),
        ("Verfallsdatum - Expiration Date", "2029-06-14T21:59:59Z", None, "expirationDate"),
    ]
    assert tx.redemption_instructions is not None
    assert tx.redemption_instructions.startswith("<p><strong>To redeem")
    assert '<a href="http://www.amazon.de/">' in tx.redemption_instructions


@pytest.mark.parametrize(
    ("body", "status", "settling"),
    [
        (b'{"status": "SETTLING", "data": null}', "SETTLING", True),
        (b'{"status": "FAILED", "data": null}', "FAILED", False),
        (b'{"data": null}', None, True),
        (b'{"status": "REVERSED"}', "REVERSED", False),
    ],
)
def test_reward_claim_states(body: bytes, status: str | None, settling: bool) -> None:
    tx = decode_response(GET_REWARD_TRANSACTION, 200, {}, body)
    assert (tx.status, tx.settling, tx.credential_list, tx.redemption_instructions) == (
        status,
        settling,
        (),
        None,
    )


def test_unknown_credential_and_reward_types_are_kept() -> None:
    body = (
        b'{"status":"SETTLED","data":{"credentialList":[{"label":"Link","value":"https://x",'
        b'"rewardType":"qr","credentialType":"hologram"}]}}'
    )
    tx = decode_response(GET_REWARD_TRANSACTION, 200, {}, body)
    assert (tx.credential_list[0].reward_type, tx.credential_list[0].credential_type) == (
        "qr",
        "hologram",
    )
    with pytest.raises(ResponseDecodeError):
        decode_response(GET_REWARD_TRANSACTION, 200, {}, body, strict=True)


def test_v1_customer() -> None:
    customer = decode_response(GET_CUSTOMER, 200, {}, CUSTOMER_V1, correlation_id="c-2")
    assert customer.correlation_id == "c-2"
    assert customer.status == CustomerStatus.ACTIVE
    assert customer.metadata == {"segment": "gold"}
    assert customer.links.self_.href == "/v1/customer-vault/CUS-1"
    assert customer.links.financial_instruments[0].name == "MANDATE:BACS_DIRECT_DEBIT"
    (fi,) = customer.financial_instruments
    assert fi.id == "1c3d5e7f-0000-4000-8000-000000000001"
    assert fi.status == InstrumentStatus.ACTIVE
    assert fi.created == datetime(2021, 1, 7, 6, 13, 20, tzinfo=UTC)
    assert fi.created_date == fi.created
    assert fi.created_timestamp is None
    details = fi.details
    # Numbers in v1 samples arrive as strings, like v2's.
    assert (details.debtor_account_number, details.debtor_branch_code) == ("12345678", "200000")
    assert details.has_first_transaction_been_sent is False
    assert (details.provider_name, details.authorization_frequency) == ("GoCardless", "Monthly")
    assert fi.capabilities.can_debit is True
    assert fi.capabilities.can_credit is False
    assert (fi.capabilities.value_type, fi.capabilities.usage_type) == ("VARIABLE", "MULTIPLE")
    assert fi.agreement.agreement_type == "Reuse"
    assert fi.wallet is None


def test_v2_customer_and_wallet_forms() -> None:
    for operation in (GET_CUSTOMER_V2, GET_WALLET):
        customer = decode_response(operation, 200, {}, CUSTOMER_V2)
        (fi,) = customer.financial_instruments
        assert fi.status == InstrumentStatus.INACTIVE
        assert fi.created == datetime(2023, 8, 14, 12, 39, 38, 499000, tzinfo=UTC)
        assert fi.created_timestamp == fi.created
        assert fi.created_date is None
        assert fi.details.has_first_transaction_been_sent is True  # the string "True"
        assert fi.details.debtor_account_number == "000123456789"
        assert fi.details.debtor_account_type == "Checking"
        assert fi.wallet.enabled is True
        assert fi.extra == {"newField": {"x": 1}}


@pytest.mark.parametrize("flag", [b'"true"', b'"False"', b"true"])
def test_first_transaction_flag_in_every_form(flag: bytes) -> None:
    body = (
        b'{"financialInstruments":[{"id":"fi-1","details":{"hasFirstTransactionBeenSent":'
        + flag
        + b"}}]}"
    )
    customer = decode_response(GET_CUSTOMER, 200, {}, body)
    expected = flag.strip(b'"').lower() == b"true"
    assert customer.financial_instruments[0].details.has_first_transaction_been_sent is expected


def test_a_flag_that_is_no_boolean_is_kept_raw_unless_strict() -> None:
    body = b'{"financialInstruments":[{"id":"fi-1","details":{"hasFirstTransactionBeenSent":"maybe"}}]}'
    details = decode_response(GET_CUSTOMER, 200, {}, body).financial_instruments[0].details
    assert details.has_first_transaction_been_sent is None
    assert details.extra == {"hasFirstTransactionBeenSent": "maybe"}
    with pytest.raises(ResponseDecodeError, match="hasFirstTransactionBeenSent"):
        decode_response(GET_CUSTOMER, 200, {}, body, strict=True)


def test_an_instrument_without_its_id_is_a_decode_error() -> None:
    """The instrument's own id is required (issue 15 item 1): missing or null fails the call."""
    for instrument in (b"{}", b'{"id": null}'):
        body = b'{"financialInstruments":[' + instrument + b"]}"
        with pytest.raises(ResponseDecodeError, match="FinancialInstrument: required field 'id'"):
            decode_response(GET_CUSTOMER, 200, {}, body)


def test_instrument_transaction() -> None:
    body = (
        b'{"transactionId":"8f482020-965f-4e9b-afb2-1e6e4336e6da",'
        b'"financialInstrumentId":"1c3d5e7f-0000-4000-8000-000000000001",'
        b'"createdTimestamp":1692016778499,"lastUpdatedTimestamp":1692016779499,'
        b'"amount":200.00,"netAmount":196.70,"status":"SUCCESS",'
        b'"app":{"appId":"stripe","appTransactionId":"pi_123"}}'
    )
    tx = decode_response(GET_TRANSACTION, 200, {}, body, correlation_id="c-3")
    assert (tx.amount, tx.net_amount) == (Decimal("200.00"), Decimal("196.70"))
    assert tx.app.app_transaction_id == "pi_123"
    assert tx.correlation_id == "c-3"


def test_mobile_instrument_answer() -> None:
    body = b'{"id":"3f2c1b0a-0000-4000-8000-000000000004","type":"MOBILE"}'
    created = decode_response(CREATE_MOBILE_INSTRUMENT, 201, {}, body, correlation_id="c-4")
    assert created.id == "3f2c1b0a-0000-4000-8000-000000000004"
    assert created.extra == {"type": "MOBILE"}
