"""``AsyncImburse``: the async client. ``imburse/_sync/client.py`` is generated from this file."""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from types import TracebackType
from typing import TYPE_CHECKING, Any, Literal, Unpack

from .._concurrency import AsyncSleep, async_sleep
from .._core.auth import Secret
from .._core.call import RequestOptions, check_options
from .._core.config import ClientConfig, Timeouts, resolve_config
from .._core.operations import adhoc_operation
from .._core.ratelimit import AsyncRateLimitPolicy, RateLimitPolicy, SharedCooldown
from .._core.retry import DefaultRetryPolicy, RetryPolicy
from .groups import AsyncGroups
from .pipeline import AsyncPipeline
from .requestor import AsyncRequestor, CallDefaults
from .token import AsyncSharedTokenCache
from .transport import AsyncTransport, async_transport_for

__all__ = ["AsyncImburse"]

if TYPE_CHECKING:
    import httpx

#: A query parameter's value: lists are sent comma-separated, ``None`` leaves it out.
QueryValue = str | int | Decimal | bool | Sequence[str] | None


class AsyncImburse(AsyncGroups):
    """The async Imburse client. Open one per process and share it.

    Arguments fall back to ``IMBURSE_PUBLIC_KEY``, ``IMBURSE_PRIVATE_KEY``,
    ``IMBURSE_ACCOUNT_ID``, ``IMBURSE_TENANT_ID``, ``IMBURSE_BASE_URL`` and
    ``IMBURSE_ENVIRONMENT`` (``"sandbox"`` by default, or ``"production"``).

    ``max_retry_after`` caps, in seconds, how long one answer's ``Retry-After`` may pause
    the client (300 by default): a server asking for longer is tried again after the cap.

    ``transport`` picks the HTTP stack: ``"httpx"`` (the default), ``"httpx2"``
    (``pip install 'imburse[httpx2]'``) or ``"aiohttp"`` (``pip install 'imburse[aiohttp]'``;
    asyncio only, so not for the sync client). ``http_client`` is an already configured client
    of that stack (``httpx.AsyncClient``, ``httpx2.AsyncClient`` or ``aiohttp.ClientSession``);
    the SDK then uses it through its public API and leaves closing it to you.

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
        max_retry_after: float | None = None,
        retry_policy: RetryPolicy | None = None,
        rate_limit_policy: RateLimitPolicy | AsyncRateLimitPolicy | None = None,
        token_cache: AsyncSharedTokenCache | None = None,
        max_concurrency: int | None = None,
        transport: str | AsyncTransport = "httpx",
        http_client: Any = None,
        strict: bool = False,
        clock: Callable[[], float] | None = None,
        wall_clock: Callable[[], float] | None = None,
        sleep: AsyncSleep | None = None,
    ) -> None:
        # Boxed at once: a ConfigurationError printed with its frames' locals (as error
        # trackers do) must not show the key.
        secret_key = None if private_key is None else Secret(private_key)
        del private_key
        self._config: ClientConfig = resolve_config(
            public_key=public_key,
            private_key=secret_key,
            account_id=account_id,
            tenant_id=tenant_id,
            base_url=base_url,
            environment=environment,
            timeout=timeout,
            deadline=deadline,
            max_retries=max_retries,
            strict=strict,
            max_retry_after=max_retry_after,
        )
        if max_concurrency is not None and max_concurrency < 1:
            from .._core.errors import ConfigurationError

            raise ConfigurationError("max_concurrency must be at least 1")
        pipeline = AsyncPipeline(
            self._config,
            async_transport_for(transport, http_client),
            retry_policy=retry_policy or DefaultRetryPolicy(),
            rate_limit_policy=rate_limit_policy
            or SharedCooldown(max_retry_after=self._config.max_retry_after),
            max_concurrency=max_concurrency,
            clock=clock or time.monotonic,
            wall_clock=wall_clock or time.time,
            sleep=sleep or async_sleep,
            token_cache=token_cache,
        )
        config = self._config
        defaults = CallDefaults(config.timeouts, config.deadline, config.max_retries)
        self._attach(pipeline, AsyncRequestor(config, pipeline, defaults), owner=True)

    def _attach(self, pipeline: AsyncPipeline, requestor: AsyncRequestor, *, owner: bool) -> None:
        # What a client is, for itself and its with_options views: the pipeline it owns (or
        # shares) and the requestor its API groups send through.
        self._pipeline = pipeline
        self._requestor = requestor
        self._owner = owner
        self._closed = False

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
        # Safe on a half-built client (its constructor raised): error reporters call repr()
        # on every frame's locals, and an AttributeError here would lose their report.
        config: ClientConfig | None = self.__dict__.get("_config")
        if config is None:
            return f"{type(self).__name__}(<not configured>)"
        creds = config.credentials
        return (
            f"{type(self).__name__}(base_url={config.base_url!r}, "
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
        view = object.__new__(type(self))
        view._config = self._config
        view._attach(
            self._pipeline,
            self._requestor.with_defaults(
                timeout=None if timeout is None else Timeouts.coerce(timeout),
                deadline=deadline,
                max_retries=max_retries,
                extra_headers=extra_headers,
            ),
            owner=False,
        )
        return view

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: object = None,
        params: Mapping[str, QueryValue] | None = None,
        query: Mapping[str, QueryValue] | None = None,
        scope: Literal["tenant", "account"] = "tenant",
        idempotent: bool | None = None,
        **options: Unpack[RequestOptions],
    ) -> Any:
        """Call an endpoint the SDK does not model, through the same pipeline.

        The token, id headers, correlation id, deadline, retries and error mapping all apply.
        ``path`` is relative to the base URL (credentials never go to another host) and is
        sent as written on every transport: query parameters go in ``params=`` (``query=`` is
        an alias kept from 0.1.0), and a path with a query string or a dot segment (``.``,
        ``..``, also percent-encoded) is refused with :class:`~imburse.ValidationError`.
        ``scope`` is ``"tenant"`` (sends ``x-tenant-id``) or ``"account"``. A POST is retried
        after an unknown outcome only when you pass ``idempotent=True``. Returns the decoded
        JSON (non-integer numbers as ``Decimal``), or ``None`` for an empty body.

        >>> await client.request("GET", "/v2/mandates", params={"take": 10})  # doctest: +SKIP
        """
        if options:
            check_options(options, "request")
        if query is not None:
            if params is not None:
                raise TypeError("request() takes params= or its alias query=, not both")
            params = query
        operation = adhoc_operation(method, path, scope=scope, idempotent=idempotent)
        response = await self._requestor.send(operation, None, params, json, options)
        return response.parsed

    @property
    def token_exchanges(self) -> int:
        """How many HMAC token exchanges this client (and its views) made so far."""
        return self._pipeline.tokens.exchanges
