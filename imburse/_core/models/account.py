"""The account and its API keys (``imburse-api.md`` §5.1, §5.3, §5.4, §5.6).

An API key's private key is a secret shown exactly once, in the answer to the create call:
:class:`VaultedKey` keeps it out of ``repr`` (and so out of logs and tracebacks).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Literal

import attrs

from ..errors import ValidationError
from ._checks import check_bool, check_text, sequence_of

__all__ = [
    "ACCOUNT_ROLES",
    "TENANT_ROLES",
    "UNLIMITED",
    "Account",
    "AccountKeyList",
    "AccountUpdate",
    "Address",
    "Key",
    "KeyInput",
    "License",
    "Role",
    "RoleValue",
    "VaultedKey",
]

#: The value of a licence limit (``max_tenants``...) that means "no limit".
UNLIMITED = -1


def _extra() -> Any:
    return attrs.field(factory=dict, repr=False, eq=False)


def _correlation_id() -> Any:
    return attrs.field(default=None, repr=False, eq=False)


class Role(StrEnum):
    """The roles a key can hold (§5.1, current names). Unknown names are kept as strings."""

    ACCOUNT_ADMIN = "account-admin"
    ACCOUNT_TENANT_READ = "account-tenant-read"
    ACCOUNT_TENANT_WRITE = "account-tenant-write"
    ACCOUNT_TENANT_APPROVAL = "account-tenant-approval"
    TENANT_ADMIN = "tenant-admin"
    TENANT_MANAGEMENT = "tenant-management"
    TENANT_APP_READ = "tenant-app-read"
    TENANT_APP_WRITE = "tenant-app-write"
    TENANT_COLLECT_SCHEME_READ = "tenant-collect-scheme-read"
    TENANT_COLLECT_SCHEME_WRITE = "tenant-collect-scheme-write"
    TENANT_PAYOUT_SCHEME_READ = "tenant-payout-scheme-read"
    TENANT_PAYOUT_SCHEME_WRITE = "tenant-payout-scheme-write"
    TENANT_REWARD_GROUP_READ = "tenant-reward-group-read"
    TENANT_REWARD_GROUP_WRITE = "tenant-reward-group-write"
    TENANT_TRANSACTION_READ = "tenant-transaction-read"
    TENANT_TRANSACTION_WRITE = "tenant-transaction-write"
    TENANT_BRIDGE_READ = "tenant-bridge-read"
    TENANT_BRIDGE_WRITE = "tenant-bridge-write"
    TENANT_MANDATE_READ = "tenant-mandate-read"
    TENANT_MANDATE_WRITE = "tenant-mandate-write"


#: The known ``Role`` values, for type checkers (see :class:`Role`).
RoleLiteral = Literal[
    "account-admin",
    "account-tenant-read",
    "account-tenant-write",
    "account-tenant-approval",
    "tenant-admin",
    "tenant-management",
    "tenant-app-read",
    "tenant-app-write",
    "tenant-collect-scheme-read",
    "tenant-collect-scheme-write",
    "tenant-payout-scheme-read",
    "tenant-payout-scheme-write",
    "tenant-reward-group-read",
    "tenant-reward-group-write",
    "tenant-transaction-read",
    "tenant-transaction-write",
    "tenant-bridge-read",
    "tenant-bridge-write",
    "tenant-mandate-read",
    "tenant-mandate-write",
]
RoleValue = Annotated[RoleLiteral, Role]

#: Roles an account-scoped key may hold, and roles a tenant key may hold.
ACCOUNT_ROLES = frozenset(r for r in Role if r.startswith("account-"))
TENANT_ROLES = frozenset(r for r in Role if r.startswith("tenant-"))


# --- inputs ---------------------------------------------------------------------------------


def _key_name(value: str | None) -> str | None:
    return check_text("name", value, required=False)


def _role(field: str, value: Any) -> str:
    return str(check_text(field, value))  # a Role member becomes its plain value


def _roles(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    roles = sequence_of("roles", value, _role)
    if not roles:
        # An empty list would be left off the wire and read as "not given": say so instead.
        raise ValidationError(
            "roles", "must name at least one role (pass None for the server's default)"
        )
    return roles


@attrs.frozen
class KeyInput:
    """What a new (or updated) API key is called and may do.

    Without a ``name`` Imburse calls the key ``"API Key"``.

    >>> KeyInput(name="batch", roles=[Role.TENANT_TRANSACTION_WRITE]).roles
    ('tenant-transaction-write',)
    """

    name: str | None = attrs.field(default=None, converter=_key_name)
    roles: tuple[str, ...] | None = attrs.field(default=None, converter=_roles)

    @classmethod
    def replacing(cls, name: Any, roles: Any) -> KeyInput:
        """The body of a key update, which replaces both the name and the roles.

        >>> KeyInput.replacing("batch", None)
        Traceback (most recent call last):
        imburse.ValidationError: roles: is required (an update replaces the roles)
        """
        for field, value in (("name", name), ("roles", roles)):
            if value is None:
                raise ValidationError(field, f"is required (an update replaces the {field})")
        return cls(name=name, roles=roles)


def _approval(value: bool) -> bool:
    return check_bool("tenant_creation_approval_required", value)


@attrs.frozen
class AccountUpdate:
    """The account settings the API lets you change (``PUT /v1/account``)."""

    tenant_creation_approval_required: bool = attrs.field(converter=_approval)


# --- responses ------------------------------------------------------------------------------


@attrs.frozen
class Address:
    """A postal address (an account's billing contact, a tenant).

    Sources name the second line differently: ``extendedAddress`` (OpenAPI, accounts) and
    ``extendedStreetAddress`` (2019 guides, tenants); whichever the server sends is kept.
    """

    street_address: str | None = None
    extended_address: str | None = None
    extended_street_address: str | None = None
    locality: str | None = None
    region: str | None = None
    post_code: str | None = None
    country: str | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class License:
    """The account's licence: its limits (``UNLIMITED`` = -1) and usage."""

    license_id: str | None = None
    license_name: str | None = None
    max_tenants: int | None = None
    max_transactions: int | None = None
    max_collect_apps: int | None = None
    max_payout_apps: int | None = None
    license_period_start_date: datetime | None = None
    license_period_end_date: datetime | None = None
    tenant_usage: int | None = None
    enable_mandates: bool | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class Account:
    """The account behind the API key (``GET /v1/account``)."""

    account_id: str  # required: the account's own id
    imburse_account_ref: str | None = None
    company_name: str | None = None
    billing_contact_first_name: str | None = None
    billing_contact_last_name: str | None = None
    billing_contact_address: Address | None = None
    tenant_creation_approval_required: bool | None = None
    license: License | None = None
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = _correlation_id()


@attrs.frozen
class Key:
    """An API key as listed: its public key, name and roles; never its private key.

    ``account_id`` and ``tenant_id`` appear only in some (older) answers.
    """

    public_key: str  # required: the key's own id
    name: str | None = None
    roles: tuple[RoleValue, ...] = ()
    identity: str | None = None
    account_id: str | None = None
    tenant_id: str | None = None
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = _correlation_id()


@attrs.frozen
class VaultedKey(Key):
    """A key just created: a :class:`Key` plus its ``private_key``, shown this once.

    Store the private key in your secret store straight away; Imburse cannot show it again.
    It never appears in ``repr``:

    >>> VaultedKey(public_key="a123456b-c12c-123d-1ab4-18bd8c8e88a3", private_key="c2VjcmV0")
    VaultedKey(public_key='a123456b-c12c-123d-1ab4-18bd8c8e88a3', name=None, roles=(), identity=None, account_id=None, tenant_id=None, private_key='***')
    """

    private_key: str | None = attrs.field(default=None, repr=lambda _: "'***'")


@attrs.frozen
class AccountKeyList:
    """The body of ``GET /v1/account/keys``; the SDK returns its ``account_keys``."""

    account_keys: tuple[Key, ...] = ()
    extra: Mapping[str, Any] = _extra()
