"""pytest fixtures for the fake Imburse.

Enable in a ``conftest.py``::

    pytest_plugins = ["imburse.testing.pytest_plugin"]

    def test_order(imburse_client, fake_imburse):          # sync SDK client on the fake
        imburse_client.orders.create("ORD-1")
        assert "ORD-1" in fake_imburse.orders

    @pytest.mark.asyncio                                   # pytest-asyncio, strict or auto mode
    async def test_async(async_imburse_client, fake_imburse):
        await async_imburse_client.orders.create("ORD-1")

    @pytest.mark.anyio                                     # or anyio's plugin (asyncio, trio)
    async def test_anyio(async_imburse_client):
        await async_imburse_client.orders.create("ORD-1")

``async_imburse_client`` is opened and closed on the event loop that runs the test: anyio's
when the test is marked ``anyio`` (it then has the ``anyio_backend`` fixture), otherwise
pytest-asyncio's. It is a plain fixture that picks one of two async ones, because each plugin
runs only the async fixtures it recognises (pytest-asyncio's strict mode only those made with
``pytest_asyncio.fixture``; anyio only those of tests that use ``anyio_backend``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from typing import TYPE_CHECKING, Any, cast

import pytest

from ._fake import FakeImburse

if TYPE_CHECKING:
    from .._async.client import AsyncImburse
    from .._sync.client import Imburse

__all__ = ["async_imburse_client", "fake_imburse", "imburse_client"]

_NO_ASYNC_RUNNER = (
    "async_imburse_client needs an async test run by pytest-asyncio "
    "(`pip install pytest-asyncio`, then @pytest.mark.asyncio or asyncio_mode = auto) "
    "or by anyio's plugin (@pytest.mark.anyio)"
)


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
def async_imburse_client(request: pytest.FixtureRequest) -> AsyncImburse:
    """An ``AsyncImburse`` talking to ``fake_imburse`` in-process, on the test's event loop.

    Works in tests marked ``@pytest.mark.asyncio`` (pytest-asyncio, strict or auto mode)
    and ``@pytest.mark.anyio`` (anyio's plugin, asyncio or trio).
    """
    if "anyio_backend" in request.fixturenames:
        name = "_imburse_async_client_anyio"
    elif request.config.pluginmanager.has_plugin("asyncio") and _asyncio_fixture is not None:
        name = "_imburse_async_client_asyncio"
    else:
        pytest.fail(_NO_ASYNC_RUNNER, pytrace=False)
    return cast("AsyncImburse", request.getfixturevalue(name))


@pytest.fixture
async def _imburse_async_client_anyio(fake_imburse: FakeImburse) -> AsyncIterator[AsyncImburse]:
    # Run by anyio's plugin, which takes any async fixture of a test using ``anyio_backend``.
    async with fake_imburse.async_imburse() as client:
        yield client


def _pytest_asyncio_fixture() -> Callable[..., Any] | None:
    """The fixture for pytest-asyncio, or None when it is not installed."""
    try:
        import pytest_asyncio
    except ImportError:
        return None

    # Made with pytest-asyncio's own decorator: its strict mode runs no other async fixture.
    @pytest_asyncio.fixture(name="_imburse_async_client_asyncio")
    async def opened(fake_imburse: FakeImburse) -> AsyncIterator[AsyncImburse]:
        async with fake_imburse.async_imburse() as client:
            yield client

    fixture: Callable[..., Any] = opened
    return fixture


_asyncio_fixture = _pytest_asyncio_fixture()
