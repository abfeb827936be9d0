"""``client.mandates``: ``/v2/mandates`` (``imburse-api.md`` §5.17), observed only.

Their request and answer schemas are not published: bodies go out exactly as given (wire
names, e.g. ``{"customerRef": ...}``) and answers come back as decoded JSON. Accounts
without the mandates licence were expected to get 405 ``SERVICE_UNAVAILABLE``
(:class:`~imburse.APIStatusError`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Unpack

from ..._core.call import RequestOptions
from ..._core.errors import ValidationError
from ..._core.operations.mandates import CREATE_MANDATE, LIST_MANDATES
from ..._raw import async_raw
from ._base import AsyncResource

__all__ = ["AsyncMandates"]


def _check_body(value: Any, field: str = "body") -> None:
    # The schema is unknown, so only JSON-ness is checked -- and floats are refused anywhere,
    # as for every amount in this SDK (use Decimal or a string).
    if isinstance(value, float):
        raise ValidationError(field, "must not contain floats; use Decimal or a string")
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValidationError(field, f"keys must be strings (got {key!r})")
            _check_body(item, f"{field}.{key}")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            _check_body(item, f"{field}[{index}]")


class AsyncMandates(AsyncResource):
    """Mandates (v2). Experimental: observed in Imburse's QA tests, not documented."""

    async def create(self, body: Mapping[str, Any], **options: Unpack[RequestOptions]) -> Any:
        """Create a mandate from ``body`` (sent as given); returns the decoded answer or None.

        Experimental: path observed only in Imburse's QA tests; schema not published.
        Not retried after an unknown outcome.

        >>> await client.mandates.create({"customerRef": "CUS-1", "schemeId": sid})  # doctest: +SKIP
        """
        if not isinstance(body, Mapping):
            raise ValidationError("body", f"must be a mapping, not {type(body).__name__}")
        _check_body(body)
        return await self._client._request(CREATE_MANDATE, body=dict(body), options=options)

    async def list(self, **options: Unpack[RequestOptions]) -> Any:
        """List mandates; returns the decoded answer (its shape is not published).

        Experimental: path observed only in Imburse's QA tests; schema not published.

        >>> answer = await client.mandates.list()  # doctest: +SKIP
        """
        return await self._client._request(LIST_MANDATES, options=options)

    @property
    def with_raw_response(self) -> AsyncMandatesWithRawResponse:
        """The same methods, returning :class:`~imburse.RawResponse` (status, headers, ids)."""
        return AsyncMandatesWithRawResponse(self)


class AsyncMandatesWithRawResponse:
    """``client.mandates.with_raw_response``."""

    def __init__(self, mandates: AsyncMandates) -> None:
        self.create = async_raw(mandates.create)
        self.list = async_raw(mandates.list)
