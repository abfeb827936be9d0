"""Collect and payout schemes (``imburse-api.md`` §5.9, §5.10): inputs and decoded responses.

A scheme holds drafts; each draft holds ordered rules (narrowest first) that pick the apps (and,
for payouts, the reward groups) for an instruction by currency, country and value range.

Sources disagree on several shapes, and every documented form decodes:

* ``currencies`` / ``countries`` come as plain codes (``"GBP"``) or as objects
  (``{id, code, numeric, name, ...}``); both become :class:`Currency` / :class:`Country`,
  whose ``str()`` is the code.
* ``lowValueInclusive`` / ``highValueInclusive`` are numbers in responses and strings in the
  request sample; both decode to ``Decimal`` (an empty string means unbounded: ``None``).
  Requests send them as strings, as the sample does.
* the 2019 tutorial's ``configurations[]`` decodes into ``apps``.
* ``publishedDraftId`` is a uuid or ``""`` (not published): ``""`` becomes ``None``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

import attrs

from ..errors import ValidationError
from ..validation import check_amount, check_country, check_currency, shown
from ._checks import (
    MAX_APP_ID_LENGTH,
    check_app_id,
    check_opaque_id,
    check_text,
    check_uuid,
    nested,
    sequence_of,
)

__all__ = [
    "AgreementType",
    "CollectSchemeInput",
    "Country",
    "Currency",
    "Draft",
    "MatchType",
    "PayoutOptionsQuery",
    "PayoutRuleInput",
    "PayoutSchemeInput",
    "RewardGroupRef",
    "RewardGroupRefInput",
    "Rule",
    "RuleApp",
    "RuleAppInput",
    "RuleInput",
    "Scheme",
    "SchemeList",
]


class AgreementType(StrEnum):
    """How often a collected instrument may be used; open (``Reuse`` seen on instruments)."""

    SINGLE_USE = "SingleUse"
    REUSE = "Reuse"


class MatchType(StrEnum):
    """How payout options match fixed-value rewards: value == amount, or value <= amount."""

    EXACT = "Exact"
    MAX = "Max"


#: The known ``AgreementType`` values, for type checkers (see :class:`AgreementType`).
AgreementTypeLiteral = Literal["SingleUse", "Reuse"]
AgreementTypeValue = Annotated[AgreementTypeLiteral, AgreementType]


def _extra() -> Any:
    return attrs.field(factory=dict, repr=False, eq=False)


def _correlation_id() -> Any:
    return attrs.field(default=None, repr=False, eq=False)


def wrap_list(key: str, data: Any) -> Any:
    """A bare JSON array where an ``{key: [...]}`` object is documented (both seen)."""
    return {key: data} if isinstance(data, list) else data


# --- responses ------------------------------------------------------------------------------


def _code_object(data: Any) -> Any:
    # A plain code ("GBP") is the short form of the object; ids/numerics may be numbers.
    if isinstance(data, str):
        return {"code": data}
    if isinstance(data, Mapping) and any(
        isinstance(data.get(k), int) and not isinstance(data.get(k), bool)
        for k in ("id", "numeric")
    ):
        data = dict(data)
        for key in ("id", "numeric"):
            if isinstance(data.get(key), int) and not isinstance(data[key], bool):
                data[key] = str(data[key])
    return data


@attrs.frozen
class Currency:
    """An ISO 4217 currency: from a plain code or the full object; ``str()`` is the code.

    >>> from imburse._core.converter import get_converter
    >>> str(get_converter().structure("GBP", Currency))
    'GBP'
    """

    code: str | None = None
    id: str | None = None
    numeric: str | None = None
    name: str | None = None
    symbol: str | None = None
    number_of_decimal_places: int | None = None
    extra: Mapping[str, Any] = _extra()

    _wire_prepare = staticmethod(_code_object)

    def __str__(self) -> str:
        return self.code or ""


@attrs.frozen
class Country:
    """An ISO 3166-1 alpha-2 country, with its currency when the server sends the object."""

    code: str | None = None
    id: str | None = None
    numeric: str | None = None
    name: str | None = None
    currency: Currency | None = None
    extra: Mapping[str, Any] = _extra()

    _wire_prepare = staticmethod(_code_object)

    def __str__(self) -> str:
        return self.code or ""


@attrs.frozen
class RuleApp:
    """An app a rule offers; ``available_payment_methods`` is response-only."""

    app_id: str | None = None
    excluded_payment_methods: tuple[str, ...] = ()
    available_payment_methods: tuple[str, ...] = ()
    priority: int | None = None  # only in the 2019 ``configurations[]`` form
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class RewardGroupRef:
    """A reward group offered by a payout rule, minus the excluded reward ids."""

    reward_group_id: str | None = None
    exclusions: tuple[str, ...] = ()
    extra: Mapping[str, Any] = _extra()


def _rule(data: Any) -> Any:
    if not isinstance(data, Mapping):
        return data
    data = dict(data)
    for key in ("lowValueInclusive", "highValueInclusive"):
        if isinstance(data.get(key), str) and not data[key].strip():
            del data[key]  # "" = unbounded
    if data.get("apps") is None and isinstance(data.get("configurations"), list):
        data["apps"] = data.pop("configurations")  # 2019 tutorial form
    return data


@attrs.frozen
class Rule:
    """One rule of a draft; the first rule matching currency, country and value wins."""

    priority: int | None = None
    currencies: tuple[Currency, ...] = ()
    countries: tuple[Country, ...] = ()
    low_value_inclusive: Decimal | None = None
    high_value_inclusive: Decimal | None = None
    apps: tuple[RuleApp, ...] = ()
    reward_groups: tuple[RewardGroupRef, ...] = ()
    extra: Mapping[str, Any] = _extra()

    _wire_prepare = staticmethod(_rule)


@attrs.frozen
class Draft:
    """A version of a scheme; only one draft is published at a time."""

    draft_id: str | None = None
    name: str | None = None
    code: str | None = None
    agreement_type: AgreementTypeValue | None = None
    rules: tuple[Rule, ...] = ()
    last_modified: datetime | None = None
    extra: Mapping[str, Any] = _extra()


def _scheme(data: Any) -> Any:
    if isinstance(data, Mapping) and data.get("publishedDraftId") == "":
        data = {k: v for k, v in data.items() if k != "publishedDraftId"}
    return data


@attrs.frozen
class Scheme:
    """A collect or payout scheme with its drafts (``publishedDraftId`` ``""`` -> ``None``)."""

    scheme_id: str  # required: the scheme's own id
    published_draft_id: str | None = None
    drafts: tuple[Draft, ...] = ()
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = _correlation_id()

    _wire_prepare = staticmethod(_scheme)

    @property
    def published_draft(self) -> Draft | None:
        """The draft in force, or ``None`` while nothing is published."""
        return next((d for d in self.drafts if d.draft_id == self.published_draft_id), None)


def _scheme_list(data: Any) -> Any:
    return wrap_list("schemes", data)


@attrs.frozen
class SchemeList:
    """``GET /v1/schemes/collect`` (or ``payout``): ``{"schemes": [...]}``."""

    schemes: tuple[Scheme, ...] = ()
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = _correlation_id()

    _wire_prepare = staticmethod(_scheme_list)


# --- inputs ---------------------------------------------------------------------------------


def _code_of(value: Any) -> Any:
    # Codes read back from a draft (Currency / Country objects) may be sent again as they are.
    return value.code if isinstance(value, Currency | Country) else value


def _currencies(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    return sequence_of("currencies", value, lambda f, v: check_currency(f, _code_of(v)))


def _countries(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    return sequence_of("countries", value, lambda f, v: check_country(f, _code_of(v)))


def _low(value: Any) -> Decimal | None:
    return None if value is None else check_amount("low_value_inclusive", value)


def _high(value: Any) -> Decimal | None:
    return None if value is None else check_amount("high_value_inclusive", value)


def _app_id(value: Any) -> str:
    return check_app_id("app_id", value)


def _payment_method(field: str, value: Any) -> str:
    # Ids like PAYPAL or CARD: bounded like app ids, so a 10 MB value is never sent.
    if not isinstance(value, str) or not 1 <= len(value) <= MAX_APP_ID_LENGTH:
        raise ValidationError(
            field,
            f"must be a payment method id like 'PAYPAL' (1-{MAX_APP_ID_LENGTH} characters; "
            f"got {shown(value)})",
        )
    return value


def _excluded(value: Any) -> tuple[str, ...]:
    return sequence_of("excluded_payment_methods", value, _payment_method)


@attrs.frozen
class RuleAppInput:
    """An installed app offered by a rule, minus some of its payment methods.

    >>> RuleAppInput(app_id="BRAINTREE_SDK", excluded_payment_methods=["PAYPAL"]).excluded_payment_methods
    ('PAYPAL',)
    """

    app_id: str = attrs.field(converter=_app_id)
    excluded_payment_methods: tuple[str, ...] = attrs.field(default=(), converter=_excluded)


def _rule_app(field: str, value: Any) -> RuleAppInput:
    if isinstance(value, RuleApp):  # read back from a draft
        value = RuleAppInput(value.app_id, value.excluded_payment_methods)
    return nested(field, value, RuleAppInput)


def _rule_apps(value: Any) -> tuple[RuleAppInput, ...]:
    return sequence_of("apps", value, _rule_app)


@attrs.frozen
class RuleInput:
    """A collect rule. Empty ``currencies`` / ``countries`` and a missing bound mean "any".

    Bounds are ``Decimal`` (ints and numeric strings accepted, floats refused), ``low > 0`` and
    ``low <= high``; they are sent as strings, as in the documented request.

    >>> RuleInput(currencies=["GBP"], low_value_inclusive="1", high_value_inclusive="500").high_value_inclusive
    Decimal('500')
    """

    currencies: tuple[str, ...] = attrs.field(default=(), converter=_currencies)
    countries: tuple[str, ...] = attrs.field(default=(), converter=_countries)
    low_value_inclusive: Decimal | None = attrs.field(default=None, converter=_low)
    high_value_inclusive: Decimal | None = attrs.field(default=None, converter=_high)
    apps: tuple[RuleAppInput, ...] = attrs.field(default=(), converter=_rule_apps)

    def __attrs_post_init__(self) -> None:
        low, high = self.low_value_inclusive, self.high_value_inclusive
        if low is not None and high is not None and low > high:
            raise ValidationError(
                "low_value_inclusive", f"must not exceed high_value_inclusive ({low} > {high})"
            )


def _reward_group_id(value: Any) -> str:
    return check_uuid("reward_group_id", value)


def _exclusions(value: Any) -> tuple[str, ...]:
    return sequence_of("exclusions", value, check_opaque_id)


@attrs.frozen
class RewardGroupRefInput:
    """A reward group offered by a payout rule; ``exclusions`` are reward ids of that group."""

    reward_group_id: str = attrs.field(converter=_reward_group_id)
    exclusions: tuple[str, ...] = attrs.field(default=(), converter=_exclusions)


def _reward_group_ref(field: str, value: Any) -> RewardGroupRefInput:
    if isinstance(value, RewardGroupRef):
        value = RewardGroupRefInput(value.reward_group_id, value.exclusions)
    return nested(field, value, RewardGroupRefInput)


def _reward_group_refs(value: Any) -> tuple[RewardGroupRefInput, ...]:
    return sequence_of("reward_groups", value, _reward_group_ref)


@attrs.frozen
class PayoutRuleInput(RuleInput):
    """A payout rule: a :class:`RuleInput` that also offers reward groups.

    >>> PayoutRuleInput(currencies=["USD"], reward_groups=[
    ...     {"reward_group_id": "1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c"}]).reward_groups[0].exclusions
    ()
    """

    reward_groups: tuple[RewardGroupRefInput, ...] = attrs.field(
        default=(), converter=_reward_group_refs
    )


def _rule_of(cls: type[RuleInput], field: str, value: Any) -> Any:
    if isinstance(value, Rule):  # a rule read back from a draft
        value = {
            "currencies": value.currencies,
            "countries": value.countries,
            "low_value_inclusive": value.low_value_inclusive,
            "high_value_inclusive": value.high_value_inclusive,
            "apps": value.apps,
            **({"reward_groups": value.reward_groups} if cls is PayoutRuleInput else {}),
        }
    return nested(field, value, cls)


def _collect_rules(value: Any) -> tuple[RuleInput, ...]:
    return sequence_of("rules", value, lambda f, v: _rule_of(RuleInput, f, v))


def _payout_rules(value: Any) -> tuple[PayoutRuleInput, ...]:
    return sequence_of("rules", value, lambda f, v: _rule_of(PayoutRuleInput, f, v))


def _name(value: Any) -> str:
    result = check_text("name", value)
    assert result is not None
    return result


def _code(value: Any) -> str | None:
    return check_text("code", value, required=False)


def _agreement_type(value: Any) -> str | None:
    # Open enum: SingleUse in the sample, Reuse on instruments; new values pass through.
    return check_text("agreement_type", value, required=False)


@attrs.frozen
class CollectSchemeInput:
    """A new collect scheme (Imburse creates it with a first, unpublished draft).

    >>> CollectSchemeInput(name="Cards", agreement_type="SingleUse",
    ...     rules=[{"currencies": ["EUR"], "apps": [{"app_id": "BRAINTREE_SDK"}]}]).rules[0].currencies
    ('EUR',)
    """

    name: str = attrs.field(converter=_name)
    code: str | None = attrs.field(default=None, converter=_code)
    agreement_type: str | None = attrs.field(default=None, converter=_agreement_type)
    rules: tuple[RuleInput, ...] = attrs.field(default=(), converter=_collect_rules)


@attrs.frozen
class PayoutSchemeInput:
    """A new payout scheme (no agreement type in any payout sample)."""

    name: str = attrs.field(converter=_name)
    code: str | None = attrs.field(default=None, converter=_code)
    rules: tuple[PayoutRuleInput, ...] = attrs.field(default=(), converter=_payout_rules)


def _options_amount(value: Any) -> Decimal:
    # Checked with the currency (its minor unit) in __attrs_post_init__.
    result: Decimal = value
    return result


def _options_currency(value: Any) -> str:
    return check_currency("currency", value)


def _options_country(value: Any) -> str:
    return check_country("country", value)


def _match_type(value: Any) -> str:
    if value not in (MatchType.EXACT, MatchType.MAX):
        raise ValidationError("match_type", f"must be 'Exact' or 'Max' (got {shown(value)})")
    return str(value)


@attrs.frozen
class PayoutOptionsQuery:
    """The query of ``GET .../schemes/payout/{schemeId}/options``.

    >>> PayoutOptionsQuery(amount="25.00", currency="USD", country="US").params()
    {'amount': '25.00', 'currency': 'USD', 'country': 'US', 'matchType': 'Exact'}
    """

    amount: Decimal = attrs.field(converter=_options_amount)
    currency: str = attrs.field(converter=_options_currency)
    country: str = attrs.field(converter=_options_country)
    match_type: str = attrs.field(default="Exact", converter=_match_type)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "amount", check_amount("amount", self.amount, self.currency))

    def params(self) -> dict[str, Any]:
        """The query parameters under their wire names, in the documented order.

        The amount is written in plain digits with the currency's decimals (USD ``10`` as
        ``10.00``).
        """
        return {
            "amount": format(self.amount, "f"),
            "currency": self.currency,
            "country": self.country,
            "matchType": self.match_type,
        }
