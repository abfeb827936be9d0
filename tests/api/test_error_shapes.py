"""Every error body shape the published pages show fills the same fields of the SDK's errors.

The bodies are copied verbatim from ``shared/imburse-openapi-pages.md`` §1.1 (classic,
problem details, RFC 7807 with ``trace``). On 0.1.0 a problem-details body gave an empty
``error_code``, the message "Bad Request" and no field errors, and the RFC 7807 body gave
no code, no server id and only the reason phrase: the tests below fail there.
"""

from __future__ import annotations

import json

import pytest

from imburse import (
    AuthenticationError,
    BadRequestError,
    ErrorDetail,
    NotFoundError,
)
from imburse._core.decode import decode_error, decode_response
from imburse._core.operations import GET_ORDER

CLASSIC = (
    b'{ "timestamp": 1692016778499, "correlationId": "0HMB2TA322CA7:00000001", "errors": [ '
    b'{ "errorCode": "METADATA_KEY_SIZE_OUT_OF_RANGE", "message": "Metadata key abc must not '
    b'exceed 40 in length.", "messageTemplate": "Metadata key {key} must not exceed {maxKeySize} '
    b'in length.", "metadata": {"key": "abc", "maxKeySize": "40"} } ] }'
)

PROBLEM_DETAILS = b"""{ "title": "BAD_REQUEST", "detail": "See validation errors.", "timestamp": "2021-01-30T08:30:00Z", "correlationId": "0HMB2TA322CA7:00000001", "status": 400, "traceId": "0HMB2TA322CA7:00000001", "errors": [ { "title": "REQUIRED_ATTRIBUTE", "detail": "The attribute CreditorProfileRef is required", "metadata": { "PropertyName": "CreditorProfileRef", "AttemptedValue": "null", "ErrorMessage": "The attribute CreditorProfileRef is required" } } ] }"""

# The pages elide the end of the request id ("4487062e-..."); a whole UUID stands in for it.
RFC7807_TRACE = b"""{ "status": 401, "title": "Unauthorized", "detail": "Invalid token", "instance": "/v1/customer-vault/customer1/international-bank-account/", "trace": { "timestamp": "2023-01-31T23:56:21Z", "requestId": "4487062e-5f0c-4c1e-9d3f-2b6a1e0c9f77" } }"""

OUR_ID = "5f0c7d2e-8a4b-4c1e-9d3f-2b6a1e0c9f77"


def test_classic_body() -> None:
    err = decode_error(400, {}, CLASSIC, correlation_id=OUR_ID, now=0)
    assert type(err) is BadRequestError
    assert err.error_code == "METADATA_KEY_SIZE_OUT_OF_RANGE"
    assert err.message == "Metadata key abc must not exceed 40 in length."
    assert err.server_correlation_id == "0HMB2TA322CA7:00000001"
    assert err.errors[0].metadata == {"key": "abc", "maxKeySize": "40"}


def test_problem_details_body_fills_code_message_field_errors_and_server_id() -> None:
    """0.1.0: error_code None, message "Bad Request", errors [ErrorDetail('', '')]."""
    err = decode_error(400, {}, PROBLEM_DETAILS, correlation_id=OUR_ID, now=0)
    assert type(err) is BadRequestError
    assert err.status_code == 400
    assert err.error_code == "REQUIRED_ATTRIBUTE"
    assert err.message == "The attribute CreditorProfileRef is required"
    assert err.errors == [
        ErrorDetail(
            error_code="REQUIRED_ATTRIBUTE",
            message="The attribute CreditorProfileRef is required",
            metadata={
                "PropertyName": "CreditorProfileRef",
                "AttemptedValue": "null",
                "ErrorMessage": "The attribute CreditorProfileRef is required",
            },
            field="CreditorProfileRef",
        )
    ]
    assert err.server_correlation_id == "0HMB2TA322CA7:00000001"
    assert err.correlation_id == OUR_ID
    assert str(err).startswith(
        "400 REQUIRED_ATTRIBUTE: The attribute CreditorProfileRef is required ("
    )


def test_rfc7807_body_with_trace_fills_the_same_fields() -> None:
    """0.1.0: no code, no server id, message only the reason phrase "Unauthorized"."""
    err = decode_error(401, {}, RFC7807_TRACE, correlation_id=OUR_ID, now=0)
    assert type(err) is AuthenticationError
    assert err.error_code == "Unauthorized"
    assert err.message == "Invalid token"
    assert err.errors == [ErrorDetail("Unauthorized", "Invalid token")]
    assert err.server_correlation_id == "4487062e-5f0c-4c1e-9d3f-2b6a1e0c9f77"
    assert "401 Unauthorized: Invalid token" in str(err)


@pytest.mark.parametrize(
    "text",
    [
        "Not Found - Mandate '00000000-0000-0000-0000-000000000000' was not found.",
        "Not Found - Creditor Profile was not found.",
        "Chargeback not found",
    ],
)
def test_a_404_problem_details_body_is_a_not_found_error_with_its_text(text: str) -> None:
    body = json.dumps({"title": "NOT_FOUND", "detail": text, "status": 404}).encode()
    err = decode_error(404, {}, body, now=0)
    assert type(err) is NotFoundError
    assert err.message == text


def test_a_400_problem_details_not_found_on_a_read_is_a_not_found_error() -> None:
    body = json.dumps(
        {
            "title": "BAD_REQUEST",
            "status": 400,
            "errors": [{"title": "", "detail": "Order not found."}],
        }
    ).encode()
    with pytest.raises(NotFoundError) as info:
        decode_response(GET_ORDER, 400, {}, body, now=0, path_params={"order_ref": "ORD-1"})
    assert info.value.operation == "orders.get"
    assert info.value.path_params == {"order_ref": "ORD-1"}
    assert "(orders.get order_ref='ORD-1'" in str(info.value)


def test_aspnet_validation_problem_details_keep_each_field_error() -> None:
    body = json.dumps(
        {
            "title": "One or more validation errors occurred.",
            "status": 400,
            "traceId": "00-abc-01",
            "errors": {"OrderRef": ["The OrderRef field is required."], "Amount": ["Too big."]},
        }
    ).encode()
    err = decode_error(400, {}, body, now=0)
    assert [(e.field, e.message) for e in err.errors] == [
        ("OrderRef", "The OrderRef field is required."),
        ("Amount", "Too big."),
    ]
    assert err.message == "The OrderRef field is required."
    assert err.server_correlation_id == "00-abc-01"


@pytest.mark.parametrize("body", [CLASSIC, PROBLEM_DETAILS, RFC7807_TRACE])
def test_every_shape_survives_the_celery_json_round_trip(body: bytes) -> None:
    err = decode_error(400, {"content-type": "application/json"}, body, correlation_id="c", now=0)
    clone = type(err)(*json.loads(json.dumps(err.args)))
    assert (clone.error_code, clone.message, clone.errors, clone.server_correlation_id) == (
        err.error_code,
        err.message,
        err.errors,
        err.server_correlation_id,
    )
    assert clone.body == body
