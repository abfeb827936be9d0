"""Decoding responses (imburse-api.md §5.13): money, times, open enums, unknown fields, key case."""

from __future__ import annotations

import contextlib
import json
import logging
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, Literal

import attrs
import pytest
from hypothesis import given, settings, strategies as st

from imburse import (
    Direction,
    Instruction,
    InstructionStatus,
    Order,
    ResponseDecodeError,
    TransactionStatus,
    ValueSource,
)
from imburse._core.converter import get_converter, loads, to_camel, wire_name
from imburse._core.decode import decode_response
from imburse._core.operations import GET_INSTRUCTION, GET_ORDER
from imburse._core.rules import forget_warnings

BASE = "https://sandbox-api.imbursepayments.com"

# A GET /v2/order-management/{orderRef}/instruction/{instructionRef} answer shaped like OA's
# "Card Payment using Stripe with Refund" example, written by hand. Amounts are JSON numbers.
INSTRUCTION_JSON = """{
  "_links": {
    "self": {"href": "{base}/v1/order-management/ORD-1/instruction/INS-1"},
    "financialInstruments": [
      {"href": "{base}/v1/customer-vault/CUS-1/financial-instrument/fi-1", "name": "card"}
    ],
    "transactions": [
      {"href": "{base}/v1/transaction/txn-1", "name": "payment"}
    ]
  },
  "created": 1692016778499,
  "lastUpdated": 1692016799000,
  "instructionRef": "INS-1",
  "direction": "DEBIT",
  "status": "COMPLETED",
  "customerRef": "CUS-1",
  "amount": 200.00,
  "currency": "GBP",
  "country": "GB",
  "settledByDate": "2023-08-31",
  "forecastedSettlementDate": "2023-08-16",
  "actualSettlementDate": null,
  "executionTimestamp": 1692016790123,
  "financialInstrument": {
    "financialInstrumentId": "fi-1",
    "source": "CUSTOMER",
    "canUpdate": false,
    "sourceFlow": "OnSession"
  },
  "scheme": {
    "schemeId": "654EB81FF7F07F7CF5A1EE3FF6972E90",
    "source": "CUSTOMER_DEFAULT",
    "canUpdate": false
  },
  "metadata": {"policy": "P-9", "channel": "web"},
  "transaction": {
    "transactionId": "txn-1",
    "financialInstrumentId": "fi-1",
    "createdTimestamp": 1692016790123,
    "lastUpdatedTimestamp": 1692016799000,
    "amount": 200.00,
    "netAmount": 194.20,
    "status": "SUCCESS",
    "additionalInformation": null,
    "app": {
      "appId": "stripe",
      "appTransactionId": "pi_3NexSample0001",
      "appBatchId": null,
      "supportDetails": {"customerId": "cus_OSample"}
    },
    "refunds": [
      {"refundId": "re_1", "createdTimestamp": 1692103178499}
    ]
  }
}""".replace("{base}", BASE)

INSTRUCTION_BODY = INSTRUCTION_JSON.encode()


def _body(**changes: Any) -> bytes:
    """The sample with some top-level fields replaced."""
    return json.dumps({**json.loads(INSTRUCTION_JSON), **changes}).encode()


def decode_instruction(body: bytes, *, strict: bool = False) -> Instruction:
    result: Instruction = decode_response(
        GET_INSTRUCTION, 200, {}, body, correlation_id="cid-1", strict=strict
    )
    return result


