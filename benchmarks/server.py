"""The benchmark's HTTP server: canned Imburse answers from memory, for granian (RSGI).

Run in its own process (``benchmarks.run`` starts it) so the client process's CPU time is
the client's alone. Routes:

* ``POST /v1/identity/hmac`` -> 201 token answer (counted: batch runs check it is one)
* ``GET /v1/order-management/{ref}`` -> 200 with the ~1.5 KB order; a ref starting with
  ``SLOW`` is answered after ``SLOW_SECONDS`` (the memory benchmark holds calls in flight)
* ``POST /v1/order-management`` -> 201, empty body (counted)
* ``GET /_stats`` -> the counters as JSON; ``POST /_reset`` zeroes them
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from benchmarks.payloads import ORDER_BODY, token_body

__all__ = ["SLOW_SECONDS", "app"]

SLOW_SECONDS = 0.5
_JSON = [("content-type", "application/json")]
_ORDERS = "/v1/order-management"
_STATS = {"token": 0, "create": 0, "get": 0}


async def app(scope: Any, proto: Any) -> None:
    """The RSGI application."""
    method, path = scope.method, scope.path
    if method == "GET" and path.startswith(_ORDERS + "/"):
        if path.startswith(_ORDERS + "/SLOW"):
            await asyncio.sleep(SLOW_SECONDS)
        _STATS["get"] += 1
        proto.response_bytes(200, _JSON, ORDER_BODY)
    elif method == "POST" and path == _ORDERS:
        await proto()  # read the body, as a real server would
        _STATS["create"] += 1
        proto.response_empty(201, [("content-length", "0")])
    elif method == "POST" and path == "/v1/identity/hmac":
        _STATS["token"] += 1
        proto.response_bytes(201, _JSON, token_body(time.time()))
    elif path == "/_stats":
        proto.response_bytes(200, _JSON, json.dumps(_STATS).encode())
    elif path == "/_reset":
        for key in _STATS:
            _STATS[key] = 0
        proto.response_empty(204, [])
    else:
        proto.response_bytes(404, _JSON, b'{"errors":[{"errorCode":"NOT_FOUND"}]}')
