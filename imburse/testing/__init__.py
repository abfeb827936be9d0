"""``imburse.testing``: an embedded fake Imburse for your tests (and ours).

It checks the HMAC token exchange exactly as documented, issues and checks bearer tokens,
stores orders and instructions per tenant with the documented validation, answers in the
documented error shape, and can be told to misbehave like a real network.

>>> from imburse.testing import FakeImburse
>>> fake = FakeImburse()
>>> fake.inject("status", status=503, retry_after="1")  # the next call gets a 503
Fault(kind='status', times=1, method=None, path=None, status=503, retry_after='1', retry_after_ms=None, apply=False, delay=0.0, keep=None, fired=0)
>>> with fake.client() as http:
...     http.get("/v1/order-management/REF1").status_code
503

Wire it into the SDK with ``transport=fake.async_transport()`` (or ``fake.transport()``),
or run it over real HTTP with ``fake.serve()`` / ``python -m imburse fake-server``. In
pytest, ``pytest_plugins = ["imburse.testing.pytest_plugin"]`` gives a ``fake_imburse``
fixture.

Where ``imburse-api.md`` is silent the fake makes a conservative, documented choice; the
modules say which codes and shapes are assumptions.
"""

from __future__ import annotations

from ._auth import DEMO_CREDENTIALS, Credentials, ExpiresFormat
from ._fake import Exchange, FakeImburse, FakeResponse, SeenRequest
from ._faults import Fault, FaultKind, RandomFaults
from ._respx import respx_routes
from ._server import FakeServer
from ._state import CustomerDefault, Instruction, Order

__all__ = [
    "FakeImburse",
    "FakeResponse",
    "FakeServer",
    "DEMO_CREDENTIALS",
    "Credentials",
    "Fault",
    "FaultKind",
    "RandomFaults",
    "SeenRequest",
    "Exchange",
    "ExpiresFormat",
    "Order",
    "Instruction",
    "CustomerDefault",
    "respx_routes",
]
