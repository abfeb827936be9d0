"""Checks shared by the configuration models (apps, schemes, reward groups, catalog).

They complement :mod:`imburse._core.validation` with the id shapes of ``imburse-api.md``
§5.8-5.12: uuids (draft and reward-group ids), app ids (``BRAINTREE_SDK``,
``tangocard_raas``) and opaque ids (scheme ids are GUIDs in 2019 docs and 32-character hex in
newer ones; reward ids are GUIDs or 64-character hex). Each raises
:class:`~imburse.ValidationError` naming the field, and bounds the length before anything
else looks at the value (a 10 MB id never becomes a 10 MB request line or error message).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from ..errors import ValidationError
from ..validation import shown

__all__ = [
    "check_app_id",
    "check_bool",
    "check_opaque_id",
    "check_text",
    "check_uuid",
    "MAX_APP_ID_LENGTH",
    "MAX_OPAQUE_ID_LENGTH",
    "nested",
    "sequence_of",
]

T = TypeVar("T")

#: App ids seen are 10-30 characters (``TANGOCARD_RAAS``); twice the longest, rounded up.
MAX_APP_ID_LENGTH = 64
#: The longest documented opaque id is a 64-character hex reward id; room for other shapes.
MAX_OPAQUE_ID_LENGTH = 128

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
# App ids are written upper-case (BRAINTREE_SDK) and lower-case (braintree_sdk); one 2019 URL
# uses a hyphen (tangocard-raas). They travel as a path segment, so nothing else is allowed.
_APP_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_\-]*")
# Opaque ids travel as path segments or list items; GUIDs, hex and refs all fit this.
_OPAQUE = re.compile(r"[A-Za-z0-9\-_.]+")


def check_uuid(field: str, value: Any) -> str:
    """A hyphenated 36-character uuid, e.g. a draft or reward-group id (sent as given).

    >>> check_uuid("draft_id", "1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c")
    '1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c'
    """
    if not isinstance(value, str) or len(value) != 36 or not _UUID.fullmatch(value):
        raise ValidationError(
            field, f"must be a uuid like '1aa81e1e-b072-...' (got {shown(value)})"
        )
    return value


def check_app_id(field: str, value: Any) -> str:
    """An app id such as ``BRAINTREE_SDK`` or ``tangocard_raas``: letters, digits, ``_``, ``-``.

    >>> check_app_id("app_id", "TANGOCARD_RAAS")
    'TANGOCARD_RAAS'
    """
    if not isinstance(value, str) or len(value) > MAX_APP_ID_LENGTH or not _APP_ID.fullmatch(value):
        raise ValidationError(
            field,
            f"must be an app id like 'BRAINTREE_SDK' (1-{MAX_APP_ID_LENGTH} letters, digits, "
            f"_ and -; got {shown(value)})",
        )
    return value


def check_opaque_id(field: str, value: Any) -> str:
    """A server-made id treated as opaque (scheme ids, reward ids): 1-128 of ``[A-Za-z0-9-_.]``.

    ``.`` and ``..`` are refused: the id is a URL path segment.

    >>> check_opaque_id("scheme_id", "654EB81FF7F07F7CF5A1EE3FF6972E90")
    '654EB81FF7F07F7CF5A1EE3FF6972E90'
    """
    if (
        not isinstance(value, str)
        or len(value) > MAX_OPAQUE_ID_LENGTH
        or not _OPAQUE.fullmatch(value)
        or value in (".", "..")
    ):
        raise ValidationError(
            field,
            f"must be an id of 1-{MAX_OPAQUE_ID_LENGTH} letters, digits and -_. "
            f"(got {shown(value)})",
        )
    return value


def check_text(field: str, value: Any, *, required: bool = True) -> str | None:
    """A non-blank string (a scheme or group name); ``None`` allowed when not ``required``."""
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(field, f"must be a non-empty string (got {shown(value)})")
    return value


def check_bool(field: str, value: Any) -> bool:
    """A real boolean (``"false"`` is not one)."""
    if not isinstance(value, bool):
        raise ValidationError(field, f"must be True or False (got {shown(value)})")
    return value


def sequence_of(field: str, value: Any, item: Callable[[str, Any], T]) -> tuple[T, ...]:
    """A list (or any non-string iterable) checked item by item as ``field[i]``; None is empty."""
    if value is None:
        return ()
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ValidationError(field, f"must be a sequence, not {type(value).__name__}")
    return tuple(item(f"{field}[{i}]", v) for i, v in enumerate(value))


def nested(field: str, value: Any, cls: type[T]) -> T:
    """Build ``cls`` from a mapping of its snake_case arguments, prefixing errors with ``field``."""
    if isinstance(value, cls):
        return value
    if not isinstance(value, Mapping):
        raise ValidationError(field, f"must be a {cls.__name__} or a mapping of its arguments")
    try:
        return cls(**value)
    except ValidationError as err:
        raise ValidationError(f"{field}.{err.field}", err.problem) from None
    except TypeError as err:  # unknown or missing keys, e.g. camelCase "appId"
        message = str(err)
        raise ValidationError(field, message[message.find(")") + 2 :] or message) from None
