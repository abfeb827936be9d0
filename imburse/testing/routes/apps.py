"""Marketplace and installed apps of the fake (``imburse-api.md`` §5.8).

The marketplace is a fixed list of the three app ids the docs name (``BRAINTREE_SDK``,
``TANGOCARD_RAAS``, ``STRIPE``) in the documented App shape; their descriptive values are ours.
App ids in paths match case-insensitively (the docs write both cases). Installed apps live in
``app.store(tenant, "apps.installed")``, keyed by the upper-case id.

Documented behaviour: one instance per app and tenant; uninstall is refused while a collect or
payout scheme uses the app. Everything else is our minimal choice, and every error code below
is assumed (Imburse publishes none for this group): ``APP_NOT_FOUND`` (404), ``APP_NOT_INSTALLED``
(404 on a path, 400 in a body), ``APP_ALREADY_INSTALLED`` / ``APP_IN_USE`` /
``TANGOCARD_ACCOUNT_REQUIRED`` / ``INVALID_AMOUNT`` (400). Install and uninstall answer 200
with no body (the docs say "200 OK"); configure echoes the configuration.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from .._app import App, Call, Route, not_found, route
from .._errors import HTTPProblem, Problem
from .._jsonout import JSONValue
from .._validate import INVALID_BODY, parse_body

__all__ = [
    "INSTALLED_STORE",
    "MARKETPLACE",
    "ROUTES",
    "SCHEME_STORES",
    "installed_apps",
    "marketplace_app",
    "problem",
]

Reply = tuple[int, JSONValue]

INSTALLED_STORE = "apps.installed"
# Collect and payout schemes (``routes/schemes.py``), read here to refuse an uninstall.
SCHEME_STORES = ("schemes.collect", "schemes.payout")


def problem(code: str, template: str, prop: str = "", **values: str) -> Problem:
    """A 400 problem naming the offending property in ``metadata.propertyName``."""
    return Problem(code, template, {"propertyName": prop, **values})


def _method(
    id_: str, name: str, *, credit: bool = False, warning: bool = False
) -> dict[str, JSONValue]:
    return {
        "id": id_,
        "name": name,
        "iconUrl": f"https://cdn.example.com/payment-methods/{id_.lower()}.png",
        "tags": [],
        "isCreditCard": credit,
        "supportsDirectSale": True,
        "supportsRecurring": credit,
        "providerWarningRequired": warning,
    }


_CARD_METHODS: list[JSONValue] = [
    _method("VISA", "Visa", credit=True),
    _method("MASTERCARD", "Mastercard", credit=True),
    _method("AMERICAN-EXPRESS", "American Express", credit=True, warning=True),
]

MARKETPLACE: tuple[dict[str, Any], ...] = (
    {
        "developerId": "5b1f2a3c-0d4e-4f60-8a71-92b3c4d5e6f7",
        "developerName": "Braintree",
        "appId": "BRAINTREE_SDK",
        "name": "Braintree",
        "iconUrl": "https://cdn.example.com/apps/braintree_sdk.png",
        "description": "Card and PayPal payments through Braintree.",
        "tags": ["payments", "cards"],
        "supportedPaymentMethods": [*_CARD_METHODS, _method("PAYPAL", "PayPal")],
        "supportedCountries": ["GB", "US", "DE", "FR"],
        "supportedCurrencies": ["GBP", "USD", "EUR"],
    },
    {
        "developerId": "6c2a3b4d-1e5f-4071-9b82-a3c4d5e6f708",
        "developerName": "Tango Card",
        "appId": "TANGOCARD_RAAS",
        "name": "Tango Card RaaS",
        "iconUrl": "https://cdn.example.com/apps/tangocard_raas.png",
        "description": "Gift cards and rewards through Tango Card.",
        "tags": ["rewards"],
        "supportedPaymentMethods": [],
        "supportedCountries": ["GB", "US"],
        "supportedCurrencies": ["GBP", "USD"],
    },
    {
        "developerId": "7d3b4c5e-2f60-4182-8c93-b4d5e6f70819",
        "developerName": "Stripe",
        "appId": "STRIPE",
        "name": "Stripe",
        "iconUrl": "https://cdn.example.com/apps/stripe.png",
        "description": "Card payments through Stripe.",
        "tags": ["payments", "cards"],
        "supportedPaymentMethods": list(_CARD_METHODS),
        "supportedCountries": ["GB", "US", "DE", "FR", "CH", "AT"],
        "supportedCurrencies": ["GBP", "USD", "EUR", "CHF"],
    },
)


def marketplace_app(app_id: str) -> dict[str, Any] | None:
    """The marketplace entry of ``app_id`` (any case), or ``None``."""
    wanted = app_id.upper()
    return next((a for a in MARKETPLACE if a["appId"] == wanted), None)


def installed_apps(app: App, tenant_id: str) -> dict[str, Any]:
    """The tenant's installed apps: upper-case app id -> record."""
    return app.store(tenant_id, INSTALLED_STORE)


