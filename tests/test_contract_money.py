"""``fake-dinero contract --allow-writes`` walks the money path: an invoice drafted, updated, booked,
paid and credited, a manual and a purchase voucher booked, the day's entries read; each step held
to Dinero's document and to the behaviour a client relies on.

The command-line tests run against a live fake (and one that renames a property); the rest run
the suite in-process on a fake clock, some through a transport that makes the fake answer as a
Dinero that behaves differently would.
"""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from fake_dinero import FakeDinero
from fake_dinero.asgi import create_app
from fake_dinero.contracts.suite import DEFAULT_RATE, main
from fake_dinero.contracts.suite_money import STEPS
from fake_dinero.domain import ledger
from fake_dinero.domain.documents import SALES, payment_status
from fake_dinero.domain.manual_vouchers import MANUAL_VOUCHERS
from fake_dinero.domain.purchases import PURCHASE_VOUCHERS
from fake_dinero.live import LiveServer
from fake_dinero.resources.contacts import CONTACTS

from .contract_calls import (
    CREDENTIALS,
    FakeTime,
    Rewriting,
    answering,
    demo_fake,
    is_tagged,
    junit_cases,
    renaming,
    serving,
    suite,
)
from .support import ORG

INVOICE_STORY = ["read booked invoice", "pay invoice", "read paid invoice", "create credit note",
                 "read credit note draft", "book credit note", "refund credit note"]


@pytest.fixture
def fake() -> FakeDinero:
    return demo_fake()


@pytest.fixture
def timer() -> FakeTime:
    return FakeTime()


def tagged(fake: FakeDinero, collection: Any) -> list[Any]:
    return [row for row in fake.world.organizations[ORG].table(collection) if is_tagged(row.data)]


def journal(fake: FakeDinero, method: str, ending: str) -> list[Any]:
    """The fake's journal entries of one operation on a sales document, in order."""
    return [entry for entry in fake.journal if entry.method == method and entry.path.endswith(ending)
            and "/invoices" in entry.path]


# -- the acceptance: a live fake, and one that renames a property ------------------


