"""Celery with Redis: one sync ``Imburse`` client per worker process, one quota for all.

Run it (credentials from the ``IMBURSE_*`` variables; Redis is Celery's broker and result
backend and holds the shared rate limit and bearer token)::

    pip install 'imburse[redis]' 'celery[redis]'
    export REDIS_URL=redis://localhost:6379/0 QUOTA_PER_SECOND=50
    celery --workdir examples -A celery_worker worker --pool prefork --concurrency 4
    # on any machine, as many workers as you like: they share the quota and the token.

    # fan a batch file (the ``python -m imburse batch create-orders`` format) out to them:
    python examples/celery_worker.py orders.jsonl --out results.jsonl

The pattern, with or without Celery: the worker's parent process must not open the client
(its children would inherit its sockets), so each child opens its own in the
``worker_process_init`` signal and closes it in ``worker_process_shutdown``. Task bodies are
plain functions that take the process's client; they run the same in a worker, in a test or
from a script, and a task called where no worker hook ran (eager mode, a test) opens the
client on first use.

Results and errors travel as JSON (Celery's default serializer): task bodies return plain
dicts, and an Imburse error raised in a task is rebuilt by the caller as the same class with
its message and correlation id.

Celery delivers a task at least once: ``task_acks_late`` (set below, so that a task whose
worker died is run again) and broker redelivery both mean a create can run twice. Every
create here is made with ``existing_ok=True``, so a second run of the same task reports the
order as already there (``reconciled``) instead of raising "Order ... already exists".
"""

from __future__ import annotations

import argparse
import json
import os
import re
import threading
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from celery import Celery, group
from celery.signals import worker_process_init, worker_process_shutdown

from imburse import BatchItemResult, Imburse, OrderInput, RequestOptions

__all__ = [
    "app",
    "client",
    "close_client",
    "create_order",
    "create_orders",
    "fan_out",
    "open_client",
    "order_metadata",
]

#: Orders per fan-out task: big enough to amortise a task's overhead, small enough that a
#: redelivered chunk repeats little work and the chunks spread evenly over the workers.
CHUNK_SIZE = 50
#: Creates in flight per worker process (threads of the sync client, all on one quota).
THREADS_PER_PROCESS = 8

_lock = threading.Lock()
_client: Imburse | None = None
_owner_pid = 0
# A client inherited from the parent through fork(): its sockets are not ours to use or close.
_inherited: list[Imburse] = []


def _new_client() -> Imburse:
    """``Imburse()``, sharing one quota and one token through Redis when ``REDIS_URL`` is set.

    ``QUOTA_PER_SECOND`` (default 50) is the API key's rate limit; every process that uses
    the same ``QUOTA_KEY`` shares it, wherever it runs.
    """
    url = os.environ.get("REDIS_URL")
    if not url:
        return Imburse()
    import redis

    from imburse.redis import RedisRateLimitPolicy, RedisTokenCache

    # Short timeouts: if Redis stalls, the SDK falls back to a local limit at once.
    shared = redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
    rate = float(os.environ.get("QUOTA_PER_SECOND", "50"))
    key = os.environ.get("QUOTA_KEY", "imburse:quota")
    return Imburse(
        rate_limit_policy=RedisRateLimitPolicy(shared, rate=rate, burst=5, key=key),
        token_cache=RedisTokenCache(shared),
    )


def open_client(**_signal: Any) -> Imburse:
    """Open this process's client (connected to ``worker_process_init``); idempotent."""
    global _client, _owner_pid
    with _lock:
        if _client is None or _owner_pid != os.getpid():
            if _client is not None:
                _inherited.append(_client)
            _client, _owner_pid = _new_client(), os.getpid()
        return _client


def close_client(**_signal: Any) -> None:
    """Close this process's client (connected to ``worker_process_shutdown``)."""
    global _client
    with _lock:
        current, _client = _client, None
    if current is not None and _owner_pid == os.getpid():
        current.close()


def client() -> Imburse:
    """The process's client, opened on first use if no worker hook ran."""
    current = _client
    if current is not None and _owner_pid == os.getpid():
        return current
    return open_client()


# --- task bodies: plain functions, registered as tasks below -------------------------------


def create_order(
    order_ref: str, metadata: dict[str, str] | None = None, correlation_id: str | None = None
) -> dict[str, Any]:
    """Create an order; safe when Celery runs the task again.

    ``reconciled`` is true when the order was already there and matches (a redelivered
    task, or a retry after a lost answer); one that differs raises ``ConflictError``.
    """
    order = OrderInput(order_ref=order_ref, metadata=metadata)
    receipt = client().orders.create_from(order, existing_ok=True, **_traced(correlation_id))
    return {
        "ref": receipt.ref,
        "reconciled": receipt.reconciled,
        "attempts": receipt.attempts,
        "correlation_id": receipt.correlation_id,
    }


def order_metadata(order_ref: str, correlation_id: str | None = None) -> dict[str, str]:
    """Read an order back (an unknown ref raises ``imburse.NotFoundError``)."""
    return dict(client().orders.get(order_ref, **_traced(correlation_id)).metadata)


def _traced(correlation_id: str | None) -> RequestOptions:
    # Your own id (a request id, the Celery task id) links your logs to Imburse's;
    # without one the SDK makes one per call.
    return {} if correlation_id is None else {"correlation_id": correlation_id}


_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def _snake_keys(data: Mapping[str, Any]) -> dict[str, Any]:
    return {_CAMEL.sub("_", key).lower(): value for key, value in data.items()}


