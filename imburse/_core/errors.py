"""The exception tree every part of the SDK raises.

Errors are values a caller inspects (status, codes, both correlation ids) and logs, so they
must be picklable (Celery, multiprocessing) and must never carry a secret: nothing here stores
request headers, only the response's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ClientStateError",
    "ConfigurationError",
    "ConflictError",
    "DeadlineExceededError",
    "ErrorDetail",
    "ImburseError",
    "InternalServerError",
    "NotFoundError",
    "OutcomeUnknownError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestFailedError",
    "ResponseDecodeError",
    "ResponseTooLargeError",
    "ValidationError",
    "error_for_status",
]


@attrs.frozen
class ErrorDetail:
    """One entry of the ``errors`` array in an Imburse error body.

    >>> ErrorDetail("ORDER_ALREADY_EXISTS", "Order already exists.").error_code
    'ORDER_ALREADY_EXISTS'
    """

    error_code: str
    message: str = ""
    message_template: str = ""
    metadata: Mapping[str, str] = attrs.field(factory=dict)


def _rebuild(cls: type[ImburseError], state: dict[str, Any]) -> ImburseError:
    err = cls.__new__(cls)
    err.__dict__.update(state)
    Exception.__init__(err, *state.get("_args", ()))
    return err


class ImburseError(Exception):
    """Base class of every error this SDK raises.

    >>> try:
    ...     raise ConfigurationError("IMBURSE_PUBLIC_KEY is not set")
    ... except ImburseError as err:
    ...     print(err)
    IMBURSE_PUBLIC_KEY is not set
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self._args: tuple[Any, ...] = (message,)

    def __reduce__(self) -> tuple[Any, ...]:
        # Subclasses take keyword-only arguments, which Exception's default pickling cannot
        # replay; rebuild from the instance dict instead.
        return (_rebuild, (type(self), self.__dict__.copy()))

    def __str__(self) -> str:
        return self.message


class ConfigurationError(ImburseError):
    """The client cannot be built as configured (missing key, bad URL, malformed secret)."""


class ClientStateError(ImburseError, RuntimeError):
    """The client cannot make calls in its present state: it was closed, or (async) it is
    used from an event loop other than the one it first ran on.

    An ``AsyncImburse`` holds connections and locks that belong to one event loop: create it
    where it is used (e.g. in the app's lifespan), one per loop.
    """


class ValidationError(ImburseError, ValueError):
    """An argument was rejected before any request was sent; ``field`` names it.

    >>> err = ValidationError("order_ref", "must be 1-50 characters")
    >>> (err.field, str(err))
    ('order_ref', 'order_ref: must be 1-50 characters')
    """

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


class APIError(ImburseError):
    """Something went wrong talking to Imburse. ``correlation_id`` is the id the SDK sent."""

    def __init__(self, message: str, *, correlation_id: str | None = None) -> None:
        super().__init__(message)
        self.correlation_id = correlation_id

    def __str__(self) -> str:
        if self.correlation_id:
            return f"{self.message} (correlation_id={self.correlation_id})"
        return self.message


class APIConnectionError(APIError):
    """The request could not be completed on the network (refused, reset, DNS, TLS...)."""


class APITimeoutError(APIConnectionError):
    """A per-phase timeout (connect, read, write, pool) expired."""


class DeadlineExceededError(APITimeoutError):
    """The call's total deadline (all attempts, waits and sleeps) ran out."""


class OutcomeUnknownError(APIConnectionError):
    """A create may or may not have been applied; ``ref`` names the object to check.

    Raised only when retrying and reading the object back could not settle the outcome.
    """

    def __init__(self, message: str, *, ref: str, correlation_id: str | None = None) -> None:
        super().__init__(message, correlation_id=correlation_id)
        self.ref = ref


class ResponseDecodeError(APIError):
    """A response body could not be decoded into the documented shape."""

    def __init__(
        self,
        message: str,
        *,
        correlation_id: str | None = None,
        status_code: int | None = None,
        body: bytes = b"",
    ) -> None:
        super().__init__(message, correlation_id=correlation_id)
        self.status_code = status_code
        self.body = body