def test_realistic_instruction_decodes_fully() -> None:
    ins = decode_instruction(INSTRUCTION_BODY)
    assert ins.instruction_ref == "INS-1"
    assert ins.customer_ref == "CUS-1"
    assert ins.currency == "GBP"
    assert ins.country == "GB"
    assert ins.metadata == {"policy": "P-9", "channel": "web"}
    assert ins.correlation_id == "cid-1"
    assert ins.extra == {}

    assert ins.links is not None
    assert ins.links.self_ is not None
    assert ins.links.self_.href == f"{BASE}/v1/order-management/ORD-1/instruction/INS-1"
    assert [link.name for link in ins.links.financial_instruments] == ["card"]
    assert [link.href for link in ins.links.transactions] == [f"{BASE}/v1/transaction/txn-1"]

    fi = ins.financial_instrument
    assert fi is not None
    assert (fi.financial_instrument_id, fi.can_update, fi.source_flow) == (
        "fi-1",
        False,
        "OnSession",
    )
    assert fi.source is ValueSource.CUSTOMER
    assert ins.scheme is not None
    assert ins.scheme.scheme_id == "654EB81FF7F07F7CF5A1EE3FF6972E90"
    assert ins.scheme.source is ValueSource.CUSTOMER_DEFAULT

    txn = ins.transaction
    assert txn is not None
    assert txn.transaction_id == "txn-1"
    assert txn.status is TransactionStatus.SUCCESS
    assert txn.app is not None
    assert txn.app.app_id == "stripe"
    assert txn.app.app_transaction_id == "pi_3NexSample0001"
    assert txn.app.app_batch_id is None
    assert txn.app.support_details == {"customerId": "cus_OSample"}
    assert [r.refund_id for r in txn.refunds] == ["re_1"]


def test_amounts_are_exact_decimals() -> None:
    ins = decode_instruction(INSTRUCTION_BODY)
    assert type(ins.amount) is Decimal
    assert ins.amount == Decimal("200.00")
    assert str(ins.amount) == "200.00"  # scale kept: parsed as Decimal, never through float
    assert ins.transaction is not None
    assert str(ins.transaction.amount) == "200.00"
    assert str(ins.transaction.net_amount) == "194.20"


@pytest.mark.parametrize("amount", ["200.00", " 200.00 "])
def test_amount_as_string_decodes_to_the_same_decimal(amount: str) -> None:
    ins = decode_instruction(_body(amount=amount))
    assert type(ins.amount) is Decimal
    assert str(ins.amount) == "200.00"


def test_amount_needing_more_precision_than_a_float_is_exact() -> None:
    ins = decode_instruction(
        b'{"amount": 12345678901234567.01, "direction": "DEBIT", "currency": "GBP"}'
    )
    assert ins.amount == Decimal("12345678901234567.01")


def test_times_are_aware_utc_datetimes_from_milliseconds() -> None:
    ins = decode_instruction(INSTRUCTION_BODY)
    assert ins.created == datetime(2023, 8, 14, 12, 39, 38, 499000, tzinfo=UTC)
    assert ins.last_updated == datetime(2023, 8, 14, 12, 39, 59, tzinfo=UTC)
    assert ins.execution_timestamp == datetime(2023, 8, 14, 12, 39, 50, 123000, tzinfo=UTC)
    assert ins.transaction is not None
    assert ins.transaction.refunds[0].created_timestamp == datetime(
        2023, 8, 15, 12, 39, 38, 499000, tzinfo=UTC
    )
    for value in (ins.created, ins.last_updated, ins.execution_timestamp):
        assert value is not None
        assert value.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    "created",
    [1692016778, 1692016778000, "1692016778000", "2023-08-14T12:39:38Z", "2023-08-14T12:39:38"],
    ids=["seconds", "millis", "millis-string", "iso-z", "iso-naive"],
)
def test_every_time_shape_gives_the_same_aware_instant(created: Any) -> None:
    ins = decode_instruction(_body(created=created))
    assert ins.created == datetime(2023, 8, 14, 12, 39, 38, tzinfo=UTC)
    assert ins.created is not None
    assert ins.created.tzinfo is not None


def test_iso_time_with_offset_keeps_the_instant() -> None:
    ins = decode_instruction(_body(created="2023-08-14T14:39:38+02:00"))
    assert ins.created == datetime(2023, 8, 14, 12, 39, 38, tzinfo=UTC)


def test_dates_are_dates() -> None:
    ins = decode_instruction(INSTRUCTION_BODY)
    assert ins.settled_by_date == date(2023, 8, 31)
    assert type(ins.settled_by_date) is date
    assert ins.forecasted_settlement_date == date(2023, 8, 16)
    assert ins.actual_settlement_date is None


