"""Scripted and seeded-random faults: what a flaky network or gateway does to a request.

A fault is picked when a request arrives (first matching scripted fault, in the order they
were injected; else the random mode, if any). One request gets at most one fault.

Kinds, and whether the request is *applied* (reaches the fake's state) before the damage:

============  ========  ==============================================================
kind          applied   effect
============  ========  ==============================================================
status        apply=    answer ``status`` with an error body (+ Retry-After headers)
drop_before   no        connection dropped before the request is read
drop_after    yes       handled, then the connection is dropped without an answer
latency       yes       ``delay`` seconds pass before the request is handled normally
stall         yes       handled, then ``delay`` seconds of silence before the answer
truncate      yes       the answer's body is cut short (``keep`` bytes, default half)
non_json      apply=    an HTML gateway page with ``status`` (default 502)
============  ========  ==============================================================
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from typing import Any, Literal, get_args

import attrs

__all__ = ["TOKEN_PATH", "Fault", "FaultKind", "RandomFaults", "make_fault"]

FaultKind = Literal[
    "status", "drop_before", "drop_after", "latency", "stall", "truncate", "non_json"
]
KINDS: tuple[str, ...] = get_args(FaultKind)
TOKEN_PATH = "/v1/identity/hmac"  # noqa: S105 - a path, not a secret

# Which optional parameters each kind takes, with their defaults.
_PARAMS: dict[str, dict[str, Any]] = {
    "status": {"status": 503, "retry_after": None, "retry_after_ms": None, "apply": False},
    "drop_before": {},
    "drop_after": {},
    "latency": {"delay": 0.1},
    "stall": {"delay": 30.0},
    "truncate": {"keep": None},
    "non_json": {"status": 502, "apply": False},
}
_APPLIED_ALWAYS = frozenset({"drop_after", "latency", "stall", "truncate"})


@attrs.define(eq=False)
class Fault:
    """One scripted fault; ``fired`` counts the requests it has hit so far.

    >>> fault = Fault("status", status=503)
    >>> fault.matches("POST", "/v1/order-management"), fault.matches("POST", TOKEN_PATH)
    (True, False)
    """

    kind: FaultKind
    times: int | None = 1
    method: str | None = None
    path: str | None = None
    status: int = 503
    retry_after: str | None = None
    retry_after_ms: str | None = None
    apply: bool = False
    delay: float = 0.0
    keep: int | None = None
    fired: int = 0
    _pattern: re.Pattern[str] | None = attrs.field(init=False, default=None, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.path is not None:
            self._pattern = re.compile(self.path)

    @property
    def remaining(self) -> int | None:
        """How many more requests it will hit; None for a fault with ``times=None`` (forever)."""
        return None if self.times is None else max(self.times - self.fired, 0)

    @property
    def applies_request(self) -> bool:
        """Whether the request reaches the fake's state before the fault's damage."""
        return self.kind in _APPLIED_ALWAYS or (self.kind in {"status", "non_json"} and self.apply)

    def matches(self, method: str, path: str) -> bool:
        """Whether this fault would hit ``method path`` (ignoring how many hits are left).

        Without an explicit ``path`` the token endpoint is spared, so a fault aimed at "the
        next call" does not hit the token exchange that precedes it.
        """
        if self.method is not None and self.method.upper() != method.upper():
            return False
        if self._pattern is None:
            return path != TOKEN_PATH
        return self._pattern.search(path) is not None


def make_fault(
    kind: str,
    *,
    times: int | None = 1,
    method: str | None = None,
    path: str | None = None,
    **params: Any,
) -> Fault:
    """Build a :class:`Fault`, refusing parameters that mean nothing for ``kind``."""
    if kind not in _PARAMS:
        raise ValueError(f"unknown fault kind {kind!r}; expected one of {', '.join(KINDS)}")
    allowed = _PARAMS[kind]
    unknown = sorted(set(params) - set(allowed))
    if unknown:
        raise TypeError(f"fault kind {kind!r} takes no parameter(s) {', '.join(unknown)}")
    if times is not None and times < 1:
        raise ValueError("times must be >= 1, or None for every matching request")
    values = {**allowed, **params}
    if values.get("delay") is not None and values["delay"] < 0:
        raise ValueError("delay must be >= 0")
    if values.get("keep") is not None and values["keep"] < 0:
        raise ValueError("keep must be >= 0")
    for header in ("retry_after", "retry_after_ms"):
        if values.get(header) is not None:
            # Passed through verbatim, so tests can send any form: "2", "0.5", an HTTP date.
            values[header] = str(values[header])
    return Fault(kind, times, method, path, **values)  # type: ignore[arg-type]


@attrs.define(eq=False)
class RandomFaults:
    """Seeded random faults for chaos tests.

    ``rates`` maps a fault name to its probability per matching request. Names are the fault
    kinds (``"drop_before"``, ``"latency"``...) and ``"status_<code>"``; add ``"_applied"``
    to ``status_<code>`` or ``non_json`` for the variant that applies the request first.
    Every matching request draws one number from ``random.Random(seed)`` and walks the names
    in sorted order, so for a given sequence of requests the faults are reproducible.
    ``counts`` says how often each name fired.
    """

    seed: int
    rates: Mapping[str, float]
    method: str | None = None
    path: str | None = None
    latency: float = 0.05
    stall: float = 5.0
    retry_after: str | None = None
    counts: dict[str, int] = attrs.field(factory=dict)
    _rng: random.Random = attrs.field(init=False, repr=False)
    _table: list[tuple[str, float, dict[str, Any]]] = attrs.field(init=False, repr=False)
    _filter: Fault = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        self._rng = random.Random(self.seed)  # noqa: S311 - test chaos, not cryptography
        self._filter = Fault("status", times=None, method=self.method, path=self.path)
        total = 0.0
        self._table = []
        for name in sorted(self.rates):
            rate = self.rates[name]
            if not 0.0 <= rate <= 1.0:
                raise ValueError(f"rate for {name!r} must be between 0 and 1")
            total += rate
            self._table.append((name, total, self._spec(name)))
        if total > 1.0 + 1e-9:
            raise ValueError("the rates add up to more than 1")
        self.counts = dict.fromkeys(sorted(self.rates), 0)

    def _spec(self, name: str) -> dict[str, Any]:
        applied = name.endswith("_applied")
        base = name.removesuffix("_applied")
        status = base.removeprefix("status_")
        if base.startswith("status_") and len(status) == 3 and status.isdigit():
            kind = "status"
        elif base in _PARAMS and base != "status":
            kind = base
        else:
            raise ValueError(f"unknown random fault {name!r}")
        if applied and kind not in {"status", "non_json"}:
            raise ValueError(f"{name!r}: only status_<code> and non_json have an _applied form")
        spec: dict[str, Any] = {"kind": kind}
        if kind == "status":
            spec.update(status=int(status), apply=applied)
            if self.retry_after is not None and spec["status"] in {429, 503}:
                spec["retry_after"] = self.retry_after
        elif kind == "non_json":
            spec["apply"] = applied
        elif kind in {"latency", "stall"}:
            spec["delay"] = self.latency if kind == "latency" else self.stall
        return spec

    def pick(self, method: str, path: str) -> Fault | None:
        """Draw for one request; return a one-shot fault or None."""
        if not self._filter.matches(method, path):
            return None
        draw = self._rng.random()
        for name, upto, spec in self._table:
            if draw < upto:
                self.counts[name] += 1
                fault = make_fault(**spec)
                fault.fired = 1
                return fault
        return None
