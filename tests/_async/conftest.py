"""Fixtures for the client tests (converted to ``tests/_sync/conftest.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from imburse import AsyncImburse, DefaultRetryPolicy
from imburse.testing import FakeImburse

from .helpers import FakeClock

_ENV = (
    "IMBURSE_PUBLIC_KEY",
    "IMBURSE_PRIVATE_KEY",
    "IMBURSE_ACCOUNT_ID",
    "IMBURSE_TENANT_ID",
    "IMBURSE_BASE_URL",
    "IMBURSE_ENVIRONMENT",
)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see only the IMBURSE_* variables they set themselves."""
    for name in _ENV:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake(clock: FakeClock) -> FakeImburse:
    return FakeImburse(clock=clock.wall)


def identity(wait: float) -> float:
    """No jitter: waits are exactly 0.5, 1.0, 2.0..."""
    return wait


@pytest.fixture
def make_client(fake: FakeImburse, clock: FakeClock) -> Callable[..., AsyncImburse]:
    """Build a client on the fake, with the injected clock and no jitter; override any argument."""

    def make(**kwargs: Any) -> AsyncImburse:
        defaults: dict[str, Any] = {
            "public_key": fake.public_key,
            "private_key": fake.private_key,
            "account_id": fake.account_id,
            "tenant_id": fake.tenant_id,
            "clock": clock.now,
            "wall_clock": clock.wall,
            "sleep": clock.sleep,
            "retry_policy": DefaultRetryPolicy(jitter=identity),
        }
        defaults.update(kwargs)
        if "http_client" not in defaults:
            defaults["http_client"] = fake.async_client()
        return AsyncImburse(**defaults)

    return make
