"""Serve a :class:`~imburse.testing.FakeImburse` over real HTTP/1.1 on a loopback address.

Faults act on the real socket: ``drop_before`` closes the connection before the body is
read, ``drop_after`` applies the request and closes without writing, ``truncate`` announces
the full ``Content-Length``, writes part of the body and closes, and ``latency`` / ``stall``
wait (at most :data:`MAX_WAIT` seconds, and never past :meth:`FakeServer.close`).
"""

from __future__ import annotations

import contextlib
import logging
import socket
import socketserver
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import TYPE_CHECKING, Any

from .._core.config import is_loopback

if TYPE_CHECKING:
    from ._fake import FakeImburse, FakeResponse

__all__ = ["MAX_WAIT", "FakeServer"]

#: Longest a latency or stall fault holds a server thread, in seconds.
MAX_WAIT = 60.0
_log = logging.getLogger("imburse.testing")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], fake: FakeImburse) -> None:
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.fake = fake
        self.stopping = threading.Event()
        self.connections: set[socket.socket] = set()
        self.connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind does a reverse DNS lookup (getfqdn) that can stall for
        # seconds on machines without DNS; the name is never used here.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name, self.server_port = str(host), int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients hanging up mid-fault is expected; keep it out of stderr.
        _log.debug("fake imburse: error serving %s", client_address, exc_info=True)

    def drop_connections(self) -> None:
        with self.connections_lock:
            connections = list(self.connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Idle keep-alive connections give their thread back after this many seconds.
    timeout = 30
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        # The handler writes the headers and the body in two sends; with Nagle's algorithm
        # the body then waits for the client's delayed ACK (~40 ms per answer on Linux).
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.connections_lock:
            self.server.connections.add(self.connection)

    def finish(self) -> None:
        with self.server.connections_lock:
            self.server.connections.discard(self.connection)
        super().finish()

    def log_message(self, format: str, *args: Any) -> None:
        _log.debug("fake imburse: " + format, *args)

    def _serve(self) -> None:
        headers = {k.lower(): v for k, v in self.headers.items()}
        exchange = self.server.fake.begin(self.command, self.path, headers)
        if exchange.drops_before:
            exchange.drop()
            self.close_connection = True
            return
        body = self._read_body()
        if exchange.wait_before:
            self._wait(exchange.wait_before)
        answer = exchange.complete(body)
        if answer.action in {"drop_before", "drop_after"}:
            self.close_connection = True
            return
        if answer.action == "stall":
            self._wait(answer.delay)
        self._write(answer)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def _wait(self, seconds: float) -> None:
        self.server.stopping.wait(min(seconds, MAX_WAIT))

    def _read_body(self) -> bytes:
        if "chunked" in self.headers.get("transfer-encoding", "").lower():
            return self._read_chunked()
        length = int(self.headers.get("content-length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _read_chunked(self) -> bytes:
        chunks: list[bytes] = []
        while True:
            size = int(self.rfile.readline().split(b";", 1)[0].strip() or b"0", 16)
            if size == 0:
                while self.rfile.readline() not in {b"\r\n", b"\n", b""}:
                    pass  # trailers
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()

    def _write(self, answer: FakeResponse) -> None:
        self.send_response(answer.status)
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(answer.body)
        if answer.action == "truncate":
            # The headers promised more bytes than were written: close to make that visible.
            self.close_connection = True


class FakeServer:
    """A running HTTP server for a fake; stop it with :meth:`close` or a ``with`` block.

    Only loopback hosts are accepted: the fake hands out tokens to anyone who asks nicely.

    >>> from imburse.testing import FakeImburse
    >>> with FakeImburse().serve() as server:
    ...     server.url.startswith("http://127.0.0.1:")
    True
    """

    def __init__(self, fake: FakeImburse, host: str = "127.0.0.1", port: int = 0) -> None:
        if not is_loopback(host):
            raise ValueError(f"the fake Imburse only serves on loopback hosts, not {host!r}")
        self._httpd = _HTTPServer((host, port), fake)
        self.host = host
        self.port: int = self._httpd.server_port
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"fake-imburse-{self.port}",
            daemon=True,
        )
        self._thread.start()
        self._closed = False

    @property
    def url(self) -> str:
        """The base URL, e.g. ``http://127.0.0.1:8080``."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def __repr__(self) -> str:
        state = "closed" if self._closed else "serving"
        return f"<FakeServer {self.url} {state}>"

    def close(self) -> None:
        """Stop serving, wake any waiting fault and close open connections. Idempotent."""
        if self._closed:
            return
        self._closed = True
        self._httpd.stopping.set()
        self._httpd.shutdown()
        self._httpd.drop_connections()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
