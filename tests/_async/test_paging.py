"""The pager walks a paged list lazily, one fetch per page, and stops where the pages say
(issue 15 item 5). A fake ``fetch`` serves a list of items and records each request."""

from __future__ import annotations

import gc
import sys

import pytest

from imburse import AsyncPager, NotFoundError, Page, ValidationError


class Server:
    """Serves ``items`` page by page as Imburse does: ``from`` is the 0-based item offset."""

    def __init__(self, count: int, *, total: bool = True, fail_at: int | None = None) -> None:
        self.items = [f"item-{i}" for i in range(count)]
        self.total = total
        self.fail_at = fail_at
        self.calls: list[tuple[int, int]] = []

    async def fetch(self, start: int, take: int) -> Page[str]:
        self.calls.append((start, take))
        if self.fail_at is not None and start >= self.fail_at:
            raise NotFoundError("gone away", status_code=404)
        results = tuple(self.items[start : start + take])
        return Page(
            results=results,
            total_count=len(self.items) if self.total else None,
            page_size=take,
        )


async def collect(pager: AsyncPager[str]) -> list[str]:
    return [item async for item in pager]


@pytest.mark.anyio
async def test_every_item_once_in_order_one_fetch_per_page() -> None:
    server = Server(5)
    items = await collect(AsyncPager(server.fetch, take=2))
    assert items == [f"item-{i}" for i in range(5)]
    assert server.calls == [(0, 2), (2, 2), (4, 2)]


@pytest.mark.anyio
async def test_stops_when_total_count_is_reached_without_asking_for_an_empty_page() -> None:
    server = Server(4)
    assert len(await collect(AsyncPager(server.fetch, take=2))) == 4
    assert server.calls == [(0, 2), (2, 2)]


@pytest.mark.anyio
async def test_without_total_count_a_short_page_stops() -> None:
    server = Server(5, total=False)
    assert len(await collect(AsyncPager(server.fetch, take=2))) == 5
    assert server.calls == [(0, 2), (2, 2), (4, 2)]


@pytest.mark.anyio
async def test_without_total_count_full_pages_continue_until_an_empty_one() -> None:
    server = Server(4, total=False)
    assert len(await collect(AsyncPager(server.fetch, take=2))) == 4
    assert server.calls == [(0, 2), (2, 2), (4, 2)]


@pytest.mark.anyio
async def test_nothing_is_fetched_before_iteration_and_pages_come_one_at_a_time() -> None:
    server = Server(5)
    pager = AsyncPager(server.fetch, take=2)
    assert server.calls == []
    iterator = pager.__aiter__()
    assert await anext(iterator) == "item-0"
    assert server.calls == [(0, 2)]
    assert await anext(iterator) == "item-1"
    assert server.calls == [(0, 2)]  # the second page only when its first item is wanted
    assert await anext(iterator) == "item-2"
    assert server.calls == [(0, 2), (2, 2)]


@pytest.mark.anyio
async def test_start_is_the_item_offset_sent_as_from() -> None:
    server = Server(5)
    assert await collect(AsyncPager(server.fetch, start=3, take=10)) == ["item-3", "item-4"]
    assert server.calls == [(3, 10)]


@pytest.mark.anyio
async def test_the_default_take_is_the_published_100() -> None:
    server = Server(150)
    assert len(await collect(AsyncPager(server.fetch))) == 150
    assert server.calls == [(0, 100), (100, 100)]


@pytest.mark.anyio
async def test_limit_yields_that_many_and_asks_only_for_what_is_still_wanted() -> None:
    server = Server(10)
    assert await collect(AsyncPager(server.fetch, take=4, limit=6)) == [
        f"item-{i}" for i in range(6)
    ]
    assert server.calls == [(0, 4), (4, 2)]


@pytest.mark.anyio
async def test_pages_yields_each_page_and_first_page_fetches_one() -> None:
    server = Server(5)
    pager = AsyncPager(server.fetch, take=2)
    sizes = [len(page) async for page in pager.pages()]
    assert sizes == [2, 2, 1]
    server.calls.clear()
    first = await pager.first_page()
    assert (list(first), first.total_count) == (["item-0", "item-1"], 5)
    assert server.calls == [(0, 2)]


@pytest.mark.anyio
async def test_iterating_again_starts_over() -> None:
    server = Server(3)
    pager = AsyncPager(server.fetch, take=2)
    assert await collect(pager) == await collect(pager)
    assert server.calls == [(0, 2), (2, 2), (0, 2), (2, 2)]


@pytest.mark.anyio
async def test_a_failed_page_raises_from_the_loop_after_the_earlier_items() -> None:
    server = Server(6, fail_at=2)
    iterator = AsyncPager(server.fetch, take=2).__aiter__()
    assert [await anext(iterator), await anext(iterator)] == ["item-0", "item-1"]
    with pytest.raises(NotFoundError):
        await anext(iterator)
    assert server.calls == [(0, 2), (2, 2)]


@pytest.mark.anyio
async def test_leaving_the_loop_early_leaves_nothing_to_finalise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A ``break`` must not leave an unfinished generator behind: trio warns about one
    (ResourceWarning from its finaliser) and asyncio closes it later, on the loop."""
    unraisable: list[object] = []
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    server = Server(5)
    async for item in AsyncPager(server.fetch, take=2):
        assert item == "item-0"
        break
    async for page in AsyncPager(server.fetch, take=2).pages():
        assert len(page) == 2
        break
    gc.collect()
    assert unraisable == []
    assert server.calls == [(0, 2), (0, 2)]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"take": 0}, "take"),
        ({"take": 1001}, "take"),
        ({"start": -1}, "start"),
        ({"limit": 0}, "limit"),
    ],
)
def test_bad_arguments_raise_before_any_fetch(kwargs: dict[str, int], field: str) -> None:
    server = Server(3)
    with pytest.raises(ValidationError) as info:
        AsyncPager(server.fetch, **kwargs)
    assert info.value.field == field
    assert server.calls == []
