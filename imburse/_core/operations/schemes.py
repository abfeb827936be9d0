"""``client.collect_schemes`` and ``client.payout_schemes`` (``imburse-api.md`` §5.9, §5.10).

A scheme's drafts hold its rules; creating a scheme creates its first draft, and publishing a
draft puts its rules in force.

Only publish has a published path among the draft operations; the others (get published or
latest draft, add, get, update and delete a draft) are listed as unsupported, not invented.
Create is answered 200 by the sibling reward-group create; 201 is accepted too.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..models._checks import check_opaque_id, check_uuid
from ..models.rewards_catalog import PayoutOptions
from ..models.schemes import (
    CollectSchemeInput,
    PayoutOptionsQuery,
    PayoutSchemeInput,
    Scheme,
    SchemeList,
)
from ._base import Arg, Group, Method, Operation, Scope, Unsupported

__all__ = [
    "CREATE_COLLECT_SCHEME",
    "CREATE_PAYOUT_SCHEME",
    "DELETE_COLLECT_SCHEME",
    "DELETE_PAYOUT_SCHEME",
    "GET_COLLECT_SCHEME",
    "GET_PAYOUT_OPTIONS",
    "GET_PAYOUT_SCHEME",
    "GROUPS",
    "LIST_COLLECT_SCHEMES",
    "LIST_PAYOUT_SCHEMES",
    "OPERATIONS",
    "PUBLISH_COLLECT_DRAFT",
    "PUBLISH_PAYOUT_DRAFT",
    "UNSUPPORTED",
]

GROUPS = (
    Group(
        "collect_schemes",
        "CollectSchemes",
        "Collect schemes: which apps and payment methods collect which payments.",
    ),
    Group(
        "payout_schemes",
        "PayoutSchemes",
        "Payout schemes: which reward apps and reward groups pay out which amounts.",
    ),
)
_SCHEME_ID = Arg("scheme_id", "str", path="schemeId", check=check_opaque_id)


def payout_options_query(
    amount: object, currency: object, country: object, match_type: object
) -> Mapping[str, object]:
    """The checked query of ``payout_schemes.options``, under its wire names."""
    query = PayoutOptionsQuery(
        amount=amount, currency=currency, country=country, match_type=match_type
    )
    return query.params()


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
    python=Method(
        doc="The tenant's collect schemes, with their drafts.",
        example=(
            "[s.scheme_id for s in await client.collect_schemes.list()]\n"
            "['654EB81FF7F07F7CF5A1EE3FF6972E90']"
        ),
        unwrap="schemes",
        returns="tuple[Scheme, ...]",
    ),
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
    python=(
        Method(
            doc=(
                "Create a collect scheme with a first, unpublished draft (see :meth:`publish_draft`).\n\n"
                "``rules`` go narrowest first; each is a :class:`~imburse.RuleInput` or a mapping\n"
                "of its arguments. Bounds are ``Decimal`` and sent as strings."
            ),
            example=(
                'scheme = await client.collect_schemes.create("Cards", agreement_type="SingleUse",\n'
                '...     rules=[{"currencies": ["GBP"], "countries": ["GB"],\n'
                '...             "apps": [{"app_id": "BRAINTREE_SDK", "excluded_payment_methods": ["PAYPAL"]}]}],\n'
                "... )"
            ),
            args=(
                Arg("name", "str", positional=True),
                Arg("code", "str | None", default="None"),
                Arg("agreement_type", "str | None", default="None"),
                Arg("rules", "Sequence[RuleInput | Rule | Mapping[str, Any]]", default="()"),
            ),
        ),
        Method(
            name="create_from",
            doc="Create a collect scheme from a :class:`~imburse.CollectSchemeInput`.",
            example='await client.collect_schemes.create_from(CollectSchemeInput(name="Cards"))',
            args=(Arg("scheme", "CollectSchemeInput", positional=True),),
            whole_body=True,
        ),
    ),
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
    python=Method(
        doc="Read a scheme with its drafts.",
        example="(await client.collect_schemes.get(scheme_id)).published_draft_id",
        args=(_SCHEME_ID,),
    ),
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
    python=Method(
        doc="Delete a scheme.",
        example="await client.collect_schemes.delete(scheme_id)",
        args=(_SCHEME_ID,),
    ),
)

PUBLISH_COLLECT_DRAFT: Operation[Scheme] = Operation(
    name="collect_schemes.publish_draft",
    method="POST",
    path="/v1/schemes/collect/{schemeId}/drafts/{draftId}/publish",
    scope=Scope.TENANT,
    roles=COLLECT_WRITE,
    response={200: Scheme},
    summary="Publish a draft: it becomes the scheme's rules in force (publishedDraftId).",
    python=Method(
        doc="Publish a draft: its rules take effect and ``published_draft_id`` points at it.",
        example=(
            "scheme = await client.collect_schemes.publish_draft(\n"
            "...     scheme.scheme_id, scheme.drafts[0].draft_id)"
        ),
        args=(_SCHEME_ID, Arg("draft_id", "str", path="draftId", check=check_uuid)),
    ),
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
    python=Method(
        doc="The tenant's payout schemes, with their drafts.",
        example=(
            "[s.scheme_id for s in await client.payout_schemes.list()]\n"
            "['654EB81FF7F07F7CF5A1EE3FF6972E90']"
        ),
        unwrap="schemes",
        returns="tuple[Scheme, ...]",
    ),
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
    python=(
        Method(
            doc=(
                "Create a payout scheme with a first, unpublished draft.\n\n"
                "Each rule is a :class:`~imburse.PayoutRuleInput` or a mapping;\n"
                "``reward_groups`` name groups by uuid, with reward ids to exclude."
            ),
            example=(
                'scheme = await client.payout_schemes.create("Gift cards", rules=[{\n'
                '...     "currencies": ["USD"], "countries": ["US"],\n'
                '...     "apps": [{"app_id": "TANGOCARD_RAAS"}],\n'
                '...     "reward_groups": [{"reward_group_id": group.reward_group_id}]}],\n'
                "... )"
            ),
            args=(
                Arg("name", "str", positional=True),
                Arg("code", "str | None", default="None"),
                Arg("rules", "Sequence[PayoutRuleInput | Rule | Mapping[str, Any]]", default="()"),
            ),
        ),
        Method(
            name="create_from",
            doc="Create a payout scheme from a :class:`~imburse.PayoutSchemeInput`.",
            example='await client.payout_schemes.create_from(PayoutSchemeInput(name="Gifts"))',
            args=(Arg("scheme", "PayoutSchemeInput", positional=True),),
            whole_body=True,
        ),
    ),
)

GET_PAYOUT_SCHEME: Operation[Scheme] = Operation(
    name="payout_schemes.get",
    method="GET",
    path="/v2/schemes/payout/{schemeId}",  # the only published form is v2 (OA verbose)
    scope=Scope.TENANT,
    roles=PAYOUT_READ,
    response={200: Scheme},
    summary="Read one payout scheme with its drafts (Configuration API v2).",
    python=Method(
        doc="Read a scheme with its drafts.",
        example="(await client.payout_schemes.get(scheme_id)).published_draft_id",
        args=(_SCHEME_ID,),
    ),
)

DELETE_PAYOUT_SCHEME: Operation[None] = Operation(
    name="payout_schemes.delete",
    method="DELETE",
    # [INFERRED]: the published delete (204) sits in the v2 tag, next to
    # GET /v2/schemes/payout/{schemeId}; its path is not shown.
    path="/v2/schemes/payout/{schemeId}",
    scope=Scope.TENANT,
    roles=PAYOUT_WRITE,
    response={204: None},
    confirmed=False,
    summary="Delete a payout scheme.",
    python=Method(
        doc="Delete a scheme.",
        example="await client.payout_schemes.delete(scheme_id)",
        args=(_SCHEME_ID,),
    ),
)

PUBLISH_PAYOUT_DRAFT: Operation[Scheme] = Operation(
    name="payout_schemes.publish_draft",
    method="POST",
    path="/v1/schemes/payout/{schemeId}/drafts/{draftId}/publish",
    scope=Scope.TENANT,
    roles=PAYOUT_WRITE,
    response={200: Scheme},
    summary="Publish a payout draft: it becomes the scheme's rules in force.",
    python=Method(
        doc="Publish a draft: its rules take effect and ``published_draft_id`` points at it.",
        example=(
            "scheme = await client.payout_schemes.publish_draft(\n"
            "...     scheme.scheme_id, scheme.drafts[0].draft_id)"
        ),
        args=(_SCHEME_ID, Arg("draft_id", "str", path="draftId", check=check_uuid)),
    ),
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
    python=Method(
        doc=(
            "The rewards the scheme's first matching rule offers for a payout.\n\n"
            '``match_type="Exact"`` keeps fixed-value rewards worth exactly ``amount``; ``"Max"``\n'
            "keeps those worth at most ``amount``. Variable rewards need ``amount`` in their range."
        ),
        example=(
            'offer = await client.payout_schemes.options(scheme_id, amount=Decimal("25.00"),\n'
            '...     currency="USD", country="US", match_type="Max")\n'
            "[r.reward_name for r in offer.rewards]\n"
            "['Amazon.com Gift Card']"
        ),
        args=(
            _SCHEME_ID,
            Arg("amount", "Decimal | int | str", query="amount"),
            Arg("currency", "str", query="currency"),
            Arg("country", "str", query="country"),
            Arg("match_type", "str", default='"Exact"', query="matchType"),
        ),
        query=payout_options_query,
    ),
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
