"""Values the fake hands out: its answer to one request, and its record of one request."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from http import HTTPStatus
from typing import Any, Literal

import attrs

from ._faults import Fault

__all__ = ["Action", "FakeResponse", "SeenRequest", "gateway_response"]

Action = Literal["respond", "drop_before", "drop_after", "stall", "truncate"]

_GATEWAY_PAGE = (
    "<html>\r\n<head><title>{status} {phrase}</title></head>\r\n<body>\r\n"
    "<center><h1>{status} {phrase}</h1></center>\r\n<hr><center>nginx</center>\r\n"
    "</body>\r\n</html>\r\n"
)
_SECRET_HEADERS = frozenset({"authorization"})


def _redact(headers: Mapping[str, str]) -> str:
    shown = {k: ("***" if k in _SECRET_HEADERS else v) for k, v in headers.items()}
    return repr(shown)


def _body_repr(body: bytes) -> str:
    # A token answer carries a live bearer token: show its size, never its text.
    if b'"accessToken"' in body:
        return f"<token answer, {len(body)} bytes>"
    return repr(body)


def _json(body: bytes) -> Any:
    return json.loads(body, parse_float=Decimal)


@attrs.frozen
class FakeResponse:
    """The fake's answer to one request, and what a transport must do with it.

    ``action`` is ``"respond"`` (send it), ``"drop_before"`` / ``"drop_after"`` (close the
    connection, nothing is sent; ``status`` is 0), ``"stall"`` (stay silent for ``delay``
    seconds, then send) or ``"truncate"`` (send ``body``, which is cut short, while
    ``headers`` still announce the full ``content-length``). ``fault`` names the injected
    fault that shaped the answer; for ``"latency"`` the delay happened before handling.

    >>> FakeResponse(201, {}, b"").ok
    True
    """

    status: int
    headers: Mapping[str, str]
    body: bytes = attrs.field(repr=_body_repr)
    action: Action = "respond"
    delay: float = 0.0
    fault: str | None = None

    @property
    def ok(self) -> bool:
        """True for a 2xx answer that is sent whole."""
        return self.action == "respond" and 200 <= self.status < 300

    def json(self) -> Any:
        """The body decoded as JSON, numbers with a fraction as Decimal."""
        return _json(self.body)


@attrs.frozen
class SeenRequest:
    """One request the fake received. ``headers`` keeps ``authorization`` but never shows it.

    ``status`` is what was put on the wire (None when the connection was dropped) and
    ``fault`` the injected fault kind, if any. ``applied`` is the status the fake decided
    when it applied the request to its state, None when it did not apply it; it differs
    from ``status`` when a fault replaced or dropped the answer after applying (a create
    stored behind a dropped connection has ``status=None, applied=201``).

    >>> SeenRequest("GET", "/v1/x", {"authorization": "Bearer t"}, b"", 200, None)
    SeenRequest(method='GET', path='/v1/x', headers={'authorization': '***'}, body=b'', status=200, fault=None, applied=None)
    """

    method: str
    path: str
    headers: Mapping[str, str] = attrs.field(repr=_redact)
    body: bytes
    status: int | None
    fault: str | None
    applied: int | None = None

    def json(self) -> Any:
        """The request body decoded as JSON (Decimal for fractions)."""
        return _json(self.body)


def gateway_response(fault: Fault) -> FakeResponse:
    """The HTML page a proxy in front of Imburse answers with (the ``non_json`` fault)."""
    try:
        phrase = HTTPStatus(fault.status).phrase
    except ValueError:
        phrase = "Error"
    body = _GATEWAY_PAGE.format(status=fault.status, phrase=phrase).encode()
    headers = {"content-type": "text/html", "content-length": str(len(body))}
    return FakeResponse(fault.status, headers, body, fault="non_json")
