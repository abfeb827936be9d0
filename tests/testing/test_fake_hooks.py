"""The fake's supported hooks: ``on_request`` (with ``SeenRequest.applied``) and
``record_requests``. They replace overriding its private ``_apply`` / ``_record`` methods,
which the fault-run ledger and the memory soak did before (issue 17: no private access)."""

from __future__ import annotations

from imburse.testing import FakeImburse, SeenRequest

ORDERS = "/v1/order-management"


def test_on_request_sees_a_create_applied_behind_a_dropped_answer() -> None:
    seen: list[SeenRequest] = []
    with FakeImburse(on_request=seen.append) as fake:
        fake.inject("drop_after", method="POST", path=f"^{ORDERS}$")
        with fake.imburse() as client:
            receipt = client.orders.create("HOOK-1")
    assert receipt.reconciled  # the answer was lost, the retry found the order
    creates = [s for s in seen if s.method == "POST" and s.path == ORDERS]
    first, retry = creates
    # On the wire nothing came back; the fake had stored the order all the same.
    assert (first.status, first.applied, first.fault) == (None, 201, "drop_after")
    assert retry.applied == retry.status
    assert retry.status is not None
    assert retry.status >= 400
    assert seen == fake.requests  # the same records, in the same order


def test_a_fault_answered_without_applying_has_no_applied_status() -> None:
    seen: list[SeenRequest] = []
    fake = FakeImburse(on_request=seen.append)
    fake.inject("status", status=503, method="POST", path=f"^{ORDERS}$")
    response = fake.handle("POST", ORDERS, {}, b"{}")
    assert response.status == 503
    assert (seen[-1].status, seen[-1].applied) == (503, None)


def test_record_requests_false_keeps_no_log_but_still_calls_the_hook() -> None:
    seen: list[SeenRequest] = []
    fake = FakeImburse(record_requests=False, on_request=seen.append)
    with fake.client() as http:
        for _ in range(3):
            http.get(f"{ORDERS}/NOPE")
    assert fake.requests == []
    assert [s.status for s in seen] == [401, 401, 401]
