"""The customer vault (``imburse-api.md`` §5.14): customers, wallets, financial instruments,
their transactions, and the reward-claim transaction a claim is polled on.

v1 and v2 samples disagree in small ways and every documented form is accepted:
``hasFirstTransactionBeenSent`` is a JSON boolean in v1 and the string ``"True"`` in v2;
numeric-looking mandate details are numbers in v1 and strings in v2 (always ``str`` here);
an instrument's creation time is ``createdDate`` or ``createdTimestamp`` (see
:attr:`FinancialInstrument.created`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal
from urllib.parse import unquote, urlsplit

import attrs

from ..errors import ValidationError
from ..rules import TEXT_BOOL
from ..validation import check_metadata, check_ref, shown
from ._checks import check_uuid
from .orders import Link, Transaction

__all__ = [
    "Agreement",
    "Capabilities",
    "Credential",
    "CredentialType",
    "Customer",
    "CustomerLinks",
    "CustomerStatus",
    "CustomerTransaction",
    "CustomerUpdate",
    "FinancialInstrument",
    "FinancialInstrumentDetails",
    "InstrumentStatus",
    "MobileInstrument",
    "MobileInstrumentInput",
    "RewardClaim",
    "RewardClaimStatus",
    "RewardClaimTransaction",
    "RewardRedemption",
    "RewardType",
    "WalletSettings",
    "check_uuid",
    "reward_claim_ids",
]


def _extra() -> Any:
    return attrs.field(factory=dict, repr=False, eq=False)


def _correlation_id() -> Any:
    return attrs.field(default=None, repr=False, eq=False)


# --- enums (open: unknown values stay plain strings) ----------------------------------------


class CustomerStatus(StrEnum):
    """A customer's status; ``ACTIVE`` is the only value in the samples."""

    ACTIVE = "ACTIVE"


class InstrumentStatus(StrEnum):
    """A financial instrument's status."""

    ACTIVE = "ACTIVE"
    INACTIVE = "INACTIVE"


class RewardClaimStatus(StrEnum):
    """Reward-claim transaction states: ``SETTLING`` until the provider answers."""

    SETTLING = "SETTLING"
    SETTLED = "SETTLED"
    FAILED = "FAILED"


class RewardType(StrEnum):
    """How to present a credential's value (GH ``claiming-a-reward.md``); may be null."""

    TEXT = "text"
    URL = "url"
    BARCODE = "barcode"
    DATE = "date"


class CredentialType(StrEnum):
    """What a credential is; Imburse says new ones will appear, so treat unknown as text."""

    BARCODE_NUMBER = "barcodeNumber"
    BARCODE_URL = "barcodeUrl"
    BYPASS_URL = "bypassUrl"
    CARD_CODE = "cardCode"
    CARD_NUMBER = "cardNumber"
    CVC2 = "cvc2"
    EVENT_NUMBER = "eventNumber"
    EXPIRATION_DATE = "expirationDate"
    PIN = "pin"
    REDEMPTION_URL = "redemptionUrl"
    SECRET_CODE = "secretCode"  # noqa: S105 - a credential type name, not a secret


#: The known ``CustomerStatus`` values, for type checkers (see :class:`CustomerStatus`).
CustomerStatusLiteral = Literal["ACTIVE"]
CustomerStatusValue = Annotated[CustomerStatusLiteral, CustomerStatus]
#: The known ``InstrumentStatus`` values, for type checkers (see :class:`InstrumentStatus`).
InstrumentStatusLiteral = Literal["ACTIVE", "INACTIVE"]
InstrumentStatusValue = Annotated[InstrumentStatusLiteral, InstrumentStatus]
#: The known ``RewardClaimStatus`` values, for type checkers (see :class:`RewardClaimStatus`).
RewardClaimStatusLiteral = Literal["SETTLING", "SETTLED", "FAILED"]
RewardClaimStatusValue = Annotated[RewardClaimStatusLiteral, RewardClaimStatus]
#: The known ``RewardType`` values, for type checkers (see :class:`RewardType`).
RewardTypeLiteral = Literal["text", "url", "barcode", "date"]
RewardTypeValue = Annotated[RewardTypeLiteral, RewardType]
#: The known ``CredentialType`` values, for type checkers (see :class:`CredentialType`).
CredentialTypeLiteral = Literal[
    "barcodeNumber",
    "barcodeUrl",
    "bypassUrl",
    "cardCode",
    "cardNumber",
    "cvc2",
    "eventNumber",
    "expirationDate",
    "pin",
    "redemptionUrl",
    "secretCode",
]
CredentialTypeValue = Annotated[CredentialTypeLiteral, CredentialType]


