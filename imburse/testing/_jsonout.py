"""A tiny JSON writer that prints :class:`~decimal.Decimal` as a raw number literal.

``json.dumps`` can only print a Decimal by going through ``float`` (or as a string), and a
fake payments API must echo ``200.00`` exactly as it was sent, so amounts are written here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from decimal import Decimal

__all__ = ["JSONValue", "dumps"]

JSONValue = None | bool | int | str | Decimal | Sequence["JSONValue"] | Mapping[str, "JSONValue"]


def dumps(value: JSONValue) -> bytes:
    """Encode ``value`` as compact UTF-8 JSON; Decimals become number literals.

    >>> dumps({"amount": Decimal("200.00"), "ok": True})
    b'{"amount":200.00,"ok":true}'
    """
    parts: list[str] = []
    _write(value, parts)
    return "".join(parts).encode("utf-8")


def _write(value: JSONValue, out: list[str]) -> None:
    if value is None or isinstance(value, bool | int | str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError("JSON cannot hold a non-finite number")
        # str(Decimal) is always a valid JSON number for finite values ("200.00", "1E+2").
        out.append(str(value))
    elif isinstance(value, Mapping):
        out.append("{")
        for i, (key, item) in enumerate(value.items()):
            if i:
                out.append(",")
            out.append(json.dumps(key, ensure_ascii=False))
            out.append(":")
            _write(item, out)
        out.append("}")
    else:
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write(item, out)
        out.append("]")