# --- open enums ---------------------------------------------------------------------------


def test_known_enum_values_are_members_equal_to_their_string() -> None:
    ins = decode_instruction(INSTRUCTION_BODY)
    assert ins.status is InstructionStatus.COMPLETED
    assert ins.status == "COMPLETED"
    assert ins.direction is Direction.DEBIT
    assert ins.direction == "DEBIT"
    assert isinstance(ins.status, str)


def test_unknown_enum_value_is_kept_as_plain_string_when_lenient() -> None:
    ins = decode_instruction(_body(status="PENDING_REVIEW"))
    assert ins.status == "PENDING_REVIEW"
    assert type(ins.status) is str
    ins = decode_instruction(
        _body(scheme={"schemeId": "s", "source": "PARTNER_API", "canUpdate": True})
    )
    assert ins.scheme is not None
    assert ins.scheme.source == "PARTNER_API"


def test_unknown_enum_value_fails_in_strict_mode() -> None:
    body = _body(status="PENDING_REVIEW")
    with pytest.raises(ResponseDecodeError, match="PENDING_REVIEW"):
        decode_instruction(body, strict=True)
    with pytest.raises(ResponseDecodeError):
        get_converter(strict=True).structure(loads(body), Instruction)


def test_unknown_nested_enum_value_fails_in_strict_mode() -> None:
    data = json.loads(INSTRUCTION_JSON)
    data["transaction"]["status"] = "CHARGED_BACK"
    assert decode_instruction(json.dumps(data).encode()).transaction.status == "CHARGED_BACK"  # type: ignore[union-attr]
    with pytest.raises(ResponseDecodeError):
        decode_instruction(json.dumps(data).encode(), strict=True)


@attrs.frozen
class _Shipment:
    state: Literal["NEW", "SENT"] | None = None


def test_a_bare_literal_field_is_an_open_enum() -> None:
    """A field typed ``Literal[...]`` (what mypy sees) decodes like an open enum: the listed
    values as themselves, another text kept when lenient and refused when strict (before the
    rule, the converter had no rule for ``Literal`` and raised ``TypeError``)."""
    lenient, strict = get_converter(), get_converter(strict=True)
    assert lenient.structure({"state": "SENT"}, _Shipment).state == "SENT"
    assert strict.structure({"state": "SENT"}, _Shipment).state == "SENT"
    kept = lenient.structure({"state": "LOST"}, _Shipment)
    assert kept.state == "LOST"
    assert type(kept.state) is str
    with pytest.raises(ResponseDecodeError, match="LOST"):
        strict.structure({"state": "LOST"}, _Shipment)


def test_literal_aliases_list_exactly_their_enum_values() -> None:
    """Each ``XLiteral`` alias (for type checkers) names the values of its enum ``X`` (for
    the decode rule): the two must not drift apart."""
    import typing

    from imburse._core.models import (
        account,
        chargebacks,
        customers,
        enums,
        mandates,
        rewards_catalog,
        schemes,
    )

    seen = 0
    for module in (account, chargebacks, customers, enums, mandates, rewards_catalog, schemes):
        for name, value in vars(module).items():
            if name.endswith("Literal") and typing.get_origin(value) is Literal:
                enum = getattr(module, name.removesuffix("Literal"))
                assert set(typing.get_args(value)) == {m.value for m in enum}, name
                seen += 1
    assert seen >= 15


def test_strict_mode_accepts_the_documented_sample() -> None:
    strict = decode_instruction(INSTRUCTION_BODY, strict=True)
    assert strict == decode_instruction(INSTRUCTION_BODY)


# --- unknown fields and key case --------------------------------------------------------------


def test_unknown_fields_are_kept_in_extra_when_lenient() -> None:
    data = json.loads(INSTRUCTION_JSON)
    data["riskScore"] = 12
    data["scheme"]["schemeName"] = "Stripe cards"
    data["transaction"]["app"]["region"] = "eu"
    ins = decode_instruction(json.dumps(data).encode())
    assert ins.extra == {"riskScore": 12}
    assert ins.scheme is not None
    assert ins.scheme.extra == {"schemeName": "Stripe cards"}
    assert ins.transaction is not None
    assert ins.transaction.app is not None
    assert ins.transaction.app.extra == {"region": "eu"}
    # The known fields are unaffected.
    assert ins.scheme.scheme_id == "654EB81FF7F07F7CF5A1EE3FF6972E90"


