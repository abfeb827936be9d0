"""Per-call shortcuts of the pipeline and the adapters keep their contracts."""

from __future__ import annotations

import pytest

from imburse import AsyncImburse, SharedCooldown, TokenBucket, _wire as wire
from imburse._core.build import PreparedRequest, build_request
from imburse._core.call import HTTPResponse
from imburse._core.config import Timeouts, resolve_config
from imburse._core.errors import ValidationError
from imburse._core.operations import GET_ORDER
from imburse.testing import FakeImburse

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


@pytest.mark.parametrize("module", [wire], ids=["shared"])
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


class _Wire:
    """A transport answering from the fake."""

    def __init__(self, fake: FakeImburse) -> None:
        self.fake = fake

    async def send(self, request: PreparedRequest, timeouts: Timeouts) -> HTTPResponse:
        answer = self.fake.handle(request.method, request.url, dict(request.headers), request.body)
        return HTTPResponse(answer.status, dict(answer.headers), answer.body)

    async def aclose(self) -> None:
        pass


class _Counting(SharedCooldown):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[int | None] = []

    def observe(self, now: float, status: int | None, retry_after: float | None) -> None:
        self.seen.append(status)
        super().observe(now, status, retry_after)


@pytest.mark.anyio
async def test_a_policy_that_overrides_observe_sees_every_answer() -> None:
    # Only the default cool-down's own observe() is skipped for answers other than 429.
    fake = FakeImburse()
    counting = _Counting()
    patched = TokenBucket(rate=1000, burst=100)
    seen: list[int | None] = []
    patched.observe = lambda now, status, retry_after: seen.append(status)  # type: ignore[method-assign]
    for policy, record in ((counting, counting.seen), (patched, seen)):
        async with AsyncImburse(
            public_key=fake.public_key,
            private_key=fake.private_key,
            account_id=fake.account_id,
            tenant_id=fake.tenant_id,
            transport=_Wire(fake),
            rate_limit_policy=policy,
        ) as client:
            await client.orders.create(f"ORD-{len(record)}-{id(policy)}")
        assert record == [201, 201]  # the token exchange and the create
