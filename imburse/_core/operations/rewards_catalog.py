"""Reward groups and the rewards catalog (``imburse-api.md`` §5.11, §5.12).

Named ``rewards_catalog`` to keep clear of the v2 rewards (authorize / claim) group.
"""

from __future__ import annotations

from ..models.rewards_catalog import Catalog, RewardGroup, RewardGroupInput, RewardGroupList
from ._base import Operation, Scope, Unsupported

__all__ = [
    "CREATE_REWARD_GROUP",
    "DELETE_REWARD_GROUP",
    "GET_REWARD_GROUP",
    "LIST_CATALOG",
    "LIST_REWARD_GROUPS",
    "OPERATIONS",
    "SEARCH_CATALOG",
    "UNSUPPORTED",
    "UPDATE_REWARD_GROUP",
]

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
)

CREATE_REWARD_GROUP: Operation[RewardGroup] = Operation(
    name="reward_groups.create",
    method="POST",
    path="/v1/reward-groups",
    scope=Scope.TENANT,
    roles=GROUP_WRITE,
    response={200: RewardGroup, 201: RewardGroup},  # OA v2 documents 200
    body=RewardGroupInput,
    summary="Create a reward group (a uniquely named set of catalog rewards).",
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
)

DELETE_REWARD_GROUP: Operation[None] = Operation(
    name="reward_groups.delete",
    method="DELETE",
    path="/v1/reward-groups/{rewardGroupId}",
    scope=Scope.TENANT,
    roles=GROUP_WRITE,
    response={204: None, 200: None},
    confirmed=False,
    summary="Delete a reward group (400 REWARD_GROUP_IN_USE while a published draft uses it).",
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
