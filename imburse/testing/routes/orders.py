"""Order events (``GET /v1/order-management/{orderRef}/events``): the fake records one
``CREATED`` event per order."""

from __future__ import annotations

from .._app import App, Call, Route, route
from .._errors import HTTPProblem
from .._jsonout import JSONValue

__all__ = ["ROUTES"]


def list_events(app: App, call: Call) -> tuple[int, JSONValue]:
    order = app.tenants.get(call.tenant_id, {}).get(call.params["order"])
    if order is None:
        raise HTTPProblem.one(404, "ORDER_NOT_FOUND", "Order not found.")
    return 200, {"events": [{"eventType": "CREATED", "timestamp": call.now_ms}]}


ROUTES: tuple[Route, ...] = (route("GET", r"/v1/order-management/{order}/events", list_events),)
