"""Configuration: arguments and IMBURSE_* variables resolved once, validated, secrets hidden."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

import imburse
from imburse import ConfigurationError, Timeouts
from imburse._core.config import ClientConfig, Credentials, check_base_url, resolve_config

PUBLIC = "a123456b-c12c-123d-1ab4-18bd8c8e88a3"
PRIVATE = "AGHYR1aWYgHgyjhJLkVCd7b8XfAVeA4tuFwCQl3X64Y="
ACCOUNT = "1aa81e1e-b072-4e64-b1ec-fdcc54f2d08c"
TENANT = "2bb81e1e-b072-4e64-b1ec-fdcc54f2d08c"
SANDBOX = "https://sandbox-api.imbursepayments.com"
PRODUCTION = "https://api.imbursepayments.com"

FULL_ENV = {
    "IMBURSE_PUBLIC_KEY": PUBLIC,
    "IMBURSE_PRIVATE_KEY": PRIVATE,
    "IMBURSE_ACCOUNT_ID": ACCOUNT,
    "IMBURSE_TENANT_ID": TENANT,
}


def resolve(env: dict[str, str] | None = None, **kwargs: Any) -> ClientConfig:
    return resolve_config(env=FULL_ENV if env is None else env, **kwargs)


def test_everything_from_the_environment() -> None:
    cfg = resolve()
    assert cfg.credentials == Credentials(PUBLIC, PRIVATE, ACCOUNT, TENANT)
    assert cfg.base_url == SANDBOX
    assert cfg.timeouts == Timeouts(connect=5.0, read=30.0, write=30.0, pool=10.0)
    assert cfg.deadline == 60.0
    assert cfg.max_retries == 2
    assert cfg.strict is False
    assert cfg.user_agent == f"imburse-python/{imburse.__version__}"


def test_arguments_win_over_the_environment() -> None:
    other_account = "3cc81e1e-b072-4e64-b1ec-fdcc54f2d08c"
    cfg = resolve(public_key="pk-arg", account_id=other_account, tenant_id=None)
    assert cfg.credentials.public_key == "pk-arg"
    assert cfg.credentials.account_id == other_account
    assert cfg.credentials.tenant_id == TENANT  # None means "not given": env fills it


def test_os_environ_is_read_when_no_mapping_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in FULL_ENV.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("IMBURSE_BASE_URL", raising=False)
    monkeypatch.delenv("IMBURSE_ENVIRONMENT", raising=False)
    assert resolve_config().credentials.account_id == ACCOUNT


def test_an_explicit_empty_mapping_ignores_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in FULL_ENV.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ConfigurationError):
        resolve_config(env={})


@pytest.mark.parametrize(
    ("arg", "var"),
    [
        ("public_key", "IMBURSE_PUBLIC_KEY"),
        ("private_key", "IMBURSE_PRIVATE_KEY"),
        ("account_id", "IMBURSE_ACCOUNT_ID"),
    ],
)
@pytest.mark.parametrize("how", ["unset", "empty-env", "empty-arg"])
def test_missing_required_value_names_the_argument_and_the_variable(
    arg: str, var: str, how: str
) -> None:
    env = dict(FULL_ENV)
    kwargs: dict[str, Any] = {}
    if how == "unset":
        del env[var]
    elif how == "empty-env":
        env[var] = ""
    else:
        del env[var]
        kwargs[arg] = ""
    with pytest.raises(ConfigurationError) as info:
        resolve(env, **kwargs)
    message = str(info.value)
    assert f"{arg}=" in message
    assert var in message


def test_tenant_is_optional() -> None:
    env = {k: v for k, v in FULL_ENV.items() if k != "IMBURSE_TENANT_ID"}
    assert resolve(env).credentials.tenant_id is None
    assert resolve({**env, "IMBURSE_TENANT_ID": ""}).credentials.tenant_id is None


def test_ids_are_normalised_to_lower_case_uuids() -> None:
    cfg = resolve(account_id=f"  {ACCOUNT.upper()} ", tenant_id=TENANT.upper())
    assert cfg.credentials.account_id == ACCOUNT
    assert cfg.credentials.tenant_id == TENANT


@pytest.mark.parametrize(("arg", "value"), [("account_id", "acct-1"), ("tenant_id", "1234")])
def test_ids_that_are_not_uuids_are_refused(arg: str, value: str) -> None:
    kwargs: dict[str, Any] = {arg: value}
    with pytest.raises(ConfigurationError, match=arg):
        resolve(**kwargs)


def test_invalid_private_key_fails_at_configuration_without_echoing_it() -> None:
    bad = "this-is-not-base64-but-a-secret!"
    with pytest.raises(ConfigurationError) as info:
        resolve(private_key=bad)
    assert bad not in str(info.value)
    assert "private_key" in str(info.value)


# --- environment and base URL ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "env_extra", "expected"),
    [
        ({}, {}, SANDBOX),
        ({"environment": "sandbox"}, {}, SANDBOX),
        ({"environment": "production"}, {}, PRODUCTION),
        ({}, {"IMBURSE_ENVIRONMENT": "production"}, PRODUCTION),
        ({"environment": "sandbox"}, {"IMBURSE_ENVIRONMENT": "production"}, SANDBOX),
        ({"base_url": "https://imburse.example.com/"}, {}, "https://imburse.example.com"),
        (
            {"base_url": "https://imburse.example.com", "environment": "production"},
            {},
            "https://imburse.example.com",
        ),
        (
            {"base_url": "https://imburse.example.com", "environment": "no-such-env"},
            {},
            "https://imburse.example.com",
        ),
        ({}, {"IMBURSE_BASE_URL": "https://proxy.example.com"}, "https://proxy.example.com"),
        (
            {"base_url": "https://arg.example.com"},
            {"IMBURSE_BASE_URL": "https://env.example.com"},
            "https://arg.example.com",
        ),
        # An argument beats every variable, even a URL left in the shell.
        (
            {"environment": "production"},
            {"IMBURSE_BASE_URL": "https://env.example.com"},
            PRODUCTION,
        ),
        (
            {},
            {"IMBURSE_BASE_URL": "https://env.example.com", "IMBURSE_ENVIRONMENT": "production"},
            "https://env.example.com",
        ),
    ],
)
def test_base_url_resolution(
    kwargs: dict[str, Any], env_extra: dict[str, str], expected: str
) -> None:
    assert resolve({**FULL_ENV, **env_extra}, **kwargs).base_url == expected


@pytest.mark.parametrize("name", ["staging", "Sandbox", "prod", ""])
def test_unknown_environment_is_refused(name: str) -> None:
    if name == "":
        # An empty environment falls back to the default.
        assert resolve(environment=name).base_url == SANDBOX
        return
    with pytest.raises(ConfigurationError, match="environment") as info:
        resolve(environment=name)
    assert "base_url" in str(info.value)  # says how to reach a dedicated host


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080",
        "http://127.0.0.1",
        "http://localhost:3000/",
        "http://[::1]:8080",
        "https://imburse.example.com",
        "https://10.0.0.5:8443",
    ],
)
def test_allowed_base_urls(url: str) -> None:
    assert resolve(base_url=url).base_url == url.rstrip("/")


@pytest.mark.parametrize(
    "url",
    [
        "http://sandbox-api.imbursepayments.com",
        "http://10.0.0.5:8080",
        "http://localhost.evil.example.com",
        "http://[::2]:8080",
        "ftp://127.0.0.1",
        "sandbox-api.imbursepayments.com",
        "https://",
        "https://user:pass@imburse.example.com",
        "https://imburse.example.com/?q=1",
        "https://imburse.example.com/#frag",
    ],
)
def test_refused_base_urls(url: str) -> None:
    with pytest.raises(ConfigurationError, match="base_url"):
        resolve(base_url=url)


def test_plain_http_refusal_says_why() -> None:
    with pytest.raises(ConfigurationError, match="https"):
        check_base_url("http://api.imbursepayments.com")


# --- secrets and values ---------------------------------------------------------------------


def test_credentials_repr_hides_the_private_key() -> None:
    cfg = resolve()
    for text in (repr(cfg.credentials), repr(cfg), str(cfg)):
        assert PRIVATE not in text
        assert PRIVATE[:10] not in text
        assert "'***'" in text
    assert PUBLIC in repr(cfg.credentials)  # the public key helps debugging, it is not secret
    assert cfg.credentials.private_key == PRIVATE


def test_config_is_frozen() -> None:
    import attrs

    cfg = resolve()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        cfg.base_url = "https://evil.example.com"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"deadline": 0}, "deadline"),
        ({"deadline": -1.0}, "deadline"),
        ({"max_retries": -1}, "max_retries"),
    ],
)
def test_nonsense_limits_are_refused(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ConfigurationError, match=match):
        resolve(**kwargs)


def test_limits_are_kept() -> None:
    cfg = resolve(deadline=5, max_retries=0, strict=True)
    assert (cfg.deadline, cfg.max_retries, cfg.strict) == (5.0, 0, True)
    assert isinstance(cfg.deadline, float)


# --- timeouts -------------------------------------------------------------------------------


def test_timeouts_from_seconds() -> None:
    assert Timeouts.coerce(10.0) == Timeouts(10.0, 10.0, 10.0, 10.0)
    assert Timeouts.coerce(3) == Timeouts(3.0, 3.0, 3.0, 3.0)
    assert resolve(timeout=2.5).timeouts == Timeouts(2.5, 2.5, 2.5, 2.5)


def test_timeouts_from_httpx_timeout() -> None:
    assert Timeouts.coerce(httpx.Timeout(5.0, read=20.0, pool=1.0)) == Timeouts(
        connect=5.0, read=20.0, write=5.0, pool=1.0
    )
    assert Timeouts.coerce(httpx.Timeout(None)) == Timeouts(None, None, None, None)


def test_timeouts_default_and_passthrough() -> None:
    assert Timeouts.coerce(None) == Timeouts()
    mine = Timeouts(1.0, 2.0, 3.0, 4.0)
    assert Timeouts.coerce(mine) is mine


@pytest.mark.parametrize("value", [0, -1.0, True, "10", [1, 2]])
def test_bad_timeouts_are_refused(value: Any) -> None:
    with pytest.raises(ConfigurationError, match="timeout"):
        Timeouts.coerce(value)


def test_timeouts_clipped_to_the_remaining_deadline() -> None:
    assert Timeouts(5.0, 30.0, None, 10.0).clipped(7.0) == Timeouts(5.0, 7.0, 7.0, 7.0)
