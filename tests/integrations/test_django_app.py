"""examples/django_app.py through Django's test client: one sync client per process."""

from __future__ import annotations

import json
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import django_app
import pytest
from django.test import Client, override_settings

from .conftest import Served


@pytest.fixture
def django_settings(served: Served) -> Iterator[Served]:
    """Settings configured in-test (once per process), the client pointed at the fake."""
    django_app.configure()
    with override_settings(IMBURSE=served.settings):
        yield served
    django_app.close_imburse_client()


def test_views_create_and_read_orders(django_settings: Served) -> None:
    web = Client()
    created = web.post(
        "/orders/ORD-1", data=json.dumps({"metadata": {"k": "v"}}), content_type="application/json"
    )
    assert created.status_code == 201
    assert created.json()["ref"] == "ORD-1"
    read = web.get("/orders/ORD-1")
    assert read.status_code == 200
    assert read.json() == {"ref": "ORD-1", "metadata": {"k": "v"}}
    missing = web.get("/orders/NOPE-1")
    assert missing.status_code == 404
    assert missing.json()["error"] == "NotFoundError"
    assert web.delete("/orders/ORD-1").status_code == 405
    refused = web.post(f"/orders/{'X' * 51}")
    assert refused.status_code == 400  # the SDK refused the ref before sending anything
    assert refused.json() == {"error": "ValidationError", "field": "order_ref"}
    not_json = web.post("/orders/ORD-2", data="{nope", content_type="application/json")
    assert not_json.status_code == 400
    assert django_settings.fake.orders["ORD-1"].metadata == {"k": "v"}


def test_threads_share_the_process_client(django_settings: Served) -> None:
    def create(n: int) -> int:
        return int(Client().post(f"/orders/ORD-{n}").status_code)

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(create, range(24)))
    assert statuses == [201] * 24
    assert django_settings.fake.token_exchanges == 1  # one client, one token, 8 threads
    assert django_app.imburse_client() is django_app.imburse_client()


def test_a_forked_child_opens_its_own_client(django_settings: Served) -> None:
    parent = django_app.imburse_client()
    django_app._forget_parent_client()  # what os.register_at_fork runs in a new child
    child = django_app.imburse_client()
    assert child is not parent
    assert Client().post("/orders/ORD-CHILD").status_code == 201
    parent.close()  # in a real fork the parent process still owns and closes it
