"""The fake's customer vault (``imburse-api.md`` §5.14): customers, wallet, instruments,
their transactions, and the (QA-observed) mobile instrument.

Choices where the notes are silent (each is the minimal plausible behaviour):

* A customer exists once it is referenced by an order of the tenant (instruction or customer
  default), was created by a v2 read, or was seeded with :func:`add_financial_instrument`.
* An unknown customer answers 400 ``CUSTOMER_NOT_FOUND`` in both versions (only 400 is
  documented for these routes); v2 ``GET`` creates the customer instead.
* An unknown instrument or transaction answers like other missing objects: 404 in v1.
* ``_links.financialInstruments[].name`` is left out (its content is not published), and a
  customer read does not carry ``wallet``; the wallet read does.
* ``PUT`` replaces the metadata; it needs ``metadata`` and an existing customer.

Instruments and transactions have no documented create route, so tests seed them with
:func:`add_financial_instrument` and :func:`add_transaction`.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .._app import App, Call, Route, not_found, route
from .._engine import engine_of
from .._errors import HTTPProblem, Problem
from .._jsonout import JSONValue
from .._validate import _Checker, parse_body

if TYPE_CHECKING:
    from .._fake import FakeImburse

__all__ = ["ROUTES", "add_financial_instrument", "add_transaction", "customer_state"]

_DIGITS = re.compile(r"[0-9]+")
_MOBILE_NAMESPACE = uuid.UUID("6f1d8c2a-3b4e-4f5a-9c6d-7e8f9a0b1c2d")


def customer_state(app: App, tenant_id: str, customer_ref: str) -> dict[str, Any] | None:
    """The stored customer, materialised on first use if an order references it."""
    customers = app.store(tenant_id, "customers")
    state = customers.get(customer_ref)
    if state is None and _referenced(app, tenant_id, customer_ref):
        state = customers[customer_ref] = _new_customer()
    return state


def _new_customer() -> dict[str, Any]:
    return {"status": "ACTIVE", "metadata": {}, "instruments": {}, "wallet": {}}


def _referenced(app: App, tenant_id: str, customer_ref: str) -> bool:
    for order in app.tenants.get(tenant_id, {}).values():
        if customer_ref in order.customer_defaults:
            return True
        if any(i.customer_ref == customer_ref for i in order.instructions.values()):
            return True
    return False


def _checked_ref(call: Call) -> str:
    problems: list[Problem] = []
    ref = _Checker(problems).ref(call.params["customer"], "customerRef", "CUSTOMER_REF")
    if ref is None:
        raise HTTPProblem(400, problems)
    return ref


def _customer_or_raise(app: App, call: Call) -> tuple[str, dict[str, Any]]:
    ref = _checked_ref(call)
    state = customer_state(app, call.tenant_id, ref)
    if state is None:
        # Assumed code; "not found" in it makes SDKs map the 400 to NotFoundError.
        raise HTTPProblem.one(400, "CUSTOMER_NOT_FOUND", "Customer not found.")
    return ref, state


def _instrument_href(ref: str, instrument_id: str) -> str:
    return f"/v1/customer-vault/{ref}/financial-instrument/{instrument_id}"


def customer_json(ref: str, state: Mapping[str, Any], *, wallet: bool) -> dict[str, JSONValue]:
    """A customer (or its wallet); links point at v1 paths in both versions (§1.2)."""
    instruments: list[JSONValue] = []
    for instrument_id, instrument in state["instruments"].items():
        item = dict(instrument)
        if wallet:
            item["wallet"] = {"enabled": state["wallet"].get(instrument_id, False)}
        instruments.append(item)
    links: list[JSONValue] = [{"href": _instrument_href(ref, i)} for i in state["instruments"]]
    return {
        "_links": {"self": {"href": f"/v1/customer-vault/{ref}"}, "financialInstruments": links},
        "status": state["status"],
        "metadata": dict(state["metadata"]),
        "financialInstruments": instruments,
    }


def get_customer(app: App, call: Call) -> tuple[int, JSONValue]:
    if call.version == "v2":
        ref = _checked_ref(call)
        customers = app.store(call.tenant_id, "customers")
        state = customer_state(app, call.tenant_id, ref)
        if state is None:  # v2 creates the customer if it does not exist (§5.14)
            state = customers[ref] = _new_customer()
    else:
        ref, state = _customer_or_raise(app, call)
    return 200, customer_json(ref, state, wallet=False)


def update_customer(app: App, call: Call) -> tuple[int, JSONValue]:
    _, state = _customer_or_raise(app, call)
    data = parse_body(call.body)
    problems: list[Problem] = []
    check = _Checker(problems)
    if data.get("metadata") is None:
        check.add("METADATA_IS_REQUIRED", "{propertyName} is required.", "metadata")  # assumed
    metadata = check.metadata(data.get("metadata"))
    if problems:
        raise HTTPProblem(400, problems)
    state["metadata"] = metadata
    return 202, None


def get_wallet(app: App, call: Call) -> tuple[int, JSONValue]:
    ref, state = _customer_or_raise(app, call)
    return 200, customer_json(ref, state, wallet=True)


def _instrument_or_raise(app: App, call: Call) -> tuple[str, dict[str, Any], Mapping[str, Any]]:
    ref, state = _customer_or_raise(app, call)
    instrument = state["instruments"].get(call.params["instrument"])
    if instrument is None:
        raise not_found(
            "FINANCIAL_INSTRUMENT_NOT_FOUND", "Financial instrument not found.", call.version
        )
    return ref, state, instrument


def get_financial_instrument(app: App, call: Call) -> tuple[int, JSONValue]:
    _, _, instrument = _instrument_or_raise(app, call)
    return 200, dict(instrument)


def get_transaction(app: App, call: Call) -> tuple[int, JSONValue]:
    _, _, instrument = _instrument_or_raise(app, call)
    transactions = app.store(call.tenant_id, "instrument_transactions")
    transaction = transactions.get(f"{instrument['id']}/{call.params['transaction']}")
    if transaction is None:
        raise not_found("TRANSACTION_NOT_FOUND", "Transaction not found.", call.version)
    return 200, dict(transaction)


def create_mobile(app: App, call: Call) -> tuple[int, JSONValue]:
    ref, state = _customer_or_raise(app, call)
    data = parse_body(call.body)
    problems: list[Problem] = []
    check = _Checker(problems)
    for prop, name in (("countryCode", "COUNTRY_CODE"), ("phoneNumber", "PHONE_NUMBER")):
        value = data.get(prop)
        if not isinstance(value, str) or not _DIGITS.fullmatch(value):  # assumed codes
            check.add(f"{name}_IS_INVALID", "{propertyName} must be a string of digits.", prop)
    if problems:
        raise HTTPProblem(400, problems)
    number = f"{data['countryCode']}:{data['phoneNumber']}"
    # Same number, same id (observed in Imburse's QA tests); scoped per tenant and customer.
    instrument_id = str(uuid.uuid5(_MOBILE_NAMESPACE, f"{call.tenant_id}:{ref}:{number}"))
    if instrument_id not in state["instruments"]:
        state["instruments"][instrument_id] = {
            "id": instrument_id,
            "type": "MOBILE",  # assumed: the type name of mobile instruments is not published
            "status": "ACTIVE",
            "createdTimestamp": call.now_ms,
        }
    return 201, {"id": instrument_id}


# -- seeding helpers for tests ----------------------------------------------------------------


def add_financial_instrument(
    fake: FakeImburse,
    customer_ref: str,
    instrument: Mapping[str, JSONValue] | None = None,
    *,
    wallet_enabled: bool = False,
    tenant_id: str | None = None,
) -> str:
    """Store an instrument (wire-shaped JSON over defaults) for a customer; return its id.

    The customer is created if needed. Defaults: a new ``id``, ``type``
    ``MANDATE:BACS_DIRECT_DEBIT``, ``status`` ``ACTIVE``, ``createdTimestamp`` now (ms).

    >>> from imburse.testing import FakeImburse
    >>> fake = FakeImburse()
    >>> fi_id = add_financial_instrument(fake, "CUS-1", {"displayName": "Main account"})
    >>> len(fi_id)
    36
    """
    with engine_of(fake).locked() as app:
        tenant = tenant_id or fake.tenant_id
        customers = app.store(tenant, "customers")
        state = customer_state(app, tenant, customer_ref) or customers.setdefault(
            customer_ref, _new_customer()
        )
        item: dict[str, JSONValue] = {
            "id": str(uuid.uuid4()),
            "type": "MANDATE:BACS_DIRECT_DEBIT",
            "status": "ACTIVE",
            "createdTimestamp": app.now_ms(),
            **(instrument or {}),
        }
        instrument_id = str(item["id"])
        state["instruments"][instrument_id] = item
        state["wallet"][instrument_id] = wallet_enabled
        return instrument_id


def add_transaction(
    fake: FakeImburse,
    customer_ref: str,
    financial_instrument_id: str,
    transaction: Mapping[str, JSONValue] | None = None,
    *,
    tenant_id: str | None = None,
) -> str:
    """Store a transaction (wire-shaped JSON over defaults) of a seeded instrument.

    Defaults: a new ``transactionId``, the instrument id, ``status`` ``SUCCESS`` and both
    timestamps now (ms). Returns the transaction id.
    """
    with engine_of(fake).locked() as app:
        tenant = tenant_id or fake.tenant_id
        state = customer_state(app, tenant, customer_ref)
        if state is None or financial_instrument_id not in state["instruments"]:
            raise KeyError(f"no instrument {financial_instrument_id} for {customer_ref}")
        now = app.now_ms()
        item: dict[str, JSONValue] = {
            "transactionId": str(uuid.uuid4()),
            "financialInstrumentId": financial_instrument_id,
            "createdTimestamp": now,
            "lastUpdatedTimestamp": now,
            "status": "SUCCESS",
            **(transaction or {}),
        }
        transaction_id = str(item["transactionId"])
        transactions = app.store(tenant, "instrument_transactions")
        transactions[f"{financial_instrument_id}/{transaction_id}"] = item
        return transaction_id


_CUSTOMER = r"/v1/customer-vault/{customer}"
ROUTES: tuple[Route, ...] = (
    route("GET", r"/v[12]/customer-vault/{customer}", get_customer),
    route("PUT", r"/v[12]/customer-vault/{customer}", update_customer),
    route("GET", _CUSTOMER + "/wallet", get_wallet),
    route("GET", _CUSTOMER + "/financial-instrument/{instrument}", get_financial_instrument),
    route(
        "GET",
        _CUSTOMER + "/financial-instrument/{instrument}/transaction/{transaction}",
        get_transaction,
    ),
    route("POST", _CUSTOMER + "/mobile", create_mobile),
)
