"""Collect and payout schemes (``imburse-api.md`` §5.9, §5.10).

Only publish has a published path among the draft operations; the others (get published or
latest draft, add, get, update and delete a draft) are listed as unsupported, not invented.
Create is answered 200 by the sibling reward-group create; 201 is accepted too.
"""

from __future__ import annotations

from ..models.rewards_catalog import PayoutOptions
from ..models.schemes import CollectSchemeInput, PayoutSchemeInput, Scheme, SchemeList
from ._base import Operation, Scope, Unsupported

__all__ = [
    "CREATE_COLLECT_SCHEME",
    "CREATE_PAYOUT_SCHEME",
    "DELETE_COLLECT_SCHEME",
    "DELETE_PAYOUT_SCHEME",
    "GET_COLLECT_SCHEME",
    "GET_PAYOUT_OPTIONS",
    "GET_PAYOUT_SCHEME",
    "LIST_COLLECT_SCHEMES",
    "LIST_PAYOUT_SCHEMES",
    "OPERATIONS",
    "PUBLISH_COLLECT_DRAFT",
    "PUBLISH_PAYOUT_DRAFT",
    "UNSUPPORTED",
]

COLLECT_READ = ("tenant-collect-scheme-read", "tenant-admin")
COLLECT_WRITE = ("tenant-collect-scheme-write", "tenant-admin")
PAYOUT_READ = ("tenant-payout-scheme-read", "tenant-admin")
PAYOUT_WRITE = ("tenant-payout-scheme-write", "tenant-admin")

# --- collect ----------------------------------------------------------------------------------

LIST_COLLECT_SCHEMES: Operation[SchemeList] = Operation(
    name="collect_schemes.list",
    method="GET",
    path="/v1/schemes/collect",
    scope=Scope.TENANT,
    roles=COLLECT_READ,
    response={200: SchemeList},
    summary="List the tenant's collect schemes with their drafts.",
)

CREATE_COLLECT_SCHEME: Operation[Scheme] = Operation(
    name="collect_schemes.create",
    method="POST",
    path="/v1/schemes/collect",
    scope=Scope.TENANT,
    roles=COLLECT_WRITE,
    response={200: Scheme, 201: Scheme},
    body=CollectSchemeInput,
    summary="Create a collect scheme and its first (unpublished) draft.",
)

GET_COLLECT_SCHEME: Operation[Scheme] = Operation(
    name="collect_schemes.get",
    method="GET",
    path="/v1/schemes/collect/{schemeId}",  # inferred from GET /v2/schemes/payout/{schemeId}
    scope=Scope.TENANT,
    roles=COLLECT_READ,
    response={200: Scheme},
    confirmed=False,
    summary="Read one collect scheme with its drafts.",
)

DELETE_COLLECT_SCHEME: Operation[None] = Operation(
    name="collect_schemes.delete",
    method="DELETE",
    path="/v1/schemes/collect/{schemeId}",  # inferred from the payout delete (204)
    scope=Scope.TENANT,
    roles=COLLECT_WRITE,
    response={204: None, 200: None},
    confirmed=False,
    summary="Delete a collect scheme.",
)

PUBLISH_COLLECT_DRAFT: Operation[Scheme] = Operation(
    name="collect_schemes.publish_draft",
    method="POST",
    path="/v1/schemes/collect/{schemeId}/drafts/{draftId}/publish",
    scope=Scope.TENANT,
    roles=COLLECT_WRITE,
    response={200: Scheme},
    summary="Publish a draft: it becomes the scheme's rules in force (publishedDraftId).",
)

# --- payout -----------------------------------------------------------------------------------

LIST_PAYOUT_SCHEMES: Operation[SchemeList] = Operation(
    name="payout_schemes.list",
    method="GET",
    path="/v1/schemes/payout",  # inferred from GET /v1/schemes/collect
    scope=Scope.TENANT,
    roles=PAYOUT_READ,
    response={200: SchemeList},
    confirmed=False,
    summary="List the tenant's payout schemes with their drafts.",
)

CREATE_PAYOUT_SCHEME: Operation[Scheme] = Operation(
    name="payout_schemes.create",
    method="POST",
    path="/v1/schemes/payout",
    scope=Scope.TENANT,
    roles=PAYOUT_WRITE,
    response={200: Scheme, 201: Scheme},
    body=PayoutSchemeInput,
    summary="Create a payout scheme and its first (unpublished) draft.",
)

GET_PAYOUT_SCHEME: Operation[Scheme] = Operation(
    name="payout_schemes.get",
    method="GET",
    path="/v2/schemes/payout/{schemeId}",  # the only published form is v2 (OA verbose)
    scope=Scope.TENANT,
    roles=PAYOUT_READ,
    response={200: Scheme},
    summary="Read one payout scheme with its drafts (Configuration API v2).",
)

DELETE_PAYOUT_SCHEME: Operation[None] = Operation(
    name="payout_schemes.delete",
    method="DELETE",
    path="/v1/schemes/payout/{schemeId}",  # OA shows delete -> 204 without its path
    scope=Scope.TENANT,
    roles=PAYOUT_WRITE,
    response={204: None, 200: None},
    confirmed=False,
    summary="Delete a payout scheme.",
)

PUBLISH_PAYOUT_DRAFT: Operation[Scheme] = Operation(
    name="payout_schemes.publish_draft",
    method="POST",
    path="/v1/schemes/payout/{schemeId}/drafts/{draftId}/publish",
    scope=Scope.TENANT,
    roles=PAYOUT_WRITE,
    response={200: Scheme},
    summary="Publish a payout draft: it becomes the scheme's rules in force.",
)

GET_PAYOUT_OPTIONS: Operation[PayoutOptions] = Operation(
    name="payout_schemes.options",
    method="GET",
    path="/v1/schemes/payout/{schemeId}/options",
    scope=Scope.TENANT,
    roles=PAYOUT_READ,
    response={200: PayoutOptions},
    query=("amount", "currency", "country", "matchType"),
    summary="The rewards a customer may pick for an amount, currency and country.",
)

OPERATIONS: tuple[Operation[object], ...] = (
    LIST_COLLECT_SCHEMES,
    CREATE_COLLECT_SCHEME,
    GET_COLLECT_SCHEME,
    DELETE_COLLECT_SCHEME,
    PUBLISH_COLLECT_DRAFT,
    LIST_PAYOUT_SCHEMES,
    CREATE_PAYOUT_SCHEME,
    GET_PAYOUT_SCHEME,
    DELETE_PAYOUT_SCHEME,
    PUBLISH_PAYOUT_DRAFT,
    GET_PAYOUT_OPTIONS,
)

_NO_PATH = "path not published in any public source ([GAP]); reach it with client.request()"
_DRAFT_OPERATIONS = (
    ("get the published draft", ""),
    ("get the latest draft", ""),
    ("add a draft", " (likely POST .../{schemeId}/drafts)"),
    ("get a draft", " (likely GET .../{schemeId}/drafts/{draftId})"),
    ("update a draft (not the published one)", " (likely PUT .../drafts/{draftId})"),
    ("delete a draft (not the published one)", " (likely DELETE .../drafts/{draftId})"),
)
UNSUPPORTED: tuple[Unsupported, ...] = tuple(
    Unsupported(group, f"{kind} scheme: {summary}", _NO_PATH + hint)
    for group, kind in (("collect_schemes", "Collect"), ("payout_schemes", "Payout"))
    for summary, hint in _DRAFT_OPERATIONS
)
