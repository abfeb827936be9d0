"""``AsyncImburse``: the async client. ``imburse/_sync/client.py`` is generated from this file."""

from __future__ import annotations

import copy
import time
import warnings
from collections.abc import Awaitable, Callable, Mapping
from functools import cached_property
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar, Unpack

import attrs

from .._core.build import build_request
from .._core.call import CallTrace, HTTPResponse, RequestOptions, new_correlation_id
from .._core.config import ClientConfig, Timeouts, resolve_config
from .._core.decode import decode_response
from .._core.models.receipts import CreateReceipt
from .._core.operations import Operation, adhoc_operation
from .._core.ratelimit import AsyncRateLimitPolicy, RateLimitPolicy, SharedCooldown
from .._core.retry import DefaultRetryPolicy, RetryPolicy
from .._locks import AsyncSleep, async_sleep
from .._raw import record_raw
from .pipeline import AsyncPipeline
from .reconcile import create_safely
from .token import AsyncSharedTokenCache
from .transport import AsyncTransport, async_transport_for

__all__ = ["AsyncImburse"]

if TYPE_CHECKING:
    import httpx

    from .resources.account import AsyncAccountResource
    from .resources.apps import AsyncApps
    from .resources.customers import AsyncCustomers
    from .resources.instructions import AsyncInstructions
    from .resources.mandates import AsyncMandates
    from .resources.orders import AsyncOrders
    from .resources.rewards import AsyncRewards
    from .resources.rewards_catalog import AsyncRewardGroups, AsyncRewardsCatalog
    from .resources.schemes import AsyncCollectSchemes, AsyncPayoutSchemes
    from .resources.tenants import AsyncTenants

T = TypeVar("T")
R = TypeVar("R")


@attrs.frozen
class _Defaults:
    """Per-client call defaults; ``with_options`` views override them."""

    timeouts: Timeouts
    deadline: float
    max_retries: int
    extra_headers: Mapping[str, str] = attrs.field(factory=dict)


