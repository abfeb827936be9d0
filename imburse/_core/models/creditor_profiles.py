"""Creditor profiles (``imburse-openapi-pages.md`` §4.9-4.11): who collects under a mandate.

A creditor profile must exist before a mandate can name it (``creditorProfileRef``).

* Generic, any network: :class:`CreditorProfileInput` to create one, :class:`CreditorProfile`
  for a read and for the items of the paged list (:class:`CreditorProfilePage`; the list
  carries the common attributes, network-specific ones are kept in ``extra``).
* Network-specific and superseded by the generic calls (Imburse marks the BACS ones
  deprecated): :class:`BacsCreditorProfileInput` / :class:`BacsCreditorProfile` and
  :class:`SepaCreditorProfileInput` / :class:`SepaCreditorProfile`.

Responses follow the decode rules: the profile's own ref is required, everything else
optional.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ..validation import check_metadata, check_ref
from ._checks import check_text, nested
from .mandates import MandateAddress, MandateAddressInput, MandateNetworkValue
from .paging import Page

__all__ = [
    "BacsCreditorProfile",
    "BacsCreditorProfileInput",
    "CreditorProfile",
    "CreditorProfileInput",
    "CreditorProfilePage",
    "SepaCreditorProfile",
    "SepaCreditorProfileInput",
]


def _extra() -> Any:
    return attrs.field(factory=dict, repr=False, eq=False)


def _correlation_id() -> Any:
    return attrs.field(default=None, repr=False, eq=False)


def _text(field: str) -> Any:
    def check(value: Any) -> str | None:
        return check_text(field, value, required=False)

    return attrs.field(default=None, converter=check)


def _ref(value: str) -> str:
    return check_ref("creditor_profile_ref", value)


def _network(value: str) -> str:
    return str(check_text("network", value))  # a MandateNetwork member becomes its value


def _profile_name(value: str) -> str:
    return str(check_text("profile_name", value))


def _address(value: Any) -> MandateAddressInput | None:
    return None if value is None else nested("address", value, MandateAddressInput)


def _metadata(value: Mapping[str, str] | None) -> dict[str, str] | None:
    return check_metadata("metadata", value)


# --- inputs ---------------------------------------------------------------------------------


@attrs.frozen
class CreditorProfileInput:
    """A creditor profile to create, on any network (``network``: ``Bacs``, ``SEPA``...).

    >>> CreditorProfileInput(network="Bacs", creditor_profile_ref="org-bacs-profile-1234",
    ...     profile_name="BACS Profile #1234", creditor_identifier="123456",
    ...     creditor_name="Imburse").creditor_profile_ref
    'org-bacs-profile-1234'
    """

    network: str = attrs.field(converter=_network)
    creditor_profile_ref: str = attrs.field(converter=_ref)
    profile_name: str | None = _text("profile_name")
    creditor_identifier: str | None = _text("creditor_identifier")
    creditor_name: str | None = _text("creditor_name")
    address: MandateAddressInput | None = attrs.field(default=None, converter=_address)
    metadata: Mapping[str, str] | None = attrs.field(default=None, converter=_metadata)


@attrs.frozen
class BacsCreditorProfileInput:
    """A BACS creditor profile (deprecated by Imburse: prefer :class:`CreditorProfileInput`).

    ``service_user_number`` is the BACS SUN the collections run under.
    """

    creditor_profile_ref: str = attrs.field(converter=_ref)
    profile_name: str = attrs.field(converter=_profile_name)
    service_user_number: str | None = _text("service_user_number")
    organization_name: str | None = _text("organization_name")
    metadata: Mapping[str, str] | None = attrs.field(default=None, converter=_metadata)


@attrs.frozen
class SepaCreditorProfileInput:
    """A SEPA creditor profile (network-specific; prefer :class:`CreditorProfileInput`).

    ``identifier`` is the SEPA creditor identifier, ``name`` the creditor's name.
    """

    creditor_profile_ref: str = attrs.field(converter=_ref)
    profile_name: str | None = _text("profile_name")
    identifier: str | None = _text("identifier")
    name: str | None = _text("name")
    address: MandateAddressInput | None = attrs.field(default=None, converter=_address)
    metadata: Mapping[str, str] | None = attrs.field(default=None, converter=_metadata)


# --- responses ------------------------------------------------------------------------------


@attrs.frozen
class CreditorProfile:
    """A creditor profile, as the generic read and the paged list report it."""

    creditor_profile_ref: str  # required: the profile's own ref
    profile_name: str | None = None
    network: MandateNetworkValue | None = None
    creditor_identifier: str | None = None
    creditor_name: str | None = None
    address: MandateAddress | None = None
    metadata: Mapping[str, str] = attrs.field(factory=dict)
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = _correlation_id()


@attrs.frozen(kw_only=True)
class CreditorProfilePage(Page[CreditorProfile]):
    """One page of ``GET /v2/mandates/creditor-profiles``; iterate it for its profiles."""

    results: tuple[CreditorProfile, ...]


@attrs.frozen
class BacsCreditorProfile:
    """A BACS creditor profile (``GET /v2/mandates/creditor-profiles/bacs/{ref}``, deprecated)."""

    creditor_profile_ref: str  # required: the profile's own ref
    profile_name: str | None = None
    network: MandateNetworkValue | None = None
    service_user_number: str | None = None
    organization_name: str | None = None
    metadata: Mapping[str, str] = attrs.field(factory=dict)
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = _correlation_id()


@attrs.frozen
class SepaCreditorProfile:
    """A SEPA creditor profile (``network: "SEPA"``; path not published)."""

    creditor_profile_ref: str  # required: the profile's own ref
    profile_name: str | None = None
    network: MandateNetworkValue | None = None
    identifier: str | None = None
    name: str | None = None
    address: MandateAddress | None = None
    metadata: Mapping[str, str] = attrs.field(factory=dict)
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = _correlation_id()
