"""Operation + arguments -> :class:`PreparedRequest`: method, URL, headers and body bytes.

Pure: the same inputs give the same bytes, which is what tests compare. The bearer token is
attached per attempt by the pipeline (it may be refreshed between attempts).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import quote, urlencode

import attrs

from .auth import Secret, sign
from .config import ClientConfig
from .converter import decimal_text, get_converter
from .errors import ConfigurationError, ValidationError
from .operations import TOKEN, Operation, Scope
from .validation import check_correlation_id, check_extra_headers

__all__ = ["PreparedRequest", "build_request", "build_token_request", "encode_json"]

Headers = tuple[tuple[str, str], ...]
_UNRESERVED = re.compile(r"[A-Za-z0-9_.~-]+").fullmatch
# Servers and proxies drop or merge these segments (RFC 3986 5.2.4), so ``orders.get("..")``
# would address another endpoint; they are refused rather than encoded (%2E is still a dot).
_NOT_A_SEGMENT = frozenset({"", ".", ".."})
_SECRET_HEADERS = frozenset({"authorization"})


def _redacted(headers: Headers) -> str:
    shown = [(k, "***" if k.lower() in _SECRET_HEADERS else v) for k, v in headers]
    return repr(tuple(shown))


@attrs.frozen
class PreparedRequest:
    """A request ready to send, as bytes. Its repr hides the ``Authorization`` value.

    >>> PreparedRequest("GET", "https://x/v1/a", (("Authorization", "Bearer t"),), b"", "/v1/a")
    PreparedRequest(method='GET', url='https://x/v1/a', headers=(('Authorization', '***'),), body=b'', path='/v1/a')
    """

    method: str
    url: str
    headers: Headers = attrs.field(repr=_redacted)
    body: bytes
    path: str  # the path template, for logs: never contains ids or refs

    def with_header(self, name: str, value: str) -> PreparedRequest:
        """A copy with ``name`` set to ``value`` (replacing any earlier value)."""
        lower = name.lower()
        headers = self.headers
        # This runs once per attempt (the bearer token), and the header is usually absent:
        # look first, rebuild only when there is one to drop.
        for key, _ in headers:
            if key.lower() == lower:
                headers = tuple([(k, v) for k, v in headers if k.lower() != lower])
                break
        # The constructor, not attrs.evolve.
        return PreparedRequest(
            self.method, self.url, (*headers, (name, value)), self.body, self.path
        )

    def with_authorization(self, value: str) -> PreparedRequest:
        """A copy with an ``Authorization`` header of ``value`` added.

        For the bearer token the pipeline adds to each attempt: a request from
        :func:`build_request` for an operation with a scope never has one (extra headers
        may not set it), so unlike :meth:`with_header` there is nothing to look for.
        """
        return PreparedRequest(
            self.method, self.url, (*self.headers, ("Authorization", value)), self.body, self.path
        )

    def header(self, name: str) -> str | None:
        """The value of header ``name`` (case-insensitive), or ``None``."""
        lower = name.lower()
        return next((v for k, v in self.headers if k.lower() == lower), None)


def encode_json(value: Any) -> bytes:
    """Compact JSON, Decimal amounts as strings (never through float)."""
    if attrs.has(type(value)):
        value = get_converter().unstructure(value)
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=_default).encode()


def _default(value: Any) -> str:
    return decimal_text(value) if isinstance(value, Decimal) else str(value)


def _base_headers(config: ClientConfig, correlation_id: str | None) -> list[tuple[str, str]]:
    headers = [("Accept", "application/json"), ("User-Agent", config.user_agent)]
    if correlation_id:
        headers.append(("X-Correlation-ID", check_correlation_id(correlation_id)))
    return headers


def build_request(
    operation: Operation[Any],
    config: ClientConfig,
    *,
    path_params: Mapping[str, str] | None = None,
    query: Mapping[str, Any] | None = None,
    body: Any = None,
    correlation_id: str | None = None,
    extra_headers: Mapping[str, str] | None = None,
) -> PreparedRequest:
    """Build the bytes of one call (without its bearer token).

    >>> from imburse._core.config import resolve_config
    >>> from imburse._core.operations import GET_ORDER
    >>> cfg = resolve_config(public_key="pk", private_key="AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y=",
    ...     account_id="1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c",
    ...     tenant_id="2bb81e1e-b072-4e64-b1ec-fdcc54f2d08c", env={})
    >>> build_request(GET_ORDER, cfg, path_params={"orderRef": "ORD-1"}).url
    'https://sandbox-api.imbursepayments.com/v1/order-management/ORD-1'
    """
    # Every call of the SDK runs this: the usual case (path parameters present and made of
    # unreserved characters, no query, no extra headers) is kept to few steps.
    names = operation.path_params
    path = operation.path
    if names:
        params = path_params or {}
        for name in names:
            if name not in params:
                raise ValidationError(name, "is required")
        for name in names:
            text = str(params[name])
            if text in _NOT_A_SEGMENT:
                raise ValidationError(name, f"{text!r} cannot be a URL path segment")
            # quote() leaves unreserved characters alone; refs usually have nothing else.
            if not _UNRESERVED(text):
                text = quote(text, safe="")
            path = path.replace("{" + name + "}", text)
    url = config.base_url + path
    if query:
        declared = operation.query
        pairs = []
        for key, value in query.items():
            if declared is not None and key not in declared:
                raise TypeError(f"{operation.name} declares no query parameter {key!r}")
            if value is not None:
                pairs.append((key, _query_value(value)))
        if pairs:
            url += "?" + urlencode(pairs)
    headers = _base_headers(config, correlation_id)
    scope = operation.scope
    if scope is not Scope.NONE:
        creds = config.credentials
        headers.append(("x-account-id", creds.account_id))
        if scope is Scope.TENANT:
            if not creds.tenant_id:
                raise ConfigurationError(
                    f"{operation.name} needs a tenant: pass tenant_id= or set IMBURSE_TENANT_ID"
                )
            headers.append(("x-tenant-id", creds.tenant_id))
    payload = b""
    if body is not None:
        _check_body(operation, body)
        payload = body if isinstance(body, bytes) else encode_json(body)
        headers.append(("Content-Type", "application/json"))
    if extra_headers:
        headers.extend(check_extra_headers(extra_headers).items())
    return PreparedRequest(operation.method, url, tuple(headers), payload, operation.path)


def _check_body(operation: Operation[Any], body: object) -> None:
    # The body must be what the operation declares: a resource method that passes another
    # model (or any body to an operation without one) is a bug in the SDK, caught here.
    declared = operation.body
    if declared is None:
        raise TypeError(f"{operation.name} takes no request body")
    if declared is object or declared is dict or isinstance(body, bytes):
        return  # any JSON, or bytes an input model wrote itself (to_json)
    if not isinstance(body, declared):
        raise TypeError(
            f"{operation.name} takes a {declared.__name__} body, not {type(body).__name__}"
        )


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Iterable) and not isinstance(value, str | bytes):
        return ",".join(str(v) for v in value)
    return str(value)


def build_token_request(
    config: ClientConfig, *, nonce: str, timestamp: int, correlation_id: str | None = None
) -> PreparedRequest:
    """The HMAC-signed ``POST /v1/identity/hmac`` with an empty body (§2.3)."""
    creds = config.credentials
    headers = tuple(_base_headers(config, correlation_id))
    # Signed in place: neither the key nor the signature is kept in a local variable.
    return PreparedRequest(
        TOKEN.method, config.base_url + TOKEN.path, headers, b"", TOKEN.path
    ).with_authorization(
        sign(creds.public_key, Secret(creds.private_key), b"", nonce=nonce, timestamp=timestamp)
    )
