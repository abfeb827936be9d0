"""410 Gone (issue 15 item 6): Imburse answers it for withdrawn operations (the current
``rewards.authorize``/``claim`` pages), and it becomes a :class:`~imburse.GoneError` that
says so. Fails on 0.1.0, where a 410 was a generic ``APIStatusError`` titled "Gone"."""

from __future__ import annotations

import json
import pickle

import imburse
from imburse._core.decode import decode_error
from imburse._core.errors import APIStatusError, GoneError
from imburse._core.retry import DefaultRetryPolicy, Outcome, Stop


def test_a_410_is_a_gone_error_saying_the_operation_was_withdrawn() -> None:
    err = decode_error(410, {}, b"", now=0, correlation_id="c-1", operation="rewards.authorize")
    assert type(err) is GoneError
    assert isinstance(err, APIStatusError)
    assert err.status_code == 410
    assert str(err) == (
        "410: Imburse has withdrawn this operation (410 Gone): Gone "
        "(rewards.authorize; correlation_id=c-1)"
    )


def test_the_servers_words_follow_and_its_fields_are_kept() -> None:
    body = json.dumps(
        {
            "status": 410,
            "title": "Gone",
            "detail": "Use the rewards v3 API.",
            "trace": {"requestId": "r-1"},
        }
    ).encode()
    err = decode_error(410, {}, body, now=0)
    assert type(err) is GoneError
    assert err.message == "Imburse has withdrawn this operation (410 Gone): Use the rewards v3 API."
    assert (err.error_code, err.server_correlation_id) == ("Gone", "r-1")


def test_it_is_exported_and_rebuilds_without_doubling_its_message() -> None:
    err = decode_error(410, {}, b"", now=0, operation="rewards.claim")
    assert imburse.GoneError is GoneError
    assert GoneError.__module__ == "imburse"
    rebuilt = type(err)(*err.args)
    assert (str(rebuilt), type(rebuilt)) == (str(err), GoneError)
    assert str(pickle.loads(pickle.dumps(err))) == str(err)  # noqa: S301 - our own bytes


def test_a_410_is_not_retried() -> None:
    decision = DefaultRetryPolicy().decide(
        Outcome("POST", status=410), attempt=1, elapsed=0.0, remaining=30.0, max_retries=2
    )
    assert isinstance(decision, Stop)
