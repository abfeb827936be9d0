"""The exception tree every part of the SDK raises.

Errors are values a caller inspects (status, codes, both correlation ids, the operation and
its path parameters) and logs, so they must survive a trip to another process and must never
carry a secret: nothing here stores request headers, only the response's.

Two trips are supported:

* ``pickle`` (multiprocessing, Celery's pickle serializer) keeps every attribute;
* Celery's default JSON result serializer stores ``type(e).__module__``, the class name and
  ``e.args``, and rebuilds the error as ``cls(*args)``. So every public class lives under
  ``imburse`` (its ``__module__``), and ``e.args`` is plain JSON data: ``(message,)`` or
  ``(message, state)``, where ``state`` is a dict of the error's fields (ids, status, error
  details as dicts, the body as text) that the constructor accepts positionally.
"""

from __future__ import annotations

import base64
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
    "GoneError",
    "ImburseError",
    "InternalServerError",
    "MissingExtraError",
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

# Echoed values (path parameters) are cut to this many characters in messages: a 10 MB ref
# must not become a 10 MB log line.
_SHOWN_CHARS = 60


@attrs.frozen
class ErrorDetail:
    """One entry of the ``errors`` array in an Imburse error body.

    ``error_code`` is ``errorCode`` in the classic body and ``title`` in a problem-details
    body; ``message`` is ``message`` or ``detail``; ``field`` names the request property the
    error is about, when the body says (``metadata.PropertyName``).

    >>> ErrorDetail("ORDER_ALREADY_EXISTS", "Order already exists.").error_code
    'ORDER_ALREADY_EXISTS'
    """

    error_code: str
    message: str = ""
    message_template: str = ""
    metadata: Mapping[str, str] = attrs.field(factory=dict)
    field: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON data (what ``e.args`` carries), read back by :meth:`from_dict`.

        >>> ErrorDetail.from_dict(ErrorDetail("A", "b").to_dict()) == ErrorDetail("A", "b")
        True
        """
        data: dict[str, Any] = {"error_code": self.error_code, "message": self.message}
        if self.message_template:
            data["message_template"] = self.message_template
        if self.metadata:
            data["metadata"] = dict(self.metadata)
        if self.field is not None:
            data["field"] = self.field
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> ErrorDetail:
        """The detail :meth:`to_dict` wrote (unknown keys ignored, wrong types dropped)."""
        metadata = data.get("metadata")
        return cls(
            error_code=_text(data.get("error_code")) or "",
            message=_text(data.get("message")) or "",
            message_template=_text(data.get("message_template")) or "",
            metadata={str(k): str(v) for k, v in metadata.items()}
            if isinstance(metadata, Mapping)
            else {},
            field=_text(data.get("field")),
        )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _body_state(body: bytes) -> dict[str, str]:
    # JSON has no bytes: UTF-8 text as is (readable in a result backend), anything else base64.
    try:
        return {"body": body.decode("utf-8")}
    except UnicodeDecodeError:
        return {"body_base64": base64.b64encode(body).decode("ascii")}


def _body_from(state: Mapping[str, object]) -> bytes:
    text = state.get("body")
    if isinstance(text, str):
        return text.encode("utf-8")
    encoded = state.get("body_base64")
    if isinstance(encoded, str):
        try:
            return base64.b64decode(encoded)
        except ValueError:
            return b""
    return b""


def _shown(value: str) -> str:
    """A value echoed in a message: quoted, escaped (no CR/LF) and cut short."""
    if len(value) > _SHOWN_CHARS:
        return repr(value[:_SHOWN_CHARS]) + "..."
    return repr(value)


def _printable(text: str) -> str:
    """``text`` with control characters escaped (``\\r``, ``\\n``, ``\\x1b``...).

    Ids and messages echoed into ``str(err)`` come from the server (or, before validation
    existed, the caller): a line break there would let them forge lines in a log.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _rebuild(cls: type[ImburseError], state: dict[str, Any]) -> ImburseError:
    err = cls.__new__(cls)
    err.__dict__.update(state)
    return err


