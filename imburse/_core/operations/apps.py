"""``client.apps``: marketplace and installed apps (``imburse-api.md`` §5.8).

Paths drifted in 2019; the latest documented form is used. Headers A and T and the
``tenant-app-*`` roles are inferred by the notes for the whole group (2019 tutorials omit them).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..models._checks import check_app_id
from ..models.apps import (
    App,
    AppConfiguration,
    DepositFundsInput,
    MarketplaceApps,
    check_configuration,
)
from ._base import Arg, Group, Method, Operation, Scope, Unsupported

__all__ = [
    "CONFIGURE_APP",
    "GET_MARKETPLACE_APP",
    "GROUPS",
    "INSTALL_APP",
    "LIST_MARKETPLACE_APPS",
    "OPERATIONS",
    "TANGOCARD_CREATE_ACCOUNT",
    "TANGOCARD_DEPOSIT_FUNDS",
    "UNINSTALL_APP",
    "UNSUPPORTED",
]

GROUPS = (
    Group(
        "apps",
        "Apps",
        "Marketplace apps (payment and reward providers) and the ones installed in the tenant.\n\n"
        "App ids are written upper-case (``BRAINTREE_SDK``) or lower-case (``braintree_sdk``) in\n"
        "the docs; they are sent as given. Listing or reading *installed* apps has no published\n"
        "path.",
    ),
    Group(
        "apps.tangocard",
        "TangoCard",
        "``client.apps.tangocard``: the installed Tango Card (``TANGOCARD_RAAS``) reward app.",
    ),
)
_APP_ID = Arg("app_id", "str", path="appId", check=check_app_id)
_CONFIGURATION = "Mapping[str, Any] | BraintreeConfigurationInput"


def configure_body(configuration: object) -> Mapping[str, Any]:
    """The configure body: the app's configuration, checked (see ``apps.configure``)."""
    return check_configuration(configuration)


def install_body(configuration: object = None) -> Mapping[str, Any] | None:
    """The install body: none, or the app's configuration (see ``apps.install``)."""
    return None if configuration is None else check_configuration(configuration)


def deposit_body(amount: object) -> bytes:
    """The deposit body: the amount as a JSON number in plain digits."""
    return DepositFundsInput(amount=amount).to_json()


APP_READ = ("tenant-app-read", "tenant-admin")
APP_WRITE = ("tenant-app-write", "tenant-admin")

LIST_MARKETPLACE_APPS: Operation[MarketplaceApps] = Operation(
    name="apps.list_marketplace",
    method="GET",
    path="/v1/marketplace/apps",  # one tutorial curl says POST; GET is the documented method
    scope=Scope.TENANT,
    roles=APP_READ,
    response={200: MarketplaceApps},
    summary="List the marketplace apps the tenant may install.",
    python=Method(
        doc="The apps the tenant may install.",
        example=(
            "[app.app_id for app in await client.apps.list_marketplace()]\n"
            "['BRAINTREE_SDK', 'TANGOCARD_RAAS']"
        ),
        unwrap="apps",
        returns="tuple[App, ...]",
    ),
)

GET_MARKETPLACE_APP: Operation[App] = Operation(
    name="apps.get_marketplace",
    method="GET",
    path="/v1/marketplace/apps/{appId}",
    scope=Scope.TENANT,
    roles=APP_READ,
    response={200: App},
    summary="Read one marketplace app: supported payment methods, countries, currencies.",
    python=Method(
        doc="One marketplace app with its payment methods, countries and currencies.",
        example=(
            'app = await client.apps.get_marketplace("BRAINTREE_SDK")\n'
            "[m.id for m in app.supported_payment_methods]\n"
            "['VISA', 'MASTERCARD', 'PAYPAL']"
        ),
        args=(_APP_ID,),
    ),
)

INSTALL_APP: Operation[None] = Operation(
    name="apps.install",
    method="POST",
    path="/v1/marketplace/apps/{appId}/install",
    scope=Scope.TENANT,
    roles=APP_WRITE,
    response={200: None},
    body=dict,  # usually none; one tutorial sends the app configuration here
    summary="Install a marketplace app in the tenant (one instance per app).",
    python=Method(
        doc=(
            "Install a marketplace app (one instance per app and tenant).\n\n"
            "The body is usually empty; one tutorial sends the app's configuration here, which\n"
            "``configuration=`` does. Configure later with :meth:`configure` otherwise."
        ),
        example='await client.apps.install("tangocard_raas")',
        args=(_APP_ID, Arg("configuration", _CONFIGURATION + " | None", default="None")),
        body=install_body,
    ),
)

