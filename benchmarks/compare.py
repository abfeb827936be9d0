"""The SDK of this checkout against another one: ``python -m benchmarks.compare OTHER_DIR``.

For a change that must not cost anything (a hook that does nothing when its extra is absent,
a refactoring): the same client runs from both source trees, interleaved round by round
against one server, pinned as in :mod:`benchmarks.run`, and the median client CPU per call of
each tree is printed with the ratio (this checkout / other). ``OTHER_DIR`` is a checkout with
this ``benchmarks`` package (for instance ``git worktree add`` or ``git archive`` of an older
commit with the current ``benchmarks/`` copied in).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from pathlib import Path
from typing import Any

from benchmarks.run import RESULTS, ROOT, bench_server, cpu_plan, run_worker

__all__ = ["main"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("other", type=Path, help="the other checkout (the baseline)")
    parser.add_argument("--clients", default="sdk-aiohttp,sdk-httpx2,sdk-httpx")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=float, default=2.0)
    parser.add_argument("--otel", choices=("absent", "installed"), default="absent")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    trees = {"other": args.other.resolve(), "this": ROOT}
    client_cpu, server_cpu = cpu_plan(True)
    levels = [1, 10, 100]
    cpu: dict[str, dict[str, dict[str, list[float]]]] = {}
    with bench_server(server_cpu) as url:
        for round_ in range(args.rounds):
            for client in args.clients.split(","):
                # Each tree goes first in every other round: an order effect cancels out.
                order = list(trees.items())
                for name, tree in order if round_ % 2 == 0 else order[::-1]:
                    spec = {
                        "kind": "get",
                        "client": client,
                        "url": url,
                        "levels": levels,
                        "duration": args.duration,
                        "warmup": 0.5,
                        "cpu": client_cpu,
                        "otel": args.otel,
                    }
                    result = run_worker(spec, tree)
                    for level in levels:
                        key = f"@{level}"
                        runs = cpu.setdefault(client, {}).setdefault(key, {})
                        runs.setdefault(name, []).append(result[key]["cpu_us_per_call"])
    lines = [
        f"| client CPU per call (µs), this / other ({trees['other']}) | @1 | @10 | @100 |",
        "|---|---:|---:|---:|",
    ]
    summary: dict[str, Any] = {}
    for client, by_level in cpu.items():
        cells = []
        for key, runs in by_level.items():
            this, other = statistics.median(runs["this"]), statistics.median(runs["other"])
            summary.setdefault(client, {})[key] = {"this": this, "other": other, "runs": runs}
            cells.append(f"{this:,.0f} / {other:,.0f} = {this / other:.2f}")
        lines.append(f"| {client} | {' | '.join(cells)} |")
    lines.append(f"\nOpenTelemetry {args.otel}, {args.rounds} rounds, medians")
    table = "\n".join(lines)
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    report = {"other": str(trees["other"]), "otel": args.otel, "cpu": summary, "table": table}
    (args.out / "compare-latest.json").write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
