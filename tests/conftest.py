"""Fixtures shared by every test directory."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from imburse.testing import FakeImburse, FakeServer


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    """Run each ``@pytest.mark.anyio`` test on asyncio and on trio."""
    return str(request.param)


@pytest.fixture
def fake() -> Iterator[FakeImburse]:
    """A fresh in-memory Imburse (a directory's conftest may provide its own)."""
    with FakeImburse() as fake:
        yield fake


@pytest.fixture
def server(fake: FakeImburse) -> Iterator[FakeServer]:
    """``fake`` served over real HTTP on 127.0.0.1, for clients that open their own pool."""
    with fake.serve() as running:
        yield running
