"""``client.mandates``: direct-debit mandates, their creditor profiles and the v1 SEPA Direct
Debit Core configuration (``imburse-openapi-pages.md`` §4.7-4.12).

A creditor profile (``client.mandates.creditor_profiles``) must exist before a mandate can
name it. Paths come from the published pages, except ``/v2/mandates`` (Imburse's QA tests)
and the ones marked experimental, inferred from a sibling on the same page. Operations whose
path no page shows are listed as unsupported; their bodies have models, and
``client.request`` with ``imburse.decode_model`` reaches them. Reads of a missing mandate or
creditor profile answer 404 (:class:`~imburse.NotFoundError`); bad requests answer problem
details, decoded into the same error fields as every other error body. Accounts whose
licence lacks mandates were expected to get 405 ``SERVICE_UNAVAILABLE``.
"""

from __future__ import annotations

from ..models.creditor_profiles import (
    BacsCreditorProfile,
    CreditorProfile,
    CreditorProfileInput,
    CreditorProfilePage,
)
from ..models.mandates import (
    Mandate,
    MandateCreated,
    MandateInput,
    MandatePage,
    SepaDirectDebitConfiguration,
    SepaDirectDebitConfigurationInput,
    SepaDirectDebitConfigurationValidation,
)
from ..validation import check_ref
from ._base import Arg, Group, Method, Operation, Scope, Unsupported

__all__ = [
    "CREATE_CREDITOR_PROFILE",
    "CREATE_MANDATE",
    "CREATE_SEPA_CONFIGURATION",
    "GET_BACS_CREDITOR_PROFILE",
    "GET_BECS_AU_MANDATE",
    "GET_BECS_NZ_MANDATE",
    "GET_CREDITOR_PROFILE",
    "GET_SEPA_CONFIGURATION",
    "GROUPS",
    "LIST_CREDITOR_PROFILES",
    "LIST_MANDATES",
    "MANDATE_READ",
    "MANDATE_WRITE",
    "OPERATIONS",
    "UNSUPPORTED",
    "UPDATE_SEPA_CONFIGURATION",
    "VALIDATE_SEPA_CONFIGURATION",
]

GROUPS = (
    Group(
        "mandates",
        "Mandates",
        "Direct-debit mandates (v2): create and register one, list them page by page, read\n"
        "the network-specific ones.\n\n"
        "A mandate names a creditor profile (:attr:`creditor_profiles`), which must exist\n"
        "first. Reads of a missing mandate raise :class:`~imburse.NotFoundError`.",
    ),
    Group(
        "mandates.creditor_profiles",
        "CreditorProfiles",
        "Creditor profiles: who collects under a mandate (one per network and creditor).\n\n"
        "A read of a missing profile raises :class:`~imburse.NotFoundError`.",
    ),
    Group(
        "mandates.sepa_configuration",
        "SepaConfiguration",
        "The tenant's SEPA Direct Debit Core configuration (v1): its creditor bank account\n"
        "and address.",
    ),
)

#: ``tenant-mandate-read`` or ``tenant-admin`` (every read on the mandate pages).
MANDATE_READ = ("tenant-mandate-read", "tenant-admin")
#: ``tenant-mandate-write`` or ``tenant-admin`` (every write on the mandate pages).
MANDATE_WRITE = ("tenant-mandate-write", "tenant-admin")
_PAGE_QUERY = ("from", "take")
_PROFILE_REF = Arg("creditor_profile_ref", "str", path="creditorProfileRef", check=check_ref)
_MANDATE_ID = Arg("mandate_id", "str", path="mandateId", check=check_ref)


# --- creditor profiles ---------------------------------------------------------------------

LIST_CREDITOR_PROFILES: Operation[CreditorProfilePage] = Operation(
    name="mandates.creditor_profiles.list",
    method="GET",
    path="/v2/mandates/creditor-profiles",
    scope=Scope.TENANT,
    roles=MANDATE_READ,
    response={200: CreditorProfilePage},
    query=_PAGE_QUERY,
    summary="Creditor profiles of any network, paged (`from`, `take`).",
    python=Method(
        doc="Every creditor profile of the tenant, any network (common attributes only).",
        example=(
            "async for profile in client.mandates.creditor_profiles.list(take=500):\n"
            "...     print(profile.creditor_profile_ref, profile.network)"
        ),
        paged=True,
        returns="AsyncPager[CreditorProfile]",
    ),
)

