"""Per-call shortcuts of the pipeline and the adapters keep their contracts."""

from __future__ import annotations

import pytest

from imburse._async import transport as async_transport
from imburse._core.build import PreparedRequest, build_request
from imburse._core.config import resolve_config
from imburse._core.errors import ValidationError
from imburse._core.operations import GET_ORDER
from imburse._sync import transport as sync_transport

CONFIG = resolve_config(
    public_key="pk",
    private_key="AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y=",
    account_id="1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c",
    tenant_id="2bb81e1e-b072-4e64-b1ec-fdcc54f2d08c",
    env={},
)


def test_with_authorization_appends_the_one_authorization_header() -> None:
    request = build_request(GET_ORDER, CONFIG, path_params={"orderRef": "ORD-1"})
    signed = request.with_authorization("Bearer t")
    assert signed.headers == (*request.headers, ("Authorization", "Bearer t"))
    assert signed == request.with_header("Authorization", "Bearer t")
    assert [k.lower() for k, _ in signed.headers].count("authorization") == 1
    assert "Bearer t" not in repr(signed)


def test_build_request_refuses_an_authorization_in_extra_headers() -> None:
    # What with_authorization relies on: a built request never carries one already.
    with pytest.raises(ValidationError):
        build_request(
            GET_ORDER,
            CONFIG,
            path_params={"orderRef": "ORD-1"},
            extra_headers={"authorization": "Bearer x"},
        )


def test_build_request_reports_the_first_missing_path_parameter() -> None:
    with pytest.raises(ValidationError, match="orderRef"):
        build_request(GET_ORDER, CONFIG)
    with pytest.raises(ValidationError, match="cannot be a URL path segment"):
        build_request(GET_ORDER, CONFIG, path_params={"orderRef": ".."})


@pytest.mark.parametrize("module", [async_transport, sync_transport], ids=["async", "sync"])
def test_lower_headers_memo_gives_what_decoding_gives(
    module: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    lower_headers = module.lower_headers  # type: ignore[attr-defined]
    monkeypatch.setattr(module, "_DECODED_KEPT", 4)
    raw = [
        (b"Content-Type", b"application/json"),
        (b"X-Rate", b"\xe9t\xe9"),
        (bytearray(b"x-rate"), bytearray(b"2")),  # unhashable: decoded, not kept
        (b"Set-Cookie", b"a=1"),
        (b"SET-COOKIE", b"b=2"),
    ]
    expected = {"content-type": "application/json", "x-rate": "été, 2", "set-cookie": "a=1, b=2"}
    for _ in range(3):  # cold, warm, and after the memo was emptied for being full
        assert lower_headers(raw) == expected
        assert lower_headers(iter(raw)) == expected
    for n in range(20):  # ever new values never grow the memo past its bound
        lower_headers([(f"X-{n}".encode(), str(n).encode())])
    names = module._NAMES  # type: ignore[attr-defined]
    values = module._VALUES  # type: ignore[attr-defined]
    assert len(names) <= 4
    assert len(values) <= 4


def test_prepared_request_repr_still_hides_the_token() -> None:
    request = PreparedRequest("GET", "https://x/v1/a", (), b"", "/v1/a")
    assert "secret" not in repr(request.with_authorization("Bearer secret"))
