"""Django: views on the sync ``Imburse`` client, one client per process.

Run this file as a one-module project (credentials from the ``IMBURSE_*`` variables, or an
``IMBURSE = {...}`` dict of client arguments in your settings)::

    pip install 'imburse' django
    python examples/django_app.py runserver 127.0.0.1:8000
    curl -X POST localhost:8000/orders/ORD-1 -d '{}'
    curl localhost:8000/orders/ORD-1

In a project of your own, keep :func:`imburse_client` in one of your modules and call it from
any view. Why one client per process: Django serves requests on threads (``runserver``,
``gunicorn --threads``) and in worker processes forked from a parent. The client is
thread-safe, so all threads share one connection pool and one bearer token; a forked child
must not reuse its parent's sockets, so it builds its own client on first use.
"""

from __future__ import annotations

import atexit
import json
import os
import secrets
import sys
import threading
from typing import Any

import django
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from imburse import APIStatusError, Imburse, ImburseError, NotFoundError, ValidationError

_lock = threading.Lock()
_client: Imburse | None = None
# Clients inherited through fork(): their sockets are the parent's, never used or closed here.
_inherited: list[Imburse] = []


def imburse_client() -> Imburse:
    """This process's client, created on first use from ``settings.IMBURSE`` / ``IMBURSE_*``."""
    global _client
    client = _client
    if client is None:
        with _lock:
            client = _client
            if client is None:
                client = _client = Imburse(**getattr(settings, "IMBURSE", {}))
                atexit.register(client.close)
    return client


def close_imburse_client() -> None:
    """Close this process's client now (it reopens on next use); atexit does it otherwise."""
    global _client
    with _lock:
        client, _client = _client, None
    if client is not None:
        client.close()


def _forget_parent_client() -> None:
    global _client
    if _client is not None:
        _inherited.append(_client)
        _client = None


os.register_at_fork(after_in_child=_forget_parent_client)


def _json_body(request: HttpRequest) -> dict[str, Any] | None:
    """The JSON object in the body, {} when there is none, None when it is not JSON."""
    if request.content_type != "application/json" or not request.body:
        return {}
    try:
        data = json.loads(request.body)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _error(exc: ImburseError) -> JsonResponse:
    """400 for input refused before sending, 404 for a missing object, 502 otherwise."""
    body: dict[str, Any] = {"error": type(exc).__name__}
    status = 502
    if isinstance(exc, ValidationError):
        body["field"], status = exc.field, 400
    elif isinstance(exc, NotFoundError):
        status = 404
    if isinstance(exc, APIStatusError):
        body.update(code=exc.error_code, correlation_id=exc.correlation_id)
    return JsonResponse(body, status=status)


def order(request: HttpRequest, ref: str) -> HttpResponse:
    """``POST /orders/<ref>`` creates the order, ``GET`` reads it."""
    if request.method not in ("GET", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    client = imburse_client()
    try:
        if request.method == "GET":
            found = client.orders.get(ref)
            return JsonResponse({"ref": found.order_ref, "metadata": dict(found.metadata)})
        data = _json_body(request)
        if data is None:
            return JsonResponse({"error": "the body is not a JSON object"}, status=400)
        receipt = client.orders.create(ref, metadata=data.get("metadata") or {})
        body = {"ref": receipt.ref, "correlation_id": receipt.correlation_id}
        return JsonResponse(body, status=201)
    except ImburseError as exc:
        return _error(exc)


urlpatterns = [path("orders/<str:ref>", csrf_exempt(order))]


def configure(**overrides: Any) -> None:
    """Minimal settings to serve this module on its own (a project has its settings file)."""
    if not settings.configured:
        settings.configure(
            **{
                "DEBUG": False,
                "ALLOWED_HOSTS": ["127.0.0.1", "localhost", "testserver"],
                "ROOT_URLCONF": __name__,
                "SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or secrets.token_urlsafe(32),
                "MIDDLEWARE": [],
                "INSTALLED_APPS": [],
                **overrides,
            }
        )
    django.setup()


if __name__ == "__main__":
    from django.core.management import execute_from_command_line

    configure()
    execute_from_command_line(sys.argv)