def test_unknown_fields_fail_in_strict_mode() -> None:
    with pytest.raises(ResponseDecodeError, match="riskScore"):
        decode_instruction(_body(riskScore=12), strict=True)
    data = json.loads(INSTRUCTION_JSON)
    data["scheme"]["schemeName"] = "Stripe cards"
    with pytest.raises(ResponseDecodeError):
        decode_instruction(json.dumps(data).encode(), strict=True)


def test_keys_match_case_insensitively_as_in_the_2019_samples() -> None:
    body = json.dumps(
        {
            "InstructionRef": "INS-1",
            "Scheme": {"SchemeId": "S-1", "source": "TENANT"},
            "metaData": {"policy": "P-9"},
            "AMOUNT": "10.50",
            "Direction": "DEBIT",
            "CURRENCY": "GBP",
        }
    ).encode()
    for strict in (False, True):
        ins = decode_instruction(body, strict=strict)
        assert ins.instruction_ref == "INS-1"
        assert ins.scheme is not None
        assert ins.scheme.scheme_id == "S-1"
        assert ins.scheme.source is ValueSource.TENANT
        assert ins.metadata == {"policy": "P-9"}
        assert ins.amount == Decimal("10.50")
        assert ins.extra == {}


def test_exact_key_wins_over_a_case_variant() -> None:
    ins = decode_instruction(
        b'{"direction": "DEBIT", "amount": 1, "currency": "GBP",'
        b' "scheme": {"schemeId": "exact"}, "Scheme": {"schemeId": "other"}}'
    )
    assert ins.scheme is not None
    assert ins.scheme.scheme_id == "exact"
    assert ins.extra == {"Scheme": {"schemeId": "other"}}


def test_extra_does_not_affect_equality_or_repr() -> None:
    plain = decode_instruction(INSTRUCTION_BODY)
    with_extra = decode_instruction(_body(riskScore=12))
    assert plain == with_extra
    assert "riskScore" not in repr(with_extra)


def test_missing_fields_default_instead_of_failing() -> None:
    ins = decode_instruction(b'{"direction": "DEBIT", "amount": 1, "currency": "GBP"}')
    assert ins.instruction_ref is None
    assert ins.status is None
    assert ins.metadata == {}
    assert ins.transaction is None


@pytest.mark.parametrize("key", ["direction", "amount", "currency"])
@pytest.mark.parametrize("strict", [False, True])
def test_instruction_without_direction_amount_or_currency_is_refused(
    key: str, strict: bool
) -> None:
    """Every published instruction carries its direction, amount and currency, so the model
    types them without ``| None`` and a body missing one (or sending ``null`` or a value of
    the wrong type) is a ResponseDecodeError naming it. Old code: decoded to ``None``."""
    with pytest.raises(ResponseDecodeError, match=key):
        decode_instruction(_body(**{key: None}), strict=strict)
    wrong = {"direction": ["DEBIT"], "amount": True, "currency": ["GBP"]}[key]
    with pytest.raises(ResponseDecodeError, match=key):
        decode_instruction(_body(**{key: wrong}), strict=strict)


def test_decoded_models_are_frozen() -> None:
    import attrs

    ins = decode_instruction(INSTRUCTION_BODY)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ins.amount = Decimal("1")  # type: ignore[misc]


# --- wrong types ------------------------------------------------------------------------------