# --- checks ---------------------------------------------------------------------------------

_DIGITS = re.compile(r"[0-9]+")


# --- inputs ---------------------------------------------------------------------------------


def _update_metadata(value: Mapping[str, str]) -> dict[str, str]:
    checked = check_metadata("metadata", value)
    if checked is None:
        raise ValidationError("metadata", "is required (pass {} to clear it)")
    return checked


@attrs.frozen
class CustomerUpdate:
    """The body of ``PUT /v1/customer-vault/{customerRef}``: the customer's metadata.

    >>> CustomerUpdate(metadata={"segment": "gold"}).metadata
    {'segment': 'gold'}
    """

    metadata: Mapping[str, str] = attrs.field(converter=_update_metadata)


def _country_code(value: str) -> str:
    if not isinstance(value, str) or not _DIGITS.fullmatch(value) or len(value) > 4:
        raise ValidationError("country_code", f"must be 1-4 digits like '44' (got {shown(value)})")
    return value


def _phone_number(value: str) -> str:
    if not isinstance(value, str) or not _DIGITS.fullmatch(value) or len(value) > 20:
        raise ValidationError("phone_number", f"must be up to 20 digits (got {shown(value)})")
    return value


@attrs.frozen
class MobileInstrumentInput:
    """A mobile-phone instrument, as sent in Imburse's QA tests (digits only, no ``+``).

    >>> MobileInstrumentInput(country_code="44", phone_number="07738620344").phone_number
    '07738620344'
    """

    country_code: str = attrs.field(converter=_country_code)
    phone_number: str = attrs.field(converter=_phone_number)


# --- responses ------------------------------------------------------------------------------


@attrs.frozen
class CustomerLinks:
    """The ``_links`` of a customer (they point at v1 paths even in v2 answers)."""

    self_: Link | None = attrs.field(default=None, metadata={"wire": "self"})
    financial_instruments: tuple[Link, ...] = ()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class FinancialInstrumentDetails:
    """Details of an instrument; documented for mandates (BACS, BECS, ACH).

    Numeric-looking values (account numbers, branch codes) are numbers in v1 samples and
    strings in v2; both arrive here as ``str``.
    """

    financial_instrument_type: str | None = None
    mandate_reference: str | None = None
    debtor_name: str | None = None
    debtor_account_number: str | None = None
    debtor_branch_code: str | None = None
    debtor_bank_name: str | None = None
    debtor_signatory_name: str | None = None
    debtor_account_type: str | None = None
    creditor_name: str | None = None
    creditor_identifier: str | None = None
    imburse_mandate_id: str | None = None
    status_reason: str | None = None
    has_first_transaction_been_sent: Annotated[bool | None, TEXT_BOOL] = None
    provider_name: str | None = None
    provider_mandate_ref: str | None = None
    authorization_source: str | None = None
    authorization_frequency: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Capabilities:
    """What an instrument can do: ``VARIABLE`` / ``MULTIPLE`` use, credit and debit."""

    value_type: str | None = None
    usage_type: str | None = None
    can_credit: bool | None = None
    can_debit: bool | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Agreement:
    """The agreement behind an instrument, e.g. ``agreementType="Reuse"``."""

    agreement_type: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class WalletSettings:
    """Whether an instrument is in the customer's wallet."""

    enabled: bool | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class FinancialInstrument:
    """A stored way to pay or be paid, e.g. ``type="MANDATE:BACS_DIRECT_DEBIT"``.

    ``type`` is an open string (``MANDATE:<scheme>``; card types are not published).
    ``correlation_id`` is set when the instrument was fetched on its own.
    """

    id: str  # required: the instrument's own id
    type: str | None = None
    status: InstrumentStatusValue | None = None
    display_name: str | None = None
    created_date: datetime | None = None
    created_timestamp: datetime | None = None
    authorization_source: str | None = None
    details: FinancialInstrumentDetails | None = None
    capabilities: Capabilities | None = None
    agreement: Agreement | None = None
    wallet: WalletSettings | None = None
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = _correlation_id()

    @property
    def created(self) -> datetime | None:
        """When it was created, whichever of ``createdDate`` / ``createdTimestamp`` came."""
        return self.created_timestamp or self.created_date


@attrs.frozen
class Customer:
    """A customer in the vault (``GET /v1/customer-vault/{customerRef}`` or its wallet)."""

    status: CustomerStatusValue | None = None
    metadata: Mapping[str, str] = attrs.field(factory=dict)
    financial_instruments: tuple[FinancialInstrument, ...] = ()
    links: CustomerLinks | None = attrs.field(default=None, metadata={"wire": "_links"})
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = _correlation_id()


