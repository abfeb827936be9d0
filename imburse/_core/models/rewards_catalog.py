"""Reward groups, the rewards catalog and payout options (``imburse-api.md`` §5.10-5.12).

Forms that differ between sources all decode:

* reward texts (``description``, ``terms``, ``redemptionInstructions``...) are HTML strings in
  payout options and ``[{languageCode, text}]`` arrays in the catalog; both become a tuple of
  :class:`LocalizedText` (a plain string has no ``language_code``); ``str()`` gives the text.
* ``countries`` / ``currencyCode`` are codes or objects: :class:`Country` / :class:`Currency`.
* reward groups of 2019 used ``enabled`` for ``isEnabled``, ``id`` for ``rewardGroupId`` and a
  plain list of reward ids for ``rewards``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

import attrs

from ..errors import ValidationError
from ..validation import check_amount, check_country, check_currency
from ._checks import check_app_id, check_bool, check_opaque_id, check_text, nested, sequence_of
from .schemes import Country, Currency, wrap_list

__all__ = [
    "BrandRequirements",
    "Catalog",
    "CatalogReward",
    "CatalogSearchQuery",
    "ImageUrl",
    "LocalizedText",
    "PayoutOptions",
    "PayoutReward",
    "RewardApp",
    "RewardBrand",
    "RewardGroup",
    "RewardGroupInput",
    "RewardGroupList",
    "RewardGroupReward",
    "RewardGroupRewardInput",
    "RewardStatus",
    "RewardValueType",
]


class RewardValueType(StrEnum):
    """Whether a reward has one value or accepts any amount in ``[minValue, maxValue]``."""

    VARIABLE_VALUE = "VARIABLE_VALUE"
    FIXED_VALUE = "FIXED_VALUE"


class RewardStatus(StrEnum):
    """Status of a reward or brand (lower case on the wire)."""

    ACTIVE = "active"
    INACTIVE = "inactive"


#: The known ``RewardValueType`` values, for type checkers (see :class:`RewardValueType`).
RewardValueTypeLiteral = Literal["VARIABLE_VALUE", "FIXED_VALUE"]
RewardValueTypeValue = Annotated[RewardValueTypeLiteral, RewardValueType]
#: The known ``RewardStatus`` values, for type checkers (see :class:`RewardStatus`).
RewardStatusLiteral = Literal["active", "inactive"]
RewardStatusValue = Annotated[RewardStatusLiteral, RewardStatus]


def _extra() -> Any:
    return attrs.field(factory=dict, repr=False, eq=False)


def _correlation_id() -> Any:
    return attrs.field(default=None, repr=False, eq=False)


# --- catalog and payout-option rewards ------------------------------------------------------


def _text_object(data: Any) -> Any:
    return {"text": data} if isinstance(data, str) else data


@attrs.frozen
class LocalizedText:
    """A text in one language (``language_code`` is ``None`` for a plain HTML string)."""

    text: str | None = None
    language_code: str | None = None
    extra: Mapping[str, Any] = _extra()

    _wire_prepare = staticmethod(_text_object)

    def __str__(self) -> str:
        return self.text or ""


def _texts(data: Any, keys: tuple[str, ...]) -> Any:
    """Wrap plain strings of ``keys`` in a list so they decode as one :class:`LocalizedText`."""
    if isinstance(data, Mapping) and any(isinstance(data.get(k), str) for k in keys):
        data = {k: [v] if k in keys and isinstance(v, str) else v for k, v in data.items()}
    return data


@attrs.frozen
class ImageUrl:
    """One brand image; the catalog adds the aspect ratio."""

    url: str | None = None
    ppi: int | None = None
    width: int | None = None
    ratio_height: Decimal | None = None
    ratio_width: Decimal | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class BrandRequirements:
    """What a brand requires to be shown with its rewards."""

    always_show_disclaimer: bool | None = None
    disclaimer_instructions: str | None = None
    display_instructions: str | None = None
    terms_and_conditions_instructions: str | None = None
    extra: Mapping[str, Any] = _extra()


_BRAND_TEXTS = ("description", "shortDescription", "disclaimer", "terms")


def _brand(data: Any) -> Any:
    return _texts(data, _BRAND_TEXTS)


@attrs.frozen
class RewardBrand:
    """The brand behind a reward (texts as :class:`LocalizedText` tuples)."""

    brand_key: str | None = None
    brand_name: str | None = None
    status: RewardStatusValue | None = None
    description: tuple[LocalizedText, ...] = ()
    short_description: tuple[LocalizedText, ...] = ()
    disclaimer: tuple[LocalizedText, ...] = ()
    terms: tuple[LocalizedText, ...] = ()
    image_urls: tuple[ImageUrl, ...] = ()
    requirements: BrandRequirements | None = None
    extra: Mapping[str, Any] = _extra()

    _wire_prepare = staticmethod(_brand)


@attrs.frozen
class RewardApp:
    """The reward app (provider) of a payout option, e.g. ``TANGOCARD_RAAS``."""

    app_id: str | None = None
    name: str | None = None
    extra: Mapping[str, Any] = _extra()


def _reward(data: Any) -> Any:
    return _texts(data, ("redemptionInstructions",))


@attrs.frozen
class PayoutReward:
    """A reward the customer may pick for a payout (``GET .../options``).

    ``fixed_value`` applies to ``FIXED_VALUE`` rewards, ``min_value``/``max_value`` to
    ``VARIABLE_VALUE`` ones; all are ``Decimal``.
    """

    reward_id: str | None = None
    reward_name: str | None = None
    reward_type: str | None = None
    status: RewardStatusValue | None = None
    countries: tuple[Country, ...] = ()
    currency_code: Currency | None = None
    exchange_rate_rule: Any = None
    is_whole_amount_value_required: bool | None = None
    value_type: RewardValueTypeValue | None = None
    fixed_value: Decimal | None = None
    max_value: Decimal | None = None
    min_value: Decimal | None = None
    credential_types: tuple[str, ...] = ()
    redemption_instructions: tuple[LocalizedText, ...] = ()
    tags: tuple[str, ...] = ()
    app: RewardApp | None = None
    brand: RewardBrand | None = None
    created_date: datetime | None = None
    last_update_date: datetime | None = None
    extra: Mapping[str, Any] = _extra()

    _wire_prepare = staticmethod(_reward)


def _payout_options(data: Any) -> Any:
    return wrap_list("rewards", data)


@attrs.frozen
class PayoutOptions:
    """``{"rewards": [...]}``: the rewards the first matching payout rule offers."""

    rewards: tuple[PayoutReward, ...] = ()
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = _correlation_id()

    _wire_prepare = staticmethod(_payout_options)


@attrs.frozen
class CatalogReward:
    """A reward of the tenant's rewards catalog."""

    reward_id: str | None = None
    reward_name: str | None = None
    brand_name: str | None = None
    app_id: str | None = None
    app_name: str | None = None
    countries: tuple[Country, ...] = ()
    currency_code: Currency | None = None
    is_whole_amount_value_required: bool | None = None
    value_type: RewardValueTypeValue | None = None
    fixed_value: Decimal | None = None
    max_value: Decimal | None = None
    min_value: Decimal | None = None
    image_url: str | None = None
    status: RewardStatusValue | None = None
    brand: RewardBrand | None = None
    redemption_instructions: tuple[LocalizedText, ...] = ()
    extra: Mapping[str, Any] = _extra()

    _wire_prepare = staticmethod(_reward)


