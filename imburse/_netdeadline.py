"""httpcore network backends that keep a sync call inside its deadline.

A thread cannot be cancelled mid-read, so the sync client's deadline is enforced where the
thread waits: every socket connect, TLS handshake, read and write of a pool the SDK built
gets ``min(its phase timeout, time left)`` (:func:`~imburse._deadline.sync_time_left`), and
one whose time is up fails at once with the phase's timeout error. A server trickling one
byte every half second can then hold a call no longer than its deadline.

This goes through httpcore's public network-backend seam (``httpcore.NetworkBackend`` and
``NetworkStream``, wrapping the default ``SyncBackend``), so it serves httpcore and its fork
httpcore2 alike. The async twin needs nothing here: ``AsyncDeadline`` cancels the task.

:func:`async_network_backend` / :func:`sync_network_backend` are the two flavours the
generated transport picks by name (``scripts/unasync.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from types import ModuleType
from typing import Any

from ._deadline import sync_time_left

__all__ = ["async_network_backend", "sync_network_backend"]


def async_network_backend(core: ModuleType) -> Any:
    """The network backend of an async pool: httpcore's default (``None``).

    >>> async_network_backend(__import__("httpcore")) is None
    True
    """
    return None


def sync_network_backend(core: ModuleType) -> Any:
    """A sync network backend for ``core`` (httpcore or httpcore2) bounded by the deadline.

    >>> import httpcore
    >>> isinstance(sync_network_backend(httpcore), httpcore.NetworkBackend)
    True
    """
    return _classes(core)()


@cache
def _classes(core: ModuleType) -> type[Any]:
    """The backend and stream classes for one httpcore flavour, made once."""

    def bounded(timeout: float | None, error: type[Exception]) -> float | None:
        left = sync_time_left()
        if left <= 0:
            # A zero socket timeout would make the call non-blocking (an OSError, not a
            # timeout): the deadline has passed, so say so as the phase's own timeout.
            raise error("the call's deadline passed")
        return left if timeout is None or timeout > left else timeout

    class DeadlineStream(core.NetworkStream):  # type: ignore[misc, name-defined]
        """A stream whose every wait ends by the call's deadline."""

        def __init__(self, inner: Any) -> None:
            self._inner = inner

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            data: bytes = self._inner.read(max_bytes, bounded(timeout, core.ReadTimeout))
            return data

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            self._inner.write(buffer, bounded(timeout, core.WriteTimeout))

        def close(self) -> None:
            self._inner.close()

        def start_tls(
            self,
            ssl_context: Any,
            server_hostname: str | None = None,
            timeout: float | None = None,
        ) -> Any:
            inner = self._inner.start_tls(
                ssl_context, server_hostname, bounded(timeout, core.ConnectTimeout)
            )
            return DeadlineStream(inner)

        def get_extra_info(self, info: str) -> Any:
            return self._inner.get_extra_info(info)

    class DeadlineBackend(core.NetworkBackend):  # type: ignore[misc, name-defined]
        """httpcore's ``SyncBackend``, every wait bounded by the call's deadline."""

        def __init__(self) -> None:
            self._inner = core.SyncBackend()

        def connect_tcp(
            self,
            host: str,
            port: int,
            timeout: float | None = None,
            local_address: str | None = None,
            socket_options: Iterable[Any] | None = None,
        ) -> Any:
            stream = self._inner.connect_tcp(
                host,
                port,
                bounded(timeout, core.ConnectTimeout),
                local_address=local_address,
                socket_options=socket_options,
            )
            return DeadlineStream(stream)

        def connect_unix_socket(
            self,
            path: str,
            timeout: float | None = None,
            socket_options: Iterable[Any] | None = None,
        ) -> Any:
            stream = self._inner.connect_unix_socket(
                path, bounded(timeout, core.ConnectTimeout), socket_options=socket_options
            )
            return DeadlineStream(stream)

        def sleep(self, seconds: float) -> None:
            self._inner.sleep(seconds)

    return DeadlineBackend
