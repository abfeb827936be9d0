"""examples/celery_worker.py: the task bodies run directly, as a worker process runs them.

tests/celery runs the same module on real prefork Celery workers with Redis.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterator
from decimal import Decimal

import celery_worker
import pytest

from imburse import ConflictError, ImburseError

from .conftest import Served


@pytest.fixture
def worker_env(served: Served, monkeypatch: pytest.MonkeyPatch) -> Iterator[Served]:
    """The worker's environment: IMBURSE_* pointing at the fake served over HTTP."""
    for name, value in served.settings.items():
        monkeypatch.setenv(f"IMBURSE_{name.upper()}", str(value))
    yield served
    celery_worker.close_client()


def test_tasks_share_the_client_opened_by_the_worker_hook(worker_env: Served) -> None:
    opened = celery_worker.open_client()  # what worker_process_init does in each child
    assert celery_worker.open_client() is opened  # idempotent
    receipt = celery_worker.create_order("ORD-1", {"policy": "P-9"}, "corr-1")
    assert receipt == {
        "ref": "ORD-1",
        "reconciled": False,
        "attempts": 1,
        "correlation_id": "corr-1",
    }
    assert celery_worker.order_metadata("ORD-1") == {"policy": "P-9"}
    assert celery_worker.client() is opened
    assert worker_env.fake.token_exchanges == 1
    celery_worker.close_client()  # worker_process_shutdown
    assert opened._closed


def test_a_task_outside_a_worker_opens_the_client_on_first_use(worker_env: Served) -> None:
    assert celery_worker.create_order("ORD-2")["ref"] == "ORD-2"
    assert "ORD-2" in worker_env.fake.orders


def test_task_errors_pickle_back_to_the_caller(worker_env: Served) -> None:
    with pytest.raises(ImburseError) as caught:
        celery_worker.order_metadata("NOPE-1")
    # How Celery returns a task's error: pickled by the worker, unpickled by the caller.
    again = pickle.loads(pickle.dumps(caught.value))  # noqa: S301 - our own bytes
    assert type(again) is type(caught.value)
    assert str(again) == str(caught.value)


def test_a_create_task_run_twice_reports_the_order_instead_of_failing(worker_env: Served) -> None:
    """Celery delivers at least once. On 0.1.0 the second run raised "Order ... already exists"."""
    first = celery_worker.create_order("ORD-3", {"policy": "P-1"})
    again = celery_worker.create_order("ORD-3", {"policy": "P-1"})
    assert (first["reconciled"], again["reconciled"]) == (False, True)
    assert worker_env.fake.orders["ORD-3"].metadata == {"policy": "P-1"}
    with pytest.raises(ConflictError):  # other content is never taken for a redelivery
        celery_worker.create_order("ORD-3", {"policy": "P-2"})


def test_a_chunk_of_batch_lines_reports_each_line_like_the_batch_command(
    worker_env: Served,
) -> None:
    instruction = {
        "instructionRef": "INS-1",
        "customerRef": "CUS-1",
        "direction": "DEBIT",
        "amount": "200.10",
        "currency": "GBP",
        "country": "GB",
    }
    lines = [
        json.dumps({"orderRef": "B-1", "metadata": {"camelKey": "kept"}}) + "\n",
        "\n",
        json.dumps({"orderRef": "B-2", "instructions": [instruction]}) + "\n",
        "{not json\n",
        json.dumps({"orderRef": "B-3", "metdata": {}}) + "\n",
    ]
    results = celery_worker.create_orders(10, lines)
    assert [(r["line"], r["orderRef"], r["outcome"]) for r in results] == [
        (10, "B-1", "created"),
        (12, "B-2", "created"),
        (13, None, "invalid"),
        (14, "B-3", "invalid"),
    ]
    assert "metdata" in results[3]["error"]
    assert worker_env.fake.orders["B-1"].metadata == {"camelKey": "kept"}
    assert worker_env.fake.orders["B-2"].instructions["INS-1"].amount == Decimal("200.10")
    # Run again (a redelivered chunk): nothing is created twice.
    again = celery_worker.create_orders(10, lines)
    assert [r["outcome"] for r in again] == [
        "already_existed",
        "already_existed",
        "invalid",
        "invalid",
    ]
