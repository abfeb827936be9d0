"""A threaded HTTP/1.1 server on 127.0.0.1, and what the pool tests (async and sync) share."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

__all__ = ["BODY", "MakeServer", "Server", "order_url", "pool_options", "servers"]

BODY = b'{"ok": true}'


class Server:
    """HTTP/1.1 on 127.0.0.1, a thread per connection. Answers every GET after ``delay``
    seconds with ``body``; with ``close_after_answer`` it closes the connection after each
    answer without saying so (as a server ending an idle keep-alive connection does)."""

    def __init__(
        self, delay: float = 0.0, close_after_answer: bool = False, body: bytes = BODY
    ) -> None:
        self.delay = delay
        self.close_after_answer = close_after_answer
        self.body = body
        self.answers: list[int] = []  # per accepted connection, in accept order
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def connections(self) -> int:
        return len(self.answers)

    def close(self) -> None:
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                index = len(self.answers)
                self.answers.append(0)
            threading.Thread(target=self._serve, args=(conn, index), daemon=True).start()

    def _serve(self, conn: socket.socket, index: int) -> None:
        answer = (
            b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n"
            + f"content-length: {len(self.body)}\r\n\r\n".encode()
            + self.body
        )
        with conn, conn.makefile("rb") as requests:
            while True:
                try:
                    if not requests.readline():
                        return
                    while requests.readline() not in (b"\r\n", b""):
                        pass
                except OSError:  # the client reset the connection
                    return
                time.sleep(self.delay)
                with self._lock:  # counted before the client can see it
                    self.answers[index] += 1
                try:
                    conn.sendall(answer)
                except OSError:
                    return
                if self.close_after_answer:
                    return


MakeServer = Callable[..., Server]


@contextlib.contextmanager
def servers() -> Iterator[MakeServer]:
    """Yields a maker of servers; each one made is closed on the way out."""
    made: list[Server] = []

    def make(**options: Any) -> Server:
        made.append(Server(**options))
        return made[-1]

    try:
        yield make
    finally:
        for one in made:
            one.close()


def pool_options(network_backend: Any, **overrides: Any) -> dict[str, Any]:
    """The options the httpx adapters give their pools, with ``overrides``."""
    return {
        "max_connections": 100,
        "max_keepalive_connections": 100,
        "keepalive_expiry": 5.0,
        "network_backend": network_backend,
        **overrides,
    }


def order_url(core: ModuleType, server: Server) -> Any:
    """The URL every pool test requests (the server answers any path)."""
    return core.URL(scheme=b"http", host=b"127.0.0.1", port=server.port, target=b"/v1/x")
