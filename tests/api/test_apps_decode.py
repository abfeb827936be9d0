"""Apps (§5.8): decoding documented sample bodies, written by hand. Pure."""

from __future__ import annotations

import pytest

from imburse._core.decode import decode_response
from imburse._core.errors import ResponseDecodeError
from imburse._core.models.apps import App, AppConfiguration, AppId, MarketplaceApps
from imburse._core.operations.apps import (
    CONFIGURE_APP,
    GET_MARKETPLACE_APP,
    INSTALL_APP,
    LIST_MARKETPLACE_APPS,
    TANGOCARD_DEPOSIT_FUNDS,
    UNINSTALL_APP,
)

# The App model of GH marketplace.md.
BRAINTREE_APP = b"""{
  "developerId": "d2b5c1a0-7e3f-4a6b-9c8d-1e2f3a4b5c6d",
  "developerName": "Imburse",
  "appId": "BRAINTREE_SDK",
  "name": "Braintree",
  "iconUrl": "https://cdn.imbursepayments.com/apps/braintree.png",
  "description": "Accept cards and PayPal with Braintree.",
  "tags": ["payments"],
  "supportedPaymentMethods": [
    {"id": "VISA", "name": "Visa", "iconUrl": "https://cdn.imbursepayments.com/pm/visa.png",
     "tags": [], "isCreditCard": true, "supportsDirectSale": true, "supportsRecurring": true,
     "providerWarningRequired": false},
    {"id": "AMERICAN-EXPRESS", "name": "American Express",
     "iconUrl": "https://cdn.imbursepayments.com/pm/amex.png", "tags": [],
     "isCreditCard": true, "supportsDirectSale": true, "supportsRecurring": false,
     "providerWarningRequired": true},
    {"id": "PAYPAL", "name": "PayPal", "iconUrl": "https://cdn.imbursepayments.com/pm/paypal.png",
     "tags": [], "isCreditCard": false, "supportsDirectSale": true, "supportsRecurring": false,
     "providerWarningRequired": false}
  ],
  "supportedCountries": ["GB", "US"],
  "supportedCurrencies": ["GBP", "USD"]
}"""

# GH working-with-apps.md: the list as a bare array of {appId, name}.
TUTORIAL_LIST = b"""[
  {"appId": "BRAINTREE_SDK", "name": "Braintree"},
  {"appId": "TANGOCARD_RAAS", "name": "Tango Card"}
]"""

# The documented Braintree configuration body, echoed by configure.
BRAINTREE_CONFIGURATION = b"""{
  "merchantId": "m-1",
  "publicKey": "pk",
  "privateKey": "sk-secret",
  "settings": [
    {"currency": "GBP", "countries": ["GB"], "merchantAccountId": "acc-gbp",
     "description": "UK cards"}
  ]
}"""


def test_marketplace_app() -> None:
    app = decode_response(
        GET_MARKETPLACE_APP, 200, {}, BRAINTREE_APP, correlation_id="cid-1", strict=True
    )
    assert isinstance(app, App)
    assert app.app_id == AppId.BRAINTREE_SDK
    assert (app.developer_name, app.name, app.tags) == ("Imburse", "Braintree", ("payments",))
    assert [m.id for m in app.supported_payment_methods] == ["VISA", "AMERICAN-EXPRESS", "PAYPAL"]
    amex = app.supported_payment_methods[1]
    assert amex.provider_warning_required is True
    assert amex.is_credit_card is True
    assert amex.icon_url == "https://cdn.imbursepayments.com/pm/amex.png"
    assert [str(c) for c in app.supported_countries] == ["GB", "US"]
    assert [c.code for c in app.supported_currencies] == ["GBP", "USD"]
    assert app.correlation_id == "cid-1"


def test_marketplace_list_as_a_bare_array_or_an_object() -> None:
    listed = decode_response(
        LIST_MARKETPLACE_APPS, 200, {}, TUTORIAL_LIST, correlation_id="cid-2", strict=True
    )
    assert isinstance(listed, MarketplaceApps)
    assert [(a.app_id, a.name) for a in listed.apps] == [
        ("BRAINTREE_SDK", "Braintree"),
        ("TANGOCARD_RAAS", "Tango Card"),
    ]
    assert listed.correlation_id == "cid-2"
    wrapped = decode_response(LIST_MARKETPLACE_APPS, 200, {}, b'{"apps": ' + TUTORIAL_LIST + b"}")
    assert wrapped == listed


def test_configure_echo_keeps_the_configuration_but_hides_it_from_repr() -> None:
    echoed = decode_response(
        CONFIGURE_APP, 200, {}, BRAINTREE_CONFIGURATION, correlation_id="cid-3", strict=True
    )
    assert isinstance(echoed, AppConfiguration)
    assert echoed.configuration["merchantId"] == "m-1"
    assert echoed.configuration["settings"][0]["merchantAccountId"] == "acc-gbp"
    assert echoed.correlation_id == "cid-3"
    assert "sk-secret" not in repr(echoed)


def test_configure_echo_must_be_an_object() -> None:
    with pytest.raises(ResponseDecodeError):
        decode_response(CONFIGURE_APP, 200, {}, b"[1, 2]")


@pytest.mark.parametrize("operation", [INSTALL_APP, UNINSTALL_APP, TANGOCARD_DEPOSIT_FUNDS])
def test_writes_without_a_documented_body_return_none(operation: object) -> None:
    assert decode_response(operation, 200, {}, b"") is None  # type: ignore[arg-type]
    assert decode_response(operation, 200, {}, b'{"ok": true}') is None  # type: ignore[arg-type]
