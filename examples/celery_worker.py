"""Celery (or any pre-forking worker): one sync ``Imburse`` client per worker process.

Run it (credentials from the ``IMBURSE_*`` variables)::

    pip install 'imburse' celery
    celery --workdir examples -A celery_worker worker --concurrency 4

The pattern, with or without Celery: the worker's parent process must not open the client
(its children would inherit its sockets), so each child opens its own in the
``worker_process_init`` signal and closes it in ``worker_process_shutdown``. Task bodies are
plain functions that take the process's client; they run the same in a worker, in a test or
from a script, and a task called where no worker hook ran (eager mode, a test) opens the
client on first use. Imburse errors pickle, so they travel back to the caller as results.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
import threading
from typing import Any

from imburse import Imburse

_lock = threading.Lock()
_client: Imburse | None = None
_owner_pid = 0
# A client inherited from the parent through fork(): its sockets are not ours to use or close.
_inherited: list[Imburse] = []


def open_client(**_signal: Any) -> Imburse:
    """Open this process's client (connect to ``worker_process_init``); idempotent."""
    global _client, _owner_pid
    with _lock:
        if _client is None or _owner_pid != os.getpid():
            if _client is not None:
                _inherited.append(_client)
            _client, _owner_pid = Imburse(), os.getpid()
        return _client


def close_client(**_signal: Any) -> None:
    """Close this process's client (connect to ``worker_process_shutdown``)."""
    global _client
    with _lock:
        client, _client = _client, None
    if client is not None and _owner_pid == os.getpid():
        client.close()


def client() -> Imburse:
    """The process's client, opened on first use if no worker hook ran."""
    current = _client
    if current is not None and _owner_pid == os.getpid():
        return current
    return open_client()


# --- task bodies: register them with @app.task (see make_celery) ---------------------------


def create_order(order_ref: str, metadata: dict[str, str] | None = None) -> dict[str, Any]:
    """Create an order; safe to retry (Imburse refs are idempotency keys)."""
    receipt = client().orders.create(order_ref, metadata=metadata or {})
    return {"ref": receipt.ref, "reconciled": receipt.reconciled, "attempts": receipt.attempts}


def order_metadata(order_ref: str) -> dict[str, str]:
    """Read an order back."""
    return dict(client().orders.get(order_ref).metadata)


def make_celery(broker: str | None = None) -> Any:
    """The Celery app with the hooks and the tasks registered (needs ``pip install celery``)."""
    celery = importlib.import_module("celery")
    signals = importlib.import_module("celery.signals")
    app = celery.Celery("imburse_example", broker=broker or os.environ.get("CELERY_BROKER_URL"))
    signals.worker_process_init.connect(open_client, weak=False)
    signals.worker_process_shutdown.connect(close_client, weak=False)
    app.task(name="imburse.create_order")(create_order)
    app.task(name="imburse.order_metadata")(order_metadata)
    return app


# ``celery -A celery_worker worker`` finds this; without Celery installed the module still
# imports, so the task bodies can be used and tested on their own.
app = make_celery() if importlib.util.find_spec("celery") else None
