"""pytest fixtures for the fake Imburse.

Enable in a ``conftest.py``::

    pytest_plugins = ["imburse.testing.pytest_plugin"]

    def test_token(fake_imburse):
        fake_imburse.inject("status", status=503)
        ...
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ._fake import FakeImburse

__all__ = ["fake_imburse"]


@pytest.fixture
def fake_imburse() -> Iterator[FakeImburse]:
    """A fresh :class:`~imburse.testing.FakeImburse` per test; its servers stop afterwards."""
    with FakeImburse() as fake:
        yield fake
