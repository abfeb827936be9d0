"""Transport safety, on every HTTP stack: credentials go to the API's host and nowhere else.

* plain HTTP is refused except to loopback hosts (before any connection is made);
* redirects are never followed: a 301/302/303/307/308 to another server (even one the
  caller's own ``http_client`` would follow) sends it nothing, and the redirect surfaces as
  an ``APIStatusError``;
* certificates are verified: a self-signed HTTPS server gets a TLS handshake and never an
  HTTP request, so neither the HMAC signature nor a token reaches it;
* proxies from the environment (``HTTPS_PROXY``, ``ALL_PROXY``) are used, never for plain
  HTTP to a loopback host.
"""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from imburse import (
    APIConnectionError,
    APIStatusError,
    AsyncImburse,
    ConfigurationError,
    DefaultRetryPolicy,
    Imburse,
)
from imburse.testing import FakeImburse, FakeServer

from .servers import ForwardProxy, Recorder, Redirector, TLSServer

STACKS = [
    pytest.param(("httpx", "asyncio"), id="httpx-asyncio"),
    pytest.param(("httpx", "trio"), id="httpx-trio"),
    pytest.param(("httpx2", "asyncio"), id="httpx2-asyncio"),
    pytest.param(("aiohttp", "asyncio"), id="aiohttp-asyncio"),
    pytest.param(("sync", ""), id="sync-httpx"),
]
PROXY_ENV = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_ENV:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> tuple[str, str]:
    name, backend = request.param
    if name not in ("httpx", "sync"):
        pytest.importorskip(name)
    return name, backend


def no_wait(delay: float) -> float:
    return 0.0


def settings(fake: FakeImburse, url: str, **extra: Any) -> dict[str, Any]:
    return {
        "public_key": fake.public_key,
        "private_key": fake.private_key,
        "account_id": fake.account_id,
        "tenant_id": fake.tenant_id,
        "base_url": url,
        "max_retries": 0,
        "retry_policy": DefaultRetryPolicy(jitter=no_wait),
        "deadline": 10,
        **extra,
    }


def call(
    stack: tuple[str, str], options: dict[str, Any], ref: str = "ORD-1"
) -> BaseException | None:
    """``orders.get(ref)`` on a fresh client of ``stack``; the error it raised, if any."""
    name, backend = stack
    if name == "sync":
        with Imburse(**options) as client:
            try:
                client.orders.get(ref)
            except Exception as err:
                return err
            return None

    async def run() -> BaseException | None:
        async with AsyncImburse(**options, transport=name) as client:
            try:
                await client.orders.get(ref)
            except Exception as err:
                return err
            return None

    result: BaseException | None = anyio.run(run, backend=backend)
    return result


# --- plain HTTP ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["http://api.imbursepayments.com", "http://10.0.0.1:8080"])
def test_plain_http_off_loopback_is_refused_on_every_stack(
    fake: FakeImburse, stack: tuple[str, str], url: str
) -> None:
    with pytest.raises(ConfigurationError, match="https"):
        call(stack, settings(fake, url))


# --- redirects ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
def test_a_redirect_to_another_host_is_not_followed(
    fake: FakeImburse, stack: tuple[str, str], status: int
) -> None:
    with Recorder() as elsewhere, Redirector(fake, elsewhere.url, status) as api:
        error = call(stack, settings(fake, api.url))
        assert elsewhere.seen == []
    assert isinstance(error, APIStatusError)
    assert error.status_code == status
    paths = [seen[1] for seen in api.seen]
    assert paths == ["/v1/identity/hmac", "/v1/order-management/ORD-1"]  # nothing repeated


def test_a_redirected_token_exchange_does_not_send_the_signature_elsewhere(
    fake: FakeImburse, stack: tuple[str, str]
) -> None:
    with Recorder() as elsewhere, Redirector(fake, elsewhere.url, 307, token_too=True) as api:
        error = call(stack, settings(fake, api.url))
        assert elsewhere.seen == []
    assert isinstance(error, APIStatusError)
    assert error.status_code == 307


@pytest.mark.parametrize("anyio_backend", ["asyncio"])
@pytest.mark.anyio
async def test_the_callers_client_set_to_follow_redirects_does_not_follow_them(
    fake: FakeImburse,
) -> None:
    with Recorder() as elsewhere, Redirector(fake, elsewhere.url, 302) as api:
        async with (
            httpx.AsyncClient(follow_redirects=True) as http,
            AsyncImburse(**settings(fake, api.url), http_client=http) as client,
        ):
            with pytest.raises(APIStatusError) as info:
                await client.orders.get("ORD-1")
        assert elsewhere.seen == []  # not even without the Authorization header
    assert info.value.status_code == 302


def test_the_callers_sync_client_set_to_follow_redirects_does_not_follow_them(
    fake: FakeImburse,
) -> None:
    with Recorder() as elsewhere, Redirector(fake, elsewhere.url, 308) as api:
        with (
            httpx.Client(follow_redirects=True) as http,
            Imburse(**settings(fake, api.url), http_client=http) as client,
            pytest.raises(APIStatusError),
        ):
            client.orders.get("ORD-1")
        assert elsewhere.seen == []


