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
        return await self._fetch(self.start, self._take_for(0))

    async def pages(self) -> AsyncIterator[Page[T]]:
        """Yield each page in turn, fetching the next one only when asked for it.

        With ``limit``, the last page may hold more items than the limit leaves (the pages
        are as the server sent them); iterate the pager itself for exactly ``limit`` items.

        >>> async for page in client.mandates.list().pages():  # doctest: +SKIP
        ...     print(page.current_page, len(page))
        """
        start: int | None = self.start
        yielded = 0
        while start is not None:
            take = self._take_for(yielded)
            page = await self._fetch(start, take)
            yield page
            yielded += len(page.results)
            if self.limit is not None and yielded >= self.limit:
                return
            start = next_start(page, start, take)

    async def __aiter__(self) -> AsyncIterator[T]:
        # The same walk as ``pages()``, written out: no inner generator left to close.
        start: int | None = self.start
        yielded = 0
        while start is not None:
            take = self._take_for(yielded)
            page = await self._fetch(start, take)
            for item in page.results:
                if self.limit is not None and yielded >= self.limit:
                    return
                yielded += 1
                yield item
            if self.limit is not None and yielded >= self.limit:
                return
            start = next_start(page, start, take)

    def _take_for(self, yielded: int) -> int:
        # Near the limit, ask only for what is still wanted.
        if self.limit is None:
            return self.take
        return max(1, min(self.take, self.limit - yielded))
