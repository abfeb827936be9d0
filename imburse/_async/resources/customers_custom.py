"""The hand-written method of ``client.customers``: waiting for an asynchronous reward claim
to settle (polling). ``customers.py`` (generated) adds the plain calls.
"""

from __future__ import annotations

from typing import Unpack

from ..._core.call import RequestOptions, check_options
from ..._core.errors import DeadlineExceededError, ValidationError
from ..._core.models.customers import (
    RewardClaimTarget,
    RewardClaimTransaction,
    reward_claim_ids,
)
from ..._core.operations.customers import GET_REWARD_TRANSACTION
from ..._raw import RawResponse
from ..requestor import AsyncRequestor
from ._base import AsyncResource

__all__ = ["NO_RAW_TWIN", "AsyncCustomersCustom", "AsyncCustomersCustomRaw"]

NO_RAW_TWIN: dict[str, str] = {}


async def _wait_for_reward_claim(
    requestor: AsyncRequestor,
    location_or_ids: RewardClaimTarget,
    poll_interval: float,
    options: RequestOptions,
) -> RawResponse[RewardClaimTransaction]:
    """Poll until the claim leaves ``SETTLING``; the last poll's response."""
    customer_ref, instrument_id, transaction_id = reward_claim_ids(location_or_ids)
    if isinstance(poll_interval, bool) or not isinstance(poll_interval, int | float):
        raise ValidationError("poll_interval", f"must be a number (got {poll_interval!r})")
    if not poll_interval > 0:
        raise ValidationError("poll_interval", f"must be positive (got {poll_interval!r})")
    path = {
        "customerRef": customer_ref,
        "financialInstrumentId": instrument_id,
        "transactionId": transaction_id,
    }
    deadline = requestor.deadline(options)
    deadline_at = requestor.clock() + deadline
    polls = 0
    while True:
        poll: RequestOptions = {**options, "deadline": deadline_at - requestor.clock()}
        response = await requestor.send(GET_REWARD_TRANSACTION, path, options=poll)
        polls += 1
        result = response.parsed
        if not result.settling:
            return response
        if requestor.clock() + poll_interval >= deadline_at:
            raise DeadlineExceededError(
                f"reward claim transaction {transaction_id} (customer {customer_ref}) is "
                f"still {result.status or 'without a status'} after {polls} poll(s) within "
                f"the {deadline:g} s deadline",
                correlation_id=result.correlation_id,
            )
        await requestor.sleep(poll_interval)


class AsyncCustomersCustom(AsyncResource):
    """The hand-written methods of ``client.customers``."""

    async def wait_for_reward_claim(
        self,
        location_or_ids: RewardClaimTarget,
        *,
        poll_interval: float = 1.0,
        **options: Unpack[RequestOptions],
    ) -> RewardClaimTransaction:
        """Poll a reward claim until it leaves ``SETTLING``; return the final transaction.

        ``location_or_ids`` is what ``client.instructions.claim_reward`` returned, its
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
        if options:
            check_options(options, "customers.wait_for_reward_claim")
        response = await _wait_for_reward_claim(
            self._requestor, location_or_ids, poll_interval, options
        )
        return response.parsed


class AsyncCustomersCustomRaw(AsyncResource):
    """The raw twins of :class:`AsyncCustomersCustom`'s methods."""

    async def wait_for_reward_claim(
        self,
        location_or_ids: RewardClaimTarget,
        *,
        poll_interval: float = 1.0,
        **options: Unpack[RequestOptions],
    ) -> RawResponse[RewardClaimTransaction]:
        """Like ``client.customers.wait_for_reward_claim``, returning the last poll's whole
        :class:`~imburse.RawResponse`.

        >>> raw = await client.customers.with_raw_response.wait_for_reward_claim(claim)  # doctest: +SKIP
        """
        if options:
            check_options(options, "customers.wait_for_reward_claim")
        return await _wait_for_reward_claim(
            self._requestor, location_or_ids, poll_interval, options
        )