# --- TLS ----------------------------------------------------------------------------------------


def test_certificates_are_verified_on_every_stack(
    fake: FakeImburse, stack: tuple[str, str], tmp_path: Path
) -> None:
    with TLSServer(tmp_path) as untrusted:
        error = call(stack, settings(fake, untrusted.url))
        assert untrusted.handshakes >= 1  # it was reached...
        assert untrusted.seen == []  # ...and sent nothing: no signature, no token
    assert isinstance(error, APIConnectionError)


@pytest.mark.parametrize("name", ["httpx", "httpx2"])
def test_the_default_pool_requires_a_verified_certificate_and_host_name(
    fake: FakeImburse, name: str
) -> None:
    pytest.importorskip(name)
    for client in (
        Imburse(**settings(fake, "https://api.imbursepayments.com"), transport=name),
        AsyncImburse(**settings(fake, "https://api.imbursepayments.com"), transport=name),
    ):
        transport: Any = client._pipeline.transport
        context = transport.ssl_context  # every pool the transport makes uses this one
        assert context.verify_mode == ssl.CERT_REQUIRED
        assert context.check_hostname
        client._closed = True  # nothing was opened: no ResourceWarning to give


def _context_traits(context: ssl.SSLContext) -> tuple[object, ...]:
    return (
        context.verify_mode,
        context.check_hostname,
        context.options,
        context.minimum_version,
        context.maximum_version,
        context.verify_flags,
        context.cert_store_stats(),
        sorted(str(cert.get("subject")) for cert in context.get_ca_certs()),
    )


@pytest.mark.parametrize("variable", [None, "SSL_CERT_FILE", "SSL_CERT_DIR"])
def test_the_default_pool_trusts_what_httpx_trusts(
    fake: FakeImburse, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, variable: str | None
) -> None:
    """The httpx adapter's own pool builds its TLS context without importing httpx (issue 17:
    a ready client in less time); it must stay the context ``httpx.AsyncClient()`` builds,
    certifi's bundle or the one ``SSL_CERT_FILE`` / ``SSL_CERT_DIR`` names."""
    import certifi

    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    if variable == "SSL_CERT_FILE":
        bundle = tmp_path / "one.pem"
        pem = Path(certifi.where()).read_text()
        bundle.write_text(pem[: pem.index("-----END CERTIFICATE-----") + 26])
        monkeypatch.setenv(variable, str(bundle))
    elif variable == "SSL_CERT_DIR":
        monkeypatch.setenv(variable, str(tmp_path))
    client = AsyncImburse(**settings(fake, "https://api.imbursepayments.com"), transport="httpx")
    transport: Any = client._pipeline.transport
    assert _context_traits(transport.ssl_context) == _context_traits(httpx.create_ssl_context())
    client._closed = True  # nothing was opened: no ResourceWarning to give


# --- proxies from the environment ---------------------------------------------------------------


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"])
def test_plain_http_to_loopback_never_goes_through_a_proxy(
    fake: FakeImburse,
    server: FakeServer,
    stack: tuple[str, str],
    variable: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Issue 14 item 11: plain HTTP is allowed to a loopback host only because it never
    leaves the machine; sent to a proxy from the environment it would (signature and token
    in clear). Failed before: every stack sent both requests through the proxy."""
    with ForwardProxy() as proxy:
        monkeypatch.setenv(variable, proxy.url)
        error = call(stack, settings(fake, server.url))
    assert proxy.seen == []
    assert isinstance(error, APIStatusError)  # ORD-1 does not exist: the fake's own 404
    assert error.status_code == 404


@pytest.mark.parametrize(
    "url", ["http://evil.localhost:8080", "http://localhost.evil.example", "http://[::ffff:7f00:1]"]
)
def test_only_localhost_and_loopback_addresses_count_as_loopback(url: str) -> None:
    """Issue 14 item 11: ``evil.localhost`` is a DNS name any resolver may answer for.
    Failed before: ``http://evil.localhost`` was accepted as loopback (plain HTTP allowed)."""
    with pytest.raises(ConfigurationError, match="https"):
        Imburse(**settings(FakeImburse(), url))


@pytest.mark.parametrize("variable", ["HTTPS_PROXY", "https_proxy", "ALL_PROXY"])
def test_a_proxy_from_the_environment_tunnels_https(
    fake: FakeImburse, stack: tuple[str, str], variable: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with ForwardProxy() as proxy:
        monkeypatch.setenv(variable, proxy.url)
        error = call(stack, settings(fake, "https://api.imbursepayments.com"))
    assert isinstance(error, APIConnectionError)  # the proxy refused the tunnel
    assert [seen[:2] for seen in proxy.seen] == [("CONNECT", "api.imbursepayments.com:443")]
    assert "authorization" not in proxy.seen[0][2]  # the signature only ever goes inside TLS


def test_no_proxy_is_honoured(
    fake: FakeImburse, server: FakeServer, stack: tuple[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with ForwardProxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        error = call(stack, settings(fake, server.url))
        assert proxy.seen == []
    assert isinstance(error, APIStatusError)
    assert error.status_code == 404
