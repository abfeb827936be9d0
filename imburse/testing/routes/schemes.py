"""Collect and payout schemes of the fake (``imburse-api.md`` §5.9, §5.10).

Schemes live in ``app.store(tenant, "schemes.collect")`` / ``"schemes.payout"`` in their
response shape. Creating a scheme creates its first, unpublished draft (``publishedDraftId``
``""``); publishing sets ``publishedDraftId``. Payout options evaluate the published draft's
rules in order (first match on currency, country and value range wins) and offer the enabled,
not excluded rewards of its reward groups, filtered by the rule's apps, currency, country and
``matchType`` (§5.10).

Documented checks: rule bounds ``low > 0`` and ``low <= high``; rule apps must be installed;
exclusions must belong to their group. Our choices (codes assumed): ``SCHEME_NAME_IS_REQUIRED``,
``INVALID_VALUE_RANGE``, ``APP_NOT_INSTALLED``, ``REWARD_GROUP_ID_NOT_RECOGNISED``,
``REWARD_NOT_IN_GROUP``, ``CURRENCY_IS_REQUIRED`` / ``COUNTRY_IS_REQUIRED`` /
``AMOUNT_IS_REQUIRED`` / ``INVALID_MATCH_TYPE`` (400); ``SCHEME_NOT_FOUND`` and
``DRAFT_NOT_FOUND`` (404 on v1, 400 on v2). Scheme ids are 32-character upper-case hex (the
newer samples), rule ``priority`` counts from 1, bounds are answered as numbers and codes as
plain strings, and a scheme without a published draft offers no rewards. Deleting a scheme is
always allowed. Schemes created here are not added to ``FakeImburse.schemes`` (that set keeps
its own meaning for instructions).
"""

from __future__ import annotations

import re
import secrets
import uuid
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from .._app import App, Call, Route, not_found, route
from .._errors import HTTPProblem, Problem
from .._jsonout import JSONValue
from .._validate import INVALID_BODY, parse_body
from .apps import installed_apps, marketplace_app, problem
from .rewards_catalog import (
    amount_matches,
    catalog_reward,
    payout_reward_json,
    reward_groups,
)

__all__ = ["ROUTES", "schemes_of"]

Reply = tuple[int, JSONValue]
Handler = Callable[[App, Call], Reply]

_CURRENCY = re.compile(r"[A-Z]{3}")
_COUNTRY = re.compile(r"[A-Z]{2}")


def schemes_of(app: App, tenant_id: str, kind: str) -> dict[str, Any]:
    """The tenant's schemes of ``kind`` (``"collect"`` or ``"payout"``): schemeId -> scheme."""
    return app.store(tenant_id, f"schemes.{kind}")