class AsyncImburse:
    """The async Imburse client. Open one per process and share it.

    Arguments fall back to ``IMBURSE_PUBLIC_KEY``, ``IMBURSE_PRIVATE_KEY``,
    ``IMBURSE_ACCOUNT_ID``, ``IMBURSE_TENANT_ID``, ``IMBURSE_BASE_URL`` and
    ``IMBURSE_ENVIRONMENT`` (``"sandbox"`` by default, or ``"production"``).

    ``transport`` picks the HTTP stack: ``"httpx"`` (the default), ``"httpx2"``
    (``pip install 'imburse[httpx2]'``) or ``"aiohttp"`` (``pip install 'imburse[aiohttp]'``;
    asyncio only, so not for the sync client). ``http_client`` is an already configured client
    of that stack (``httpx.AsyncClient``, ``httpx2.AsyncClient`` or ``aiohttp.ClientSession``);
    the SDK then uses it through its public API and leaves closing it to you.

    ``max_response_bytes`` (16 MiB by default) bounds every answer the SDK reads, before
    and after decompression; a larger one raises :class:`~imburse.ResponseTooLargeError`.
    On the sync client the deadline also bounds every socket wait of the pool the SDK
    builds; an ``http_client`` of yours is outside that guarantee (its per-phase timeouts,
    clipped to the time left, are the bound).

    >>> async with AsyncImburse() as client:  # doctest: +SKIP
    ...     order = await client.orders.get("ORD-1")
    """

    def __init__(
        self,
        *,
        public_key: str | None = None,
        private_key: str | None = None,
        account_id: str | None = None,
        tenant_id: str | None = None,
        base_url: str | None = None,
        environment: str | None = None,
        timeout: float | httpx.Timeout | Timeouts | None = None,
        deadline: float | None = None,
        max_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        rate_limit_policy: RateLimitPolicy | AsyncRateLimitPolicy | None = None,
        token_cache: AsyncSharedTokenCache | None = None,
        max_concurrency: int | None = None,
        transport: str | AsyncTransport = "httpx",
        http_client: Any = None,
        strict: bool = False,
        max_response_bytes: int | None = None,
        clock: Callable[[], float] | None = None,
        wall_clock: Callable[[], float] | None = None,
        sleep: AsyncSleep | None = None,
    ) -> None:
        self._config: ClientConfig = resolve_config(
            public_key=public_key,
            private_key=private_key,
            account_id=account_id,
            tenant_id=tenant_id,
            base_url=base_url,
            environment=environment,
            timeout=timeout,
            deadline=deadline,
            max_retries=max_retries,
            strict=strict,
            max_response_bytes=max_response_bytes,
        )
        if max_concurrency is not None and max_concurrency < 1:
            from .._core.errors import ConfigurationError

            raise ConfigurationError("max_concurrency must be at least 1")
        self._pipeline = AsyncPipeline(
            self._config,
            async_transport_for(
                transport, http_client, max_response_bytes=self._config.max_response_bytes
            ),
            retry_policy=retry_policy or DefaultRetryPolicy(),
            rate_limit_policy=rate_limit_policy or SharedCooldown(),
            max_concurrency=max_concurrency,
            clock=clock or time.monotonic,
            wall_clock=wall_clock or time.time,
            sleep=sleep or async_sleep,
            token_cache=token_cache,
        )
        self._defaults = _Defaults(
            self._config.timeouts, self._config.deadline, self._config.max_retries
        )
        self._owner = True
        self._closed = False

    # --- API groups ---------------------------------------------------------------------
    # Each group's module, operations and models load the first time its attribute is used,
    # and the resource is then cached on the client: importing the SDK, and a job that only
    # reads orders, never pay for the other groups (issue 7: import time).

    _GROUPS = (
        "orders",
        "instructions",
        "customers",
        "rewards",
        "mandates",
        "apps",
        "collect_schemes",
        "payout_schemes",
        "reward_groups",
        "catalog",
        "account",
        "tenants",
    )

    def _bind(self) -> None:
        # A with_options view starts as a copy of its parent: its groups must call the view.
        for name in self._GROUPS:
            self.__dict__.pop(name, None)

    @cached_property
    def orders(self) -> AsyncOrders:
        """Payment orders, keyed by your ``order_ref``."""
        from .resources.orders import AsyncOrders

        return AsyncOrders(self)

    @cached_property
    def instructions(self) -> AsyncInstructions:
        """Instructions: one collection (``DEBIT``) or payout (``CREDIT``) each."""
        from .resources.instructions import AsyncInstructions

        return AsyncInstructions(self)

    @cached_property
    def customers(self) -> AsyncCustomers:
        """Customers in the vault and their instruments."""
        from .resources.customers import AsyncCustomers

        return AsyncCustomers(self)

    @cached_property
    def rewards(self) -> AsyncRewards:
        """Rewards for a customer (v2): authorize an amount, then claim a reward."""
        from .resources.rewards import AsyncRewards

        return AsyncRewards(self)

    @cached_property
    def mandates(self) -> AsyncMandates:
        """Mandates (v2, experimental)."""
        from .resources.mandates import AsyncMandates

        return AsyncMandates(self)

    @cached_property
    def apps(self) -> AsyncApps:
        """Marketplace apps and the ones installed in the tenant."""
        from .resources.apps import AsyncApps

        return AsyncApps(self)

    @cached_property
    def collect_schemes(self) -> AsyncCollectSchemes:
        """Collect schemes: which apps and payment methods collect which payments."""
        from .resources.schemes import AsyncCollectSchemes

        return AsyncCollectSchemes(self)

    @cached_property
    def payout_schemes(self) -> AsyncPayoutSchemes:
        """Payout schemes: which reward apps and groups pay out which amounts."""
        from .resources.schemes import AsyncPayoutSchemes

        return AsyncPayoutSchemes(self)

    @cached_property
    def reward_groups(self) -> AsyncRewardGroups:
        """Reward groups: named sets of catalog rewards."""
        from .resources.rewards_catalog import AsyncRewardGroups

        return AsyncRewardGroups(self)

    @cached_property
    def catalog(self) -> AsyncRewardsCatalog:
        """The rewards catalog of the tenant's reward apps."""
        from .resources.rewards_catalog import AsyncRewardsCatalog

        return AsyncRewardsCatalog(self)

    @cached_property
    def account(self) -> AsyncAccountResource:
        """The account behind the API key: settings, licence and keys."""
        from .resources.account import AsyncAccountResource

        return AsyncAccountResource(self)

    @cached_property
    def tenants(self) -> AsyncTenants:
        """Tenants: the business units of an account."""
        from .resources.tenants import AsyncTenants

        return AsyncTenants(self)

    # --- lifecycle ----------------------------------------------------------------------

    async def __aenter__(self) -> AsyncImburse:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool (a ``with_options`` view leaves it to its parent).

        ``async with AsyncImburse(...) as client:`` calls it on the way out.

        >>> await client.aclose()  # doctest: +SKIP
        """
        if self._owner and not self._closed:
            self._closed = True
            self._pipeline.guard.closed = True  # later calls raise ClientStateError
            await self._pipeline.transport.aclose()

    def __del__(self) -> None:
        # Never do I/O here (the loop may be gone); only tell the developer.
        if getattr(self, "_owner", False) and not getattr(self, "_closed", True):
            warnings.warn(
                f"{type(self).__name__} was not closed; use it as a context manager or call "
                "its close method",
                ResourceWarning,
                stacklevel=1,
            )

    def __repr__(self) -> str:
        creds = self._config.credentials
        return (
            f"{type(self).__name__}(base_url={self._config.base_url!r}, "
            f"account_id={creds.account_id!r}, tenant_id={creds.tenant_id!r}, "
            f"public_key={creds.public_key!r})"
        )

    # --- options ------------------------------------------------------------------------

    def with_options(
        self,
        *,
        timeout: float | httpx.Timeout | Timeouts | None = None,
        deadline: float | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AsyncImburse:
        """A view with other defaults, sharing this client's pool, token and rate limits.

        >>> patient = client.with_options(deadline=300, max_retries=5)  # doctest: +SKIP
        """
        view = copy.copy(self)
        view._owner = False
        view._defaults = attrs.evolve(
            self._defaults,
            timeouts=self._defaults.timeouts if timeout is None else Timeouts.coerce(timeout),
            deadline=self._defaults.deadline if deadline is None else float(deadline),
            max_retries=self._defaults.max_retries if max_retries is None else max_retries,
            extra_headers={**self._defaults.extra_headers, **(extra_headers or {})},
        )
        view._bind()
        return view

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        query: Mapping[str, Any] | None = None,
        scope: str = "tenant",
        idempotent: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> Any:
        """Call an endpoint the SDK does not model, through the same pipeline.

        The token, id headers, correlation id, deadline, retries and error mapping all apply.
        ``path`` is relative to the base URL (credentials never go to another host).
        ``scope`` is ``"tenant"`` (sends ``x-tenant-id``) or ``"account"``. A POST is retried
        after an unknown outcome only when you pass ``idempotent=True``. Returns the decoded
        JSON (non-integer numbers as ``Decimal``), or ``None`` for an empty body.

        >>> await client.request("GET", "/v2/mandates")  # doctest: +SKIP
        """
        operation = adhoc_operation(method, path, scope=scope, idempotent=idempotent)
        result: Any = await self._request(operation, body=json, query=query, options=options)
        return result

    @property
    def token_exchanges(self) -> int:
        """How many HMAC token exchanges this client (and its views) made so far."""
        return self._pipeline.tokens.exchanges

    # --- call helpers used by resources -------------------------------------------------

    def _prepare(
        self,
        operation: Operation[Any],
        options: RequestOptions,
        *,
        path_params: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
    ) -> tuple[Any, CallTrace, Timeouts, int]:
        defaults = self._defaults
        headers = defaults.extra_headers
        if "extra_headers" in options:
            headers = {**headers, **options["extra_headers"]}
        correlation_id = options.get("correlation_id") or new_correlation_id()
        request = build_request(
            operation,
            self._config,
            path_params=path_params,
            query=query,
            body=body,
            correlation_id=correlation_id,
            extra_headers=headers,
        )
        deadline = options.get("deadline", defaults.deadline)
        trace = CallTrace(correlation_id, deadline_at=self._pipeline.clock() + deadline)
        timeout = options.get("timeout")
        timeouts = defaults.timeouts if timeout is None else Timeouts.coerce(timeout)
        return request, trace, timeouts, options.get("max_retries", defaults.max_retries)

    async def _request(
        self,
        operation: Operation[R],
        *,
        options: RequestOptions,
        path_params: Mapping[str, str] | None = None,
        query: Mapping[str, Any] | None = None,
        body: Any = None,
    ) -> R:
        request, trace, timeouts, max_retries = self._prepare(
            operation, options, path_params=path_params, query=query, body=body
        )
        response = await self._pipeline.send(
            operation, request, trace, timeouts=timeouts, max_retries=max_retries
        )
        record_raw(response.status, response.headers, trace.correlation_id, trace.attempts)
        result: R = decode_response(
            operation,
            response.status,
            response.headers,
            response.body,
            correlation_id=trace.correlation_id,
            strict=self._config.strict,
            now=self._pipeline.wall_clock(),
        )
        return result

    async def _create(
        self,
        operation: Operation[None],
        *,
        body: Any,
        ref: str,
        created_status: int,
        read_back: Callable[[float, str], Awaitable[T]],
        differences: Callable[[T], list[str]],
        existing_ok: bool,
        options: RequestOptions,
        path_params: Mapping[str, str] | None = None,
    ) -> CreateReceipt:
        request, trace, timeouts, max_retries = self._prepare(
            operation, options, path_params=path_params, body=body
        )
        answers: list[HTTPResponse] = []

        async def send(trace: CallTrace) -> HTTPResponse:
            response = await self._pipeline.send(
                operation, request, trace, timeouts=timeouts, max_retries=max_retries
            )
            answers.append(response)
            return response

        async def read() -> T:
            remaining = trace.deadline_at - self._pipeline.clock()
            return await read_back(max(remaining, 1e-3), trace.correlation_id)

        receipt = await create_safely(
            send,
            trace,
            ref=ref,
            created_status=created_status,
            read_back=read,
            differences=differences,
            existing_ok=existing_ok,
        )
        headers = answers[-1].headers if answers else {}
        record_raw(receipt.status_code, headers, receipt.correlation_id, receipt.attempts)
        return receipt
