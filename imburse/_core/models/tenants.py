"""Tenants of an account and their API keys (``imburse-api.md`` §5.5, §5.6).

The create body is flat (name and address lines side by side, as in the tenant tutorial);
the answer nests the address. Only the create path is published: the list/get/update/delete
shapes follow it ``[INFERRED]``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ..validation import check_country
from ._checks import check_text
from .account import Address, Key

__all__ = ["Tenant", "TenantInput", "TenantKeyList", "TenantList"]


def _extra() -> Any:
    return attrs.field(factory=dict, repr=False, eq=False)


def _name(value: str) -> str:
    return str(check_text("name", value))


def _line(field: str) -> Any:
    def check(value: Any) -> str | None:
        return check_text(field, None if value == "" else value, required=False)  # "": not given

    return attrs.field(default=None, converter=check)


def _country(value: str | None) -> str | None:
    return None if value is None else check_country("country", value)


@attrs.frozen
class TenantInput:
    """A tenant to create or update: its name and address, in the flat wire shape.

    >>> TenantInput(name="Acme UK", post_code="EC1A 1BB", country="GB").country
    'GB'
    """

    name: str = attrs.field(converter=_name)
    street_address: str | None = _line("street_address")
    extended_street_address: str | None = _line("extended_street_address")
    locality: str | None = _line("locality")
    region: str | None = _line("region")
    post_code: str | None = _line("post_code")
    country: str | None = attrs.field(default=None, converter=_country)


def _tenant(data: Any) -> Any:
    # The 2019 guide's tenant model names the id ``id``; newer bodies say ``tenantId``. No
    # published page settles it (issue 15), so either is read, ``tenantId`` first; an ``id``
    # equal to it is the same fact twice, a different one stays in ``extra``.
    if not isinstance(data, Mapping) or "id" not in data:
        return data
    if data.get("tenantId") is None:
        return {("tenantId" if k == "id" else k): v for k, v in data.items() if k != "tenantId"}
    if data["id"] == data["tenantId"]:
        return {k: v for k, v in data.items() if k != "id"}
    return data


@attrs.frozen
class Tenant:
    """A tenant: one business unit of the account, with its own keys, schemes and orders.

    Its id is read from ``tenantId`` or, in the 2019 guide's shape, ``id``:

    >>> from imburse._core.converter import get_converter
    >>> get_converter().structure({"id": "t-1", "name": "Acme UK"}, Tenant).tenant_id
    't-1'
    """

    tenant_id: str  # required: the tenant's own id
    account_id: str | None = None
    name: str | None = None
    address: Address | None = None
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = attrs.field(default=None, repr=False, eq=False)

    _wire_prepare = staticmethod(_tenant)


@attrs.frozen
class TenantList:
    """The body of ``GET /v1/account/tenants`` ``[INFERRED]``; the SDK returns ``tenants``."""

    tenants: tuple[Tenant, ...] = ()
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class TenantKeyList:
    """The body of ``GET /v1/account/tenants/{tenantId}/keys``; the SDK returns ``tenant_keys``."""

    tenant_keys: tuple[Key, ...] = ()
    extra: Mapping[str, Any] = _extra()
