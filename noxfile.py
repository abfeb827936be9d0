"""Developer and CI sessions. ``nox`` runs the default set: tests, lint, typecheck, sync_twin,
generated and extras.

Every session uses the interpreter nox runs under (only one Python is installed on our
machines); long runs (benchmarks, chaos) are opt-in sessions outside the default set.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint", "typecheck", "sync_twin", "generated", "extras"]
nox.options.reuse_existing_virtualenvs = True
nox.options.error_on_missing_interpreters = True

DEV = ".[dev]"


@nox.session
def tests(session: nox.Session) -> None:
    """The whole suite, plus the runnable examples in the pure core's docstrings."""
    session.install("-e", DEV)
    session.run(
        "pytest",
        "--cov=imburse._core",
        "--cov-report=term-missing:skip-covered",
        "--doctest-modules",
        "imburse/_core",
        "imburse/_raw.py",
        "tests",
        *session.posargs,
    )


@nox.session
def lint(session: nox.Session) -> None:
    """ruff: lint and formatting."""
    session.install("-e", DEV)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict over the package and the runnable examples."""
    session.install("-e", DEV)
    session.run("mypy", "--strict", "imburse", "examples")
    # The typing suite: assert_type on results, misuses pinned by their ignore codes.
    session.run(
        "mypy",
        "--strict",
        "--warn-unused-ignores",
        *sorted(map(str, Path("tests/typing").glob("cases_*.py"))),
    )


@nox.session
def sync_twin(session: nox.Session) -> None:
    """Fail when imburse/_sync or tests/_sync differ from what scripts/unasync.py generates."""
    session.install("-e", DEV)
    session.run("python", "scripts/unasync.py", "--check")


def _user_extras() -> list[str]:
    # Read from pyproject, so a new extra is covered the day it is declared.
    project = tomllib.loads(Path("pyproject.toml").read_text(encoding="utf-8"))["project"]
    return sorted(set(project.get("optional-dependencies", {})) - {"dev", "bench"})


@nox.session(reuse_venv=False)
@nox.parametrize("extra", ["none", *_user_extras()])
def extras(session: nox.Session, extra: str) -> None:
    """Every extra installs and works on its own (scripts/check_extras.py).

    A fresh virtualenv per extra with only ``imburse[<extra>]`` (not editable, as a user
    installs it); real calls against the served fake (a real redis-server for ``redis``);
    the other extras' absence reported as the pip command to run. Well under a minute per
    extra, mostly pip; ``tests/core/test_declared_imports.py`` runs a short form in-suite.
    """
    session.install("." if extra == "none" else f".[{extra}]")
    session.run("python", "scripts/check_extras.py", extra)


@nox.session
def generated(session: nox.Session) -> None:
    """Fail when what scripts/gen_api.py writes from the operation table is stale: resource
    methods and their raw twins, the client's groups, imburse/__init__.py, docs/api.md and
    the public API snapshot."""
    session.install("-e", DEV)
    session.run("python", "scripts/gen_api.py", "--check")


@nox.session
def slow(session: nox.Session) -> None:
    """Long tests outside the default set, e.g. flat memory over a 100,000-order batch."""
    session.install("-e", DEV)
    session.run("pytest", "-m", "slow", "tests", *session.posargs, env={"IMBURSE_SLOW_TESTS": "1"})


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Benchmarks against the raw clients (benchmarks/): table printed, JSON in results/.

    ``nox -s bench`` for the full run (several minutes); ``nox -s bench -- --quick`` for a
    short one.
    """
    session.install("-e", ".[bench,speed]")
    session.run("python", "-m", "benchmarks", *session.posargs)


@nox.session(default=False)
def chaos(session: nox.Session) -> None:
    """The long fault-injection run and the 100,000-call memory soak (tests/reliability).

    About 25,000 creates against a misbehaving fake Imburse, audited afterwards (bounded by
    the calls' deadlines), and 100,000 traced calls on each client: 5 to 10 minutes.
    ``IMBURSE_CHAOS_SEED=n`` picks another seed.
    """
    session.install("-e", DEV)
    session.run("pytest", "-s", "tests/reliability", *session.posargs, env={"IMBURSE_CHAOS": "1"})


@nox.session(default=False)
def celery(session: nox.Session) -> None:
    """The Celery recipe at full size: 3 prefork workers fan 3,000 orders out (tests/celery).

    Real ``celery worker`` processes, a real ``redis-server`` (broker, result backend, shared
    quota and token) and the fake Imburse over HTTP; the default run uses 150 orders.
    """
    session.install("-e", DEV)
    session.run(
        "pytest", "-s", "tests/celery", *session.posargs, env={"IMBURSE_CELERY_ORDERS": "3000"}
    )
