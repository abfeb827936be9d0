"""Real ``celery worker`` processes (prefork) running ``examples/celery_worker.py``."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from imburse.testing import DEMO_CREDENTIALS

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def worker_env(fake_url: str, redis_url: str, quota: float) -> dict[str, str]:
    """What a worker's environment holds in production: the IMBURSE_* variables and Redis."""
    env = dict(os.environ)
    env.update(
        IMBURSE_BASE_URL=fake_url,
        IMBURSE_PUBLIC_KEY=DEMO_CREDENTIALS.public_key,
        IMBURSE_PRIVATE_KEY=DEMO_CREDENTIALS.private_key,
        IMBURSE_ACCOUNT_ID=DEMO_CREDENTIALS.account_id,
        IMBURSE_TENANT_ID=str(DEMO_CREDENTIALS.tenant_id),
        REDIS_URL=redis_url,
        QUOTA_PER_SECOND=str(quota),
        QUOTA_KEY="test:celery-quota",
    )
    return env


class CeleryWorkers:
    """``nodes`` worker nodes, each ``celery worker --pool=prefork --concurrency=N``.

    Each node is started in a session of its own, so that stopping it also stops its
    prefork children; their output goes to ``logs``.
    """

    def __init__(self, env: dict[str, str], logs: Path, *, nodes: int, concurrency: int) -> None:
        self.env = env
        self.logs = logs
        self.nodes = nodes
        self.concurrency = concurrency
        self.processes: list[subprocess.Popen[bytes]] = []

    @property
    def names(self) -> list[str]:
        return [f"w{n}@imburse-test" for n in range(self.nodes)]

    @property
    def worker_processes(self) -> int:
        """Processes that run tasks (and so open an ``Imburse`` client each)."""
        return self.nodes * self.concurrency

    def start(self, app: Any, timeout: float = 90) -> None:
        for name in self.names:
            log = (self.logs / f"{name.split('@')[0]}.log").open("wb")
            self.processes.append(
                subprocess.Popen(  # noqa: S603 - our interpreter, fixed arguments
                    [
                        sys.executable,
                        "-m",
                        "celery",
                        "--workdir",
                        str(EXAMPLES),
                        "-A",
                        "celery_worker",
                        "worker",
                        "--pool=prefork",
                        f"--concurrency={self.concurrency}",
                        "--hostname",
                        name,
                        "--loglevel=WARNING",
                        "--without-gossip",
                        "--without-mingle",
                        "--without-heartbeat",
                    ],
                    env=self.env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
            log.close()
        self._wait_ready(app, timeout)

    def _wait_ready(self, app: Any, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        expected = set(self.names)
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"a celery worker exited at start:\n{self.output()}")
            replies = app.control.ping(timeout=1.0) or []
            answered = {name for reply in replies for name in reply}
            if expected <= answered:
                return
        raise RuntimeError(f"celery workers not ready after {timeout}s:\n{self.output()}")

    def output(self) -> str:
        return "\n".join(
            f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
            for path in sorted(self.logs.glob("w*.log"))
        )

    def stop(self) -> None:
        """Warm shutdown (SIGTERM: finish the task at hand), then SIGKILL stragglers."""
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
            # Prefork children left behind by a killed parent: the session is the node's own.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        self.processes = []
