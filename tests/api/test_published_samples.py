"""Published sample bodies that crashed the SDK (issue 15 item 1) decode in lenient mode.

Imburse's reference pages render their response samples with ``null`` array items wherever an
item's schema is a reference the renderer does not expand: ``"currencies": [null]``,
``"availablePaymentMethods": [null]``, ``"exclusions": [null]`` (``shared/imburse-openapi-pages.md``
§3.4, §3.5). The bodies below follow those pages field by field, with the renderer's sample
values (``"string"``, ``0``, the sample uuid and time). The 2019 instruction tutorial sends
``"Scheme"`` capitalised and ``"metaData": []`` for an empty mapping.

On 0.1.0 each of these raised ``ResponseDecodeError`` ("Currency: expected a JSON object, got
NoneType", "not text: NoneType", "expected a mapping").
"""

from __future__ import annotations

import logging
from typing import Any

import pytest

from imburse import ResponseDecodeError
from imburse._core.decode import decode_response
from imburse._core.operations import ALL_OPERATIONS

OPERATIONS = {operation.name: operation for operation in ALL_OPERATIONS}

_UUID = "497f6eca-6276-4993-bfeb-53cbbbba6f08"
_TIME = "2019-08-24T14:15:22Z"

# cfg-v1/Collect-Schemes, "Get list of Collect Schemes", 200.
COLLECT_SCHEMES_SAMPLE = b"""{
  "schemes": [
    {
      "schemeId": "string",
      "publishedDraftId": "497f6eca-6276-4993-bfeb-53cbbbba6f08",
      "drafts": [
        {
          "draftId": "497f6eca-6276-4993-bfeb-53cbbbba6f08",
          "name": "string",
          "code": "string",
          "agreementType": "SingleUse",
          "rules": [
            {
              "priority": 0,
              "currencies": [null],
              "countries": [null],
              "highValueInclusive": 0,
              "lowValueInclusive": 0,
              "apps": [
                {
                  "appId": "string",
                  "excludedPaymentMethods": [null],
                  "availablePaymentMethods": [null]
                }
              ]
            }
          ],
          "lastModified": "2019-08-24T14:15:22Z"
        }
      ]
    }
  ]
}"""

# cfg-v1/Payout-Schemes, "Get list of Payout Schemes", 200: rules add rewardGroups.
PAYOUT_SCHEMES_SAMPLE = b"""{
  "schemes": [
    {
      "schemeId": "string",
      "publishedDraftId": "497f6eca-6276-4993-bfeb-53cbbbba6f08",
      "drafts": [
        {
          "draftId": "497f6eca-6276-4993-bfeb-53cbbbba6f08",
          "name": "string",
          "code": "string",
          "rules": [
            {
              "priority": 0,
              "currencies": [null],
              "countries": [null],
              "highValueInclusive": 0,
              "lowValueInclusive": 0,
              "apps": [
                {
                  "appId": "string",
                  "excludedPaymentMethods": [null],
                  "availablePaymentMethods": [null]
                }
              ],
              "rewardGroups": [
                {"rewardGroupId": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "exclusions": [null]}
              ]
            }
          ],
          "lastModified": "2019-08-24T14:15:22Z"
        }
      ]
    }
  ]
}"""

# cfg-v2/Payout-Schemes, "Get a Payout Scheme", 200.
PAYOUT_SCHEME_SAMPLE = b"""{
  "schemeId": "string",
  "publishedDraftId": "497f6eca-6276-4993-bfeb-53cbbbba6f08",
  "drafts": [
    {
      "draftId": "497f6eca-6276-4993-bfeb-53cbbbba6f08",
      "name": "string",
      "code": "string",
      "rules": [
        {
          "priority": 0,
          "currencies": [null],
          "countries": [null],
          "highValueInclusive": 0,
          "lowValueInclusive": 0,
          "apps": [
            {
              "appId": "string",
              "excludedPaymentMethods": [null],
              "availablePaymentMethods": [null]
            }
          ],
          "rewardGroups": [
            {"rewardGroupId": "497f6eca-6276-4993-bfeb-53cbbbba6f08", "exclusions": [null]}
          ]
        }
      ],
      "lastModified": "2019-08-24T14:15:22Z"
    }
  ]
}"""

# The 2019 "creating an instruction" tutorial's answer: capitalised Scheme, metaData [].
INSTRUCTION_2019_SAMPLE = b"""{
  "instructionRef": "INS-0001",
  "customerRef": "CUS-0001",
  "direction": "DEBIT",
  "status": "READY",
  "amount": 100.00,
  "currency": "EUR",
  "country": "IE",
  "settledByDate": "2019-12-31",
  "Scheme": {"schemeId": "6f2a1c1e-0b3e-4a3c-9f4e-2b1d0c9e8a7f", "source": "TENANT"},
  "metaData": []
}"""


def _decode(name: str, body: bytes, **kwargs: Any) -> Any:
    return decode_response(OPERATIONS[name], 200, {}, body, correlation_id="c-1", **kwargs)


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("collect_schemes.list", COLLECT_SCHEMES_SAMPLE),
        ("payout_schemes.list", PAYOUT_SCHEMES_SAMPLE),
    ],
)
def test_scheme_list_samples_decode_with_their_null_items_dropped(name: str, body: bytes) -> None:
    schemes = _decode(name, body)
    (scheme,) = schemes.schemes
    assert scheme.scheme_id == "string"
    assert scheme.published_draft is not None
    (rule,) = scheme.published_draft.rules
    assert (rule.currencies, rule.countries) == ((), ())
    (app,) = rule.apps
    assert (app.app_id, app.excluded_payment_methods, app.available_payment_methods) == (
        "string",
        (),
        (),
    )
    assert rule.extra == {}  # nothing odd was kept aside: null items are simply dropped
    if name == "payout_schemes.list":
        (group,) = rule.reward_groups
        assert (group.reward_group_id, group.exclusions) == (_UUID, ())


def test_payout_scheme_sample_decodes_via_payout_schemes_get() -> None:
    scheme = _decode("payout_schemes.get", PAYOUT_SCHEME_SAMPLE)
    assert scheme.correlation_id == "c-1"
    rule = scheme.drafts[0].rules[0]
    assert rule.currencies == ()
    assert rule.apps[0].available_payment_methods == ()
    assert rule.reward_groups[0].exclusions == ()
    assert scheme.drafts[0].last_modified is not None


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("collect_schemes.list", COLLECT_SCHEMES_SAMPLE),
        ("payout_schemes.list", PAYOUT_SCHEMES_SAMPLE),
        ("payout_schemes.get", PAYOUT_SCHEME_SAMPLE),
        ("instructions.get", INSTRUCTION_2019_SAMPLE),
    ],
)
def test_strict_mode_still_refuses_them(name: str, body: bytes) -> None:
    with pytest.raises(ResponseDecodeError, match="strict mode"):
        _decode(name, body, strict=True)


def test_the_2019_instruction_sample_reads_an_empty_array_as_empty_metadata(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="imburse"):
        instruction = _decode("instructions.get", INSTRUCTION_2019_SAMPLE)
    assert instruction.metadata == {}
    assert instruction.scheme is not None
    assert instruction.scheme.source == "TENANT"
    assert instruction.extra == {}
    assert caplog.records == []  # a documented form: nothing to warn about
