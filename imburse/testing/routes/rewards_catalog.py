"""Rewards catalog and reward groups of the fake (``imburse-api.md`` §5.11, §5.12).

The catalog is a fixed set of Tango Card rewards in the documented CatalogReward shape (brands,
values and ids are ours). Reward groups live in ``app.store(tenant, "reward_groups")``.

Documented: group names are unique; a group used by a *published* payout draft cannot be
deleted (400 ``REWARD_GROUP_IN_USE``); create answers 200; search requires ``appId``, matches
``brandName`` partially and ``amount`` against a fixed value or a [min, max] range. Our choices
(codes assumed): ``REWARD_GROUP_NOT_FOUND`` (404 on v1), ``REWARD_GROUP_NAME_ALREADY_EXISTS`` and
``APP_ID_IS_REQUIRED`` (400); reward ids in a group are not checked against the catalog;
``isEnabled`` defaults to true; search accepts the OpenAPI's singular ``country`` /
``currency`` as well as the tutorial's ``countries`` / ``currencies``.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from .._app import App, Call, Route, not_found, route
from .._errors import HTTPProblem, Problem
from .._jsonout import JSONValue
from .._validate import INVALID_BODY, parse_body
from .apps import problem

__all__ = [
    "CATALOG",
    "GROUPS_STORE",
    "PAYOUT_STORE",
    "ROUTES",
    "catalog_reward",
    "payout_reward_json",
    "reward_groups",
]

Reply = tuple[int, JSONValue]

GROUPS_STORE = "reward_groups"
PAYOUT_STORE = "schemes.payout"  # routes/schemes.py keeps payout schemes here


def _texts(text: str) -> list[JSONValue]:
    return [{"languageCode": "en", "text": text}]


def _reward(
    reward_id: str,
    name: str,
    brand: str,
    country: str,
    currency: str,
    *,
    fixed: str | None = None,
    low: str | None = None,
    high: str | None = None,
    status: str = "active",
) -> dict[str, JSONValue]:
    key = brand.lower().replace(" ", "-").replace(".", "")
    return {
        "rewardId": reward_id,
        "rewardName": name,
        "brandName": brand,
        "appId": "TANGOCARD_RAAS",
        "appName": "Tango Card RaaS",
        "countries": [country],
        "currencyCode": currency,
        "isWholeAmountValueRequired": fixed is None,
        "valueType": "FIXED_VALUE" if fixed is not None else "VARIABLE_VALUE",
        "fixedValue": None if fixed is None else Decimal(fixed),
        "maxValue": None if high is None else Decimal(high),
        "minValue": None if low is None else Decimal(low),
        "imageUrl": f"https://cdn.example.com/rewards/{key}.png",
        "status": status,
        "brand": {
            "brandKey": key,
            "brandName": brand,
            "status": status,
            "description": _texts(f"<p>{brand} gift card.</p>"),
            "shortDescription": _texts(f"{brand} gift card"),
            "disclaimer": _texts(f"{brand} is not a sponsor of this reward."),
            "terms": _texts("<p>Non-refundable.</p>"),
            "imageUrls": [
                {
                    "ppi": 72,
                    "url": f"https://cdn.example.com/rewards/{key}-200.png",
                    "width": 200,
                    "ratioHeight": 1,
                    "ratioWidth": 1,
                }
            ],
            "requirements": {
                "alwaysShowDisclaimer": False,
                "disclaimerInstructions": "",
                "displayInstructions": "",
                "termsAndConditionsInstructions": "",
            },
        },
        "redemptionInstructions": _texts(f"<p>Redeem at {brand}.</p>"),
    }


CATALOG: tuple[dict[str, Any], ...] = (
    _reward(
        "7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910",
        "Amazon.com Gift Card",
        "Amazon.com",
        "US",
        "USD",
        low="0.01",
        high="2000.00",
    ),
    _reward(
        "8a7b6c5d-4e3f-4a21-9b0c-7d6e5f4a3b21",
        "Amazon.co.uk Gift Card 25",
        "Amazon.co.uk",
        "GB",
        "GBP",
        fixed="25.00",
    ),
    _reward(
        "9b8c7d6e-5f4a-4b32-8c1d-8e7f6a5b4c32",
        "Amazon.co.uk Gift Card 50",
        "Amazon.co.uk",
        "GB",
        "GBP",
        fixed="50.00",
    ),
    _reward(
        "ac9d8e7f-6a5b-4c43-9d2e-9f8a7b6c5d43",
        "Tesco Gift Card",
        "Tesco",
        "GB",
        "GBP",
        low="5.00",
        high="250.00",
        status="inactive",
    ),
)


def catalog_reward(reward_id: str) -> dict[str, Any] | None:
    """The catalog entry of ``reward_id``, or ``None``."""
    return next((r for r in CATALOG if r["rewardId"] == reward_id), None)


def _first_text(value: Any) -> JSONValue:
    return value[0]["text"] if isinstance(value, list) and value else None


def payout_reward_json(entry: Mapping[str, Any]) -> dict[str, JSONValue]:
    """A catalog entry in the PayoutReward shape of payout options (texts as HTML strings)."""
    brand = entry["brand"]
    return {
        "rewardId": entry["rewardId"],
        "rewardName": entry["rewardName"],
        "rewardType": "gift card",
        "status": entry["status"],
        "countries": list(entry["countries"]),
        "currencyCode": entry["currencyCode"],
        "exchangeRateRule": None,
        "isWholeAmountValueRequired": entry["isWholeAmountValueRequired"],
        "valueType": entry["valueType"],
        "fixedValue": entry["fixedValue"],
        "maxValue": entry["maxValue"],
        "minValue": entry["minValue"],
        "credentialTypes": ["cardNumber", "pin"],
        "redemptionInstructions": _first_text(entry["redemptionInstructions"]),
        "tags": [],
        "app": {"appId": entry["appId"], "name": entry["appName"]},
        "brand": {
            "brandKey": brand["brandKey"],
            "brandName": brand["brandName"],
            "status": brand["status"],
            "description": _first_text(brand["description"]),
            "shortDescription": _first_text(brand["shortDescription"]),
            "disclaimer": _first_text(brand["disclaimer"]),
            "terms": _first_text(brand["terms"]),
            "imageUrls": [
                {"ppi": i["ppi"], "url": i["url"], "width": i["width"]} for i in brand["imageUrls"]
            ],
            "requirements": brand["requirements"],
        },
        # Date-times without zone, as documented.
        "createdDate": "2020-01-15T09:30:00",
        "lastUpdateDate": "2020-06-01T12:00:00",
    }


def amount_matches(entry: Mapping[str, Any], amount: Decimal, *, exact: bool = True) -> bool:
    """A fixed value equal to (``exact``) or at most ``amount``; else ``amount`` in range."""
    if entry["valueType"] == "FIXED_VALUE":
        fixed = entry["fixedValue"]
        return bool(fixed == amount if exact else fixed <= amount)
    low, high = entry["minValue"], entry["maxValue"]
    return (low is None or low <= amount) and (high is None or amount <= high)


# -- catalog -----------------------------------------------------------------------------------


def _flag(call: Call, name: str) -> bool:
    value = call.query.get(name)
    if value is None or value == "":
        return False
    if value.lower() not in ("true", "false"):
        raise HTTPProblem(
            400, [problem(INVALID_BODY, "{propertyName} must be true or false.", name)]
        )
    return value.lower() == "true"


def _codes(call: Call, *names: str) -> set[str]:
    codes: set[str] = set()
    for name in names:
        codes.update(c.strip().upper() for c in call.query.get(name, "").split(",") if c.strip())
    return codes


def list_catalog(app: App, call: Call) -> Reply:
    show_inactive = _flag(call, "showInactive")
    rewards = [r for r in CATALOG if show_inactive or r["status"] == "active"]
    return 200, {"rewards": rewards}


def search_catalog(app: App, call: Call) -> Reply:
    app_id = call.query.get("appId", "")
    if not app_id:
        raise HTTPProblem(400, [problem("APP_ID_IS_REQUIRED", "appId is required.", "appId")])
    show_inactive = _flag(call, "showInactive")
    brand = call.query.get("brandName", "").lower()
    countries = _codes(call, "countries", "country")
    currencies = _codes(call, "currencies", "currency")
    amount = _query_amount(call)
    found = [
        r
        for r in CATALOG
        if str(r["appId"]).upper() == app_id.upper()
        and (show_inactive or r["status"] == "active")
        and brand in str(r["brandName"]).lower()
        and (not countries or countries.intersection(r["countries"]))
        and (not currencies or r["currencyCode"] in currencies)
        and (amount is None or amount_matches(r, amount))
    ]
    return 200, {"rewards": found}


def _query_amount(call: Call) -> Decimal | None:
    text = call.query.get("amount")
    if text is None or text == "":
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal(-1)
    if not amount.is_finite() or amount <= 0:
        raise HTTPProblem(
            400, [problem(INVALID_BODY, "{propertyName} must be a positive number.", "amount")]
        )
    return amount


# -- reward groups -----------------------------------------------------------------------------


def reward_groups(app: App, tenant_id: str) -> dict[str, Any]:
    """The tenant's reward groups: rewardGroupId -> group JSON."""
    return app.store(tenant_id, GROUPS_STORE)


