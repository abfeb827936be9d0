"""Small local servers for the transport-safety tests, each on 127.0.0.1 in a thread.

* :class:`Recorder` answers anything with ``200 {}`` and keeps what it was sent.
* :class:`Redirector` lets the token exchange through to a fake Imburse and answers every
  other request (or every request, ``token_too``) with a redirect to another server.
* :class:`ForwardProxy` is an HTTP proxy: it forwards absolute-form requests to their
  target and records ``CONNECT`` tunnels (refusing them: no TLS target here).
* :class:`TLSServer` speaks HTTPS with a self-signed certificate for 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import datetime
import http.client
import ipaddress
import socket
import ssl
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from imburse.testing import FakeImburse

Seen = tuple[str, str, dict[str, str]]  # method, target, headers (lower-case names)


class _Server:
    """Runs ``handler_class`` on 127.0.0.1 until closed; ``seen`` lists every request."""

    def __init__(self, handle: Callable[[BaseHTTPRequestHandler], None]) -> None:
        self.seen: list[Seen] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _any(self) -> None:
                headers = {k.lower(): v for k, v in self.headers.items()}
                owner.seen.append((self.command, self.path, headers))
                handle(self)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_CONNECT = _any

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # failed TLS handshakes and hang-ups are expected here

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self.wrap()
        self.port = self._httpd.server_port
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def wrap(self) -> None:
        """Hook for TLS."""

    @property
    def httpd(self) -> ThreadingHTTPServer:
        return self._httpd

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(5)

    def __enter__(self) -> Any:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _read_body(handler: BaseHTTPRequestHandler) -> bytes:
    length = int(handler.headers.get("content-length") or 0)
    return handler.rfile.read(length) if length else b""


def _reply(
    handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes
) -> None:
    handler.send_response(status)
    for name, value in headers.items():
        if name.lower() not in ("content-length", "transfer-encoding", "connection"):
            handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


class Recorder(_Server):
    def __init__(self) -> None:
        def handle(handler: BaseHTTPRequestHandler) -> None:
            _read_body(handler)
            _reply(handler, 200, {"content-type": "application/json"}, b"{}")

        super().__init__(handle)


class Redirector(_Server):
    def __init__(
        self, fake: FakeImburse, target: str, status: int, *, token_too: bool = False
    ) -> None:
        def handle(handler: BaseHTTPRequestHandler) -> None:
            body = _read_body(handler)
            if handler.path.startswith("/v1/identity/hmac") and not token_too:
                headers = {k.lower(): v for k, v in handler.headers.items()}
                answer = fake.handle(handler.command, handler.path, headers, body)
                _reply(handler, answer.status, dict(answer.headers), answer.body)
            else:
                _reply(handler, status, {"location": target + handler.path}, b"")

        super().__init__(handle)


class ForwardProxy(_Server):
    def __init__(self) -> None:
        def handle(handler: BaseHTTPRequestHandler) -> None:
            if handler.command == "CONNECT":
                _reply(handler, 502, {}, b"")  # recorded; no tunnel
                handler.close_connection = True
                return
            body = _read_body(handler)
            target = urlsplit(handler.path)
            upstream = http.client.HTTPConnection(target.hostname or "", target.port, timeout=10)
            path = target.path + (f"?{target.query}" if target.query else "")
            headers = {k: v for k, v in handler.headers.items() if k.lower() != "proxy-connection"}
            upstream.request(handler.command, path, body=body or None, headers=headers)
            response = upstream.getresponse()
            _reply(handler, response.status, dict(response.getheaders()), response.read())
            upstream.close()

        super().__init__(handle)


def self_signed_certificate(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 that no trust store knows, and its key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class TLSServer(Recorder):
    """A :class:`Recorder` over HTTPS; ``handshakes`` counts connections that reached TLS."""

    def __init__(self, directory: Path) -> None:
        self._cert, self._key = self_signed_certificate(directory)
        self.handshakes = 0
        super().__init__()

    def wrap(self) -> None:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self._cert, self._key)
        server = self.httpd
        plain_accept = server.get_request
        owner = self

        def accept() -> tuple[socket.socket, Any]:
            sock, address = plain_accept()
            owner.handshakes += 1
            with contextlib.suppress(OSError):
                sock.settimeout(5)
            return context.wrap_socket(sock, server_side=True), address

        server.get_request = accept  # type: ignore[method-assign]

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.port}"
