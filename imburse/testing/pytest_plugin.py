"""pytest fixtures for the fake Imburse.

Enable in a ``conftest.py``::

    pytest_plugins = ["imburse.testing.pytest_plugin"]

    def test_token(fake_imburse):
        fake_imburse.inject("status", status=503)
        ...

    def test_order(imburse_client, fake_imburse):          # sync SDK client on the fake
        imburse_client.orders.create("ORD-1")
        assert "ORD-1" in fake_imburse.orders

    @pytest.mark.anyio
    async def test_async(async_imburse_client):            # needs anyio's pytest plugin
        await async_imburse_client.orders.create("ORD-1")
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING

import pytest

from ._fake import FakeImburse

if TYPE_CHECKING:
    from .._async.client import AsyncImburse
    from .._sync.client import Imburse

__all__ = ["async_imburse_client", "fake_imburse", "imburse_client"]


@pytest.fixture
def fake_imburse() -> Iterator[FakeImburse]:
    """A fresh :class:`~imburse.testing.FakeImburse` per test; its servers stop afterwards."""
    with FakeImburse() as fake:
        yield fake


@pytest.fixture
def imburse_client(fake_imburse: FakeImburse) -> Iterator[Imburse]:
    """A sync ``Imburse`` client talking to ``fake_imburse`` in-process."""
    with fake_imburse.imburse() as client:
        yield client


@pytest.fixture
async def async_imburse_client(fake_imburse: FakeImburse) -> AsyncIterator[AsyncImburse]:
    """An ``AsyncImburse`` talking to ``fake_imburse`` in-process (anyio tests)."""
    async with fake_imburse.async_imburse() as client:
        yield client
