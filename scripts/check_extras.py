"""Check that an install of imburse with one extra works on its own (``nox -s extras``).

Run inside a virtualenv that holds only the package and one extra (``pip install
'.[aiohttp]'``), from the repository root::

    python scripts/check_extras.py aiohttp

It makes real calls against the fake Imburse served on 127.0.0.1 (for ``redis``, through a
real ``redis-server`` it starts on a free port), and checks that every *other* extra, being
absent, fails the way the README promises: a ``ConfigurationError`` naming the pip command
(``imburse.MissingExtraError``, also an ``ImportError`` for ``import imburse.redis``), never a
bare ``ModuleNotFoundError``. ``none`` checks the package without any extra.

``--block-others`` makes the other extras' modules unimportable in this process, so the same
checks run in the development virtualenv, where every extra is installed
(``tests/core/test_declared_imports.py`` does that). The extras are read from
``pyproject.toml`` (all but ``dev`` and ``bench``): a new extra is covered by the generic
check (its modules import, a call works with it installed) until it gets a check of its own
in ``CALLS`` / ``WHEN_MISSING``.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import importlib.abc
import importlib.machinery
import importlib.metadata
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NOT_FOR_USERS = frozenset({"dev", "bench"})
# The top-level modules of each extra's distributions (for --block-others; the
# distributions are only known once installed, so the usual ones are named here).
MODULES = {
    "aiohttp": ("aiohttp", "yarl"),
    "httpx2": ("httpx2",),
    "speed": ("msgspec",),
    "redis": ("redis", "cryptography"),
    "otel": ("opentelemetry",),
}


def user_extras() -> dict[str, list[str]]:
    """Extra -> its requirements, as pyproject declares them (dev and bench left out)."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    extras: dict[str, list[str]] = project.get("optional-dependencies", {})
    return {name: reqs for name, reqs in extras.items() if name not in NOT_FOR_USERS}


def _requirement_name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, requirement
    return match.group(1)


def modules_of(extra: str, requirements: Sequence[str]) -> tuple[str, ...]:
    """The top-level modules an extra provides (installed metadata first, then MODULES)."""
    if extra in MODULES:
        return MODULES[extra]
    wanted = {re.sub(r"[-_.]+", "-", _requirement_name(r)).lower() for r in requirements}
    found = {
        module
        for module, dists in importlib.metadata.packages_distributions().items()
        if {re.sub(r"[-_.]+", "-", d).lower() for d in dists} & wanted
    }
    return tuple(sorted(found)) or tuple(sorted(wanted))


