"""PROPOSED replacement for ``imburse/_core/operations/mandates.py`` (from the `contract`
helper; not live). Checked in a scratch copy of this branch: ``scripts/gen_api.py`` generates
the resources from it and mypy/ruff accept the result. What it cannot do yet, for lack of
table support: the two paged lists have ``python=None`` (write them as in the handoff's
"Paged methods" snippet, or add a ``paged=True`` Method flag to ``scripts/gen_api.py``), and
the deprecated reads say so in their docstrings but emit no ``DeprecationWarning`` (needs a
``deprecated`` flag on ``Operation``/``Method``).

``client.mandates`` (``imburse-openapi-pages.md`` §4.7-4.12): direct-debit mandates, their
creditor profiles and the v1 SEPA Direct Debit Core configuration.
"""

from __future__ import annotations

from ..models._checks import check_uuid
from ..models.creditor_profiles import (
    BacsCreditorProfile,
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
    "GET_SEPA_CONFIGURATION",
    "GROUPS",
    "LIST_CREDITOR_PROFILES",
    "LIST_MANDATES",
    "OPERATIONS",
    "UNSUPPORTED",
    "UPDATE_SEPA_CONFIGURATION",
    "VALIDATE_SEPA_CONFIGURATION",
]

GROUPS = (
    Group(
        "mandates",
        "Mandates",
        "Direct-debit mandates (v2): create and register one on any network, list them, and\n"
        "the network-specific reads. Needs ``tenant-mandate-read`` / ``-write`` (or\n"
        "``tenant-admin``) and an account licence with mandates enabled (else 405\n"
        "``SERVICE_UNAVAILABLE``).",
    ),
    Group(
        "mandates.creditor_profiles",
        "CreditorProfiles",
        "Creditor profiles: who collects under a mandate. One must exist before a mandate\n"
        "can name it (``creditor_profile_ref``).",
    ),
    Group(
        "mandates.sepa_configuration",
        "SepaConfiguration",
        "The tenant's SEPA Direct Debit Core configuration (v1): its IBAN, BIC and address.",
    ),
)

READ = ("tenant-mandate-read", "tenant-admin")
WRITE = ("tenant-mandate-write", "tenant-admin")
_PROFILE_REF = Arg("creditor_profile_ref", "str", path="creditorProfileRef", check=check_ref)
_MANDATE_ID = Arg("mandate_id", "str", path="mandateId", check=check_uuid)
_SEPA_PATH = "/v1/mandates/configuration/sepa-direct-debit-core"

LIST_CREDITOR_PROFILES: Operation[CreditorProfilePage] = Operation(
    name="mandates.creditor_profiles.list",
    method="GET",
    path="/v2/mandates/creditor-profiles",
    scope=Scope.TENANT,
    roles=READ,
    response={200: CreditorProfilePage},
    query=("from", "take"),
    summary="Creditor profiles of any network, paged (from/take).",
)

CREATE_CREDITOR_PROFILE: Operation[None] = Operation(
    name="mandates.creditor_profiles.create",
    method="POST",
    path="/v2/mandates/creditor-profiles",
    scope=Scope.TENANT,
    roles=WRITE,
    response={201: None, 200: None},
    body=CreditorProfileInput,
    confirmed=False,
    summary="Create a creditor profile on any network (POST on the list path, inferred).",
    python=Method(
        doc=(
            "Create a creditor profile (experimental: the path is inferred from the list's).\n\n"
            "Not retried after an unknown outcome (no published read to check it with)."
        ),
        example=(
            'await client.mandates.creditor_profiles.create(network="Bacs",\n'
            '...     creditor_profile_ref="org-bacs-profile-1234", profile_name="BACS #1234",\n'
            '...     creditor_identifier="123456", creditor_name="Imburse")'
        ),
        args=(
            Arg("network", "str"),
            Arg("creditor_profile_ref", "str"),
            Arg("profile_name", "str | None", default="None"),
            Arg("creditor_identifier", "str | None", default="None"),
            Arg("creditor_name", "str | None", default="None"),
            Arg("address", "MandateAddressInput | Mapping[str, Any] | None", default="None"),
            Arg("metadata", "Mapping[str, str] | None", default="None"),
        ),
    ),
)

