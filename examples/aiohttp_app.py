"""aiohttp: one ``AsyncImburse`` per process, opened and closed by a ``cleanup_ctx``.

Run it (credentials from the ``IMBURSE_*`` variables; ``python -m imburse fake-server``
prints a set that works against the local fake)::

    pip install 'imburse' aiohttp
    python examples/aiohttp_app.py --port 8000
    curl -X POST localhost:8000/orders/ORD-1 -d '{}'
    curl localhost:8000/orders/ORD-1

``cleanup_ctx`` runs the code before ``yield`` at startup and the rest at shutdown, so the
client's pool and token live exactly as long as the app. Handlers read it with a typed
``web.AppKey``.
"""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator, Callable
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from imburse import APIStatusError, AsyncImburse, ImburseError, NotFoundError, ValidationError

IMBURSE = web.AppKey("imburse", AsyncImburse)
routes = web.RouteTableDef()


@web.middleware
async def imburse_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Imburse errors as JSON: 400 for input refused before sending, 404 for a missing
    object, 502 otherwise."""
    try:
        return await handler(request)
    except ImburseError as exc:
        body: dict[str, Any] = {"error": type(exc).__name__}
        status = 502
        if isinstance(exc, ValidationError):
            body["field"], status = exc.field, 400
        elif isinstance(exc, NotFoundError):
            status = 404
        if isinstance(exc, APIStatusError):
            body.update(code=exc.error_code, correlation_id=exc.correlation_id)
        return web.json_response(body, status=status)


@routes.post("/orders/{ref}")
async def create_order(request: web.Request) -> web.Response:
    try:
        data = await request.json() if request.can_read_body else {}
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return web.json_response({"error": "the body is not a JSON object"}, status=400)
    receipt = await request.app[IMBURSE].orders.create(
        request.match_info["ref"], metadata=data.get("metadata") or {}
    )
    return web.json_response(
        {"ref": receipt.ref, "correlation_id": receipt.correlation_id}, status=201
    )


@routes.get("/orders/{ref}")
async def read_order(request: web.Request) -> web.Response:
    order = await request.app[IMBURSE].orders.get(request.match_info["ref"])
    return web.json_response({"ref": order.order_ref, "metadata": dict(order.metadata)})


def create_app(client_factory: Callable[[], AsyncImburse] = AsyncImburse) -> web.Application:
    """The app; ``client_factory`` builds the client (by default from ``IMBURSE_*``)."""

    async def imburse_client(app: web.Application) -> AsyncIterator[None]:
        async with client_factory() as client:
            app[IMBURSE] = client
            yield

    app = web.Application(middlewares=[imburse_errors])
    app.cleanup_ctx.append(imburse_client)
    app.add_routes(routes)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)  # fake-server takes 8080
    args = parser.parse_args()
    web.run_app(create_app(), host=args.host, port=args.port)


if __name__ == "__main__":
    main()
