"""``client.reward_groups`` and ``client.catalog`` (``imburse-api.md`` §5.11, §5.12).

The catalog lists the rewards the tenant's reward apps offer; reward groups pick some of them
for payout scheme rules.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Unpack

from ..._core.call import RequestOptions
from ..._core.models._checks import check_bool, check_uuid
from ..._core.models.rewards_catalog import (
    Catalog,
    CatalogSearchQuery,
    RewardGroup,
    RewardGroupInput,
    RewardGroupList,
    RewardGroupReward,
    RewardGroupRewardInput,
)
from ..._core.operations.rewards_catalog import (
    CREATE_REWARD_GROUP,
    DELETE_REWARD_GROUP,
    GET_REWARD_GROUP,
    LIST_CATALOG,
    LIST_REWARD_GROUPS,
    SEARCH_CATALOG,
    UPDATE_REWARD_GROUP,
)
from ..._raw import async_raw
from ._base import AsyncResource

__all__ = ["AsyncRewardsCatalog", "AsyncRewardGroups"]

RewardItems = Sequence[str | RewardGroupRewardInput | RewardGroupReward | Mapping[str, Any]]


class AsyncRewardGroups(AsyncResource):
    """Reward groups: named sets of catalog rewards offered by payout scheme rules."""

    async def list(self, **options: Unpack[RequestOptions]) -> RewardGroupList:
        """The tenant's reward groups.

        >>> [g.name for g in (await client.reward_groups.list()).reward_groups]  # doctest: +SKIP
        ['Gift cards']
        """
        return await self._client._request(LIST_REWARD_GROUPS, options=options)

    async def create(
        self, name: str, *, rewards: RewardItems = (), **options: Unpack[RequestOptions]
    ) -> RewardGroup:
        """Create a reward group; ``rewards`` are reward ids (enabled) or ``{reward_id, is_enabled}``.

        >>> group = await client.reward_groups.create("Gift cards",
        ...     rewards=["U561593", {"reward_id": "U426141", "is_enabled": False}])  # doctest: +SKIP
        """
        group = RewardGroupInput(name=name, rewards=rewards)
        return await self._client._request(CREATE_REWARD_GROUP, body=group, options=options)

    async def get(self, reward_group_id: str, **options: Unpack[RequestOptions]) -> RewardGroup:
        """Read one reward group.

        Experimental: path inferred (``GET /v1/reward-groups/{rewardGroupId}``).

        >>> (await client.reward_groups.get(group_id)).name  # doctest: +SKIP
        'Gift cards'
        """
        check_uuid("reward_group_id", reward_group_id)
        return await self._client._request(
            GET_REWARD_GROUP, path_params={"rewardGroupId": reward_group_id}, options=options
        )

    async def update(
        self,
        reward_group_id: str,
        *,
        name: str,
        rewards: RewardItems = (),
        **options: Unpack[RequestOptions],
    ) -> RewardGroup:
        """Replace a group's name and rewards (the body is the whole group, as on create).

        Experimental: path and method inferred (``PUT /v1/reward-groups/{rewardGroupId}``).

        >>> await client.reward_groups.update(group_id, name="Gift cards",
        ...     rewards=group.rewards)  # doctest: +SKIP
        """
        check_uuid("reward_group_id", reward_group_id)
        group = RewardGroupInput(name=name, rewards=rewards)
        return await self._client._request(
            UPDATE_REWARD_GROUP,
            path_params={"rewardGroupId": reward_group_id},
            body=group,
            options=options,
        )

    async def delete(self, reward_group_id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete a reward group; ``BadRequestError`` ``REWARD_GROUP_IN_USE`` while a
        published payout draft uses it.

        Experimental: path inferred (``DELETE /v1/reward-groups/{rewardGroupId}``).

        >>> await client.reward_groups.delete(group_id)  # doctest: +SKIP
        """
        check_uuid("reward_group_id", reward_group_id)
        await self._client._request(
            DELETE_REWARD_GROUP, path_params={"rewardGroupId": reward_group_id}, options=options
        )

    @property
    def with_raw_response(self) -> AsyncRewardGroupsWithRawResponse:
        """The same methods, returning :class:`~imburse.RawResponse`."""
        return AsyncRewardGroupsWithRawResponse(self)


class AsyncRewardsCatalog(AsyncResource):
    """The rewards catalog of the tenant's reward apps."""

    async def list(
        self, *, show_inactive: bool | None = None, **options: Unpack[RequestOptions]
    ) -> Catalog:
        """Every reward of the catalog (inactive ones too with ``show_inactive=True``).

        >>> [r.reward_name for r in (await client.catalog.list()).rewards]  # doctest: +SKIP
        ['Amazon.com Gift Card', 'Amazon.co.uk Gift Card']
        """
        if show_inactive is not None:
            check_bool("show_inactive", show_inactive)
        return await self._client._request(
            LIST_CATALOG, query={"showInactive": show_inactive}, options=options
        )

    async def search(
        self,
        app_id: str,
        *,
        brand_name: str | None = None,
        countries: Sequence[str] | str | None = None,
        currencies: Sequence[str] | str | None = None,
        amount: Decimal | int | str | None = None,
        show_inactive: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> Catalog:
        """Search one app's rewards: ``brand_name`` matches partially, ``amount`` matches a
        fixed value or falls within a variable reward's range.

        Lists are sent comma-separated as ``countries`` / ``currencies``, the names in the
        Imburse tutorial; the OpenAPI text calls them ``country`` / ``currency`` (unconfirmed).

        >>> found = await client.catalog.search("TANGOCARD_RAAS", brand_name="amazon",
        ...     countries=["US"], amount=Decimal("25"))  # doctest: +SKIP
        """
        query = CatalogSearchQuery(
            app_id=app_id,
            brand_name=brand_name,
            countries=countries,
            currencies=currencies,
            amount=amount,
            show_inactive=show_inactive,
        )
        return await self._client._request(SEARCH_CATALOG, query=query.params(), options=options)

    @property
    def with_raw_response(self) -> AsyncRewardsCatalogWithRawResponse:
        """The same methods, returning :class:`~imburse.RawResponse`."""
        return AsyncRewardsCatalogWithRawResponse(self)


class AsyncRewardGroupsWithRawResponse:
    """``client.reward_groups.with_raw_response``."""

    def __init__(self, groups: AsyncRewardGroups) -> None:
        self.list = async_raw(groups.list)
        self.create = async_raw(groups.create)
        self.get = async_raw(groups.get)
        self.update = async_raw(groups.update)
        self.delete = async_raw(groups.delete)


class AsyncRewardsCatalogWithRawResponse:
    """``client.catalog.with_raw_response``."""

    def __init__(self, catalog: AsyncRewardsCatalog) -> None:
        self.list = async_raw(catalog.list)
        self.search = async_raw(catalog.search)