class ResponseTooLargeError(APIError):
    """An answer was larger than the client's ``max_response_bytes`` (16 MiB by default).

    Counted as read from the network and again as decompressed, so a small gzip body that
    would inflate past the limit ends here too; reading stops at the limit. ``status_code``
    is the answer's HTTP status: for a create answered ``2xx`` the object was created even
    though its answer could not be read. Never retried.

    >>> err = ResponseTooLargeError("too large", status_code=200, limit=16)
    >>> err.status_code, err.limit
    (200, 16)
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        limit: int,
        correlation_id: str | None = None,
    ) -> None:
        super().__init__(message, correlation_id=correlation_id)
        self.status_code = status_code
        self.limit = limit


class APIStatusError(APIError):
    """Imburse answered with a non-success status.

    Carries everything from the error body: ``errors`` (each an :class:`ErrorDetail`),
    ``error_code`` (the first code), ``server_correlation_id`` (Imburse's trace id) and
    ``retry_after`` (seconds, when the server asked for a pause).
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        correlation_id: str | None = None,
        server_correlation_id: str | None = None,
        errors: Sequence[ErrorDetail] = (),
        retry_after: float | None = None,
        headers: Mapping[str, str] | None = None,
        body: bytes = b"",
    ) -> None:
        super().__init__(message, correlation_id=correlation_id)
        self.status_code = status_code
        self.server_correlation_id = server_correlation_id
        self.errors: list[ErrorDetail] = list(errors)
        self.retry_after = retry_after
        self.headers: dict[str, str] = dict(headers or {})
        self.body = body

    @property
    def error_code(self) -> str | None:
        """The first error code of the body, e.g. ``"ORDER_ALREADY_EXISTS"``."""
        return self.errors[0].error_code if self.errors else None

    def __str__(self) -> str:
        parts = [str(self.status_code)]
        if self.error_code:
            parts.append(self.error_code)
        text = " ".join(parts) + ": " + self.message
        ids = [f"correlation_id={self.correlation_id}"] if self.correlation_id else []
        if self.server_correlation_id:
            ids.append(f"server_correlation_id={self.server_correlation_id}")
        return f"{text} ({', '.join(ids)})" if ids else text


class BadRequestError(APIStatusError):
    """400: the request was rejected, usually by validation."""


class AuthenticationError(APIStatusError):
    """401: credentials missing, invalid or expired."""


class RequestFailedError(APIStatusError):
    """402: the parameters were valid but the request failed."""


class PermissionDeniedError(APIStatusError):
    """403: the key's roles do not allow this operation."""


class NotFoundError(APIStatusError):
    """404, or a 400 whose error says the object was not found (v2 does that)."""


class ConflictError(APIStatusError):
    """409, or a create whose ref exists with different content."""


class RateLimitError(APIStatusError):
    """429: too many requests; ``retry_after`` says how long the server asked to wait."""


class InternalServerError(APIStatusError):
    """A 5xx status."""


_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: RequestFailedError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}

_NOT_FOUND_TEXT = re.compile(r"\bnot found\b", re.IGNORECASE)


def _is_not_found(errors: Sequence[ErrorDetail]) -> bool:
    return any(
        e.error_code.endswith("_NOT_FOUND") or _NOT_FOUND_TEXT.search(e.message) for e in errors
    )


def error_for_status(
    status_code: int,
    *,
    errors: Sequence[ErrorDetail] = (),
    server_correlation_id: str | None = None,
    correlation_id: str | None = None,
    retry_after: float | None = None,
    headers: Mapping[str, str] | None = None,
    body: bytes = b"",
    addressed: bool = True,
) -> APIStatusError:
    """Build the exception class that matches a status and error body.

    A 400 whose error says "... not found" is a :class:`NotFoundError` (v2 answers a missing
    order that way) when the request ``addressed`` an object in its path. A create on a
    collection path (``addressed=False``) keeps :class:`BadRequestError`: what was not found
    is something its body referred to, such as a scheme.

    >>> err = error_for_status(400, errors=[ErrorDetail("ORDER_NOT_FOUND", "Order not found.")])
    >>> type(err).__name__, err.status_code
    ('NotFoundError', 400)
    >>> type(error_for_status(400, errors=[ErrorDetail("", "Scheme not found.")], addressed=False)).__name__
    'BadRequestError'
    """
    if status_code >= 500:
        cls: type[APIStatusError] = InternalServerError
    elif status_code == 400 and addressed and _is_not_found(errors):
        cls = NotFoundError
    else:
        cls = _BY_STATUS.get(status_code, APIStatusError)
    message = errors[0].message if errors and errors[0].message else _reason(status_code)
    return cls(
        message,
        status_code=status_code,
        correlation_id=correlation_id,
        server_correlation_id=server_correlation_id,
        errors=errors,
        retry_after=retry_after,
        headers=headers,
        body=body,
    )


def _reason(status_code: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return f"HTTP {status_code}"
