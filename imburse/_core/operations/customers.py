"""Customer vault operations (``imburse-api.md`` §5.14).

The instrument and transaction paths come from ``_links`` in Imburse's answers, so their
method (GET) is inferred; the mobile-instrument path was only seen in Imburse's QA tests.
"""

from __future__ import annotations

from ..models.customers import (
    Customer,
    CustomerTransaction,
    CustomerUpdate,
    FinancialInstrument,
    MobileInstrument,
    MobileInstrumentInput,
    RewardClaimTransaction,
)
from ._base import Operation, Scope, Unsupported

__all__ = [
    "CREATE_MOBILE_INSTRUMENT",
    "GET_CUSTOMER",
    "GET_CUSTOMER_V2",
    "GET_FINANCIAL_INSTRUMENT",
    "GET_REWARD_TRANSACTION",
    "GET_TRANSACTION",
    "GET_WALLET",
    "OPERATIONS",
    "UNSUPPORTED",
    "UPDATE_CUSTOMER",
    "UPDATE_CUSTOMER_V2",
]

TXN_READ = ("tenant-transaction-read", "tenant-admin")
TXN_WRITE = ("tenant-transaction-write", "tenant-admin")
_CUSTOMER = "/customer-vault/{customerRef}"
_INSTRUMENT = "/v1/customer-vault/{customerRef}/financial-instrument/{financialInstrumentId}"

GET_CUSTOMER: Operation[Customer] = Operation(
    name="customers.get",
    method="GET",
    path="/v1" + _CUSTOMER,
    scope=Scope.TENANT,
    roles=TXN_READ,
    response={200: Customer},
    summary="Read a customer with their financial instruments.",
)

GET_CUSTOMER_V2: Operation[Customer] = Operation(
    name="customers.get_v2",
    method="GET",
    path="/v2" + _CUSTOMER,
    scope=Scope.TENANT,
    roles=(*TXN_READ, "tenant-bridge-read"),
    response={200: Customer},
    summary="Read a customer, creating them in the vault if they do not exist (v2).",
)

UPDATE_CUSTOMER: Operation[None] = Operation(
    name="customers.update",
    method="PUT",
    path="/v1" + _CUSTOMER,
    scope=Scope.TENANT,
    roles=TXN_WRITE,
    response={202: None},
    body=CustomerUpdate,
    summary="Replace a customer's metadata (202 Accepted).",
)

UPDATE_CUSTOMER_V2: Operation[None] = Operation(
    name="customers.update_v2",
    method="PUT",
    path="/v2" + _CUSTOMER,
    scope=Scope.TENANT,
    roles=TXN_WRITE,
    response={202: None},
    body=CustomerUpdate,
    summary="Replace a customer's metadata through the v2 API (202 Accepted).",
)

GET_WALLET: Operation[Customer] = Operation(
    name="customers.get_wallet",
    method="GET",
    path="/v1" + _CUSTOMER + "/wallet",
    scope=Scope.TENANT,
    roles=("tenant-bridge-read", *TXN_READ),
    response={200: Customer},
    summary="Read a customer's wallet: their instruments with `wallet.enabled`.",
)

GET_FINANCIAL_INSTRUMENT: Operation[FinancialInstrument] = Operation(
    name="customers.get_financial_instrument",
    method="GET",
    path=_INSTRUMENT,
    scope=Scope.TENANT,
    roles=TXN_READ,
    response={200: FinancialInstrument},
    confirmed=False,
    summary="Read one financial instrument of a customer (path from `_links`, GET inferred).",
)

GET_TRANSACTION: Operation[CustomerTransaction] = Operation(
    name="customers.get_transaction",
    method="GET",
    path=_INSTRUMENT + "/transaction/{transactionId}",
    scope=Scope.TENANT,
    roles=TXN_READ,
    response={200: CustomerTransaction},
    confirmed=False,
    summary="Read one transaction of a financial instrument (path from `_links`, GET inferred).",
)

GET_REWARD_TRANSACTION: Operation[RewardClaimTransaction] = Operation(
    name="customers.get_reward_transaction",
    method="GET",
    path="/v1/customer-vault/{customerRef}/reward/{financialInstrumentId}"
    "/transaction/{transactionId}",
    scope=Scope.TENANT,
    roles=TXN_READ,
    response={200: RewardClaimTransaction},
    summary="Read a reward-claim transaction (the `location` of a claim): SETTLING until done.",
)

CREATE_MOBILE_INSTRUMENT: Operation[MobileInstrument] = Operation(
    name="customers.create_mobile_instrument",
    method="POST",
    path="/v1" + _CUSTOMER + "/mobile",
    scope=Scope.TENANT,
    roles=TXN_WRITE,
    response={201: MobileInstrument},
    body=MobileInstrumentInput,
    # Not marked repeatable: "same number, same id" was seen in QA only, so an attempt with
    # an unknown outcome is not sent again.
    confirmed=False,
    summary="Create a mobile-phone financial instrument (observed in Imburse's QA only).",
)

OPERATIONS: tuple[Operation[object], ...] = (
    GET_CUSTOMER,
    GET_CUSTOMER_V2,
    UPDATE_CUSTOMER,
    UPDATE_CUSTOMER_V2,
    GET_WALLET,
    GET_FINANCIAL_INSTRUMENT,
    GET_TRANSACTION,
    GET_REWARD_TRANSACTION,
    CREATE_MOBILE_INSTRUMENT,
)

UNSUPPORTED: tuple[Unsupported, ...] = (
    Unsupported(
        "customers",
        "Forget a customer (irreversibly erase personal data; tenant-admin only)",
        "path not published ([GAP]; perhaps DELETE /v1/customer-vault/{customerRef}); "
        "reach it with client.request()",
    ),
    Unsupported(
        "customers",
        "Add a financial instrument to the customer's wallet (202)",
        "path not published ([GAP]); reach it with client.request()",
    ),
)
