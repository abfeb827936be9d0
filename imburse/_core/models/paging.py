"""Paged lists (creditor profiles, mandates): the page envelope and the rules for walking it.

Imburse pages with two query parameters (``txn-v2/Mandates-(Creditor-Profiles)``):

* ``from`` (int32, default 0), "the item from which to start". ``from`` is a Python keyword,
  so the SDK calls it ``start``. It is an *item offset*, not a page number: ``start=0`` is the
  first item and the next page starts where the last one ended (``start + len(results)``).
  The page's wording "(skip from-1 items)" could also be read as 1-based, but then its own
  default of 0 would mean "skip -1 items"; the SDK follows the default (0-based) and the
  sandbox has not been checked yet.
* ``take`` (int32, 1-1000, default 100): how many items one page holds at most. A value
  outside 1-1000 is a :class:`~imburse.ValidationError` before any request.

The answer is ``{currentPage, pageCount, pageSize, rowCount, totalCount, results: [...]}``.
Walking every item stops after a page whose next offset reaches ``totalCount``, after a
*short page* (fewer items than asked for; also the rule when ``totalCount`` is missing), or
after an empty page: :func:`next_start` is that rule, the pagers in ``imburse._async.paging``
and ``imburse._sync.paging`` only apply it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Generic, TypeVar

import attrs

from ..errors import ValidationError

__all__ = [
    "DEFAULT_TAKE",
    "MAX_TAKE",
    "Page",
    "check_limit",
    "check_start",
    "check_take",
    "next_start",
    "page_query",
]

T = TypeVar("T")

#: The published bounds and default of ``take``.
MAX_TAKE = 1000
DEFAULT_TAKE = 100
_MAX_INT32 = 2**31 - 1


def _extra() -> Any:
    return attrs.field(factory=dict, repr=False, eq=False)


@attrs.frozen(kw_only=True)
class Page(Generic[T]):
    """One page of a paged list: the envelope's counters and its ``results``.

    A page is a sequence of its results (``for item in page``, ``len(page)``, ``page[0]``);
    the counters are as the server sent them (``None`` when absent). ``results`` is required:
    a page body without it is broken, not empty. Each paged list has its own subclass
    (e.g. ``MandatePage``) naming the item type, which is what decoding needs.

    >>> page = Page(results=("a", "b"), total_count=5)
    >>> list(page), len(page), page.total_count
    (['a', 'b'], 2, 5)
    """

    results: tuple[T, ...]
    current_page: int | None = None
    page_count: int | None = None
    page_size: int | None = None
    row_count: int | None = None
    total_count: int | None = None
    extra: Mapping[str, Any] = _extra()
    correlation_id: str | None = attrs.field(default=None, repr=False, eq=False)

    def __iter__(self) -> Iterator[T]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def __getitem__(self, index: int) -> T:
        return self.results[index]

    def __bool__(self) -> bool:
        # A page is a container: an empty one is falsy, like its results.
        return bool(self.results)


def _int(field: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(field, f"must be an int (got {value!r})")
    return value


def check_take(value: object) -> int:
    """``take``: how many items per page, 1-1000 as published.

    >>> check_take(1001)
    Traceback (most recent call last):
    imburse.ValidationError: take: must be between 1 and 1000 (got 1001)
    """
    take = _int("take", value)
    if not 1 <= take <= MAX_TAKE:
        raise ValidationError("take", f"must be between 1 and {MAX_TAKE} (got {take})")
    return take


def check_start(value: object) -> int:
    """``start`` (the wire's ``from``): the 0-based offset of the first item, >= 0.

    >>> check_start(-1)
    Traceback (most recent call last):
    imburse.ValidationError: start: must be 0 or more (got -1)
    """
    start = _int("start", value)
    if start < 0:
        raise ValidationError("start", f"must be 0 or more (got {start})")
    if start > _MAX_INT32:
        raise ValidationError("start", f"must fit in 32 bits (got {start})")
    return start


def check_limit(value: object) -> int | None:
    """``limit``: the most items a walk across pages yields in total (``None``: all)."""
    if value is None:
        return None
    limit = _int("limit", value)
    if limit < 1:
        raise ValidationError("limit", f"must be 1 or more, or None (got {limit})")
    return limit


def page_query(start: int, take: int) -> dict[str, int]:
    """The query of one page request: ``{"from": start, "take": take}``, both checked.

    >>> page_query(200, 100)
    {'from': 200, 'take': 100}
    """
    return {"from": check_start(start), "take": check_take(take)}


def next_start(page: Page[Any], start: int, take: int) -> int | None:
    """Where the page after ``page`` starts, or ``None`` when ``page`` was the last.

    ``start`` and ``take`` are what the request for ``page`` asked for. The last page is an
    empty one, a short one (fewer than ``take`` items: the rule when ``totalCount`` is
    missing) or one whose next offset reaches ``totalCount``.

    >>> next_start(Page(results=(1, 2), total_count=5), 0, 2)
    2
    >>> next_start(Page(results=(5,), total_count=5), 4, 2) is None
    True
    """
    received = len(page.results)
    if received == 0 or received < take:
        return None
    following = start + received
    if page.total_count is not None and following >= page.total_count:
        return None
    return following
