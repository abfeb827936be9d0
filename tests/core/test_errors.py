"""Error responses (imburse-api.md §4) become the right exception, with every field kept."""

from __future__ import annotations

import json
import pickle
from typing import Any

import pytest

import imburse
from imburse._core.decode import decode_error, decode_response
from imburse._core.errors import (
    APIConnectionError,
    APIError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConfigurationError,
    ConflictError,
    DeadlineExceededError,
    ErrorDetail,
    ImburseError,
    InternalServerError,
    NotFoundError,
    OutcomeUnknownError,
    PermissionDeniedError,
    RateLimitError,
    RequestFailedError,
    ResponseDecodeError,
    ValidationError,
)
from imburse._core.operations import CREATE_ORDER, GET_ORDER

SERVER_ID = "0HLPSRAQ7S0I6:00000002"
OUR_ID = "5f0c7d2e-8a4b-4c1e-9d3f-2b6a1e0c9f77"


def error_body(
    code: str = "TENANT_ID_IS_REQUIRED",
    message: str = "Tenant id is required.",
    *,
    template: str = "Tenant id is required.",
    metadata: dict[str, str] | None = None,
) -> bytes:
    """A §4.2 error body, as Imburse sends it."""
    return json.dumps(
        {
            "timestamp": 1569248349,
            "correlationId": SERVER_ID,
            "errors": [
                {
                    "errorCode": code,
                    "message": message,
                    "messageTemplate": template,
                    "metadata": {"correlationId": OUR_ID, **(metadata or {})},
                }
            ],
        }
    ).encode()


STATUS_CLASSES: list[tuple[int, type[APIStatusError]]] = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (402, RequestFailedError),
    (403, PermissionDeniedError),
    (404, NotFoundError),
    (409, ConflictError),
    (429, RateLimitError),
    (500, InternalServerError),
    (502, InternalServerError),
    (503, InternalServerError),
]


@pytest.mark.parametrize(("status", "cls"), STATUS_CLASSES)
def test_status_maps_to_class_with_every_field(status: int, cls: type[APIStatusError]) -> None:
    body = error_body()
    headers = {"retry-after": "7", "content-type": "application/json"}
    err = decode_error(status, headers, body, correlation_id=OUR_ID, now=0)
    assert type(err) is cls
    assert err.status_code == status
    assert err.error_code == "TENANT_ID_IS_REQUIRED"
    assert err.errors == [
        ErrorDetail(
            error_code="TENANT_ID_IS_REQUIRED",
            message="Tenant id is required.",
            message_template="Tenant id is required.",
            metadata={"correlationId": OUR_ID},
        )
    ]
    assert isinstance(err.errors[0], ErrorDetail)
    assert err.server_correlation_id == SERVER_ID
    assert err.correlation_id == OUR_ID
    assert err.retry_after == 7.0
    assert err.headers == headers
    assert err.body == body
    assert err.message == "Tenant id is required."


def test_unlisted_status_is_a_plain_api_status_error() -> None:
    err = decode_error(418, {}, error_body(), now=0)
    assert type(err) is APIStatusError
    assert err.status_code == 418


def test_template_and_metadata_values_are_kept() -> None:
    body = error_body(
        "METADATA_KEY_SIZE_OUT_OF_RANGE",
        "Metadata key abc must not exceed 40 in length.",
        template="Metadata key {key} must not exceed {maxKeySize} in length.",
        metadata={"key": "abc", "maxKeySize": "40"},
    )
    detail = decode_error(400, {}, body, now=0).errors[0]
    assert detail.message_template == "Metadata key {key} must not exceed {maxKeySize} in length."
    assert detail.metadata == {"correlationId": OUR_ID, "key": "abc", "maxKeySize": "40"}


def test_every_error_of_the_body_is_kept_in_order() -> None:
    body = json.dumps(
        {
            "correlationId": SERVER_ID,
            "errors": [
                {"errorCode": "CUSTOMER_REF_IS_REQUIRED", "message": "a"},
                {"errorCode": "CURRENCY_IS_REQUIRED", "message": "b"},
            ],
        }
    ).encode()
    err = decode_error(400, {}, body, now=0)
    assert [e.error_code for e in err.errors] == [
        "CUSTOMER_REF_IS_REQUIRED",
        "CURRENCY_IS_REQUIRED",
    ]
    assert err.error_code == "CUSTOMER_REF_IS_REQUIRED"


