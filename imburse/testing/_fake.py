"""``FakeImburse``: the public face of the fake -- state, faults, introspection, wiring."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Iterable, Mapping
from types import TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from ._answers import FakeResponse, SeenRequest, gateway_response
from ._app import Answer, App
from ._auth import DEMO_CREDENTIALS, EXPIRES_FORMATS, Credentials, ExpiresFormat
from ._engine import Engine, register
from ._faults import Fault, FaultKind, RandomFaults, make_fault
from ._state import Order
from .routes import all_routes

if TYPE_CHECKING:
    from .._async.client import AsyncImburse
    from .._sync.client import Imburse
    from ._server import FakeServer

__all__ = ["Exchange", "FakeImburse", "FakeResponse", "SeenRequest"]

SANDBOX_URL = "https://sandbox-api.imbursepayments.com"


def _path_of(url_or_path: str) -> str:
    # Any host is accepted: the SDK sends absolute URLs and only the path matters.
    return urlsplit(url_or_path).path or "/"


class Exchange:
    """One request in flight, for transports that need to act between its phases.

    :meth:`FakeImburse.begin` picks the fault; the transport waits :attr:`wait_before`
    (latency), drops the connection if :attr:`drops_before` (calling :meth:`drop`), or
    reads the body and calls :meth:`complete`. :meth:`FakeImburse.handle` does all of this
    without sleeping.
    """

    def __init__(
        self,
        engine: Engine,
        method: str,
        path: str,
        headers: dict[str, str],
        fault: Fault | None,
        query: str = "",
    ) -> None:
        self._engine = engine
        self.method = method
        self.path = path
        self.headers = headers
        self.fault = fault
        self.query = query

    @property
    def wait_before(self) -> float:
        """Seconds a transport waits before handling the request (a latency fault)."""
        return self.fault.delay if self.fault and self.fault.kind == "latency" else 0.0

    @property
    def drops_before(self) -> bool:
        """True when the connection must be dropped before the request is read."""
        return self.fault is not None and self.fault.kind == "drop_before"

    def drop(self, body: bytes = b"") -> FakeResponse:
        """Record the dropped request; nothing is applied."""
        self._record(body, None, None)
        return FakeResponse(0, {}, b"", action="drop_before", fault="drop_before")

    def complete(self, body: bytes) -> FakeResponse:
        """Handle the request (unless the fault forbids it) and shape the answer."""
        fault = self.fault
        if fault is not None and fault.kind == "drop_before":
            return self.drop(body)
        answer = None
        if fault is None or fault.applies_request:
            answer = self._engine.apply(self.method, self.path, self.headers, body, self.query)
        # else nothing is applied: the fault's own answer is built without touching state.
        response = self._shape(answer, fault)
        self._record(body, response.status or None, None if answer is None else answer.status)
        return response

    def _record(self, body: bytes, status: int | None, applied: int | None) -> None:
        kind = self.fault.kind if self.fault else None
        seen = SeenRequest(self.method, self.path, self.headers, body, status, kind, applied)
        self._engine.record(seen)

    def _shape(self, answer: Answer | None, fault: Fault | None) -> FakeResponse:
        if fault is None or fault.kind == "latency":
            assert answer is not None
            kind = fault.kind if fault else None
            delay = fault.delay if fault else 0.0
            return FakeResponse(answer.status, answer.headers, answer.body, fault=kind, delay=delay)
        if fault.kind == "status":
            return self._engine.status_response(fault, self.headers)
        if fault.kind == "non_json":
            return gateway_response(fault)
        assert answer is not None
        if fault.kind == "drop_after":
            return FakeResponse(0, {}, b"", action="drop_after", fault="drop_after")
        if fault.kind == "stall":
            return FakeResponse(
                answer.status, answer.headers, answer.body, "stall", fault.delay, "stall"
            )
        # truncate: keep at least one byte fewer than the full body (nothing to cut if empty).
        full = answer.body
        keep = len(full) // 2 if fault.keep is None else fault.keep
        keep = min(keep, max(len(full) - 1, 0))
        return FakeResponse(answer.status, answer.headers, full[:keep], "truncate", 0.0, "truncate")


class FakeImburse:
    """An in-memory Imburse for tests: HMAC token exchange, orders and instructions, faults.

    Thread-safe: one lock guards the state, so the threaded HTTP server and any number of
    in-process clients can share a fake. Route on the path only; any host is accepted.

    >>> fake = FakeImburse()
    >>> with fake.client() as http:
    ...     http.get("/v1/order-management/REF1").status_code
    401

    :param clock: wall-clock seconds, used for HMAC freshness, token expiry and timestamps.
    :param token_ttl: lifetime of new access tokens in seconds (changeable later).
    :param expires_format: how ``expires`` is written: ``"seconds"`` (a number),
        ``"milliseconds"`` (a number) or ``"milliseconds-string"`` -- all forms the docs show.
    :param schemes: scheme ids the fake recognises; empty or None accepts any.
    :param record_requests: keep every request in :attr:`requests` (turn it off for a
        long soak test, whose log would grow with every call).
    :param on_request: called with each :class:`SeenRequest` once it is answered, from
        the thread that handled it (a server thread under :meth:`serve`); its
        ``applied`` status shows creates applied behind a dropped or replaced answer.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.time,
        token_ttl: float = 3600.0,
        expires_format: ExpiresFormat = "seconds",
        schemes: Iterable[str] | None = None,
        record_requests: bool = True,
        on_request: Callable[[SeenRequest], object] | None = None,
    ) -> None:
        app = App(clock=clock, token_ttl=token_ttl, expires_format="seconds", routes=all_routes())
        self._engine = Engine(app, record_requests=record_requests, on_request=on_request)
        register(self, self._engine)
        self._lock = self._engine.lock
        self._app = app
        self.expires_format = expires_format
        self._app.schemes = set(schemes or ())
        self._faults: list[Fault] = []
        self._random: RandomFaults | None = None
        self._servers: list[FakeServer] = []
        self._app.auth.add_key(DEMO_CREDENTIALS)

    def __repr__(self) -> str:
        with self._lock:
            orders = sum(len(o) for o in self._app.tenants.values())
            return f"<FakeImburse orders={orders} requests={len(self._engine.requests)}>"

    # -- configuration -------------------------------------------------------------------------

    public_key = DEMO_CREDENTIALS.public_key
    private_key = DEMO_CREDENTIALS.private_key
    account_id = DEMO_CREDENTIALS.account_id
    tenant_id: str = DEMO_CREDENTIALS.tenant_id or ""

    @property
    def credentials(self) -> Credentials:
        """The demo key (:data:`DEMO_CREDENTIALS`)."""
        return DEMO_CREDENTIALS

    @property
    def clock(self) -> Callable[[], float]:
        """The wall clock (epoch seconds) the fake reads."""
        return self._app.clock

    @clock.setter
    def clock(self, clock: Callable[[], float]) -> None:
        with self._lock:
            self._app.clock = clock

    @property
    def token_ttl(self) -> float:
        """Lifetime in seconds of tokens issued from now on."""
        return self._app.token_ttl

    @token_ttl.setter
    def token_ttl(self, seconds: float) -> None:
        if seconds <= 0:
            raise ValueError("token_ttl must be positive")
        with self._lock:
            self._app.token_ttl = seconds

    @property
    def expires_format(self) -> ExpiresFormat:
        """The form of ``expires`` in token answers from now on."""
        return self._app.expires_format

    @expires_format.setter
    def expires_format(self, fmt: ExpiresFormat) -> None:
        if fmt not in EXPIRES_FORMATS:
            raise ValueError(f"expires_format must be one of {', '.join(EXPIRES_FORMATS)}")
        with self._lock:
            self._app.expires_format = fmt

    @property
    def schemes(self) -> set[str]:
        """Recognised scheme ids; empty accepts any. Mutate it, or assign a new collection."""
        return self._app.schemes

    @schemes.setter
    def schemes(self, schemes: Collection[str] | None) -> None:
        with self._lock:
            self._app.schemes = set(schemes or ())

    def add_key(
        self, public_key: str, private_key: str, account_id: str, tenant_id: str | None = None
    ) -> Credentials:
        """Register another API key; ``tenant_id=None`` makes it an account-scoped key.

        >>> FakeImburse().add_key("a123456b-c12c-123d-1ab4-18bd8c8e88a3",
        ...     "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y=", "acc-id").tenant_id is None
        True
        """
        credentials = Credentials(public_key, private_key, account_id, tenant_id)
        with self._lock:
            self._app.auth.add_key(credentials)
        return credentials

    def expire_tokens(self) -> None:
        """Make every token issued so far fail with 401 reason ``EXPIRED_TOKEN``."""
        with self._lock:
            self._app.auth.set_all_tokens("expired")

    def revoke_tokens(self) -> None:
        """Make every token issued so far fail with 401 reason ``REVOKED_TOKEN``."""
        with self._lock:
            self._app.auth.set_all_tokens("revoked")

    # -- faults --------------------------------------------------------------------------------

    def inject(
        self,
        kind: FaultKind,
        *,
        times: int | None = 1,
        method: str | None = None,
        path: str | None = None,
        status: int | None = None,
        retry_after: str | float | None = None,
        retry_after_ms: str | float | None = None,
        apply: bool | None = None,
        delay: float | None = None,
        keep: int | None = None,
    ) -> Fault:
        """Script a fault for the next ``times`` matching requests (None: until cleared).

        ``method`` matches case-insensitively; ``path`` is a regex searched in the request
        path. Without ``path`` every route but the token endpoint matches; the token
        endpoint is hit only by a ``path`` that matches ``/v1/identity/hmac``. Parameters:
        ``status`` (status, non_json), ``retry_after`` / ``retry_after_ms`` (status; sent
        verbatim as ``Retry-After`` / ``retry-after-ms``), ``apply`` (status, non_json:
        handle the request first), ``delay`` (latency, stall), ``keep`` (truncate: bytes
        of body kept; default half). See ``imburse.testing._faults`` for the table.

        >>> fake = FakeImburse()
        >>> fault = fake.inject("status", status=429, retry_after="2", times=2)
        >>> fault.remaining
        2
        """
        given = {
            "status": status,
            "retry_after": retry_after,
            "retry_after_ms": retry_after_ms,
            "apply": apply,
            "delay": delay,
            "keep": keep,
        }
        params = {k: v for k, v in given.items() if v is not None}
        fault = make_fault(kind, times=times, method=method, path=path, **params)
        with self._lock:
            self._faults.append(fault)
        return fault

    def inject_random(
        self,
        *,
        seed: int,
        rates: Mapping[str, float],
        method: str | None = None,
        path: str | None = None,
        latency: float = 0.05,
        stall: float = 5.0,
        retry_after: str | None = None,
    ) -> RandomFaults:
        """Turn on seeded random faults (replacing any earlier random mode).

        ``rates`` maps names to per-request probabilities (sum <= 1): fault kinds, plus
        ``"status_<code>"``; ``"status_<code>_applied"`` and ``"non_json_applied"`` apply
        the request first. ``latency`` / ``stall`` are the delays used, ``retry_after`` is
        sent with random 429 and 503 answers. Scripted faults take precedence.

        >>> chaos = FakeImburse().inject_random(seed=7, rates={"status_503": 0.05})
        >>> chaos.counts
        {'status_503': 0}
        """
        random_faults = RandomFaults(seed, dict(rates), method, path, latency, stall, retry_after)
        with self._lock:
            self._random = random_faults
        return random_faults

    def clear_faults(self) -> None:
        """Remove scripted faults and the random mode."""
        with self._lock:
            self._faults.clear()
            self._random = None

    @property
    def faults(self) -> list[Fault]:
        """Scripted faults that can still fire."""
        with self._lock:
            return [f for f in self._faults if f.remaining != 0]

    def _pick_fault(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.remaining != 0 and fault.matches(method, path):
                    fault.fired += 1
                    return fault
            if self._random is not None:
                return self._random.pick(method, path)
        return None

    # -- handling ------------------------------------------------------------------------------

    def begin(self, method: str, url_or_path: str, headers: Mapping[str, str]) -> Exchange:
        """Start a request: pick its fault. See :class:`Exchange`."""
        path = _path_of(url_or_path)
        method = method.upper()
        lowered = {k.lower(): v for k, v in headers.items()}
        query = urlsplit(url_or_path).query
        return Exchange(self._engine, method, path, lowered, self._pick_fault(method, path), query)

    def handle(
        self, method: str, url_or_path: str, headers: Mapping[str, str], body: bytes
    ) -> FakeResponse:
        """Answer one request, faults included, without sleeping or touching a socket.

        >>> fake = FakeImburse()
        >>> fake.handle("GET", "https://any.host/nope", {}, b"").status
        404
        """
        return self.begin(method, url_or_path, headers).complete(body)

    # -- introspection -------------------------------------------------------------------------

    @property
    def requests(self) -> list[SeenRequest]:
        """Every request seen so far, oldest first (a copy)."""
        with self._lock:
            return list(self._engine.requests)

    @property
    def token_exchanges(self) -> int:
        """How many HMAC token exchanges succeeded."""
        with self._lock:
            return self._app.token_exchanges

    @property
    def orders(self) -> dict[str, Order]:
        """The demo tenant's orders by ``orderRef`` (a snapshot)."""
        return self.orders_for(self.tenant_id)

    def orders_for(self, tenant_id: str) -> dict[str, Order]:
        """Any tenant's orders by ``orderRef`` (a snapshot; empty for an unknown tenant)."""
        with self._lock:
            return dict(self._app.tenants.get(tenant_id, {}))

    def reset(self) -> None:
        """Forget orders, tokens, nonces, requests, counters and faults.

        Registered keys and settings (clock, ``token_ttl``, ``expires_format``, ``schemes``)
        stay; running servers keep serving.
        """
        with self._lock:
            self._app.reset()
            self._engine.requests.clear()
            self._faults.clear()
            self._random = None

    # -- wiring --------------------------------------------------------------------------------

    def transport(self) -> httpx.BaseTransport:
        """An in-process ``httpx`` transport that answers from this fake."""
        from ._transport import FakeTransport

        return FakeTransport(self)

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """An in-process async ``httpx`` transport (any anyio backend)."""
        from ._transport import AsyncFakeTransport

        return AsyncFakeTransport(self)

    def client(self, **kwargs: Any) -> httpx.Client:
        """``httpx.Client`` on :meth:`transport`; ``base_url`` defaults to the sandbox URL."""
        kwargs.setdefault("base_url", SANDBOX_URL)
        return httpx.Client(transport=self.transport(), **kwargs)

    def async_client(self, **kwargs: Any) -> httpx.AsyncClient:
        """``httpx.AsyncClient`` on :meth:`async_transport`; ``base_url`` as :meth:`client`."""
        kwargs.setdefault("base_url", SANDBOX_URL)
        return httpx.AsyncClient(transport=self.async_transport(), **kwargs)

    def imburse(self, **options: Any) -> Imburse:
        """A sync SDK client wired to this fake: demo credentials, in-process transport.

        >>> with FakeImburse().imburse() as client:  # doctest: +SKIP
        ...     client.orders.create("ORD-1")
        """
        from .._sync.client import Imburse

        return Imburse(**{**self._sdk_settings(), "http_client": self.client(), **options})

    def async_imburse(self, **options: Any) -> AsyncImburse:
        """An ``AsyncImburse`` wired to this fake (see :meth:`imburse`)."""
        from .._async.client import AsyncImburse

        return AsyncImburse(
            **{**self._sdk_settings(), "http_client": self.async_client(), **options}
        )

    def _sdk_settings(self) -> dict[str, Any]:
        creds = self.credentials
        return {
            "public_key": creds.public_key,
            "private_key": creds.private_key,
            "account_id": creds.account_id,
            "tenant_id": creds.tenant_id,
            "base_url": SANDBOX_URL,
        }

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> FakeServer:
        """Serve this fake over real HTTP on a loopback address, in a daemon thread.

        Returns a running :class:`~imburse.testing.FakeServer` (a context manager with
        ``.url``); :meth:`close` stops every server this fake started.

        >>> with FakeImburse().serve() as server:  # doctest: +SKIP
        ...     server.url
        'http://127.0.0.1:54321'
        """
        from ._server import FakeServer

        server = FakeServer(self, host, port)
        with self._lock:
            self._servers.append(server)
        return server

    def close(self) -> None:
        """Stop the servers started by :meth:`serve`."""
        with self._lock:
            servers, self._servers = self._servers, []
        for server in servers:
            server.close()

    def __enter__(self) -> FakeImburse:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