WRONG_TYPES: list[dict[str, Any]] = [
    # The instruction's own amount and direction are required (a wrong one is refused, see
    # test_instruction_without_direction_amount_or_currency_is_refused): the transaction's.
    {"transaction": {"amount": [200]}},
    {"transaction": {"amount": {"value": 200}}},
    {"transaction": {"amount": True}},
    {"transaction": {"amount": "two hundred"}},
    {"transaction": {"amount": "NaN"}},
    {"created": "yesterday"},
    {"created": {}},
    {"created": True},
    {"created": 10**20},
    {"created": "1e400"},
    {"settledByDate": 20230831},
    {"settledByDate": "31/08/2023"},
    {"metadata": 5},
    {"metadata": ["a"]},
    {"status": 5},
    {"status": ["SETTLED"]},
    {"scheme": "654EB81F"},
    {"scheme": []},
    {"financialInstrument": {"canUpdate": "false"}},
    {"financialInstrument": {"canUpdate": 0}},
    {"transaction": []},
    {"transaction": {"refunds": 5}},
    {"transaction": {"refunds": [1]}},
    {"transaction": {"app": "stripe"}},
    {"_links": {"self": "https://x"}},
    {"_links": {"transactions": {"href": "x"}}},
]


def _kept_raw(model: Any, changes: dict[str, Any]) -> None:
    """Each changed value is in ``extra`` of the model that holds it, its attribute unset."""
    fields = {
        wire_name(f): f.name
        for f in attrs.fields(type(model))
        if f.name not in ("extra", "correlation_id")
    }
    for key, value in changes.items():
        current = getattr(model, fields[key])
        if isinstance(value, dict) and attrs.has(type(current)):
            _kept_raw(current, value)
        else:
            assert model.extra[key] == value
            assert current in (None, (), {})


@pytest.mark.parametrize("changes", WRONG_TYPES, ids=lambda c: json.dumps(c)[:40])
def test_wrong_types_are_kept_raw_in_extra_when_lenient(
    changes: dict[str, Any], caplog: pytest.LogCaptureFixture
) -> None:
    """Issue 15 item 1: one odd field never fails the call. Old code: ResponseDecodeError."""
    body = _body(**changes)
    forget_warnings()  # the warning is logged once per model and field per process
    with caplog.at_level(logging.WARNING, logger="imburse"):
        ins = decode_instruction(body)
        decode_instruction(body)
    _kept_raw(ins, json.loads(json.dumps(changes), parse_float=Decimal))
    assert ins.amount == Decimal("200.00") or "amount" in changes  # the rest is decoded
    warnings = [r for r in caplog.records if r.name == "imburse" and "extra" in r.getMessage()]
    assert len(warnings) == 1  # once, though decoded twice


@pytest.mark.parametrize("changes", WRONG_TYPES, ids=lambda c: json.dumps(c)[:40])
def test_wrong_types_raise_response_decode_error_in_strict_mode(changes: dict[str, Any]) -> None:
    body = _body(**changes)
    with pytest.raises(ResponseDecodeError, match="strict mode") as info:
        decode_instruction(body, strict=True)
    err = info.value
    assert err.status_code == 200
    assert err.correlation_id == "cid-1"
    assert err.body == body


@pytest.mark.parametrize(
    "body", [b"[]", b'"x"', b"1", b"null", b"not json", b'{"amount": ', b"\xff"]
)
def test_non_object_or_broken_bodies_raise_response_decode_error(body: bytes) -> None:
    with pytest.raises(ResponseDecodeError):
        decode_instruction(body)


_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=5)
    | st.sampled_from(["200.00", "2023-08-31", "DEBIT", "READY", 1692016778499, -1])
)
_JSON = st.recursive(
    _LEAVES,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["schemeId", "canUpdate", "refunds", "app", "x"]), inner, max_size=3
        )
    ),
    max_leaves=6,
)
_FIELDS = [
    "amount",
    "created",
    "settledByDate",
    "status",
    "direction",
    "metadata",
    "scheme",
    "financialInstrument",
    "transaction",
    "_links",
    "Scheme",
]


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(_FIELDS) | st.text(max_size=4), _JSON, max_size=5))
def test_any_json_object_decodes_or_raises_response_decode_error(data: dict[str, Any]) -> None:
    body = json.dumps(data).encode()
    for strict in (False, True):
        with contextlib.suppress(ResponseDecodeError):
            decode_instruction(body, strict=strict)