class _Blocker(importlib.abc.MetaPathFinder):
    """Makes modules unimportable, as if their distribution were not installed."""

    def __init__(self, names: set[str]) -> None:
        self.names = names

    def find_spec(self, fullname: str, path: Any, target: Any = None) -> None:
        if fullname.partition(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


def installed(modules: Sequence[str]) -> bool:
    """True when every module can be imported here."""
    try:
        for module in modules:
            importlib.import_module(module)
    except ImportError:
        return False
    return True


# --- a real call --------------------------------------------------------------------------


def _settings(fake: Any, url: str) -> dict[str, Any]:
    return {
        "public_key": fake.public_key,
        "private_key": fake.private_key,
        "account_id": fake.account_id,
        "tenant_id": fake.tenant_id,
        "base_url": url,
    }


async def _async_round_trip(ref: str, **options: Any) -> None:
    from imburse import AsyncImburse

    async with AsyncImburse(**options) as client:
        receipt = await client.orders.create(ref, metadata={"check": "extras"})
        order = await client.orders.get(ref)
    assert receipt.ref == ref, receipt
    assert order.order_ref == ref, order
    assert order.metadata == {"check": "extras"}, order


def _sync_round_trip(ref: str, **options: Any) -> None:
    from imburse import Imburse

    with Imburse(**options) as client:
        client.orders.create(ref)
        assert client.orders.get(ref).order_ref == ref


def call_default(fake: Any, url: str) -> None:
    """httpx, the default stack: async and sync."""
    asyncio.run(_async_round_trip("EXTRAS-HTTPX", **_settings(fake, url)))
    _sync_round_trip("EXTRAS-HTTPX-SYNC", **_settings(fake, url))


def call_aiohttp(fake: Any, url: str) -> None:
    asyncio.run(_async_round_trip("EXTRAS-AIOHTTP", transport="aiohttp", **_settings(fake, url)))


def call_httpx2(fake: Any, url: str) -> None:
    asyncio.run(_async_round_trip("EXTRAS-HTTPX2", transport="httpx2", **_settings(fake, url)))
    _sync_round_trip("EXTRAS-HTTPX2-SYNC", transport="httpx2", **_settings(fake, url))


def call_speed(fake: Any, url: str) -> None:
    asyncio.run(_async_round_trip("EXTRAS-SPEED", **_settings(fake, url)))
    assert "msgspec" in sys.modules, "imburse[speed] installed, but msgspec was not used"


def call_redis(fake: Any, url: str) -> None:
    """One token and one quota in a real redis-server (started here, on a free port)."""
    import redis
    import redis.asyncio

    from imburse.redis import AsyncRedisRateLimitPolicy, AsyncRedisTokenCache

    with _redis_server() as redis_url:

        async def main() -> None:
            shared = redis.asyncio.Redis.from_url(redis_url, socket_timeout=2)
            try:
                await _async_round_trip(
                    "EXTRAS-REDIS",
                    rate_limit_policy=AsyncRedisRateLimitPolicy(shared, rate=50, burst=5),
                    token_cache=AsyncRedisTokenCache(shared),
                    **_settings(fake, url),
                )
            finally:
                await shared.aclose()

        asyncio.run(main())
        with redis.Redis.from_url(redis_url) as plain:
            keys = [key.decode() for key in plain.keys("*")]
    assert any(key.startswith("imburse:token") for key in keys), keys
    assert any(key.startswith("imburse:ratelimit") for key in keys), keys


class _redis_server:  # a context manager that reads as a function
    def __init__(self) -> None:
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        if not Path(binary).exists():
            raise SystemExit("the redis extra needs redis-server (apt-get install redis-server)")
        self.binary = binary
        self.workdir = tempfile.TemporaryDirectory()
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> str:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.process = subprocess.Popen(
            [self.binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.workdir.name, "--loglevel", "warning"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    return f"redis://127.0.0.1:{port}/0"
            time.sleep(0.02)
        raise RuntimeError("redis-server did not start")

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.workdir.cleanup()


def call_generic(extra: str, modules: Sequence[str]) -> Callable[[Any, str], None]:
    """A new extra without its own check: its modules import, and a call works."""

    def check(fake: Any, url: str) -> None:
        for module in modules:
            importlib.import_module(module)
        asyncio.run(_async_round_trip(f"EXTRAS-{extra.upper()}", **_settings(fake, url)))

    return check


CALLS: dict[str, Callable[[Any, str], None]] = {
    "aiohttp": call_aiohttp,
    "httpx2": call_httpx2,
    "speed": call_speed,
    "redis": call_redis,
}


# --- what an absent extra looks like --------------------------------------------------------


def _pip(extra: str) -> str:
    return f"pip install 'imburse[{extra}]'"


def _expect_configuration_error(extra: str, action: Callable[[], object]) -> None:
    from imburse import ConfigurationError

    try:
        action()
    except ConfigurationError as err:
        if _pip(extra) not in str(err):
            raise AssertionError(
                f"{extra}: the error does not name the pip command: {err}"
            ) from err
        return
    except ModuleNotFoundError as err:
        raise AssertionError(f"{extra} absent: a bare ModuleNotFoundError: {err}") from err
    raise AssertionError(f"{extra} absent, yet nothing was refused")


def missing_transport(extra: str) -> Callable[[Any, str], None]:
    def check(fake: Any, url: str) -> None:
        _expect_configuration_error(
            extra,
            lambda: asyncio.run(
                _async_round_trip("NEVER", transport=extra, **_settings(fake, url))
            ),
        )
        # The batch command refuses it up front (exit 2), naming the same command.
        done = subprocess.run(
            [*_imburse_command(), "batch", "create-orders",
             "-", "--out", os.devnull, "--transport", extra],
            env=_env(fake, url),
            input="",
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )  # fmt: skip
        assert done.returncode == 2, done
        assert _pip(extra) in done.stderr, done

    return check


def missing_redis(fake: Any, url: str) -> None:
    sys.modules.pop("imburse.redis", None)
    try:
        importlib.import_module("imburse.redis")
    except ModuleNotFoundError as err:
        raise AssertionError(f"redis absent: a bare ModuleNotFoundError: {err}") from err
    except ImportError as err:
        from imburse import ConfigurationError

        if not isinstance(err, ConfigurationError):
            raise AssertionError(f"redis absent: not a ConfigurationError: {err!r}") from err
        if _pip("redis") not in str(err):
            raise AssertionError(f"redis: the error does not name the pip command: {err}") from err
        return
    raise AssertionError("redis absent, yet imburse.redis imported")


def missing_speed(fake: Any, url: str) -> None:
    """Without msgspec the stdlib parser decodes: nothing to refuse, the call works."""
    asyncio.run(_async_round_trip("EXTRAS-NO-SPEED", **_settings(fake, url)))
    assert "msgspec" not in sys.modules


WHEN_MISSING: dict[str, Callable[[Any, str], None]] = {
    "aiohttp": missing_transport("aiohttp"),
    "httpx2": missing_transport("httpx2"),
    "redis": missing_redis,
    "speed": missing_speed,
}

_BLOCKED: list[str] = []


def _imburse_command() -> list[str]:
    """``python -m imburse``, blocking in the child the same modules as here."""
    if not _BLOCKED:
        return [sys.executable, "-m", "imburse"]
    code = (
        "import runpy, sys; sys.path.insert(0, {root!r}); import check_extras as c; "
        "c.block({blocked!r}); sys.argv = ['imburse', *sys.argv[1:]]; "
        "runpy.run_module('imburse', run_name='__main__')"
    ).format(root=str(ROOT / "scripts"), blocked=_BLOCKED)
    return [sys.executable, "-c", code]


def _env(fake: Any, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("IMBURSE_")}
    env.update(
        IMBURSE_BASE_URL=url,
        IMBURSE_PUBLIC_KEY=fake.public_key,
        IMBURSE_PRIVATE_KEY=fake.private_key,
        IMBURSE_ACCOUNT_ID=fake.account_id,
        IMBURSE_TENANT_ID=fake.tenant_id,
    )
    return env


def block(names: Sequence[str]) -> None:
    """Make these top-level modules unimportable in this process."""
    _BLOCKED.extend(names)
    for name in list(sys.modules):
        if name.partition(".")[0] in names:
            del sys.modules[name]
    sys.meta_path.insert(0, _Blocker(set(names)))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("extra", help="the extra this environment was made for, or 'none'")
    parser.add_argument(
        "--block-others",
        action="store_true",
        help="make the other extras unimportable (to run in a virtualenv that has them all)",
    )
    args = parser.parse_args(argv)
    extras = user_extras()
    if args.extra != "none" and args.extra not in extras:
        parser.error(f"unknown extra {args.extra!r}; pyproject has {sorted(extras)}")
    others = {name: modules_of(name, reqs) for name, reqs in extras.items() if name != args.extra}
    if args.block_others:
        mine = set(modules_of(args.extra, extras[args.extra])) if args.extra != "none" else set()
        block(sorted({m for mods in others.values() for m in mods} - mine))

    from imburse.testing import FakeImburse

    failures: list[str] = []
    with FakeImburse() as fake:
        url = fake.serve().url
        checks: list[tuple[str, Callable[[Any, str], None]]] = [("default call", call_default)]
        if args.extra != "none":
            mods = modules_of(args.extra, extras[args.extra])
            checks.append(
                (f"{args.extra}: real call", CALLS.get(args.extra, call_generic(args.extra, mods)))
            )
        for name, modules in sorted(others.items()):
            if installed(modules):
                failures.append(f"{name}: installed, but this environment is for {args.extra}")
            elif name in WHEN_MISSING:
                checks.append((f"{name} absent", WHEN_MISSING[name]))
        for title, check in checks:
            try:
                check(fake, url)
            except Exception as err:  # report every check, then fail
                failures.append(f"{title}: {type(err).__name__}: {err}")
                print(f"FAIL  {title}: {type(err).__name__}: {err}")
            else:
                print(f"ok    {title}")
    for failure in failures:
        print(f"FAILED {failure}", file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
