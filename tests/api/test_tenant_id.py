"""A tenant body's id is read from ``tenantId`` or ``id`` (issue 15 item 6; pages file §6:
no published page settles it, the 2019 guide's tenant model says ``id``). Pure."""

from __future__ import annotations

import pytest

import imburse
from imburse._core.converter import get_converter
from imburse._core.models.tenants import Tenant, TenantList

TENANT = "2bb81e1e-b072-4e64-b1ec-fdcc54f2d08c"


@pytest.mark.parametrize("strict", [False, True])
def test_a_2019_body_with_id_gives_the_tenant_id(strict: bool) -> None:
    """Fails on 0.1.0, which read only ``tenantId``: ``tenant_id`` was None, ``id`` in extra."""
    tenant = imburse.decode_model(Tenant, {"id": TENANT, "name": "Acme UK"}, strict=strict)
    assert tenant.tenant_id == TENANT
    assert tenant.extra == {}


@pytest.mark.parametrize("strict", [False, True])
def test_tenant_id_and_the_same_id_are_one_fact(strict: bool) -> None:
    tenant = imburse.decode_model(Tenant, {"tenantId": TENANT, "id": TENANT}, strict=strict)
    assert (tenant.tenant_id, tenant.extra) == (TENANT, {})


def test_tenant_id_wins_over_a_different_id_which_stays_in_extra() -> None:
    tenant = imburse.decode_model(Tenant, {"tenantId": TENANT, "id": "other"})
    assert (tenant.tenant_id, tenant.extra) == (TENANT, {"id": "other"})


def test_a_null_tenant_id_falls_back_to_id() -> None:
    tenant = imburse.decode_model(Tenant, b'{"tenantId": null, "id": "t-1"}')
    assert tenant.tenant_id == "t-1"


def test_listed_tenants_read_either_key() -> None:
    listed = get_converter().structure(
        {"tenants": [{"id": "t-1"}, {"tenantId": "t-2"}]}, TenantList
    )
    assert [t.tenant_id for t in listed.tenants] == ["t-1", "t-2"]
