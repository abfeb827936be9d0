"""Reward groups and rewards catalog (§5.11, §5.12): decoding documented sample bodies,
written by hand, in every documented form. Pure."""

from __future__ import annotations

from decimal import Decimal

from imburse._core.decode import decode_response
from imburse._core.models.rewards_catalog import (
    Catalog,
    RewardGroup,
    RewardGroupList,
    RewardStatus,
    RewardValueType,
)
from imburse._core.operations.rewards_catalog import (
    CREATE_REWARD_GROUP,
    GET_REWARD_GROUP,
    LIST_CATALOG,
    LIST_REWARD_GROUPS,
    SEARCH_CATALOG,
)

# OA v2 create answer.
OA_GROUP = b"""{
  "rewardGroupId": "9c0d7e8f-1a2b-4c3d-8e4f-5a6b7c8d9e0f",
  "name": "Gift cards",
  "rewards": [
    {"rewardId": "U561593", "isEnabled": true},
    {"rewardId": "U426141", "isEnabled": false}
  ]
}"""

# GH 2019: "id" for the group id, "enabled" for isEnabled, or rewards as plain ids.
GH_2019_GROUPS = b"""[
  {"id": "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9", "name": "Old style",
   "rewards": [{"rewardId": "U561593", "enabled": true}]},
  {"id": "2c3d4e5f-6071-4829-93a4-b5c6d7e8f90a", "name": "Ids only",
   "rewards": ["U561593", "U426141"]}
]"""

# GH searching-the-rewards-catalog.md / OA: texts as [{languageCode, text}], countries as
# objects or codes, currencyCode as object or code, images with their ratio.
CATALOG = b"""{
  "rewards": [
    {
      "rewardId": "0e4c3c3d2f6c4b8a9d1e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c",
      "rewardName": "Amazon.co.uk Gift Card",
      "brandName": "Amazon.co.uk",
      "appId": "TANGOCARD_RAAS",
      "appName": "Tango Card",
      "countries": [{"id": 1, "code": "GB", "numeric": "826", "name": "United Kingdom",
                     "currency": {"code": "GBP"}}],
      "currencyCode": {"id": 2, "code": "GBP", "numeric": "826", "name": "Pound Sterling",
                       "symbol": "\xc2\xa3", "numberOfDecimalPlaces": 2},
      "isWholeAmountValueRequired": false,
      "valueType": "VARIABLE_VALUE",
      "fixedValue": null,
      "maxValue": 500,
      "minValue": 0.01,
      "imageUrl": "https://cdn.example.com/amazon-uk.png",
      "status": "active",
      "brand": {
        "brandKey": "B123456",
        "brandName": "Amazon.co.uk",
        "status": "active",
        "description": [{"languageCode": "en", "text": "<p>Shop at Amazon.co.uk</p>"},
                        {"languageCode": "de", "text": "<p>Einkaufen bei Amazon.co.uk</p>"}],
        "shortDescription": [{"languageCode": "en", "text": "Amazon.co.uk"}],
        "disclaimer": [{"languageCode": "en", "text": "Not a sponsor."}],
        "terms": [{"languageCode": "en", "text": "<p>Terms apply.</p>"}],
        "imageUrls": [{"ppi": 72, "url": "https://cdn.example.com/b123456-300w.png",
                       "width": 300, "ratioHeight": 0.63, "ratioWidth": 1}],
        "requirements": {"alwaysShowDisclaimer": false, "disclaimerInstructions": "",
                         "displayInstructions": "", "termsAndConditionsInstructions": ""}
      },
      "redemptionInstructions": [{"languageCode": "en", "text": "<p>Redeem online.</p>"}]
    },
    {
      "rewardId": "7f6e5d4c-3b2a-4190-8f7e-6d5c4b3a2910",
      "rewardName": "Tesco Gift Card 25",
      "brandName": "Tesco",
      "appId": "TANGOCARD_RAAS",
      "appName": "Tango Card",
      "countries": ["GB"],
      "currencyCode": "GBP",
      "isWholeAmountValueRequired": true,
      "valueType": "FIXED_VALUE",
      "fixedValue": 25.00,
      "status": "inactive"
    }
  ]
}"""


