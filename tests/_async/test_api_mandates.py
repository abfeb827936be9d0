"""``client.mandates`` (creditor profiles, mandates, SEPA DD configuration) against the fake,
end to end. Converted to ``tests/_sync`` by ``scripts/unasync.py``."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from urllib.parse import parse_qs

import pytest

from imburse import (
    APIStatusError,
    AsyncImburse,
    BadRequestError,
    MandateCreated,
    MandateSummary,
    NotFoundError,
    ValidationError,
)
from imburse.testing import FakeImburse
from imburse.testing.routes.mandates import configure_mandates

from .helpers import FakeClock, Wire

PROFILE = "org-bacs-profile-1234"
BACS_DEBTOR = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "account_holder_name": "A Lovelace",
    "account_number": "12345678",
    "sort_code": "123456",
}
BECS_AU_DEBTOR = {
    "first_name": "Ada",
    "last_name": "Lovelace",
    "account_holder_name": "A Lovelace",
    "account_number": "123456789",
    "bsb_number": "062000",
}


async def _bacs_profile(client: AsyncImburse) -> None:
    await client.mandates.creditor_profiles.create(
        "Bacs",
        PROFILE,
        profile_name="BACS Profile #1234",
        creditor_identifier="123456",
        creditor_name="Imburse",
    )


@pytest.mark.anyio
async def test_a_creditor_profile_then_a_mandate(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await _bacs_profile(client)
        profile = await client.mandates.creditor_profiles.get(PROFILE)
        created = await client.mandates.create("CUS-1", PROFILE, "BacsB2C", debtor=BACS_DEBTOR)
        page = await client.mandates.list().first_page()
    assert (profile.creditor_profile_ref, profile.network, profile.creditor_name) == (
        PROFILE,
        "Bacs",
        "Imburse",
    )
    assert isinstance(created, MandateCreated)
    assert created.verification_check is not None
    assert (created.verification_check.status, created.verification_check.reason) == (
        "VERIFIED",
        "Verification Successful",
    )
    assert page.total_count == 1
    (mandate,) = page
    assert isinstance(mandate, MandateSummary)
    assert (mandate.mandate_id, mandate.network, mandate.mandate_type, mandate.status) == (
        created.mandate_id,
        "Bacs",
        "BacsB2C",
        "Active",
    )
    posted = [r for r in fake.requests if r.path == "/v2/mandates" and r.method == "POST"]
    assert posted[0].status == 201
    assert posted[0].body == (
        b'{"customerRef":"CUS-1","creditorProfileRef":"org-bacs-profile-1234",'
        b'"mandateType":"BacsB2C","debtor":{"firstName":"Ada","lastName":"Lovelace",'
        b'"accountHolderName":"A Lovelace","accountNumber":"12345678","sortCode":"123456"}}'
    )


@pytest.mark.anyio
async def test_listing_walks_every_page_one_request_each(
    fake: FakeImburse, clock: FakeClock, make_client: Callable[..., AsyncImburse]
) -> None:
    wire = Wire(fake, clock)
    async with make_client(http_client=wire.async_client()) as client:
        await _bacs_profile(client)
        ids = [
            (
                await client.mandates.create(f"CUS-{n}", PROFILE, "BacsB2C", debtor=BACS_DEBTOR)
            ).mandate_id
            for n in range(7)
        ]
        del wire.requests[:]
        pager = client.mandates.list(take=3)
        assert wire.requests == []  # nothing is sent before iterating
        seen = [mandate.mandate_id async for mandate in pager]
    pages = [parse_qs(request.url.query.decode()) for _, request in wire.requests]
    assert seen == ids
    # 7 items, 3 a page: three requests, the last a short page (1 item).
    assert pages == [
        {"from": ["0"], "take": ["3"]},
        {"from": ["3"], "take": ["3"]},
        {"from": ["6"], "take": ["3"]},
    ]


@pytest.mark.anyio
async def test_a_walk_stops_at_total_count_without_asking_for_an_empty_page(
    fake: FakeImburse, clock: FakeClock, make_client: Callable[..., AsyncImburse]
) -> None:
    wire = Wire(fake, clock)
    async with make_client(http_client=wire.async_client()) as client:
        await _bacs_profile(client)
        for n in range(4):
            await client.mandates.create(f"CUS-{n}", PROFILE, "BacsB2C", debtor=BACS_DEBTOR)
        del wire.requests[:]
        pages = [page async for page in client.mandates.list(take=2).pages()]
    assert [len(page) for page in pages] == [2, 2]
    assert [(p.current_page, p.page_count, p.total_count) for p in pages] == [(1, 2, 4), (2, 2, 4)]
    assert len(wire.requests) == 2


@pytest.mark.anyio
async def test_each_page_request_is_retried_on_its_own(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        await _bacs_profile(client)
        for n in range(3):
            await client.mandates.create(f"CUS-{n}", PROFILE, "BacsB2C", debtor=BACS_DEBTOR)
        fake.inject("status", status=503, path="^/v2/mandates$", method="GET", times=1)
        pager = client.mandates.list(take=2)
        first = await pager.first_page()
        refs = [m.customer_ref async for m in pager]
    assert len(first) == 2
    assert refs == ["CUS-0", "CUS-1", "CUS-2"]
    gets = [r.status for r in fake.requests if r.path == "/v2/mandates" and r.method == "GET"]
    assert gets == [503, 200, 200, 200]  # the first page retried; then one call a page


@pytest.mark.parametrize("take", [0, 1001])
@pytest.mark.anyio
async def test_take_outside_1_to_1000_is_refused_before_any_request(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, take: int
) -> None:
    async with make_client() as client:
        with pytest.raises(ValidationError) as info:
            client.mandates.list(take=take)
        with pytest.raises(ValidationError):
            await client.mandates.with_raw_response.list(take=take)
    assert info.value.field == "take"
    assert fake.requests == []


@pytest.mark.anyio
async def test_the_raw_twin_of_a_paged_list_is_its_first_page(
    make_client: Callable[..., AsyncImburse],
) -> None:
    async with make_client() as client:
        await _bacs_profile(client)
        raw = await client.mandates.creditor_profiles.with_raw_response.list(take=10, limit=1)
    assert raw.status_code == 200
    assert [p.creditor_profile_ref for p in raw.parse()] == [PROFILE]
    assert (raw.parse().page_size, raw.parse().total_count) == (1, 1)


@pytest.mark.anyio
async def test_a_becs_mandate_reads_with_its_debtor_and_warns(
    make_client: Callable[..., AsyncImburse],
) -> None:
    async with make_client() as client:
        await client.mandates.creditor_profiles.create("BecsAu", "becs-profile-1")
        created = await client.mandates.create(
            "CUS-1", "becs-profile-1", "BecsAuB2C", debtor=BECS_AU_DEBTOR
        )
        with pytest.warns(DeprecationWarning, match=r"client\.mandates\.get_becs_au") as seen:
            mandate = await client.mandates.get_becs_au(created.mandate_id)
        with (
            pytest.warns(DeprecationWarning, match="get_becs_nz"),
            pytest.raises(NotFoundError) as info,
        ):
            await client.mandates.get_becs_nz(created.mandate_id)  # an AU mandate
    assert seen[0].filename == __file__  # the warning points at the caller's line
    assert (mandate.network, mandate.mandate_type, mandate.status) == (
        "BecsAu",
        "BecsAuB2C",
        "Active",
    )
    assert mandate.debtor is not None
    assert (mandate.debtor.bsb_number, mandate.debtor.account_number) == ("062000", "123456789")
    assert info.value.status_code == 404
    assert info.value.message == f"Mandate '{created.mandate_id}' was not found."


@pytest.mark.anyio
async def test_the_deprecated_bacs_profile_read_warns_and_404s_when_missing(
    make_client: Callable[..., AsyncImburse],
) -> None:
    async with make_client() as client:
        await _bacs_profile(client)
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            profile = await client.mandates.creditor_profiles.get_bacs(PROFILE)
            raw = await client.mandates.creditor_profiles.with_raw_response.get_bacs(PROFILE)
            with pytest.raises(NotFoundError) as info:
                await client.mandates.creditor_profiles.get_bacs("missing")
    assert [w.category for w in seen] == [DeprecationWarning] * 3
    assert (profile.service_user_number, profile.organization_name) == ("123456", "Imburse")
    assert raw.parse() == profile
    assert info.value.message == "Creditor Profile was not found."


@pytest.mark.anyio
async def test_a_missing_creditor_profile_is_not_found(
    make_client: Callable[..., AsyncImburse],
) -> None:
    async with make_client() as client:
        await _bacs_profile(client)
        with pytest.raises(NotFoundError) as info:
            await client.mandates.creditor_profiles.get("nope")
    assert (info.value.status_code, info.value.error_code) == (404, "NOT_FOUND")


@pytest.mark.anyio
async def test_problem_details_from_the_fake_fill_the_error_fields(
    make_client: Callable[..., AsyncImburse],
) -> None:
    """A mandate naming an unknown creditor profile: the fake answers problem details."""
    async with make_client() as client:
        await _bacs_profile(client)  # another profile exists
        with pytest.raises(BadRequestError) as info:
            await client.mandates.create("CUS-1", "no-such-profile", "BacsB2C", debtor=BACS_DEBTOR)
    error = info.value
    assert (error.status_code, error.error_code) == (400, "CREDITOR_PROFILE_NOT_FOUND")
    assert error.message == "Creditor Profile was not found."
    assert error.errors[0].field == "CreditorProfileRef"
    assert error.server_correlation_id


@pytest.mark.anyio
async def test_a_missing_debtor_field_never_reaches_the_server(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    debtor = {k: v for k, v in BACS_DEBTOR.items() if k != "sort_code"}
    async with make_client() as client:
        await _bacs_profile(client)
        sent = len(fake.requests)
        with pytest.raises(ValidationError) as info:
            await client.mandates.create("CUS-1", PROFILE, "BacsB2C", debtor=debtor)
    assert info.value.field == "debtor.sort_code"
    assert len(fake.requests) == sent


@pytest.mark.anyio
async def test_sepa_direct_debit_configuration(make_client: Callable[..., AsyncImburse]) -> None:
    async with make_client() as client:
        before = await client.mandates.sepa_configuration.validate()
        await client.mandates.sepa_configuration.create(
            "DE89370400440532013000", address={"locality": "Berlin", "country": "DE"}
        )
        partial = await client.mandates.sepa_configuration.validate()
        await client.mandates.sepa_configuration.update("DE89370400440532013000", bic="COBADEFFXXX")
        config = await client.mandates.sepa_configuration.get()
        after = await client.mandates.sepa_configuration.validate()
    assert (before.is_valid, partial.is_valid, after.is_valid) == (False, False, True)
    assert (config.iban, config.bic) == ("DE89370400440532013000", "COBADEFFXXX")
    assert after.validation_messages == ()


@pytest.mark.anyio
async def test_unlicensed_accounts_get_405(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse
) -> None:
    async with make_client() as client:
        configure_mandates(fake, enabled=False)
        with pytest.raises(APIStatusError) as info:
            await client.mandates.list().first_page()
    assert (info.value.status_code, info.value.error_code) == (405, "SERVICE_UNAVAILABLE")