@attrs.frozen
class CustomerTransaction(Transaction):
    """A transaction of one instrument (path from ``_links``; its body is not published)."""

    correlation_id: str | None = _correlation_id()


@attrs.frozen
class MobileInstrument:
    """The answer to creating a mobile instrument: its ``id`` (same number, same id)."""

    id: str  # required: the instrument's own id
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = _correlation_id()


@attrs.frozen
class Credential:
    """One piece of a claimed reward to show the customer (a code, a PIN, an expiry...)."""

    label: str | None = None
    value: str | None = None
    reward_type: RewardTypeValue | None = None
    credential_type: CredentialTypeValue | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class RewardRedemption:
    """The ``data`` of a settled reward claim."""

    credential_list: tuple[Credential, ...] = ()
    redemption_instructions: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class RewardClaimTransaction:
    """A reward-claim transaction: ``SETTLING``, then ``SETTLED`` (with data) or ``FAILED``."""

    status: RewardClaimStatusValue | None = None
    data: RewardRedemption | None = None
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = _correlation_id()

    @property
    def settling(self) -> bool:
        """True while the provider has not answered yet (a missing status counts too)."""
        return self.status is None or self.status == RewardClaimStatus.SETTLING

    @property
    def credential_list(self) -> tuple[Credential, ...]:
        """The credentials to show the customer (empty unless settled)."""
        return self.data.credential_list if self.data else ()

    @property
    def redemption_instructions(self) -> str | None:
        """How to redeem the reward (HTML in the samples), or ``None``."""
        return self.data.redemption_instructions if self.data else None


_REWARD_PATH = re.compile(
    r"/v\d+/customer-vault/(?P<customer>[^/]+)/reward/(?P<instrument>[^/]+)"
    r"/transaction/(?P<transaction>[^/]+)/?"
)


@attrs.frozen
class RewardClaim:
    """An accepted claim (202): where to poll it, and the ids parsed from that ``location``.

    >>> claim = RewardClaim.from_location(
    ...     "https://sandbox-api.imbursepayments.com/v1/customer-vault/CUS-1/reward/"
    ...     "0c1d2e3f-0000-4000-8000-000000000001/transaction/8f482020-965f-4e9b-afb2-1e6e4336e6da")
    >>> claim.customer_ref, claim.transaction_id
    ('CUS-1', '8f482020-965f-4e9b-afb2-1e6e4336e6da')
    """

    location: str | None = None
    customer_ref: str | None = None
    financial_instrument_id: str | None = None
    transaction_id: str | None = None
    correlation_id: str | None = _correlation_id()

    @classmethod
    def from_location(cls, location: str | None) -> RewardClaim:
        """Parse a ``location`` header (absolute or relative); unknown shapes keep no ids."""
        if not location:
            return cls(location=location)
        match = _REWARD_PATH.fullmatch(urlsplit(location).path)
        if match is None:
            return cls(location=location)
        return cls(
            location=location,
            customer_ref=unquote(match["customer"]),
            financial_instrument_id=unquote(match["instrument"]),
            transaction_id=unquote(match["transaction"]),
        )

    @property
    def ids(self) -> tuple[str, str, str] | None:
        """``(customer_ref, financial_instrument_id, transaction_id)`` when all are known."""
        if self.customer_ref and self.financial_instrument_id and self.transaction_id:
            return self.customer_ref, self.financial_instrument_id, self.transaction_id
        return None


RewardClaimTarget = RewardClaim | str | tuple[str, str, str]


def reward_claim_ids(target: Any) -> tuple[str, str, str]:
    """The ids of a reward-claim transaction from a :class:`RewardClaim`, a ``location``
    string or a ``(customer_ref, financial_instrument_id, transaction_id)`` tuple; checked.
    """
    if isinstance(target, str):
        target = RewardClaim.from_location(target)
    if isinstance(target, RewardClaim):
        ids = target.ids
        if ids is None:
            raise ValidationError(
                "location", f"is not a reward-claim transaction URL (got {target.location!r})"
            )
    elif isinstance(target, tuple) and len(target) == 3:
        ids = target
    else:
        raise ValidationError(
            "location_or_ids",
            "must be a RewardClaim, a location URL or a (customer_ref, "
            f"financial_instrument_id, transaction_id) tuple (got {target!r})",
        )
    customer_ref, instrument_id, transaction_id = ids
    return (
        check_ref("customer_ref", customer_ref),
        check_uuid("financial_instrument_id", instrument_id),
        check_uuid("transaction_id", transaction_id),
    )