def test_oa_reward_group() -> None:
    group = decode_response(
        CREATE_REWARD_GROUP, 200, {}, OA_GROUP, correlation_id="cid-1", strict=True
    )
    assert isinstance(group, RewardGroup)
    assert group.reward_group_id == "9c0d7e8f-1a2b-4c3d-8e4f-5a6b7c8d9e0f"
    assert group.name == "Gift cards"
    assert [(r.reward_id, r.is_enabled) for r in group.rewards] == [
        ("U561593", True),
        ("U426141", False),
    ]
    assert group.correlation_id == "cid-1"
    assert decode_response(GET_REWARD_GROUP, 200, {}, OA_GROUP, strict=True) == group


def test_reward_group_list_object_and_2019_forms() -> None:
    listed = decode_response(
        LIST_REWARD_GROUPS, 200, {}, b'{"rewardGroups": [' + OA_GROUP + b"]}", strict=True
    )
    assert isinstance(listed, RewardGroupList)
    assert [g.name for g in listed.reward_groups] == ["Gift cards"]
    old = decode_response(LIST_REWARD_GROUPS, 200, {}, GH_2019_GROUPS, strict=True)
    assert isinstance(old, RewardGroupList)
    first, second = old.reward_groups
    assert first.reward_group_id == "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9"
    assert [(r.reward_id, r.is_enabled) for r in first.rewards] == [("U561593", True)]
    assert [(r.reward_id, r.is_enabled) for r in second.rewards] == [
        ("U561593", None),
        ("U426141", None),
    ]


def test_catalog_with_objects_and_language_texts() -> None:
    catalog = decode_response(LIST_CATALOG, 200, {}, CATALOG, correlation_id="cid-2", strict=True)
    assert isinstance(catalog, Catalog)
    assert catalog.correlation_id == "cid-2"
    uk, tesco = catalog.rewards
    assert uk.reward_id.startswith("0e4c3c3d")  # type: ignore[union-attr]
    assert (uk.brand_name, uk.app_id, uk.app_name) == (
        "Amazon.co.uk",
        "TANGOCARD_RAAS",
        "Tango Card",
    )
    assert [str(c) for c in uk.countries] == ["GB"]
    assert uk.countries[0].name == "United Kingdom"
    assert str(uk.currency_code) == "GBP"
    assert uk.currency_code is not None
    assert uk.currency_code.symbol == "\u00a3"
    assert uk.value_type is RewardValueType.VARIABLE_VALUE
    assert (uk.min_value, uk.max_value, uk.fixed_value) == (Decimal("0.01"), Decimal(500), None)
    assert uk.status is RewardStatus.ACTIVE
    brand = uk.brand
    assert brand is not None
    assert [(t.language_code, t.text) for t in brand.description] == [
        ("en", "<p>Shop at Amazon.co.uk</p>"),
        ("de", "<p>Einkaufen bei Amazon.co.uk</p>"),
    ]
    image = brand.image_urls[0]
    assert (image.ratio_height, image.ratio_width, image.width) == (
        Decimal("0.63"),
        Decimal(1),
        300,
    )
    assert str(uk.redemption_instructions[0]) == "<p>Redeem online.</p>"
    assert [str(c) for c in tesco.countries] == ["GB"]
    assert str(tesco.currency_code) == "GBP"
    assert tesco.fixed_value == Decimal("25.00")
    assert tesco.status is RewardStatus.INACTIVE
    assert tesco.brand is None
    assert tesco.redemption_instructions == ()


def test_search_answers_the_same_shape() -> None:
    found = decode_response(SEARCH_CATALOG, 200, {}, b'{"rewards": []}', strict=True)
    assert found == Catalog()
