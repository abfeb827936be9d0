"""``client.apps``: the marketplace and the tenant's installed apps (``imburse-api.md`` §5.8)."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Unpack

from ..._core.call import RequestOptions
from ..._core.models._checks import check_app_id
from ..._core.models.apps import (
    App,
    AppConfiguration,
    BraintreeConfigurationInput,
    DepositFundsInput,
    MarketplaceApps,
    check_configuration,
)
from ..._core.operations.apps import (
    CONFIGURE_APP,
    GET_MARKETPLACE_APP,
    INSTALL_APP,
    LIST_MARKETPLACE_APPS,
    TANGOCARD_CREATE_ACCOUNT,
    TANGOCARD_DEPOSIT_FUNDS,
    UNINSTALL_APP,
)
from ..._raw import async_raw
from ._base import AsyncResource

if TYPE_CHECKING:
    from ..client import AsyncImburse

__all__ = ["AsyncApps", "AsyncTangoCard"]


class AsyncApps(AsyncResource):
    """Marketplace apps (payment and reward providers) and the ones installed in the tenant.

    App ids are written upper-case (``BRAINTREE_SDK``) or lower-case (``braintree_sdk``) in the
    docs; they are sent as given. Listing or reading *installed* apps has no published path.
    """

    def __init__(self, client: AsyncImburse) -> None:
        super().__init__(client)
        self.tangocard = AsyncTangoCard(client)

    async def list_marketplace(self, **options: Unpack[RequestOptions]) -> MarketplaceApps:
        """The apps the tenant may install.

        >>> [app.app_id for app in (await client.apps.list_marketplace()).apps]  # doctest: +SKIP
        ['BRAINTREE_SDK', 'TANGOCARD_RAAS']
        """
        return await self._client._request(LIST_MARKETPLACE_APPS, options=options)

    async def get_marketplace(self, app_id: str, **options: Unpack[RequestOptions]) -> App:
        """One marketplace app with its payment methods, countries and currencies.

        >>> app = await client.apps.get_marketplace("BRAINTREE_SDK")  # doctest: +SKIP
        >>> [m.id for m in app.supported_payment_methods]  # doctest: +SKIP
        ['VISA', 'MASTERCARD', 'PAYPAL']
        """
        check_app_id("app_id", app_id)
        return await self._client._request(
            GET_MARKETPLACE_APP, path_params={"appId": app_id}, options=options
        )

    async def install(
        self,
        app_id: str,
        *,
        configuration: Mapping[str, Any] | BraintreeConfigurationInput | None = None,
        **options: Unpack[RequestOptions],
    ) -> None:
        """Install a marketplace app (one instance per app and tenant).

        The body is usually empty; one tutorial sends the app's configuration here, which
        ``configuration=`` does. Configure later with :meth:`configure` otherwise.

        >>> await client.apps.install("tangocard_raas")  # doctest: +SKIP
        """
        check_app_id("app_id", app_id)
        body = None if configuration is None else check_configuration(configuration)
        await self._client._request(
            INSTALL_APP, path_params={"appId": app_id}, body=body, options=options
        )

    async def configure(
        self,
        app_id: str,
        configuration: Mapping[str, Any] | BraintreeConfigurationInput,
        **options: Unpack[RequestOptions],
    ) -> AppConfiguration:
        """Configure an installed app with its app-specific JSON; Imburse echoes it back.

        Pass a mapping with the app's own (camelCase) keys, or a
        :class:`~imburse._core.models.apps.BraintreeConfigurationInput`.

        >>> await client.apps.configure("braintree_sdk", BraintreeConfigurationInput(
        ...     merchant_id="m", public_key="pk", private_key="sk",
        ...     settings=[{"currency": "GBP", "countries": ["GB"], "merchant_account_id": "a"}],
        ... ))  # doctest: +SKIP
        """
        check_app_id("app_id", app_id)
        body = check_configuration(configuration)
        return await self._client._request(
            CONFIGURE_APP, path_params={"appId": app_id}, body=body, options=options
        )

    async def uninstall(self, app_id: str, **options: Unpack[RequestOptions]) -> None:
        """Uninstall an app; refused while any collect or payout scheme uses it.

        Experimental: path inferred from the tutorial's curl
        (``POST /v1/apps/installed/{appId}/uninstall``); the same page's text documents
        ``POST /v1/marketplace/installed/{appId}/uninstall``, reachable with
        ``client.request`` if this one is refused.

        >>> await client.apps.uninstall("braintree_sdk")  # doctest: +SKIP
        """
        check_app_id("app_id", app_id)
        await self._client._request(UNINSTALL_APP, path_params={"appId": app_id}, options=options)

    @property
    def with_raw_response(self) -> AsyncAppsWithRawResponse:
        """The same methods, returning :class:`~imburse.RawResponse`."""
        return AsyncAppsWithRawResponse(self)


class AsyncTangoCard(AsyncResource):
    """``client.apps.tangocard``: the installed Tango Card (``TANGOCARD_RAAS``) reward app."""

    async def create_account(self, **options: Unpack[RequestOptions]) -> None:
        """Create the Tango Card provider account behind the installed app.

        >>> await client.apps.tangocard.create_account()  # doctest: +SKIP
        """
        await self._client._request(TANGOCARD_CREATE_ACCOUNT, options=options)

    async def deposit_funds(
        self, amount: Decimal | int | str, **options: Unpack[RequestOptions]
    ) -> None:
        """Deposit funds into the Tango Card account; ``amount`` is a ``Decimal`` (no floats).

        >>> await client.apps.tangocard.deposit_funds(Decimal("500.00"))  # doctest: +SKIP
        """
        deposit = DepositFundsInput(amount=amount)
        await self._client._request(
            TANGOCARD_DEPOSIT_FUNDS, body=deposit.to_json(), options=options
        )

    @property
    def with_raw_response(self) -> AsyncTangoCardWithRawResponse:
        """The same methods, returning :class:`~imburse.RawResponse`."""
        return AsyncTangoCardWithRawResponse(self)


class AsyncAppsWithRawResponse:
    """``client.apps.with_raw_response``."""

    def __init__(self, apps: AsyncApps) -> None:
        self.list_marketplace = async_raw(apps.list_marketplace)
        self.get_marketplace = async_raw(apps.get_marketplace)
        self.install = async_raw(apps.install)
        self.configure = async_raw(apps.configure)
        self.uninstall = async_raw(apps.uninstall)
        self.tangocard = AsyncTangoCardWithRawResponse(apps.tangocard)


class AsyncTangoCardWithRawResponse:
    """``client.apps.tangocard.with_raw_response``."""

    def __init__(self, tangocard: AsyncTangoCard) -> None:
        self.create_account = async_raw(tangocard.create_account)
        self.deposit_funds = async_raw(tangocard.deposit_funds)
