"""A real ``redis-server`` on 127.0.0.1 for the Redis-backed policies.

The tests start their own server on a free port (no persistence) and stop it afterwards. They
skip, saying why, only when the ``redis-server`` binary is missing; ``.ci/run`` installs it.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from .redis_helpers import RedisServer

SKIP_REASON = (
    "redis-server is not installed: `apt-get install redis-server` (.ci/run installs it) "
    "to run the shared rate limit and token cache tests"
)


def _binary() -> str:
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip(SKIP_REASON)
    return binary


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """One server for the session; each test gets it empty through ``redis_url``."""
    server = RedisServer(_binary(), tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.kill()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    with redis.Redis.from_url(redis_server.url) as client:
        client.flushall()
    return redis_server.url


@pytest.fixture
def own_redis_server(tmp_path: Path) -> Iterator[RedisServer]:
    """A server of this test's own, which the test may kill and restart."""
    server = RedisServer(_binary(), tmp_path)
    server.start()
    yield server
    server.kill()


@pytest.fixture
def anyio_backend() -> str:
    """redis-py's async client runs on asyncio only."""
    return "asyncio"