@pytest.mark.parametrize(
    "body",
    [
        error_body("ORDER_NOT_FOUND", "Order not found."),
        error_body("INSTRUCTION_NOT_FOUND", "Instruction not found."),
        error_body("VALIDATION_FAILED", "Order not found."),  # v2: the text is all there is
        error_body("", "Instruction not found."),
    ],
    ids=["order-code", "instruction-code", "order-text", "text-without-code"],
)
def test_v2_400_not_found_is_a_not_found_error_keeping_status_400(body: bytes) -> None:
    err = decode_error(400, {}, body, now=0)
    assert type(err) is NotFoundError
    assert err.status_code == 400


def test_other_400s_stay_bad_request() -> None:
    err = decode_error(400, {}, error_body("ORDER_ALREADY_EXISTS", "Order already exists."), now=0)
    assert type(err) is BadRequestError


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"Service Unavailable",
        b"<html><body><h1>502 Bad Gateway</h1></body></html>",
        error_body()[:40],  # truncated mid-way
        b"\xff\xfe\x00garbage",
        b"[1, 2, 3]",
        b'{"errors": "not a list"}',
        b'{"errors": [1, "two", null]}',
        b"null",
    ],
    ids=[
        "empty",
        "text",
        "html",
        "truncated",
        "binary",
        "array",
        "errors-str",
        "errors-junk",
        "null",
    ],
)
@pytest.mark.parametrize(("status", "cls"), [(400, BadRequestError), (502, InternalServerError)])
def test_unreadable_bodies_still_give_the_right_class(
    body: bytes, status: int, cls: type[APIStatusError]
) -> None:
    err = decode_error(status, {}, body, correlation_id=OUR_ID, now=0)
    assert type(err) is cls
    assert err.errors == []
    assert err.error_code is None
    assert err.status_code == status
    assert err.correlation_id == OUR_ID
    assert err.body == body
    assert err.message  # falls back to the HTTP reason phrase
    assert str(status) in str(err)


def test_html_body_message_is_the_reason_phrase() -> None:
    err = decode_error(502, {}, b"<html>bad gateway</html>", now=0)
    assert err.message == "Bad Gateway"


def test_error_body_kept_on_the_exception_is_bounded() -> None:
    body = b"x" * 100_000
    err = decode_error(500, {}, body, now=0)
    assert 0 < len(err.body) < len(body)
    assert body.startswith(err.body)


def test_str_shows_status_code_message_and_both_ids() -> None:
    err = decode_error(
        400, {}, error_body("ORDER_ALREADY_EXISTS", "Order already exists."), correlation_id=OUR_ID
    )
    text = str(err)
    for part in ("400", "ORDER_ALREADY_EXISTS", "Order already exists.", OUR_ID, SERVER_ID):
        assert part in text
    assert text.startswith("400 ORDER_ALREADY_EXISTS: Order already exists.")


def test_str_without_ids_or_code_is_still_readable() -> None:
    err = decode_error(503, {}, b"", now=0)
    assert str(err) == "503: Service Unavailable"


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"retry-after": "2.5"}, 2.5),
        ({"retry-after": "Thu, 01 Jan 1970 00:00:30 GMT"}, 20.0),
        ({"retry-after-ms": "1500", "retry-after": "9"}, 1.5),
        ({"retry-after": "soon"}, None),
    ],
)
def test_retry_after_comes_from_the_headers(
    headers: dict[str, str], expected: float | None
) -> None:
    err = decode_error(429, headers, error_body(), now=10)
    assert isinstance(err, RateLimitError)
    assert err.retry_after == expected


# --- pickling -------------------------------------------------------------------------------


def round_trip(value: Any) -> Any:
    """Pickle and unpickle, as Celery or multiprocessing would (our own values only)."""
    return pickle.loads(pickle.dumps(value))  # noqa: S301


