"""What a v2-style 400 "... not found" becomes: NotFoundError only for an addressed object."""

from __future__ import annotations

import json
from collections.abc import Callable

import httpx
import pytest

from imburse import AsyncImburse, BadRequestError, NotFoundError
from imburse.testing import FakeImburse

from .helpers import ORDERS_PATH, FakeClock, Wire


class NotFoundWire(Wire):
    """Answers every order call with a 400 whose only error says something was not found."""

    def handler(self, request: httpx.Request) -> httpx.Response:
        if not request.url.path.startswith(ORDERS_PATH):
            return super().handler(request)
        self.requests.append((self.clock.now(), request))
        missing = "Scheme" if request.method == "POST" else "Order"
        body = {"errors": [{"errorCode": "VALIDATION_FAILED", "message": f"{missing} not found."}]}
        return httpx.Response(400, content=json.dumps(body).encode())


@pytest.mark.anyio
async def test_a_missing_object_in_the_path_is_not_found_but_a_missing_reference_is_bad_request(
    make_client: Callable[..., AsyncImburse], fake: FakeImburse, clock: FakeClock
) -> None:
    wire = NotFoundWire(fake, clock)
    async with wire.async_client() as http, make_client(http_client=http) as client:
        with pytest.raises(NotFoundError) as missing:
            await client.orders.get("ORD-1")
        with pytest.raises(BadRequestError) as refused:
            await client.orders.create("ORD-2")
    assert (missing.value.status_code, missing.value.message) == (400, "Order not found.")
    # The create named no object in its path: the scheme its body referred to is missing.
    assert type(refused.value) is BadRequestError
    assert refused.value.message == "Scheme not found."