def _iso(now_ms: int) -> str:
    moment = datetime.fromtimestamp(now_ms / 1000, tz=UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class _Rules:
    """Validates ``rules[]`` of a create body, collecting every problem."""

    def __init__(self, app: App, call: Call, kind: str) -> None:
        self.app, self.call, self.kind = app, call, kind
        self.problems: list[Problem] = []

    def add(self, code: str, template: str, prop: str, **values: str) -> None:
        self.problems.append(problem(code, template, prop, **values))

    def codes(
        self, rule: Mapping[str, Any], key: str, pattern: re.Pattern[str], p: str
    ) -> list[str]:
        value = rule.get(key) or []
        if not isinstance(value, list):
            self.add(INVALID_BODY, "{propertyName} must be an array.", p + key)
            return []
        good = [c for c in value if isinstance(c, str) and pattern.fullmatch(c)]
        if len(good) != len(value):
            self.add(INVALID_BODY, "{propertyName} must hold ISO codes.", p + key)
        return good

    def bound(self, rule: Mapping[str, Any], key: str, p: str) -> Decimal | None:
        value = rule.get(key)
        if value is None or value == "":
            return None  # empty = unbounded
        try:
            if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
                raise InvalidOperation
            amount = Decimal(value)
        except InvalidOperation:
            self.add(INVALID_BODY, "{propertyName} must be a decimal.", p + key)
            return None
        if not amount.is_finite() or amount <= 0:
            self.add("INVALID_VALUE_RANGE", "{propertyName} must be greater than 0.", p + key)
            return None
        return amount

    def apps(self, rule: Mapping[str, Any], p: str) -> list[JSONValue]:
        installed = installed_apps(self.app, self.call.tenant_id)
        result: list[JSONValue] = []
        for j, item in enumerate(rule.get("apps") or []):
            prop = f"{p}apps[{j}]"
            app_id = item.get("appId") if isinstance(item, dict) else None
            if not isinstance(app_id, str) or app_id.upper() not in installed:
                self.add("APP_NOT_INSTALLED", "{propertyName} is not an installed app.", prop)
                continue
            excluded = item.get("excludedPaymentMethods") or []
            if not isinstance(excluded, list) or not all(isinstance(m, str) for m in excluded):
                self.add(INVALID_BODY, "{propertyName} must be an array of ids.", prop)
                continue
            entry = marketplace_app(app_id) or {}
            methods = [m["id"] for m in entry.get("supportedPaymentMethods", [])]
            result.append(
                {
                    "appId": app_id,
                    "excludedPaymentMethods": list(excluded),
                    "availablePaymentMethods": [m for m in methods if m not in excluded],
                }
            )
        return result

    def groups(self, rule: Mapping[str, Any], p: str) -> list[JSONValue]:
        known = reward_groups(self.app, self.call.tenant_id)
        result: list[JSONValue] = []
        for j, item in enumerate(rule.get("rewardGroups") or []):
            prop = f"{p}rewardGroups[{j}]"
            group_id = item.get("rewardGroupId") if isinstance(item, dict) else None
            group = known.get(group_id.lower()) if isinstance(group_id, str) else None
            if group is None:
                # Named like the documented SCHEME_ID_NOT_RECOGNISED: a 400 "..._NOT_FOUND" would
                # read as a missing object of the path to clients.
                self.add(
                    "REWARD_GROUP_ID_NOT_RECOGNISED",
                    "{propertyName} is not a reward group of the tenant.",
                    prop,
                )
                continue
            exclusions = item.get("exclusions") or []
            members = {r["rewardId"] for r in group["rewards"]}
            if not isinstance(exclusions, list) or not all(e in members for e in exclusions):
                self.add(
                    "REWARD_NOT_IN_GROUP",
                    "{propertyName} excludes a reward outside its group.",
                    prop + ".exclusions",
                )
                continue
            result.append({"rewardGroupId": group["rewardGroupId"], "exclusions": exclusions})
        return result

    def rule(self, i: int, rule: Any) -> JSONValue:
        p = f"rules[{i}]."
        if not isinstance(rule, dict):
            self.add(INVALID_BODY, "{propertyName} must be an object.", f"rules[{i}]")
            return None
        low = self.bound(rule, "lowValueInclusive", p)
        high = self.bound(rule, "highValueInclusive", p)
        if low is not None and high is not None and low > high:
            self.add(
                "INVALID_VALUE_RANGE",
                "{propertyName} must not exceed highValueInclusive.",
                p + "lowValueInclusive",
            )
        result: dict[str, JSONValue] = {
            "priority": i + 1,
            "currencies": self.codes(rule, "currencies", _CURRENCY, p),
            "countries": self.codes(rule, "countries", _COUNTRY, p),
            "lowValueInclusive": low,
            "highValueInclusive": high,
            "apps": self.apps(rule, p),
        }
        if self.kind == "payout":
            result["rewardGroups"] = self.groups(rule, p)
        return result


def _draft(app: App, call: Call, kind: str) -> dict[str, JSONValue]:
    data = parse_body(call.body)
    check = _Rules(app, call, kind)
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        check.add("SCHEME_NAME_IS_REQUIRED", "name is required.", "name")
    for key in ("code", "agreementType"):
        if data.get(key) is not None and not isinstance(data[key], str):
            check.add(INVALID_BODY, "{propertyName} must be a string.", key)
    raw_rules = data.get("rules") or []
    if not isinstance(raw_rules, list):
        check.add(INVALID_BODY, "{propertyName} must be an array.", "rules")
        raw_rules = []
    rules = [check.rule(i, r) for i, r in enumerate(raw_rules)]
    if check.problems:
        raise HTTPProblem(400, check.problems)
    draft: dict[str, JSONValue] = {"draftId": str(uuid.uuid4()), "name": name}
    if data.get("code") is not None:
        draft["code"] = data["code"]
    if kind == "collect" and data.get("agreementType") is not None:
        draft["agreementType"] = data["agreementType"]
    draft["rules"] = rules
    draft["lastModified"] = _iso(call.now_ms)
    return draft


def _scheme_or_raise(app: App, call: Call, kind: str) -> dict[str, Any]:
    scheme: dict[str, Any] | None = schemes_of(app, call.tenant_id, kind).get(
        call.params["scheme"].upper()
    )
    if scheme is None:
        raise not_found("SCHEME_NOT_FOUND", "Scheme not found.", call.version)
    return scheme


def _list(kind: str) -> Handler:
    def handler(app: App, call: Call) -> Reply:
        return 200, {"schemes": list(schemes_of(app, call.tenant_id, kind).values())}

    return handler


def _create(kind: str) -> Handler:
    def handler(app: App, call: Call) -> Reply:
        draft = _draft(app, call, kind)
        scheme_id = secrets.token_hex(16).upper()
        scheme: dict[str, JSONValue] = {
            "schemeId": scheme_id,
            "publishedDraftId": "",
            "drafts": [draft],
        }
        schemes_of(app, call.tenant_id, kind)[scheme_id] = scheme
        return 200, scheme

    return handler


def _get(kind: str) -> Handler:
    def handler(app: App, call: Call) -> Reply:
        return 200, _scheme_or_raise(app, call, kind)

    return handler


def _delete(kind: str) -> Handler:
    def handler(app: App, call: Call) -> Reply:
        scheme = _scheme_or_raise(app, call, kind)
        del schemes_of(app, call.tenant_id, kind)[scheme["schemeId"]]
        return 204, None

    return handler


def _publish(kind: str) -> Handler:
    def handler(app: App, call: Call) -> Reply:
        scheme = _scheme_or_raise(app, call, kind)
        wanted = call.params["draft"].lower()
        draft = next((d for d in scheme["drafts"] if d["draftId"] == wanted), None)
        if draft is None:
            raise not_found("DRAFT_NOT_FOUND", "Draft not found.", call.version)
        scheme["publishedDraftId"] = draft["draftId"]
        return 200, scheme

    return handler


def _options_query(call: Call) -> tuple[Decimal, str, str, bool]:
    problems: list[Problem] = []
    query = call.query
    amount: Decimal | None = None
    try:
        amount = Decimal(query["amount"])
    except KeyError:
        problems.append(problem("AMOUNT_IS_REQUIRED", "amount is required.", "amount"))
    except InvalidOperation:
        pass
    if "amount" in query and (amount is None or not amount.is_finite() or amount <= 0):
        problems.append(
            problem(INVALID_BODY, "{propertyName} must be a positive number.", "amount")
        )
    currency, country = query.get("currency", ""), query.get("country", "")
    if not _CURRENCY.fullmatch(currency):
        problems.append(problem("CURRENCY_IS_REQUIRED", "currency is required.", "currency"))
    if not _COUNTRY.fullmatch(country):
        problems.append(problem("COUNTRY_IS_REQUIRED", "country is required.", "country"))
    match_type = query.get("matchType", "Exact")  # documented default
    if match_type not in ("Exact", "Max"):
        problems.append(
            problem("INVALID_MATCH_TYPE", "matchType must be Exact or Max.", "matchType")
        )
    if problems or amount is None:
        raise HTTPProblem(400, problems)
    return amount, currency, country, match_type == "Exact"


def _matches(rule: Mapping[str, Any], amount: Decimal, currency: str, country: str) -> bool:
    low, high = rule["lowValueInclusive"], rule["highValueInclusive"]
    return (
        (not rule["currencies"] or currency in rule["currencies"])
        and (not rule["countries"] or country in rule["countries"])
        and (low is None or low <= amount)
        and (high is None or amount <= high)
    )


def payout_options(app: App, call: Call) -> Reply:
    scheme = _scheme_or_raise(app, call, "payout")
    amount, currency, country, exact = _options_query(call)
    published = next(
        (d for d in scheme["drafts"] if d["draftId"] == scheme["publishedDraftId"]), None
    )
    rules = published["rules"] if published else []
    rule = next((r for r in rules if _matches(r, amount, currency, country)), None)
    if rule is None:
        return 200, {"rewards": []}
    apps = {str(a["appId"]).upper() for a in rule["apps"]}
    groups = reward_groups(app, call.tenant_id)
    offered: dict[str, JSONValue] = {}
    for ref in rule["rewardGroups"]:
        group = groups.get(ref["rewardGroupId"], {"rewards": []})
        for item in group["rewards"]:
            entry = catalog_reward(item["rewardId"])
            if (
                entry is None
                or not item["isEnabled"]
                or item["rewardId"] in ref["exclusions"]
                or entry["status"] != "active"
                or (apps and str(entry["appId"]).upper() not in apps)
                or entry["currencyCode"] != currency
                or country not in entry["countries"]
                or not amount_matches(entry, amount, exact=exact)
            ):
                continue
            offered.setdefault(item["rewardId"], payout_reward_json(entry))
    return 200, {"rewards": list(offered.values())}


ROUTES: tuple[Route, ...] = (
    route("GET", r"/v1/schemes/collect", _list("collect")),
    route("POST", r"/v1/schemes/collect", _create("collect")),
    route("GET", r"/v1/schemes/collect/{scheme}", _get("collect")),
    route("DELETE", r"/v1/schemes/collect/{scheme}", _delete("collect")),
    route("POST", r"/v1/schemes/collect/{scheme}/drafts/{draft}/publish", _publish("collect")),
    route("GET", r"/v1/schemes/payout", _list("payout")),
    route("POST", r"/v1/schemes/payout", _create("payout")),
    route("GET", r"/v[12]/schemes/payout/{scheme}", _get("payout")),
    route("DELETE", r"/v2/schemes/payout/{scheme}", _delete("payout")),  # v2 tag
    route("POST", r"/v1/schemes/payout/{scheme}/drafts/{draft}/publish", _publish("payout")),
    route("GET", r"/v1/schemes/payout/{scheme}/options", payout_options),
)
