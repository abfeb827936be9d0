"""Careless or hostile input stops at the SDK's boundary (issue 14, items 1 and 8).

Every test here failed on the code before issue 14: ``amount="1e100000000"`` was accepted
(and sent as a 100 MB body), ``Decimal("1e1000000000")`` was accepted (and ended in a
``MemoryError`` when the body was written), ``"12.345"`` GBP, ``"1e-30"``, ``"1_000"``,
full-width digits and padded strings were accepted, ``orders.create("..")`` was sent, and a
10 MB ``scheme_id`` went out as a 10 MB request line (or came back whole in the
``ValidationError``).

The rules: an amount is a ``Decimal``, an ``int`` or plain decimal digits; at most 18 digits
in all; exact in its currency's ISO 4217 minor unit and sent with exactly that many decimals
(at most 4 where a body has no single currency). Refs are never ``.`` or ``..``; ids are
bounded; an error echoes at most 40 characters of the value.
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import anyio
import pytest

from imburse import (
    AsyncImburse,
    CatalogSearchQuery,
    DepositFundsInput,
    InstructionInput,
    InstructionRewardClaimInput,
    OrderInput,
    PayoutOptionsQuery,
    RewardAuthorizationInput,
    RuleInput,
    ValidationError,
)
from imburse._cli import batch as batch_cli
from imburse.testing import FakeImburse

BIG = "A" * 10_000_000  # 10 MB of characters every id and ref pattern allows
UUID = "1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c"


def instruction(**overrides: Any) -> dict[str, Any]:
    return {
        "instruction_ref": "INS-1",
        "customer_ref": "CUS-1",
        "direction": "DEBIT",
        "amount": "12.50",
        "currency": "GBP",
        "country": "GB",
        **overrides,
    }


def refused(build: Callable[[], object]) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        build()
    return info.value


def run_async(
    fake: FakeImburse, call: Callable[[AsyncImburse], Awaitable[object]]
) -> BaseException | None:
    """Run ``call`` on an ``AsyncImburse`` wired to ``fake``; the error it raised, if any."""

    async def main() -> BaseException | None:
        async with fake.async_imburse(max_retries=0) as client:
            try:
                await call(client)
            except Exception as err:
                return err
        return None

    result: BaseException | None = anyio.run(main)
    return result


# --- item 1: amounts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "amount",
    [
        "1e100000000",  # was a 100 MB body
        "1e1000000000",  # was a MemoryError after ~28 s
        "1e-30",
        "1E3",
        "1_000",
        "\uff11\uff12",  # full-width "12"
        "\u0661\u0662",  # Arabic-Indic "12"
        " 12.50",
        "12.50 ",
        "12.50\n",
        "+12.50",
        "12,50",
        ".5",
        "5.",
        "1" * 41,
    ],
)
def test_an_amount_string_must_be_plain_decimal_digits(amount: str) -> None:
    """Failed before issue 14: every one of these strings but ``"12,50"`` was accepted as an
    amount."""
    err = refused(lambda: InstructionInput(**instruction(amount=amount)))
    assert err.field == "amount"
    assert len(str(err)) < 300


@pytest.mark.parametrize(
    "amount",
    [Decimal("1e1000000000"), Decimal("1e-1000000000"), Decimal("1e18"), 10**100_000, 2**64],
    ids=["1e1000000000", "1e-1000000000", "1e18", "10**100000", "2**64"],
)
def test_a_huge_or_tiny_decimal_or_int_is_refused_before_it_is_expanded(amount: object) -> None:
    """Failed before issue 14: these were accepted, and writing the first one out as digits
    took ~28 s and ended in a raw ``MemoryError``. Now the digits and the exponent are checked
    first, so each is refused at once."""
    started = time.perf_counter()
    err = refused(lambda: InstructionInput(**instruction(amount=amount)))
    assert time.perf_counter() - started < 0.05  # microseconds really; generous under load
    assert err.field == "amount"
    assert len(str(err)) < 300


@pytest.mark.parametrize(
    ("amount", "currency", "stored"),
    [
        ("12.5", "GBP", "12.50"),
        ("12", "GBP", "12.00"),
        (12, "EUR", "12.00"),
        (Decimal("1E+1"), "USD", "10.00"),
        ("12.500", "GBP", "12.50"),  # trailing zeros past the minor unit are exact
        ("12", "JPY", "12"),
        ("12.0", "JPY", "12"),
        ("1.5", "KWD", "1.500"),
        ("0.001", "BHD", "0.001"),
        ("0.0001", "CLF", "0.0001"),
        ("9999999999999999.99", "GBP", "9999999999999999.99"),  # 18 digits in all
        ("999999999999999999", "JPY", "999999999999999999"),
    ],
)
def test_an_amount_is_kept_with_exactly_its_currencys_decimals(
    amount: object, currency: str, stored: str
) -> None:
    """Failed before issue 14: ``"12.5"`` GBP was kept (and sent) as ``12.5``, ``"12.0"`` JPY
    as ``12.0``. (The rows already in their currency's form passed before too: they guard
    against refusing too much, e.g. 18 digits in all.)"""
    value = InstructionInput(**instruction(amount=amount, currency=currency)).amount
    assert format(value, "f") == stored
    authorization = RewardAuthorizationInput(
        order_ref="O", instruction_ref="I", amount=amount, currency=currency
    )
    assert format(authorization.amount, "f") == stored
    query = PayoutOptionsQuery(amount=amount, currency=currency, country="GB")
    assert query.params()["amount"] == stored


@pytest.mark.parametrize(
    ("amount", "currency", "problem"),
    [
        ("12.345", "GBP", "GBP allows (2)"),
        ("12.5", "JPY", "JPY allows (0)"),
        ("1.2345", "KWD", "KWD allows (3)"),
        ("0.001", "EUR", "EUR allows (2)"),
        ("10000000000000000", "GBP", "at most 16 digits"),  # 17 + 2 decimals = 19 digits
        ("1000000000000000000", "JPY", "at most 18 digits"),
    ],
)
def test_an_amount_not_exact_in_its_currency_is_refused(
    amount: str, currency: str, problem: str
) -> None:
    """Failed before issue 14: ``"12.345"`` GBP and ``"12.5"`` JPY were accepted and sent."""
    err = refused(lambda: InstructionInput(**instruction(amount=amount, currency=currency)))
    assert err.field == "amount"
    assert problem in err.problem


@pytest.mark.parametrize("currency", ["XYZ", "XAU", "XXX", "BGN", "HRK"])
def test_a_currency_outside_the_iso_4217_table_is_refused(currency: str) -> None:
    """Failed before issue 14: any three capital letters passed as a currency. (Gold,
    "no currency" and withdrawn codes have no minor unit to check an amount against.)"""
    err = refused(lambda: InstructionInput(**instruction(currency=currency)))
    assert err.field == "currency"


def test_the_wire_carries_the_currencys_decimals(fake: FakeImburse) -> None:
    """Failed before issue 14: ``amount="12.5"`` in GBP went out as ``"12.5"``."""

    async def create(client: AsyncImburse) -> None:
        await client.orders.create("ORD-1")
        await client.instructions.create("ORD-1", **instruction(amount="12.5"))
        await client.instructions.create(
            "ORD-1", **instruction(instruction_ref="INS-2", amount="1200.0", currency="JPY")
        )

    assert run_async(fake, create) is None
    bodies = [r.body for r in fake.requests if r.method == "POST" and b"amount" in r.body]
    assert b'"amount":"12.50"' in bodies[0]
    assert b'"amount":"1200"' in bodies[1]


def test_a_huge_amount_sends_nothing(fake: FakeImburse) -> None:
    """Failed before issue 14: ``amount="1e100000000"`` on ``instructions.create`` sent a
    100 MB body. Now it is a ``ValidationError`` naming the field, and nothing is sent (not
    even the token exchange)."""

    async def create(client: AsyncImburse) -> None:
        await client.instructions.create("ORD-1", **instruction(amount="1e100000000"))

    err = run_async(fake, create)
    assert isinstance(err, ValidationError)
    assert err.field == "amount"
    assert fake.requests == []


@pytest.mark.parametrize(
    "build",
    [
        lambda amount: DepositFundsInput(amount=amount),
        lambda amount: CatalogSearchQuery(app_id="TANGOCARD_RAAS", amount=amount),
        lambda amount: RuleInput(currencies=["GBP", "JPY"], low_value_inclusive=amount),
        lambda amount: RuleInput(currencies=["GBP"], high_value_inclusive=amount),
    ],
    ids=["deposit", "catalog-search", "rule-low", "rule-high"],
)
def test_amounts_without_a_single_currency_have_at_most_four_decimals(
    build: Callable[[object], object],
) -> None:
    """Failed before issue 14: these bodies took ``Decimal("1e-30")`` and
    ``Decimal("1e100000000")`` (the latter written out as 100 MB of digits)."""
    amounts: list[object] = [Decimal("1e-30"), Decimal("1e100000000"), "0.00001", "1e3", "\uff11"]
    for amount in amounts:
        err = refused(lambda amount=amount: build(amount))  # type: ignore[misc]
        assert err.field.endswith(("amount", "value_inclusive"))
    build("25.5")  # the caller's own decimals are kept, up to 4
    build(Decimal("0.0001"))


def test_batch_lines_follow_the_same_amount_rules(
    fake: FakeImburse, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Failed before issue 14: a batch line with ``"amount": 1e100000000`` (a JSON number),
    ``"1_000"`` or ``"12.345"`` GBP was created like any other."""
    line = {
        "orderRef": "OK-1",
        "instructions": [
            {
                "instructionRef": "I-1",
                "customerRef": "C-1",
                "direction": "DEBIT",
                "amount": "12.5",
                "currency": "GBP",
                "country": "GB",
            }
        ],
    }
    lines = [json.dumps(line)]
    for n, amount in enumerate(['"1_000"', '"12.345"', "1e100000000", '"\\uff11\\uff12"']):
        bad = json.dumps({**line, "orderRef": f"BAD-{n}"})
        lines.append(bad.replace('"12.5"', amount))
    source = tmp_path / "orders.jsonl"
    source.write_text("\n".join(lines) + "\n")
    out = tmp_path / "results.jsonl"
    with fake.serve() as server:
        monkeypatch.setenv("IMBURSE_BASE_URL", server.url)
        monkeypatch.setenv("IMBURSE_PUBLIC_KEY", fake.public_key)
        monkeypatch.setenv("IMBURSE_PRIVATE_KEY", fake.private_key)
        monkeypatch.setenv("IMBURSE_ACCOUNT_ID", fake.account_id)
        monkeypatch.setenv("IMBURSE_TENANT_ID", fake.tenant_id)
        status = batch_cli.main(["create-orders", str(source), "--out", str(out)])
    assert status == 1
    results = {r["line"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert results[1]["outcome"] == "created"
    for n in (2, 3, 4, 5):
        assert results[n]["outcome"] == "invalid"
        assert results[n]["error"].startswith("instructions[0].amount:")
    assert set(fake.orders) == {"OK-1"}
    assert fake.orders["OK-1"].instructions["I-1"].amount == Decimal("12.50")


# --- item 8: refs and ids ---------------------------------------------------------------------


@pytest.mark.parametrize("ref", [".", ".."])
def test_create_refuses_the_refs_a_read_refuses(fake: FakeImburse, ref: str) -> None:
    """Failed before issue 14: ``orders.create(".")`` and ``("..")`` were sent and created
    an order no read could address (and after an unknown outcome, the read-back was
    impossible)."""

    async def create(client: AsyncImburse) -> None:
        await client.orders.create(ref)

    async def read(client: AsyncImburse) -> None:
        await client.orders.get(ref)

    created, read_back = run_async(fake, create), run_async(fake, read)
    assert isinstance(created, ValidationError)
    assert isinstance(read_back, ValidationError)
    assert created.field == read_back.field == "order_ref"
    assert fake.requests == []
    for field in ("instruction_ref", "customer_ref"):
        args = instruction(**{field: ref})
        assert refused(lambda args=args: InstructionInput(**args)).field == field  # type: ignore[misc]
    assert refused(lambda: OrderInput(order_ref=ref)).field == "order_ref"


ID_CALLS: dict[str, Callable[[AsyncImburse], Awaitable[object]]] = {
    "collect_schemes.get": lambda c: c.collect_schemes.get(BIG),
    "payout_schemes.options": lambda c: c.payout_schemes.options(
        BIG, amount="5.00", currency="GBP", country="GB"
    ),
    "apps.get_marketplace": lambda c: c.apps.get_marketplace(BIG),
    "apps.uninstall": lambda c: c.apps.uninstall(BIG),
    "tenants.get": lambda c: c.tenants.get(BIG),
    "reward_groups.get": lambda c: c.reward_groups.get(BIG),
    "customers.get_financial_instrument": lambda c: c.customers.get_financial_instrument(
        "CUS-1", BIG
    ),
    "instructions.create(scheme_id)": lambda c: c.instructions.create(
        "ORD-1", **instruction(scheme_id=BIG)
    ),
    "instructions.create(financial_instrument_id)": lambda c: c.instructions.create(
        "ORD-1", **instruction(financial_instrument_id=BIG)
    ),
    "instructions.claim_reward": lambda c: c.instructions.claim_reward(
        "ORD-1", "INS-1", reward_id=BIG
    ),
}


@pytest.mark.parametrize("name", sorted(ID_CALLS))
def test_a_10_mb_id_is_refused_and_not_repeated_in_the_error(fake: FakeImburse, name: str) -> None:
    """Failed before issue 14: a 10 MB ``scheme_id`` / ``app_id`` / instrument or reward id
    went out as a 10 MB request line or body, and where a check did refuse it (uuids) the
    ``ValidationError`` repeated all 10 MB."""
    err = run_async(fake, ID_CALLS[name])
    assert isinstance(err, ValidationError)
    assert len(str(err)) < 300
    assert "(10000000 chars)" in str(err) or "characters" in str(err)
    assert fake.requests == []


def test_other_inputs_shorten_what_they_echo() -> None:
    """Failed before issue 14: a reward id of 10 MB was accepted, and a bad direction or
    country came back whole in the message."""
    for build in (
        lambda: InstructionRewardClaimInput(reward_id=BIG),
        lambda: InstructionInput(**instruction(direction=BIG)),
        lambda: InstructionInput(**instruction(country=BIG)),
        lambda: InstructionInput(**instruction(settled_by_date=BIG)),
        lambda: OrderInput(order_ref="O", customer_defaults={BIG: {}}),
    ):
        message = str(refused(build))
        assert len(message) < 300
        assert "... (10000000 chars)" in message
