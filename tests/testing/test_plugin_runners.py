"""The plugin's async fixture under pytest-asyncio (strict and auto mode) and anyio's plugin.

Each case runs pytest for real, in a subprocess, on a small test file as a user writes it.
On 0.1.0 the strict-mode case failed with "requested an async fixture
'async_imburse_client', with no plugin or hook that handled it".
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

CONFTEST = 'pytest_plugins = ["imburse.testing.pytest_plugin"]\n'

ASYNCIO_MARKED = """
import pytest

@pytest.mark.asyncio
async def test_create(async_imburse_client, fake_imburse):
    await async_imburse_client.orders.create("ORD-1", metadata={"basket": "B-7"})
    assert fake_imburse.orders["ORD-1"].metadata == {"basket": "B-7"}

@pytest.mark.asyncio
async def test_fresh_fake_per_test(async_imburse_client, fake_imburse):
    assert fake_imburse.orders == {}
    await async_imburse_client.orders.create("ORD-1")
    assert fake_imburse.token_exchanges == 1
"""

UNMARKED = """
async def test_create(async_imburse_client, fake_imburse):
    await async_imburse_client.orders.create("ORD-1")
    assert "ORD-1" in fake_imburse.orders
"""

ANYIO_MARKED = """
import pytest

@pytest.fixture(params=["asyncio", "trio"])
def anyio_backend(request):
    return request.param

@pytest.mark.anyio
async def test_create(async_imburse_client, fake_imburse):
    await async_imburse_client.orders.create("ORD-1")
    order = await async_imburse_client.orders.get("ORD-1")
    assert order.order_ref == "ORD-1"
    assert fake_imburse.token_exchanges == 1
"""


def _pytest(tmp_path: Path, test: str, *options: str, ini: str | None = None) -> str:
    (tmp_path / "conftest.py").write_text(CONFTEST)
    (tmp_path / "test_user.py").write_text(textwrap.dedent(test))
    if ini is not None:
        (tmp_path / "pytest.ini").write_text(textwrap.dedent(ini))
    result = subprocess.run(  # noqa: S603 - our own interpreter and a temp dir
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error", *options],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


STRICT_INI = """
[pytest]
asyncio_mode = strict
asyncio_default_fixture_loop_scope = function
"""

AUTO_INI = """
[pytest]
asyncio_mode = auto
asyncio_default_fixture_loop_scope = function
"""


def test_pytest_asyncio_strict_mode(tmp_path: Path) -> None:
    assert "2 passed" in _pytest(tmp_path, ASYNCIO_MARKED, ini=STRICT_INI)


def test_pytest_asyncio_default_mode_is_strict_and_works(tmp_path: Path) -> None:
    ini = "[pytest]\nasyncio_default_fixture_loop_scope = function\n"
    assert "2 passed" in _pytest(tmp_path, ASYNCIO_MARKED, ini=ini)


def test_pytest_asyncio_auto_mode(tmp_path: Path) -> None:
    assert "1 passed" in _pytest(tmp_path, UNMARKED, ini=AUTO_INI)


def test_anyio_plugin_without_pytest_asyncio(tmp_path: Path) -> None:
    assert "2 passed" in _pytest(tmp_path, ANYIO_MARKED, "-p", "no:asyncio")


def test_anyio_marked_tests_beside_pytest_asyncio_strict_mode(tmp_path: Path) -> None:
    both = ANYIO_MARKED + ASYNCIO_MARKED.replace("import pytest", "").replace(
        "def test_", "def test_asyncio_"
    )
    assert "4 passed" in _pytest(tmp_path, both, ini=STRICT_INI)


def test_a_test_no_plugin_runs_gets_a_message_that_says_what_to_do(tmp_path: Path) -> None:
    test = "def test_sync(async_imburse_client):\n    pass\n"
    with pytest.raises(AssertionError) as failed:
        _pytest(tmp_path, test, "-p", "no:asyncio")
    assert "pip install pytest-asyncio" in str(failed.value)
    assert "@pytest.mark.anyio" in str(failed.value)
