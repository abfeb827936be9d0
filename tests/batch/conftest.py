"""Fixtures for the batch tests: a fake Imburse served over real HTTP on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from imburse.testing import FakeImburse

from .batch_helpers import ENV_NAMES, Served


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def served() -> Iterator[Served]:
    with FakeImburse() as fake:
        server = fake.serve()
        yield Served(fake, server.url)
