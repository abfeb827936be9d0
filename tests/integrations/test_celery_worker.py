"""examples/celery_worker.py: the task bodies run directly, as a worker process runs them."""

from __future__ import annotations

import pickle
from collections.abc import Iterator

import celery_worker
import pytest

from imburse import ImburseError

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
    assert celery_worker.create_order("ORD-1", {"policy": "P-9"}) == {
        "ref": "ORD-1",
        "reconciled": False,
        "attempts": 1,
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
