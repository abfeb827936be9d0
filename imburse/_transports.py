"""Optional transport stacks: the extras that provide them, and the async-only aiohttp one.

Hand-written, holding both flavours (like ``_locks``): the generated sync client calls
``sync_aiohttp_transport``, which explains that aiohttp has no sync API.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

from ._core.config import DEFAULT_MAX_RESPONSE_BYTES
from ._core.errors import ConfigurationError, MissingExtraError

__all__ = ["async_aiohttp_transport", "import_extra", "sync_aiohttp_transport"]


def import_extra(module: str, extra: str) -> ModuleType:
    """Import ``module`` or say which extra installs it.

    >>> import_extra("json", "speed").__name__
    'json'
    """
    try:
        return importlib.import_module(module)
    except ImportError:
        raise MissingExtraError(
            f"transport={module!r} needs the {extra!r} extra: pip install 'imburse[{extra}]'"
        ) from None


def async_aiohttp_transport(
    session: Any, max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
) -> Any:
    """The aiohttp adapter (``pip install 'imburse[aiohttp]'``); asyncio only.

    >>> async_aiohttp_transport(None)  # doctest: +ELLIPSIS
    <imburse._aiohttp.AsyncAiohttpTransport object at ...>
    """
    import_extra("aiohttp", "aiohttp")
    from ._aiohttp import AsyncAiohttpTransport

    return AsyncAiohttpTransport(session, max_response_bytes=max_response_bytes)


def sync_aiohttp_transport(
    session: Any, max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES
) -> Any:
    """aiohttp is asyncio-only: the sync client refuses it.

    >>> sync_aiohttp_transport(None)
    Traceback (most recent call last):
    imburse.ConfigurationError: transport='aiohttp' is async-only: use AsyncImburse, or transport='httpx' or 'httpx2' with Imburse
    """
    raise ConfigurationError(
        "transport='aiohttp' is async-only: use AsyncImburse, or transport='httpx' or "
        "'httpx2' with Imburse"
    )
