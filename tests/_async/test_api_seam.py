"""The requestor seam as users meet it: every resource method and its raw twin, per-call
options, ``with_options`` views, lists and ``client.request()``.

Converted to ``tests/_sync/test_api_seam.py`` by ``scripts/unasync.py``.
"""

from __future__ import annotations

import importlib
import inspect
import typing
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from imburse import AsyncImburse, AsyncPager, RawResponse, ValidationError
from imburse.testing import FakeImburse

TOKEN_PATH = "/v1/identity/hmac"


@pytest.fixture
def fake() -> FakeImburse:
    return FakeImburse()


def connect(fake: FakeImburse) -> AsyncImburse:
    return AsyncImburse(
        public_key=fake.public_key,
        private_key=fake.private_key,
        account_id=fake.account_id,
        tenant_id=fake.tenant_id,
        http_client=fake.async_client(),
    )


def sdk_calls(fake: FakeImburse) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in fake.requests if r.path != TOKEN_PATH]


def namespaces(client: AsyncImburse) -> Iterator[tuple[str, Any]]:
    """(dotted name, namespace) for every API group of the client, nested ones included."""
    todo: list[tuple[str, Any]] = [
        (name, getattr(client, name))
        for name in dir(client)
        if not name.startswith("_")
        and type(getattr(client, name)).__module__.startswith("imburse._async.resources")
    ]
    while todo:
        name, namespace = todo.pop(0)
        yield name, namespace
        for attribute, value in vars(namespace).items():
            resource = type(value).__module__.startswith("imburse._async.resources")
            if resource and not attribute.startswith("_"):
                todo.append((f"{name}.{attribute}", value))


def methods(namespace: Any) -> dict[str, Any]:
    return {
        name: getattr(namespace, name)
        for name in dir(namespace)
        if not name.startswith("_") and inspect.ismethod(getattr(namespace, name))
    }


def no_raw_twin(namespace: Any) -> set[str]:
    """The hand-written methods that say why they have no raw twin."""
    found: set[str] = set()
    for cls in type(namespace).__mro__:
        if cls.__module__.endswith("_custom"):
            found |= set(importlib.import_module(cls.__module__).NO_RAW_TWIN)
    return found


def dummy_arguments(method: Any) -> tuple[list[Any], dict[str, Any]]:
    """ "x" for every required argument: enough to reach the method's first statement."""
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    for parameter in inspect.signature(method).parameters.values():
        if parameter.default is not inspect.Parameter.empty:
            continue
        if parameter.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD:
            args.append("x")
        elif parameter.kind is inspect.Parameter.KEYWORD_ONLY:
            kwargs[parameter.name] = "x"
    return args, kwargs


@pytest.mark.anyio
async def test_a_misspelt_keyword_raises_type_error_before_anything_is_sent(
    fake: FakeImburse,
) -> None:
    """In 0.1.0 ``**options`` swallowed it: the order was created without its metadata."""
    async with connect(fake) as client:
        with pytest.raises(TypeError, match="unexpected keyword argument 'metadatta'"):
            await client.orders.create("R1", metadatta={"a": "b"})  # type: ignore[call-arg]
        assert client.token_exchanges == 0
    assert fake.requests == []  # not even the token exchange


@pytest.mark.anyio
async def test_every_method_and_raw_twin_refuses_an_unknown_keyword(fake: FakeImburse) -> None:
    """Generated and hand-written methods alike, before validating or sending anything."""
    checked = 0
    async with connect(fake) as client:
        for name, namespace in namespaces(client):
            for owner in (namespace, namespace.with_raw_response):
                for method_name, method in methods(owner).items():
                    args, kwargs = dummy_arguments(method)
                    with pytest.raises(TypeError, match="'bogus'") as info:
                        await method(*args, **kwargs, bogus=1)
                    assert method_name in str(info.value) or "bogus" in str(info.value), name
                    checked += 1
    assert checked > 100
    assert fake.requests == []


@pytest.mark.anyio
async def test_every_method_has_a_raw_twin_with_the_same_arguments(fake: FakeImburse) -> None:
    async with connect(fake) as client:
        seen = 0
        for name, namespace in namespaces(client):
            plain = methods(namespace)
            raw = methods(namespace.with_raw_response)
            assert set(plain) - no_raw_twin(namespace) == set(raw), name
            for method_name, method in raw.items():
                plain_signature = inspect.signature(plain[method_name])
                raw_signature = inspect.signature(method)
                assert list(plain_signature.parameters) == list(raw_signature.parameters)
                returns = typing.get_type_hints(method)["return"]
                assert typing.get_origin(returns) is RawResponse, f"{name}.{method_name}"
                seen += 1
        assert seen > 50


@pytest.mark.anyio
async def test_raw_twins_carry_the_http_details_of_the_same_call(fake: FakeImburse) -> None:
    async with connect(fake) as client:
        await client.orders.create("ORD-1")
        raw = await client.orders.with_raw_response.get("ORD-1", correlation_id="cid-1")
        plain = await client.orders.get("ORD-1")
        apps = await client.apps.with_raw_response.list_marketplace()
        tenants = await client.tenants.with_raw_response.list()
    assert (raw.status_code, raw.correlation_id, raw.attempts) == (200, "cid-1", 1)
    assert raw.headers["content-type"].startswith("application/json")
    assert raw.parse().order_ref == plain.order_ref == "ORD-1"
    # A list comes back from the twin as the plain method returns it: a tuple.
    assert isinstance(apps.parse(), tuple)
    assert [app.app_id for app in apps.parse()][:2] == ["BRAINTREE_SDK", "TANGOCARD_RAAS"]
    assert isinstance(tenants.parse(), tuple)