class ImburseError(Exception):
    """Base class of every error this SDK raises.

    ``args`` is plain JSON data from which the class rebuilds an equal error
    (``type(e)(*e.args)``): what Celery's JSON result serializer relies on.

    >>> try:
    ...     raise ConfigurationError("IMBURSE_PUBLIC_KEY is not set")
    ... except ImburseError as err:
    ...     print(err)
    IMBURSE_PUBLIC_KEY is not set
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    # ``args`` follows the attributes (which the SDK may fill in after construction, such
    # as the operation's context), so it is computed rather than stored.
    @property
    def args(self) -> tuple[Any, ...]:
        """``(message,)`` or ``(message, state)``: JSON data that rebuilds this error."""
        state = self._state()
        return (self.message, state) if state else (self.message,)

    @args.setter
    def args(self, value: tuple[Any, ...]) -> None:
        # Rebuilding from new args re-runs the constructor, so attributes and args agree.
        type(self).__init__(self, *value)

    def _state(self) -> dict[str, Any]:
        return {}

    def __reduce__(self) -> tuple[Any, ...]:
        # Every attribute, as it is now, whatever a subclass's constructor looks like.
        return (_rebuild, (type(self), self.__dict__.copy()))

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}{self._repr_fields()})"

    def _repr_fields(self) -> str:
        return ""


class ConfigurationError(ImburseError):
    """The client cannot be built as configured (missing key, bad URL, malformed secret)."""


class MissingExtraError(ConfigurationError, ImportError):
    """An optional extra is not installed; the message names the ``pip install`` to run.

    Also an ``ImportError``, so ``try: import imburse.redis`` / ``except ImportError`` keeps
    working, but never a bare ``ModuleNotFoundError`` that names only a dependency's module.

    >>> err = MissingExtraError("imburse.redis needs the redis extra: pip install 'imburse[redis]'")
    >>> isinstance(err, ConfigurationError) and isinstance(err, ImportError)
    True
    """


class ClientStateError(ImburseError, RuntimeError):
    """The client cannot make calls in its present state: it was closed, or (async) it is
    used from an event loop other than the one it first ran on.

    An ``AsyncImburse`` holds connections and locks that belong to one event loop: create it
    where it is used (e.g. in the app's lifespan), one per loop.
    """


class ValidationError(ImburseError, ValueError):
    """An argument was rejected before any request was sent; ``field`` names it.

    >>> err = ValidationError("order_ref", "must be 1-50 characters")
    >>> (err.field, str(err), err.args)
    ('order_ref', 'order_ref: must be 1-50 characters', ('order_ref', 'must be 1-50 characters'))
    """

    def __init__(self, field: str, problem: str) -> None:
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem

    @property
    def args(self) -> tuple[Any, ...]:
        """``(field, problem)``, the constructor's arguments."""
        return (self.field, self.problem)

    @args.setter
    def args(self, value: tuple[Any, ...]) -> None:
        type(self).__init__(self, *value)


class APIError(ImburseError):
    """Something went wrong talking to Imburse.

    ``correlation_id`` is the id the SDK sent; ``operation`` (e.g. ``"orders.get"``) and
    ``path_params`` (e.g. ``{"order_ref": "ORD-1"}``) say which call failed.

    The constructor takes keyword arguments, or the ``state`` dict of ``e.args`` positionally
    (how Celery rebuilds an error); a keyword given wins over ``state``.

    >>> err = APIError("boom", correlation_id="c-1", operation="orders.get",
    ...                path_params={"order_ref": "ORD-1"})
    >>> str(err)
    "boom (orders.get order_ref='ORD-1'; correlation_id=c-1)"
    >>> str(type(err)(*err.args)) == str(err)
    True
    """

    def __init__(
        self,
        message: str,
        state: Mapping[str, object] | None = None,
        /,
        *,
        correlation_id: str | None = None,
        operation: str | None = None,
        path_params: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        state = state or {}
        self.correlation_id = (
            correlation_id if correlation_id is not None else _text(state.get("correlation_id"))
        )
        self.operation = operation if operation is not None else _text(state.get("operation"))
        if path_params is None:
            raw = state.get("path_params")
            path_params = (
                {str(k): str(v) for k, v in raw.items()} if isinstance(raw, Mapping) else {}
            )
        self.path_params: dict[str, str] = dict(path_params)

    def _state(self) -> dict[str, Any]:
        state: dict[str, Any] = {}
        if self.correlation_id is not None:
            state["correlation_id"] = self.correlation_id
        if self.operation is not None:
            state["operation"] = self.operation
        if self.path_params:
            state["path_params"] = dict(self.path_params)
        return state

    def _ids(self) -> list[str]:
        return [f"correlation_id={self.correlation_id}"] if self.correlation_id else []

    def _context(self) -> str:
        """`` (orders.get order_ref='ORD-1'; correlation_id=...)``, or empty."""
        call = ""
        if self.operation:
            params = " ".join(f"{k}={_shown(v)}" for k, v in self.path_params.items())
            call = f"{self.operation} {params}" if params else self.operation
        ids = ", ".join(self._ids())
        inner = "; ".join(part for part in (call, ids) if part)
        return f" ({inner})" if inner else ""

    def __str__(self) -> str:
        return _printable(self.message + self._context())

    def _repr_fields(self) -> str:
        return f", correlation_id={self.correlation_id!r}" if self.correlation_id else ""


class APIConnectionError(APIError):
    """The request could not be completed on the network (refused, reset, DNS, TLS...).

    ``host`` names the server the SDK tried to reach; the operating system's error, when
    there is one, is chained as ``__cause__``.
    """

    def __init__(
        self,
        message: str,
        state: Mapping[str, object] | None = None,
        /,
        *,
        correlation_id: str | None = None,
        operation: str | None = None,
        path_params: Mapping[str, str] | None = None,
        host: str | None = None,
    ) -> None:
        super().__init__(
            message,
            state,
            correlation_id=correlation_id,
            operation=operation,
            path_params=path_params,
        )
        self.host = host if host is not None else _text((state or {}).get("host"))

    def _state(self) -> dict[str, Any]:
        state = super()._state()
        if self.host is not None:
            state["host"] = self.host
        return state


class APITimeoutError(APIConnectionError):
    """A per-phase timeout (connect, read, write, pool) expired."""


class DeadlineExceededError(APITimeoutError):
    """The call's total deadline (all attempts, waits and sleeps) ran out."""


class OutcomeUnknownError(APIConnectionError):
    """A create may or may not have been applied; ``ref`` names the object to check.

    Raised only when retrying and reading the object back could not settle the outcome.
    """

    def __init__(
        self,
        message: str,
        state: Mapping[str, object] | None = None,
        /,
        *,
        ref: str | None = None,
        correlation_id: str | None = None,
        operation: str | None = None,
        path_params: Mapping[str, str] | None = None,
        host: str | None = None,
    ) -> None:
        super().__init__(
            message,
            state,
            correlation_id=correlation_id,
            operation=operation,
            path_params=path_params,
            host=host,
        )
        ref = ref if ref is not None else _text((state or {}).get("ref"))
        if ref is None:
            raise TypeError("OutcomeUnknownError needs ref= (the object to check)")
        self.ref = ref

    def _state(self) -> dict[str, Any]:
        return {**super()._state(), "ref": self.ref}


class ResponseDecodeError(APIError):
    """A response body could not be decoded into the documented shape."""

    def __init__(
        self,
        message: str,
        state: Mapping[str, object] | None = None,
        /,
        *,
        correlation_id: str | None = None,
        operation: str | None = None,
        path_params: Mapping[str, str] | None = None,
        status_code: int | None = None,
        body: bytes | None = None,
    ) -> None:
        super().__init__(
            message,
            state,
            correlation_id=correlation_id,
            operation=operation,
            path_params=path_params,
        )
        state = state or {}
        if status_code is None:
            number = _number(state.get("status_code"))
            status_code = None if number is None else int(number)
        self.status_code = status_code
        self.body = body if body is not None else _body_from(state)

    def _state(self) -> dict[str, Any]:
        state = super()._state()
        if self.status_code is not None:
            state["status_code"] = self.status_code
        if self.body:
            state.update(_body_state(self.body))
        return state

    def _repr_fields(self) -> str:
        status = f", status_code={self.status_code}" if self.status_code is not None else ""
        return status + super()._repr_fields()


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
        state: Mapping[str, object] | None = None,
        /,
        *,
        status_code: int | None = None,
        limit: int | None = None,
        correlation_id: str | None = None,
        operation: str | None = None,
        path_params: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            message,
            state,
            correlation_id=correlation_id,
            operation=operation,
            path_params=path_params,
        )
        state = state or {}
        if status_code is None:
            number = _number(state.get("status_code"))
            status_code = 0 if number is None else int(number)
        if limit is None:
            number = _number(state.get("limit"))
            limit = 0 if number is None else int(number)
        self.status_code = status_code
        self.limit = limit

    def _state(self) -> dict[str, Any]:
        state = super()._state()
        state["status_code"], state["limit"] = self.status_code, self.limit
        return state

    def _repr_fields(self) -> str:
        return f", status_code={self.status_code}, limit={self.limit}" + super()._repr_fields()


class APIStatusError(APIError):
    """Imburse answered with a non-success status.

    Carries everything from the error body, whichever of Imburse's error shapes it had:
    ``errors`` (each an :class:`ErrorDetail`, with the ``field`` it is about when the body
    says), ``error_code`` (the first code), ``server_correlation_id`` (Imburse's trace id)
    and ``retry_after`` (seconds, when the server asked for a pause).

    >>> err = NotFoundError("Order not found.", status_code=404, correlation_id="c-1",
    ...     errors=[ErrorDetail("ORDER_NOT_FOUND", "Order not found.")],
    ...     operation="orders.get", path_params={"order_ref": "ORD-1"})
    >>> print(err)
    404 ORDER_NOT_FOUND: Order not found. (orders.get order_ref='ORD-1'; correlation_id=c-1)
    >>> err
    NotFoundError('Order not found.', status_code=404, error_code='ORDER_NOT_FOUND', correlation_id='c-1')
    """

    def __init__(
        self,
        message: str,
        state: Mapping[str, object] | None = None,
        /,
        *,
        status_code: int | None = None,
        correlation_id: str | None = None,
        server_correlation_id: str | None = None,
        errors: Sequence[ErrorDetail] | None = None,
        retry_after: float | None = None,
        headers: Mapping[str, str] | None = None,
        body: bytes | None = None,
        operation: str | None = None,
        path_params: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            message,
            state,
            correlation_id=correlation_id,
            operation=operation,
            path_params=path_params,
        )
        state = state or {}
        if status_code is None:
            number = _number(state.get("status_code"))
            if number is None:
                raise TypeError(f"{type(self).__name__} needs status_code=")
            status_code = int(number)
        self.status_code: int = status_code
        self.server_correlation_id = (
            server_correlation_id
            if server_correlation_id is not None
            else _text(state.get("server_correlation_id"))
        )
        if errors is None:
            raw = state.get("errors")
            errors = (
                [ErrorDetail.from_dict(e) for e in raw if isinstance(e, Mapping)]
                if isinstance(raw, list)
                else []
            )
        self.errors: list[ErrorDetail] = list(errors)
        self.retry_after = (
            retry_after if retry_after is not None else _number(state.get("retry_after"))
        )
        if headers is None:
            raw_headers = state.get("headers")
            headers = (
                {str(k): str(v) for k, v in raw_headers.items()}
                if isinstance(raw_headers, Mapping)
                else {}
            )
        self.headers: dict[str, str] = dict(headers)
        self.body = body if body is not None else _body_from(state)

    def _state(self) -> dict[str, Any]:
        state = {**super()._state(), "status_code": self.status_code}
        if self.server_correlation_id is not None:
            state["server_correlation_id"] = self.server_correlation_id
        if self.errors:
            state["errors"] = [e.to_dict() for e in self.errors]
        if self.retry_after is not None:
            state["retry_after"] = self.retry_after
        if self.headers:
            state["headers"] = dict(self.headers)
        if self.body:
            state.update(_body_state(self.body))
        return state

    @property
    def error_code(self) -> str | None:
        """The first error code of the body, e.g. ``"ORDER_ALREADY_EXISTS"``."""
        return self.errors[0].error_code if self.errors and self.errors[0].error_code else None

    def _ids(self) -> list[str]:
        ids = super()._ids()
        if self.server_correlation_id:
            ids.append(f"server_correlation_id={self.server_correlation_id}")
        return ids

    def __str__(self) -> str:
        head = f"{self.status_code} {self.error_code}" if self.error_code else str(self.status_code)
        return _printable(f"{head}: {self.message}{self._context()}")

    def _repr_fields(self) -> str:
        code = f", error_code={self.error_code!r}" if self.error_code else ""
        return f", status_code={self.status_code}{code}{super()._repr_fields()}"


class BadRequestError(APIStatusError):
    """400: the request was rejected, usually by validation."""


class AuthenticationError(APIStatusError):
    """401: credentials missing, invalid or expired (on the token exchange: the key pair)."""


class RequestFailedError(APIStatusError):
    """402: the parameters were valid but the request failed."""


class PermissionDeniedError(APIStatusError):
    """403: the key's roles do not allow this operation."""


class NotFoundError(APIStatusError):
    """404, or a 400 whose error says the object was not found (v2 does that)."""


class ConflictError(APIStatusError):
    """409, or a create whose ref exists with different content."""


class GoneError(APIStatusError):
    """410: Imburse has withdrawn this operation; it will not work again, so do not retry.

    The current reference pages answer 410 Gone for the deprecated reward authorize/claim
    calls. The message says the operation was withdrawn, then what the server said:

    >>> print(error_for_status(410, operation="rewards.authorize"))
    410: Imburse has withdrawn this operation (410 Gone): Gone (rewards.authorize)
    """


class RateLimitError(APIStatusError):
    """429: too many requests; ``retry_after`` says how long the server asked to wait.

    Also raised without a request when the wait asked for (by the server or the client's
    rate-limit policy) does not fit in the call's deadline; the message says so.
    """


class InternalServerError(APIStatusError):
    """A 5xx status."""


# Tracebacks, ``pickle`` and Celery name a class by its module: the public one. Every error
# class defined here is public (exported from ``imburse``), so none can be forgotten.
for _cls in [ErrorDetail, *(v for v in tuple(globals().values()) if isinstance(v, type))]:
    if _cls is ErrorDetail or issubclass(_cls, ImburseError):
        _cls.__module__ = "imburse"
del _cls

_BY_STATUS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    402: RequestFailedError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    410: GoneError,
    429: RateLimitError,
}

# A 410 is a fact about the operation, not the request: the message leads with it.
_GONE_PREFIX = "Imburse has withdrawn this operation (410 Gone)"

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
    message: str | None = None,
    operation: str | None = None,
    path_params: Mapping[str, str] | None = None,
) -> APIStatusError:
    """Build the exception class that matches a status and error body.

    A 400 whose error says "... not found" is a :class:`NotFoundError` (v2 answers a missing
    order that way) when the request ``addressed`` an object in its path. A create on a
    collection path (``addressed=False``) keeps :class:`BadRequestError`: what was not found
    is something its body referred to, such as a scheme. ``message`` defaults to the first
    error's message, else the status's reason phrase.

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
    if not message:
        message = errors[0].message if errors and errors[0].message else _reason(status_code)
    if cls is GoneError and not message.startswith(_GONE_PREFIX):
        message = f"{_GONE_PREFIX}: {message}"
    return cls(
        message,
        status_code=status_code,
        correlation_id=correlation_id,
        server_correlation_id=server_correlation_id,
        errors=errors,
        retry_after=retry_after,
        headers=headers,
        body=body,
        operation=operation,
        path_params=path_params,
    )


def _reason(status_code: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return f"HTTP {status_code}"
