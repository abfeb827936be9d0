"""Token exchange (§2.2, §2.3), bearer checks and the id headers (§3)."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from imburse._core.auth import parse_token
from imburse.testing import DEMO_CREDENTIALS, Credentials, FakeImburse

from .fake_helpers import (
    TOKEN_PATH,
    TRACE_ID,
    VECTOR_PRIVATE,
    VECTOR_PUBLIC,
    VECTOR_TIME,
    Api,
    Clock,
    error_of,
    hmac_header,
    ids_headers,
    reason_of,
)

# The three vectors of /work/shared/hmac-vectors.json (inline: CI has no shared folder).
VECTORS: list[dict[str, Any]] = [
    {
        "name": "empty body (token request)",
        "body": "",
        "authorization": "Hmac a123456b-c12c-123d-1ab4-18bd8c8e88a3:randomuniquestring123:"
        "1535617532:JYDZ7e7Y36oeJJ3E5UB7tF9VBAwIv1B5HTPNw9iaV6Y=",
    },
    {
        "name": "compact JSON",
        "body": '{"orderRef":"REF1"}',
        "authorization": "Hmac a123456b-c12c-123d-1ab4-18bd8c8e88a3:randomuniquestring123:"
        "1535617532:T7naIriRKluH8/UaBSvMOrT6QzrSrN5eddbQ3TmPFRg=",
    },
    {
        "name": "JSON with a space",
        "body": '{"orderRef": "REF1"}',
        "authorization": "Hmac a123456b-c12c-123d-1ab4-18bd8c8e88a3:randomuniquestring123:"
        "1535617532:wTP/dgWyOPrSrW26gcqdFfFlSIk3FnxPRV90Rs99+6o=",
    },
]
VECTOR = VECTORS[0]["authorization"]
EXPIRES = VECTOR_TIME + 3600  # the default token_ttl after the vector timestamp


@pytest.fixture
def vector_fake(fake: FakeImburse) -> FakeImburse:
    fake.add_key(VECTOR_PUBLIC, VECTOR_PRIVATE, "acc-vector", "ten-vector")
    return fake


def post_token(fake: FakeImburse, authorization: str | None, body: bytes = b"") -> Any:
    headers = {} if authorization is None else {"Authorization": authorization}
    with fake.client() as http:
        return http.post(TOKEN_PATH, content=body, headers=headers)


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_documented_vectors_are_accepted(vector_fake: FakeImburse, vector: dict[str, Any]) -> None:
    response = post_token(vector_fake, vector["authorization"], vector["body"].encode())
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body) == {"accessToken", "expires"}
    assert body["expires"] == EXPIRES
    assert vector_fake.token_exchanges == 1


def test_scheme_word_is_case_insensitive(vector_fake: FakeImburse) -> None:
    assert post_token(vector_fake, "hmac " + VECTOR.split(" ", 1)[1]).status_code == 201


def _tampered(part: int, value: str) -> str:
    scheme, token = VECTOR.split(" ", 1)
    parts = token.split(":")
    parts[part] = value
    return f"{scheme} {':'.join(parts)}"


@pytest.mark.parametrize(
    ("authorization", "body", "reason"),
    [
        pytest.param(
            _tampered(0, "b123456b-c12c-123d-1ab4-18bd8c8e88a3"), b"", "UNKNOWN_KEY", id="public"
        ),
        pytest.param(_tampered(1, "randomuniquestring124"), b"", "BAD_SIGNATURE", id="nonce"),
        pytest.param(_tampered(2, "1535617533"), b"", "BAD_SIGNATURE", id="timestamp"),
        pytest.param(_tampered(2, "01535617532"), b"", "BAD_SIGNATURE", id="timestamp-zero"),
        pytest.param(
            _tampered(3, "89nDN9Hjkd3mo905cQmzLk7zmc2nzAXXxHmbiLZDGJs="),
            b"",
            "BAD_SIGNATURE",
            id="signature-undecoded-key",
        ),
        pytest.param(VECTOR, b'{"orderRef":"REF1"}', "BAD_SIGNATURE", id="body-added"),
        pytest.param(
            VECTORS[1]["authorization"], b'{"orderRef":"REF2"}', "BAD_SIGNATURE", id="body-changed"
        ),
        pytest.param(
            VECTORS[1]["authorization"], b'{"orderRef": "REF1"}', "BAD_SIGNATURE", id="body-space"
        ),
        pytest.param(None, b"", "MALFORMED_HEADER", id="missing"),
        pytest.param("Bearer abc", b"", "MALFORMED_HEADER", id="bearer"),
        pytest.param("Hmac a:b:c", b"", "MALFORMED_HEADER", id="three-parts"),
        pytest.param("Hmac a:b:c:d:e", b"", "MALFORMED_HEADER", id="five-parts"),
        pytest.param("Hmac a::1:d", b"", "MALFORMED_HEADER", id="empty-nonce"),
        pytest.param(_tampered(2, "1535617532.5"), b"", "MALFORMED_HEADER", id="fraction"),
        pytest.param(_tampered(2, "soon"), b"", "MALFORMED_HEADER", id="not-a-number"),
    ],
)
def test_tampered_requests_are_refused(
    vector_fake: FakeImburse, authorization: str | None, body: bytes, reason: str
) -> None:
    response = post_token(vector_fake, authorization, body)
    assert reason_of(response) == reason
    assert vector_fake.token_exchanges == 0


@pytest.mark.parametrize(("offset", "ok"), [(-301, False), (-300, True), (300, True), (301, False)])
def test_timestamp_must_be_within_five_minutes(
    vector_fake: FakeImburse, clock: Clock, offset: int, ok: bool
) -> None:
    # Moving the clock is moving the timestamp the other way.
    clock.advance(-offset)
    response = post_token(vector_fake, VECTOR)
    if ok:
        assert response.status_code == 201
    else:
        assert reason_of(response) == "STALE_TIMESTAMP"


def test_a_nonce_is_single_use(vector_fake: FakeImburse) -> None:
    assert post_token(vector_fake, VECTOR).status_code == 201
    assert reason_of(post_token(vector_fake, VECTOR)) == "REUSED_NONCE"
    assert vector_fake.token_exchanges == 1


def test_a_refused_request_does_not_burn_its_nonce(vector_fake: FakeImburse, clock: Clock) -> None:
    clock.advance(1000)
    assert reason_of(post_token(vector_fake, VECTOR)) == "STALE_TIMESTAMP"
    clock.advance(-1000)
    assert post_token(vector_fake, VECTOR).status_code == 201


def test_demo_credentials(fake: FakeImburse) -> None:
    assert (fake.public_key, fake.private_key) == (
        DEMO_CREDENTIALS.public_key,
        DEMO_CREDENTIALS.private_key,
    )
    assert len(base64.b64decode(fake.private_key)) == 32
    for value in (fake.public_key, fake.account_id, fake.tenant_id):
        assert len(value) == 36
        assert value == value.lower()
    assert fake.credentials is DEMO_CREDENTIALS
    assert "fIV2" not in repr(DEMO_CREDENTIALS)


def test_add_key_refuses_a_malformed_private_key(fake: FakeImburse) -> None:
    with pytest.raises(ValueError, match="base64"):
        fake.add_key("pub", "not base64!", "acc")


@pytest.mark.parametrize(
    ("fmt", "expected"),
    [
        ("seconds", EXPIRES),
        ("milliseconds", EXPIRES * 1000),
        ("milliseconds-string", str(EXPIRES * 1000)),
    ],
)
def test_expires_formats(clock: Clock, fmt: Any, expected: Any) -> None:
    with FakeImburse(clock=clock, expires_format=fmt) as fake, Api(fake) as api:
        response = api.exchange()
        assert response.status_code == 201
        assert response.json()["expires"] == expected
        # The SDK's own parser reads every form to the same moment, and the JWT exp too.
        token = parse_token(response.content)
        assert token.expires_at.timestamp() == EXPIRES
        jwt_only = json.dumps({"accessToken": response.json()["accessToken"]}).encode()
        assert parse_token(jwt_only).expires_at.timestamp() == EXPIRES


def test_expires_format_is_checked(fake: FakeImburse) -> None:
    with pytest.raises(ValueError, match="expires_format"):
        fake.expires_format = "minutes"  # type: ignore[assignment]
    with pytest.raises(ValueError, match="token_ttl"):
        fake.token_ttl = 0


def test_token_ttl_and_clock_expiry(fake: FakeImburse, api: Api, clock: Clock) -> None:
    fake.token_ttl = 10
    response = api.exchange()
    assert response.json()["expires"] == VECTOR_TIME + 10
    token = response.json()["accessToken"]
    headers = {"Authorization": f"Bearer {token}", **ids_headers(DEMO_CREDENTIALS)}
    assert api.http.get("/v1/order-management/X", headers=headers).status_code == 404
    clock.advance(10)
    assert reason_of(api.http.get("/v1/order-management/X", headers=headers)) == "EXPIRED_TOKEN"


@pytest.mark.parametrize(
    ("action", "reason"), [("expire_tokens", "EXPIRED_TOKEN"), ("revoke_tokens", "REVOKED_TOKEN")]
)
def test_expire_and_revoke(fake: FakeImburse, api: Api, action: str, reason: str) -> None:
    assert api.get("/v1/order-management/X").status_code == 404
    getattr(fake, action)()
    assert reason_of(api.get("/v1/order-management/X")) == reason
    # A token issued afterwards works.
    api._token = None
    assert api.get("/v1/order-management/X").status_code == 404


@pytest.mark.parametrize(
    ("authorization", "reason"),
    [
        (None, "MISSING_TOKEN"),
        ("", "MISSING_TOKEN"),
        ("Basic abc", "MISSING_TOKEN"),
        ("Bearer", "MISSING_TOKEN"),
        ("Bearer not-a-token", "UNKNOWN_TOKEN"),
    ],
)
def test_bearer_is_required(api: Api, authorization: str | None, reason: str) -> None:
    headers = ids_headers(DEMO_CREDENTIALS)
    if authorization is not None:
        headers["Authorization"] = authorization
    assert reason_of(api.http.get("/v1/order-management/X", headers=headers)) == reason


def test_bearer_scheme_word_is_case_insensitive(api: Api) -> None:
    headers = {"Authorization": f"bEaReR {api.token}", **ids_headers(DEMO_CREDENTIALS)}
    assert api.http.get("/v1/order-management/X", headers=headers).status_code == 404


def test_hmac_is_not_a_bearer(api: Api, fake: FakeImburse) -> None:
    headers = {"Authorization": hmac_header(DEMO_CREDENTIALS, fake.clock())}
    headers.update(ids_headers(DEMO_CREDENTIALS))
    assert reason_of(api.http.get("/v1/order-management/X", headers=headers)) == "MISSING_TOKEN"


def test_account_header_must_match(api: Api) -> None:
    bearer = {"Authorization": f"Bearer {api.token}", "x-tenant-id": api.fake.tenant_id}
    missing = api.http.get("/v1/order-management/X", headers=bearer)
    error_of(missing, 403, "ACCOUNT_ID_IS_REQUIRED")
    other = api.http.get(
        "/v1/order-management/X",
        headers={**bearer, "x-account-id": "00000000-0000-0000-0000-000000000000"},
    )
    error_of(other, 403, "ACCOUNT_ID_MISMATCH")


def test_tenant_header(api: Api) -> None:
    bearer = {"Authorization": f"Bearer {api.token}", "x-account-id": DEMO_CREDENTIALS.account_id}
    error = error_of(
        api.http.get("/v1/order-management/X", headers=bearer), 400, "TENANT_ID_IS_REQUIRED"
    )
    assert error["metadata"]["correlationId"] in error["message"]
    wrong = {**bearer, "x-tenant-id": "00000000-0000-0000-0000-000000000000"}
    error_of(api.http.get("/v1/order-management/X", headers=wrong), 403, "TENANT_ID_MISMATCH")


def test_account_key_cannot_use_tenant_routes(fake: FakeImburse) -> None:
    account_key = fake.add_key(
        "11111111-2222-3333-4444-555555555555", VECTOR_PRIVATE, fake.account_id
    )
    with Api(fake, account_key) as api:
        error_of(
            api.get("/v1/order-management/X", **{"x-tenant-id": fake.tenant_id}),
            403,
            "TENANT_ID_MISMATCH",
        )


def test_keys_of_other_tenants_are_isolated(fake: FakeImburse) -> None:
    other = Credentials(
        "11111111-2222-3333-4444-555555555555",
        VECTOR_PRIVATE,
        "acc00000-0000-0000-0000-000000000000",
        "ten00000-0000-0000-0000-000000000000",
    )
    fake.add_key(other.public_key, other.private_key, other.account_id, other.tenant_id)
    with Api(fake) as demo, Api(fake, other) as api:
        assert api.post("/v1/order-management", {"orderRef": "SHARED"}).status_code == 201
        assert demo.post("/v1/order-management", {"orderRef": "SHARED"}).status_code == 201
        assert demo.get("/v1/order-management/SHARED").status_code == 200
    assert list(fake.orders_for(other.tenant_id or "")) == ["SHARED"]
    assert list(fake.orders) == ["SHARED"]
    assert fake.orders_for("nobody") == {}


def test_error_body_correlation_ids(api: Api) -> None:
    first = api.get("/v1/order-management/X")
    second = api.get("/v1/order-management/X", **{"X-Correlation-ID": "my-call-42"})
    trace = first.json()["correlationId"]
    assert TRACE_ID.match(trace)
    assert second.json()["correlationId"] != trace
    assert first.json()["errors"][0]["metadata"]["correlationId"] == trace
    assert second.json()["errors"][0]["metadata"]["correlationId"] == "my-call-42"
    # Epoch milliseconds from the injected clock.
    assert first.json()["timestamp"] == VECTOR_TIME * 1000


def test_unknown_routes_are_404_before_auth(fake: FakeImburse) -> None:
    with fake.client() as http:
        for method, path in [
            ("GET", "/v1/nothing"),
            ("DELETE", "/v1/order-management/X"),
            ("GET", "/v1/identity/hmac"),
            ("POST", "/v2/order-management/X/instruction"),
        ]:
            error_of(http.request(method, path), 404, "ROUTE_NOT_FOUND")


def test_any_host_and_query_string(fake: FakeImburse, api: Api) -> None:
    headers = api.headers()
    for url in [
        "https://sandbox-api.imbursepayments.com/v1/order-management/X",
        "http://example.invalid:8080/v1/order-management/X?debug=1",
    ]:
        error_of(api.http.get(url, headers=headers), 404, "ORDER_NOT_FOUND")
    assert fake.handle("GET", "/v1/order-management/X", headers, b"").status == 404