CONFIGURE_APP: Operation[AppConfiguration] = Operation(
    name="apps.configure",
    method="POST",
    # History: /v1/marketplace/installed/{appId}/configuration (2019-05), .../configure
    # (2019-05/06 tutorials), this form since 2019-06-10.
    path="/v1/apps/installed/{appId}/configuration",
    scope=Scope.TENANT,
    roles=APP_WRITE,
    response={200: AppConfiguration},
    body=dict,  # app-specific JSON, e.g. BraintreeConfigurationInput
    summary="Configure an installed app with its app-specific JSON (echoed back).",
    python=Method(
        doc=(
            "Configure an installed app with its app-specific JSON; Imburse echoes it back.\n\n"
            "Pass a mapping with the app's own (camelCase) keys, or a\n"
            ":class:`~imburse.BraintreeConfigurationInput`."
        ),
        example=(
            'await client.apps.configure("braintree_sdk", BraintreeConfigurationInput(\n'
            '...     merchant_id="m", public_key="pk", private_key="sk",\n'
            '...     settings=[{"currency": "GBP", "countries": ["GB"], "merchant_account_id": "a"}],\n'
            "... ))"
        ),
        args=(_APP_ID, Arg("configuration", _CONFIGURATION, positional=True)),
        body=configure_body,
    ),
)

UNINSTALL_APP: Operation[None] = Operation(
    name="apps.uninstall",
    method="POST",
    # The tutorial's curl uses this path; the same page's text and apps.md say
    # POST /v1/marketplace/installed/{appId}/uninstall. Which one is live is not confirmed.
    path="/v1/apps/installed/{appId}/uninstall",
    scope=Scope.TENANT,
    roles=APP_WRITE,
    response={200: None},
    confirmed=False,
    summary="Uninstall an app (refused while a collect or payout scheme uses it).",
    python=Method(
        doc=(
            "Uninstall an app; refused while any collect or payout scheme uses it.\n\n"
            "Experimental: path inferred from the tutorial's curl\n"
            "(``POST /v1/apps/installed/{appId}/uninstall``); the same page's text documents\n"
            "``POST /v1/marketplace/installed/{appId}/uninstall``, reachable with\n"
            "``client.request`` if this one is refused."
        ),
        example='await client.apps.uninstall("braintree_sdk")',
        args=(_APP_ID,),
    ),
)

TANGOCARD_CREATE_ACCOUNT: Operation[None] = Operation(
    name="apps.tangocard.create_account",
    method="POST",
    path="/v1/apps/installed/tangocard_raas/account",
    scope=Scope.TENANT,
    roles=APP_WRITE,
    response={200: None},
    summary="Create the Tango Card provider account of the installed TANGOCARD_RAAS app.",
    python=Method(
        doc="Create the Tango Card provider account behind the installed app.",
        example="await client.apps.tangocard.create_account()",
    ),
)

TANGOCARD_DEPOSIT_FUNDS: Operation[None] = Operation(
    name="apps.tangocard.deposit_funds",
    method="POST",
    path="/v1/apps/installed/tangocard_raas/deposit-funds",
    scope=Scope.TENANT,
    roles=APP_WRITE,
    response={200: None},
    body=DepositFundsInput,
    summary="Deposit funds into the Tango Card account (amount as a JSON number).",
    python=Method(
        doc="Deposit funds into the Tango Card account; ``amount`` is a ``Decimal`` (no floats).",
        example='await client.apps.tangocard.deposit_funds(Decimal("500.00"))',
        args=(Arg("amount", "Decimal | int | str", positional=True),),
        body=deposit_body,
    ),
)

OPERATIONS: tuple[Operation[object], ...] = (
    LIST_MARKETPLACE_APPS,
    GET_MARKETPLACE_APP,
    INSTALL_APP,
    CONFIGURE_APP,
    UNINSTALL_APP,
    TANGOCARD_CREATE_ACCOUNT,
    TANGOCARD_DEPOSIT_FUNDS,
)

_NO_PATH = "path not published in any public source ([GAP]); reach it with client.request()"
UNSUPPORTED: tuple[Unsupported, ...] = (
    Unsupported("apps", "List installed apps", _NO_PATH + " (likely GET /v1/apps/installed)"),
    Unsupported(
        "apps", "Get an installed app", _NO_PATH + " (likely GET /v1/apps/installed/{appId})"
    ),
    Unsupported(
        "apps",
        "Read an app's configuration (legacy)",
        "obsolete: GET /v1/marketplace/installed/{appId}/configuration appeared only in "
        "the 2019-05 docs",
    ),
)
