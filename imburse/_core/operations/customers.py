"""``client.customers``: the customer vault (``imburse-api.md`` §5.14).

The instrument and transaction paths come from ``_links`` in Imburse's answers, so their
method (GET) is inferred; the mobile-instrument path was only seen in Imburse's QA tests.
"""

from __future__ import annotations

from ..models._checks import check_uuid
from ..models.customers import (
    Customer,
    CustomerTransaction,
    CustomerUpdate,
    FinancialInstrument,
    MobileInstrument,
    MobileInstrumentInput,
    RewardClaimTransaction,
)
from ..validation import check_ref
from ._base import Arg, Group, Method, Operation, Scope, Unsupported

__all__ = [
    "CREATE_MOBILE_INSTRUMENT",
    "GET_CUSTOMER",
    "GET_CUSTOMER_V2",
    "GET_FINANCIAL_INSTRUMENT",
    "GET_REWARD_TRANSACTION",
    "GET_TRANSACTION",
    "GET_WALLET",
    "GROUPS",
    "OPERATIONS",
    "UNSUPPORTED",
    "UPDATE_CUSTOMER",
    "UPDATE_CUSTOMER_V2",
]

GROUPS = (
    Group(
        "customers",
        "Customers",
        "Customers in the vault, keyed by your ``customer_ref``, and their instruments.",
        custom=True,
    ),
)

_CUSTOMER_REF = Arg("customer_ref", "str", path="customerRef", check=check_ref)
_INSTRUMENT_ID = Arg(
    "financial_instrument_id", "str", path="financialInstrumentId", check=check_uuid
)
_TRANSACTION_ID = Arg("transaction_id", "str", path="transactionId", check=check_uuid)

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
    python=Method(
        doc="Read a customer with their financial instruments (v1: unknown customers fail).",
        example=(
            'customer = await client.customers.get("CUS-1")\n'
            "[fi.type for fi in customer.financial_instruments]\n"
            "['MANDATE:BACS_DIRECT_DEBIT']"
        ),
        args=(_CUSTOMER_REF,),
    ),
)

GET_CUSTOMER_V2: Operation[Customer] = Operation(
    name="customers.get_v2",
    method="GET",
    path="/v2" + _CUSTOMER,
    scope=Scope.TENANT,
    roles=(*TXN_READ, "tenant-bridge-read"),
    response={200: Customer},
    summary="Read a customer, creating them in the vault if they do not exist (v2).",
    python=Method(
        doc="Read a customer through the v2 API, which creates the customer if missing.",
        example="customer = await client.customers.get_v2(\"CUS-NEW\")\ncustomer.status\n'ACTIVE'",
        args=(_CUSTOMER_REF,),
    ),
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
    python=Method(
        doc="Replace a customer's metadata (Imburse answers 202 Accepted, no body).",
        example='await client.customers.update("CUS-1", metadata={"segment": "gold"})',
        args=(_CUSTOMER_REF, Arg("metadata", "Mapping[str, str]")),
    ),
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
    python=Method(
        doc="Replace a customer's metadata through the v2 API (202 Accepted, no body).",
        example='await client.customers.update_v2("CUS-1", metadata={"segment": "gold"})',
        args=(_CUSTOMER_REF, Arg("metadata", "Mapping[str, str]")),
    ),
)

GET_WALLET: Operation[Customer] = Operation(
    name="customers.get_wallet",
    method="GET",
    path="/v1" + _CUSTOMER + "/wallet",
    scope=Scope.TENANT,
    roles=("tenant-bridge-read", *TXN_READ),
    response={200: Customer},
    summary="Read a customer's wallet: their instruments with `wallet.enabled`.",
    python=Method(
        doc="Read a customer's wallet: their instruments, each with ``wallet.enabled``.",
        example=(
            'wallet = await client.customers.get_wallet("CUS-1")\n'
            "[fi.wallet.enabled for fi in wallet.financial_instruments]\n[True]"
        ),
        args=(_CUSTOMER_REF,),
    ),
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
    python=Method(
        doc=(
            "Read one financial instrument of a customer.\n\n"
            "Experimental: path inferred from ``_links`` in Imburse's answers (method GET assumed)."
        ),
        example=(
            'fi = await client.customers.get_financial_instrument("CUS-1", fi_id)\n'
            "fi.details.mandate_reference\n'MANDATE-0001'"
        ),
        args=(_CUSTOMER_REF, _INSTRUMENT_ID),
    ),
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
    python=Method(
        doc=(
            "Read one transaction of a financial instrument.\n\n"
            "Experimental: path inferred from ``_links`` in Imburse's answers (method GET assumed);\n"
            "the answer's shape is not published and is read like an instruction's transaction."
        ),
        example=(
            'tx = await client.customers.get_transaction("CUS-1", fi_id, tx_id)\n'
            "tx.status\n'SUCCESS'"
        ),
        args=(_CUSTOMER_REF, _INSTRUMENT_ID, _TRANSACTION_ID),
    ),
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
    python=Method(
        doc="Read a reward-claim transaction once (see :meth:`wait_for_reward_claim`).",
        example=(
            'tx = await client.customers.get_reward_transaction("CUS-1", fi_id, tx_id)\n'
            "tx.status\n'SETTLING'"
        ),
        args=(_CUSTOMER_REF, _INSTRUMENT_ID, _TRANSACTION_ID),
    ),
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
    python=Method(
        doc=(
            "Create a mobile-phone financial instrument; the same number gives the same id.\n\n"
            "Experimental: path observed only in Imburse's QA environment (not documented)."
        ),
        example=(
            "fi = await client.customers.create_mobile_instrument(\n"
            '...     "CUS-1", country_code="44", phone_number="07738620344")\n'
            "fi.id\n'3f2c...'"
        ),
        args=(_CUSTOMER_REF, Arg("country_code", "str"), Arg("phone_number", "str")),
    ),
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