@pytest.mark.anyio
async def test_lists_that_are_not_paged_return_tuples(fake: FakeImburse) -> None:
    """In 0.1.0 ``apps.list_marketplace()`` returned a non-iterable wrapper, while
    ``tenants.list()`` returned a tuple."""
    async with connect(fake) as client:
        lists = paged = 0
        for name, namespace in namespaces(client):
            for method_name, method in methods(namespace).items():
                if method_name != "list" and not method_name.startswith("list_"):
                    continue
                returns = typing.get_type_hints(method)["return"]
                if typing.get_origin(returns) is AsyncPager:  # paged: mandates, profiles
                    paged += 1
                    continue
                assert typing.get_origin(returns) is tuple, f"{name}.{method_name} -> {returns}"
                lists += 1
        assert (lists, paged) == (8, 2)


@pytest.mark.anyio
async def test_public_docstrings_show_their_own_method_and_no_private_path(
    fake: FakeImburse,
) -> None:
    """In 0.1.0 ``payout_schemes.delete``'s example called ``collect_schemes.delete`` and
    docstrings pointed at ``imburse._core...`` paths."""
    async with connect(fake) as client:
        for name, namespace in namespaces(client):
            for owner, prefix in ((namespace, name), (namespace.with_raw_response, name)):
                assert "imburse._" not in (inspect.getdoc(type(owner)) or ""), type(owner)
                for method_name, method in methods(owner).items():
                    doc = inspect.getdoc(method) or ""
                    assert "imburse._" not in doc, f"{prefix}.{method_name}"
                    calls = [f"client.{prefix}.{method_name}(", ".with_raw_response."]
                    assert any(call in doc for call in calls), f"{prefix}.{method_name}: {doc}"
                    if owner is namespace:
                        assert f"client.{prefix}.{method_name}(" in doc, f"{prefix}.{method_name}"


@pytest.mark.anyio
async def test_a_view_made_after_groups_were_used_calls_through_the_view(
    fake: FakeImburse,
) -> None:
    """A view's groups are its own: in 0.1.0 they were copied from the parent and dropped
    by name from a hand-kept list, so a group missing from the list called the parent."""
    async with connect(fake) as client:
        for name, _ in namespaces(client):
            assert name  # touch every group on the parent first
        view = client.with_options(extra_headers={"X-View": "1"})
        for name in ("orders", "tenants", "catalog", "collect_schemes", "apps"):
            assert getattr(view, name) is not getattr(client, name)
        await view.orders.create("ORD-V")
        await view.apps.list_marketplace()
        await client.apps.list_marketplace()
    sent = [r for r in fake.requests if r.path != TOKEN_PATH]
    assert [r.headers.get("x-view") for r in sent] == ["1", "1", None]


@pytest.mark.anyio
async def test_claim_reward_reads_its_location_header_through_the_raw_response(
    fake: FakeImburse,
) -> None:
    async with connect(fake) as client:
        raw = await client.customers.with_raw_response.get_v2("CUS-1")
        assert raw.status_code == 200
        with pytest.raises(ValidationError):
            await client.instructions.with_raw_response.claim_reward("..", "I", reward_id="r")
    assert sdk_calls(fake) == [("GET", "/v2/customer-vault/CUS-1")]


# --- client.request() --------------------------------------------------------------------


@pytest.mark.anyio
async def test_request_sends_params_as_the_query(fake: FakeImburse) -> None:
    urls: list[str] = []

    async def record(request: httpx.Request) -> None:
        urls.append(str(request.url))

    http_client = fake.async_client()
    http_client.event_hooks = {"request": [record], "response": []}
    async with AsyncImburse(
        public_key=fake.public_key,
        private_key=fake.private_key,
        account_id=fake.account_id,
        tenant_id=fake.tenant_id,
        http_client=http_client,
    ) as client:
        await client.orders.create("ORD-Q")
        await client.request("GET", "/v1/order-management/ORD-Q", params={"take": 10, "a": None})
        await client.request("GET", "/v1/order-management/ORD-Q", query={"take": 5})
        with pytest.raises(TypeError, match="params= or its alias query="):
            await client.request("GET", "/v1/x", params={"a": 1}, query={"b": 2})
        with pytest.raises(TypeError, match="'bogus'"):
            await client.request("GET", "/v1/x", bogus=1)  # type: ignore[call-arg]
    targets = [url.split("/v1/", 1)[1] for url in urls if "ORD-Q" in url]
    assert targets == ["order-management/ORD-Q?take=10", "order-management/ORD-Q?take=5"]


@pytest.mark.anyio
@pytest.mark.parametrize(
    "path",
    [
        "/v1/order-management/ORD-1?expand=all",  # was sent without its query, silently
        "/v1/order-management/ORD-1#frag",
        "/v1/order-management/..",
        "/v1/order-management/./ORD-1",
        "/v1/order-management/%2e%2e/x",  # was sent as is on httpx, resolved on aiohttp
        "/v1/order-management/%2E%2e/x",
        "/v1/order-management/.%2E",
        "/v1/order-management/%2e",
    ],
)
async def test_request_refuses_a_query_string_or_dot_segments_in_the_path(
    fake: FakeImburse, path: str
) -> None:
    """0.1.0 dropped a query string in the path and sent dot segments (the server or the
    HTTP client then resolved them to another endpoint, differently per transport)."""
    async with connect(fake) as client:
        with pytest.raises(ValidationError) as info:
            await client.request("GET", path)
        assert client.token_exchanges == 0
    assert info.value.field == "path"
    assert fake.requests == []
