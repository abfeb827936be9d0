"""``repr()`` of a client whose constructor raised (issue 14, item 11, first half).

Error reporters (Sentry, ``traceback`` with ``capture_locals=True``) call ``repr()`` on every
local of every frame, ``self`` of the failed ``__init__`` included. Before issue 14 that
``repr()`` raised ``AttributeError`` (no ``_config`` yet), and the reporter lost the report or
printed a second traceback instead of the configuration error.
"""

from __future__ import annotations

import traceback
import warnings
from typing import Any

import pytest

from imburse import AsyncImburse, ConfigurationError, Imburse

BAD: dict[str, Any] = {
    "public_key": "8ebda900-9079-54fc-a722-9dfaa4550ba6",
    "private_key": "not base64!",
    "account_id": "db391a5b-2e70-51a8-b1e0-51c1552a620c",
}


@pytest.mark.parametrize("cls", [AsyncImburse, Imburse], ids=["async", "sync"])
def test_repr_of_a_half_built_client_is_safe(cls: type[AsyncImburse] | type[Imburse]) -> None:
    """Failed before issue 14: ``repr(client)`` raised ``AttributeError``."""
    client = cls.__new__(cls)
    with pytest.raises(ConfigurationError):
        client.__init__(**BAD)  # type: ignore[misc]
    assert repr(client) == f"{cls.__name__}(<not configured>)"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # nor does its __del__ warn about an unclosed pool
        del client


@pytest.mark.parametrize("cls", [AsyncImburse, Imburse], ids=["async", "sync"])
def test_a_traceback_with_locals_shows_the_configuration_error(
    cls: type[AsyncImburse] | type[Imburse],
) -> None:
    """Failed before issue 14: formatting the traceback with locals (what error trackers do)
    hit the ``AttributeError`` from ``repr(self)`` in the constructor's frame."""
    with pytest.raises(ConfigurationError) as info:
        cls(**BAD)
    report = "".join(
        traceback.TracebackException.from_exception(info.value, capture_locals=True).format()
    )
    assert "ConfigurationError: private_key" in report
    assert f"self = {cls.__name__}(<not configured>)" in report
