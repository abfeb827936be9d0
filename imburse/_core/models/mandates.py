"""Direct-debit mandates (``imburse-openapi-pages.md`` §4.7, §4.8, §4.12).

* v2 "create and register a mandate for any supported network": :class:`MandateInput`, one
  body for the ten ``mandateType`` values, each with its own required ``debtor`` fields
  (:data:`REQUIRED_DEBTOR_FIELDS`, from the published table, newer snapshot). A missing one
  is a :class:`~imburse.ValidationError` naming it (``debtor.sort_code``) on construction,
  before any request. The answer is :class:`MandateCreated`.
* v2 "get mandates": a paged list (:class:`MandatePage`) of :class:`MandateSummary`.
* The network-specific reads (BECS AU / NZ, deprecated): :class:`Mandate`, a summary plus
  its :class:`MandateDebtor`.
* v1: the SEPA Direct Debit Core configuration (:class:`SepaDirectDebitConfigurationInput`,
  :class:`SepaDirectDebitConfiguration`, :class:`SepaDirectDebitConfigurationValidation`) and
  "create a mandate" (:class:`MandateV1Input`, ``tenant-admin`` only).

Responses follow the decode rules: a field without a default (a mandate's own id) is
required; every other field is optional. Enum fields are open (``Annotated[str, Enum]``):
mandate statuses are mixed case (``Draft``, ``Active``), unlike instruction statuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

import attrs

from ..errors import ValidationError
from ..validation import check_country, check_date, check_metadata, check_ref
from ._checks import check_text, nested, sequence_of
from .paging import Page

__all__ = [
    "REQUIRED_DEBTOR_FIELDS",
    "DebtorInput",
    "Mandate",
    "MandateAddress",
    "MandateAddressInput",
    "MandateCreated",
    "MandateDebtor",
    "MandateInput",
    "MandateNetwork",
    "MandatePage",
    "MandateSignatureInput",
    "MandateStatus",
    "MandateSummary",
    "MandateType",
    "MandateTypeName",
    "MandateV1CreditorInput",
    "MandateV1DebtorInput",
    "MandateV1Input",
    "PostalAddressInput",
    "SepaDirectDebitConfiguration",
    "SepaDirectDebitConfigurationInput",
    "SepaDirectDebitConfigurationValidation",
    "VerificationCheck",
    "VerificationStatus",
]


def _extra() -> Any:
    return attrs.field(factory=dict, repr=False, eq=False)


def _correlation_id() -> Any:
    return attrs.field(default=None, repr=False, eq=False)


# --- enums (open: unknown values stay plain strings) ----------------------------------------


class MandateNetwork(StrEnum):
    """The direct-debit network of a mandate or creditor profile, as the samples spell it."""

    SEPA = "SEPA"
    BACS = "Bacs"
    BECS_AU = "BecsAu"
    BECS_NZ = "BecsNz"
    ACH = "Ach"  # not in a sample; named by the ``Ach*`` mandate types


class MandateType(StrEnum):
    """The ten ``mandateType`` values: network and consumer (B2C) or business (B2B) debtor."""

    BACS_B2C = "BacsB2C"
    BACS_B2B = "BacsB2B"
    SEPA_B2C = "SepaB2C"
    SEPA_B2B = "SepaB2B"
    BECS_AU_B2C = "BecsAuB2C"
    BECS_AU_B2B = "BecsAuB2B"
    BECS_NZ_B2C = "BecsNzB2C"
    BECS_NZ_B2B = "BecsNzB2B"
    ACH_B2C = "AchB2C"
    ACH_B2B = "AchB2B"


class MandateStatus(StrEnum):
    """Mandate states seen in the samples (mixed case)."""

    DRAFT = "Draft"
    ACTIVE = "Active"


class VerificationStatus(StrEnum):
    """``verificationCheck.status`` of a created mandate."""

    VERIFIED = "VERIFIED"


#: The known ``MandateNetwork`` values, for type checkers (see :class:`MandateNetwork`).
MandateNetworkLiteral = Literal["SEPA", "Bacs", "BecsAu", "BecsNz", "Ach"]
MandateNetworkValue = Annotated[MandateNetworkLiteral, MandateNetwork]
#: The known ``MandateType`` values, for type checkers (see :class:`MandateType`).
MandateTypeLiteral = Literal[
    "BacsB2C",
    "BacsB2B",
    "SepaB2C",
    "SepaB2B",
    "BecsAuB2C",
    "BecsAuB2B",
    "BecsNzB2C",
    "BecsNzB2B",
    "AchB2C",
    "AchB2B",
]
MandateTypeValue = Annotated[MandateTypeLiteral, MandateType]
#: The known ``MandateStatus`` values, for type checkers (see :class:`MandateStatus`).
MandateStatusLiteral = Literal["Draft", "Active"]
MandateStatusValue = Annotated[MandateStatusLiteral, MandateStatus]
#: The known ``VerificationStatus`` values, for type checkers (see :class:`VerificationStatus`).
VerificationStatusLiteral = Literal["VERIFIED"]
VerificationStatusValue = Annotated[VerificationStatusLiteral, VerificationStatus]

#: The ``mandate_type`` a create accepts (a closed set: the request is validated against it).
MandateTypeName = Literal[
    "BacsB2C",
    "BacsB2B",
    "SepaB2C",
    "SepaB2B",
    "BecsAuB2C",
    "BecsAuB2B",
    "BecsNzB2C",
    "BecsNzB2B",
    "AchB2C",
    "AchB2B",
]

# --- required debtor fields per mandate type (§4.8 table, newer snapshot) -------------------

_NETWORK_FIELDS: dict[str, tuple[str, ...]] = {
    "Bacs": ("account_holder_name", "account_number", "sort_code"),
    "Sepa": ("account_holder_name", "iban"),
    "BecsAu": ("account_holder_name", "account_number", "bsb_number"),
    "BecsNz": ("account_holder_name", "account_number", "bank_name", "signatory_name"),
    "Ach": (
        "email",
        "phone_number",
        "address",
        "account_holder_name",
        "account_number",
        "routing_number",
        "account_type",
        "authorization_source",
        "authorization_frequency",  # required by the newer snapshot only
    ),
}

#: For each ``mandateType``, the ``debtor`` fields a create must carry (Python names).
REQUIRED_DEBTOR_FIELDS: Mapping[str, tuple[str, ...]] = {
    f"{network}{kind}": (("first_name", "last_name") if kind == "B2C" else ("company_name",))
    + fields
    for network, fields in _NETWORK_FIELDS.items()
    for kind in ("B2C", "B2B")
}


# --- inputs ---------------------------------------------------------------------------------


def _text(field: str) -> Any:
    def check(value: Any) -> str | None:
        return check_text(field, value, required=False)

    return attrs.field(default=None, converter=check)


def _optional_country(value: str | None) -> str | None:
    return None if value is None else check_country("country", value)


def _metadata(value: Mapping[str, str] | None) -> dict[str, str] | None:
    return check_metadata("metadata", value)


@attrs.frozen
class MandateAddressInput:
    """A debtor's or creditor profile's address, as the v2 mandate pages name its parts.

    >>> MandateAddressInput(house_number_or_name="10", postcode="EC1A 1BB", country="GB").postcode
    'EC1A 1BB'
    """

    house_number_or_name: str | None = _text("house_number_or_name")
    street_address: str | None = _text("street_address")
    extended_address: str | None = _text("extended_address")
    postcode: str | None = _text("postcode")
    city: str | None = _text("city")
    country: str | None = attrs.field(default=None, converter=_optional_country)


def _address(value: Any) -> MandateAddressInput | None:
    return None if value is None else nested("address", value, MandateAddressInput)


@attrs.frozen
class DebtorInput:
    """The debtor of a new mandate. Which fields are required depends on the mandate type
    (:data:`REQUIRED_DEBTOR_FIELDS`); :class:`MandateInput` checks them.

    >>> DebtorInput(first_name="Ada", last_name="Lovelace", sort_code="123456").sort_code
    '123456'
    """

    first_name: str | None = _text("first_name")
    last_name: str | None = _text("last_name")
    company_name: str | None = _text("company_name")
    email: str | None = _text("email")
    language: str | None = _text("language")
    phone_number: str | None = _text("phone_number")
    address: MandateAddressInput | None = attrs.field(default=None, converter=_address)
    account_holder_name: str | None = _text("account_holder_name")
    account_number: str | None = _text("account_number")
    sort_code: str | None = _text("sort_code")
    iban: str | None = _text("iban")
    bsb_number: str | None = _text("bsb_number")
    bank_name: str | None = _text("bank_name")
    signatory_name: str | None = _text("signatory_name")
    routing_number: str | None = _text("routing_number")
    account_type: str | None = _text("account_type")
    authorization_source: str | None = _text("authorization_source")
    authorization_frequency: str | None = _text("authorization_frequency")


def _customer_ref(value: str) -> str:
    return check_ref("customer_ref", value)


def _creditor_profile_ref(value: str) -> str:
    return check_ref("creditor_profile_ref", value)


def _mandate_type(value: str) -> str:
    if not isinstance(value, str) or value not in REQUIRED_DEBTOR_FIELDS:
        known = ", ".join(REQUIRED_DEBTOR_FIELDS)
        raise ValidationError("mandate_type", f"must be one of {known} (got {value!r})")
    return str(value)  # a MandateType member becomes its plain value


def _debtor(value: Any) -> DebtorInput:
    if value is None:
        raise ValidationError("debtor", "is required")
    return nested("debtor", value, DebtorInput)


def _agreement_type(value: str | None) -> str | None:
    return check_text("agreement_type", value, required=False)


@attrs.frozen
class MandateInput:
    """Create and register a mandate on any supported network (v2).

    ``mandate_type`` names the network and the kind of debtor; the debtor fields it needs
    are checked here, so a missing one is a :class:`~imburse.ValidationError` naming it
    before any request. ``debtor`` may be a :class:`DebtorInput` or a mapping of its
    arguments. The creditor profile (``creditor_profile_ref``) must exist already.

    >>> MandateInput(customer_ref="CUS-1", creditor_profile_ref="org-bacs-profile-1234",
    ...     mandate_type="BacsB2C", debtor={"first_name": "Ada", "last_name": "Lovelace",
    ...     "account_holder_name": "A Lovelace", "account_number": "12345678"})
    Traceback (most recent call last):
    imburse.ValidationError: debtor.sort_code: is required for a BacsB2C mandate
    """

    customer_ref: str = attrs.field(converter=_customer_ref)
    creditor_profile_ref: str = attrs.field(converter=_creditor_profile_ref)
    mandate_type: MandateTypeName = attrs.field(converter=_mandate_type)
    # Keyword-only so that it can sit where the page lists it (and the JSON has it).
    agreement_type: str | None = attrs.field(default=None, converter=_agreement_type, kw_only=True)
    debtor: DebtorInput = attrs.field(converter=_debtor)

    def __attrs_post_init__(self) -> None:
        for name in REQUIRED_DEBTOR_FIELDS[self.mandate_type]:
            if getattr(self.debtor, name) is None:
                raise ValidationError(
                    f"debtor.{name}", f"is required for a {self.mandate_type} mandate"
                )


@attrs.frozen
class PostalAddressInput:
    """An address in the v1 mandate pages' shape (``AddressDto``): locality and region."""

    street_address: str | None = _text("street_address")
    extended_address: str | None = _text("extended_address")
    locality: str | None = _text("locality")
    region: str | None = _text("region")
    postcode: str | None = _text("postcode")
    country: str | None = attrs.field(default=None, converter=_optional_country)


