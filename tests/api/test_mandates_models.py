"""Mandates (pages file §4.7, §4.8, §4.12): the published bodies decode (answers) or are
produced byte for byte (requests), and the per-type debtor rules hold. Pure.

The pages show field lists with sample values rather than whole JSON documents; each body
below is assembled from one operation's list, with the sample values the page shows
(``network: "SEPA"``, ``mandateType: "BacsB2C"``, ``status: "Draft"``, ``VERIFIED``...).
Answers are decoded in strict mode, so a field the models do not know fails the test.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

import imburse
from imburse._core.build import encode_json
from imburse._core.decode import decode_error
from imburse._core.errors import NotFoundError, ResponseDecodeError, ValidationError
from imburse._core.models.account import Role
from imburse._core.models.mandates import (
    REQUIRED_DEBTOR_FIELDS,
    DebtorInput,
    Mandate,
    MandateCreated,
    MandateInput,
    MandateNetwork,
    MandatePage,
    MandateStatus,
    MandateSummary,
    MandateType,
    MandateV1Input,
    SepaDirectDebitConfiguration,
    SepaDirectDebitConfigurationInput,
    SepaDirectDebitConfigurationValidation,
    VerificationStatus,
)

MANDATE_ID = "5b1c2d3e-0000-4000-8000-00000000000a"
FI_ID = "0f4e2a9c-1d2b-4c3d-8e5f-6a7b8c9d0e1f"


def strict(model: type[object], body: object) -> object:
    return imburse.decode_model(model, body, strict=True)


# --- answers --------------------------------------------------------------------------------

CREATED = b"""{
  "financialInstrumentId": "0f4e2a9c-1d2b-4c3d-8e5f-6a7b8c9d0e1f",
  "mandateId": "5b1c2d3e-0000-4000-8000-00000000000a",
  "verificationCheck": {"status": "VERIFIED", "reason": "Verification Successful"}
}"""


def test_create_answer_decodes_with_its_verification_check() -> None:
    created = strict(MandateCreated, CREATED)
    assert isinstance(created, MandateCreated)
    assert created.mandate_id == MANDATE_ID
    assert created.financial_instrument_id == FI_ID
    assert created.verification_check is not None
    assert created.verification_check.status is VerificationStatus.VERIFIED
    assert created.verification_check.reason == "Verification Successful"


@pytest.mark.parametrize("mandate_id", ["missing", None])
@pytest.mark.parametrize("mode", [False, True])
def test_a_create_answer_without_its_mandate_id_is_broken(
    mandate_id: str | None, mode: bool
) -> None:
    body: dict[str, object] = {"financialInstrumentId": FI_ID}
    if mandate_id is None:
        body["mandateId"] = None
    with pytest.raises(ResponseDecodeError):
        imburse.decode_model(MandateCreated, body, strict=mode)


GET_MANDATES = b"""{
  "currentPage": 1, "pageCount": 1, "pageSize": 100, "rowCount": 1, "totalCount": 1,
  "results": [
    {
      "mandateId": "5b1c2d3e-0000-4000-8000-00000000000a",
      "mandateRef": "MANDATE-0001",
      "network": "SEPA",
      "mandateType": "BacsB2C",
      "customerRef": "CUS-1",
      "status": "Draft",
      "creditorProfileRef": "org-bacs-profile-1234",
      "financialInstrumentId": "0f4e2a9c-1d2b-4c3d-8e5f-6a7b8c9d0e1f",
      "created": "2021-01-30T08:30:00Z",
      "metadata": {"policy": "P-9"}
    }
  ]
}"""


def test_get_mandates_page_decodes_with_open_enums() -> None:
    page = strict(MandatePage, GET_MANDATES)
    assert isinstance(page, MandatePage)
    assert (page.current_page, page.page_count, page.page_size) == (1, 1, 100)
    assert (page.row_count, page.total_count, len(page)) == (1, 1, 1)
    (item,) = page
    assert item == MandateSummary(
        mandate_id=MANDATE_ID,
        mandate_ref="MANDATE-0001",
        network=MandateNetwork.SEPA,
        mandate_type=MandateType.BACS_B2C,
        customer_ref="CUS-1",
        status=MandateStatus.DRAFT,
        creditor_profile_ref="org-bacs-profile-1234",
        financial_instrument_id=FI_ID,
        created=datetime(2021, 1, 30, 8, 30, tzinfo=UTC),
        metadata={"policy": "P-9"},
    )
    assert item.status is MandateStatus.DRAFT


def test_an_unknown_mandate_status_is_kept_leniently_and_refused_strictly() -> None:
    body = {"mandateId": MANDATE_ID, "status": "Cancelled", "network": "Pix"}
    item = imburse.decode_model(MandateSummary, body)
    assert (item.status, item.network) == ("Cancelled", "Pix")
    with pytest.raises(ResponseDecodeError, match="Cancelled"):
        strict(MandateSummary, {"mandateId": MANDATE_ID, "status": "Cancelled"})


BECS_AU = b"""{
  "mandateId": "5b1c2d3e-0000-4000-8000-00000000000a",
  "mandateRef": "MANDATE-0002",
  "network": "BecsAu",
  "mandateType": "BecsAuB2C",
  "customerRef": "CUS-2",
  "status": "Active",
  "creditorProfileRef": "org-becs-profile-1",
  "financialInstrumentId": "0f4e2a9c-1d2b-4c3d-8e5f-6a7b8c9d0e1f",
  "created": "2023-01-31T23:56:21Z",
  "debtor": {
    "firstName": "Ada", "lastName": "Lovelace", "companyName": null, "email": "ada@example.com",
    "address": {"houseNumberOrName": "10", "streetAddress": "George St",
                "extendedAddress": "Level 2", "postcode": "2000", "city": "Sydney",
                "country": "AU"},
    "accountHolderName": "A Lovelace", "accountNumber": "123456789", "bsbNumber": "062-000"
  }
}"""

BECS_NZ = b"""{
  "mandateId": "5b1c2d3e-0000-4000-8000-00000000000a",
  "network": "BecsNz",
  "mandateType": "BecsNzB2C",
  "status": "Active",
  "created": "2023-01-31T23:56:21Z",
  "debtor": {
    "firstName": "Kate", "lastName": "Sheppard", "accountHolderName": "K Sheppard",
    "accountNumber": "12-3456-7890123-00", "bankName": "ANZ", "signatoryName": "K Sheppard"
  }
}"""


def test_becs_au_mandate_read_decodes_with_its_debtor() -> None:
    mandate = strict(Mandate, BECS_AU)
    assert isinstance(mandate, Mandate)
    assert (mandate.network, mandate.mandate_type) == (
        MandateNetwork.BECS_AU,
        MandateType.BECS_AU_B2C,
    )
    assert mandate.status is MandateStatus.ACTIVE
    assert mandate.debtor is not None
    assert mandate.debtor.bsb_number == "062-000"
    assert mandate.debtor.company_name is None
    assert mandate.debtor.address is not None
    assert (mandate.debtor.address.postcode, mandate.debtor.address.city) == ("2000", "Sydney")


def test_becs_nz_mandate_read_decodes_with_bank_and_signatory() -> None:
    mandate = strict(Mandate, BECS_NZ)
    assert isinstance(mandate, Mandate)
    assert mandate.network is MandateNetwork.BECS_NZ
    assert mandate.debtor is not None
    assert (mandate.debtor.bank_name, mandate.debtor.signatory_name) == ("ANZ", "K Sheppard")


def test_sepa_direct_debit_configuration_and_its_validation_decode() -> None:
    config = strict(
        SepaDirectDebitConfiguration,
        b'{"iban": "DE89370400440532013000", "bic": "COBADEFFXXX", "address": '
        b'{"streetAddress": "Kaiserstr. 1", "extendedAddress": "", "locality": "Frankfurt",'
        b' "region": "HE", "postcode": "60311", "country": "DE"}}',
    )
    assert isinstance(config, SepaDirectDebitConfiguration)
    assert config.iban == "DE89370400440532013000"
    assert config.address is not None
    assert (config.address.locality, config.address.postcode) == ("Frankfurt", "60311")
    check = strict(
        SepaDirectDebitConfigurationValidation,
        b'{"isValid": false, "validationMessages": ["BIC is missing."]}',
    )
    assert isinstance(check, SepaDirectDebitConfigurationValidation)
    assert (check.is_valid, check.validation_messages) == (False, ("BIC is missing.",))


@pytest.mark.parametrize(
    "text",
    [
        "Not Found - Mandate '00000000-0000-0000-0000-000000000000' was not found.",
        "Not Found - Creditor Profile was not found.",
        "Chargeback not found",
    ],
)
@pytest.mark.parametrize("shape", ["classic", "problem", "text"])
def test_reads_of_mandates_profiles_and_chargebacks_answer_404_not_found(
    text: str, shape: str
) -> None:
    """Each published 404 text, in each body shape Imburse uses, on an addressed read."""
    if shape == "classic":
        body = json.dumps({"errors": [{"errorCode": "NOT_FOUND", "message": text}]}).encode()
    elif shape == "problem":
        body = json.dumps({"title": "NOT_FOUND", "detail": text, "status": 404}).encode()
    else:
        body = text.encode()
    err = decode_error(404, {}, body, now=0, addressed=True, operation="mandates.get")
    assert type(err) is NotFoundError
    assert err.status_code == 404
    assert err.message == (text if shape != "text" else "Not Found")
    assert err.body == body


# --- requests -------------------------------------------------------------------------------

# For each mandate type, a debtor carrying exactly its required fields (§4.8 table).
SAMPLE_VALUES: dict[str, object] = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "company_name": "Analytical Engines Ltd",
    "email": "ada@example.com",
    "phone_number": "+15555550100",
    "address": {"street_address": "1 Main St", "city": "Springfield", "country": "US"},
    "account_holder_name": "A Lovelace",
    "account_number": "12345678",
    "sort_code": "123456",
    "iban": "DE89370400440532013000",
    "bsb_number": "062-000",
    "bank_name": "ANZ",
    "signatory_name": "A Lovelace",
    "routing_number": "021000021",
    "account_type": "Checking",
    "authorization_source": "WEB",
    "authorization_frequency": "Monthly",
}
WIRE = {
    "first_name": "firstName",
    "last_name": "lastName",
    "company_name": "companyName",
    "email": "email",
    "phone_number": "phoneNumber",
    "address": "address",
    "account_holder_name": "accountHolderName",
    "account_number": "accountNumber",
    "sort_code": "sortCode",
    "iban": "iban",
    "bsb_number": "bsbNumber",
    "bank_name": "bankName",
    "signatory_name": "signatoryName",
    "routing_number": "routingNumber",
    "account_type": "accountType",
    "authorization_source": "authorizationSource",
    "authorization_frequency": "authorizationFrequency",
}


def test_the_table_covers_the_ten_published_types() -> None:
    assert sorted(REQUIRED_DEBTOR_FIELDS) == sorted(t.value for t in MandateType)
    assert REQUIRED_DEBTOR_FIELDS["BacsB2C"] == (
        "first_name",
        "last_name",
        "account_holder_name",
        "account_number",
        "sort_code",
    )
    assert REQUIRED_DEBTOR_FIELDS["SepaB2B"] == ("company_name", "account_holder_name", "iban")


@pytest.mark.parametrize("mandate_type", [t.value for t in MandateType])
def test_each_type_with_its_required_debtor_fields_produces_the_published_body(
    mandate_type: str,
) -> None:
    required = REQUIRED_DEBTOR_FIELDS[mandate_type]
    body = MandateInput(
        customer_ref="CUS-1",
        creditor_profile_ref="org-bacs-profile-1234",
        mandate_type=mandate_type,
        agreement_type="Reuse",
        debtor={name: SAMPLE_VALUES[name] for name in required},
    )
    debtor: dict[str, object] = {}
    for name in required:
        value = SAMPLE_VALUES[name]
        if name == "address":
            value = {"streetAddress": "1 Main St", "city": "Springfield", "country": "US"}
        debtor[WIRE[name]] = value
    expected = {
        "customerRef": "CUS-1",
        "creditorProfileRef": "org-bacs-profile-1234",
        "mandateType": mandate_type,
        "agreementType": "Reuse",
        "debtor": debtor,
    }
    assert encode_json(body) == json.dumps(expected, separators=(",", ":")).encode()


@pytest.mark.parametrize(
    ("mandate_type", "missing"),
    [(t, name) for t, names in REQUIRED_DEBTOR_FIELDS.items() for name in names],
)
def test_a_missing_required_debtor_field_is_a_validation_error_naming_it(
    mandate_type: str, missing: str
) -> None:
    debtor = {
        name: SAMPLE_VALUES[name]
        for name in REQUIRED_DEBTOR_FIELDS[mandate_type]
        if name != missing
    }
    with pytest.raises(ValidationError) as info:
        MandateInput(
            customer_ref="CUS-1",
            creditor_profile_ref="org-bacs-profile-1234",
            mandate_type=mandate_type,
            debtor=debtor,
        )
    assert info.value.field == f"debtor.{missing}"
    assert mandate_type in info.value.problem


def test_bacs_without_a_sort_code_names_debtor_sort_code() -> None:
    with pytest.raises(ValidationError, match=r"^debtor\.sort_code: is required for a BacsB2C"):
        MandateInput(
            customer_ref="CUS-1",
            creditor_profile_ref="org-bacs-profile-1234",
            mandate_type=MandateType.BACS_B2C,
            debtor=DebtorInput(
                first_name="Ada",
                last_name="Lovelace",
                account_holder_name="A Lovelace",
                account_number="12345678",
            ),
        )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"mandate_type": "Bacs"}, "mandate_type"),
        ({"customer_ref": "bad ref"}, "customer_ref"),
        ({"creditor_profile_ref": ""}, "creditor_profile_ref"),
        ({"debtor": None}, "debtor"),
        ({"debtor": {"firstName": "Ada"}}, "debtor"),
        ({"debtor": {"first_name": "  "}}, "debtor.first_name"),
        ({"debtor": {"address": {"country": "Germany"}}}, "debtor.address.country"),
    ],
)
def test_bad_arguments_name_their_field(kwargs: dict[str, object], field: str) -> None:
    arguments: dict[str, object] = {
        "customer_ref": "CUS-1",
        "creditor_profile_ref": "P-1",
        "mandate_type": "SepaB2C",
        "debtor": {"first_name": "A", "last_name": "B", "account_holder_name": "A B", "iban": "X"},
        **kwargs,
    }
    with pytest.raises(ValidationError) as info:
        MandateInput(**arguments)
    assert info.value.field == field


def test_sepa_direct_debit_configuration_body() -> None:
    body = SepaDirectDebitConfigurationInput(
        iban="DE89370400440532013000",
        bic="COBADEFFXXX",
        address={
            "street_address": "Kaiserstr. 1",
            "locality": "Frankfurt",
            "region": "HE",
            "postcode": "60311",
            "country": "DE",
        },
    )
    assert encode_json(body) == (
        b'{"iban":"DE89370400440532013000","bic":"COBADEFFXXX","address":'
        b'{"streetAddress":"Kaiserstr. 1","locality":"Frankfurt","region":"HE",'
        b'"postcode":"60311","country":"DE"}}'
    )


def test_v1_create_a_mandate_body() -> None:
    body = MandateV1Input(
        customer_ref="CUS-1",
        debtor={
            "name": "Ada Lovelace",
            "address": {"street_address": "Hauptstr. 5", "postcode": "10115", "country": "DE"},
            "iban": "DE89370400440532013000",
            "bic": "COBADEFFXXX",
        },
        creditor={"name": "Imburse", "identifier": "DE98ZZZ09999999999"},
        first_collection_date=date(2024, 2, 1),
        payment_type="RCUR",
        date_signed="2024-01-15",
        signatures=[{"type": "Typed", "name": "Ada Lovelace", "value": "Ada Lovelace"}],
        document_template_id="tpl-1",
        metadata={"policy": "P-9"},
    )
    assert json.loads(encode_json(body)) == {
        "customerRef": "CUS-1",
        "debtor": {
            "name": "Ada Lovelace",
            "address": {"streetAddress": "Hauptstr. 5", "postcode": "10115", "country": "DE"},
            "iban": "DE89370400440532013000",
            "bic": "COBADEFFXXX",
        },
        "creditor": {"name": "Imburse", "identifier": "DE98ZZZ09999999999"},
        "firstCollectionDate": "2024-02-01",
        "paymentType": "RCUR",
        "dateSigned": "2024-01-15",
        "signatures": [{"type": "Typed", "name": "Ada Lovelace", "value": "Ada Lovelace"}],
        "documentTemplateId": "tpl-1",
        "metadata": {"policy": "P-9"},
    }
    assert "value=" not in repr(body.signatures[0])  # a signature is not for logs


def test_mandate_roles_are_known() -> None:
    assert Role("tenant-mandate-read") is Role.TENANT_MANDATE_READ
    assert Role("tenant-mandate-write") is Role.TENANT_MANDATE_WRITE
