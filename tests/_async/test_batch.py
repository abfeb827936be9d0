"""``orders.create_many``: outcomes, faults, lazy input, real bounded concurrency.

Written once for asyncio and trio; ``scripts/unasync.py`` turns it into the sync twin's
test, where the workers are threads.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from imburse import (
    BadRequestError,
    BatchItemResult,
    BatchProgress,
    ConflictError,
    DefaultRetryPolicy,
    OrderInput,
    OutcomeUnknownError,
    ValidationError,
)
from imburse.testing import FakeImburse, SeenRequest

ORDERS_PATH = "/v1/order-management"


def order(ref: str, amount: str = "10.00", scheme_id: str | None = None) -> dict[str, Any]:
    """An order with one DEBIT instruction, as snake_case mapping."""
    instruction: dict[str, Any] = {
        "instruction_ref": "I-1",
        "customer_ref": "C-1",
        "direction": "DEBIT",
        "amount": Decimal(amount),
        "currency": "GBP",
        "country": "GB",
    }
    if scheme_id is not None:
        instruction["scheme_id"] = scheme_id
    return {"order_ref": ref, "metadata": {"batch": "test"}, "instructions": [instruction]}


async def no_sleep(seconds: float) -> None:
    """Retries without waiting (the fake's faults need no real back-off)."""


def no_jitter(wait: float) -> float:
    return wait


@pytest.fixture
def batch_fake() -> Iterator[FakeImburse]:
    with FakeImburse() as fake:
        yield fake


def stored_amount(fake: FakeImburse, ref: str) -> Decimal:
    return fake.orders[ref].instructions["I-1"].amount


@pytest.mark.anyio
async def test_every_outcome_is_reported_and_an_existing_order_is_never_overwritten(
    batch_fake: FakeImburse,
) -> None:
    results: list[BatchItemResult] = []
    async with batch_fake.async_imburse() as client:
        await client.orders.create_from(OrderInput(**order("SAME")))
        await client.orders.create_from(OrderInput(**order("DIFF", amount="99.00")))
        items: list[Any] = [
            order("NEW-1"),
            OrderInput(**order("NEW-2")),
            order("SAME"),
            order("DIFF"),
            {"order_ref": "bad ref"},
            {"orderRef": "CAMEL-CASE"},
            "not an order",
        ]
        report = await client.orders.create_many(items, concurrency=3, on_result=results.append)

    assert report.counts() == {
        "created": 2,
        "already_existed": 1,
        "conflict": 1,
        "failed": 0,
        "unknown": 0,
        "invalid": 3,
    }
    assert (report.total, report.ok) == (7, False)
    by_index = {result.index: result for result in results}
    assert len(results) == len(by_index) == 7  # each item reported exactly once
    assert [by_index[n].outcome for n in range(7)] == [
        "created",
        "created",
        "already_existed",
        "conflict",
        "invalid",
        "invalid",
        "invalid",
    ]
    # Only the non-successful items are kept in the report.
    assert sorted((r.index, r.ref, r.outcome) for r in report.failures) == [
        (3, "DIFF", "conflict"),
        (4, "bad ref", "invalid"),
        (5, None, "invalid"),
        (6, None, "invalid"),
    ]
    created = by_index[0]
    assert created.receipt is not None
    assert created.receipt.status_code == 202
    assert created.correlation_id == created.receipt.correlation_id
    conflict = by_index[3]
    assert isinstance(conflict.error, ConflictError)
    assert conflict.correlation_id
    assert conflict.correlation_id == conflict.error.correlation_id
    assert "amount" in str(conflict.error)
    invalid = by_index[4].error
    assert isinstance(invalid, ValidationError)
    assert invalid.field == "order_ref"
    assert isinstance(by_index[5].error, ValidationError)  # camelCase keys are not arguments
    # The conflicting order keeps what it had; nothing was sent for the invalid items.
    assert stored_amount(batch_fake, "DIFF") == Decimal("99.00")
    assert set(batch_fake.orders) == {"SAME", "DIFF", "NEW-1", "NEW-2"}
    assert not any(b"bad ref" in r.body for r in batch_fake.requests)


def posts_by_ref(fake: FakeImburse) -> dict[str, list[SeenRequest]]:
    posts: dict[str, list[SeenRequest]] = {}
    for request in fake.requests:
        if request.method == "POST" and request.path == ORDERS_PATH:
            posts.setdefault(request.json()["orderRef"], []).append(request)
    return posts


@pytest.mark.anyio
async def test_a_batch_under_seeded_random_faults_reports_each_item_as_imburse_saw_it(
    batch_fake: FakeImburse,
) -> None:
    fake = batch_fake
    client = fake.async_imburse(
        max_retries=12, sleep=no_sleep, retry_policy=DefaultRetryPolicy(jitter=no_jitter)
    )
    async with client:
        await client.orders.create_from(OrderInput(**order("PRE-SAME")))
        await client.orders.create_from(OrderInput(**order("PRE-DIFF", amount="99.00")))
        chaos = fake.inject_random(
            seed=20240610,
            rates={
                "status_503": 0.06,
                "status_503_applied": 0.06,
                "status_502": 0.04,
                "drop_before": 0.05,
                "drop_after": 0.06,
                "status_429": 0.05,
            },
            retry_after="0",
        )
        items = [order(f"R-{n:03d}", amount=f"{n + 1}.25") for n in range(150)]
        items += [order("PRE-SAME"), order("PRE-DIFF")]
        results: dict[str, BatchItemResult] = {}

        def keep(result: BatchItemResult) -> None:
            assert result.ref is not None
            assert result.ref not in results
            results[result.ref] = result

        report = await client.orders.create_many(iter(items), concurrency=8, on_result=keep)
    fake.clear_faults()

    assert sum(chaos.counts.values()) > 50  # the faults really fired
    assert len(results) == len(items)
    posts = posts_by_ref(fake)
    for ref, result in results.items():
        # The item's outcome follows from the last answer Imburse gave to its create.
        last = posts[ref][-1]
        if last.status in (201, 202):
            expected = "created"
        else:
            assert last.status == 400, (ref, [(p.status, p.fault) for p in posts[ref]])
            expected = "conflict" if ref == "PRE-DIFF" else "already_existed"
        assert result.outcome == expected, (ref, [(p.status, p.fault) for p in posts[ref]])
    lost_answers = [r for r in results.values() if r.ref != "PRE-SAME" and r.ref.startswith("R-")]
    assert any(r.outcome == "already_existed" for r in lost_answers)  # settled by read-back
    assert report.counts()["failed"] == report.counts()["unknown"] == 0
    assert [(r.ref, r.outcome) for r in report.failures] == [("PRE-DIFF", "conflict")]
    # Imburse holds each order once, as sent; the differing one is untouched.
    assert set(fake.orders) == {item["order_ref"] for item in items}
    for n in range(150):
        assert stored_amount(fake, f"R-{n:03d}") == Decimal(f"{n + 1}.25")
    assert stored_amount(fake, "PRE-DIFF") == Decimal("99.00")


@pytest.mark.anyio
async def test_refusals_are_failed_and_lost_answers_are_unknown(batch_fake: FakeImburse) -> None:
    batch_fake.schemes = {"KNOWN-SCHEME"}
    async with batch_fake.async_imburse(max_retries=1, sleep=no_sleep) as client:
        refused = await client.orders.create_many([order("REFUSED", scheme_id="OTHER")])
        batch_fake.inject("drop_after", times=None, method="POST")
        lost = await client.orders.create_many([order("LOST", scheme_id="KNOWN-SCHEME")])

    (failed,) = refused.failures
    assert (failed.ref, failed.outcome) == ("REFUSED", "failed")
    assert isinstance(failed.error, BadRequestError)
    assert failed.correlation_id
    assert failed.error.__traceback__ is None  # kept small: no frames pinned in memory
    (unknown,) = lost.failures
    assert (unknown.ref, unknown.outcome) == ("LOST", "unknown")
    assert isinstance(unknown.error, OutcomeUnknownError)
    assert unknown.correlation_id
    assert "LOST" in batch_fake.orders  # it was applied: "unknown" never claims otherwise
    assert (refused.ok, lost.ok) == (False, False)


@pytest.mark.anyio
async def test_input_is_read_only_when_a_worker_is_free_and_items_run_concurrently(
    batch_fake: FakeImburse,
) -> None:
    batch_fake.inject("latency", delay=0.1, times=None, method="POST")
    taken = 0
    finished = 0
    held: list[int] = []
    progress: list[BatchProgress] = []

    def source() -> Iterator[dict[str, Any]]:
        nonlocal taken
        for n in range(40):
            taken += 1
            yield order(f"L-{n}")

    def on_result(result: BatchItemResult) -> None:
        nonlocal finished
        finished += 1
        held.append(taken - finished)

    async with batch_fake.async_imburse() as client:
        started = time.monotonic()
        report = await client.orders.create_many(
            source(), concurrency=10, on_result=on_result, on_progress=progress.append
        )
        elapsed = time.monotonic() - started

    assert report.created == 40
    assert max(held) <= 10  # never more items taken than workers
    # Four waves of 0.1 s: concurrent (one at a time would take 4 s), and bounded.
    assert 0.35 <= elapsed < 2.0
    assert [p.done for p in progress] == list(range(1, 41))
    assert max(p.in_flight for p in progress) == 9  # the other nine of a full wave
    assert progress[-1].in_flight == 0
    assert progress[-1].created == 40


@pytest.mark.anyio
async def test_an_async_iterable_is_read_like_any_other(batch_fake: FakeImburse) -> None:
    async def source() -> Any:
        for n in range(5):
            yield order(f"A-{n}")

    async with batch_fake.async_imburse() as client:
        report = await client.orders.create_many(source(), concurrency=2)
    assert (report.created, report.ok, report.failures) == (5, True, ())


@pytest.mark.anyio
async def test_a_failing_callback_stops_the_batch_after_the_calls_in_flight(
    batch_fake: FakeImburse,
) -> None:
    taken = 0

    def source() -> Iterator[dict[str, Any]]:
        nonlocal taken
        for n in range(1000):
            taken += 1
            yield order(f"C-{n}")

    def on_result(result: BatchItemResult) -> None:
        if result.index == 5:
            raise RuntimeError("results disk full")

    async with batch_fake.async_imburse() as client:
        create_many = client.orders.create_many
        with pytest.raises(RuntimeError, match="results disk full"):
            await create_many(source(), concurrency=4, on_result=on_result)
    assert 6 <= taken < 20
    assert len(batch_fake.orders) == taken  # every item taken was finished, none abandoned


@pytest.mark.anyio
async def test_an_input_that_raises_stops_the_batch_after_the_calls_in_flight(
    batch_fake: FakeImburse,
) -> None:
    def source() -> Iterator[dict[str, Any]]:
        for n in range(5):
            yield order(f"E-{n}")
        raise OSError("database cursor lost")

    async with batch_fake.async_imburse() as client:
        create_many = client.orders.create_many
        with pytest.raises(OSError, match="cursor lost"):
            await create_many(source(), concurrency=3)
    assert len(batch_fake.orders) == 5


@pytest.mark.anyio
@pytest.mark.parametrize("concurrency", [0, -1, True, 2.5])
async def test_concurrency_must_be_a_positive_int(
    batch_fake: FakeImburse, concurrency: Any
) -> None:
    async with batch_fake.async_imburse() as client:
        create_many = client.orders.create_many
        with pytest.raises(ValidationError, match="concurrency"):
            await create_many([order("X")], concurrency=concurrency)
    assert batch_fake.requests == []
