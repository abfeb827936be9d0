"""OpenTelemetry spans of real calls (issue 16 item 7), recorded by the SDK's in-memory exporter.

Every test makes calls against ``imburse.testing.FakeImburse`` (over real HTTP on 127.0.0.1,
or its in-process transport) with the OpenTelemetry SDK configured the way an application
configures it: a global tracer provider, nothing passed to the client. On main's code none of
these spans existed, so each test here fails there.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, StatusCode

import imburse
from imburse import AsyncImburse, DefaultRetryPolicy, Imburse, NotFoundError
from imburse.testing import FakeImburse, FakeServer

ROOT = Path(imburse.__file__).resolve().parents[1]


def _settings(fake: FakeImburse, server: FakeServer) -> dict[str, Any]:
    return {
        "public_key": fake.public_key,
        "private_key": fake.private_key,
        "account_id": fake.account_id,
        "tenant_id": fake.tenant_id,
        "base_url": server.url,
        # Retries follow at once, without jitter: the test is about what is recorded.
        "retry_policy": DefaultRetryPolicy(jitter=lambda wait: 0.0),
    }


def _named(finished: Sequence[ReadableSpan], name: str) -> list[ReadableSpan]:
    return [span for span in finished if span.name == name]


def _one(finished: Sequence[ReadableSpan], name: str) -> ReadableSpan:
    found = _named(finished, name)
    assert len(found) == 1, [span.name for span in finished]
    return found[0]


def _parent_of(span: ReadableSpan) -> int | None:
    return span.parent.span_id if span.parent is not None else None


def _span_id(span: ReadableSpan) -> int:
    assert span.context is not None
    return span.context.span_id


def _check_create_with_token(finished: Sequence[ReadableSpan], server: FakeServer) -> None:
    """The spans of a client's first call, ``orders.create``, which needed a token first."""
    call = _one(finished, "orders.create")
    assert call.attributes is not None
    assert call.attributes["http.request.method"] == "POST"
    assert call.attributes["http.response.status_code"] == 201
    attempt = _one(finished, "POST /v1/order-management")
    assert _parent_of(attempt) == _span_id(call)
    assert attempt.attributes is not None
    assert attempt.attributes["http.response.status_code"] == 201
    # The token the call needed: a call of its own, under the call that needed it.
    token = _one(finished, "identity.token")
    assert _parent_of(token) == _span_id(call)
    token_attempt = _one(finished, "POST /v1/identity/hmac")
    assert _parent_of(token_attempt) == _span_id(token)
    assert token_attempt.attributes is not None
    assert token_attempt.attributes["http.response.status_code"] == 201
    assert token_attempt.attributes["url.full"] == f"{server.url}/v1/identity/hmac"


def _check_a_get(finished: Sequence[ReadableSpan], server: FakeServer, correlation: str) -> None:
    """The spans of one ``orders.get``: the call, and its one attempt under it."""
    assert len(finished) == 2, [span.name for span in finished]
    port = int(server.url.rsplit(":", 1)[1])
    call = _one(finished, "orders.get")
    assert call.kind is SpanKind.INTERNAL
    assert dict(call.attributes or {}) == {
        "imburse.operation": "orders.get",
        "imburse.correlation_id": correlation,
        "http.request.method": "GET",
        "server.address": "127.0.0.1",
        "server.port": port,
        "http.response.status_code": 200,
        "imburse.attempts": 1,
    }
    assert call.status.status_code is StatusCode.UNSET
    assert call.events == ()
    attempt = _one(finished, "GET /v1/order-management/{orderRef}")
    assert attempt.kind is SpanKind.CLIENT
    assert _parent_of(attempt) == _span_id(call)
    assert dict(attempt.attributes or {}) == {
        "http.request.method": "GET",
        "server.address": "127.0.0.1",
        "server.port": port,
        "url.full": f"{server.url}/v1/order-management/ORD-OTEL-1",
        "url.template": "/v1/order-management/{orderRef}",
        "imburse.correlation_id": correlation,
        "http.response.status_code": 200,
    }
    assert attempt.status.status_code is StatusCode.UNSET


