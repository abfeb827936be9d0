"""examples/celery_worker.py on real prefork Celery workers, Redis, JSON results.

Three ``celery worker --pool=prefork`` nodes (subprocesses), a real ``redis-server`` as
broker and result backend (Celery's default JSON serializer), the fake Imburse served over
HTTP. ``nox -s celery`` runs the fan-out with 3,000 orders; the default run uses 150.
"""

from __future__ import annotations

import bisect
import json
import os
import uuid
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

import imburse

from .conftest import QUOTA, Recipe

ORDERS = int(os.environ.get("IMBURSE_CELERY_ORDERS", "150"))
CREATE_PATH = "/v1/order-management"
TOKEN_PATH = "/v1/identity/hmac"


def _run(recipe: Recipe, task: str, *args: object, task_id: str | None = None) -> object:
    result = recipe.app.send_task(task, args=args, task_id=task_id)
    try:
        return result.get(timeout=60)
    finally:
        result.forget()


def _created(recipe: Recipe, ref: str) -> int:
    """How many creates of ``ref`` the fake answered with 2xx (it stores one per answer)."""
    return sum(
        1
        for r in recipe.fake.requests
        if r.method == "POST"
        and r.path == CREATE_PATH
        and r.status is not None
        and 200 <= r.status < 300
        and r.json().get("orderRef") == ref
    )


@pytest.mark.parametrize("case", ["not_found", "conflict"])
def test_errors_reach_the_caller_as_their_class_with_their_correlation_id(
    recipe: Recipe, case: str
) -> None:
    """Celery's JSON results rebuild an error as ``cls(*args)`` from its module and name.

    On 0.1.0 the caller got ``Exception("<class 'imburse._core.errors.NotFoundError'>(...)")``:
    the SDK's errors took keyword-only arguments, so the class and the correlation id were lost.
    """
    correlation_id = f"celery-{uuid.uuid4()}"
    if case == "not_found":
        expected: type[imburse.APIError] = imburse.NotFoundError
        task, args = "imburse.order_metadata", ("NOPE-1", correlation_id)
    else:  # the same ref with other content: a redelivery never overwrites
        expected = imburse.ConflictError
        _run(recipe, "imburse.create_order", "ORD-CONFLICT", {"policy": "P-1"})
        task, args = "imburse.create_order", ("ORD-CONFLICT", {"policy": "P-2"}, correlation_id)
    with pytest.raises(expected) as caught:
        _run(recipe, task, *args)
    assert type(caught.value) is expected
    assert caught.value.correlation_id == correlation_id
    text = str(caught.value)  # the message, not a repr of the class around the args
    assert "<class" not in text
    assert ("not found" in text.lower()) if case == "not_found" else ("ORD-CONFLICT" in text)


def test_a_redelivered_create_task_succeeds_and_stores_the_order_once(recipe: Recipe) -> None:
    """The same task (same id, same arguments) run twice, as Celery's at-least-once delivery does.

    On 0.1.0 the recipe's second run raised ``BadRequestError: Order ... already exists``.
    """
    task_id = str(uuid.uuid4())
    args = ("ORD-REDELIVERED", {"policy": "P-9"})
    first = _run(recipe, "imburse.create_order", *args, task_id=task_id)
    again = _run(recipe, "imburse.create_order", *args, task_id=task_id)
    assert isinstance(first, dict)
    assert isinstance(again, dict)
    assert (first["ref"], first["reconciled"]) == ("ORD-REDELIVERED", False)
    assert (again["ref"], again["reconciled"]) == ("ORD-REDELIVERED", True)
    assert recipe.fake.orders["ORD-REDELIVERED"].metadata == {"policy": "P-9"}
    assert _created(recipe, "ORD-REDELIVERED") == 1
    assert _run(recipe, "imburse.order_metadata", "ORD-REDELIVERED") == {"policy": "P-9"}


def _batch_file(path: Path, count: int) -> list[str]:
    refs = [f"FAN-{n:05d}" for n in range(count)]
    with path.open("w") as out:
        for n, ref in enumerate(refs):
            line: dict[str, object] = {"orderRef": ref, "metadata": {"n": str(n)}}
            if n % 3 == 0:  # some with an instruction inside, amounts as strings
                line["instructions"] = [
                    {
                        "instructionRef": f"INS-{n}",
                        "customerRef": f"CUS-{n % 17}",
                        "direction": "DEBIT",
                        "amount": f"{n + 1}.{n % 100:02d}",
                        "currency": "GBP",
                        "country": "GB",
                    }
                ]
            out.write(json.dumps(line) + "\n")
    return refs


def test_fan_out_creates_each_order_once_with_one_token_within_the_quota(
    recipe: Recipe, tmp_path: Path
) -> None:
    """A batch file split across three workers sharing the Redis quota and token."""
    import celery_worker

    refs = _batch_file(tmp_path / "orders.jsonl", ORDERS)
    start = len(recipe.stamps)
    counts = celery_worker.fan_out(
        str(tmp_path / "orders.jsonl"),
        str(tmp_path / "results.jsonl"),
        chunk_size=25,
        celery_app=recipe.app,
        timeout=600,
    )
    assert counts == {"created": ORDERS}, recipe.workers.output()
    results = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert [r["line"] for r in results] == list(range(1, ORDERS + 1))
    assert [r["orderRef"] for r in results] == refs

    # Each order stored exactly once, as sent.
    assert set(refs) <= set(recipe.fake.orders)
    assert recipe.fake.orders[refs[3]].instructions["INS-3"].amount == Decimal("4.03")
    creates = Counter(
        r.json()["orderRef"]
        for r in recipe.fake.requests
        if r.method == "POST" and r.path == CREATE_PATH and r.status in (201, 202)
    )
    assert all(creates[ref] == 1 for ref in refs)

    # One token for every worker process (at most one exchange each; Redis shares one).
    assert 1 <= recipe.fake.token_exchanges <= recipe.workers.worker_processes
    assert recipe.fake.token_exchanges == 1

    # Within the shared quota: no one-second window holds more than the rate plus the burst.
    times = [t for t, _, path in recipe.stamps[start:] if not path.endswith(TOKEN_PATH)]
    assert len(times) >= ORDERS
    times.sort()
    busiest = max(bisect.bisect_left(times, t + 1) - n for n, t in enumerate(times))
    span = times[-1] - times[0]
    print(f"\n{len(times)} requests from 3 workers in {span:.2f}s; busiest second {busiest}")
    assert busiest <= QUOTA * 1.1 + 5
    assert (len(times) - 6) / span <= QUOTA * 1.1
