"""The apps in ``examples/``, served for real, against the fake Imburse over real HTTP."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from imburse import AsyncImburse, Imburse
from imburse.testing import DEMO_CREDENTIALS, FakeImburse

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
if str(EXAMPLES) not in sys.path:
    sys.path.insert(0, str(EXAMPLES))  # the examples are plain modules, as users run them


class Served:
    """A fake Imburse and the URL it is served on."""

    def __init__(self, fake: FakeImburse, url: str) -> None:
        self.fake = fake
        self.url = url

    @property
    def settings(self) -> dict[str, str | None]:
        """Client arguments for this fake: its URL and the demo key."""
        return {
            "base_url": self.url,
            "public_key": DEMO_CREDENTIALS.public_key,
            "private_key": DEMO_CREDENTIALS.private_key,
            "account_id": DEMO_CREDENTIALS.account_id,
            "tenant_id": DEMO_CREDENTIALS.tenant_id,
        }

    def async_factory(self) -> Callable[[], AsyncImburse]:
        return lambda: AsyncImburse(**self.settings)

    def sync_factory(self) -> Callable[[], Imburse]:
        return lambda: Imburse(**self.settings)


@pytest.fixture
def served() -> Iterator[Served]:
    with FakeImburse() as fake, fake.serve() as server:
        yield Served(fake, server.url)


@pytest.fixture
def anyio_backend() -> str:
    """The frameworks here run on asyncio."""
    return "asyncio"