def _postal_address(value: Any) -> PostalAddressInput | None:
    return None if value is None else nested("address", value, PostalAddressInput)


def _iban(value: str) -> str:
    return str(check_text("iban", value))


@attrs.frozen
class SepaDirectDebitConfigurationInput:
    """The tenant's SEPA Direct Debit Core configuration (v1): its account and address.

    >>> SepaDirectDebitConfigurationInput(iban="DE89370400440532013000", bic="COBADEFFXXX").bic
    'COBADEFFXXX'
    """

    iban: str = attrs.field(converter=_iban)
    bic: str | None = _text("bic")
    address: PostalAddressInput | None = attrs.field(default=None, converter=_postal_address)


@attrs.frozen
class MandateV1DebtorInput:
    """The debtor of a v1 mandate."""

    name: str | None = _text("name")
    address: PostalAddressInput | None = attrs.field(default=None, converter=_postal_address)
    iban: str | None = _text("iban")
    bic: str | None = _text("bic")


@attrs.frozen
class MandateV1CreditorInput:
    """The creditor of a v1 mandate: its name and creditor identifier."""

    name: str | None = _text("name")
    identifier: str | None = _text("identifier")


def _signature_value(value: str | None) -> str | None:
    return check_text("value", value, required=False)


@attrs.frozen
class MandateSignatureInput:
    """One signature on a v1 mandate (``{type, name, value}``); ``value`` stays out of repr."""

    type: str | None = _text("type")
    name: str | None = _text("name")
    value: str | None = attrs.field(default=None, repr=False, converter=_signature_value)


