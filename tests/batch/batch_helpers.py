"""Helpers for the batch tests: a served fake, wire-shape orders, JSON Lines files."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from imburse.testing import FakeImburse

ENV_NAMES = (
    "IMBURSE_PUBLIC_KEY",
    "IMBURSE_PRIVATE_KEY",
    "IMBURSE_ACCOUNT_ID",
    "IMBURSE_TENANT_ID",
    "IMBURSE_BASE_URL",
    "IMBURSE_ENVIRONMENT",
)


class Served:
    """A fake on a real socket, and the IMBURSE_* variables that point the CLI at it."""

    def __init__(self, fake: FakeImburse, url: str) -> None:
        self.fake = fake
        self.url = url
        self.variables = {
            "IMBURSE_BASE_URL": url,
            "IMBURSE_PUBLIC_KEY": fake.public_key,
            "IMBURSE_PRIVATE_KEY": fake.private_key,
            "IMBURSE_ACCOUNT_ID": fake.account_id,
            "IMBURSE_TENANT_ID": fake.tenant_id,
        }

    def environ(self) -> dict[str, str]:
        """This process's environment with only our IMBURSE_* variables (for subprocesses)."""
        env = {k: v for k, v in os.environ.items() if k not in ENV_NAMES}
        return {**env, **self.variables}


def wire_order(ref: str, amount: str = "12.50") -> dict[str, Any]:
    """One order in the API's request shape (camelCase), with one instruction."""
    return {
        "orderRef": ref,
        "metadata": {"source": "batch-test"},
        "instructions": [
            {
                "instructionRef": "I-1",
                "customerRef": "C-1",
                "direction": "DEBIT",
                "amount": amount,
                "currency": "GBP",
                "country": "GB",
            }
        ],
    }


def write_lines(path: Path, lines: list[Any]) -> Path:
    """Write JSON Lines; strings are written as they are (for malformed lines)."""
    text = "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines)
    path.write_text(text)
    return path


def read_results(path: Path) -> list[dict[str, Any]]:
    """Every complete line of a results file."""
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def partial_files(out: Path) -> list[Path]:
    """The temporary results files of runs writing to ``out`` (``.NAME.*.partial``)."""
    return sorted(out.parent.glob(f".{out.name}.*.partial"))


def results_so_far(out: Path) -> list[dict[str, Any]]:
    """The whole lines a running (or killed) run has written to its temporary file."""
    found: list[dict[str, Any]] = []
    for path in partial_files(out):
        text = path.read_text()
        found += [
            json.loads(line) for line in text.splitlines(keepends=True) if line.endswith("\n")
        ]
    return found