# --- text and sequence fields -----------------------------------------------------------------


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize(
    "changes",
    [
        {"_links": {"transactions": "abc"}},
        {"_links": {"transactions": {"href": "x"}}},
        {"transaction": {"refunds": "re_1"}},
    ],
    ids=["string", "object", "nested string"],
)
def test_a_string_or_object_is_not_a_sequence(changes: dict[str, Any], strict: bool) -> None:
    # cattrs' default read "abc" as ("a", "b", "c") in lenient mode.
    if strict:
        with pytest.raises(ResponseDecodeError, match="expected a JSON array"):
            decode_instruction(_body(**changes), strict=strict)
    else:
        _kept_raw(decode_instruction(_body(**changes)), changes)


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_sequences_of_text_take_arrays_only(strict: bool) -> None:
    conv = get_converter(strict)
    assert conv.structure(["a", "b"], tuple[str, ...]) == ("a", "b")
    assert conv.structure(["a"], list[str]) == ["a"]
    for value in ("ab", {"a": "b"}, 5, None):
        with pytest.raises(ResponseDecodeError, match="expected a JSON array"):
            conv.structure(value, tuple[str, ...])


@pytest.mark.parametrize(
    ("value", "text"),
    [(5, "5"), (12345678, "12345678"), (Decimal("1.50"), "1.50"), (-7, "-7")],
)
def test_lenient_mode_keeps_a_number_in_a_text_field_as_its_digits(value: Any, text: str) -> None:
    raw = json.loads(INSTRUCTION_JSON, parse_float=Decimal)
    raw["customerRef"] = value
    ins = get_converter().structure(raw, Instruction)
    assert ins.customer_ref == text
    assert type(ins.customer_ref) is str
    with pytest.raises(ResponseDecodeError, match="strict mode"):
        get_converter(strict=True).structure(raw, Instruction)


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
@pytest.mark.parametrize("value", [True, False, {"id": "CUS-1"}, ["CUS-1"]])
def test_booleans_objects_and_arrays_are_not_text(value: Any, strict: bool) -> None:
    # cattrs' default was str(value): "True", "{'id': 'CUS-1'}", "['CUS-1']".
    if strict:
        with pytest.raises(ResponseDecodeError, match="not text"):
            decode_instruction(_body(customerRef=value), strict=strict)
        with pytest.raises(ResponseDecodeError, match="not text"):
            decode_instruction(_body(metadata={"policy": value}), strict=strict)
        return
    ins = decode_instruction(_body(customerRef=value))
    assert (ins.customer_ref, ins.extra["customerRef"]) == (None, value)
    ins = decode_instruction(_body(metadata={"policy": value}))
    assert (ins.metadata, ins.extra["metadata"]) == ({}, {"policy": value})


@pytest.mark.parametrize("strict", [False, True], ids=["lenient", "strict"])
def test_a_str_subclass_in_a_text_field_reads_as_its_text(strict: bool) -> None:
    text = get_converter(strict).structure(Direction.DEBIT, str)
    assert text == "DEBIT"
    assert type(text) is str


def test_v1_mandate_details_sent_as_numbers_decode_leniently_only() -> None:
    from imburse._core.operations.customers import GET_CUSTOMER
    from tests.api.test_customers_decode import CUSTOMER_V1

    customer = decode_response(GET_CUSTOMER, 200, {}, CUSTOMER_V1)
    assert customer.financial_instruments[0].details.debtor_account_number == "12345678"
    with pytest.raises(ResponseDecodeError, match="strict mode"):
        decode_response(GET_CUSTOMER, 200, {}, CUSTOMER_V1, strict=True)


def test_numbers_in_metadata_follow_the_same_rule() -> None:
    body = _body(metadata={"installment": 3})
    assert decode_instruction(body).metadata == {"installment": "3"}
    with pytest.raises(ResponseDecodeError, match="strict mode"):
        decode_instruction(body, strict=True)


# --- orders -----------------------------------------------------------------------------------