def _check_retried(finished: Sequence[ReadableSpan]) -> None:
    """A GET answered 503 once, then 200: two attempt spans, one retry event."""
    call = _one(finished, "orders.get")
    assert call.attributes is not None
    assert call.attributes["imburse.attempts"] == 2
    assert call.attributes["http.response.status_code"] == 200
    assert call.status.status_code is StatusCode.UNSET
    attempts = _named(finished, "GET /v1/order-management/{orderRef}")
    statuses = [dict(a.attributes or {}).get("http.response.status_code") for a in attempts]
    assert statuses == [503, 200]
    first, second = attempts
    assert first.attributes is not None
    assert second.attributes is not None
    assert first.attributes["error.type"] == "503"
    assert first.status.status_code is StatusCode.ERROR
    assert "http.request.resend_count" not in first.attributes
    assert second.attributes["http.request.resend_count"] == 1
    assert "error.type" not in second.attributes
    assert all(_parent_of(a) == _span_id(call) for a in attempts)
    assert [event.name for event in call.events] == ["imburse.retry"]
    assert dict(call.events[0].attributes or {}) == {
        "imburse.attempt": 1,
        "imburse.retry.delay_s": 0.0,
        "http.response.status_code": 503,
    }


def _check_not_found(finished: Sequence[ReadableSpan], error: NotFoundError) -> None:
    """A GET answered 404: the call span carries the SDK's error, the attempt the status."""
    call = _one(finished, "orders.get")
    assert call.attributes is not None
    assert call.attributes["error.type"] == "NotFoundError"
    assert call.attributes["http.response.status_code"] == 404
    assert call.attributes["imburse.correlation_id"] == error.correlation_id
    assert call.status.status_code is StatusCode.ERROR
    assert [event.name for event in call.events] == ["exception"]
    attempt = _one(finished, "GET /v1/order-management/{orderRef}")
    assert attempt.attributes is not None
    assert attempt.attributes["http.response.status_code"] == 404
    assert attempt.attributes["error.type"] == "404"


@pytest.mark.anyio
async def test_async_calls_are_spans_with_a_client_span_per_attempt(
    spans: InMemorySpanExporter, fake: FakeImburse, server: FakeServer
) -> None:
    async with AsyncImburse(**_settings(fake, server)) as client:
        await client.orders.create("ORD-OTEL-1")
        _check_create_with_token(spans.get_finished_spans(), server)
        spans.clear()
        order = await client.orders.get("ORD-OTEL-1", correlation_id="corr-async-1")
        assert order.order_ref == "ORD-OTEL-1"
        _check_a_get(spans.get_finished_spans(), server, "corr-async-1")

        spans.clear()
        fake.inject("status", status=503, method="GET", times=1)
        await client.orders.get("ORD-OTEL-1")
        _check_retried(spans.get_finished_spans())

        spans.clear()
        with pytest.raises(NotFoundError) as caught:
            await client.orders.get("ORD-OTEL-404")
        _check_not_found(spans.get_finished_spans(), caught.value)


def test_sync_calls_are_spans_with_a_client_span_per_attempt(
    spans: InMemorySpanExporter, fake: FakeImburse, server: FakeServer
) -> None:
    with Imburse(**_settings(fake, server)) as client:
        client.orders.create("ORD-OTEL-1")
        _check_create_with_token(spans.get_finished_spans(), server)
        spans.clear()
        order = client.orders.get("ORD-OTEL-1", correlation_id="corr-sync-1")
        assert order.order_ref == "ORD-OTEL-1"
        _check_a_get(spans.get_finished_spans(), server, "corr-sync-1")

        spans.clear()
        fake.inject("status", status=503, method="GET", times=1)
        client.orders.get("ORD-OTEL-1")
        _check_retried(spans.get_finished_spans())

        spans.clear()
        with pytest.raises(NotFoundError) as caught:
            client.orders.get("ORD-OTEL-404")
        _check_not_found(spans.get_finished_spans(), caught.value)


