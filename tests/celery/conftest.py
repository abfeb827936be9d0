"""Celery workers, a real ``redis-server`` (broker, result backend, shared quota and token)
and the fake Imburse served over HTTP, for the recipe in ``examples/celery_worker.py``.

One set of workers per module: starting prefork workers takes seconds. The tests skip,
saying why, only when the ``redis-server`` binary is missing; ``.ci/run`` installs it.
"""

from __future__ import annotations

import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis

from imburse.testing import FakeImburse

from ..redis.redis_helpers import RedisServer
from .celery_helpers import EXAMPLES, CeleryWorkers, worker_env

if str(EXAMPLES) not in sys.path:
    sys.path.insert(0, str(EXAMPLES))  # the caller imports the example, as users do

import celery_worker

QUOTA = 100.0  # requests per second, shared by every worker process
NODES = 3


class Recipe:
    """What a test sees: the fake, the caller's Celery app, the workers, request times."""

    def __init__(self, fake: FakeImburse, app: Any, workers: CeleryWorkers) -> None:
        self.fake = fake
        self.app = app
        self.workers = workers
        self.stamps: list[tuple[float, str, str]] = []  # (monotonic time, method, path)


@pytest.fixture(scope="module")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed: `apt-get install redis-server`")
    server = RedisServer(binary, tmp_path_factory.mktemp("celery-redis"))
    server.start()
    yield server
    server.kill()


def _stamped(fake: FakeImburse, stamps: list[tuple[float, str, str]]) -> Callable[..., Any]:
    """``fake.begin`` that also records when each request reached the fake's HTTP server."""
    begin: Callable[..., Any] = fake.begin
    lock = threading.Lock()

    def stamped(method: str, url_or_path: str, headers: Any) -> Any:
        with lock:
            stamps.append((time.monotonic(), method, url_or_path))
        return begin(method, url_or_path, headers)

    return stamped


@pytest.fixture(scope="module")
def recipe(redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Recipe]:
    """Three prefork worker nodes (one process each) against one fake and one Redis."""
    with redis.Redis.from_url(redis_server.url) as r:
        r.flushall()
    logs = tmp_path_factory.mktemp("celery-logs")
    with FakeImburse() as fake, fake.serve() as server, pytest.MonkeyPatch.context() as mp:
        app = celery_worker.make_celery(broker=redis_server.url, backend=redis_server.url)
        workers = CeleryWorkers(
            worker_env(server.url, redis_server.url, QUOTA), logs, nodes=NODES, concurrency=1
        )
        found = Recipe(fake, app, workers)
        mp.setattr(fake, "begin", _stamped(fake, found.stamps))
        workers.start(app)
        try:
            yield found
        finally:
            workers.stop()
            app.close()
