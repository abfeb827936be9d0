"""Collect and payout schemes (§5.9, §5.10): decoding documented sample bodies, written by
hand, in every documented form (codes or objects, numbers or strings, 2019 names). Pure."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from imburse._core.decode import decode_response
from imburse._core.errors import ResponseDecodeError
from imburse._core.models.rewards_catalog import RewardStatus, RewardValueType
from imburse._core.models.schemes import AgreementType, Scheme, SchemeList
from imburse._core.operations.schemes import (
    CREATE_COLLECT_SCHEME,
    GET_PAYOUT_OPTIONS,
    GET_PAYOUT_SCHEME,
    LIST_COLLECT_SCHEMES,
    PUBLISH_COLLECT_DRAFT,
)

# OA compact sample of a created scheme: currencies/countries as objects, bounds as numbers,
# a new scheme id (32 hex) and publishedDraftId "" (nothing published yet).
OA_SCHEME = b"""{
  "schemeId": "654EB81FF7F07F7CF5A1EE3FF6972E90",
  "publishedDraftId": "",
  "drafts": [
    {
      "draftId": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
      "name": "Cards",
      "code": "CARDS-1",
      "agreementType": "SingleUse",
      "lastModified": "2023-08-14T12:39:38.499Z",
      "rules": [
        {
          "priority": 1,
          "currencies": [
            {"id": 3, "code": "EUR", "numeric": "978", "name": "Euro", "symbol": "\xe2\x82\xac",
             "numberOfDecimalPlaces": 2}
          ],
          "countries": [
            {"id": 12, "code": "DE", "numeric": "276", "name": "Germany",
             "currency": {"id": 3, "code": "EUR", "numeric": "978", "name": "Euro",
                          "symbol": "\xe2\x82\xac", "numberOfDecimalPlaces": 2}}
          ],
          "highValueInclusive": 1000.00,
          "lowValueInclusive": 0.01,
          "apps": [
            {"appId": "BRAINTREE_SDK", "excludedPaymentMethods": ["PAYPAL"],
             "availablePaymentMethods": ["VISA", "MASTERCARD"]}
          ]
        }
      ]
    }
  ]
}"""

# GH 2019 tutorial: GUID scheme id, plain codes ("UK" as written there), bounds as strings,
# an unbounded high value as "", and configurations[] instead of apps[].
GH_2019_SCHEME = b"""{
  "schemeId": "c2f9a1d4-8b7e-4f3a-9d6c-5e4b3a291807",
  "publishedDraftId": "7d9e8f6a-5b4c-4d3e-a2f1-0e9d8c7b6a54",
  "drafts": [
    {
      "draftId": "7d9e8f6a-5b4c-4d3e-a2f1-0e9d8c7b6a54",
      "name": "Default",
      "agreementType": "SingleUse",
      "lastModified": "2019-06-20T10:15:00",
      "rules": [
        {
          "priority": 1,
          "currencies": ["GBP"],
          "countries": ["UK"],
          "lowValueInclusive": "1",
          "highValueInclusive": "",
          "configurations": [
            {"priority": 1, "appId": "BRAINTREE_SDK", "excludedPaymentMethods": []}
          ]
        }
      ]
    }
  ]
}"""

PAYOUT_V2_SCHEME = b"""{
  "schemeId": "A1B2C3D4E5F60718293A4B5C6D7E8F90",
  "publishedDraftId": "0f1e2d3c-4b5a-4968-8776-655443322110",
  "drafts": [
    {
      "draftId": "0f1e2d3c-4b5a-4968-8776-655443322110",
      "name": "Gift cards",
      "lastModified": 1692016778499,
      "rules": [
        {
          "priority": 1,
          "currencies": ["USD"],
          "countries": ["US"],
          "lowValueInclusive": 5,
          "highValueInclusive": 500,
          "apps": [{"appId": "TANGOCARD_RAAS", "excludedPaymentMethods": []}],
          "rewardGroups": [
            {"rewardGroupId": "9c0d7e8f-1a2b-4c3d-8e4f-5a6b7c8d9e0f", "exclusions": ["U561593"]}
          ]
        }
      ]
    }
  ]
}"""

# GH get-payout-options.md: one fixed and one variable reward.
PAYOUT_OPTIONS = b"""{
  "rewards": [
    {
      "rewardId": "U561593",
      "rewardName": "Amazon.com Gift Card",
      "rewardType": "gift card",
      "status": "active",
      "countries": ["US"],
      "currencyCode": "USD",
      "exchangeRateRule": null,
      "isWholeAmountValueRequired": false,
      "valueType": "VARIABLE_VALUE",
      "fixedValue": null,
      "maxValue": 2000.00,
      "minValue": 0.01,
      "credentialTypes": ["cardNumber", "pin"],
      "redemptionInstructions": "<p>Visit amazon.com/redeem</p>",
      "tags": [],
      "app": {"appId": "TANGOCARD_RAAS", "name": "Tango Card"},
      "brand": {
        "brandKey": "B916708",
        "brandName": "Amazon.com",
        "status": "active",
        "description": "<p>Amazon.com Gift Cards never expire.</p>",
        "shortDescription": "<p>Amazon.com gift card</p>",
        "disclaimer": "<p>Amazon.com is not a sponsor.</p>",
        "terms": "<p>Restrictions apply.</p>",
        "imageUrls": [{"ppi": 72, "url": "https://cdn.example.com/b916708-200w.png", "width": 200}],
        "requirements": {
          "alwaysShowDisclaimer": true,
          "disclaimerInstructions": "Show the disclaimer",
          "displayInstructions": "Show the brand",
          "termsAndConditionsInstructions": "Show the terms"
        }
      },
      "createdDate": "2019-05-02T15:16:25",
      "lastUpdateDate": "2019-09-04T08:00:01"
    },
    {
      "rewardId": "U426141",
      "rewardName": "Starbucks Card 25",
      "rewardType": "gift card",
      "status": "active",
      "countries": ["US"],
      "currencyCode": "USD",
      "isWholeAmountValueRequired": true,
      "valueType": "FIXED_VALUE",
      "fixedValue": 25.00,
      "maxValue": null,
      "minValue": null,
      "app": {"appId": "TANGOCARD_RAAS", "name": "Tango Card"}
    }
  ]
}"""


def decode(operation: object, body: bytes, *, strict: bool = True) -> object:
    return decode_response(operation, 200, {}, body, correlation_id="cid-1", strict=strict)  # type: ignore[arg-type]


def test_oa_scheme_with_object_codes_and_number_bounds() -> None:
    scheme = decode(CREATE_COLLECT_SCHEME, OA_SCHEME)
    assert isinstance(scheme, Scheme)
    assert scheme.scheme_id == "654EB81FF7F07F7CF5A1EE3FF6972E90"
    assert scheme.published_draft_id is None
    assert scheme.published_draft is None
    assert scheme.correlation_id == "cid-1"
    draft = scheme.drafts[0]
    assert draft.agreement_type is AgreementType.SINGLE_USE
    assert draft.last_modified == datetime(2023, 8, 14, 12, 39, 38, 499000, tzinfo=UTC)
    rule = draft.rules[0]
    assert rule.priority == 1
    assert rule.low_value_inclusive == Decimal("0.01")
    assert rule.high_value_inclusive == Decimal("1000.00")
    assert str(rule.high_value_inclusive) == "1000.00"  # exact, never through float
    currency = rule.currencies[0]
    assert (str(currency), currency.id, currency.numeric, currency.name) == (
        "EUR",
        "3",
        "978",
        "Euro",
    )
    assert currency.symbol == "\u20ac"
    assert currency.number_of_decimal_places == 2
    country = rule.countries[0]
    assert (str(country), country.name, country.currency and country.currency.code) == (
        "DE",
        "Germany",
        "EUR",
    )
    app = rule.apps[0]
    assert app.app_id == "BRAINTREE_SDK"
    assert app.excluded_payment_methods == ("PAYPAL",)
    assert app.available_payment_methods == ("VISA", "MASTERCARD")


def test_2019_scheme_with_plain_codes_string_bounds_and_configurations() -> None:
    scheme = decode(PUBLISH_COLLECT_DRAFT, GH_2019_SCHEME)
    assert isinstance(scheme, Scheme)
    assert scheme.published_draft is scheme.drafts[0]
    rule = scheme.drafts[0].rules[0]
    assert [str(c) for c in rule.currencies] == ["GBP"]
    assert [c.code for c in rule.countries] == ["UK"]
    assert rule.low_value_inclusive == Decimal("1")
    assert rule.high_value_inclusive is None  # "" = unbounded
    assert [(a.app_id, a.priority) for a in rule.apps] == [("BRAINTREE_SDK", 1)]
    # A zone-less 2019 time is read as UTC.
    assert scheme.drafts[0].last_modified == datetime(2019, 6, 20, 10, 15, tzinfo=UTC)


def test_payout_scheme_with_reward_groups_and_ms_timestamp() -> None:
    scheme = decode(GET_PAYOUT_SCHEME, PAYOUT_V2_SCHEME)
    assert isinstance(scheme, Scheme)
    draft = scheme.published_draft
    assert draft is not None
    assert draft.agreement_type is None
    assert draft.last_modified == datetime(2023, 8, 14, 12, 39, 38, 499000, tzinfo=UTC)
    rule = draft.rules[0]
    assert (rule.low_value_inclusive, rule.high_value_inclusive) == (Decimal(5), Decimal(500))
    group = rule.reward_groups[0]
    assert group.reward_group_id == "9c0d7e8f-1a2b-4c3d-8e4f-5a6b7c8d9e0f"
    assert group.exclusions == ("U561593",)


def test_scheme_list_object_and_bare_array() -> None:
    body = b'{"schemes": [' + OA_SCHEME + b"]}"
    listed = decode(LIST_COLLECT_SCHEMES, body)
    assert isinstance(listed, SchemeList)
    assert [s.scheme_id for s in listed.schemes] == ["654EB81FF7F07F7CF5A1EE3FF6972E90"]
    assert listed.correlation_id == "cid-1"
    bare = decode(LIST_COLLECT_SCHEMES, b"[" + GH_2019_SCHEME + b"]")
    assert isinstance(bare, SchemeList)
    assert len(bare.schemes) == 1
    assert decode(LIST_COLLECT_SCHEMES, b'{"schemes": []}') == SchemeList()


def test_payout_options() -> None:
    options = decode(GET_PAYOUT_OPTIONS, PAYOUT_OPTIONS)
    variable, fixed = options.rewards  # type: ignore[attr-defined]
    assert options.correlation_id == "cid-1"  # type: ignore[attr-defined]
    assert variable.value_type is RewardValueType.VARIABLE_VALUE
    assert variable.status is RewardStatus.ACTIVE
    assert (variable.min_value, variable.max_value, variable.fixed_value) == (
        Decimal("0.01"),
        Decimal("2000.00"),
        None,
    )
    assert [str(c) for c in variable.countries] == ["US"]
    assert str(variable.currency_code) == "USD"
    assert variable.credential_types == ("cardNumber", "pin")
    assert str(variable.redemption_instructions[0]) == "<p>Visit amazon.com/redeem</p>"
    assert variable.redemption_instructions[0].language_code is None
    assert variable.app.app_id == "TANGOCARD_RAAS"
    brand = variable.brand
    assert brand.brand_key == "B916708"
    assert str(brand.description[0]) == "<p>Amazon.com Gift Cards never expire.</p>"
    assert brand.image_urls[0].width == 200
    assert brand.image_urls[0].ppi == 72
    assert brand.requirements.always_show_disclaimer is True
    assert variable.created_date == datetime(2019, 5, 2, 15, 16, 25, tzinfo=UTC)
    assert fixed.value_type == "FIXED_VALUE"
    assert fixed.fixed_value == Decimal("25.00")
    assert fixed.brand is None
    assert fixed.tags == ()


def test_unknown_values_are_kept_leniently_and_refused_in_strict_mode() -> None:
    body = (
        b'{"schemeId": "S1", "region": "eu", "drafts": [{"draftId": "d",'
        b' "agreementType": "Recurring", "rules": [{"currencies": ["GBP"], "weight": 3}]}]}'
    )
    scheme = decode(GET_PAYOUT_SCHEME, body, strict=False)
    assert isinstance(scheme, Scheme)
    assert scheme.extra == {"region": "eu"}
    assert scheme.drafts[0].agreement_type == "Recurring"
    assert scheme.drafts[0].rules[0].extra == {"weight": 3}
    with pytest.raises(ResponseDecodeError):
        decode(GET_PAYOUT_SCHEME, body, strict=True)


def test_bad_bounds_are_kept_raw_unless_strict() -> None:
    body = b'{"schemeId": "S1", "drafts": [{"rules": [{"lowValueInclusive": "cheap"}]}]}'
    rule = decode(GET_PAYOUT_SCHEME, body, strict=False).drafts[0].rules[0]
    assert (rule.low_value_inclusive, rule.extra) == (None, {"lowValueInclusive": "cheap"})
    with pytest.raises(ResponseDecodeError, match="lowValueInclusive"):
        decode(GET_PAYOUT_SCHEME, body, strict=True)
