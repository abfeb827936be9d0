"""``python -m imburse demo`` runs end to end against the embedded fake and exits 0."""

from __future__ import annotations

import os
import subprocess
import sys


def test_demo_runs_against_the_embedded_fake() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMBURSE_")}
    result = subprocess.run(
        [sys.executable, "-m", "imburse", "demo"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "demo passed" in out
    assert "status 202 (accepted=True)" in out
    assert "ValidationError: instruction_ref" in out
    assert "requests sent: 0" in out
    assert "status 200 after 3 attempts" in out
    assert "token exchanges in total: 1" in out
    assert "FAIL" not in out