ORDER_BODY = json.dumps(
    {
        "orderRef": "ORD-1",
        "metadata": {"policy": "P-9"},
        "customerDefaults": {
            "CUS-1": {
                "financialInstrument": {"financialInstrumentId": "fi-1", "source": "CUSTOMER"},
                "scheme": {"schemeId": "S-1", "source": "TENANT", "canUpdate": True},
                "metadata": {"segment": "gold"},
            },
            "CUS-2": {"scheme": {"schemeId": "S-2"}},
        },
        "instructions": [
            json.loads(INSTRUCTION_JSON),
            {
                "instructionRef": "INS-2",
                "amount": "15.5",
                "status": "READY",
                "direction": "CREDIT",
                "currency": "GBP",
            },
        ],
    }
).encode()


def test_order_with_nested_customer_defaults_decodes() -> None:
    order: Order = decode_response(GET_ORDER, 200, {}, ORDER_BODY, correlation_id="cid-2")
    assert order.order_ref == "ORD-1"
    assert order.metadata == {"policy": "P-9"}
    assert order.correlation_id == "cid-2"
    assert set(order.customer_defaults) == {"CUS-1", "CUS-2"}
    cus1 = order.customer_defaults["CUS-1"]
    assert cus1.scheme is not None
    assert cus1.scheme.scheme_id == "S-1"
    assert cus1.scheme.can_update is True
    assert cus1.scheme.source is ValueSource.TENANT
    assert cus1.financial_instrument is not None
    assert cus1.financial_instrument.financial_instrument_id == "fi-1"
    assert cus1.metadata == {"segment": "gold"}
    cus2 = order.customer_defaults["CUS-2"]
    assert cus2.scheme is not None
    assert cus2.scheme.scheme_id == "S-2"
    assert cus2.financial_instrument is None
    assert [i.instruction_ref for i in order.instructions] == ["INS-1", "INS-2"]
    assert order.instructions[0].amount == Decimal("200.00")
    assert str(order.instructions[1].amount) == "15.5"
    assert order.instructions[1].status is InstructionStatus.READY
    assert order.instructions[1].correlation_id is None  # only the top-level model is stamped


def test_order_strict_mode_rejects_unknown_nested_fields() -> None:
    data = json.loads(ORDER_BODY)
    data["customerDefaults"]["CUS-1"]["walletId"] = "w-1"
    body = json.dumps(data).encode()
    lenient: Order = decode_response(GET_ORDER, 200, {}, body)
    assert lenient.customer_defaults["CUS-1"].extra == {"walletId": "w-1"}
    with pytest.raises(ResponseDecodeError):
        decode_response(GET_ORDER, 200, {}, body, strict=True)


def test_create_answers_without_a_body_decode_to_none() -> None:
    from imburse._core.operations import CREATE_ORDER

    assert decode_response(CREATE_ORDER, 201, {}, b"") is None
    assert decode_response(CREATE_ORDER, 202, {}, b"") is None


def test_undocumented_success_status_is_lenient_unless_strict() -> None:
    order: Order = decode_response(GET_ORDER, 203, {}, b'{"orderRef": "ORD-1"}')
    assert order.order_ref == "ORD-1"
    with pytest.raises(ResponseDecodeError):
        decode_response(GET_ORDER, 203, {}, b'{"orderRef": "ORD-1"}', strict=True)


def test_to_camel() -> None:
    assert to_camel("financial_instrument_id") == "financialInstrumentId"
    assert to_camel("self_") == "self"
    assert to_camel("amount") == "amount"


def test_a_kept_value_is_never_logged_and_a_secret_never_quoted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The warning for a value kept in ``extra`` names the model, key and JSON type only."""
    forget_warnings()
    secret = "2023-13-45T99:99:99-s3cr3t"
    with caplog.at_level(logging.WARNING, logger="imburse"):
        ins = decode_instruction(_body(created=secret, customerRef=12345678))
    assert ins.extra == {"created": secret}
    assert ins.customer_ref == "12345678"
    assert "Instruction.created" in caplog.text
    assert secret not in caplog.text
    with pytest.raises(ResponseDecodeError) as info:
        decode_instruction(_body(created=secret), strict=True)
    assert secret not in str(info.value)