def _group_or_raise(app: App, call: Call) -> dict[str, Any]:
    group: dict[str, Any] | None = reward_groups(app, call.tenant_id).get(
        call.params["group"].lower()
    )
    if group is None:
        raise not_found("REWARD_GROUP_NOT_FOUND", "Reward group not found.", call.version)
    return group


def _group_body(app: App, call: Call, *, own_id: str | None = None) -> tuple[str, list[JSONValue]]:
    data = parse_body(call.body)
    problems: list[Problem] = []
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        problems.append(problem("REWARD_GROUP_NAME_IS_REQUIRED", "name is required.", "name"))
    rewards: list[JSONValue] = []
    raw = data.get("rewards", [])
    if not isinstance(raw, list):
        problems.append(problem(INVALID_BODY, "{propertyName} must be an array.", "rewards"))
        raw = []
    for i, item in enumerate(raw):
        prop = f"rewards[{i}]"
        reward_id = item.get("rewardId") if isinstance(item, dict) else None
        enabled = item.get("isEnabled", True) if isinstance(item, dict) else None
        if not isinstance(reward_id, str) or not reward_id:
            problems.append(problem("REWARD_ID_IS_REQUIRED", "{propertyName} is required.", prop))
        elif not isinstance(enabled, bool):
            problems.append(
                problem(INVALID_BODY, "{propertyName} must be a boolean.", prop + ".isEnabled")
            )
        else:
            rewards.append({"rewardId": reward_id, "isEnabled": enabled})
    if problems:
        raise HTTPProblem(400, problems)
    assert isinstance(name, str)
    taken = any(
        g["name"].lower() == name.lower() and gid != own_id
        for gid, g in reward_groups(app, call.tenant_id).items()
    )
    if taken:
        raise HTTPProblem(
            400,
            [
                problem(
                    "REWARD_GROUP_NAME_ALREADY_EXISTS",
                    "A reward group named {name} already exists.",
                    "name",
                    name=name,
                )
            ],
        )
    return name, rewards


