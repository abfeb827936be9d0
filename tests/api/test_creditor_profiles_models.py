"""Creditor profiles (pages file §4.9-4.11): the published sample request is produced byte
for byte, and the answers (assembled from each page's field list and sample values) decode
in strict mode. Pure."""

from __future__ import annotations

import json

import pytest

import imburse
from imburse._core.build import encode_json
from imburse._core.decode import decode_error
from imburse._core.errors import BadRequestError, ResponseDecodeError, ValidationError
from imburse._core.models.creditor_profiles import (
    BacsCreditorProfile,
    BacsCreditorProfileInput,
    CreditorProfile,
    CreditorProfileInput,
    CreditorProfilePage,
    SepaCreditorProfile,
    SepaCreditorProfileInput,
)
from imburse._core.models.mandates import MandateNetwork


def test_the_published_create_sample_is_produced_exactly() -> None:
    """§4.9 #2: the page's own sample body, key for key and in its order."""
    body = CreditorProfileInput(
        network=MandateNetwork.BACS,
        creditor_profile_ref="org-bacs-profile-1234",
        profile_name="BACS Profile #1234",
        creditor_identifier="123456",
        creditor_name="Imburse",
    )
    assert encode_json(body) == (
        b'{"network":"Bacs","creditorProfileRef":"org-bacs-profile-1234",'
        b'"profileName":"BACS Profile #1234","creditorIdentifier":"123456",'
        b'"creditorName":"Imburse"}'
    )


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"creditor_profile_ref": ""}, "creditor_profile_ref"),
        ({"creditor_profile_ref": "x" * 51}, "creditor_profile_ref"),
        ({"creditor_profile_ref": "has space"}, "creditor_profile_ref"),
        ({"network": ""}, "network"),
        ({"metadata": {"k": 1}}, "metadata['k']"),
    ],
)
def test_bad_create_arguments_name_their_field(kwargs: dict[str, object], field: str) -> None:
    arguments: dict[str, object] = {"network": "SEPA", "creditor_profile_ref": "P-1", **kwargs}
    with pytest.raises(ValidationError) as info:
        CreditorProfileInput(**arguments)  # type: ignore[arg-type]
    assert info.value.field == field


def test_the_bacs_and_sepa_create_bodies() -> None:
    bacs = BacsCreditorProfileInput(
        creditor_profile_ref="org-bacs-profile-1234",
        profile_name="BACS Profile #1234",
        service_user_number="123456",
        organization_name="Imburse",
        metadata={"region": "UK"},
    )
    assert encode_json(bacs) == (
        b'{"creditorProfileRef":"org-bacs-profile-1234","profileName":"BACS Profile #1234",'
        b'"serviceUserNumber":"123456","organizationName":"Imburse","metadata":{"region":"UK"}}'
    )
    with pytest.raises(ValidationError, match=r"^profile_name"):
        BacsCreditorProfileInput(creditor_profile_ref="P-1", profile_name="")
    sepa = SepaCreditorProfileInput(
        creditor_profile_ref="org-sepa-1",
        profile_name="SEPA #1",
        identifier="DE98ZZZ09999999999",
        name="Imburse",
        address={
            "street_address": "Kaiserstr. 1",
            "postcode": "60311",
            "city": "Frankfurt",
            "country": "DE",
        },
    )
    assert json.loads(encode_json(sepa)) == {
        "creditorProfileRef": "org-sepa-1",
        "profileName": "SEPA #1",
        "identifier": "DE98ZZZ09999999999",
        "name": "Imburse",
        "address": {
            "streetAddress": "Kaiserstr. 1",
            "postcode": "60311",
            "city": "Frankfurt",
            "country": "DE",
        },
    }


