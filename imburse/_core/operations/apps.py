"""Marketplace and installed apps (``imburse-api.md`` §5.8).

Paths drifted in 2019; the latest documented form is used. Headers A and T and the
``tenant-app-*`` roles are inferred by the notes for the whole group (2019 tutorials omit them).
"""

from __future__ import annotations

from ..models.apps import (
    App,
    AppConfiguration,
    DepositFundsInput,
    MarketplaceApps,
)
from ._base import Operation, Scope, Unsupported

__all__ = [
    "CONFIGURE_APP",
    "GET_MARKETPLACE_APP",
    "INSTALL_APP",
    "LIST_MARKETPLACE_APPS",
    "OPERATIONS",
    "TANGOCARD_CREATE_ACCOUNT",
    "TANGOCARD_DEPOSIT_FUNDS",
    "UNINSTALL_APP",
    "UNSUPPORTED",
]

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
)

GET_MARKETPLACE_APP: Operation[App] = Operation(
    name="apps.get_marketplace",
    method="GET",
    path="/v1/marketplace/apps/{appId}",
    scope=Scope.TENANT,
    roles=APP_READ,
    response={200: App},
    summary="Read one marketplace app: supported payment methods, countries, currencies.",
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
)

TANGOCARD_CREATE_ACCOUNT: Operation[None] = Operation(
    name="apps.tangocard.create_account",
    method="POST",
    path="/v1/apps/installed/tangocard_raas/account",
    scope=Scope.TENANT,
    roles=APP_WRITE,
    response={200: None},
    summary="Create the Tango Card provider account of the installed TANGOCARD_RAAS app.",
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
