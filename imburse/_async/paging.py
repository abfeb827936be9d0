"""Every item of a paged list, fetched page by page as the caller iterates.

The pager (:class:`AsyncPager`) holds no data, only how to fetch one page: ``fetch(start, take)``,
which a resource method provides and which makes one ordinary call of the client. So each
page request waits for the rate limit, is retried and has its own deadline exactly like any
other call, and a failure raises from the ``async for`` that asked for the page. The rules
for ``start`` (the wire's ``from``), ``take`` and when to stop are in
:mod:`imburse._core.models.paging`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Generic, TypeVar

from .._core.models.paging import (
    DEFAULT_TAKE,
    Page,
    check_limit,
    check_start,
    check_take,
    next_start,
)

__all__ = ["AsyncPager"]

T = TypeVar("T")


class AsyncPager(Generic[T]):
    """Iterate over every item of a paged list; pages are fetched lazily, one call each.

    ``fetch(start, take)`` returns the page of at most ``take`` items that begins at item
    ``start`` (0-based). Nothing is fetched until iteration begins, and the next page only
    when the items of the current one have all been consumed. Iteration stops after the
    page that reaches ``totalCount``, after a short or empty page, or once ``limit`` items
    have been yielded. Iterating again starts over (and fetches again).

    ``take`` outside 1-1000, a negative ``start`` or a ``limit`` below 1 raise
    :class:`~imburse.ValidationError` here, before any request.

    >>> async for mandate in client.mandates.list(take=500):  # doctest: +SKIP
    ...     print(mandate.mandate_id, mandate.status)
    """

    def __init__(
        self,
        fetch: Callable[[int, int], Awaitable[Page[T]]],
        *,
        start: int = 0,
        take: int = DEFAULT_TAKE,
        limit: int | None = None,
    ) -> None:
        self._fetch = fetch
        self.start = check_start(start)
        self.take = check_take(take)
        self.limit = check_limit(limit)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(start={self.start}, take={self.take}, limit={self.limit})"

    async def first_page(self) -> Page[T]:
        """Fetch only the first page (one call), e.g. to read ``total_count``.

        >>> page = await client.mandates.list(take=10).first_page()  # doctest: +SKIP
        >>> page.total_count  # doctest: +SKIP
        42
        """
        take = self.take if self.limit is None else min(self.take, self.limit)
        return await self._fetch(self.start, take)

    def pages(self) -> AsyncIterator[Page[T]]:
        """Iterate over the pages themselves, fetching each one only when asked for it.

        With ``limit``, the last page may hold more items than the limit leaves (the pages
        are as the server sent them); iterate the pager itself for exactly ``limit`` items.

        >>> async for page in client.mandates.list().pages():  # doctest: +SKIP
        ...     print(page.current_page, len(page))
        """
        return _PageWalk(self._walk())

    def __aiter__(self) -> AsyncIterator[T]:
        return _ItemWalk(self._walk(), self.limit)

    def _walk(self) -> _Walk[T]:
        return _Walk(self._fetch, self.start, self.take, self.limit)


# Iterators are classes, not async generators: a loop left early (``break``) then leaves
# nothing to finalise (trio warns about unfinished async generators; asyncio would close one
# later, on the event loop, at an unspecified time).


class _Walk(Generic[T]):
    """One walk across the pages: where the next page starts and how many items came."""

    def __init__(
        self,
        fetch: Callable[[int, int], Awaitable[Page[T]]],
        start: int,
        take: int,
        limit: int | None,
    ) -> None:
        self._fetch = fetch
        self._start: int | None = start
        self._take = take
        self._limit = limit
        self._received = 0

    async def next_page(self) -> Page[T] | None:
        if self._start is None:
            return None
        take = self._take
        if self._limit is not None:
            if self._received >= self._limit:
                return None
            take = min(take, self._limit - self._received)  # only what is still wanted
        page = await self._fetch(self._start, take)
        self._received += len(page.results)
        self._start = next_start(page, self._start, take)
        return page


class _PageWalk(Generic[T]):
    def __init__(self, walk: _Walk[T]) -> None:
        self._walk = walk

    def __aiter__(self) -> _PageWalk[T]:
        return self

    async def __anext__(self) -> Page[T]:
        page = await self._walk.next_page()
        if page is None:
            raise StopAsyncIteration
        return page


class _ItemWalk(Generic[T]):
    def __init__(self, walk: _Walk[T], limit: int | None) -> None:
        self._walk = walk
        self._left = limit
        self._results: tuple[T, ...] = ()
        self._index = 0

    def __aiter__(self) -> _ItemWalk[T]:
        return self

    async def __anext__(self) -> T:
        if self._left is not None and self._left <= 0:
            raise StopAsyncIteration
        while self._index >= len(self._results):
            page = await self._walk.next_page()
            if page is None:
                raise StopAsyncIteration
            self._results, self._index = page.results, 0
        item = self._results[self._index]
        self._index += 1
        if self._left is not None:
            self._left -= 1
        return item