CREATE_CREDITOR_PROFILE: Operation[None] = Operation(
    name="mandates.creditor_profiles.create",
    method="POST",
    path="/v2/mandates/creditor-profiles",  # [INFERRED]: a POST on the list's path
    scope=Scope.TENANT,
    roles=MANDATE_WRITE,
    response={201: None, 200: None},
    body=CreditorProfileInput,
    confirmed=False,
    summary='Create a creditor profile of any network ("Creditor profile created.").',
    python=Method(
        doc=(
            'Create a creditor profile for ``network`` (e.g. ``"Bacs"``, ``"SEPA"``).\n\n'
            "Experimental: the page shows the body, not the path (a POST on the list's path\n"
            "is inferred). Not retried after an unknown outcome: read the profile to check."
        ),
        example=(
            'await client.mandates.creditor_profiles.create("Bacs", "org-bacs-profile-1234",\n'
            '...     profile_name="BACS Profile #1234", creditor_identifier="123456",\n'
            '...     creditor_name="Imburse")'
        ),
        args=(
            Arg("network", "str", positional=True),
            Arg("creditor_profile_ref", "str", positional=True),
            Arg("profile_name", "str | None", default="None"),
            Arg("creditor_identifier", "str | None", default="None"),
            Arg("creditor_name", "str | None", default="None"),
            Arg("address", "MandateAddressInput | Mapping[str, Any] | None", default="None"),
            Arg("metadata", "Mapping[str, str] | None", default="None"),
        ),
    ),
)

GET_CREDITOR_PROFILE: Operation[CreditorProfile] = Operation(
    name="mandates.creditor_profiles.get",
    method="GET",
    path="/v2/mandates/creditor-profiles/{creditorProfileRef}",  # [INFERRED]
    scope=Scope.TENANT,
    roles=MANDATE_READ,
    response={200: CreditorProfile},
    confirmed=False,
    summary="Get a creditor profile (404 when missing).",
    python=Method(
        doc=(
            "One creditor profile (network-specific attributes are in ``extra``).\n\n"
            "Experimental: the page shows the operation, not its path (the list's path plus\n"
            "the ref is inferred)."
        ),
        example=('profile = await client.mandates.creditor_profiles.get("org-bacs-profile-1234")'),
        args=(_PROFILE_REF,),
    ),
)

GET_BACS_CREDITOR_PROFILE: Operation[BacsCreditorProfile] = Operation(
    name="mandates.creditor_profiles.get_bacs",
    method="GET",
    path="/v2/mandates/creditor-profiles/bacs/{creditorProfileRef}",
    scope=Scope.TENANT,
    roles=MANDATE_READ,
    response={200: BacsCreditorProfile},
    deprecated="use client.mandates.creditor_profiles.get",
    summary="Get a BACS creditor profile (deprecated by Imburse; 404 when missing).",
    python=Method(
        doc="A BACS creditor profile, with its service user number and organisation name.",
        example=(
            'profile = await client.mandates.creditor_profiles.get_bacs("org-bacs-profile-1234")'
        ),
        args=(_PROFILE_REF,),
    ),
)


# --- mandates ------------------------------------------------------------------------------

CREATE_MANDATE: Operation[MandateCreated] = Operation(
    name="mandates.create",
    method="POST",
    path="/v2/mandates",
    scope=Scope.TENANT,
    roles=MANDATE_WRITE,
    response={201: MandateCreated, 200: MandateCreated},
    body=MandateInput,
    confirmed=False,
    summary="Create and register a mandate on any supported network (201 expected).",
    python=Method(
        doc=(
            "Create and register a mandate; returns its ids and the verification check.\n\n"
            '``mandate_type`` (e.g. ``"BacsB2C"``) decides which ``debtor`` fields are\n'
            "required; a missing one is a :class:`~imburse.ValidationError` naming it, before\n"
            "any request. ``debtor`` is a :class:`~imburse.DebtorInput` or a mapping of its\n"
            "arguments. Experimental: the path comes from Imburse's QA tests, the body and\n"
            "answer from the published page. Not retried after an unknown outcome."
        ),
        example=(
            'created = await client.mandates.create("CUS-1", "org-bacs-profile-1234",\n'
            '...     "BacsB2C", debtor={"first_name": "Ada", "last_name": "Lovelace",\n'
            '...     "account_holder_name": "A Lovelace", "account_number": "12345678",\n'
            '...     "sort_code": "123456"})'
        ),
        args=(
            Arg("customer_ref", "str", positional=True),
            Arg("creditor_profile_ref", "str", positional=True),
            Arg("mandate_type", "MandateTypeName | str", positional=True),
            Arg("debtor", "DebtorInput | Mapping[str, Any]"),
            Arg("agreement_type", "str | None", default="None"),
        ),
    ),
)

