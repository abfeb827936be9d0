"""The table of operations: every endpoint the SDK calls, described as data.

A resource method names its :class:`Operation` and passes arguments; ``build`` turns the pair
into bytes and ``decode`` turns the answer into the operation's response model. The reference
in ``docs/`` is printed from the same table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import Enum
from functools import cached_property
from typing import Any

import attrs

from .models.orders import Instruction, Order

__all__ = ["ALL_OPERATIONS", "Operation", "Scope"]

_PARAM = re.compile(r"{(\w+)}")


class Scope(Enum):
    """Which id headers an operation needs."""

    NONE = "none"  # the token exchange: HMAC only
    ACCOUNT = "account"  # x-account-id
    TENANT = "tenant"  # x-account-id and x-tenant-id


@attrs.frozen
class Operation:
    """One API operation.

    ``natural_key`` names the argument that makes a create idempotent on Imburse's side (a
    second create with the same ref is refused as a duplicate), which is what lets the SDK
    retry a create whose first attempt had an unknown outcome.
    """

    name: str
    method: str
    path: str
    scope: Scope
    roles: tuple[str, ...]
    response: Mapping[int, type[Any] | None]
    confirmed: bool = True
    natural_key: str | None = None
    summary: str = ""

    @cached_property
    def path_params(self) -> tuple[str, ...]:
        """Names of the ``{placeholders}`` in the path template, in order."""
        return tuple(_PARAM.findall(self.path))

    @property
    def idempotent(self) -> bool:
        """True when sending the request twice has the effect of sending it once."""
        return self.method in ("GET", "HEAD", "PUT", "DELETE")

    @property
    def repeatable(self) -> bool:
        """True when an attempt with an unknown outcome may be sent again safely."""
        return self.idempotent or self.natural_key is not None


_TXN_READ = ("tenant-transaction-read", "tenant-admin")
_TXN_WRITE = ("tenant-transaction-write", "tenant-admin")

TOKEN = Operation(
    name="identity.token",
    method="POST",
    path="/v1/identity/hmac",
    scope=Scope.NONE,
    roles=(),
    response={201: None, 200: None},
    summary="Exchange an HMAC-signed request for a bearer access token.",
)

CREATE_ORDER = Operation(
    name="orders.create",
    method="POST",
    path="/v1/order-management",
    scope=Scope.TENANT,
    roles=_TXN_WRITE,
    response={201: None, 202: None},
    natural_key="orderRef",
    summary="Create a payment order, optionally with its instructions (201, or 202 with them).",
)

GET_ORDER = Operation(
    name="orders.get",
    method="GET",
    path="/v1/order-management/{orderRef}",
    scope=Scope.TENANT,
    roles=_TXN_READ,
    response={200: Order},
    confirmed=False,
    summary="Read a payment order with its instructions.",
)

CREATE_INSTRUCTION = Operation(
    name="instructions.create",
    method="POST",
    path="/v1/order-management/{orderRef}/instruction",
    scope=Scope.TENANT,
    roles=_TXN_WRITE,
    response={201: None, 202: None},
    natural_key="instructionRef",
    summary="Add an instruction (a collection or a payout) to an order.",
)

GET_INSTRUCTION = Operation(
    name="instructions.get",
    method="GET",
    path="/v1/order-management/{orderRef}/instruction/{instructionRef}",
    scope=Scope.TENANT,
    roles=_TXN_READ,
    response={200: Instruction},
    summary="Read one instruction with its status, scheme, instrument and transaction.",
)

ALL_OPERATIONS: tuple[Operation, ...] = (
    TOKEN,
    CREATE_ORDER,
    GET_ORDER,
    CREATE_INSTRUCTION,
    GET_INSTRUCTION,
)
