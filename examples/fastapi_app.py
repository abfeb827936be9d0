"""FastAPI: one ``AsyncImburse`` per process, opened in the lifespan, injected per request.

Run it (credentials from the ``IMBURSE_*`` variables; ``python -m imburse fake-server``
prints a set that works against the local fake)::

    pip install 'imburse' fastapi uvicorn
    uvicorn fastapi_app:app --app-dir examples --port 8000
    curl -X POST localhost:8000/orders/ORD-1 -H 'content-type: application/json' -d '{}'
    curl localhost:8000/orders/ORD-1

The client is created when the app starts and closed when it stops, so every request shares
one connection pool and one bearer token. Imburse errors become HTTP answers in one handler.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from imburse import APIStatusError, AsyncImburse, ImburseError, NotFoundError, ValidationError


class NewOrder(BaseModel):
    """What this app accepts to create an order."""

    metadata: dict[str, str] = {}


def get_imburse(request: Request) -> AsyncImburse:
    """The process's client, opened by the lifespan (a FastAPI dependency)."""
    client: AsyncImburse = request.app.state.imburse
    return client


ImburseClient = Annotated[AsyncImburse, Depends(get_imburse)]


def create_app(client_factory: Callable[[], AsyncImburse] = AsyncImburse) -> FastAPI:
    """The app; ``client_factory`` builds the client (by default from ``IMBURSE_*``)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with client_factory() as client:
            app.state.imburse = client
            yield

    app = FastAPI(title="Orders via Imburse", lifespan=lifespan)

    @app.exception_handler(ImburseError)
    async def imburse_error(request: Request, exc: Exception) -> JSONResponse:
        """400 for input refused before sending, 404 for a missing object, 502 otherwise."""
        body: dict[str, Any] = {"error": type(exc).__name__}
        status = 502
        if isinstance(exc, ValidationError):
            body["field"], status = exc.field, 400
        elif isinstance(exc, NotFoundError):
            status = 404
        if isinstance(exc, APIStatusError):
            body.update(code=exc.error_code, correlation_id=exc.correlation_id)
        return JSONResponse(body, status_code=status)

    @app.post("/orders/{ref}", status_code=201)
    async def create_order(ref: str, order: NewOrder, client: ImburseClient) -> dict[str, Any]:
        receipt = await client.orders.create(ref, metadata=order.metadata)
        return {"ref": receipt.ref, "correlation_id": receipt.correlation_id}

    @app.get("/orders/{ref}")
    async def read_order(ref: str, client: ImburseClient) -> dict[str, Any]:
        order = await client.orders.get(ref)
        return {"ref": order.order_ref, "metadata": dict(order.metadata)}

    return app


app = create_app()