def order_item(line: str) -> dict[str, Any]:
    """One batch-file line (the API's camelCase JSON) as ``create_many``'s snake_case item.

    Metadata keys and customer refs are yours and are kept as they are; an unknown or
    misspelt field is left in, so ``create_many`` reports the line ``invalid``.

    >>> order_item('{"orderRef": "ORD-1", "instructions": [{"amount": 9.99}]}')
    {'order_ref': 'ORD-1', 'instructions': [{'amount': Decimal('9.99')}]}
    """
    data = json.loads(line, parse_float=Decimal)  # money never passes through float
    if not isinstance(data, Mapping):
        return {"line": data}  # create_many reports it invalid
    item = _snake_keys(data)
    if isinstance(item.get("instructions"), list):
        item["instructions"] = [
            _snake_keys(i) if isinstance(i, Mapping) else i for i in item["instructions"]
        ]
    if isinstance(item.get("customer_defaults"), Mapping):
        item["customer_defaults"] = {
            ref: _snake_keys(d) if isinstance(d, Mapping) else d
            for ref, d in item["customer_defaults"].items()
        }
    return item


def _result_line(
    line: int, ref: str | None, outcome: str, error: str | None, correlation_id: str | None
) -> dict[str, Any]:
    # The same fields as a ``batch create-orders`` results file.
    return {
        "line": line,
        "orderRef": ref,
        "outcome": outcome,
        "error": error,
        "correlationId": correlation_id,
    }


def create_orders(first_line: int, lines: Sequence[str]) -> list[dict[str, Any]]:
    """Create the orders of a chunk of batch-file lines (numbered from ``first_line``).

    Returns one result per non-blank line, as ``batch create-orders`` writes them. Safe to
    run again: orders already created are reported ``already_existed``, and an order that
    exists with other content is reported ``conflict`` and left alone.
    """
    results: list[dict[str, Any]] = []
    numbers: list[int] = []
    items: list[dict[str, Any]] = []
    for number, text in enumerate(lines, first_line):
        if not text.strip():
            continue
        try:
            item = order_item(text)
        except ValueError as err:  # not JSON
            results.append(_result_line(number, None, "invalid", f"malformed JSON: {err}", None))
            continue
        numbers.append(number)
        items.append(item)

    def record(result: BatchItemResult) -> None:
        error = None if result.error is None else str(result.error)
        line = numbers[result.index]
        results.append(_result_line(line, result.ref, result.outcome, error, result.correlation_id))

    client().orders.create_many(items, concurrency=THREADS_PER_PROCESS, on_result=record)
    return sorted(results, key=lambda result: int(result["line"]))


# --- the Celery app ------------------------------------------------------------------------


def make_celery(broker: str | None = None, backend: str | None = None) -> Any:
    """The Celery app, with the worker hooks and the tasks registered.

    Broker and result backend default to ``CELERY_BROKER_URL`` / ``CELERY_RESULT_BACKEND``,
    else ``REDIS_URL``. The serializer is Celery's default, JSON.
    """
    redis_url = os.environ.get("REDIS_URL")
    app = Celery(
        "imburse_example",
        broker=broker or os.environ.get("CELERY_BROKER_URL") or redis_url,
        backend=backend or os.environ.get("CELERY_RESULT_BACKEND") or redis_url,
    )
    app.conf.update(
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        # Acknowledge a task when it has finished, and run it again if its worker died
        # meanwhile: at-least-once, which the creates above are safe under.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        # One task at a time per process, so fan-out chunks spread over every worker.
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
    )
    worker_process_init.connect(open_client, weak=False)
    worker_process_shutdown.connect(close_client, weak=False)
    app.task(name="imburse.create_order")(create_order)
    app.task(name="imburse.order_metadata")(order_metadata)
    app.task(name="imburse.create_orders")(create_orders)
    return app


# ``celery -A celery_worker worker`` finds this.
app = make_celery()


def _chunks(path: str, size: int) -> Iterator[tuple[int, list[str]]]:
    with open(path, encoding="utf-8") as source:
        first, chunk = 1, []
        for number, line in enumerate(source, 1):
            chunk.append(line)
            if len(chunk) == size:
                yield first, chunk
                first, chunk = number + 1, []
        if chunk:
            yield first, chunk


def fan_out(
    path: str,
    out: str,
    *,
    chunk_size: int = CHUNK_SIZE,
    timeout: float = 3600,
    celery_app: Any = None,
) -> dict[str, int]:
    """Split a batch file into chunks, create them on the workers, write the results file.

    Returns the count per outcome. The results file has one line per input line, in input
    order, as ``python -m imburse batch create-orders`` writes it. Safe to re-run.
    ``celery_app`` defaults to this module's ``app``.

    >>> fan_out("orders.jsonl", "results.jsonl")  # doctest: +SKIP
    {'created': 3000}
    """
    task = (celery_app or app).signature("imburse.create_orders")
    job = group(task.clone(args=(first, lines)) for first, lines in _chunks(path, chunk_size))
    chunks: list[list[dict[str, Any]]] = job.apply_async().get(timeout=timeout)
    counts: dict[str, int] = {}
    with open(out, "w", encoding="utf-8") as results:
        for chunk in chunks:
            for result in chunk:
                results.write(json.dumps(result) + "\n")
                counts[result["outcome"]] = counts.get(result["outcome"], 0) + 1
    return counts


def main(argv: list[str] | None = None) -> int:
    """``python examples/celery_worker.py orders.jsonl --out results.jsonl``."""
    parser = argparse.ArgumentParser(description=fan_out.__doc__)
    parser.add_argument("input")
    parser.add_argument("--out", required=True)
    parser.add_argument("--chunk-size", type=int, default=CHUNK_SIZE)
    args = parser.parse_args(argv)
    counts = fan_out(args.input, args.out, chunk_size=args.chunk_size)
    print(json.dumps(counts))
    return 0 if set(counts) <= {"created", "already_existed"} else 1


if __name__ == "__main__":
    raise SystemExit(main())
