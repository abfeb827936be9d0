"""``python -m imburse demo``: the end-to-end flow, against the embedded fake by default.

With ``IMBURSE_PUBLIC_KEY`` (and the other ``IMBURSE_*`` variables) set, the same flow runs
against that account instead; the fault-injection step needs the fake and is skipped there.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import Any, TextIO, TypeVar

import anyio

__all__ = ["add_parser", "run_demo"]

T = TypeVar("T")


def add_parser(commands: Any) -> None:
    """Register the ``demo`` subcommand."""
    parser = commands.add_parser("demo", help="run the end-to-end demo (embedded fake by default)")
    parser.add_argument(
        "--collect-scheme-id",
        default=os.environ.get("IMBURSE_DEMO_COLLECT_SCHEME_ID", "DEMO-COLLECT-SCHEME"),
        help="collect scheme for the DEBIT instruction (real accounts need a real one)",
    )
    parser.add_argument(
        "--payout-scheme-id",
        default=os.environ.get("IMBURSE_DEMO_PAYOUT_SCHEME_ID", "DEMO-PAYOUT-SCHEME"),
        help="payout scheme for the CREDIT instruction",
    )
    parser.set_defaults(run=lambda args: run_demo(args.collect_scheme_id, args.payout_scheme_id))


def run_demo(collect_scheme: str, payout_scheme: str, out: TextIO = sys.stdout) -> int:
    """Run the demo and print its report; returns the exit status."""
    return anyio.run(_demo, collect_scheme, payout_scheme, out)


class _Report:
    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.failures = 0

    def line(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    async def step(self, title: str, action: Callable[[], Awaitable[T]]) -> T | None:
        started = time.perf_counter()
        try:
            result = await action()
        except Exception as err:  # the report shows any failure and carries on
            self.failures += 1
            self.line(f"  FAIL  {title}: {type(err).__name__}: {err}")
            return None
        elapsed = (time.perf_counter() - started) * 1000
        self.line(f"  ok    {title}  [{elapsed:.1f} ms]")
        return result


async def _demo(collect_scheme: str, payout_scheme: str, out: TextIO) -> int:
    from imburse import AsyncImburse, ValidationError
    from imburse.testing import FakeImburse

    report = _Report(out)
    fake: FakeImburse | None = None
    if os.environ.get("IMBURSE_PUBLIC_KEY"):
        from imburse._core.config import resolve_config

        client = AsyncImburse()
        target = resolve_config().base_url  # what the client just resolved from IMBURSE_*
    else:
        fake = FakeImburse()
        client = AsyncImburse(
            public_key=fake.public_key,
            private_key=fake.private_key,
            account_id=fake.account_id,
            tenant_id=fake.tenant_id,
            http_client=fake.async_client(),
        )
        target = "the embedded fake Imburse (imburse.testing.FakeImburse)"
    order_ref = f"DEMO-{time.strftime('%Y%m%d%H%M%S')}-{secrets.token_hex(3).upper()}"
    report.line(f"imburse demo against {target}")
    report.line(f"order {order_ref}")
    async with client:
        report.line("\n1. create an order with a DEBIT and a CREDIT instruction")
        receipt = await report.step(
            "orders.create (token exchanged on first use)",
            lambda: client.orders.create(
                order_ref,
                metadata={"source": "imburse-demo"},
                instructions=[
                    {
                        "instruction_ref": "COLLECT-1",
                        "customer_ref": "CUSTOMER-1",
                        "direction": "DEBIT",
                        "amount": Decimal("200.00"),
                        "currency": "GBP",
                        "country": "GB",
                        "scheme_id": collect_scheme,
                    },
                    {
                        "instruction_ref": "PAYOUT-1",
                        "customer_ref": "CUSTOMER-1",
                        "direction": "CREDIT",
                        "amount": Decimal("25.50"),
                        "currency": "GBP",
                        "country": "GB",
                        "scheme_id": payout_scheme,
                    },
                ],
            ),
        )
        if receipt is not None:
            report.line(
                f"        status {receipt.status_code} (accepted={receipt.accepted}), "
                f"attempts {receipt.attempts}, correlation_id {receipt.correlation_id}"
            )
        report.line(f"        token exchanges so far: {client.token_exchanges}")

        report.line("\n2. read the order and its instructions back")
        order = await report.step("orders.get", lambda: client.orders.get(order_ref))
        if order is not None:
            report.line(f"        correlation_id {order.correlation_id}")
            for item in order.instructions:
                report.line(
                    f"        {item.instruction_ref}: {item.direction} {item.amount} "
                    f"{item.currency} status={item.status}"
                )
        instruction = await report.step(
            "instructions.get COLLECT-1", lambda: client.instructions.get(order_ref, "COLLECT-1")
        )
        if instruction is not None:
            report.line(f"        amount is {instruction.amount!r} (Decimal, never float)")

        report.line("\n3. an invalid request is refused before any network call")
        seen_before = len(fake.requests) if fake else 0
        try:
            await client.instructions.create(
                order_ref,
                instruction_ref="BAD REF",
                customer_ref="CUSTOMER-1",
                direction="DEBIT",
                amount=Decimal("10.00"),
                currency="GBP",
                country="GB",
            )
        except ValidationError as err:
            sent = "" if fake is None else f"; requests sent: {len(fake.requests) - seen_before}"
            report.line(f"  ok    ValidationError: {err}{sent}")
        else:
            report.failures += 1
            report.line("  FAIL  the invalid instruction was not refused")

        report.line("\n4. a call that survives an injected 503 and a 429 (Retry-After: 0.2)")
        if fake is None:
            report.line("  skip  needs the embedded fake (IMBURSE_* variables are set)")
        else:
            fake.inject("status", status=503)
            fake.inject("status", status=429, retry_after="0.2")
            survived = await report.step(
                "orders.get after a 503 and a 429",
                lambda: client.orders.with_raw_response.get(order_ref),
            )
            if survived is not None:
                report.line(
                    f"        status {survived.status_code} after {survived.attempts} attempts, "
                    f"one correlation_id {survived.correlation_id}"
                )
        report.line(f"\ntoken exchanges in total: {client.token_exchanges}")
    report.line(
        "demo " + ("passed" if not report.failures else f"had {report.failures} failure(s)")
    )
    return 0 if not report.failures else 1


def main(argv: list[str] | None = None) -> int:
    """Entry point used by tests: ``python -m imburse demo`` without argparse plumbing."""
    parser = argparse.ArgumentParser()
    add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["demo", *(argv or [])])
    status: int = args.run(args)
    return status
