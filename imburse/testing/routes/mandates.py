"""The fake's mandates, creditor profiles and SEPA Direct Debit Core configuration
(``imburse-openapi-pages.md`` §4.7-4.12; ``/v2/mandates`` from Imburse's QA tests).

Shapes are the published samples. The v2 routes answer errors as problem details and a
missing mandate or creditor profile with 404 (§1.1). Paged lists read ``from`` (a 0-based
item offset, default 0) and ``take`` (1-1000, default 100) and answer the envelope
``{currentPage, pageCount, pageSize, rowCount, totalCount, results}`` with items in creation
order.

Choices where the pages are silent (assumptions): a create answers 201; a creditor profile
ref or a mandate is unique per tenant (a second create with the same ref is 400
``CREDITOR_PROFILE_ALREADY_EXISTS``); a mandate is ``Active`` once created and registered,
with a new ``mandateId`` and ``financialInstrumentId`` and a ``MND-<n>`` ``mandateRef``; the
BACS read of a generic profile shows ``creditorIdentifier`` as ``serviceUserNumber`` and
``creditorName`` as ``organizationName``; the v1 configuration read answers 404
``SEPA_CONFIGURATION_NOT_FOUND`` before one is created. With mandates switched off
(:func:`configure_mandates`), every route answers 405 ``SERVICE_UNAVAILABLE`` as Imburse's QA
tests expect for accounts whose licence lacks them.
"""

from __future__ import annotations

import math
import re
import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from .._app import App, Call, Route, route
from .._engine import engine_of
from .._errors import HTTPProblem, Problem
from .._jsonout import JSONValue
from .._validate import parse_body

if TYPE_CHECKING:
    from .._fake import FakeImburse

__all__ = ["ROUTES", "configure_mandates"]

_REF = re.compile(r"[A-Za-z0-9_.\-]{1,50}")
_NETWORKS = {"Bacs": "Bacs", "Sepa": "SEPA", "BecsAu": "BecsAu", "BecsNz": "BecsNz", "Ach": "Ach"}
_NAMES = {"B2C": ("firstName", "lastName"), "B2B": ("companyName",)}
# Required debtor fields per network (§4.8), besides the names of the debtor kind.
_DEBTOR_FIELDS = {
    "Bacs": ("accountHolderName", "accountNumber", "sortCode"),
    "Sepa": ("accountHolderName", "iban"),
    "BecsAu": ("accountHolderName", "accountNumber", "bsbNumber"),
    "BecsNz": ("accountHolderName", "accountNumber", "bankName", "signatoryName"),
    "Ach": (
        "email",
        "phoneNumber",
        "address",
        "accountHolderName",
        "accountNumber",
        "routingNumber",
        "accountType",
        "authorizationSource",
        "authorizationFrequency",
    ),
}
_PROFILE_FIELDS = ("profileName", "creditorIdentifier", "creditorName", "address", "metadata")


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


def _required(data: dict[str, Any], field: str, *, wire: str | None = None) -> Any:
    value = data.get(field)
    if value is None or value == "":
        name = wire or field[0].upper() + field[1:]
        raise HTTPProblem.detail(
            400, "REQUIRED_ATTRIBUTE", f"The attribute {name} is required", field=name
        )
    return value


def _checked_ref(data: dict[str, Any], field: str) -> str:
    value = _required(data, field)
    if not isinstance(value, str) or not _REF.fullmatch(value):
        name = field[0].upper() + field[1:]
        raise HTTPProblem.detail(
            400,
            "INVALID_ATTRIBUTE",
            f"{name} contains invalid characters.",
            field=name,
            value=str(value),
        )
    return value


