"""``client.reward_groups`` and ``client.catalog`` (``imburse-api.md`` §5.11, §5.12).

The catalog lists the rewards the tenant's reward apps offer; reward groups pick some of them
for payout scheme rules.

Named ``rewards_catalog`` to keep clear of the v2 rewards (authorize / claim) group.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..models._checks import check_bool, check_uuid
from ..models.rewards_catalog import (
    Catalog,
    CatalogSearchQuery,
    RewardGroup,
    RewardGroupInput,
    RewardGroupList,
)
from ._base import Arg, Group, Method, Operation, Scope, Unsupported

__all__ = [
    "CREATE_REWARD_GROUP",
    "DELETE_REWARD_GROUP",
    "GET_REWARD_GROUP",
    "GROUPS",
    "LIST_CATALOG",
    "LIST_REWARD_GROUPS",
    "OPERATIONS",
    "SEARCH_CATALOG",
    "UNSUPPORTED",
    "UPDATE_REWARD_GROUP",
]

GROUPS = (
    Group(
        "reward_groups",
        "RewardGroups",
        "Reward groups: named sets of catalog rewards offered by payout scheme rules.",
    ),
    Group("catalog", "RewardsCatalog", "The rewards catalog of the tenant's reward apps."),
)
_GROUP_ID = Arg("reward_group_id", "str", path="rewardGroupId", check=check_uuid)
_REWARDS = "Sequence[str | RewardGroupRewardInput | RewardGroupReward | Mapping[str, Any]]"


def check_optional_bool(field: str, value: object) -> None:
    """``None`` (left out of the query) or a real ``bool``."""
    if value is not None:
        check_bool(field, value)


def catalog_search_query(
    app_id: object,
    brand_name: object,
    countries: object,
    currencies: object,
    amount: object,
    show_inactive: object,
) -> Mapping[str, object]:
    """The checked query of ``catalog.search``, under its wire names."""
    query = CatalogSearchQuery(
        app_id=app_id,
        brand_name=brand_name,
        countries=countries,
        currencies=currencies,
        amount=amount,
        show_inactive=show_inactive,
    )
    return query.params()


GROUP_READ = ("tenant-reward-group-read", "tenant-admin")
GROUP_WRITE = ("tenant-reward-group-write", "tenant-admin")

LIST_REWARD_GROUPS: Operation[RewardGroupList] = Operation(
    name="reward_groups.list",
    method="GET",
    path="/v1/reward-groups",
    scope=Scope.TENANT,
    roles=GROUP_READ,
    response={200: RewardGroupList},
    summary="List the tenant's reward groups.",
    python=Method(
        doc="The tenant's reward groups.",
        example="[g.name for g in await client.reward_groups.list()]\n['Gift cards']",
        unwrap="reward_groups",
        returns="tuple[RewardGroup, ...]",
    ),
)

CREATE_REWARD_GROUP: Operation[RewardGroup] = Operation(
    name="reward_groups.create",
    method="POST",
    path="/v1/reward-groups",
    scope=Scope.TENANT,
    roles=GROUP_WRITE,
    response={200: RewardGroup},  # OA v1 and v2: 200 (not 201)
    body=RewardGroupInput,
    summary="Create a reward group (a uniquely named set of catalog rewards).",
    python=Method(
        doc=(
            "Create a reward group; ``rewards`` are reward ids (enabled) or\n"
            "``{reward_id, is_enabled}``."
        ),
        example=(
            'group = await client.reward_groups.create("Gift cards",\n'
            '...     rewards=["U561593", {"reward_id": "U426141", "is_enabled": False}])'
        ),
        args=(Arg("name", "str", positional=True), Arg("rewards", _REWARDS, default="()")),
    ),
)

GET_REWARD_GROUP: Operation[RewardGroup] = Operation(
    name="reward_groups.get",
    method="GET",
    path="/v1/reward-groups/{rewardGroupId}",
    scope=Scope.TENANT,
    roles=GROUP_READ,
    response={200: RewardGroup},
    confirmed=False,
    summary="Read one reward group.",
    python=Method(
        doc=(
            "Read one reward group.\n\n"
            "Experimental: path inferred (``GET /v1/reward-groups/{rewardGroupId}``)."
        ),
        example="(await client.reward_groups.get(group_id)).name\n'Gift cards'",
        args=(_GROUP_ID,),
    ),
)

UPDATE_REWARD_GROUP: Operation[RewardGroup] = Operation(
    name="reward_groups.update",
    method="PUT",
    path="/v1/reward-groups/{rewardGroupId}",
    scope=Scope.TENANT,
    roles=GROUP_WRITE,
    response={200: RewardGroup},
    body=RewardGroupInput,
    confirmed=False,
    summary="Replace a reward group's name and rewards.",
    python=Method(
        doc=(
            "Replace a group's name and rewards (the body is the whole group, as on create).\n\n"
            "Experimental: path and method inferred (``PUT /v1/reward-groups/{rewardGroupId}``)."
        ),
        example=(
            'await client.reward_groups.update(group_id, name="Gift cards",\n'
            "...     rewards=group.rewards)"
        ),
        args=(_GROUP_ID, Arg("name", "str"), Arg("rewards", _REWARDS, default="()")),
    ),
)

DELETE_REWARD_GROUP: Operation[None] = Operation(
    name="reward_groups.delete",
    method="DELETE",
    path="/v1/reward-groups/{rewardGroupId}",
    scope=Scope.TENANT,
    roles=GROUP_WRITE,
    response={204: None},  # OA: 204 No Content
    confirmed=False,
    summary="Delete a reward group (400 REWARD_GROUP_IN_USE while a published draft uses it).",
    python=Method(
        doc=(
            "Delete a reward group; ``BadRequestError`` ``REWARD_GROUP_IN_USE`` while a\n"
            "published payout draft uses it.\n\n"
            "Experimental: path inferred (``DELETE /v1/reward-groups/{rewardGroupId}``)."
        ),
        example="await client.reward_groups.delete(group_id)",
        args=(_GROUP_ID,),
    ),
)

LIST_CATALOG: Operation[Catalog] = Operation(
    name="catalog.list",
    method="GET",
    path="/v1/catalog",
    scope=Scope.TENANT,
    roles=GROUP_READ,
    response={200: Catalog},
    query=("showInactive",),
    summary="List every reward of the tenant's rewards catalog.",
    python=Method(
        doc="Every reward of the catalog (inactive ones too with ``show_inactive=True``).",
        example=(
            "[r.reward_name for r in await client.catalog.list()]\n"
            "['Amazon.com Gift Card', 'Amazon.co.uk Gift Card']"
        ),
        args=(
            Arg(
                "show_inactive",
                "bool | None",
                default="None",
                query="showInactive",
                check=check_optional_bool,
            ),
        ),
        unwrap="rewards",
        returns="tuple[CatalogReward, ...]",
    ),
)

SEARCH_CATALOG: Operation[Catalog] = Operation(
    name="catalog.search",
    method="GET",
    path="/v1/catalog/search",
    scope=Scope.TENANT,
    roles=GROUP_READ,
    response={200: Catalog},
    # Names from the GH tutorial URL; the OpenAPI text says country/currency ([GAP]).
    query=("appId", "brandName", "countries", "currencies", "amount", "showInactive"),
    summary="Search the rewards catalog of one app by brand, countries, currencies, amount.",
    python=Method(
        doc=(
            "Search one app's rewards: ``brand_name`` matches partially, ``amount`` matches a\n"
            "fixed value or falls within a variable reward's range.\n\n"
            "Lists are sent comma-separated as ``countries`` / ``currencies``, the names in the\n"
            "Imburse tutorial; the OpenAPI text calls them ``country`` / ``currency`` (unconfirmed)."
        ),
        example=(
            'found = await client.catalog.search("TANGOCARD_RAAS", brand_name="amazon",\n'
            '...     countries=["US"], amount=Decimal("25"))'
        ),
        args=(
            Arg("app_id", "str", query="appId", positional=True),
            Arg("brand_name", "str | None", default="None", query="brandName"),
            Arg("countries", "Sequence[str] | str | None", default="None", query="countries"),
            Arg("currencies", "Sequence[str] | str | None", default="None", query="currencies"),
            Arg("amount", "Decimal | int | str | None", default="None", query="amount"),
            Arg("show_inactive", "bool | None", default="None", query="showInactive"),
        ),
        query=catalog_search_query,
        unwrap="rewards",
        returns="tuple[CatalogReward, ...]",
    ),
)

OPERATIONS: tuple[Operation[object], ...] = (
    LIST_REWARD_GROUPS,
    CREATE_REWARD_GROUP,
    GET_REWARD_GROUP,
    UPDATE_REWARD_GROUP,
    DELETE_REWARD_GROUP,
    LIST_CATALOG,
    SEARCH_CATALOG,
)

UNSUPPORTED: tuple[Unsupported, ...] = ()  # all five group operations have a path
