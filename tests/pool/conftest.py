"""Fixtures of the connection-pool tests: the httpcore flavour and threaded HTTP servers.

``server`` here is a plain HTTP/1.1 server (``threaded_http.Server``), not the fake Imburse
that ``tests/conftest.py`` provides under the same name elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType

import pytest

from tests.pool.threaded_http import MakeServer, servers


@pytest.fixture(params=["httpcore", "httpcore2"])
def core(request: pytest.FixtureRequest) -> ModuleType:
    """httpcore, and httpcore2 when the httpx2 extra is installed."""
    module: ModuleType = pytest.importorskip(request.param)
    return module


@pytest.fixture
def server() -> Iterator[MakeServer]:
    """Makes threaded HTTP servers on 127.0.0.1, each closed after the test."""
    with servers() as make:
        yield make