def _all_error_instances() -> list[ImburseError]:
    status_errors: list[ImburseError] = [
        decode_error(status, {"retry-after": "3"}, error_body(), correlation_id=OUR_ID, now=0)
        for status, _ in STATUS_CLASSES
    ]
    return [
        *status_errors,
        decode_error(400, {}, error_body("ORDER_NOT_FOUND", "Order not found."), now=0),
        ImburseError("base"),
        ConfigurationError("IMBURSE_PUBLIC_KEY is not set"),
        ValidationError("instructions[1].amount", "must be a positive amount"),
        APIError("boom", correlation_id=OUR_ID),
        APIConnectionError("connection reset", correlation_id=OUR_ID),
        APITimeoutError("read timeout", correlation_id=OUR_ID),
        DeadlineExceededError("deadline of 60s exceeded", correlation_id=OUR_ID),
        OutcomeUnknownError("create may have been applied", ref="ORD-1", correlation_id=OUR_ID),
        ResponseDecodeError("bad body", correlation_id=OUR_ID, status_code=200, body=b"{"),
        APIStatusError("teapot", status_code=418, correlation_id=OUR_ID),
    ]


def _state(err: BaseException) -> dict[str, Any]:
    return {"type": type(err), "args": err.args, "str": str(err), **vars(err)}


@pytest.mark.parametrize("err", _all_error_instances(), ids=lambda e: type(e).__name__)
def test_every_error_survives_pickle_with_all_attributes(err: ImburseError) -> None:
    clone = round_trip(err)
    assert _state(clone) == _state(err)
    if isinstance(err, APIStatusError):
        assert isinstance(clone, APIStatusError)
        assert clone.error_code == err.error_code
        assert clone.errors == err.errors


def test_pickled_errors_keep_their_specific_attributes() -> None:
    outcome = round_trip(OutcomeUnknownError("m", ref="ORD-1/INS-2"))
    assert outcome.ref == "ORD-1/INS-2"
    validation = round_trip(ValidationError("amount", "must be positive"))
    assert (validation.field, validation.problem) == ("amount", "must be positive")
    assert str(validation) == "amount: must be positive"
    deadline = round_trip(DeadlineExceededError("late", correlation_id="c-9"))
    assert deadline.correlation_id == "c-9"
    assert isinstance(deadline, APITimeoutError)
    rate = round_trip(decode_error(429, {"retry-after": "4"}, b"", now=0))
    assert rate.retry_after == 4.0


def test_pickled_error_can_be_raised_and_caught_by_its_base() -> None:
    clone = round_trip(decode_error(404, {}, error_body(), now=0))
    with pytest.raises(APIStatusError) as info:
        raise clone
    assert info.value.status_code == 404


# --- hierarchy ------------------------------------------------------------------------------

HIERARCHY: list[tuple[type[BaseException], type[BaseException]]] = [
    (ConfigurationError, ImburseError),
    (ValidationError, ImburseError),
    (APIError, ImburseError),
    (APIConnectionError, APIError),
    (APITimeoutError, APIConnectionError),
    (DeadlineExceededError, APITimeoutError),
    (OutcomeUnknownError, APIConnectionError),
    (ResponseDecodeError, APIError),
    (APIStatusError, APIError),
    *[(cls, APIStatusError) for cls in {c for _, c in STATUS_CLASSES}],
    (ImburseError, Exception),
]


@pytest.mark.parametrize(("child", "parent"), HIERARCHY, ids=lambda c: c.__name__)
def test_direct_parent(child: type[BaseException], parent: type[BaseException]) -> None:
    assert child.__bases__[0] is parent


def test_branches_do_not_overlap() -> None:
    assert not issubclass(ConfigurationError, APIError)
    assert not issubclass(ValidationError, APIError)
    assert not issubclass(ResponseDecodeError, APIStatusError)
    assert not issubclass(ResponseDecodeError, APIConnectionError)
    assert not issubclass(OutcomeUnknownError, APITimeoutError)
    assert not issubclass(APIStatusError, APIConnectionError)


def test_validation_error_is_also_a_value_error() -> None:
    assert issubclass(ValidationError, ValueError)


def test_public_names_are_the_same_classes() -> None:
    assert imburse.NotFoundError is NotFoundError
    assert imburse.ErrorDetail is ErrorDetail
    assert imburse.DeadlineExceededError is DeadlineExceededError


