"""The pytest plugin gives users a ready SDK client on the fake in one line."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from imburse.testing import FakeImburse


def test_fake_builds_wired_sdk_clients() -> None:
    with FakeImburse() as fake, fake.imburse() as client:
        receipt = client.orders.create("ORD-1", metadata={"k": "v"})
        assert receipt.status_code == 201
        assert fake.orders["ORD-1"].metadata == {"k": "v"}
        assert client.token_exchanges == 1


def test_user_tests_get_sync_and_async_clients(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["imburse.testing.pytest_plugin"]\n')
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent(
            """
            import pytest

            def test_sync(imburse_client, fake_imburse):
                imburse_client.orders.create("ORD-1")
                assert "ORD-1" in fake_imburse.orders

            @pytest.mark.anyio
            async def test_async(async_imburse_client, fake_imburse):
                await async_imburse_client.orders.create("ORD-2")
                order = await async_imburse_client.orders.get("ORD-2")
                assert order.order_ref == "ORD-2"
                assert fake_imburse.token_exchanges == 1
            """
        )
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and a temp dir
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-W",
            "error",
            "-p",
            "no:asyncio",  # anyio's plugin alone; test_plugin_runners covers pytest-asyncio
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "3 passed" in result.stdout  # sync, and async on asyncio and trio