def _v1_debtor(value: Any) -> MandateV1DebtorInput:
    if value is None:
        raise ValidationError("debtor", "is required")
    return nested("debtor", value, MandateV1DebtorInput)


def _v1_creditor(value: Any) -> MandateV1CreditorInput:
    if value is None:
        raise ValidationError("creditor", "is required")
    return nested("creditor", value, MandateV1CreditorInput)


def _signature(field: str, value: Any) -> MandateSignatureInput:
    return nested(field, value, MandateSignatureInput)


def _signatures(value: Any) -> tuple[MandateSignatureInput, ...]:
    return sequence_of("signatures", value, _signature)


def _first_collection_date(value: date | str | None) -> date | None:
    return check_date("first_collection_date", value)


def _date_signed(value: date | str | None) -> date | None:
    return check_date("date_signed", value)


@attrs.frozen
class MandateV1Input:
    """ "Create a Mandate" (v1, ``tenant-admin`` only): a SEPA-style mandate document.

    Only the body is published (its path is not); send it with ``client.request`` until the
    SDK has the operation. Dates go out as ``YYYY-MM-DD``.

    >>> MandateV1Input(customer_ref="CUS-1", debtor={"name": "Ada Lovelace"},
    ...     creditor={"name": "Imburse", "identifier": "DE98ZZZ09999999999"}).customer_ref
    'CUS-1'
    """

    customer_ref: str = attrs.field(converter=_customer_ref)
    debtor: MandateV1DebtorInput = attrs.field(converter=_v1_debtor)
    creditor: MandateV1CreditorInput = attrs.field(converter=_v1_creditor)
    first_collection_date: date | None = attrs.field(default=None, converter=_first_collection_date)
    payment_type: str | None = _text("payment_type")
    date_signed: date | None = attrs.field(default=None, converter=_date_signed)
    signatures: tuple[MandateSignatureInput, ...] = attrs.field(default=(), converter=_signatures)
    document_template_id: str | None = _text("document_template_id")
    metadata: Mapping[str, str] | None = attrs.field(default=None, converter=_metadata)


