"""Fixtures for the fake Imburse's own tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from imburse.testing import FakeImburse

# Importing the plugin's fixture registers it for this directory, as users would get it
# with ``pytest_plugins = ["imburse.testing.pytest_plugin"]`` (checked in test_fake_plugin).
from imburse.testing.pytest_plugin import fake_imburse  # noqa: F401

from .fake_helpers import VECTOR_TIME, Api, Clock


@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def clock() -> Clock:
    return Clock(VECTOR_TIME)


@pytest.fixture
def fake(clock: Clock) -> Iterator[FakeImburse]:
    with FakeImburse(clock=clock) as fake:
        yield fake


@pytest.fixture
def api(fake: FakeImburse) -> Iterator[Api]:
    with Api(fake) as api:
        yield api
