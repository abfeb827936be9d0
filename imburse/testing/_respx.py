"""Answer Imburse calls on a respx router from a :class:`~imburse.testing.FakeImburse`.

respx (the usual way to mock httpx) intercepts the SDK's default ``httpx`` transport, so
``respx.mock`` works with an ordinary ``AsyncImburse`` / ``Imburse``. What it does not know
is Imburse: the HMAC token exchange every client makes first, UUID ids, amounts as strings,
the error bodies. :func:`respx_routes` registers two routes that the fake answers (with its
checks: signature, bearer token, tenant headers, validation), so a test mocks only the calls
it cares about and gets real answers for the rest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

from ._fake import SANDBOX_URL, FakeImburse
from ._faults import TOKEN_PATH

if TYPE_CHECKING:
    import respx

__all__ = ["respx_routes"]


def respx_routes(
    router: respx.Router, fake: FakeImburse | None = None, *, base_url: str = SANDBOX_URL
) -> FakeImburse:
    """Register the token endpoint and every other Imburse path on ``router``; return the fake.

    Two routes, named ``imburse_token`` (``POST /v1/identity/hmac``) and ``imburse`` (any
    other request under ``base_url``), answered by ``fake`` (a new
    :class:`~imburse.testing.FakeImburse` when None). Use the fake's demo key,
    ``imburse.testing.DEMO_CREDENTIALS``, in the client. respx tries routes in the order they
    were added: add routes of your own *before* this call and they win over the fake. The
    route objects keep respx's call records (``router["imburse_token"].call_count``).

    Faults the fake injects act as on its in-process transport (``drop_before`` raises
    ``httpx.ConnectError`` ...); ``latency`` and ``stall`` sleep in the calling thread.

    >>> import respx
    >>> from imburse import Imburse
    >>> from imburse.testing import DEMO_CREDENTIALS, respx_routes
    >>> key = DEMO_CREDENTIALS
    >>> with respx.mock(assert_all_called=False) as router:  # doctest: +SKIP
    ...     router.get(url__regex=r"/v1/order-management/ORD-9$").respond(503)  # yours first
    ...     fake = respx_routes(router)
    ...     with Imburse(public_key=key.public_key, private_key=key.private_key,
    ...                  account_id=key.account_id, tenant_id=key.tenant_id) as client:
    ...         client.orders.create("ORD-1")
    """
    if fake is None:
        fake = FakeImburse()
    transport = fake.transport()

    def answer(request: httpx.Request) -> httpx.Response:
        response = transport.handle_request(request)
        response.read()
        # A fresh response: respx attaches the request itself and may read the body again.
        return httpx.Response(
            response.status_code, headers=response.headers, content=response.content
        )

    base = base_url.rstrip("/")
    router.post(base + TOKEN_PATH, name="imburse_token").mock(side_effect=answer)
    router.route(url__startswith=base + "/", name="imburse").mock(side_effect=answer)
    return fake
