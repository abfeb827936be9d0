"""OpenTelemetry tracing of SDK calls, when ``opentelemetry-api`` is installed (``imburse[otel]``).

Native instrumentation, the way libraries do it: spans go to the global tracer provider, a
no-op until the application configures the OpenTelemetry SDK, so there is no switch to turn
on. For each call through a client's pipeline:

* a span named after the operation (``orders.get``; kind ``INTERNAL``) with
  ``imburse.operation``, ``imburse.correlation_id``, ``http.request.method``,
  ``server.address`` and ``server.port``; at the end ``http.response.status_code`` of the last
  answer, ``imburse.attempts``, and on failure ``error.type`` (the SDK's error class) with an
  ERROR status and the exception recorded;
* under it one ``CLIENT`` span per HTTP attempt, named ``{method} {path template}`` (HTTP
  client semantic conventions): ``http.request.method``, ``server.address``, ``server.port``,
  ``url.full`` (query values redacted), ``url.template``, ``http.request.resend_count`` from
  the second attempt on, ``http.response.status_code``, and ``error.type`` (the status code
  for an answer >= 400, or the transport failure's kind such as ``ConnectTimeout``);
* events on the call span: ``imburse.retry`` before each retry's back-off sleep
  (``imburse.attempt``, ``imburse.retry.delay_s`` and the failed attempt's status or
  ``error.type``) and ``imburse.wait`` when the rate-limit policy holds the call
  (``imburse.wait_s``).

A call whose span the provider does not record (no SDK configured, or sampled out) creates no
attempt spans and no events. The token exchange is a call of its own, under the call that
needed the token.

Without ``opentelemetry-api`` nothing here runs: :func:`client_telemetry` returns ``None``
once per client and the pipeline keeps its plain methods. ``opentelemetry`` itself is imported
on a client's first call (importing it takes tens of milliseconds), never by ``import imburse``
nor by building a client.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Awaitable, Callable
from contextvars import ContextVar, Token
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import urlsplit

from ._core.call import CallTrace, HTTPResponse, TransportFailure
from ._version import __version__

if TYPE_CHECKING:
    from types import TracebackType

    from opentelemetry.context import Context
    from opentelemetry.trace import Span, Tracer

    from ._core.build import PreparedRequest
    from ._core.config import Timeouts
    from ._core.operations import Operation

__all__ = ["AsyncTransportSend", "Telemetry", "TransportSend", "client_telemetry"]

# The call being traced in this task or thread; None outside a recorded call.
_CALL: ContextVar[_Call | None] = ContextVar("imburse_otel_call", default=None)
_SCHEMA_URL = "https://opentelemetry.io/schemas/1.26.0"


class _Api:
    """The parts of ``opentelemetry`` used per call, imported once (by the first call)."""

    def __init__(self) -> None:
        from opentelemetry import context, trace

        self.attach = context.attach
        self.detach = context.detach
        self.set_span_in_context = trace.set_span_in_context
        self.get_tracer = trace.get_tracer
        self.internal = trace.SpanKind.INTERNAL
        self.client = trace.SpanKind.CLIENT
        self.error = trace.StatusCode.ERROR


_API: _Api | None = None


def _api() -> _Api:
    global _API  # one import per process, on the first traced call
    if _API is None:
        _API = _Api()
    return _API


AsyncTransportSend = Callable[["PreparedRequest", "Timeouts"], Awaitable[HTTPResponse]]
TransportSend = Callable[["PreparedRequest", "Timeouts"], HTTPResponse]


# ``AsyncPipeline.send`` and ``Pipeline.send``: the wrappers keep their signatures.
_AsyncCallSend = TypeVar("_AsyncCallSend", bound=Callable[..., Awaitable[HTTPResponse]])
_CallSend = TypeVar("_CallSend", bound=Callable[..., HTTPResponse])


def client_telemetry(base_url: str) -> Telemetry | None:
    """A :class:`Telemetry` for a client of ``base_url``, or ``None`` without OpenTelemetry.

    Asked once per client. Finding the module does not import it.

    >>> telemetry = client_telemetry("https://api.imbursepayments.com")
    >>> telemetry is None or telemetry.server["server.port"] == 443
    True
    """
    try:
        spec = importlib.util.find_spec("opentelemetry.trace")
    except (ImportError, ValueError):  # no opentelemetry package (or a None in sys.modules)
        return None
    return None if spec is None else Telemetry(base_url)


def _redacted_url(url: str) -> str:
    """``url`` with every query value replaced: values may identify a customer."""
    base, mark, query = url.partition("?")
    if not mark:
        return url
    names = [part.partition("=")[0] for part in query.split("&") if part]
    return base + "?" + "&".join(f"{name}=REDACTED" for name in names)


class Telemetry:
    """Wraps one client's pipeline ``send`` and transport ``send`` in spans."""

    def __init__(self, base_url: str) -> None:
        parts = urlsplit(base_url)
        self.server: dict[str, Any] = {"server.address": parts.hostname or ""}
        port = parts.port or {"https": 443, "http": 80}.get(parts.scheme)
        if port is not None:
            self.server["server.port"] = port
        # Taken on the first call (which imports opentelemetry). A tracer from the global
        # provider follows a provider the application configures later.
        self.tracer: Tracer | None = None

    def _start(self, operation: Operation[Any], trace: CallTrace) -> _Call | None:
        """The call's span, or ``None`` when the provider does not record it."""
        api = _api()
        tracer = self.tracer
        if tracer is None:
            tracer = self.tracer = api.get_tracer("imburse", __version__, schema_url=_SCHEMA_URL)
        attributes = {
            "imburse.operation": operation.name,
            "imburse.correlation_id": trace.correlation_id,
            "http.request.method": operation.method,
            **self.server,
        }
        span = tracer.start_span(operation.name, kind=api.internal, attributes=attributes)
        if not span.is_recording():
            span.end()
            return None
        return _Call(self, span, operation, trace)

    # --- wrappers installed by the pipelines ---------------------------------------------

    def async_traced_call(self, send: _AsyncCallSend) -> _AsyncCallSend:
        """``AsyncPipeline.send`` in a call span."""

        async def traced(
            operation: Operation[Any],
            request: PreparedRequest,
            trace: CallTrace,
            *,
            timeouts: Timeouts,
            max_retries: int,
        ) -> HTTPResponse:
            call = self._start(operation, trace)
            if call is None and _CALL.get() is None:
                return await send(
                    operation, request, trace, timeouts=timeouts, max_retries=max_retries
                )
            with _Scope(call):
                response = await send(
                    operation, request, trace, timeouts=timeouts, max_retries=max_retries
                )
                if call is not None:
                    call.span.set_attribute("http.response.status_code", response.status)
                return response

        return cast("_AsyncCallSend", traced)

    def sync_traced_call(self, send: _CallSend) -> _CallSend:
        """``Pipeline.send`` (sync) in a call span."""

        def traced(
            operation: Operation[Any],
            request: PreparedRequest,
            trace: CallTrace,
            *,
            timeouts: Timeouts,
            max_retries: int,
        ) -> HTTPResponse:
            call = self._start(operation, trace)
            if call is None and _CALL.get() is None:
                return send(operation, request, trace, timeouts=timeouts, max_retries=max_retries)
            with _Scope(call):
                response = send(
                    operation, request, trace, timeouts=timeouts, max_retries=max_retries
                )
                if call is not None:
                    call.span.set_attribute("http.response.status_code", response.status)
                return response

        return cast("_CallSend", traced)

    def async_traced_attempt(self, send: AsyncTransportSend) -> AsyncTransportSend:
        """A transport's ``send`` in an attempt span (inside a recorded call only)."""

        async def traced(request: PreparedRequest, timeouts: Timeouts) -> HTTPResponse:
            call = _CALL.get()
            if call is None:
                return await send(request, timeouts)
            with _Attempt(call, request) as attempt:
                return attempt.answered(await send(request, timeouts))

        return traced

    def sync_traced_attempt(self, send: TransportSend) -> TransportSend:
        """A sync transport's ``send`` in an attempt span (inside a recorded call only)."""

        def traced(request: PreparedRequest, timeouts: Timeouts) -> HTTPResponse:
            call = _CALL.get()
            if call is None:
                return send(request, timeouts)
            with _Attempt(call, request) as attempt:
                return attempt.answered(send(request, timeouts))

        return traced

    # --- events, called by the pipelines -------------------------------------------------

    def retrying(
        self, trace: CallTrace, delay: float, status: int | None, failure: TransportFailure | None
    ) -> None:
        """Attempt ``trace.attempts`` failed; the next one follows in ``delay`` seconds."""
        call = _CALL.get()
        if call is None:
            return
        attributes: dict[str, Any] = {
            "imburse.attempt": trace.attempts,
            "imburse.retry.delay_s": delay,
        }
        if status is not None:
            attributes["http.response.status_code"] = status
        elif failure is not None:
            attributes["error.type"] = failure.kind
        call.span.add_event("imburse.retry", attributes)

    def waiting(self, wait: float) -> None:
        """The rate-limit policy holds the call for ``wait`` seconds."""
        call = _CALL.get()
        if call is not None:
            call.span.add_event("imburse.wait", {"imburse.wait_s": wait})