def test_a_400_not_found_on_a_create_at_a_collection_is_a_bad_request() -> None:
    # "Scheme not found." refers to a scheme named in the body, not to the order being made.
    body = error_body("VALIDATION_FAILED", "Scheme not found.")
    err = decode_error(400, {}, body, now=0, addressed=False)
    assert type(err) is BadRequestError
    assert err.message == "Scheme not found."
    assert type(decode_error(400, {}, body, now=0, addressed=True)) is NotFoundError


def test_decode_response_knows_which_operations_address_an_object() -> None:
    body = error_body("", "Order not found.")
    with pytest.raises(NotFoundError):
        decode_response(GET_ORDER, 400, {}, body, now=0)
    with pytest.raises(BadRequestError) as info:
        decode_response(CREATE_ORDER, 400, {}, body, now=0)
    assert type(info.value) is BadRequestError


# --- Celery's JSON result serializer: module + name + args ------------------------------------


def _public_error_classes() -> list[type[BaseException]]:
    return sorted(
        (
            value
            for value in (getattr(imburse, name) for name in imburse.__all__)
            if isinstance(value, type) and issubclass(value, ImburseError)
        ),
        key=lambda cls: cls.__name__,
    )


def _full_instance(cls: type[BaseException]) -> ImburseError:
    """An instance of ``cls`` with every field it has filled in."""
    context: dict[str, Any] = {
        "correlation_id": OUR_ID,
        "operation": "instructions.get",
        "path_params": {"order_ref": "ORD-1", "instruction_ref": "I-1"},
    }
    if cls is ValidationError:
        return ValidationError("instructions[1].amount", "must be a positive amount")
    if issubclass(cls, APIStatusError):
        status = {"RateLimitError": 429, "InternalServerError": 503}.get(cls.__name__, 400)
        return cls(
            "Order not found.",
            status_code=status,
            server_correlation_id=SERVER_ID,
            errors=[
                ErrorDetail("ORDER_NOT_FOUND", "Order not found.", "Order {ref}", {"ref": "x"}),
                ErrorDetail("REQUIRED_ATTRIBUTE", "Ref required", field="OrderRef"),
            ],
            retry_after=2.5,
            headers={"retry-after": "2.5"},
            body=error_body(),
            **context,
        )
    if cls is ResponseDecodeError:
        return ResponseDecodeError("bad body", status_code=200, body=b"\xff{", **context)
    if cls is OutcomeUnknownError:
        return OutcomeUnknownError("may be applied", ref="ORD-1", host="api.example", **context)
    if issubclass(cls, APIConnectionError):
        return cls("could not reach api.example", host="api.example", **context)
    if issubclass(cls, APIError):
        return cls("boom", **context)
    error = cls("the client is closed")
    assert isinstance(error, ImburseError)
    return error


def _celery_round_trip(err: BaseException) -> BaseException:
    """What Celery's JSON result backend does: store module, name and args as JSON, then
    import the module by name and call ``cls(*args)``."""
    import importlib

    stored = json.dumps(
        {
            "exc_type": type(err).__name__,
            "exc_module": type(err).__module__,
            "exc_message": err.args,
        }
    )
    loaded = json.loads(stored)
    cls = getattr(importlib.import_module(loaded["exc_module"]), loaded["exc_type"])
    rebuilt: BaseException = cls(*loaded["exc_message"])
    return rebuilt


def _observable(err: BaseException) -> dict[str, Any]:
    details = getattr(err, "errors", None)
    return {
        "type": type(err),
        "str": str(err),
        "repr": repr(err),
        "args": err.args,
        "errors": [d.to_dict() for d in details] if details is not None else None,
        **{
            name: getattr(err, name, None)
            for name in (
                "message",
                "correlation_id",
                "server_correlation_id",
                "status_code",
                "error_code",
                "retry_after",
                "operation",
                "path_params",
                "host",
                "ref",
                "field",
                "problem",
                "headers",
                "body",
            )
        },
    }


def test_every_public_error_lives_under_the_imburse_module() -> None:
    """0.1.0: ``imburse._core.errors``, so tracebacks and Celery named a private module."""
    classes = _public_error_classes()
    assert len(classes) >= 19
    for cls in [*classes, ErrorDetail]:
        assert cls.__module__ == "imburse", cls
        assert getattr(imburse, cls.__name__) is cls


