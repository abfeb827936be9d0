"""The requestor: the one seam between resource methods and the client's pipeline.

A resource method names its :class:`~imburse._core.operations.Operation`, passes its
arguments and the caller's options, and gets back a :class:`~imburse.RawResponse` (status,
headers, correlation id, attempts and the decoded value). The ordinary method returns the
value, its ``with_raw_response`` twin the whole response. Resources know nothing else of the
client; a ``with_options`` view is the same pipeline behind a requestor with other defaults.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from .._core.build import build_request
from .._core.call import CallTrace, HTTPResponse, RequestOptions, new_correlation_id
from .._core.config import ClientConfig, Timeouts
from .._core.decode import decode_response
from .._core.errors import ResponseDecodeError
from .._core.models.receipts import CreateReceipt
from .._core.operations import Operation
from .._core.validation import check_extra_headers
from .._raw import RawResponse
from .pipeline import AsyncPipeline
from .reconcile import create_safely

if TYPE_CHECKING:
    from .._core.models.orders import Instruction, Order

__all__ = ["AsyncRequestor", "CallDefaults"]

R = TypeVar("R")
T = TypeVar("T")

_NO_OPTIONS: RequestOptions = {}


@attrs.frozen
class CallDefaults:
    """Per-client call defaults; a ``with_options`` view overrides some of them."""

    timeouts: Timeouts
    deadline: float
    max_retries: int
    extra_headers: Mapping[str, str] = attrs.field(factory=dict)


class AsyncRequestor:
    """Sends operations through one pipeline with one set of call defaults."""

    __slots__ = ("_config", "_defaults", "_pipeline", "_strict")

    def __init__(
        self, config: ClientConfig, pipeline: AsyncPipeline, defaults: CallDefaults
    ) -> None:
        self._config = config
        self._pipeline = pipeline
        self._defaults = defaults
        self._strict = config.strict

    def with_defaults(
        self,
        *,
        timeout: Timeouts | None = None,
        deadline: float | None = None,
        max_retries: int | None = None,
        extra_headers: Mapping[str, str] | None = None,
    ) -> AsyncRequestor:
        """A requestor on the same pipeline whose defaults differ where given."""
        defaults = self._defaults
        return AsyncRequestor(
            self._config,
            self._pipeline,
            CallDefaults(
                timeouts=defaults.timeouts if timeout is None else timeout,
                deadline=defaults.deadline if deadline is None else float(deadline),
                max_retries=defaults.max_retries if max_retries is None else max_retries,
                extra_headers={**defaults.extra_headers, **check_extra_headers(extra_headers)},
            ),
        )

    # --- for hand-written methods that wait between calls (polling) ---------------------

    def clock(self) -> float:
        """The pipeline's monotonic clock."""
        return self._pipeline.clock()

    async def sleep(self, seconds: float) -> None:
        """Sleep on the pipeline's sleep (injected in tests)."""
        await self._pipeline.sleep(seconds)

    def deadline(self, options: RequestOptions) -> float:
        """The deadline, in seconds, that a call with ``options`` gets."""
        return options.get("deadline", self._defaults.deadline)

    # --- calls --------------------------------------------------------------------------

    def _prepare(
        self,
        operation: Operation[Any],
        options: RequestOptions,
        path_params: Mapping[str, str] | None,
        query: Mapping[str, object] | None,
        body: object,
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

    async def send(
        self,
        operation: Operation[R],
        path_params: Mapping[str, str] | None = None,
        query: Mapping[str, object] | None = None,
        body: object = None,
        options: RequestOptions = _NO_OPTIONS,
    ) -> RawResponse[R]:
        """Send ``operation`` and decode its answer; raise the mapped error otherwise."""
        request, trace, timeouts, max_retries = self._prepare(
            operation, options, path_params, query, body
        )
        pipeline = self._pipeline
        response = await pipeline.send(
            operation, request, trace, timeouts=timeouts, max_retries=max_retries
        )
        parsed: R = decode_response(
            operation,
            response.status,
            response.headers,
            response.body,
            correlation_id=trace.correlation_id,
            strict=self._strict,
            now=pipeline.wall_clock(),
        )
        return RawResponse(
            response.status, response.headers, trace.correlation_id, trace.attempts, parsed
        )

    async def create(
        self,
        operation: Operation[None],
        *,
        body: object,
        ref: str,
        created_status: int,
        read_back: Callable[[RequestOptions], Awaitable[T]],
        differences: Callable[[T], list[str]],
        existing_ok: bool,
        options: RequestOptions,
        path_params: Mapping[str, str] | None = None,
        body_model: type[Order] | type[Instruction] | None = None,
    ) -> RawResponse[CreateReceipt]:
        """Send a create under the safe-create rule (see ``reconcile``).

        ``read_back(options)`` reads the stored object within what is left of this call's
        deadline, with its correlation id; ``differences`` compares it with what was sent.
        An answer that carries a body is decoded as ``body_model`` onto the receipt.
        """
        request, trace, timeouts, max_retries = self._prepare(
            operation, options, path_params, None, body
        )
        pipeline = self._pipeline
        answers: list[HTTPResponse] = []

        async def send(trace: CallTrace) -> HTTPResponse:
            response = await pipeline.send(
                operation, request, trace, timeouts=timeouts, max_retries=max_retries
            )
            answers.append(response)
            return response

        async def read() -> T:
            remaining = max(trace.deadline_at - pipeline.clock(), 1e-3)
            return await read_back({"deadline": remaining, "correlation_id": trace.correlation_id})

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
        if body_model is not None and answers and not receipt.reconciled:
            receipt = self._with_body(receipt, answers[-1].body, body_model)
        return RawResponse(
            receipt.status_code, headers, receipt.correlation_id, receipt.attempts, receipt
        )

    def _with_body(
        self, receipt: CreateReceipt, body: bytes, model: type[Order] | type[Instruction]
    ) -> CreateReceipt:
        # Creates are documented without a body; when one comes (the 2019 tutorial shows an
        # instruction on a 201) it is the created object: keep it rather than drop it.
        if not body.strip():
            return receipt
        from .._core.bodies import decode_model  # loaded with the first body seen

        try:
            decoded = decode_model(
                model, body, strict=self._strict, correlation_id=receipt.correlation_id
            )
        except ResponseDecodeError:
            if self._strict:
                raise
            # Lenient: the create was applied; a body we cannot read must not undo that.
            return receipt
        return attrs.evolve(receipt, body=decoded)