class _Call:
    """A recorded call: its span and what its attempt spans need."""

    __slots__ = ("attempts", "operation", "span", "telemetry", "trace")

    def __init__(
        self, telemetry: Telemetry, span: Span, operation: Operation[Any], trace: CallTrace
    ) -> None:
        self.telemetry = telemetry
        self.span = span
        self.operation = operation
        self.trace = trace
        self.attempts = 0


class _Scope:
    """Makes ``call`` the current call (its span the current span) until exit, then ends its
    span; a ``None`` call hides an outer call from the attempts of an unrecorded inner one."""

    __slots__ = ("_call", "_context", "_state")

    def __init__(self, call: _Call | None) -> None:
        self._call = call
        self._context: Token[Context] | None = None
        self._state: Token[_Call | None] | None = None

    def __enter__(self) -> None:
        call = self._call
        if call is not None:
            api = _api()
            self._context = api.attach(api.set_span_in_context(call.span))
        self._state = _CALL.set(call)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._state is not None
        _CALL.reset(self._state)
        call = self._call
        if call is None:
            return
        api = _api()
        if self._context is not None:
            api.detach(self._context)
        span = call.span
        span.set_attribute("imburse.attempts", call.trace.attempts)
        if error is not None:
            status = getattr(error, "status_code", None)  # an APIError's, when there was one
            if isinstance(status, int):
                span.set_attribute("http.response.status_code", status)
            span.set_attribute("error.type", type(error).__qualname__)
            span.record_exception(error)
            span.set_status(api.error, f"{type(error).__qualname__}: {error}")
        span.end()


