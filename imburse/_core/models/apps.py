"""Marketplace and installed apps (``imburse-api.md`` §5.8): inputs and decoded responses.

An app is a payment or reward provider (Braintree, Stripe, Tango Card...). A tenant installs
an app from the marketplace (one instance per app), configures it with app-specific JSON, and
refers to it by id in scheme rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Any

import attrs

from ..errors import ValidationError
from ..validation import check_amount, check_country, check_currency
from ._checks import check_text, nested, sequence_of
from .schemes import Country, Currency, wrap_list

__all__ = [
    "App",
    "AppConfiguration",
    "AppId",
    "BraintreeConfigurationInput",
    "BraintreeSettingInput",
    "DepositFundsInput",
    "MarketplaceApps",
    "PaymentMethod",
    "check_configuration",
]


class AppId(StrEnum):
    """App ids seen in the docs; the list is open (ids of other apps are not published)."""

    BRAINTREE_SDK = "BRAINTREE_SDK"
    TANGOCARD_RAAS = "TANGOCARD_RAAS"
    STRIPE = "STRIPE"


def _extra() -> Any:
    return attrs.field(factory=dict, repr=False, eq=False)


def _correlation_id() -> Any:
    return attrs.field(default=None, repr=False, eq=False)


# --- responses ------------------------------------------------------------------------------


@attrs.frozen
class PaymentMethod:
    """A payment method an app supports, e.g. ``VISA`` or ``PAYPAL``."""

    id: str | None = None
    name: str | None = None
    icon_url: str | None = None
    tags: tuple[str, ...] = ()
    is_credit_card: bool | None = None
    supports_direct_sale: bool | None = None
    supports_recurring: bool | None = None
    provider_warning_required: bool | None = None
    extra: Mapping[str, Any] = _extra()


@attrs.frozen
class App:
    """A marketplace app (``GET /v1/marketplace/apps/{appId}``)."""

    app_id: str  # required: the app's own id
    name: str | None = None
    developer_id: str | None = None
    developer_name: str | None = None
    icon_url: str | None = None
    description: str | None = None
    tags: tuple[str, ...] = ()
    supported_payment_methods: tuple[PaymentMethod, ...] = ()
    supported_countries: tuple[Country, ...] = ()
    supported_currencies: tuple[Currency, ...] = ()
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = _correlation_id()


def _apps(data: Any) -> Any:
    # The tutorial shows a bare array; an {"apps": [...]} object decodes too.
    return wrap_list("apps", data)


@attrs.frozen
class MarketplaceApps:
    """``GET /v1/marketplace/apps``: the apps a tenant may install."""

    apps: tuple[App, ...] = ()
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = _correlation_id()

    _wire_prepare = staticmethod(_apps)


def _configuration(data: Any) -> Any:
    return {"configuration": data}


@attrs.frozen
class AppConfiguration:
    """The configuration Imburse echoes after ``configure`` (app-specific JSON, as sent).

    Hidden from ``repr``: it usually holds the provider's secret keys.
    """

    # Required (no default): the whole body is the configuration, so a body that is no JSON
    # object is a broken answer, not a field to keep aside.
    configuration: Mapping[str, Any] = attrs.field(repr=False)
    correlation_id: str | None = _correlation_id()

    _wire_prepare = staticmethod(_configuration)


# --- inputs ---------------------------------------------------------------------------------


def check_configuration(value: Any) -> Mapping[str, Any]:
    """App-specific configuration: a mapping with string keys, or an input model like
    :class:`BraintreeConfigurationInput` (returned as its JSON-ready mapping)."""
    if attrs.has(type(value)):
        from ..converter import get_converter

        value = get_converter().unstructure(value)
    if not isinstance(value, Mapping) or not all(isinstance(k, str) for k in value):
        raise ValidationError("configuration", "must be a mapping with string keys")
    return value


def _required(field: str, value: Any) -> str:
    result = check_text(field, value)
    if result is None:  # pragma: no cover - required text is never None
        raise ValidationError(field, "is required")
    return result


def _merchant_id(value: Any) -> str:
    return _required("merchant_id", value)


def _public_key(value: Any) -> str:
    return _required("public_key", value)


def _private_key(value: Any) -> str:
    return _required("private_key", value)


def _merchant_account_id(value: Any) -> str:
    return _required("merchant_account_id", value)


def _description(value: Any) -> str | None:
    return check_text("description", value, required=False)


def _setting_currency(value: Any) -> str:
    return check_currency("currency", value)


def _setting_countries(value: Any) -> tuple[str, ...]:
    return sequence_of("countries", value, check_country)


@attrs.frozen(kw_only=True)
class BraintreeSettingInput:
    """Which Braintree merchant account serves one currency (and its countries)."""

    currency: str = attrs.field(converter=_setting_currency)
    countries: tuple[str, ...] = attrs.field(default=(), converter=_setting_countries)
    merchant_account_id: str = attrs.field(converter=_merchant_account_id)
    description: str | None = attrs.field(default=None, converter=_description)


def _settings(value: Any) -> tuple[BraintreeSettingInput, ...]:
    return sequence_of("settings", value, lambda f, v: nested(f, v, BraintreeSettingInput))


@attrs.frozen
class BraintreeConfigurationInput:
    """The documented Braintree configuration body; ``private_key`` stays out of ``repr``.

    >>> BraintreeConfigurationInput(merchant_id="m", public_key="p", private_key="s",
    ...     settings=[{"currency": "GBP", "merchant_account_id": "acc", "countries": ["GB"]}])
    BraintreeConfigurationInput(merchant_id='m', public_key='p', settings=(BraintreeSettingInput(currency='GBP', countries=('GB',), merchant_account_id='acc', description=None),))
    """

    merchant_id: str = attrs.field(converter=_merchant_id)
    public_key: str = attrs.field(converter=_public_key)
    private_key: str = attrs.field(converter=_private_key, repr=False)
    settings: tuple[BraintreeSettingInput, ...] = attrs.field(default=(), converter=_settings)


def _deposit_amount(value: Any) -> Decimal:
    return check_amount("amount", value)


@attrs.frozen
class DepositFundsInput:
    """Funds to add to the Tango Card account: ``{"amount": number}``.

    The docs show a JSON number here (not a string), so the body is written by
    :meth:`to_json` with the amount as an exact number literal, never through ``float``.

    >>> DepositFundsInput(amount="150.00").to_json()
    b'{"amount":150.00}'
    """

    amount: Decimal = attrs.field(converter=_deposit_amount)

    def to_json(self) -> bytes:
        """The request body: the amount in plain digits (``1E+2`` is sent as ``100``)."""
        return b'{"amount":' + format(self.amount, "f").encode("ascii") + b"}"
