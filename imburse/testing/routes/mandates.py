"""The fake's ``/v2/mandates`` (``imburse-api.md`` §5.17): observed only, schemas unknown.

Choices (all assumptions): a create stores the JSON object as sent and answers 201 with no
body; the list answers 200 ``{"mandates": [...]}`` in creation order (lists come back as
arrays inside an object elsewhere, §7.9). With mandates switched off
(:func:`configure_mandates`), both answer 405 ``SERVICE_UNAVAILABLE`` as Imburse's QA tests
expect for accounts whose licence lacks them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._app import App, Call, Route, route
from .._engine import engine_of
from .._errors import HTTPProblem
from .._jsonout import JSONValue
from .._validate import parse_body

if TYPE_CHECKING:
    from .._fake import FakeImburse

__all__ = ["ROUTES", "configure_mandates"]


def configure_mandates(fake: FakeImburse, *, enabled: bool) -> None:
    """Switch the mandates licence of the fake on or off (on by default, until reset).

    >>> from imburse.testing import FakeImburse
    >>> configure_mandates(FakeImburse(), enabled=False)
    """
    with engine_of(fake).locked() as app:
        app.store("", "mandate_settings")["enabled"] = enabled


def _check_licence(app: App) -> None:
    if not app.store("", "mandate_settings").get("enabled", True):
        raise HTTPProblem.one(
            405, "SERVICE_UNAVAILABLE", "The mandates feature is not enabled for this account."
        )


def create_mandate(app: App, call: Call) -> tuple[int, JSONValue]:
    _check_licence(app)
    data = parse_body(call.body)
    mandates = app.store(call.tenant_id, "mandates")
    mandates[str(len(mandates))] = data
    return 201, None


def list_mandates(app: App, call: Call) -> tuple[int, JSONValue]:
    _check_licence(app)
    return 200, {"mandates": list(app.store(call.tenant_id, "mandates").values())}


ROUTES: tuple[Route, ...] = (
    route("POST", r"/v2/mandates", create_mandate),
    route("GET", r"/v2/mandates", list_mandates),
)
