"""Decoding anything a server (or a proxy in front of it) can send never crashes the SDK.

For every operation in the table and every status it documents: arbitrary bytes, arbitrary
JSON and JSON shaped like the response model (right keys, wrong and right value types)
decode to the model or raise ``ResponseDecodeError``; error statuses become the mapped
``APIStatusError``. Both JSON parsers (msgspec and the json module) and both modes (lenient
and strict) are covered. Token answers and webhook payloads likewise.
"""

from __future__ import annotations

import functools
import gzip
import json
import pickle
import types
import typing
import zlib
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import attrs
import msgspec
from hypothesis import HealthCheck, example, given, settings, strategies as st

from imburse import (
    AccessToken,
    APIStatusError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    ResponseDecodeError,
)
from imburse._core.auth import parse_token
from imburse._core.call import TransportFailure
from imburse._core.converter import get_converter, json_parser, stdlib_json
from imburse._core.decode import decode_error, decode_response
from imburse._core.errors import ErrorDetail, error_for_status
from imburse._core.models.chargebacks import Chargeback
from imburse._core.models.creditor_profiles import SepaCreditorProfile
from imburse._core.models.instruments import FinancialInstrumentV2
from imburse._core.operations import ALL_OPERATIONS, Operation
from imburse._core.rules import TEXT_BOOL, fields_of
from imburse._wire import BodyReader
from imburse.webhooks import decode_instruction, decode_order

from .strategies import attempt, json_values, shaped

# (operation, status, model) for every documented answer with a body.
CASES = [
    (op, status, model)
    for op in ALL_OPERATIONS
    for status, model in (op.response or {}).items()
    if model is not None
]
_SHAPES = {model: shaped(model) for _, _, model in CASES}
_SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
PARSERS = st.sampled_from(["default", "json"])


def _decode(parser: str, *args: Any, **kwargs: Any) -> tuple[Any, Any]:
    if parser == "json":
        with stdlib_json():
            return attempt(decode_response, *args, expected=ResponseDecodeError, **kwargs)
    return attempt(decode_response, *args, expected=ResponseDecodeError, **kwargs)


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")


def test_every_documented_response_model_is_covered() -> None:
    assert len(CASES) >= 20
    assert json_parser() in ("msgspec", "json")


@_SETTINGS
@given(st.sampled_from(CASES), st.data(), st.booleans(), PARSERS)
def test_model_shaped_json_decodes_or_raises_response_decode_error(
    case: tuple[Operation[Any], int, type], data: st.DataObject, strict: bool, parser: str
) -> None:
    operation, status, model = case
    body = _dumps(data.draw(_SHAPES[model], label="body"))
    result, error = _decode(parser, operation, status, {}, body, strict=strict, correlation_id="c")
    if error is None:
        assert isinstance(result, model)
        if hasattr(result, "correlation_id"):
            assert result.correlation_id == "c"
    else:
        assert error.status_code == status
        assert error.correlation_id == "c"


@_SETTINGS
@given(
    st.sampled_from(ALL_OPERATIONS),
    st.sampled_from([200, 201, 202, 204, 299]),
    st.binary(max_size=300) | json_values.map(_dumps),
    st.booleans(),
    PARSERS,
)
def test_any_body_with_any_success_status_decodes_or_raises_response_decode_error(
    operation: Operation[Any], status: int, body: bytes, strict: bool, parser: str
) -> None:
    _decode(parser, operation, status, {}, body, strict=strict)


@_SETTINGS
@given(
    st.sampled_from(ALL_OPERATIONS),
    st.integers(300, 599),
    st.binary(max_size=300)
    | json_values.map(_dumps)
    | st.builds(
        lambda errors, cid: _dumps({"errors": errors, "correlationId": cid}),
        st.lists(
            json_values
            | st.fixed_dictionaries(
                {},
                optional={
                    "errorCode": json_values,
                    "message": json_values,
                    "metadata": json_values,
                },
            ),
            max_size=3,
        ),
        json_values,
    ),
    st.dictionaries(
        st.sampled_from(["retry-after", "retry-after-ms", "content-type"]), st.text(max_size=30)
    ),
)
def test_an_error_status_always_becomes_the_mapped_api_status_error(
    operation: Operation[Any], status: int, body: bytes, headers: dict[str, str]
) -> None:
    _, error = attempt(
        decode_response,
        operation,
        status,
        headers,
        body,
        correlation_id="c",
        now=0.0,
        expected=APIStatusError,
    )
    assert error is not None
    assert error.status_code == status
    assert error.correlation_id == "c"
    assert error.retry_after is None or 0 <= error.retry_after <= 86400
    if status >= 500:
        assert isinstance(error, InternalServerError)
    if status == 429:
        assert isinstance(error, RateLimitError)
    if status == 404:
        assert isinstance(error, NotFoundError)
    assert str(error)  # renders, whatever the body held
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    assert type(copy) is type(error)
    assert (str(copy), copy.errors, copy.body) == (str(error), error.errors, error.body)


