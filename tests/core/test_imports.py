"""``import imburse`` stays cheap, and every advertised name resolves."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import imburse

HEAVY = ["httpx", "cattrs", "imburse._core.converter", "imburse._core.models.orders"]


def _loaded_after(code: str) -> dict[str, bool]:
    script = (
        "import json, sys\n"
        f"{code}\n"
        f"print(json.dumps({{name: name in sys.modules for name in {HEAVY!r}}}))\n"
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
