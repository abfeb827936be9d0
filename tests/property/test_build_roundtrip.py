"""Build -> server -> decode round trips, and what a built request can never contain.

A valid order is built into bytes by the pure core, handed to the fake Imburse exactly as
the wire would carry them (HMAC token exchange first), read back with a built GET, and
decoded: the safe-create comparator must find no difference, and every amount must come
back as the very same Decimal. No network: ``FakeImburse.handle`` answers in process.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import json
import re
import string
from decimal import Decimal
from typing import Any

import httpx
from hypothesis import HealthCheck, example, given, settings, strategies as st

from imburse import ConfigurationError, InstructionInput, OrderInput, ValidationError
from imburse._core.auth import hmac_authorization, new_nonce, parse_token
from imburse._core.build import PreparedRequest, build_request, build_token_request, encode_json
from imburse._core.config import ClientConfig, resolve_config
from imburse._core.decode import decode_response
from imburse._core.operations import (
    ALL_OPERATIONS,
    CREATE_INSTRUCTION,
    CREATE_ORDER,
    GET_INSTRUCTION,
    GET_ORDER,
    Operation,
)
from imburse._core.reconcile import instruction_differences, order_differences
from imburse.testing import FakeImburse

from .strategies import attempt, instruction_inputs, order_inputs, refs

NOW = 1_700_000_000
BASE = "https://api.example.com"
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@functools.cache
def _config() -> ClientConfig:
    fake = FakeImburse
    return resolve_config(
        public_key=fake.public_key,
        private_key=fake.private_key,
        account_id=fake.account_id,
        tenant_id=fake.tenant_id,
        base_url=BASE,
        env={},
    )


class Wire:
    """A fresh fake and a bearer token for it; ``send`` puts a built request on it."""

    def __init__(self) -> None:
        self.fake = FakeImburse(clock=lambda: float(NOW))
        token = build_token_request(_config(), nonce=new_nonce(), timestamp=NOW)
        answer = self.fake.handle(token.method, token.url, dict(token.headers), token.body)
        assert 200 <= answer.status < 300, answer.body
        self.bearer = parse_token(answer.body).value

    def send(self, request: PreparedRequest) -> tuple[int, dict[str, str], bytes]:
        signed = request.with_header("Authorization", f"Bearer {self.bearer}")
        answer = self.fake.handle(signed.method, signed.url, dict(signed.headers), signed.body)
        return answer.status, dict(answer.headers), answer.body


@SETTINGS
@given(order_inputs())
def test_an_order_survives_build_store_read_and_decode(order: OrderInput) -> None:
    wire = Wire()
    status, _, _ = wire.send(build_request(CREATE_ORDER, _config(), body=order))
    assert status == (202 if order.instructions else 201)
    got = build_request(GET_ORDER, _config(), path_params={"orderRef": order.order_ref})
    status, headers, body = wire.send(got)
    assert status == 200
    decoded = decode_response(GET_ORDER, status, headers, body, strict=True)
    assert order_differences(order, decoded) == []
    sent = {i.instruction_ref: i.amount for i in order.instructions}
    assert {i.instruction_ref: i.amount for i in decoded.instructions} == sent
    for amount in sent.values():
        assert isinstance(amount, Decimal)


@SETTINGS
@given(refs, instruction_inputs())
def test_an_instruction_survives_build_store_read_and_decode(
    order_ref: str, instruction: InstructionInput
) -> None:
    wire = Wire()
    assert wire.send(build_request(CREATE_ORDER, _config(), body=OrderInput(order_ref)))[0] == 201
    params = {"orderRef": order_ref}
    create = build_request(CREATE_INSTRUCTION, _config(), path_params=params, body=instruction)
    assert wire.send(create)[0] == 201
    params["instructionRef"] = instruction.instruction_ref
    status, headers, body = wire.send(build_request(GET_INSTRUCTION, _config(), path_params=params))
    decoded = decode_response(GET_INSTRUCTION, status, headers, body, strict=True)
    assert instruction_differences(instruction, decoded) == []
    assert decoded.amount == instruction.amount
    assert str(decoded.amount) == str(instruction.amount)  # the same digits, not just value


@SETTINGS
@given(order_inputs())
def test_a_built_body_is_plain_json_with_amounts_in_plain_digits(order: OrderInput) -> None:
    body = build_request(CREATE_ORDER, _config(), body=order).body
    data = json.loads(body, parse_float=Decimal)
    assert data["orderRef"] == order.order_ref
    for sent, item in zip(order.instructions, data.get("instructions", []), strict=True):
        text = item["amount"] if isinstance(item["amount"], str) else str(item["amount"])
        assert re.fullmatch(r"[0-9]+(\.[0-9]+)?", text), text  # never 1E+2, never a float
        assert Decimal(text) == sent.amount


@settings(max_examples=300, deadline=None)
@given(st.decimals(allow_nan=False, allow_infinity=False))
def test_any_finite_decimal_is_encoded_without_exponent_and_exactly(amount: Decimal) -> None:
    encoded = json.loads(encode_json({"amount": amount}))["amount"]
    assert "e" not in encoded.lower()
    assert Decimal(encoded) == amount


# --- what a request can never carry ----------------------------------------------------------

_PATH_OPERATIONS = [op for op in ALL_OPERATIONS if op.path_params]
_DOTS = ("", ".", "..", "...", ".a", "%2e", "%2E%2E")


class _Draws:
    """Stands in for ``st.data()`` in an ``@example``: hands out the given values in order."""

    def __init__(self, *values: str) -> None:
        self._values = list(values)

    def draw(self, strategy: Any, label: str | None = None) -> str:
        return self._values.pop(0)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(_PATH_OPERATIONS), st.data())
@example(GET_ORDER, _Draws(".."))  # was GET /v1/ once a server normalised the path
@example(GET_INSTRUCTION, _Draws(".", "I-1"))  # was GET /v1/order-management/instruction/I-1
def test_path_values_stay_inside_their_own_segment(
    operation: Operation[Any], data: st.DataObject
) -> None:
    """No path value moves the request to another host, path or query, checked or not."""
    values = {
        name: data.draw(st.text(max_size=12) | refs | st.sampled_from(_DOTS), label=name)
        for name in operation.path_params
    }
    body = {} if operation.body in (dict, object) else None  # a body it declares, or none
    request, refused = attempt(
        build_request, operation, _config(), path_params=values, body=body, expected=ValidationError
    )
    if refused is not None:
        # Only values that cannot be a path segment are refused, naming the parameter.
        assert refused.field in operation.path_params
        assert values[refused.field] in ("", ".", "..")
        return
    url = httpx.URL(request.url)  # httpx normalises dot segments, as servers do
    assert (url.scheme, url.host, url.query) == ("https", "api.example.com", b"")
    template = operation.path.split("/")
    sent = url.raw_path.decode().split("/")
    assert len(sent) == len(template)
    for expected, got in zip(template, sent, strict=True):
        name = expected[1:-1] if expected.startswith("{") else None
        if name is None:
            assert got == expected
        else:
            assert httpx.URL("/" + got).path[1:] == values[name]


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(max_size=10), st.text(max_size=10), max_size=4))
def test_extra_headers_never_inject_lines_or_replace_the_signature(headers: dict[str, str]) -> None:
    request, refused = attempt(
        build_request,
        GET_ORDER,
        _config(),
        path_params={"orderRef": "O"},
        extra_headers=headers,
        expected=ValidationError,
    )
    if refused is not None:
        assert refused.field == "extra_headers"
        return
    for name, value in request.headers:
        assert "\r" not in name + value
        assert "\n" not in name + value
        assert name.lower() != "authorization"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=300), st.text(max_size=40), st.integers(0, 2**40))
def test_the_signature_is_the_documented_hmac_for_any_body_and_nonce(
    body: bytes, nonce: str, timestamp: int
) -> None:
    """Recomputed here from the documented recipe (imburse-api.md 2.2), not from the SDK."""
    fake = FakeImburse
    header, refused = attempt(
        hmac_authorization,
        fake.public_key,
        fake.private_key,
        body,
        nonce=nonce,
        timestamp=timestamp,
        expected=ConfigurationError,
    )
    if refused is not None:
        assert nonce == "" or ":" in nonce
        return
    body_hash = base64.b64encode(hashlib.sha256(body).digest()).decode() if body else ""
    text = f"{fake.public_key}:{nonce}:{timestamp}:{body_hash}".encode()
    key = base64.b64decode(fake.private_key)
    signature = base64.b64encode(hmac.new(key, text, hashlib.sha256).digest()).decode()
    assert header == f"Hmac {fake.public_key}:{nonce}:{timestamp}:{signature}"
    assert fake.private_key not in header


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=40))
def test_the_fake_accepts_a_token_exchange_signed_with_any_fresh_nonce(nonce: str) -> None:
    fake = FakeImburse(clock=lambda: float(NOW))
    request = build_token_request(_config(), nonce=nonce, timestamp=NOW)
    answer = fake.handle(request.method, request.url, dict(request.headers), request.body)
    assert 200 <= answer.status < 300
    assert parse_token(answer.body).value