GET_BACS_CREDITOR_PROFILE: Operation[BacsCreditorProfile] = Operation(
    name="mandates.creditor_profiles.get_bacs",
    method="GET",
    path="/v2/mandates/creditor-profiles/bacs/{creditorProfileRef}",
    scope=Scope.TENANT,
    roles=READ,
    response={200: BacsCreditorProfile},
    summary="Read a BACS creditor profile (deprecated by Imburse).",
    python=Method(
        doc="Read a BACS creditor profile. Deprecated by Imburse; 404 when it does not exist.",
        example=(
            'profile = await client.mandates.creditor_profiles.get_bacs("org-bacs-profile-1234")'
        ),
        args=(_PROFILE_REF,),
    ),
)

CREATE_MANDATE: Operation[MandateCreated] = Operation(
    name="mandates.create",
    method="POST",
    path="/v2/mandates",
    scope=Scope.TENANT,
    roles=WRITE,
    response={201: MandateCreated, 200: MandateCreated},
    body=MandateInput,
    confirmed=False,
    summary="Create and register a mandate on any supported network (path from QA tests).",
    python=Method(
        doc=(
            "Create and register a mandate; the debtor fields ``mandate_type`` requires are\n"
            "checked before any request. Experimental: the path is known from Imburse's QA\n"
            "tests only. Not retried after an unknown outcome."
        ),
        example=(
            'created = await client.mandates.create(customer_ref="CUS-1",\n'
            '...     creditor_profile_ref="org-bacs-profile-1234", mandate_type="BacsB2C",\n'
            '...     debtor={"first_name": "Ada", "last_name": "Lovelace",\n'
            '...             "account_holder_name": "A Lovelace", "account_number": "12345678",\n'
            '...             "sort_code": "123456"})\n'
            "created.verification_check.status\n'VERIFIED'"
        ),
        args=(
            Arg("customer_ref", "str"),
            Arg("creditor_profile_ref", "str"),
            Arg("mandate_type", "MandateTypeName"),
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
    roles=READ,
    response={200: MandatePage},
    query=("from", "take"),
    confirmed=False,
    summary="Mandates, paged (from/take; path from QA tests).",
)

GET_BECS_AU_MANDATE: Operation[Mandate] = Operation(
    name="mandates.get_becs_au",
    method="GET",
    path="/v2/mandates/becsau/{mandateId}",
    scope=Scope.TENANT,
    roles=READ,
    response={200: Mandate},
    summary="Read a BECS AU mandate (deprecated by Imburse).",
    python=Method(
        doc="Read a BECS AU mandate with its debtor. Deprecated by Imburse; 404 when unknown.",
        example="mandate = await client.mandates.get_becs_au(mandate_id)",
        args=(_MANDATE_ID,),
    ),
)

GET_BECS_NZ_MANDATE: Operation[Mandate] = Operation(
    name="mandates.get_becs_nz",
    method="GET",
    path="/v2/mandates/becsnz/{mandateId}",
    scope=Scope.TENANT,
    roles=READ,
    response={200: Mandate},
    confirmed=False,
    summary="Read a BECS NZ mandate (deprecated by Imburse; path inferred from BECS AU).",
    python=Method(
        doc=(
            "Read a BECS NZ mandate with its debtor. Deprecated by Imburse; experimental: the\n"
            "path is inferred from the BECS AU read."
        ),
        example="mandate = await client.mandates.get_becs_nz(mandate_id)",
        args=(_MANDATE_ID,),
    ),
)

VALIDATE_SEPA_CONFIGURATION: Operation[SepaDirectDebitConfigurationValidation] = Operation(
    name="mandates.sepa_configuration.validate",
    method="GET",
    path=_SEPA_PATH + "/validate",
    scope=Scope.TENANT,
    roles=READ,
    response={200: SepaDirectDebitConfigurationValidation},
    summary="Check the SEPA Direct Debit Core configuration.",
    python=Method(
        doc="Whether the SEPA Direct Debit Core configuration is complete, and if not, why.",
        example=(
            "check = await client.mandates.sepa_configuration.validate()\n"
            "check.is_valid, check.validation_messages\n(True, ())"
        ),
    ),
)

CREATE_SEPA_CONFIGURATION: Operation[None] = Operation(
    name="mandates.sepa_configuration.create",
    method="POST",
    path=_SEPA_PATH,
    scope=Scope.TENANT,
    roles=WRITE,
    response={200: None, 201: None},
    body=SepaDirectDebitConfigurationInput,
    summary="Create the SEPA Direct Debit Core configuration.",
    python=Method(
        doc="Create the tenant's SEPA Direct Debit Core configuration.",
        example=(
            'await client.mandates.sepa_configuration.create(iban="DE89370400440532013000",\n'
            '...     bic="COBADEFFXXX")'
        ),
        args=(
            Arg("iban", "str"),
            Arg("bic", "str | None", default="None"),
            Arg("address", "PostalAddressInput | Mapping[str, Any] | None", default="None"),
        ),
    ),
)

GET_SEPA_CONFIGURATION: Operation[SepaDirectDebitConfiguration] = Operation(
    name="mandates.sepa_configuration.get",
    method="GET",
    path=_SEPA_PATH,
    scope=Scope.TENANT,
    roles=READ,
    response={200: SepaDirectDebitConfiguration},
    summary="Read the SEPA Direct Debit Core configuration.",
    python=Method(
        doc="The tenant's SEPA Direct Debit Core configuration.",
        example="(await client.mandates.sepa_configuration.get()).bic\n'COBADEFFXXX'",
    ),
)

UPDATE_SEPA_CONFIGURATION: Operation[None] = Operation(
    name="mandates.sepa_configuration.update",
    method="PUT",
    path=_SEPA_PATH,
    scope=Scope.TENANT,
    roles=WRITE,
    response={200: None, 204: None},
    body=SepaDirectDebitConfigurationInput,
    confirmed=False,
    summary="Create or update the SEPA Direct Debit Core configuration (PUT inferred).",
    python=Method(
        doc="Replace the SEPA Direct Debit Core configuration (experimental: PUT inferred).",
        example=(
            'await client.mandates.sepa_configuration.update(iban="DE89370400440532013000",\n'
            '...     bic="COBADEFFXXX")'
        ),
        args=(
            Arg("iban", "str"),
            Arg("bic", "str | None", default="None"),
            Arg("address", "PostalAddressInput | Mapping[str, Any] | None", default="None"),
        ),
    ),
)

OPERATIONS: tuple[Operation[object], ...] = (
    LIST_CREDITOR_PROFILES,
    CREATE_CREDITOR_PROFILE,
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
    "path not published; send it with client.request and decode the answer with "
    "imburse.decode_model"
)
UNSUPPORTED = (
    Unsupported("mandates.creditor_profiles", "Get a creditor profile (CreditorProfile)", _NO_PATH),
    Unsupported(
        "mandates.creditor_profiles",
        "Create a BACS creditor profile (BacsCreditorProfileInput; deprecated)",
        _NO_PATH,
    ),
    Unsupported(
        "mandates.creditor_profiles", "Get a SEPA creditor profile (SepaCreditorProfile)", _NO_PATH
    ),
    Unsupported(
        "mandates.creditor_profiles",
        "Create a SEPA creditor profile (SepaCreditorProfileInput)",
        _NO_PATH,
    ),
    Unsupported("mandates", "Create a draft Bacs mandate", _NO_PATH),
    Unsupported("mandates", "Update and register a draft SEPA mandate", _NO_PATH),
    Unsupported("mandates", "Create a mandate, v1 (MandateV1Input; tenant-admin only)", _NO_PATH),
    Unsupported("mandates.sepa_configuration", "Delete the configuration", _NO_PATH),
    Unsupported(
        "chargebacks",
        "Get a Bacs or SEPA Direct Debit chargeback (Chargeback; tenant-transaction-read)",
        _NO_PATH,
    ),
)
