"""``import imburse`` stays cheap, and every advertised name resolves."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import imburse

HEAVY = ["httpx", "cattrs", "imburse._core.converter", "imburse._core.models.orders"]
# What ``from imburse import AsyncImburse`` must not load (issue 7: import time): the HTTP
# stack waits for the first client, each API group for its first use, and asyncio, backoff
# and email for the code that needs them.
CLIENT_DEFERRED = [
    "httpx",
    "asyncio",
    "backoff",
    "email.utils",
    "imburse._async.resources.orders",
    "imburse._core.models.orders",
    "imburse._core.models.customers",
    "imburse._core.operations.orders",
    "opentelemetry.trace",  # imburse[otel]: on a client's first call (tests/telemetry)
]


def _loaded_after(code: str, names: list[str] = HEAVY) -> dict[str, bool]:
    script = (
        "import json, sys\n"
        f"{code}\n"
        f"print(json.dumps({{name: name in sys.modules for name in {names!r}}}))\n"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
        cwd=Path(imburse.__file__).resolve().parents[1],
    )
    loaded: dict[str, bool] = json.loads(result.stdout.strip().splitlines()[-1])
    return loaded


def test_import_imburse_loads_nothing_heavy() -> None:
    assert _loaded_after("import imburse") == dict.fromkeys(HEAVY, False)


def test_version_and_an_error_class_stay_light() -> None:
    loaded = _loaded_after(
        "import imburse\nimburse.__version__\nimburse.ValidationError\nimburse.hmac_authorization"
    )
    assert loaded == dict.fromkeys(HEAVY, False)


def test_names_are_loaded_on_first_use() -> None:
    loaded = _loaded_after("import imburse\nimburse.Order")
    assert loaded["imburse._core.models.orders"]


def test_importing_the_client_defers_the_http_stack_and_every_api_group() -> None:
    loaded = _loaded_after("from imburse import AsyncImburse, Imburse", CLIENT_DEFERRED)
    assert loaded == dict.fromkeys(CLIENT_DEFERRED, False)


def test_a_group_loads_on_first_use_and_only_that_group() -> None:
    code = (
        "from imburse import Imburse\n"
        "client = Imburse(public_key='pk', private_key='AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y=', "
        "account_id='1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c', "
        "tenant_id='2bb81e1e-b072-4e64-b1ec-fdcc54f2d08c')\n"
        "client.orders\n"
        "client.close()"
    )
    loaded = _loaded_after(code, CLIENT_DEFERRED)
    assert not loaded["httpx"]  # the default transport owns an httpcore pool: no httpx
    assert loaded["imburse._core.models.orders"]
    assert loaded["imburse._core.operations.orders"]
    assert not loaded["imburse._core.models.customers"]


def test_building_a_client_loads_neither_backoff_nor_asyncio() -> None:
    """backoff (and asyncio, which it imports) wait for the first retry; the token lock for
    the first call, on its event loop; the batch machinery for ``create_many``; and httpx,
    whose adapter with its own pool needs httpcore only (issue 17: import and a ready
    client). On the code before this, building an ``AsyncImburse`` and reading ``.orders``
    loaded all four."""
    code = (
        "import sys\n"
        "sys.modules['opentelemetry'] = None\n"
        "from imburse import AsyncImburse\n"
        "AsyncImburse(public_key='pk', private_key='AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y=', "
        "account_id='1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c', "
        "tenant_id='2bb81e1e-b072-4e64-b1ec-fdcc54f2d08c').orders\n"
    )
    names = ["backoff", "asyncio", "imburse._core.models.batch", "imburse._async.batch", "httpx"]
    loaded = _loaded_after(code, [*names, "httpcore"])
    assert loaded == {**dict.fromkeys(names, False), "httpcore": True}


def test_every_name_in_all_resolves() -> None:
    assert "__version__" in imburse.__all__
    assert len(set(imburse.__all__)) == len(imburse.__all__)
    for name in imburse.__all__:
        assert getattr(imburse, name) is not None, name


def test_dir_lists_the_public_names() -> None:
    assert set(imburse.__all__) <= set(dir(imburse))


def test_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchThing"):
        imburse.NoSuchThing  # noqa: B018


def test_package_is_typed() -> None:
    assert (Path(imburse.__file__).parent / "py.typed").is_file()