class _Attempt:
    """One attempt's CLIENT span, current while the transport sends (so an instrumented HTTP
    library's own spans nest under it)."""

    __slots__ = ("_context", "_span")

    def __init__(self, call: _Call, request: PreparedRequest) -> None:
        call.attempts += 1
        operation = call.operation
        attributes: dict[str, Any] = {
            "http.request.method": request.method,
            **call.telemetry.server,
            "url.full": _redacted_url(request.url),
            "url.template": operation.path,
            "imburse.correlation_id": call.trace.correlation_id,
        }
        if call.attempts > 1:
            attributes["http.request.resend_count"] = call.attempts - 1
        tracer = call.telemetry.tracer
        assert tracer is not None  # taken by the call that made ``call``
        self._span = tracer.start_span(
            f"{request.method} {operation.path}", kind=_api().client, attributes=attributes
        )
        self._context: Token[Context] | None = None

    def __enter__(self) -> _Attempt:
        api = _api()
        self._context = api.attach(api.set_span_in_context(self._span))
        return self

    def answered(self, response: HTTPResponse) -> HTTPResponse:
        status = response.status
        self._span.set_attribute("http.response.status_code", status)
        if status >= 400:
            self._span.set_attribute("error.type", str(status))
            self._span.set_status(_api().error)
        return response

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        api = _api()
        if self._context is not None:
            api.detach(self._context)
        span = self._span
        if error is not None:
            reason = error.kind if isinstance(error, TransportFailure) else type(error).__qualname__
            span.set_attribute("error.type", reason)
            span.set_status(api.error, reason)
        span.end()