@_SETTINGS
@given(st.integers(100, 599), st.binary(max_size=200) | json_values.map(_dumps))
def test_decode_error_returns_never_raises(status: int, body: bytes) -> None:
    error = decode_error(status, {}, body, now=0.0)
    assert isinstance(error, APIStatusError)
    assert len(error.body) <= 4096


@_SETTINGS
@given(
    st.sampled_from([400, 401, 402, 403, 404, 409, 422, 429, 500, 503]),
    st.lists(st.builds(ErrorDetail, st.text(max_size=20), st.text(max_size=40)), max_size=3),
    st.none() | st.text(max_size=20),
    st.none() | st.floats(0, 86400),
)
def test_errors_pickle_to_equal_errors(
    status: int, details: list[ErrorDetail], server_id: str | None, retry_after: float | None
) -> None:
    error = error_for_status(
        status,
        errors=details,
        server_correlation_id=server_id,
        correlation_id="c",
        retry_after=retry_after,
        headers={"x-a": "1"},
        body=b"{}",
    )
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    assert type(copy) is type(error)
    assert copy.__dict__ == error.__dict__
    assert str(copy) == str(error)


# --- token answers --------------------------------------------------------------------------

_TOKEN_SHAPES = st.fixed_dictionaries(
    {},
    optional={
        "accessToken": st.text(max_size=20) | json_values | st.just("a.eyJleHAiOjE3MDAwMDAwMDB9.c"),
        "expires": json_values
        | st.integers(-(10**20), 10**20)
        | st.text(alphabet="0123456789.e-", max_size=25),
    },
)


@_SETTINGS
@given(st.binary(max_size=200) | json_values.map(_dumps) | _TOKEN_SHAPES.map(_dumps))
@example(b'{"accessToken":"a","expires":"1e1000010"}')  # was decimal.Overflow
@example(b'{"accessToken":"a.eyJleHAiOiIxZTEwMDAwMTAifQ.c"}')  # the same in a JWT exp claim
def test_any_token_answer_is_a_token_or_a_response_decode_error(body: bytes) -> None:
    token, _ = attempt(parse_token, body, expected=ResponseDecodeError)
    if token is not None:
        assert isinstance(token, AccessToken)
        assert token.value
        assert token.expires_at.tzinfo is not None
        if len(token.value) >= 8:  # a one-character "token" is in any text
            assert token.value not in repr(token)


# --- webhook payloads -------------------------------------------------------------------------


@_SETTINGS
@given(
    st.sampled_from([decode_instruction, decode_order]),
    st.none() | st.binary(max_size=200) | json_values.map(_dumps),
    st.data(),
    st.booleans(),
)
def test_any_webhook_payload_decodes_or_raises_response_decode_error(
    decode: Any, body: bytes | None, data: st.DataObject, strict: bool
) -> None:
    if body is None:  # a payload shaped like the model the function decodes
        model = decode.__annotations__["return"]
        shape = next(m for _, _, m in CASES if m.__name__ == model)
        body = _dumps(data.draw(_SHAPES[shape]))
    result, _ = attempt(decode, body, strict=strict, expected=ResponseDecodeError)
    assert result is None or attrs.has(type(result))


# --- content encodings ------------------------------------------------------------------------


@_SETTINGS
@given(
    st.binary(max_size=300)
    | st.binary(max_size=200).map(gzip.compress)
    | st.binary(max_size=200).map(zlib.compress),
    st.lists(
        st.sampled_from(["gzip", "deflate", "identity", "br", "GZIP", " gzip ", ""]), max_size=3
    ).map(", ".join),
)
def test_any_compressed_body_is_bytes_or_a_transport_failure(body: bytes, encoding: str) -> None:
    def decompress(body: bytes, encoding: str) -> bytes:
        reader = BodyReader(200, {"content-encoding": encoding}, limit=1 << 20)
        reader.feed(body)
        return reader.body()

    plain, failure = attempt(decompress, body, encoding, expected=TransportFailure)
    assert isinstance(plain, bytes) or failure.sent


# --- issue 15 item 1: lenient mode never fails a well-formed answer ------------------------------


def response_models() -> list[type]:
    """Every response model of the operation table and every model nested in one."""
    seen: dict[type, None] = {}

    def visit(tp: Any) -> None:
        if isinstance(tp, type) and attrs.has(tp):
            if tp in seen:
                return
            seen[tp] = None
            for field in fields_of(tp):
                visit(field.annotation)
        for arg in typing.get_args(tp):
            visit(arg)

    for _, _, model in CASES:
        visit(model)
    # Models users decode themselves (``imburse.decode_model``) from ``client.request()``:
    # no operation returns them, so they are named here.
    for model in DECODE_MODEL_ONLY:
        visit(model)
    return list(seen)


DECODE_MODEL_ONLY = (Chargeback, SepaCreditorProfile, FinancialInstrumentV2)


MODELS = response_models()


