"""Helpers for talking to the fake with plain httpx, signing with the SDK's own signer."""

from __future__ import annotations

import json
import re
from types import TracebackType
from typing import Any

import httpx

from imburse._core.auth import hmac_authorization, new_nonce
from imburse.testing import DEMO_CREDENTIALS, Credentials, FakeImburse

VECTOR_PUBLIC = "a123456b-c12c-123d-1ab4-18bd8c8e88a3"
VECTOR_PRIVATE = "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y="
VECTOR_TIME = 1535617532
TOKEN_PATH = "/v1/identity/hmac"
TRACE_ID = re.compile(r"^[0-9A-Z]{13}:[0-9]{8}$")


class Clock:
    """A settable wall clock."""

    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def hmac_header(creds: Credentials, now: float, body: bytes = b"", nonce: str | None = None) -> str:
    return hmac_authorization(
        creds.public_key, creds.private_key, body, nonce=nonce or new_nonce(), timestamp=int(now)
    )


def ids_headers(creds: Credentials) -> dict[str, str]:
    headers = {"x-account-id": creds.account_id}
    if creds.tenant_id:
        headers["x-tenant-id"] = creds.tenant_id
    return headers


def error_of(response: httpx.Response, status: int, code: str) -> dict[str, Any]:
    """Assert the §4.2 error shape, the status and the first code; return that error."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"timestamp", "correlationId", "errors"}
    assert isinstance(body["timestamp"], int)
    assert TRACE_ID.match(body["correlationId"]), body["correlationId"]
    assert body["errors"], body
    for error in body["errors"]:
        assert set(error) == {"errorCode", "message", "messageTemplate", "metadata"}
        assert all(isinstance(v, str) for v in error["metadata"].values())
        assert "correlationId" in error["metadata"]
    first: dict[str, Any] = body["errors"][0]
    assert first["errorCode"] == code, body
    return first


def codes_of(response: httpx.Response) -> list[str]:
    return [e["errorCode"] for e in response.json()["errors"]]


def reason_of(response: httpx.Response) -> str:
    error = error_of(response, 401, "INVALID_CREDENTIALS")
    reason: str = error["metadata"]["reason"]
    return reason


class Api:
    """A sync httpx client on the fake's transport, authenticated as ``creds``."""

    def __init__(
        self, fake: FakeImburse, creds: Credentials = DEMO_CREDENTIALS, **client: Any
    ) -> None:
        self.fake = fake
        self.creds = creds
        self.http = fake.client(**client)
        self._token: str | None = None

    def __enter__(self) -> Api:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.http.close()

    def exchange(self, body: bytes = b"", **headers: str) -> httpx.Response:
        auth = hmac_header(self.creds, self.fake.clock(), body)
        return self.http.post(TOKEN_PATH, content=body, headers={"Authorization": auth, **headers})

    @property
    def token(self) -> str:
        if self._token is None:
            response = self.exchange()
            assert response.status_code == 201, response.text
            self._token = str(response.json()["accessToken"])
        return self._token

    def headers(self, **extra: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **ids_headers(self.creds), **extra}

    def post(self, path: str, body: Any, **extra: str) -> httpx.Response:
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"content-type": "application/json", **self.headers(**extra)}
        return self.http.post(path, content=content, headers=headers)

    def get(self, path: str, **extra: str) -> httpx.Response:
        return self.http.get(path, headers=self.headers(**extra))


def instruction(ref: str = "I1", **overrides: Any) -> dict[str, Any]:
    """A valid instruction body."""
    body: dict[str, Any] = {
        "instructionRef": ref,
        "customerRef": "CUST-1",
        "direction": "DEBIT",
        "amount": "200.00",
        "currency": "GBP",
        "country": "GB",
        "settledByDate": "2030-01-31",
        "schemeId": "scheme-1",
    }
    body.update(overrides)
    return {k: v for k, v in body.items() if v is not ...}