def list_groups(app: App, call: Call) -> Reply:
    return 200, {"rewardGroups": list(reward_groups(app, call.tenant_id).values())}


def create_group(app: App, call: Call) -> Reply:
    name, rewards = _group_body(app, call)
    group_id = str(uuid.uuid4())
    group: dict[str, JSONValue] = {"rewardGroupId": group_id, "name": name, "rewards": rewards}
    reward_groups(app, call.tenant_id)[group_id] = group
    return 200, group


def get_group(app: App, call: Call) -> Reply:
    return 200, _group_or_raise(app, call)


def update_group(app: App, call: Call) -> Reply:
    group = _group_or_raise(app, call)
    name, rewards = _group_body(app, call, own_id=group["rewardGroupId"])
    group.update(name=name, rewards=rewards)
    return 200, group


def group_in_use(app: App, tenant_id: str, group_id: str) -> bool:
    """True when the *published* draft of some payout scheme offers the group."""
    for scheme in app.store(tenant_id, PAYOUT_STORE).values():
        published = next(
            (d for d in scheme["drafts"] if d["draftId"] == scheme["publishedDraftId"]), None
        )
        if published and any(
            g["rewardGroupId"] == group_id for r in published["rules"] for g in r["rewardGroups"]
        ):
            return True
    return False


def delete_group(app: App, call: Call) -> Reply:
    group = _group_or_raise(app, call)
    group_id = group["rewardGroupId"]
    if group_in_use(app, call.tenant_id, group_id):
        raise HTTPProblem.one(
            400,
            "REWARD_GROUP_IN_USE",  # documented
            "Reward group {rewardGroupId} is used by a published payout scheme draft.",
            rewardGroupId=group_id,
        )
    del reward_groups(app, call.tenant_id)[group_id]
    return 204, None


ROUTES: tuple[Route, ...] = (
    route("GET", r"/v[12]/catalog", list_catalog),
    route("GET", r"/v1/catalog/search", search_catalog),
    route("GET", r"/v[12]/reward-groups", list_groups),
    route("POST", r"/v[12]/reward-groups", create_group),
    route("GET", r"/v1/reward-groups/{group}", get_group),
    route("PUT", r"/v1/reward-groups/{group}", update_group),
    route("DELETE", r"/v1/reward-groups/{group}", delete_group),
)