def test_with_allow_writes_it_walks_an_invoice_from_draft_to_booked_paid_and_credited(
    fake: FakeDinero, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junit = tmp_path / "out.xml"
    with LiveServer(fake) as server:
        status = main(["--base-url", server.base_url, *CREDENTIALS, "--org", str(ORG), "--allow-writes",
                       "--junit", str(junit)])
    assert status == 0, capsys.readouterr().out
    cases = junit_cases(junit)
    assert [case["name"] for case in cases if case["classname"] == "contract.money"] == list(STEPS)
    assert {case["outcome"] for case in cases} == {"passed"}
    organization = fake.world.organizations[ORG]
    [invoice] = [row for row in tagged(fake, SALES) if row.data.Kind == "Invoice"]
    assert (invoice.data.Status, invoice.data.Number, payment_status(organization, invoice.data)) == (
        "Booked", 1, "Paid")
    assert [payment.Amount for payment in invoice.data.Payments] == [Decimal("250.00")]
    [credit_note] = [row for row in tagged(fake, SALES) if row.data.Kind == "CreditNote"]
    assert (credit_note.data.CreditNoteFor, credit_note.data.Status) == (invoice.key, "Booked")


def test_a_server_that_renames_total_incl_vat_fails_naming_the_property_in_the_report_and_the_junit(
    fake: FakeDinero, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junit, report = tmp_path / "out.xml", tmp_path / "report.json"
    with serving(renaming(create_app(fake), "TotalInclVat", "TotalInclVAT")) as base_url:
        status = main(["--base-url", base_url, *CREDENTIALS, "--org", str(ORG), "--allow-writes",
                       "--junit", str(junit), "--report", str(report)])
    assert status == 1
    failure = next(case for case in junit_cases(junit) if case["name"] == "read invoice draft")
    assert failure["outcome"] == "failure"
    assert failure["message"] == ("GET /v1/{organizationId}/invoices/{guid}: $.TotalInclVat: missing, "
                                  "but Dinero's schema requires it")
    assert "$.TotalInclVAT: not in Dinero's schema; value: 125.0" in failure["text"]
    checks = json.loads(report.read_text(encoding="utf-8"))["checks"]
    draft = next(check for check in checks if check["name"] == "read invoice draft")
    assert draft["passed"] is False
    assert "$.TotalInclVat: missing, but Dinero's schema requires it" in draft["problems"]
    assert "FAIL  GET    /v1/{organizationId}/invoices/{guid}" in capsys.readouterr().out


# -- behaviour: what each step reads from the one before -------------------------------


def test_each_change_sends_the_timestamp_the_answer_before_it_gave(fake: FakeDinero, timer: FakeTime) -> None:
    assert suite(fake, timer, allow_writes=True).run()
    [created] = journal(fake, "POST", "/invoices")
    reads = journal(fake, "GET", "")
    [update] = [entry for entry in fake.journal if entry.method == "PUT" and "/invoices/" in entry.path]
    [booking] = journal(fake, "POST", "/book")
    [payment] = journal(fake, "POST", "/payments")
    assert reads[0].response_body["TimeStamp"] == created.response_body["TimeStamp"]
    assert update.request_body["Timestamp"] == reads[0].response_body["TimeStamp"]
    assert booking.request_body["Timestamp"] == update.response_body["TimeStamp"]
    assert payment.request_body["Timestamp"] == booking.response_body["TimeStamp"]
    assert payment.request_body["Amount"] == booking.response_body["TotalInclVat"] == 250.0


def test_the_credit_note_credits_the_invoice_by_its_guid(fake: FakeDinero, timer: FakeTime) -> None:
    assert suite(fake, timer, allow_writes=True).run()
    [invoice] = journal(fake, "POST", "/invoices")
    [credit_note] = [entry for entry in fake.journal if entry.method == "POST" and entry.path.endswith("/creditnotes")]
    assert credit_note.request_body["CreditNoteFor"] == invoice.response_body["Guid"]


def test_an_invoice_that_is_not_paid_after_its_payment_fails_naming_payment_status(
    fake: FakeDinero, timer: FakeTime
) -> None:
    def still_booked(request: httpx.Request, response: httpx.Response) -> httpx.Response:
        body = response.json() if response.content else None
        if isinstance(body, dict) and body.get("PaymentStatus") == "Paid" and "/invoices/" in request.url.path:
            return answering(response, {**body, "PaymentStatus": "Booked"})
        return response

    checks = suite(fake, timer, Rewriting(fake, still_booked), allow_writes=True)
    assert not checks.run()
    [failed] = [r for r in checks.results if not r.passed]
    assert failed.check.name == "read paid invoice"
    assert failed.problems == ['$.PaymentStatus: expected "Paid" after a payment of the whole TotalInclVat; '
                               'value: "Booked"']


def test_an_update_that_answers_the_old_timestamp_fails_and_the_invoice_goes_no_further(
    fake: FakeDinero, timer: FakeTime
) -> None:
    def stale(request: httpx.Request, response: httpx.Response) -> httpx.Response:
        if request.method == "PUT" and "/invoices/" in request.url.path:
            return answering(response, {**response.json(), "TimeStamp": json.loads(request.content)["Timestamp"]})
        return response

    checks = suite(fake, timer, Rewriting(fake, stale), allow_writes=True)
    assert not checks.run()
    [failed] = [r for r in checks.results if not r.passed]
    assert failed.check.name == "update invoice"
    assert failed.problems == [f"$.TimeStamp: expected a new TimeStamp after the update (the old one is stale now); "
                               f"value: {json.dumps(failed.body['TimeStamp'])}"]
    assert next(r.skipped for r in checks.results if r.check.name == "book invoice") == (
        "not reached: update invoice failed")
    assert checks.leftovers == []  # the draft was deleted by its current TimeStamp


def test_entries_that_miss_a_booked_voucher_fail_naming_its_guid(fake: FakeDinero, timer: FakeTime) -> None:
    def without_manual(request: httpx.Request, response: httpx.Response) -> httpx.Response:
        if request.url.path.endswith("/entries"):
            return answering(response, [entry for entry in response.json() if entry["VoucherType"] != "Manual"])
        return response

    checks = suite(fake, timer, Rewriting(fake, without_manual), allow_writes=True)
    assert not checks.run()
    [failed] = [r for r in checks.results if not r.passed]
    [voucher] = tagged(fake, MANUAL_VOUCHERS)
    assert failed.check.name == "entries of the day"
    assert failed.problems == [f"$[?(@.VoucherGuid=='{voucher.key}')]: expected the entries of manual voucher 1, "
                               "booked on this day; value: none"]


# -- what is cleaned up, and what stays -----------------------------------------------


def test_a_failed_booking_deletes_the_draft_and_reports_the_rest_of_the_invoice_as_not_reached(
    fake: FakeDinero, timer: FakeTime
) -> None:
    fake.faults.error("/v1/*/invoices/*/book", status=500, method="POST")
    checks = suite(fake, timer, allow_writes=True)
    assert not checks.run()
    assert [r.check.name for r in checks.results if not r.passed] == ["book invoice"]
    skipped = {r.check.name: r.skipped for r in checks.results if r.skipped}
    assert skipped == dict.fromkeys(INVOICE_STORY, "not reached: book invoice failed")
    [invoice] = [row for row in tagged(fake, SALES)]
    assert invoice.deleted
    assert {"read invoice draft to delete it", "delete invoice draft"} <= {r.check.name for r in checks.results
                                                                          if r.passed}
    assert {r.check.name for r in checks.results if r.passed} >= {"book manual voucher", "book purchase voucher"}
    assert checks.leftovers == []


def test_a_passing_run_leaves_the_books_as_they_were(fake: FakeDinero, timer: FakeTime) -> None:
    assert suite(fake, timer, allow_writes=True).run()
    totals: dict[int, Decimal] = defaultdict(Decimal)
    entries = list(ledger.entries(fake.world.organizations[ORG]))
    for row in entries:
        totals[row.data.AccountNumber] += row.data.Amount
    assert len(entries) > 20
    assert set(totals.values()) == {Decimal(0)}


def test_what_stays_behind_is_listed_as_kept_with_the_tag(fake: FakeDinero, timer: FakeTime) -> None:
    checks = suite(fake, timer, allow_writes=True, run_id="r1")
    assert checks.run()
    [invoice, credit_note] = [row.key for row in tagged(fake, SALES)]
    [manual] = [row.key for row in tagged(fake, MANUAL_VOUCHERS)]
    [purchase] = [row.key for row in tagged(fake, PURCHASE_VOUCHERS)]
    never = "Dinero never deletes a booked voucher"
    assert checks.kept == [
        f"invoice 1 ({invoice}), booked and paid: {never}",
        f"credit note 2 ({credit_note}), booked and refunded: {never}",
        f"manual voucher 1 ({manual}), booked and deleted, so offset: {never}",
        f"purchase voucher 1 ({purchase}), booked and deleted, so offset: {never}",
    ]
    assert f"KEPT (fake-dinero-contract:r1): invoice 1 ({invoice}), booked and paid" in checks.report()
    assert checks.to_json()["kept"] == checks.kept
    assert all(row.deleted for row in tagged(fake, CONTACTS))


def test_a_customer_dinero_refuses_to_delete_is_kept_not_a_failure(fake: FakeDinero, timer: FakeTime) -> None:
    def refuse_after_booking(request: httpx.Request, response: httpx.Response) -> httpx.Response:
        booked = any(entry.path.endswith("/book") for entry in fake.journal)
        if booked and request.method == "DELETE" and "/contacts/" in request.url.path:
            return answering(response, {"code": 42, "message": "The contact is used on booked vouchers"}, 400)
        return response

    checks = suite(fake, timer, Rewriting(fake, refuse_after_booking), allow_writes=True)
    assert checks.run(), checks.report()
    assert checks.kept[-1].endswith("Dinero refused to delete it (The contact is used on booked vouchers)")
    assert checks.leftovers == []


# -- throttled under Dinero's limit ---------------------------------------------------


def test_the_whole_suite_with_writes_fits_in_one_minute_of_dineros_limit(fake: FakeDinero, timer: FakeTime) -> None:
    sent: list[httpx.Request] = []
    inner = Rewriting(fake, lambda request, response: response)

    class Counting(httpx.BaseTransport):
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            sent.append(request)
            return inner.handle_request(request)

    assert suite(fake, timer, Counting(), allow_writes=True).run()
    assert len(sent) < DEFAULT_RATE
    assert timer.slept == []
