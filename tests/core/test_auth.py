"""HMAC signing (imburse-api.md §2.2, §2.6) and access-token parsing (§2.3)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import imburse
from imburse._core.auth import AccessToken, new_nonce, parse_token

HERE = Path(__file__).resolve().parent
FIXTURE = HERE / "hmac_vectors.json"
# /work/shared/hmac-vectors.json in the development checkout; absent in a clean clone.
SHARED = Path(__file__).resolve().parents[3] / "shared" / "hmac-vectors.json"

DATA: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
VECTORS: list[dict[str, Any]] = DATA["vectors"]
WRONG_KEY: dict[str, str] = DATA["wrong_key_signatures"]


@pytest.mark.skipif(not SHARED.exists(), reason="shared/ folder not present in this checkout")
def test_fixture_is_a_faithful_copy_of_the_shared_vectors() -> None:
    assert json.loads(SHARED.read_text(encoding="utf-8")) == DATA


def test_fixture_holds_the_three_documented_vectors() -> None:
    assert [v["name"] for v in VECTORS] == [
        "empty body (token request)",
        "compact JSON",
        "JSON with a space",
    ]


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector_is_reproduced_exactly(vector: dict[str, Any]) -> None:
    header = imburse.hmac_authorization(
        vector["public_key"],
        vector["private_key"],
        vector["body"].encode("utf-8"),
        nonce=vector["nonce"],
        timestamp=vector["timestamp"],
    )
    assert header == vector["authorization"]
    assert header.endswith(":" + vector["signature"])


@pytest.mark.parametrize("vector", VECTORS, ids=[v["name"] for v in VECTORS])
def test_vector_intermediate_values_follow_the_documented_algorithm(
    vector: dict[str, Any],
) -> None:
    # Guards the fixture itself: body hash and string-to-sign as §2.2 defines them.
    body = vector["body"].encode("utf-8")
    body_hash = base64.b64encode(hashlib.sha256(body).digest()).decode() if body else ""
    assert body_hash == vector["body_hash"]
    expected_sts = (
        f"{vector['public_key']}:{vector['nonce']}:{vector['timestamp']}:{vector['body_hash']}"
    )
    assert vector["string_to_sign"] == expected_sts


def _wrong_key_signature(vector: dict[str, Any]) -> str:
    """The classic mistake: HMAC keyed with the UTF-8 text of the base64 key."""
    key = vector["private_key"].encode("utf-8")
    digest = hmac.new(key, vector["string_to_sign"].encode("utf-8"), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


@pytest.mark.parametrize(
    ("vector_name", "control"),
    [("empty body (token request)", "empty body"), ("compact JSON", "compact JSON")],
)
def test_wrong_key_control_differs_from_ours(vector_name: str, control: str) -> None:
    vector = next(v for v in VECTORS if v["name"] == vector_name)
    wrong = _wrong_key_signature(vector)
    assert wrong == WRONG_KEY[control]
    ours = imburse.hmac_authorization(
        vector["public_key"],
        vector["private_key"],
        vector["body"].encode("utf-8"),
        nonce=vector["nonce"],
        timestamp=vector["timestamp"],
    )
    assert not ours.endswith(wrong)
    assert wrong != vector["signature"]


def test_empty_body_is_not_hashed_as_sha256_of_nothing() -> None:
    vector = VECTORS[0]
    header = imburse.hmac_authorization(
        vector["public_key"], vector["private_key"], b"", nonce="n1", timestamp=1535617532
    )
    # The token has exactly four colon-separated fields: no body hash travels in it.
    assert header.startswith("Hmac ")
    assert header[len("Hmac ") :].split(":")[:3] == [vector["public_key"], "n1", "1535617532"]


@pytest.mark.parametrize(
    "bad_key",
    [
        "not base64!!",
        "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y",  # padding missing
        "AGHYR1aWYgHgyjhJ_kVCd7b8XfAVeA4tuFwCQl3X64Y=",  # url-safe alphabet
        "ключ-не-base64",
        "",
    ],
)
def test_invalid_private_key_is_a_configuration_error_that_hides_the_key(bad_key: str) -> None:
    with pytest.raises(imburse.ConfigurationError) as info:
        imburse.hmac_authorization("pk", bad_key, b"", nonce="n", timestamp=1)
    text = str(info.value)
    if bad_key:
        assert bad_key not in text
        # Not even a recognisable slice of it.
        assert bad_key[:8] not in text
    assert "private_key" in text


@pytest.mark.parametrize("nonce", ["", "has:colon"])
def test_nonce_that_would_break_the_token_is_refused(nonce: str) -> None:
    vector = VECTORS[0]
    with pytest.raises(imburse.ConfigurationError):
        imburse.hmac_authorization(
            vector["public_key"], vector["private_key"], b"", nonce=nonce, timestamp=1
        )


def test_new_nonce_is_alphanumeric_and_unique_over_100k_calls() -> None:
    nonces = [new_nonce() for _ in range(100_000)]
    assert all(n.isascii() and n.isalnum() for n in nonces)
    assert len(set(nonces)) == len(nonces)
    assert min(map(len, nonces)) >= 32


# --- token parsing --------------------------------------------------------------------------

EXPIRES_AT = datetime(2019, 6, 14, 12, 20, 35, tzinfo=UTC)
EXPIRES_S = int(EXPIRES_AT.timestamp())  # 1560514835, the 2019 sample's JWT exp


def _unsigned_jwt(claims: dict[str, Any]) -> str:
    def part(obj: dict[str, Any]) -> str:
        raw = json.dumps(obj, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()

    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def _token_body(**fields: Any) -> bytes:
    return json.dumps({"accessToken": "header.payload.sig", **fields}).encode()


@pytest.mark.parametrize(
    "expires",
    [
        EXPIRES_S,  # number, seconds (2021 tests, white-label tokens)
        EXPIRES_S * 1000,  # number, milliseconds
        str(EXPIRES_S * 1000),  # string, milliseconds (2019 docs)
        str(EXPIRES_S),  # string, seconds
        f" {EXPIRES_S} ",  # string with stray whitespace
    ],
    ids=["seconds-number", "millis-number", "millis-string", "seconds-string", "padded-string"],
)
def test_expires_in_every_observed_format_gives_the_same_instant(expires: Any) -> None:
    token = parse_token(_token_body(expires=expires))
    assert token.expires_at == EXPIRES_AT
    assert token.expires_at.tzinfo is not None
    assert token.expires_at.utcoffset() == timedelta(0)
    assert token.value == "header.payload.sig"


def test_documented_2019_sample_keeps_its_milliseconds() -> None:
    token = parse_token(b'{"accessToken": "a.b.c", "expires": "1560514835115"}')
    assert token.expires_at == EXPIRES_AT + timedelta(milliseconds=115)


@pytest.mark.parametrize("expires", [None, "soon", "", True, [], {}, 0, -5])
def test_missing_or_unusable_expires_falls_back_to_the_jwt_exp_claim(expires: Any) -> None:
    jwt = _unsigned_jwt({"aud": "management-api", "exp": EXPIRES_S})
    fields: dict[str, Any] = {"accessToken": jwt}
    if expires is not None:
        fields["expires"] = expires
    token = parse_token(json.dumps(fields).encode())
    assert token.expires_at == EXPIRES_AT
    assert token.value == jwt


@pytest.mark.parametrize(
    "body",
    [
        b'{"accessToken": "opaque-token"}',
        b'{"accessToken": "a.b.c", "expires": "never"}',
        json.dumps({"accessToken": _unsigned_jwt({"aud": "x"})}).encode(),
    ],
    ids=["not-a-jwt", "garbage-expires-and-no-jwt", "jwt-without-exp"],
)
def test_neither_expires_nor_jwt_exp_is_a_decode_error(body: bytes) -> None:
    with pytest.raises(imburse.ResponseDecodeError):
        parse_token(body)


@pytest.mark.parametrize(
    "body",
    [b"", b"<html>502</html>", b"[]", b'{"expires": 1560514835}', b'{"accessToken": ""}', b"\xff"],
)
def test_bodies_without_a_token_are_decode_errors(body: bytes) -> None:
    with pytest.raises(imburse.ResponseDecodeError):
        parse_token(body)


@pytest.mark.parametrize(
    "body",
    [
        _token_body(expires=10**20),  # absurd: would overflow datetime
        _token_body(expires="1e400"),
        b"[" * 100_000,  # nesting deep enough to exhaust the JSON parser's recursion
    ],
    ids=["huge-number", "huge-string", "deep-nesting"],
)
def test_hostile_token_bodies_raise_only_decode_errors(body: bytes) -> None:
    with pytest.raises(imburse.ResponseDecodeError):
        parse_token(body)


def test_absurd_expires_still_uses_the_jwt_exp() -> None:
    jwt = _unsigned_jwt({"exp": EXPIRES_S})
    token = parse_token(json.dumps({"accessToken": jwt, "expires": 10**20}).encode())
    assert token.expires_at == EXPIRES_AT


def test_access_token_repr_hides_the_token_text() -> None:
    secret = _unsigned_jwt({"exp": EXPIRES_S, "account": "acct-secret-claim"})
    token = parse_token(json.dumps({"accessToken": secret, "expires": EXPIRES_S}).encode())
    for text in (repr(token), str(token), f"{token!r}"):
        assert secret not in text
        assert secret.split(".")[0] not in text
    assert "2019" in repr(token)  # the expiry stays visible: it is what one debugs


def test_access_token_expires_within() -> None:
    token = AccessToken("t", EXPIRES_AT)
    assert token.expires_within(60, now=EXPIRES_S - 30)
    assert not token.expires_within(60, now=EXPIRES_S - 120)
    assert token.expires_within(0, now=EXPIRES_S + 1)  # already expired
