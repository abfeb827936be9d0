"""``client.customers``: the customer vault (``imburse-api.md`` §5.14), and waiting for an
asynchronous reward claim to settle."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Unpack

from ..._core.call import RequestOptions
from ..._core.errors import DeadlineExceededError, ValidationError
from ..._core.models.customers import (
    Customer,
    CustomerTransaction,
    CustomerUpdate,
    FinancialInstrument,
    MobileInstrument,
    MobileInstrumentInput,
    RewardClaimTarget,
    RewardClaimTransaction,
    check_uuid,
    reward_claim_ids,
)
from ..._core.operations.customers import (
    CREATE_MOBILE_INSTRUMENT,
    GET_CUSTOMER,
    GET_CUSTOMER_V2,
    GET_FINANCIAL_INSTRUMENT,
    GET_REWARD_TRANSACTION,
    GET_TRANSACTION,
    GET_WALLET,
    UPDATE_CUSTOMER,
    UPDATE_CUSTOMER_V2,
)
from ..._core.validation import check_ref
from ..._raw import async_raw
from ._base import AsyncResource

__all__ = ["AsyncCustomers"]


class AsyncCustomers(AsyncResource):
    """Customers in the vault, keyed by your ``customer_ref``, and their instruments."""

    async def get(self, customer_ref: str, **options: Unpack[RequestOptions]) -> Customer:
        """Read a customer with their financial instruments (v1: unknown customers fail).

        >>> customer = await client.customers.get("CUS-1")  # doctest: +SKIP
        >>> [fi.type for fi in customer.financial_instruments]  # doctest: +SKIP
        ['MANDATE:BACS_DIRECT_DEBIT']
        """
        check_ref("customer_ref", customer_ref)
        return await self._client._request(
            GET_CUSTOMER, path_params={"customerRef": customer_ref}, options=options
        )

    async def get_v2(self, customer_ref: str, **options: Unpack[RequestOptions]) -> Customer:
        """Read a customer through the v2 API, which creates the customer if missing.

        >>> customer = await client.customers.get_v2("CUS-NEW")  # doctest: +SKIP
        >>> customer.status  # doctest: +SKIP
        'ACTIVE'
        """
        check_ref("customer_ref", customer_ref)
        return await self._client._request(
            GET_CUSTOMER_V2, path_params={"customerRef": customer_ref}, options=options
        )

    async def update(
        self,
        customer_ref: str,
        *,
        metadata: Mapping[str, str],
        **options: Unpack[RequestOptions],
    ) -> None:
        """Replace a customer's metadata (Imburse answers 202 Accepted, no body).

        >>> await client.customers.update("CUS-1", metadata={"segment": "gold"})  # doctest: +SKIP
        """
        check_ref("customer_ref", customer_ref)
        body = CustomerUpdate(metadata=metadata)
        await self._client._request(
            UPDATE_CUSTOMER, path_params={"customerRef": customer_ref}, body=body, options=options
        )

    async def update_v2(
        self,
        customer_ref: str,
        *,
        metadata: Mapping[str, str],
        **options: Unpack[RequestOptions],
    ) -> None:
        """Replace a customer's metadata through the v2 API (202 Accepted, no body).

        >>> await client.customers.update_v2("CUS-1", metadata={"segment": "gold"})  # doctest: +SKIP
        """
        check_ref("customer_ref", customer_ref)
        body = CustomerUpdate(metadata=metadata)
        await self._client._request(
            UPDATE_CUSTOMER_V2,
            path_params={"customerRef": customer_ref},
            body=body,
            options=options,
        )

    async def get_wallet(self, customer_ref: str, **options: Unpack[RequestOptions]) -> Customer:
        """Read a customer's wallet: their instruments, each with ``wallet.enabled``.

        >>> wallet = await client.customers.get_wallet("CUS-1")  # doctest: +SKIP
        >>> [fi.wallet.enabled for fi in wallet.financial_instruments]  # doctest: +SKIP
        [True]
        """
        check_ref("customer_ref", customer_ref)
        return await self._client._request(
            GET_WALLET, path_params={"customerRef": customer_ref}, options=options
        )

    async def get_financial_instrument(
        self, customer_ref: str, financial_instrument_id: str, **options: Unpack[RequestOptions]
    ) -> FinancialInstrument:
        """Read one financial instrument of a customer.

        Experimental: path inferred from ``_links`` in Imburse's answers (method GET assumed).

        >>> fi = await client.customers.get_financial_instrument("CUS-1", fi_id)  # doctest: +SKIP
        >>> fi.details.mandate_reference  # doctest: +SKIP
        'MANDATE-0001'
        """
        check_ref("customer_ref", customer_ref)
        check_uuid("financial_instrument_id", financial_instrument_id)
        return await self._client._request(
            GET_FINANCIAL_INSTRUMENT,
            path_params={
                "customerRef": customer_ref,
                "financialInstrumentId": financial_instrument_id,
            },
            options=options,
        )

    async def get_transaction(
        self,
        customer_ref: str,
        financial_instrument_id: str,
        transaction_id: str,
        **options: Unpack[RequestOptions],
    ) -> CustomerTransaction:
        """Read one transaction of a financial instrument.

        Experimental: path inferred from ``_links`` in Imburse's answers (method GET assumed);
        the answer's shape is not published and is read like an instruction's transaction.

        >>> tx = await client.customers.get_transaction("CUS-1", fi_id, tx_id)  # doctest: +SKIP
        >>> tx.status  # doctest: +SKIP
        'SUCCESS'
        """
        check_ref("customer_ref", customer_ref)
        check_uuid("financial_instrument_id", financial_instrument_id)
        check_uuid("transaction_id", transaction_id)
        return await self._client._request(
            GET_TRANSACTION,
            path_params={
                "customerRef": customer_ref,
                "financialInstrumentId": financial_instrument_id,
                "transactionId": transaction_id,
            },
            options=options,
        )

    async def get_reward_transaction(
        self,
        customer_ref: str,
        financial_instrument_id: str,
        transaction_id: str,
        **options: Unpack[RequestOptions],
    ) -> RewardClaimTransaction:
        """Read a reward-claim transaction once (see :meth:`wait_for_reward_claim`).

        >>> tx = await client.customers.get_reward_transaction("CUS-1", fi_id, tx_id)  # doctest: +SKIP
        >>> tx.status  # doctest: +SKIP
        'SETTLING'
        """
        check_ref("customer_ref", customer_ref)
        check_uuid("financial_instrument_id", financial_instrument_id)
        check_uuid("transaction_id", transaction_id)
        return await self._client._request(
            GET_REWARD_TRANSACTION,
            path_params={
                "customerRef": customer_ref,
                "financialInstrumentId": financial_instrument_id,
                "transactionId": transaction_id,
            },
            options=options,
        )

    async def wait_for_reward_claim(
        self,
        location_or_ids: RewardClaimTarget,
        *,
        poll_interval: float = 1.0,
        **options: Unpack[RequestOptions],
    ) -> RewardClaimTransaction:
        """Poll a reward claim until it leaves ``SETTLING``; return the final transaction.

        ``location_or_ids`` is what :meth:`~AsyncInstructions.claim_reward` returned, its
        ``location`` URL, or ``(customer_ref, financial_instrument_id, transaction_id)``.
        Only the ids are taken from a URL: the call always goes to the client's own base URL.
        Polls every ``poll_interval`` seconds (Imburse suggests 1 s) within the call's
        ``deadline`` (all polls and sleeps included); raises
        :class:`~imburse.DeadlineExceededError` naming the transaction if it is still
        settling then. The result's ``status`` is ``SETTLED`` (see ``credential_list`` and
        ``redemption_instructions``) or ``FAILED``.

        >>> claim = await client.instructions.claim_reward("ORD-1", "INS-1", reward_id=rid)  # doctest: +SKIP
        >>> tx = await client.customers.wait_for_reward_claim(claim, deadline=120)  # doctest: +SKIP
        >>> [(c.label, c.value) for c in tx.credential_list]  # doctest: +SKIP
        [('Claim Code', '2A28-HVZ86C-GABK')]
        """
        customer_ref, instrument_id, transaction_id = reward_claim_ids(location_or_ids)
        if isinstance(poll_interval, bool) or not isinstance(poll_interval, int | float):
            raise ValidationError("poll_interval", f"must be a number (got {poll_interval!r})")
        if not poll_interval > 0:
            raise ValidationError("poll_interval", f"must be positive (got {poll_interval!r})")
        pipeline = self._client._pipeline
        deadline = options.get("deadline", self._client._defaults.deadline)
        deadline_at = pipeline.clock() + deadline
        polls = 0
        while True:
            poll: RequestOptions = {**options, "deadline": deadline_at - pipeline.clock()}
            result = await self.get_reward_transaction(
                customer_ref, instrument_id, transaction_id, **poll
            )
            polls += 1
            if not result.settling:
                return result
            if pipeline.clock() + poll_interval >= deadline_at:
                raise DeadlineExceededError(
                    f"reward claim transaction {transaction_id} (customer {customer_ref}) is "
                    f"still {result.status or 'without a status'} after {polls} poll(s) within "
                    f"the {deadline:g} s deadline",
                    correlation_id=result.correlation_id,
                )
            await pipeline.sleep(poll_interval)

    async def create_mobile_instrument(
        self,
        customer_ref: str,
        *,
        country_code: str,
        phone_number: str,
        **options: Unpack[RequestOptions],
    ) -> MobileInstrument:
        """Create a mobile-phone financial instrument; the same number gives the same id.

        Experimental: path observed only in Imburse's QA environment (not documented).

        >>> fi = await client.customers.create_mobile_instrument(
        ...     "CUS-1", country_code="44", phone_number="07738620344")  # doctest: +SKIP
        >>> fi.id  # doctest: +SKIP
        '3f2c...'
        """
        check_ref("customer_ref", customer_ref)
        body = MobileInstrumentInput(country_code=country_code, phone_number=phone_number)
        return await self._client._request(
            CREATE_MOBILE_INSTRUMENT,
            path_params={"customerRef": customer_ref},
            body=body,
            options=options,
        )

    @property
    def with_raw_response(self) -> AsyncCustomersWithRawResponse:
        """The same methods, returning :class:`~imburse.RawResponse` (status, headers, ids)."""
        return AsyncCustomersWithRawResponse(self)


class AsyncCustomersWithRawResponse:
    """``client.customers.with_raw_response``."""

    def __init__(self, customers: AsyncCustomers) -> None:
        self.get = async_raw(customers.get)
        self.get_v2 = async_raw(customers.get_v2)
        self.update = async_raw(customers.update)
        self.update_v2 = async_raw(customers.update_v2)
        self.get_wallet = async_raw(customers.get_wallet)
        self.get_financial_instrument = async_raw(customers.get_financial_instrument)
        self.get_transaction = async_raw(customers.get_transaction)
        self.get_reward_transaction = async_raw(customers.get_reward_transaction)
        self.wait_for_reward_claim = async_raw(customers.wait_for_reward_claim)
        self.create_mobile_instrument = async_raw(customers.create_mobile_instrument)