# --- responses ------------------------------------------------------------------------------


@attrs.frozen
class MandateAddress:
    """An address in a mandate, creditor profile or SEPA configuration answer."""

    house_number_or_name: str | None = None
    street_address: str | None = None
    extended_address: str | None = None
    locality: str | None = None
    region: str | None = None
    postcode: str | None = None
    city: str | None = None
    country: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class VerificationCheck:
    """The bank-account check run when a mandate is registered."""

    status: VerificationStatusValue | None = None
    reason: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class MandateCreated:
    """The answer to creating a mandate: its id, the financial instrument it became, and the
    verification check (``VERIFIED`` / "Verification Successful" in the sample)."""

    mandate_id: str  # required: the mandate's own id
    financial_instrument_id: str | None = None
    verification_check: VerificationCheck | None = None
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = _correlation_id()


@attrs.frozen
class MandateDebtor:
    """The debtor of a mandate as Imburse reports it (network-specific reads)."""

    first_name: str | None = None
    last_name: str | None = None
    company_name: str | None = None
    email: str | None = None
    language: str | None = None
    phone_number: str | None = None
    address: MandateAddress | None = None
    account_holder_name: str | None = None
    account_number: str | None = None
    sort_code: str | None = None
    iban: str | None = None
    bsb_number: str | None = None
    bank_name: str | None = None
    signatory_name: str | None = None
    routing_number: str | None = None
    account_type: str | None = None
    authorization_source: str | None = None
    authorization_frequency: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class MandateSummary:
    """A mandate as "get mandates" lists it."""

    mandate_id: str  # required: the mandate's own id
    mandate_ref: str | None = None
    network: MandateNetworkValue | None = None
    mandate_type: MandateTypeValue | None = None
    customer_ref: str | None = None
    status: MandateStatusValue | None = None
    creditor_profile_ref: str | None = None
    financial_instrument_id: str | None = None
    created: datetime | None = None
    metadata: Mapping[str, str] = attrs.field(factory=dict)
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Mandate(MandateSummary):
    """One mandate with its debtor (the BECS AU / NZ reads, deprecated by Imburse)."""

    debtor: MandateDebtor | None = None
    correlation_id: str | None = _correlation_id()


@attrs.frozen(kw_only=True)
class MandatePage(Page[MandateSummary]):
    """One page of "get mandates"; iterate it for its :class:`MandateSummary` items."""

    results: tuple[MandateSummary, ...]


@attrs.frozen
class SepaDirectDebitConfiguration:
    """The tenant's SEPA Direct Debit Core configuration (v1): ``{iban, bic, address}``."""

    iban: str | None = None
    bic: str | None = None
    address: MandateAddress | None = None
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = _correlation_id()


@attrs.frozen
class SepaDirectDebitConfigurationValidation:
    """Whether the SEPA Direct Debit Core configuration is complete, and if not, why."""

    is_valid: bool | None = None
    validation_messages: tuple[str, ...] = ()
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = _correlation_id()
