"""The fake's request handling: routing, authentication and the order-management routes.

Pure apart from its own state: no sockets, no sleeping, no locking (the caller holds the
lock). Faults are not handled here; see ``_fake.py``.

Check order for every route but the token endpoint, each failing with the answer shown:

1. route known?                        404 ``ROUTE_NOT_FOUND``
2. ``Authorization: Bearer`` valid?     401 ``INVALID_CREDENTIALS`` (``metadata.reason``)
3. ``x-account-id`` present & matches?  403 ``ACCOUNT_ID_IS_REQUIRED`` / ``ACCOUNT_ID_MISMATCH``
4. ``x-tenant-id`` present?             400 ``TENANT_ID_IS_REQUIRED`` (documented)
5. ``x-tenant-id`` matches the key?     403 ``TENANT_ID_MISMATCH``
6. the route's own validation           400 (see ``_validate.py``), 404 / 400 not found

403 for account/tenant problems is our choice: the token is valid, it just may not act for
those ids, and a 401 would make clients refresh a token that cannot help. Codes for steps
1, 3 and 5 are ours (Imburse documents none).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any
from urllib.parse import parse_qsl, unquote

import attrs

from ._auth import AuthState, Credentials, ExpiresFormat, expires_value
from ._errors import HTTPProblem, Problem, TraceIds, error_body, problem_details_body
from ._faults import TOKEN_PATH
from ._jsonout import JSONValue, dumps
from ._state import Order, instruction_json, order_json
from ._validate import parse_body, validate_instruction, validate_order

__all__ = ["CORE_ROUTES", "Answer", "App", "Call", "Handler", "Route", "not_found", "route"]

_JSON = "application/json; charset=utf-8"


@attrs.frozen
class Answer:
    """What the app answers before any fault: status, headers, body, and its trace id."""

    status: int
    headers: Mapping[str, str]
    body: bytes
    trace_id: str


@attrs.frozen
class Call:
    """One authenticated call as a route handler sees it.

    ``tenant_id`` is the checked ``x-tenant-id`` on tenant routes; on account routes it is
    the key's tenant (usually ``None``). ``query`` holds the decoded query string.
    """

    version: str
    params: Mapping[str, str]
    tenant_id: str
    body: bytes
    now_ms: int
    account_id: str = ""
    query: Mapping[str, str] = attrs.field(factory=dict)


_Call = Call
# A handler answers (status, body), or (status, body, extra response headers) -- e.g. the
# ``location`` of an accepted reward claim.
Reply = tuple[int, JSONValue] | tuple[int, JSONValue, Mapping[str, str]]
Handler = Callable[["App", Call], Reply]
_Handler = Handler


@attrs.frozen
class Route:
    """A route: method, path regex, handler, and whether it needs a tenant."""

    method: str
    pattern: re.Pattern[str]
    handler: Handler
    scope: str = "tenant"  # "tenant" or "account"


_Route = Route


def not_found(code: str, text: str, version: str) -> HTTPProblem:
    # v1 answers a missing object with 404; v2 answers 400 with the same code (§4.1, §7.11).
    return HTTPProblem.one(404 if version == "v1" else 400, code, text)


def _order_or_raise(orders: Mapping[str, Order], ref: str, version: str) -> Order:
    order = orders.get(ref)
    if order is None:
        raise not_found("ORDER_NOT_FOUND", "Order not found.", version)
    return order


class App:
    """State plus the routes. ``tenants`` maps tenant id -> orderRef -> :class:`Order`."""

    def __init__(
        self,
        *,
        clock: Callable[[], float],
        token_ttl: float,
        expires_format: ExpiresFormat,
        routes: Sequence[Route],
    ) -> None:
        # The table comes in from outside: the route modules import this one, so this one
        # must not import them (``imburse.testing.routes.all_routes`` builds it).
        self.routes = tuple(routes)
        self.clock = clock
        self.token_ttl = token_ttl
        self.expires_format: ExpiresFormat = expires_format
        self.schemes: set[str] = set()
        self.auth = AuthState()
        self.tenants: dict[str, dict[str, Order]] = {}
        self.stores: dict[tuple[str, str], dict[str, Any]] = {}
        self.token_exchanges = 0
        self.trace_ids = TraceIds()

    def store(self, owner: str, name: str) -> dict[str, Any]:
        """A named collection owned by one tenant or account id, for API-group routes."""
        return self.stores.setdefault((owner, name), {})

    def reset(self) -> None:
        """Forget orders, tokens, nonces and counters; keep keys and settings."""
        self.auth.reset()
        self.tenants.clear()
        self.stores.clear()
        self.token_exchanges = 0

    def now_ms(self) -> int:
        return int(self.clock() * 1000)

    # -- entry point ---------------------------------------------------------------------------

    def handle(
        self, method: str, path: str, headers: Mapping[str, str], body: bytes, query: str = ""
    ) -> Answer:
        """Answer one request; ``headers`` must have lower-case names."""
        trace_id = self.trace_ids.next()
        try:
            status, payload, *more = self._dispatch(method.upper(), path, headers, body, query)
        except HTTPProblem as problem:
            if problem.details:
                body = problem_details_body(
                    problem.status, problem.problems, trace_id=trace_id, now_ms=self.now_ms()
                )
                return self.json_answer(problem.status, body, trace_id)
            return self.problem_answer(problem.status, problem.problems, headers, trace_id)
        extra: Mapping[str, str] = more[0] if more else {}
        if payload is None:
            return Answer(status, {"content-length": "0", **extra}, b"", trace_id)
        answer = self.json_answer(status, dumps(payload), trace_id)
        return attrs.evolve(answer, headers={**answer.headers, **extra}) if extra else answer

    def json_answer(self, status: int, body: bytes, trace_id: str) -> Answer:
        headers = {"content-type": _JSON, "content-length": str(len(body))}
        return Answer(status, headers, body, trace_id)

    def problem_answer(
        self,
        status: int,
        problems: Collection[Problem],
        headers: Mapping[str, str],
        trace_id: str,
    ) -> Answer:
        body = error_body(
            list(problems),
            trace_id=trace_id,
            caller_correlation_id=headers.get("x-correlation-id") or None,
            now_ms=self.now_ms(),
        )
        return self.json_answer(status, body, trace_id)

    def _dispatch(
        self, method: str, path: str, headers: Mapping[str, str], body: bytes, query_string: str
    ) -> Reply:
        route, params = self._route(method, path)
        if route is None:
            raise HTTPProblem.one(
                404,
                "ROUTE_NOT_FOUND",
                "No route matches {method} {path}.",
                method=method,
                path=path,
            )
        if path == TOKEN_PATH:
            return self._token(headers, body)
        credentials = self.auth.bearer(headers.get("authorization"), now=self.clock())
        if route.scope == "account":
            self._check_account(credentials, headers)
            tenant_id = credentials.tenant_id or ""
        else:
            tenant_id = self._check_ids(credentials, headers)
        version = path.split("/", 2)[1]
        call = Call(
            version,
            params,
            tenant_id,
            body,
            self.now_ms(),
            account_id=credentials.account_id,
            query=dict(parse_qsl(query_string, keep_blank_values=True)),
        )
        return route.handler(self, call)

    def _route(self, method: str, path: str) -> tuple[Route | None, dict[str, str]]:
        for route in self.routes:
            match = route.pattern.fullmatch(path)
            if match and route.method == method:
                return route, {k: unquote(v) for k, v in match.groupdict().items()}
        return None, {}

    def _check_ids(self, credentials: Credentials, headers: Mapping[str, str]) -> str:
        self._check_account(credentials, headers)
        return self._check_tenant(credentials, headers)

    def _check_account(self, credentials: Credentials, headers: Mapping[str, str]) -> None:
        account_id = headers.get("x-account-id")
        if not account_id:
            raise HTTPProblem.one(
                403, "ACCOUNT_ID_IS_REQUIRED", "The x-account-id header is required."
            )
        if account_id != credentials.account_id:
            raise HTTPProblem.one(
                403,
                "ACCOUNT_ID_MISMATCH",
                "The access token is not valid for account {accountId}.",
                accountId=account_id,
            )

    def _check_tenant(self, credentials: Credentials, headers: Mapping[str, str]) -> str:
        tenant_id = headers.get("x-tenant-id")
        if not tenant_id:
            # Documented code; the sample message carries the correlation id.
            raise HTTPProblem.one(
                400,
                "TENANT_ID_IS_REQUIRED",
                "The x-tenant-id header is required (correlation id {correlationId}).",
            )
        if tenant_id != credentials.tenant_id:
            # Also the answer for an account-scoped key on a tenant route.
            raise HTTPProblem.one(
                403,
                "TENANT_ID_MISMATCH",
                "The access token is not valid for tenant {tenantId}.",
                tenantId=tenant_id,
            )
        return tenant_id

    # -- routes --------------------------------------------------------------------------------

    def _token(self, headers: Mapping[str, str], body: bytes) -> tuple[int, JSONValue]:
        grant = self.auth.exchange(
            headers.get("authorization"), body, now=self.clock(), ttl=self.token_ttl
        )
        self.token_exchanges += 1
        expires = expires_value(grant.expires_at, self.expires_format)
        return 201, {"accessToken": grant.value, "expires": expires}

    def _orders(self, tenant_id: str) -> dict[str, Order]:
        return self.tenants.setdefault(tenant_id, {})

    def create_order(self, call: _Call) -> tuple[int, JSONValue]:
        order_in = validate_order(parse_body(call.body), schemes=self.schemes, now_ms=call.now_ms)
        orders = self._orders(call.tenant_id)
        if order_in.order_ref in orders:
            raise HTTPProblem.one(
                400,
                "ORDER_ALREADY_EXISTS",
                "Order {orderRef} already exists.",
                orderRef=order_in.order_ref,
            )
        instructions = order_in.instructions or []
        orders[order_in.order_ref] = Order(
            order_ref=order_in.order_ref,
            metadata=order_in.metadata,
            customer_defaults=order_in.customer_defaults,
            instructions={i.instruction_ref: i for i in instructions},
            created_ms=call.now_ms,
        )
        # 202 when instructions came with the order, 201 otherwise (§5.13). An empty list
        # counts as "no instructions": our assumption.
        return (202 if instructions else 201), None

    def get_order(self, call: _Call) -> tuple[int, JSONValue]:
        order = _order_or_raise(self._orders(call.tenant_id), call.params["order"], call.version)
        return 200, order_json(order)

    def create_instruction(self, call: _Call) -> tuple[int, JSONValue]:
        data = parse_body(call.body)
        problems: list[Problem] = []
        instruction = validate_instruction(data, problems, schemes=self.schemes, now_ms=call.now_ms)
        if instruction is None:
            raise HTTPProblem(400, problems)
        orders = self._orders(call.tenant_id)
        order = orders.get(call.params["order"])
        if order is None:
            # Always 400 here, as documented for this route.
            raise HTTPProblem.one(400, "ORDER_NOT_FOUND", "Order not found.")
        if instruction.instruction_ref in order.instructions:
            raise HTTPProblem.one(
                400,
                "INSTRUCTION_ALREADY_EXISTS",  # assumed code; the duplicate 400 is confirmed
                "Instruction {instructionRef} already exists.",
                instructionRef=instruction.instruction_ref,
            )
        orders[order.order_ref] = order.with_instruction(instruction)
        return 201, None

    def get_instruction(self, call: _Call) -> tuple[int, JSONValue]:
        order = _order_or_raise(self._orders(call.tenant_id), call.params["order"], call.version)
        instruction = order.instructions.get(call.params["instruction"])
        if instruction is None:
            raise not_found("INSTRUCTION_NOT_FOUND", "Instruction not found.", call.version)
        return 200, instruction_json(order, instruction)


_PLACEHOLDER = re.compile(r"{(\w+)}")


def route(method: str, pattern: str, handler: Handler, *, scope: str = "tenant") -> Route:
    """A route whose ``{name}`` placeholders match one path segment each.

    >>> route("GET", r"/v1/account/keys/{key}", lambda app, call: (200, None), scope="account").scope
    'account'
    """
    regex = _PLACEHOLDER.sub(lambda m: f"(?P<{m.group(1)}>[^/]+)", pattern)
    return Route(method, re.compile(regex), handler, scope)


_r = route


def _token_route(app: App, call: _Call) -> tuple[int, JSONValue]:  # pragma: no cover
    raise AssertionError("the token route is answered before authentication")


#: The order-management routes and the token endpoint; the API groups add theirs
#: (``imburse/testing/routes/``).
CORE_ROUTES: tuple[Route, ...] = (
    _r("POST", TOKEN_PATH, _token_route),
    _r("POST", r"/v[12]/order-management", App.create_order),
    _r("GET", r"/v[12]/order-management/{order}", App.get_order),
    _r("POST", r"/v1/order-management/{order}/instruction", App.create_instruction),
    _r("GET", r"/v[12]/order-management/{order}/instruction/{instruction}", App.get_instruction),
)