LIST = b"""{
  "currentPage": 1, "pageCount": 3, "pageSize": 2, "rowCount": 2, "totalCount": 5,
  "results": [
    {
      "creditorProfileRef": "org-sepa-1",
      "profileName": "SEPA #1",
      "network": "SEPA",
      "creditorIdentifier": "DE98ZZZ09999999999",
      "creditorName": "Imburse",
      "address": {"houseNumberOrName": "1", "streetAddress": "Kaiserstr.",
                  "extendedAddress": null, "postcode": "60311", "city": "Frankfurt",
                  "country": "DE"},
      "metadata": {"region": "EU"}
    },
    {"creditorProfileRef": "org-bacs-profile-1234", "network": "Bacs"}
  ]
}"""


def test_the_paged_list_decodes() -> None:
    page = imburse.decode_model(CreditorProfilePage, LIST, strict=True)
    assert (page.current_page, page.page_count, page.total_count, len(page)) == (1, 3, 5, 2)
    first, second = page
    assert first.network is MandateNetwork.SEPA
    assert first.address is not None
    assert first.address.city == "Frankfurt"
    assert first.metadata == {"region": "EU"}
    assert second == CreditorProfile(
        creditor_profile_ref="org-bacs-profile-1234", network=MandateNetwork.BACS
    )


def test_a_page_without_results_is_broken_not_empty() -> None:
    """Reading a missing ``results`` as empty would end a walk early and silently."""
    with pytest.raises(ResponseDecodeError):
        imburse.decode_model(CreditorProfilePage, {"currentPage": 1, "totalCount": 5})


def test_bacs_and_sepa_reads_decode() -> None:
    bacs = imburse.decode_model(
        BacsCreditorProfile,
        b'{"creditorProfileRef": "org-bacs-profile-1234", "profileName": "BACS Profile #1234",'
        b' "network": "Bacs", "serviceUserNumber": "123456", "organizationName": "Imburse",'
        b' "metadata": {}}',
        strict=True,
    )
    assert (bacs.service_user_number, bacs.organization_name) == ("123456", "Imburse")
    sepa = imburse.decode_model(
        SepaCreditorProfile,
        b'{"creditorProfileRef": "org-sepa-1", "profileName": "SEPA #1", "network": "SEPA",'
        b' "identifier": "DE98ZZZ09999999999", "name": "Imburse", "address": {"streetAddress":'
        b' "Kaiserstr. 1", "postcode": "60311", "city": "Frankfurt", "country": "DE"},'
        b' "metadata": {"k": "v"}}',
        strict=True,
    )
    assert sepa.identifier == "DE98ZZZ09999999999"
    assert sepa.address is not None
    assert sepa.address.postcode == "60311"


@pytest.mark.parametrize("model", [CreditorProfile, BacsCreditorProfile, SepaCreditorProfile])
def test_a_profile_without_its_ref_is_broken(model: type[object]) -> None:
    with pytest.raises(ResponseDecodeError):
        imburse.decode_model(model, {"profileName": "no ref"})


def test_the_published_problem_details_400_keeps_code_field_and_message() -> None:
    body = json.dumps(
        {
            "title": "BAD_REQUEST",
            "detail": "See validation errors.",
            "timestamp": "2021-01-30T08:30:00Z",
            "correlationId": "0HMB2TA322CA7:00000001",
            "status": 400,
            "traceId": "0HMB2TA322CA7:00000001",
            "errors": [
                {
                    "title": "REQUIRED_ATTRIBUTE",
                    "detail": "CreditorProfileRef was not specified.",
                    "metadata": {
                        "PropertyName": "CreditorProfileRef",
                        "AttemptedValue": "null",
                        "ErrorMessage": "CreditorProfileRef was not specified.",
                    },
                }
            ],
        }
    ).encode()
    err = decode_error(400, {}, body, now=0, addressed=False)
    assert type(err) is BadRequestError
    assert err.error_code == "REQUIRED_ATTRIBUTE"
    assert err.errors[0].field == "CreditorProfileRef"
    assert err.message == "CreditorProfileRef was not specified."
