"""``client.collect_schemes`` and ``client.payout_schemes`` (``imburse-api.md`` §5.9, §5.10).

A scheme's drafts hold its rules; creating a scheme creates its first draft, and publishing a
draft puts its rules in force. Reading, adding, updating or deleting single drafts has no
published path (use the drafts inside :class:`~imburse._core.models.schemes.Scheme`, or
``client.request`` once the path is known).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Unpack

from ..._core.call import RequestOptions
from ..._core.models._checks import check_opaque_id, check_uuid
from ..._core.models.rewards_catalog import PayoutOptions
from ..._core.models.schemes import (
    CollectSchemeInput,
    PayoutOptionsQuery,
    PayoutRuleInput,
    PayoutSchemeInput,
    Rule,
    RuleInput,
    Scheme,
    SchemeList,
)
from ..._core.operations import Operation
from ..._core.operations.schemes import (
    CREATE_COLLECT_SCHEME,
    CREATE_PAYOUT_SCHEME,
    DELETE_COLLECT_SCHEME,
    DELETE_PAYOUT_SCHEME,
    GET_COLLECT_SCHEME,
    GET_PAYOUT_OPTIONS,
    GET_PAYOUT_SCHEME,
    LIST_COLLECT_SCHEMES,
    LIST_PAYOUT_SCHEMES,
    PUBLISH_COLLECT_DRAFT,
    PUBLISH_PAYOUT_DRAFT,
)
from ..._raw import async_raw
from ._base import AsyncResource

__all__ = ["AsyncCollectSchemes", "AsyncPayoutSchemes"]


class _AsyncSchemes(AsyncResource):
    """What collect and payout schemes share: the same calls, each kind on its own paths.

    Which of those paths are published and which are inferred (experimental) differs by kind;
    ``docs/api.md`` lists it per operation.
    """

    _LIST: Operation[SchemeList]
    _CREATE: Operation[Scheme]
    _GET: Operation[Scheme]
    _DELETE: Operation[None]
    _PUBLISH: Operation[Scheme]

    async def list(self, **options: Unpack[RequestOptions]) -> SchemeList:
        """The tenant's schemes of this kind, with their drafts.

        >>> [s.scheme_id for s in (await client.collect_schemes.list()).schemes]  # doctest: +SKIP
        ['654EB81FF7F07F7CF5A1EE3FF6972E90']
        """
        return await self._client._request(self._LIST, options=options)

    async def get(self, scheme_id: str, **options: Unpack[RequestOptions]) -> Scheme:
        """Read a scheme with its drafts.

        >>> (await client.payout_schemes.get(scheme_id)).published_draft_id  # doctest: +SKIP
        """
        check_opaque_id("scheme_id", scheme_id)
        return await self._client._request(
            self._GET, path_params={"schemeId": scheme_id}, options=options
        )

    async def delete(self, scheme_id: str, **options: Unpack[RequestOptions]) -> None:
        """Delete a scheme.

        >>> await client.collect_schemes.delete(scheme_id)  # doctest: +SKIP
        """
        check_opaque_id("scheme_id", scheme_id)
        await self._client._request(
            self._DELETE, path_params={"schemeId": scheme_id}, options=options
        )

    async def publish_draft(
        self, scheme_id: str, draft_id: str, **options: Unpack[RequestOptions]
    ) -> Scheme:
        """Publish a draft: its rules take effect and ``published_draft_id`` points at it.

        >>> scheme = await client.collect_schemes.publish_draft(
        ...     scheme.scheme_id, scheme.drafts[0].draft_id)  # doctest: +SKIP
        """
        check_opaque_id("scheme_id", scheme_id)
        check_uuid("draft_id", draft_id)
        return await self._client._request(
            self._PUBLISH,
            path_params={"schemeId": scheme_id, "draftId": draft_id},
            options=options,
        )

    async def _create_scheme(
        self, scheme: CollectSchemeInput | PayoutSchemeInput, options: RequestOptions
    ) -> Scheme:
        return await self._client._request(self._CREATE, body=scheme, options=options)


class AsyncCollectSchemes(_AsyncSchemes):
    """Collect schemes: which apps and payment methods collect which payments."""

    _LIST = LIST_COLLECT_SCHEMES
    _CREATE = CREATE_COLLECT_SCHEME
    _GET = GET_COLLECT_SCHEME
    _DELETE = DELETE_COLLECT_SCHEME
    _PUBLISH = PUBLISH_COLLECT_DRAFT

    async def create(
        self,
        name: str,
        *,
        code: str | None = None,
        agreement_type: str | None = None,
        rules: Sequence[RuleInput | Rule | Mapping[str, Any]] = (),
        **options: Unpack[RequestOptions],
    ) -> Scheme:
        """Create a collect scheme with a first, unpublished draft (see :meth:`publish_draft`).

        ``rules`` go narrowest first; each is a :class:`~imburse._core.models.schemes.RuleInput`
        or a mapping of its arguments. Bounds are ``Decimal`` and sent as strings.

        >>> scheme = await client.collect_schemes.create("Cards", agreement_type="SingleUse",
        ...     rules=[{"currencies": ["GBP"], "countries": ["GB"],
        ...             "apps": [{"app_id": "BRAINTREE_SDK", "excluded_payment_methods": ["PAYPAL"]}]}],
        ... )  # doctest: +SKIP
        """
        scheme = CollectSchemeInput(
            name=name, code=code, agreement_type=agreement_type, rules=rules
        )
        return await self._create_scheme(scheme, options)

    async def create_from(
        self, scheme: CollectSchemeInput, **options: Unpack[RequestOptions]
    ) -> Scheme:
        """Create a collect scheme from a :class:`~imburse._core.models.schemes.CollectSchemeInput`.

        >>> await client.collect_schemes.create_from(CollectSchemeInput(name="Cards"))  # doctest: +SKIP
        """
        return await self._create_scheme(scheme, options)

    @property
    def with_raw_response(self) -> AsyncCollectSchemesWithRawResponse:
        """The same methods, returning :class:`~imburse.RawResponse`."""
        return AsyncCollectSchemesWithRawResponse(self)


class AsyncPayoutSchemes(_AsyncSchemes):
    """Payout schemes: which reward apps and reward groups pay out which amounts."""

    _LIST = LIST_PAYOUT_SCHEMES
    _CREATE = CREATE_PAYOUT_SCHEME
    _GET = GET_PAYOUT_SCHEME
    _DELETE = DELETE_PAYOUT_SCHEME
    _PUBLISH = PUBLISH_PAYOUT_DRAFT

    async def create(
        self,
        name: str,
        *,
        code: str | None = None,
        rules: Sequence[PayoutRuleInput | Rule | Mapping[str, Any]] = (),
        **options: Unpack[RequestOptions],
    ) -> Scheme:
        """Create a payout scheme with a first, unpublished draft.

        Each rule is a :class:`~imburse._core.models.schemes.PayoutRuleInput` or a mapping;
        ``reward_groups`` name groups by uuid, with reward ids to exclude.

        >>> scheme = await client.payout_schemes.create("Gift cards", rules=[{
        ...     "currencies": ["USD"], "countries": ["US"],
        ...     "apps": [{"app_id": "TANGOCARD_RAAS"}],
        ...     "reward_groups": [{"reward_group_id": group.reward_group_id}]}],
        ... )  # doctest: +SKIP
        """
        scheme = PayoutSchemeInput(name=name, code=code, rules=rules)
        return await self._create_scheme(scheme, options)

    async def create_from(
        self, scheme: PayoutSchemeInput, **options: Unpack[RequestOptions]
    ) -> Scheme:
        """Create a payout scheme from a :class:`~imburse._core.models.schemes.PayoutSchemeInput`.

        >>> await client.payout_schemes.create_from(PayoutSchemeInput(name="Gifts"))  # doctest: +SKIP
        """
        return await self._create_scheme(scheme, options)

    async def options(
        self,
        scheme_id: str,
        *,
        amount: Decimal | int | str,
        currency: str,
        country: str,
        match_type: str = "Exact",
        **options: Unpack[RequestOptions],
    ) -> PayoutOptions:
        """The rewards the scheme's first matching rule offers for a payout.

        ``match_type="Exact"`` keeps fixed-value rewards worth exactly ``amount``; ``"Max"``
        keeps those worth at most ``amount``. Variable rewards need ``amount`` in their range.

        >>> offer = await client.payout_schemes.options(scheme_id, amount=Decimal("25.00"),
        ...     currency="USD", country="US", match_type="Max")  # doctest: +SKIP
        >>> [r.reward_name for r in offer.rewards]  # doctest: +SKIP
        ['Amazon.com Gift Card']
        """
        check_opaque_id("scheme_id", scheme_id)
        query = PayoutOptionsQuery(
            amount=amount, currency=currency, country=country, match_type=match_type
        )
        return await self._client._request(
            GET_PAYOUT_OPTIONS,
            path_params={"schemeId": scheme_id},
            query=query.params(),
            options=options,
        )

    @property
    def with_raw_response(self) -> AsyncPayoutSchemesWithRawResponse:
        """The same methods, returning :class:`~imburse.RawResponse`."""
        return AsyncPayoutSchemesWithRawResponse(self)


class AsyncCollectSchemesWithRawResponse:
    """``client.collect_schemes.with_raw_response``."""

    def __init__(self, schemes: AsyncCollectSchemes | AsyncPayoutSchemes) -> None:
        self.list = async_raw(schemes.list)
        self.create = async_raw(schemes.create)
        self.create_from = async_raw(schemes.create_from)
        self.get = async_raw(schemes.get)
        self.delete = async_raw(schemes.delete)
        self.publish_draft = async_raw(schemes.publish_draft)


class AsyncPayoutSchemesWithRawResponse(AsyncCollectSchemesWithRawResponse):
    """``client.payout_schemes.with_raw_response``."""

    def __init__(self, schemes: AsyncPayoutSchemes) -> None:
        super().__init__(schemes)
        self.options = async_raw(schemes.options)