def _walk(value: Any, path: str = "$") -> Iterator[tuple[str, Any]]:
    """``(path, leaf)`` for every value inside a model (``extra`` included)."""
    yield path, value
    if attrs.has(type(value)):
        for field in attrs.fields(type(value)):
            yield from _walk(getattr(value, field.name), f"{path}.{field.name}")
    elif isinstance(value, Mapping):
        for key, item in sorted(value.items(), key=lambda kv: str(kv[0])):
            yield from _walk(item, f"{path}[{key!r}]")
    elif isinstance(value, tuple | list):
        for index, item in enumerate(value):
            yield from _walk(item, f"{path}[{index}]")


def assert_identical(got: Any, expected: Any) -> None:
    """Equal, with the same types and values at every level, ``extra`` included."""
    assert got == expected
    mine, theirs = list(_walk(got)), list(_walk(expected))
    assert [p for p, _ in mine] == [p for p, _ in theirs]
    for (path, a), (_, b) in zip(mine, theirs, strict=True):
        assert type(a) is type(b), path
        if not attrs.has(type(a)):
            assert a == b, path


# Values of a type no field expects, and no JSON object (an object where a model is expected
# is that model's body, whose required fields are another matter).
_WRONG = st.one_of(
    st.booleans(),
    st.integers(),
    st.text(max_size=6),
    st.lists(st.integers() | st.text(max_size=3), max_size=3),
    st.just([]),
)
_EXTRA_KEYS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_", min_size=1, max_size=10).map(
    lambda k: f"new_{k}"
)


def _valid(tp: Any, depth: int) -> st.SearchStrategy[Any]:
    """JSON values a field of type ``tp`` takes by the rules (``null`` items included)."""
    args = typing.get_args(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return st.one_of(*(_valid(a, depth) for a in args if a is not type(None)))
    if typing.get_origin(tp) is typing.Annotated:
        meta = args[1]
        if isinstance(meta, type) and issubclass(meta, StrEnum):
            return st.sampled_from([m.value for m in meta]) | st.just("A_NEW_VALUE")
        if meta is TEXT_BOOL:
            return st.booleans() | st.sampled_from(["True", "false"])
        return _valid(args[0], depth)
    if isinstance(tp, type) and attrs.has(tp):
        return lenient_bodies(tp, depth + 1)
    if typing.get_origin(tp) in (tuple, list):
        return st.lists(st.none() | _valid(args[0], depth + 1), max_size=2 if depth < 3 else 0)
    if typing.get_origin(tp) in (dict, Mapping, typing.Mapping):
        return st.just([]) | st.dictionaries(
            st.text(max_size=4), st.none() | _valid(args[1], depth + 1), max_size=2
        )
    if tp is str:
        return st.text(max_size=8) | st.integers()
    if tp is bool:
        return st.booleans()
    if tp is int:
        return st.integers() | st.sampled_from(["3", "-1"])
    if tp is Decimal:
        return st.decimals(allow_nan=False, allow_infinity=False, places=2) | st.integers()
    if tp is datetime:
        return st.integers(-(10**13), 10**13) | st.sampled_from(
            ["2024-11-28T10:00:00Z", "2024-11-28T10:00:00", "1732485600"]
        )
    if tp is date:
        return st.dates().map(date.isoformat)
    return json_values.filter(lambda v: not isinstance(v, float))  # Any


@functools.cache
def lenient_bodies(model: type, depth: int = 0) -> st.SearchStrategy[Any]:
    """Bodies of ``model``: required fields right, optional ones right, absent, ``null`` or of
    a wrong type, plus keys the SDK does not know."""
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for field in fields_of(model):
        if not field.key:
            continue
        if field.required:
            required[field.key] = (
                st.text(min_size=1, max_size=8)
                if field.annotation is str
                else _valid(field.annotation, depth)
            )
        elif depth > 4:
            continue
        else:
            optional[field.key] = st.none() | _WRONG | _valid(field.annotation, depth)
    unknown = st.dictionaries(
        _EXTRA_KEYS, json_values.filter(lambda v: not isinstance(v, float)), max_size=2
    )
    return st.builds(
        lambda known, extra: {**extra, **known},
        st.fixed_dictionaries(required, optional=optional),
        unknown,
    )


_ENCODE = msgspec.json.Encoder(decimal_format="number").encode


@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(MODELS), st.data())
def test_lenient_mode_decodes_every_response_model_whatever_its_optional_fields_hold(
    model: type, data: st.DataObject
) -> None:
    """Issue 15 item 1: nulls, wrong types and new keys in optional places never fail a call.

    Old code: ``Currency: expected a JSON object, got NoneType`` and the like. The msgspec
    path (mirrors) and the json-module path give identical models, ``extra`` included.
    """
    body = _ENCODE(data.draw(lenient_bodies(model), label="body"))
    conv = get_converter()
    fast = conv.decode(body, model)  # msgspec: a mirror, or the dict path it hands over to
    again = conv.decode(body, model)  # after learning the body's new keys
    with stdlib_json():
        regular = conv.decode(body, model)
    assert isinstance(regular, model)
    assert_identical(fast, regular)
    assert_identical(again, regular)