def _installed_or_raise(app: App, call: Call, app_id: str) -> dict[str, Any]:
    record: dict[str, Any] | None = installed_apps(app, call.tenant_id).get(app_id.upper())
    if record is None:
        raise not_found("APP_NOT_INSTALLED", "App not installed.", call.version)
    return record


def list_marketplace(app: App, call: Call) -> Reply:
    # The tutorial shows a bare array.
    return 200, list(MARKETPLACE)


def get_marketplace(app: App, call: Call) -> Reply:
    entry = marketplace_app(call.params["app"])
    if entry is None:
        raise not_found("APP_NOT_FOUND", "App not found.", call.version)
    return 200, entry


def install(app: App, call: Call) -> Reply:
    app_id = call.params["app"]
    entry = marketplace_app(app_id)
    if entry is None:
        raise not_found("APP_NOT_FOUND", "App not found.", call.version)
    # One tutorial sends the configuration with the install; usually the body is empty.
    configuration = parse_body(call.body) if call.body.strip() else None
    installed = installed_apps(app, call.tenant_id)
    canonical = str(entry["appId"])
    if canonical in installed:
        raise HTTPProblem.one(
            400, "APP_ALREADY_INSTALLED", "App {appId} is already installed.", appId=canonical
        )
    installed[canonical] = {
        "appId": canonical,
        "configuration": configuration,
        "account": False,
        "balance": Decimal(0),
    }
    return 200, None


def configure(app: App, call: Call) -> Reply:
    record = _installed_or_raise(app, call, call.params["app"])
    configuration = parse_body(call.body)
    record["configuration"] = configuration
    return 200, configuration


def _uses(app: App, tenant_id: str, app_id: str) -> bool:
    for store in SCHEME_STORES:
        for scheme in app.store(tenant_id, store).values():
            for draft in scheme["drafts"]:
                for rule in draft["rules"]:
                    if any(str(a["appId"]).upper() == app_id for a in rule["apps"]):
                        return True
    return False


def uninstall(app: App, call: Call) -> Reply:
    record = _installed_or_raise(app, call, call.params["app"])
    app_id = record["appId"]
    if _uses(app, call.tenant_id, app_id):
        raise HTTPProblem.one(
            400, "APP_IN_USE", "App {appId} is used by a collect or payout scheme.", appId=app_id
        )
    del installed_apps(app, call.tenant_id)[app_id]
    return 200, None


def _tangocard(app: App, call: Call) -> dict[str, Any]:
    return _installed_or_raise(app, call, "TANGOCARD_RAAS")


def tangocard_account(app: App, call: Call) -> Reply:
    # A second call is accepted and changes nothing: our choice.
    _tangocard(app, call)["account"] = True
    return 200, None


def tangocard_deposit(app: App, call: Call) -> Reply:
    record = _tangocard(app, call)
    data = parse_body(call.body)
    amount = data.get("amount")
    # Documented as a JSON number; a string or a non-positive amount is refused.
    if isinstance(amount, bool) or not isinstance(amount, int | Decimal) or amount <= 0:
        if "amount" not in data:
            raise HTTPProblem(400, [problem("AMOUNT_IS_REQUIRED", "amount is required.", "amount")])
        raise HTTPProblem(
            400,
            [problem(INVALID_BODY, "{propertyName} must be a positive number.", "amount")],
        )
    if not record["account"]:
        raise HTTPProblem.one(
            400,
            "TANGOCARD_ACCOUNT_REQUIRED",
            "Create the Tango Card account before depositing funds.",
        )
    record["balance"] += Decimal(amount)
    return 200, None


_TANGO = r"/v1/apps/installed/(?i:tangocard_raas)"

ROUTES: tuple[Route, ...] = (
    route("GET", r"/v1/marketplace/apps", list_marketplace),
    route("GET", r"/v1/marketplace/apps/{app}", get_marketplace),
    route("POST", r"/v1/marketplace/apps/{app}/install", install),
    route("POST", r"/v1/apps/installed/{app}/configuration", configure),
    # Both documented uninstall paths: the tutorial's curl and its text / apps.md.
    route("POST", r"/v1/apps/installed/{app}/uninstall", uninstall),
    route("POST", r"/v1/marketplace/installed/{app}/uninstall", uninstall),
    route("POST", _TANGO + r"/account", tangocard_account),
    route("POST", _TANGO + r"/deposit-funds", tangocard_deposit),
)