def _int_query(call: Call, name: str, default: int) -> int:
    raw = call.query.get(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise HTTPProblem.detail(
            400, "INVALID_ATTRIBUTE", f"'{name}' must be an integer.", field=name, value=raw
        ) from None


def _page(call: Call, items: list[dict[str, Any]]) -> dict[str, JSONValue]:
    start = _int_query(call, "from", 0)
    take = _int_query(call, "take", 100)
    if start < 0:
        raise HTTPProblem.detail(
            400, "INVALID_ATTRIBUTE", "'from' must be 0 or more.", field="from", value=str(start)
        )
    if not 1 <= take <= 1000:
        raise HTTPProblem.detail(
            400,
            "INVALID_ATTRIBUTE",
            "'take' must be between 1 and 1000.",
            field="take",
            value=str(take),
        )
    results = items[start : start + take]
    return {
        "currentPage": start // take + 1,
        "pageCount": math.ceil(len(items) / take),
        "pageSize": take,
        "rowCount": len(results),
        "totalCount": len(items),
        "results": results,
    }


# --- creditor profiles ---------------------------------------------------------------------


def _profiles(app: App, call: Call) -> dict[str, dict[str, Any]]:
    return app.store(call.tenant_id, "creditor_profiles")


def _profile_or_404(app: App, call: Call) -> dict[str, Any]:
    profile = _profiles(app, call).get(call.params["ref"])
    if profile is None:
        raise HTTPProblem.detail(404, "NOT_FOUND", "Creditor Profile was not found.")
    return profile


def list_creditor_profiles(app: App, call: Call) -> tuple[int, JSONValue]:
    _check_licence(app)
    return 200, _page(call, list(_profiles(app, call).values()))


def create_creditor_profile(app: App, call: Call) -> tuple[int, JSONValue]:
    _check_licence(app)
    data = parse_body(call.body)
    ref = _checked_ref(data, "creditorProfileRef")
    network = _required(data, "network")
    profiles = _profiles(app, call)
    if ref in profiles:
        raise HTTPProblem.detail(
            400,
            "CREDITOR_PROFILE_ALREADY_EXISTS",
            f"Creditor profile {ref} already exists.",
            field="CreditorProfileRef",
            value=ref,
        )
    profile: dict[str, Any] = {"creditorProfileRef": ref, "network": network}
    profile.update({k: data[k] for k in _PROFILE_FIELDS if data.get(k) is not None})
    profile.setdefault("metadata", {})
    profiles[ref] = profile
    return 201, None


def get_creditor_profile(app: App, call: Call) -> tuple[int, JSONValue]:
    _check_licence(app)
    return 200, dict(_profile_or_404(app, call))


def get_bacs_creditor_profile(app: App, call: Call) -> tuple[int, JSONValue]:
    _check_licence(app)
    profile = _profile_or_404(app, call)
    if str(profile.get("network", "")).lower() != "bacs":
        raise HTTPProblem.detail(404, "NOT_FOUND", "Creditor Profile was not found.")
    return 200, {
        "creditorProfileRef": profile["creditorProfileRef"],
        "profileName": profile.get("profileName"),
        "network": "Bacs",
        "serviceUserNumber": profile.get("creditorIdentifier"),
        "organizationName": profile.get("creditorName"),
        "metadata": profile.get("metadata", {}),
    }


# --- mandates ------------------------------------------------------------------------------


def _mandates(app: App, call: Call) -> dict[str, dict[str, Any]]:
    return app.store(call.tenant_id, "mandates")


def _check_debtor(mandate_type: str, debtor: object) -> dict[str, Any]:
    if not isinstance(debtor, dict):
        raise HTTPProblem.detail(
            400, "REQUIRED_ATTRIBUTE", "The attribute Debtor is required", field="Debtor"
        )
    network, kind = mandate_type[:-3], mandate_type[-3:]
    problems = [
        Problem(
            "REQUIRED_ATTRIBUTE",
            f"The attribute Debtor.{name[0].upper()}{name[1:]} is required",
            {"PropertyName": f"Debtor.{name[0].upper()}{name[1:]}", "AttemptedValue": "null"},
        )
        for name in (*_NAMES[kind], *_DEBTOR_FIELDS[network])
        if debtor.get(name) in (None, "")
    ]
    if problems:
        raise HTTPProblem(400, problems, details=True)
    return debtor


def create_mandate(app: App, call: Call) -> tuple[int, JSONValue]:
    _check_licence(app)
    data = parse_body(call.body)
    customer_ref = _checked_ref(data, "customerRef")
    profile_ref = _checked_ref(data, "creditorProfileRef")
    mandate_type = _required(data, "mandateType")
    valid_types = {f"{n}{k}" for n in _NETWORKS for k in _NAMES}
    if mandate_type not in valid_types:
        raise HTTPProblem.detail(
            400,
            "INVALID_ATTRIBUTE",
            f"MandateType '{mandate_type}' is not supported.",
            field="MandateType",
            value=str(mandate_type),
        )
    debtor = _check_debtor(mandate_type, data.get("debtor"))
    if profile_ref not in _profiles(app, call):
        raise HTTPProblem.detail(
            400,
            "CREDITOR_PROFILE_NOT_FOUND",
            "Creditor Profile was not found.",
            field="CreditorProfileRef",
            value=profile_ref,
        )
    mandates = _mandates(app, call)
    mandate_id = str(uuid.uuid4())
    financial_instrument_id = str(uuid.uuid4())
    mandates[mandate_id] = {
        "mandateId": mandate_id,
        "mandateRef": f"MND-{len(mandates) + 1:06d}",
        "network": _NETWORKS[mandate_type[:-3]],
        "mandateType": mandate_type,
        "customerRef": customer_ref,
        "status": "Active",
        "creditorProfileRef": profile_ref,
        "financialInstrumentId": financial_instrument_id,
        "created": datetime.fromtimestamp(call.now_ms / 1000, UTC).isoformat(),
        "metadata": data.get("metadata") or {},
        "debtor": debtor,
    }
    return 201, {
        "financialInstrumentId": financial_instrument_id,
        "mandateId": mandate_id,
        "verificationCheck": {"status": "VERIFIED", "reason": "Verification Successful"},
    }


def list_mandates(app: App, call: Call) -> tuple[int, JSONValue]:
    _check_licence(app)
    summaries = [
        {k: v for k, v in mandate.items() if k != "debtor"}
        for mandate in _mandates(app, call).values()
    ]
    return 200, _page(call, summaries)


def _network_read(network: str) -> Any:
    def read(app: App, call: Call) -> tuple[int, JSONValue]:
        _check_licence(app)
        mandate_id = call.params["mandate"]
        mandate = _mandates(app, call).get(mandate_id)
        if mandate is None or mandate["network"] != network:
            raise HTTPProblem.detail(404, "NOT_FOUND", f"Mandate '{mandate_id}' was not found.")
        answer = {k: v for k, v in mandate.items() if k != "metadata"}
        return 200, answer

    return read


# --- v1 SEPA Direct Debit Core configuration -----------------------------------------------


def _sepa(app: App, call: Call) -> dict[str, Any]:
    return app.store(call.tenant_id, "sepa_direct_debit_core")


def _sepa_body(data: dict[str, Any]) -> dict[str, Any]:
    if not data.get("iban"):
        raise HTTPProblem.one(
            400, "IBAN_IS_REQUIRED", "{propertyName} is required.", propertyName="iban"
        )
    return {k: data.get(k) for k in ("iban", "bic", "address")}


def create_sepa_configuration(app: App, call: Call) -> tuple[int, JSONValue]:
    _check_licence(app)
    config = _sepa(app, call)
    config.clear()
    config.update(_sepa_body(parse_body(call.body)))
    return 200, None


def update_sepa_configuration(app: App, call: Call) -> tuple[int, JSONValue]:
    _check_licence(app)
    config = _sepa(app, call)
    config.clear()
    config.update(_sepa_body(parse_body(call.body)))
    return 204, None


def get_sepa_configuration(app: App, call: Call) -> tuple[int, JSONValue]:
    _check_licence(app)
    config = _sepa(app, call)
    if not config:
        raise HTTPProblem.one(
            404, "SEPA_CONFIGURATION_NOT_FOUND", "SEPA Direct Debit Core configuration not found."
        )
    return 200, dict(config)


def validate_sepa_configuration(app: App, call: Call) -> tuple[int, JSONValue]:
    _check_licence(app)
    config = _sepa(app, call)
    messages = [] if config else ["The SEPA Direct Debit Core configuration is missing."]
    if config and not config.get("bic"):
        messages.append("The BIC is missing.")
    return 200, {"isValid": not messages, "validationMessages": messages}


_SEPA_PATH = r"/v1/mandates/configuration/sepa-direct-debit-core"

ROUTES: tuple[Route, ...] = (
    route("GET", r"/v2/mandates/creditor-profiles", list_creditor_profiles),
    route("POST", r"/v2/mandates/creditor-profiles", create_creditor_profile),
    route("GET", r"/v2/mandates/creditor-profiles/bacs/{ref}", get_bacs_creditor_profile),
    route("GET", r"/v2/mandates/creditor-profiles/{ref}", get_creditor_profile),
    route("POST", r"/v2/mandates", create_mandate),
    route("GET", r"/v2/mandates", list_mandates),
    route("GET", r"/v2/mandates/becsau/{mandate}", _network_read("BecsAu")),
    route("GET", r"/v2/mandates/becsnz/{mandate}", _network_read("BecsNz")),
    route("GET", _SEPA_PATH + "/validate", validate_sepa_configuration),
    route("POST", _SEPA_PATH, create_sepa_configuration),
    route("PUT", _SEPA_PATH, update_sepa_configuration),
    route("GET", _SEPA_PATH, get_sepa_configuration),
)