LIST_MANDATES: Operation[MandatePage] = Operation(
    name="mandates.list",
    method="GET",
    path="/v2/mandates",
    scope=Scope.TENANT,
    roles=MANDATE_READ,
    response={200: MandatePage},
    query=_PAGE_QUERY,
    confirmed=False,
    summary="Mandates of any network, paged (`from`, `take`).",
    python=Method(
        doc=(
            "Every mandate of the tenant (summaries: ids, network, type, status, refs).\n\n"
            "Experimental: the path comes from Imburse's QA tests, the answer from the page."
        ),
        example=(
            "async for mandate in client.mandates.list(take=500):\n"
            "...     print(mandate.mandate_id, mandate.status)"
        ),
        paged=True,
        returns="AsyncPager[MandateSummary]",
    ),
)

GET_BECS_AU_MANDATE: Operation[Mandate] = Operation(
    name="mandates.get_becs_au",
    method="GET",
    path="/v2/mandates/becsau/{mandateId}",
    scope=Scope.TENANT,
    roles=MANDATE_READ,
    response={200: Mandate},
    deprecated="no replacement is published",
    summary="Get a BECS (Australia) mandate with its debtor (deprecated by Imburse; 404).",
    python=Method(
        doc="A BECS AU mandate, with its debtor (``bsb_number``, ``account_number``...).",
        example="mandate = await client.mandates.get_becs_au(mandate_id)",
        args=(_MANDATE_ID,),
    ),
)

GET_BECS_NZ_MANDATE: Operation[Mandate] = Operation(
    name="mandates.get_becs_nz",
    method="GET",
    path="/v2/mandates/becsnz/{mandateId}",  # [INFERRED] from the BECS AU read
    scope=Scope.TENANT,
    roles=MANDATE_READ,
    response={200: Mandate},
    confirmed=False,
    deprecated="no replacement is published",
    summary="Get a BECS (New Zealand) mandate with its debtor (deprecated by Imburse; 404).",
    python=Method(
        doc=(
            "A BECS NZ mandate, with its debtor (``bank_name``, ``signatory_name``...).\n\n"
            "Experimental: the path is inferred from the BECS AU read on the same page."
        ),
        example="mandate = await client.mandates.get_becs_nz(mandate_id)",
        args=(_MANDATE_ID,),
    ),
)


# --- v1 SEPA Direct Debit Core configuration -----------------------------------------------

_SEPA_PATH = "/v1/mandates/configuration/sepa-direct-debit-core"
_SEPA_ARGS = (
    Arg("iban", "str", positional=True),
    Arg("bic", "str | None", default="None"),
    Arg("address", "PostalAddressInput | Mapping[str, Any] | None", default="None"),
)

VALIDATE_SEPA_CONFIGURATION: Operation[SepaDirectDebitConfigurationValidation] = Operation(
    name="mandates.sepa_configuration.validate",
    method="GET",
    path=f"{_SEPA_PATH}/validate",
    scope=Scope.TENANT,
    roles=MANDATE_READ,
    response={200: SepaDirectDebitConfigurationValidation},
    summary="Check the SEPA Direct Debit Core configuration (`isValid`, messages).",
    python=Method(
        doc="Whether the configuration is complete, and what is missing if it is not.",
        example=(
            "check = await client.mandates.sepa_configuration.validate()\n"
            "check.is_valid, check.validation_messages\n"
            "(True, ())"
        ),
    ),
)

