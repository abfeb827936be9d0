"""``python -m imburse``: the demo, the local fake server and batch tools."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Run one subcommand and return its exit status.

    >>> main(["--help"])  # doctest: +SKIP
    """
    parser = argparse.ArgumentParser(prog="python -m imburse", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    # Each subcommand module is imported only when chosen, so ``--help`` stays fast.
    from ._cli import batch, demo, fake_server

    demo.add_parser(commands)
    fake_server.add_parser(commands)
    batch.add_parser(commands)
    args = parser.parse_args(argv)
    status: int = args.run(args)
    return status


if __name__ == "__main__":
    sys.exit(main())
