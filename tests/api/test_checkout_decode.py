"""Session-token and pay-by-link answers (§5.16) from the documented samples, by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from imburse import ResponseDecodeError
from imburse.checkout import PayByLink, SessionToken

V2_SESSION = b"""{
  "sessionToken": "eyJhbGciOiJSUzI1NiJ9.eyJvcmRlcnJlZiI6Ik9SRC0xIn0.c2lnbmF0dXJl",
  "expires": 1641990742,
  "sessionId": "7a6b5c4d-0000-4000-8000-00000000000b"
}"""


def test_v2_session_token() -> None:
    token = SessionToken.from_json(V2_SESSION)
    assert token.session_token is not None
    assert token.session_token.startswith("eyJhbGciOiJSUzI1NiJ9.")
    assert token.expires == datetime(2022, 1, 12, 12, 32, 22, tzinfo=UTC)
    assert token.session_id == "7a6b5c4d-0000-4000-8000-00000000000b"


def test_v1_session_token_has_no_session_id() -> None:
    token = SessionToken.from_json({"sessionToken": "t", "expires": 1641990742})
    assert (token.session_token, token.session_id) == ("t", None)


def test_pay_by_link_answer() -> None:
    answer = PayByLink.from_json('{"payByLinkId": "1f2e3d4c-0000-4000-8000-00000000000c"}')
    assert answer.pay_by_link_id == "1f2e3d4c-0000-4000-8000-00000000000c"


def test_unknown_fields_are_kept_or_refused_in_strict_mode() -> None:
    data = {"payByLinkId": "x", "url": "https://pay.example/x"}
    assert PayByLink.from_json(data).extra == {"url": "https://pay.example/x"}
    with pytest.raises(ResponseDecodeError):
        PayByLink.from_json(data, strict=True)
