"""Error answers in the exact shape of ``imburse-api.md`` §4.2.

Handlers raise :class:`HTTPProblem`; the app turns it into the body below, filling in the
fake's own trace id and the caller's ``X-Correlation-ID``::

    {"timestamp": <epoch ms>, "correlationId": "0HLPSRAQ7S0I6:00000002",
     "errors": [{"errorCode", "message", "messageTemplate", "metadata": {..., "correlationId"}}]}

The mandate and creditor-profile routes answer *problem details* instead
(``HTTPProblem(..., details=True)``, ``imburse-openapi-pages.md`` §1.1)::

    {"title": "BAD_REQUEST", "detail": "See validation errors.", "timestamp": "<ISO>",
     "correlationId": ..., "status": 400, "traceId": ...,
     "errors": [{"title": "REQUIRED_ATTRIBUTE", "detail": "...",
                 "metadata": {"PropertyName", "AttemptedValue", "ErrorMessage"}}]}
"""

from __future__ import annotations

import itertools
import re
import secrets
import threading
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from http import HTTPStatus

import attrs

from ._jsonout import JSONValue, dumps

__all__ = [
    "HTTPProblem",
    "Problem",
    "TraceIds",
    "error_body",
    "problem_details_body",
    "problem_for_status",
]

# The trace-id prefix alphabet of ASP.NET connection ids (base32 "0-9A-V"), which is what the
# documented sample "0HLPSRAQ7S0I6" looks like.
_TRACE_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUV"
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@attrs.frozen
class Problem:
    """One entry of ``errors``: a code, a ``{name}`` template and the template's values."""

    code: str
    template: str
    values: Mapping[str, str] = attrs.field(factory=dict)

    def render(self) -> str:
        """Substitute the values into the template; unknown placeholders stay as written."""
        return _PLACEHOLDER.sub(lambda m: self.values.get(m.group(1), m.group(0)), self.template)


class HTTPProblem(Exception):
    """Raised by a handler to answer ``status`` with one or more problems."""

    def __init__(self, status: int, problems: Sequence[Problem], *, details: bool = False) -> None:
        super().__init__(status, [p.code for p in problems])
        self.status = status
        self.problems = list(problems)
        self.details = details  # answer in the problem-details shape

    @classmethod
    def one(cls, status: int, code: str, template: str, **values: str) -> HTTPProblem:
        """Shortcut for the common single-problem answer."""
        return cls(status, [Problem(code, template, values)])

    @classmethod
    def detail(
        cls, status: int, code: str, text: str, *, field: str | None = None, value: str = "null"
    ) -> HTTPProblem:
        """One problem in the problem-details shape; ``field`` is the request property
        it is about (``metadata.PropertyName``)."""
        values = {} if field is None else {"PropertyName": field, "AttemptedValue": value}
        return cls(status, [Problem(code, text, values)], details=True)


class TraceIds:
    """Imburse-style trace ids: one random 13-character prefix per fake, then a counter."""

    def __init__(self) -> None:
        self._prefix = "".join(secrets.choice(_TRACE_ALPHABET) for _ in range(13))
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    def next(self) -> str:
        """Return a new id such as ``"0HLPSRAQ7S0I6:00000002"``."""
        with self._lock:
            n = next(self._counter)
        return f"{self._prefix}:{n % 10**8:08d}"


def error_body(
    problems: Sequence[Problem], *, trace_id: str, caller_correlation_id: str | None, now_ms: int
) -> bytes:
    """Render the §4.2 body. ``metadata.correlationId`` is the caller's id when one was sent."""
    correlation = caller_correlation_id or trace_id
    errors: list[JSONValue] = []
    for problem in problems:
        metadata = {**problem.values, "correlationId": correlation}
        rendered = Problem(problem.code, problem.template, metadata)
        errors.append(
            {
                "errorCode": problem.code,
                "message": rendered.render(),
                "messageTemplate": problem.template,
                "metadata": dict(metadata),
            }
        )
    return dumps({"timestamp": now_ms, "correlationId": trace_id, "errors": errors})


def problem_details_body(
    status: int, problems: Sequence[Problem], *, trace_id: str, now_ms: int
) -> bytes:
    """Render the problem-details body of the mandate pages (``§1.1``)."""
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = f"HTTP {status}"
    errors: list[JSONValue] = []
    for problem in problems:
        text = problem.render()
        metadata: dict[str, JSONValue] = {**problem.values, "ErrorMessage": text}
        errors.append({"title": problem.code, "detail": text, "metadata": metadata})
    single = status != 400 and len(problems) == 1
    stamp = datetime.fromtimestamp(now_ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return dumps(
        {
            "title": re.sub(r"[^A-Z0-9]+", "_", phrase.upper()).strip("_"),
            "detail": problems[0].render() if single else "See validation errors.",
            "timestamp": stamp,
            "correlationId": trace_id,
            "status": status,
            "traceId": trace_id,
            "errors": errors,
        }
    )


def problem_for_status(status: int) -> Problem:
    """A generic problem for an injected status, e.g. 503 -> ``SERVICE_UNAVAILABLE``.

    The codes are derived from the HTTP reason phrase; Imburse documents none for 429/5xx.
    """
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = f"HTTP {status}"
    code = re.sub(r"[^A-Z0-9]+", "_", phrase.upper()).strip("_")
    return Problem(code, f"{phrase}.")