@pytest.mark.anyio
async def test_a_dropped_connection_is_an_attempt_error_and_a_retry_event(
    spans: InMemorySpanExporter, fake: FakeImburse
) -> None:
    async with fake.async_imburse(retry_policy=DefaultRetryPolicy(jitter=lambda _: 0.0)) as client:
        await client.orders.create("ORD-OTEL-1")
        spans.clear()
        fake.inject("drop_before", method="GET", times=1)
        await client.orders.get("ORD-OTEL-1")
    finished = spans.get_finished_spans()
    call = _one(finished, "orders.get")
    first, second = _named(finished, "GET /v1/order-management/{orderRef}")
    assert first.attributes is not None
    assert second.attributes is not None
    assert first.attributes["error.type"] == "ConnectError"
    assert "http.response.status_code" not in first.attributes
    assert first.status.status_code is StatusCode.ERROR
    assert second.attributes["http.response.status_code"] == 200
    (retry,) = call.events
    assert retry.attributes is not None
    assert retry.attributes["error.type"] == "ConnectError"
    assert call.status.status_code is StatusCode.UNSET


class _HoldOnce:
    """A rate-limit policy that asks the first call to wait 10 ms."""

    def __init__(self) -> None:
        self.waits = [0.01]

    def acquire(self, now: float) -> float:
        return self.waits.pop() if self.waits else 0.0

    def observe(self, now: float, status: int | None, retry_after: float | None) -> None:
        pass


@pytest.mark.anyio
async def test_a_rate_limit_wait_is_an_event(
    spans: InMemorySpanExporter, fake: FakeImburse
) -> None:
    async with fake.async_imburse(rate_limit_policy=_HoldOnce()) as client:
        await client.orders.create("ORD-OTEL-1")
    call = _one(spans.get_finished_spans(), "orders.create")
    (wait,) = call.events
    assert wait.name == "imburse.wait"
    assert wait.attributes == {"imburse.wait_s": 0.01}


def test_nothing_is_recorded_until_an_application_configures_the_sdk(
    fake: FakeImburse,
) -> None:
    """With OpenTelemetry's API only (no SDK configured: this test runs in its own process),
    a call works, loads the API and makes no attempt span."""
    loaded = _run(
        "from imburse.testing import FakeImburse\n"
        "with FakeImburse() as fake, fake.imburse() as client:\n"
        "    assert 'opentelemetry.trace' not in sys.modules  # not by building a client\n"
        "    client.orders.create('ORD-OTEL-1')\n"
        "    client.orders.get('ORD-OTEL-1')\n"
    )
    assert loaded == {"opentelemetry.trace": True}


def test_without_opentelemetry_nothing_is_traced_or_loaded() -> None:
    """As when ``imburse[otel]`` is not installed (``opentelemetry`` cannot be imported): the
    client keeps the pipeline's plain methods and calls work."""
    loaded = _run(
        "sys.modules['opentelemetry'] = None\n"
        "from imburse.testing import FakeImburse\n"
        "with FakeImburse() as fake, fake.imburse() as client:\n"
        "    pipeline = client._pipeline\n"
        "    assert pipeline.telemetry is None\n"
        "    assert 'send' not in vars(pipeline)  # the class's own method, not a wrapper\n"
        "    assert pipeline._transport_send == pipeline.transport.send\n"
        "    client.orders.create('ORD-OTEL-1')\n"
        "    client.orders.get('ORD-OTEL-1')\n"
    )
    assert loaded == {"opentelemetry.trace": False}


def _run(code: str) -> dict[str, bool]:
    """Run ``code`` in a fresh interpreter; which OpenTelemetry modules it loaded."""
    script = (
        "import json, sys\n"
        f"{code}"
        "print(json.dumps({'opentelemetry.trace': "
        "sys.modules.get('opentelemetry.trace') is not None}))\n"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    loaded: dict[str, bool] = json.loads(done.stdout.strip().splitlines()[-1])
    return loaded


def test_query_values_are_not_recorded(spans: InMemorySpanExporter, fake: FakeImburse) -> None:
    """A query value may identify a customer: ``url.full`` keeps the names only."""
    with fake.imburse() as client:
        client.orders.create("ORD-OTEL-1")
        spans.clear()
        client.request(
            "GET", "/v1/order-management/ORD-OTEL-1", query={"email": "jane@example.com", "n": 2}
        )
    (attempt,) = [s for s in spans.get_finished_spans() if s.kind is SpanKind.CLIENT]
    assert attempt.attributes is not None
    assert attempt.attributes["url.full"] == (
        "https://sandbox-api.imbursepayments.com/v1/order-management/ORD-OTEL-1"
        "?email=REDACTED&n=REDACTED"
    )
    assert "jane" not in repr([dict(s.attributes or {}) for s in spans.get_finished_spans()])
