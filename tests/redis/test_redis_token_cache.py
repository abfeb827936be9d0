"""One token exchange for many clients through Redis: lock, waiters, dead holders, 401s."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import anyio
import pytest
import redis
import redis.asyncio

from imburse import AccessToken, AsyncImburse, ConfigurationError, DeadlineExceededError
from imburse._core.config import Credentials
from imburse._redis import TokenSlot
from imburse.redis import AsyncRedisTokenCache, RedisTokenCache
from imburse.testing import DEMO_CREDENTIALS, FakeImburse

CREDS = Credentials(
    DEMO_CREDENTIALS.public_key,
    DEMO_CREDENTIALS.private_key,
    DEMO_CREDENTIALS.account_id,
    DEMO_CREDENTIALS.tenant_id,
)
TOKEN_PATH = "/v1/identity/hmac"


def _bearer(fake: FakeImburse) -> str:
    seen = [r.headers["authorization"] for r in fake.requests if r.path != TOKEN_PATH]
    return seen[-1].removeprefix("Bearer ")


async def _create_orders(clients: list[AsyncImburse], per_client: int) -> None:
    async with anyio.create_task_group() as group:
        for n, client in enumerate(clients):
            for i in range(per_client):
                group.start_soon(client.orders.create, f"ORD-{n}-{i}")


@pytest.mark.anyio
async def test_many_clients_make_one_exchange_and_the_token_is_sealed(redis_url: str) -> None:
    r = redis.asyncio.Redis.from_url(redis_url)
    try:
        with FakeImburse() as fake:
            clients = [fake.async_imburse(token_cache=AsyncRedisTokenCache(r)) for _ in range(5)]
            try:
                await _create_orders(clients, 3)
            finally:
                for client in clients:
                    await client.aclose()
            assert len(fake.orders) == 15
            assert fake.token_exchanges == 1
            assert sorted(client.token_exchanges for client in clients) == [0, 0, 0, 0, 1]
            bearer = _bearer(fake)
        keys = [key.decode() for key in await r.keys("*")]
        assert len(keys) == 1
        assert keys[0].startswith("imburse:token:")
        stored = (await r.get(keys[0])).decode()
        assert bearer not in stored  # sealed: Redis alone never yields a usable token
        assert DEMO_CREDENTIALS.public_key not in keys[0]
        assert 0 < await r.pttl(keys[0]) <= 3600 * 1000  # expires with the token
    finally:
        await r.aclose()


@pytest.mark.anyio
async def test_a_dead_holder_lock_expires_and_a_waiter_takes_over(redis_url: str) -> None:
    r = redis.asyncio.Redis.from_url(redis_url)
    try:
        cache = AsyncRedisTokenCache(r, poll_interval=0.02)
        # A process took the lock and died before storing a token.
        await r.set(TokenSlot(cache.prefix, CREDS).lock, "dead-process", px=600)
        with FakeImburse() as fake:
            async with fake.async_imburse(token_cache=cache) as client:
                started = time.monotonic()
                await client.orders.create("ORD-1")
                waited = time.monotonic() - started
            assert fake.token_exchanges == 1
        assert 0.4 < waited < 5
    finally:
        await r.aclose()


@pytest.mark.anyio
async def test_a_waiter_gives_up_at_the_deadline(redis_url: str) -> None:
    r = redis.asyncio.Redis.from_url(redis_url)
    try:
        cache = AsyncRedisTokenCache(r, poll_interval=0.02)
        await r.set(TokenSlot(cache.prefix, CREDS).lock, "slow-process", px=30_000)
        with FakeImburse() as fake:
            async with fake.async_imburse(token_cache=cache, deadline=0.5) as client:
                with pytest.raises(DeadlineExceededError, match="another process"):
                    await client.orders.create("ORD-1")
            assert fake.token_exchanges == 0
    finally:
        await r.aclose()


@pytest.mark.anyio
async def test_a_refused_token_is_forgotten_for_every_process(redis_url: str) -> None:
    r = redis.asyncio.Redis.from_url(redis_url)
    try:
        with FakeImburse() as fake:
            async with (
                fake.async_imburse(token_cache=AsyncRedisTokenCache(r)) as first,
                fake.async_imburse(token_cache=AsyncRedisTokenCache(r)) as second,
            ):
                await first.orders.create("ORD-1")
                await second.orders.get("ORD-1")
                old = _bearer(fake)
                fake.revoke_tokens()
                await first.orders.get("ORD-1")  # 401, forgets the token here and in Redis
                new = _bearer(fake)
                await second.orders.get("ORD-1")  # 401 with the old one, reads the new one
                assert _bearer(fake) == new != old
            assert fake.token_exchanges == 2
    finally:
        await r.aclose()


def test_sync_clients_share_one_exchange(redis_url: str) -> None:
    with redis.Redis.from_url(redis_url) as r, FakeImburse() as fake:
        with (
            fake.imburse(token_cache=RedisTokenCache(r)) as first,
            fake.imburse(token_cache=RedisTokenCache(r)) as second,
        ):
            first.orders.create("ORD-1")
            assert second.orders.get("ORD-1").order_ref == "ORD-1"
        assert fake.token_exchanges == 1
        assert (first.token_exchanges, second.token_exchanges) == (1, 0)


def test_each_client_refuses_a_cache_of_the_other_flavour(redis_url: str) -> None:
    with redis.Redis.from_url(redis_url) as r, FakeImburse() as fake:
        with pytest.raises(ConfigurationError, match="is not async"):
            fake.async_imburse(token_cache=RedisTokenCache(r))
        with pytest.raises(ConfigurationError, match="is async"):
            fake.imburse(token_cache=AsyncRedisTokenCache(redis.asyncio.Redis()))


def test_the_stored_form_is_sealed_and_bound_to_the_key() -> None:
    slot = TokenSlot("p", CREDS)
    token = AccessToken("header.payload.signature", datetime(2030, 1, 1, tzinfo=UTC))
    stored = slot.seal(token)
    assert "header.payload.signature" not in stored
    assert token.value not in repr(slot)
    assert CREDS.private_key not in repr(slot)
    assert slot.unseal(stored) == token
    assert slot.unseal(stored.encode()) == token
    assert stored.startswith(slot.fingerprint(token.value))
    other_key = Credentials(CREDS.public_key, "c2VjcmV0IGtleQ==", CREDS.account_id)
    assert TokenSlot("p", other_key).unseal(stored) is None  # another private key
    assert TokenSlot("q", CREDS).unseal(stored) is None  # moved to another key name
    assert slot.unseal(stored[:-4] + "AAAA") is None  # tampered
    assert slot.unseal(None) is None
    assert slot.unseal("garbage") is None
