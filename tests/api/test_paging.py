"""Paging (issue 15 item 5, pages file §1.2): the envelope decodes into a page that is a
sequence of its results, the query is ``from``/``take`` within the published bounds, and the
stop rule. Pure; the pagers that apply it are tested in ``tests/_async/test_paging.py``."""

from __future__ import annotations

import pytest

import imburse
from imburse._core.errors import ValidationError
from imburse._core.models.mandates import MandatePage, MandateSummary
from imburse._core.models.paging import (
    DEFAULT_TAKE,
    MAX_TAKE,
    Page,
    check_take,
    next_start,
    page_query,
)

ENVELOPE = b"""{"currentPage": 2, "pageCount": 3, "pageSize": 2, "rowCount": 2,
  "totalCount": 5, "results": [{"mandateId": "m-3"}, {"mandateId": "m-4"}]}"""


def test_the_envelope_decodes_and_the_page_is_a_sequence_of_its_results() -> None:
    page = imburse.decode_model(MandatePage, ENVELOPE, strict=True)
    assert isinstance(page, Page)
    assert (page.current_page, page.page_count, page.page_size) == (2, 3, 2)
    assert (page.row_count, page.total_count) == (2, 5)
    assert [m.mandate_id for m in page] == ["m-3", "m-4"]
    assert len(page) == 2
    assert page[1] == MandateSummary(mandate_id="m-4")
    assert page  # a non-empty page is truthy, an empty one falsy, like a tuple
    assert not Page(results=())


def test_the_published_defaults_and_bounds() -> None:
    assert (DEFAULT_TAKE, MAX_TAKE) == (100, 1000)
    assert page_query(0, 1) == {"from": 0, "take": 1}
    assert page_query(250, 1000) == {"from": 250, "take": 1000}


@pytest.mark.parametrize("take", [0, -1, 1001, 10**6, True, 1.0, "100", None])
def test_take_outside_1_to_1000_is_a_validation_error(take: object) -> None:
    with pytest.raises(ValidationError) as info:
        check_take(take)
    assert info.value.field == "take"


@pytest.mark.parametrize("start", [-1, 2**31, False, "0", None])
def test_a_bad_start_is_a_validation_error_named_start(start: object) -> None:
    with pytest.raises(ValidationError) as info:
        page_query(start, 10)  # type: ignore[arg-type]
    assert info.value.field == "start"


def page(count: int, total: int | None = None) -> Page[int]:
    return Page(results=tuple(range(count)), total_count=total)


@pytest.mark.parametrize(
    ("results", "total", "start", "take", "expected"),
    [
        (2, 5, 0, 2, 2),  # full page, more to come: the next item offset
        (2, 5, 2, 2, 4),
        (1, 5, 4, 2, None),  # short page
        (2, 4, 2, 2, None),  # full page, but totalCount reached
        (2, None, 0, 2, 2),  # no totalCount: only a short or empty page stops
        (1, None, 2, 2, None),
        (0, None, 4, 2, None),  # empty page
        (0, 10, 4, 2, None),  # empty although totalCount says more: stop, never loop
        (3, None, 0, 2, 3),  # the server sent more than asked: continue after them
    ],
)
def test_next_start(
    results: int, total: int | None, start: int, take: int, expected: int | None
) -> None:
    assert next_start(page(results, total), start, take) == expected
