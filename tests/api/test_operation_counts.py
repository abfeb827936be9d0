"""Pins how many operations each API group models, so none silently disappears.

Adding an operation means raising its group's number here on purpose.
"""

from __future__ import annotations

from collections import Counter

from imburse._core.operations import ALL_OPERATIONS, UNSUPPORTED

EXPECTED = {
    "identity": 1,
    "account": 6,
    "tenants": 10,
    "apps": 7,
    "collect_schemes": 5,
    "payout_schemes": 6,
    "reward_groups": 5,
    "catalog": 2,
    "orders": 3,
    "instructions": 4,
    "customers": 9,
    "rewards": 2,
    "mandates": 12,
}


def test_operations_per_group_are_pinned() -> None:
    counts = Counter(op.name.split(".")[0] for op in ALL_OPERATIONS)
    assert dict(counts) == EXPECTED


def test_operation_names_are_unique_and_gaps_are_not_modelled() -> None:
    names = [op.name for op in ALL_OPERATIONS]
    assert len(names) == len(set(names))
    assert len(UNSUPPORTED) == 57  # 47 + account key delete + 9 mandate/chargeback calls
    assert all(gap.reason for gap in UNSUPPORTED)