def _catalog(data: Any) -> Any:
    return wrap_list("rewards", data)


@attrs.frozen
class Catalog:
    """``GET /v1/catalog`` and ``/v1/catalog/search``: ``{"rewards": [...]}``."""

    rewards: tuple[CatalogReward, ...] = ()
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = _correlation_id()

    _wire_prepare = staticmethod(_catalog)


def _codes_or_one(value: Any) -> Any:
    # countries="GB" is one code; a list is many.
    return (value,) if isinstance(value, str) else value


def _search_app_id(value: Any) -> str:
    return check_app_id("app_id", value)


def _brand_name(value: Any) -> str | None:
    return check_text("brand_name", value, required=False)


def _search_countries(value: Any) -> tuple[str, ...]:
    return sequence_of("countries", _codes_or_one(value), check_country)


def _search_currencies(value: Any) -> tuple[str, ...]:
    return sequence_of("currencies", _codes_or_one(value), check_currency)


def _search_amount(value: Any) -> Decimal | None:
    return None if value is None else check_amount("amount", value)


def _show_inactive(value: Any) -> bool | None:
    return None if value is None else check_bool("show_inactive", value)


@attrs.frozen
class CatalogSearchQuery:
    """The query of ``GET /v1/catalog/search``; ``app_id`` is required.

    The GH tutorial names the list filters ``countries`` / ``currencies`` (comma lists) while
    the OpenAPI text says ``country`` / ``currency``; the SDK sends the tutorial's names
    (``[GAP]``: not confirmed).

    >>> CatalogSearchQuery(app_id="TANGOCARD_RAAS", countries=["GB", "US"]).params()
    {'appId': 'TANGOCARD_RAAS', 'countries': ('GB', 'US')}
    """

    app_id: str = attrs.field(converter=_search_app_id)
    brand_name: str | None = attrs.field(default=None, converter=_brand_name)
    countries: tuple[str, ...] = attrs.field(default=(), converter=_search_countries)
    currencies: tuple[str, ...] = attrs.field(default=(), converter=_search_currencies)
    amount: Decimal | None = attrs.field(default=None, converter=_search_amount)
    show_inactive: bool | None = attrs.field(default=None, converter=_show_inactive)

    def params(self) -> dict[str, Any]:
        """The query parameters under their wire names; unset ones are left out."""
        params: dict[str, Any] = {
            "appId": self.app_id,
            "brandName": self.brand_name,
            "countries": self.countries or None,
            "currencies": self.currencies or None,
            "amount": None if self.amount is None else format(self.amount, "f"),
            "showInactive": self.show_inactive,
        }
        return {k: v for k, v in params.items() if v is not None}