CREATE_SEPA_CONFIGURATION: Operation[None] = Operation(
    name="mandates.sepa_configuration.create",
    method="POST",
    path=_SEPA_PATH,
    scope=Scope.TENANT,
    roles=MANDATE_WRITE,
    response={200: None, 201: None},
    body=SepaDirectDebitConfigurationInput,
    summary="Create the SEPA Direct Debit Core configuration (iban, bic, address).",
    python=Method(
        doc="Create the tenant's SEPA Direct Debit Core configuration.",
        example=(
            'await client.mandates.sepa_configuration.create("DE89370400440532013000",\n'
            '...     bic="COBADEFFXXX", address={"locality": "Berlin", "country": "DE"})'
        ),
        args=_SEPA_ARGS,
    ),
)

GET_SEPA_CONFIGURATION: Operation[SepaDirectDebitConfiguration] = Operation(
    name="mandates.sepa_configuration.get",
    method="GET",
    path=_SEPA_PATH,
    scope=Scope.TENANT,
    roles=MANDATE_READ,
    response={200: SepaDirectDebitConfiguration},
    summary="Get the SEPA Direct Debit Core configuration.",
    python=Method(
        doc="The tenant's SEPA Direct Debit Core configuration.",
        example="config = await client.mandates.sepa_configuration.get()",
    ),
)

UPDATE_SEPA_CONFIGURATION: Operation[None] = Operation(
    name="mandates.sepa_configuration.update",
    method="PUT",
    path=_SEPA_PATH,  # [INFERRED]: the page's "create or update" entry, path not shown
    scope=Scope.TENANT,
    roles=MANDATE_WRITE,
    response={200: None, 204: None},
    body=SepaDirectDebitConfigurationInput,
    confirmed=False,
    summary="Create or update the SEPA Direct Debit Core configuration.",
    python=Method(
        doc=(
            "Create or replace the tenant's SEPA Direct Debit Core configuration.\n\n"
            "Experimental: a PUT on the configuration's path is inferred (not shown)."
        ),
        example=(
            'await client.mandates.sepa_configuration.update("DE89370400440532013000",\n'
            '...     bic="COBADEFFXXX")'
        ),
        args=_SEPA_ARGS,
    ),
)

OPERATIONS: tuple[Operation[object], ...] = (
    LIST_CREDITOR_PROFILES,
    CREATE_CREDITOR_PROFILE,
    GET_CREDITOR_PROFILE,
    GET_BACS_CREDITOR_PROFILE,
    CREATE_MANDATE,
    LIST_MANDATES,
    GET_BECS_AU_MANDATE,
    GET_BECS_NZ_MANDATE,
    VALIDATE_SEPA_CONFIGURATION,
    CREATE_SEPA_CONFIGURATION,
    GET_SEPA_CONFIGURATION,
    UPDATE_SEPA_CONFIGURATION,
)

_NO_PATH = (
    "Path not published. The body has a model: send it with client.request(...) and decode "
    "the answer with imburse.decode_model({model}, ...)."
)
_NO_PATH_PLAIN = "Path not published; call it with client.request(...) once known."

UNSUPPORTED = (
    Unsupported(
        "mandates.creditor_profiles",
        "Create a BACS creditor profile (deprecated by Imburse)",
        _NO_PATH.format(model="BacsCreditorProfile") + " Body: BacsCreditorProfileInput.",
    ),
    Unsupported(
        "mandates.creditor_profiles",
        "Get a SEPA creditor profile",
        _NO_PATH.format(model="SepaCreditorProfile"),
    ),
    Unsupported(
        "mandates.creditor_profiles",
        "Create a SEPA creditor profile",
        _NO_PATH_PLAIN + " Body: SepaCreditorProfileInput.",
    ),
    Unsupported("mandates", "Create a draft Bacs mandate", _NO_PATH_PLAIN),
    Unsupported("mandates", "Update and register a draft SEPA mandate", _NO_PATH_PLAIN),
    Unsupported(
        "mandates",
        "Create a mandate (v1; tenant-admin only)",
        _NO_PATH_PLAIN + " Body: MandateV1Input.",
    ),
    Unsupported(
        "mandates.sepa_configuration",
        "Delete the SEPA Direct Debit Core configuration",
        _NO_PATH_PLAIN,
    ),
    Unsupported(
        "chargebacks",
        "Get a Bacs Direct Debit chargeback (tenant-transaction-read; 404 when missing)",
        _NO_PATH.format(model="Chargeback"),
    ),
    Unsupported(
        "chargebacks",
        "Get a SEPA Direct Debit chargeback (tenant-transaction-read; 404 when missing)",
        _NO_PATH.format(model="Chargeback"),
    ),
)