@pytest.mark.parametrize("cls", _public_error_classes(), ids=lambda c: c.__name__)
def test_every_public_error_survives_celerys_json_round_trip(cls: type[ImburseError]) -> None:
    """0.1.0: ``cls(*args)`` raised TypeError (keyword-only arguments), so Celery handed the
    caller a plain ``Exception`` naming the class instead of the error."""
    err = _full_instance(cls)
    clone = _celery_round_trip(err)
    assert _observable(clone) == _observable(err)
    assert type(clone) is cls
    if isinstance(err, APIError):
        assert err.correlation_id == OUR_ID
        assert clone.__dict__ == err.__dict__


def test_a_decoded_error_survives_the_round_trip_with_its_field_errors() -> None:
    err = decode_error(
        404,
        {"retry-after": "3"},
        error_body("ORDER_NOT_FOUND", "Order not found."),
        correlation_id=OUR_ID,
        now=0,
        operation="orders.get",
        path_params={"order_ref": "ORD-1"},
    )
    clone = _celery_round_trip(err)
    assert isinstance(clone, NotFoundError)
    assert clone.errors == err.errors
    assert (
        str(clone)
        == str(err)
        == (
            "404 ORDER_NOT_FOUND: Order not found. (orders.get order_ref='ORD-1'; "
            f"correlation_id={OUR_ID}, server_correlation_id={SERVER_ID})"
        )
    )


def test_args_are_plain_json_data() -> None:
    for cls in _public_error_classes():
        args = _full_instance(cls).args
        assert json.loads(json.dumps(args)) == list(args)


def test_keyword_construction_still_works_and_keywords_win_over_state() -> None:
    err = NotFoundError("gone", {"status_code": 404, "correlation_id": "old"}, correlation_id="new")
    assert (err.status_code, err.correlation_id) == (404, "new")
    with pytest.raises(TypeError):
        NotFoundError("no status")
    with pytest.raises(TypeError):
        OutcomeUnknownError("no ref")


def test_args_follow_attributes_set_after_construction() -> None:
    err = APIConnectionError("refused")
    err.operation = "orders.get"
    assert err.args == ("refused", {"operation": "orders.get"})
    assert _celery_round_trip(err).operation == "orders.get"  # type: ignore[attr-defined]


def test_a_non_utf8_body_survives_as_base64() -> None:
    err = APIStatusError("teapot", status_code=418, body=b"\xff\xfe\x00")
    assert _celery_round_trip(err).body == b"\xff\xfe\x00"  # type: ignore[attr-defined]


# --- what a log line and a traceback show -----------------------------------------------------


def test_repr_shows_class_message_status_code_and_correlation_id() -> None:
    """0.1.0: ``NotFoundError('Order not found.')`` only."""
    err = decode_error(
        404, {}, error_body("ORDER_NOT_FOUND", "Order not found."), correlation_id="c-1", now=0
    )
    assert repr(err) == (
        "NotFoundError('Order not found.', status_code=404, error_code='ORDER_NOT_FOUND', "
        "correlation_id='c-1')"
    )
    assert repr(APIConnectionError("refused", correlation_id="c-2")) == (
        "APIConnectionError('refused', correlation_id='c-2')"
    )
    assert repr(ConfigurationError("no key")) == "ConfigurationError('no key')"


def test_a_traceback_names_the_public_class() -> None:
    import traceback

    err = decode_error(404, {}, error_body("ORDER_NOT_FOUND", "Order not found."), now=0)
    text = "".join(traceback.format_exception(err))
    assert "imburse.NotFoundError: 404 ORDER_NOT_FOUND: Order not found." in text
    assert "_core" not in text.splitlines()[-1]


def test_the_message_names_the_operation_and_path_parameters() -> None:
    err = decode_error(
        404,
        {},
        error_body("ORDER_NOT_FOUND", "Order not found."),
        correlation_id="c-1",
        now=0,
        operation="orders.get",
        path_params={"order_ref": "ORD-1"},
    )
    assert str(err).startswith(
        "404 ORDER_NOT_FOUND: Order not found. (orders.get order_ref='ORD-1'; correlation_id=c-1"
    )


def test_echoed_path_parameters_are_escaped_and_cut_short() -> None:
    err = APIError("boom", operation="orders.get", path_params={"order_ref": "A\r\nB" + "x" * 500})
    text = str(err)
    assert "\r" not in text
    assert "\n" not in text
    assert len(text) < 150
