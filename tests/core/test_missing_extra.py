"""A missing extra is a ConfigurationError naming the pip command, never a bare import error.

Before this test ``import imburse.redis`` without the extra raised a plain ``ImportError``
(not a ``ConfigurationError``), so ``except imburse.ConfigurationError`` missed it.
"""

from __future__ import annotations

import importlib
import sys

import pytest

import imburse
from imburse._transports import import_extra


def test_a_missing_transport_extra_names_the_pip_command() -> None:
    with pytest.raises(imburse.MissingExtraError) as caught:
        import_extra("imburse_no_such_module", "aiohttp")
    err = caught.value
    assert isinstance(err, imburse.ConfigurationError)
    assert isinstance(err, ImportError)
    assert not isinstance(err, ModuleNotFoundError)
    assert "pip install 'imburse[aiohttp]'" in str(err)


def test_imburse_redis_without_the_extra_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A module set to None in sys.modules cannot be imported: the extra looks uninstalled.
    monkeypatch.setitem(sys.modules, "redis", None)
    for name in ("imburse.redis", "imburse._redis", "imburse._async.redis_shared"):
        monkeypatch.delitem(sys.modules, name, raising=False)
    monkeypatch.delitem(sys.modules, "imburse._sync.redis_shared", raising=False)
    with pytest.raises(imburse.ConfigurationError) as caught:
        importlib.import_module("imburse.redis")
    assert isinstance(caught.value, ImportError)  # `except ImportError` keeps working
    assert "pip install 'imburse[redis]'" in str(caught.value)
