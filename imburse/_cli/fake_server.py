"""``python -m imburse fake-server``: run the fake Imburse over HTTP for local development.

Prints the base URL and the demo credentials as ``IMBURSE_*`` lines (ready for ``.env`` or
``export``) and serves until Ctrl-C. The demo key is public and only works on the fake.
"""

from __future__ import annotations

import argparse
import sys
import threading
from typing import Any, TextIO

__all__ = ["add_parser", "run"]


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the ``fake-server`` subcommand on an ``add_subparsers()`` object."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        "fake-server",
        help="serve the fake Imburse on a loopback address",
        description=__doc__,
    )
    parser.add_argument("--host", default="127.0.0.1", help="loopback address (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port, 0 for any (default 8080)")
    parser.set_defaults(run=run)
    return parser


def run(
    args: argparse.Namespace, *, stop: threading.Event | None = None, out: TextIO | None = None
) -> int:
    """Serve until Ctrl-C (or until ``stop`` is set, for tests); return the exit status."""
    from ..testing import FakeImburse

    out = out if out is not None else sys.stdout
    fake = FakeImburse()
    try:
        server = fake.serve(args.host, args.port)
    except (ValueError, OSError) as err:
        print(f"fake-server: {err}", file=sys.stderr)
        return 2
    with fake:
        print(f"# fake Imburse serving at {server.url} (Ctrl-C to stop)", file=out)
        for name, value in (
            ("IMBURSE_BASE_URL", server.url),
            ("IMBURSE_PUBLIC_KEY", fake.public_key),
            ("IMBURSE_PRIVATE_KEY", fake.private_key),
            ("IMBURSE_ACCOUNT_ID", fake.account_id),
            ("IMBURSE_TENANT_ID", fake.tenant_id),
        ):
            print(f"{name}={value}", file=out)
        out.flush()
        waiter = stop or threading.Event()
        try:
            while not waiter.wait(0.5):
                pass
        except KeyboardInterrupt:
            print("# stopped", file=out)
    return 0