# --- reward groups --------------------------------------------------------------------------


def _group_reward(data: Any) -> Any:
    if isinstance(data, str):  # 2019: a plain list of reward ids
        return {"rewardId": data}
    if isinstance(data, Mapping) and data.get("isEnabled") is None and "enabled" in data:
        data = {
            ("isEnabled" if k == "enabled" else k): v for k, v in data.items() if k != "isEnabled"
        }
    return data


@attrs.frozen
class RewardGroupReward:
    """A reward in a group and whether it is offered."""

    reward_id: str | None = None
    is_enabled: bool | None = None
    extra: Mapping[str, Any] = _extra()

    _wire_prepare = staticmethod(_group_reward)


def _reward_group(data: Any) -> Any:
    if isinstance(data, Mapping) and data.get("rewardGroupId") is None and "id" in data:
        data = {
            ("rewardGroupId" if k == "id" else k): v
            for k, v in data.items()
            if k != "rewardGroupId"
        }
    return data


@attrs.frozen
class RewardGroup:
    """A named set of rewards a payout rule can offer."""

    reward_group_id: str  # required: the group's own id
    name: str | None = None
    rewards: tuple[RewardGroupReward, ...] = ()
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = _correlation_id()

    _wire_prepare = staticmethod(_reward_group)


def _reward_group_list(data: Any) -> Any:
    return wrap_list("rewardGroups", data)


@attrs.frozen
class RewardGroupList:
    """``GET /v1/reward-groups``: ``{"rewardGroups": [...]}``."""

    reward_groups: tuple[RewardGroup, ...] = ()
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = _correlation_id()

    _wire_prepare = staticmethod(_reward_group_list)


def _reward_id(value: Any) -> str:
    return check_opaque_id("reward_id", value)


def _is_enabled(value: Any) -> bool:
    return check_bool("is_enabled", value)


@attrs.frozen
class RewardGroupRewardInput:
    """A catalog reward to put in a group, enabled unless told otherwise."""

    reward_id: str = attrs.field(converter=_reward_id)
    is_enabled: bool = attrs.field(default=True, converter=_is_enabled)


def _group_reward_input(field: str, value: Any) -> RewardGroupRewardInput:
    if isinstance(value, str):
        value = {"reward_id": value}
    elif isinstance(value, RewardGroupReward):  # read back from a group
        value = {"reward_id": value.reward_id, "is_enabled": value.is_enabled is not False}
    return nested(field, value, RewardGroupRewardInput)


def _group_rewards(value: Any) -> tuple[RewardGroupRewardInput, ...]:
    return sequence_of("rewards", value, _group_reward_input)


def _group_name(value: Any) -> str:
    result = check_text("name", value)
    if result is None:  # pragma: no cover - check_text raises for None when required
        raise ValidationError("name", "is required")
    return result


@attrs.frozen
class RewardGroupInput:
    """The body of create and update: a unique name and the rewards.

    ``rewards`` items may be reward ids, mappings or :class:`RewardGroupRewardInput`.

    >>> RewardGroupInput(name="Gift cards", rewards=["U561593"]).rewards[0].is_enabled
    True
    """

    name: str = attrs.field(converter=_group_name)
    rewards: tuple[RewardGroupRewardInput, ...] = attrs.field(default=(), converter=_group_rewards)
