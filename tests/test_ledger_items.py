"""Ledger items (kassekladde), one behaviour at a time (reference §4.11, §5.12, §6.6).

Items wait in the ledger as drafts until sent to booking, which Dinero does in
the background: PendingBooking, then Booked with a number of the ledger's
series and entries posted. The clock stands at 2026-03-02 09:30 UTC; the
organization has the accounting years 2025 and 2026.
"""

from __future__ import annotations

import base64
import re
from datetime import date
from decimal import Decimal

import httpx

from fake_dinero import Clock, World
from fake_dinero.domain import ledger, reports
from fake_dinero.domain.chart import DEBTORS, PURCHASE_VAT, SALES_VAT
from fake_dinero.domain.ledger import Posting, Voucher
from fake_dinero.domain.ledger_item_models import LedgerItemLineModelV2, LedgerItemModelV2
from fake_dinero.domain.ledger_items import (
    add_items,
    book_items,
    draft_postings,
    item_statuses,
)
from fake_dinero.domain.years import year_named

from .ledger_item_calls import (
    ADD,
    LEDGERS,
    STALE_VERSION,
    STATUS,
    UNKNOWN_ID,
    add,
    adding,
    book,
    booking,
    deleting,
    entries_of,
    expense,
    item,
    line,
    read,
    sale,
    status,
    updating,
)
from .sales_calls import booked_invoice
from .support import ORG, dinero_error, get_token

CONTACT = "74ba828f-0b4b-49e1-b5c9-ef9675755556"


def d(text: str) -> Decimal:
    return Decimal(text)


def relogin(api: httpx.Client) -> None:
    """A legacy token lasts an hour of the fake's clock."""
    api.headers["Authorization"] = f"Bearer {get_token(api).json()['access_token']}"


def booked(api: httpx.Client, clock: Clock, world: World, ref: dict) -> dict:
    """Send ``ref`` to booking and let the booking time pass; its status."""
    book(api, ref)
    clock.advance(world.settings.ledger_booking_seconds)
    return status(api, ref)


# -- adding and reading back -----------------------------------------------------------


def test_an_added_item_reads_back_from_the_ledger_as_it_was_sent(api: httpx.Client) -> None:
    ref = add(api, item(sale(1000), VoucherDate="2026-02-14", FileGuid="web0crmck5v0ndcx3313g6zn61tc7wgc"))
    [stored] = read(api, ref)
    assert (stored["Id"], stored["Version"]) == (ref["Id"], ref["Version"])
    assert (stored["VoucherNumber"], stored["VoucherDate"], stored["FileGuid"]) == (
        None, "2026-02-14", "web0crmck5v0ndcx3313g6zn61tc7wgc"
    )
    [stored_line] = stored["Lines"]
    assert stored_line["Id"]
    assert {key: value for key, value in stored_line.items() if key != "Id"} == {
        "Description": "Postering",
        "Amount": 1000.0,
        "AccountNumber": 55000,
        "AccountVatCode": None,
        "BalancingAccountNumber": 1000,
        "BalancingAccountVatCode": "U25",
        "IsPaymentForVoucherId": None,
    }


def test_a_line_without_a_vat_code_reads_back_with_its_accounts_own(api: httpx.Client) -> None:
    ref = add(api, item(line(500, 2000, 55000)))
    [stored] = read(api, ref)
    assert stored["Lines"][0]["AccountVatCode"] == "I25"


def test_an_item_without_a_date_is_dated_today(api: httpx.Client) -> None:
    [stored] = read(api, add(api, item()))
    assert stored["VoucherDate"] == "2026-03-02"


def test_an_item_keeps_the_id_its_client_chose(api: httpx.Client) -> None:
    chosen = "bf453202-d755-4602-aae0-f79819fb7ef0"
    assert add(api, item(Id=chosen))["Id"] == chosen


def test_a_version_is_twelve_characters_of_base64(api: httpx.Client) -> None:
    version = add(api, item())["Version"]
    assert re.fullmatch(r"[A-Za-z0-9+/]{12}", version), version
    assert len(base64.b64decode(version)) == 9


def test_several_items_posted_together_answer_one_id_and_version_each(api: httpx.Client) -> None:
    response = adding(api, item(sale(100)), item(expense(200)))
    assert response.status_code == 200, response.text
    first, second = response.json()
    assert first["Id"] != second["Id"]
    assert [stored["Id"] for stored in read(api, first, second)] == [first["Id"], second["Id"]]


def test_reading_an_empty_list_answers_every_unbooked_item(api: httpx.Client) -> None:
    response = adding(api, item(sale(100)), item(expense(200)))
    ids = [answer["Id"] for answer in response.json()]
    everything = api.post(LEDGERS, json=[])
    assert [stored["Id"] for stored in everything.json()] == ids


def test_a_booked_item_has_left_the_ledger(api: httpx.Client, clock: Clock, world: World) -> None:
    ref = add(api, item())
    booked(api, clock, world, ref)
    assert read(api, ref) == []


def test_reading_an_unknown_item_is_404(api: httpx.Client) -> None:
    dinero_error(api.post(LEDGERS, json=[{"Id": UNKNOWN_ID}]), 404, 40)


def test_a_single_object_instead_of_an_array_is_refused(api: httpx.Client) -> None:
    body = dinero_error(api.post(ADD, json=item()), 400, 42)
    assert "array" in body["validationErrors"]["body"]


def test_items_sharing_a_voucher_number_are_one_item_with_all_their_lines(api: httpx.Client) -> None:
    response = adding(api, item(sale(100), VoucherNumber=7), item(expense(200), VoucherNumber=7))
    first, second = response.json()
    assert first == second
    [stored] = read(api, first)
    assert [stored_line["AccountNumber"] for stored_line in stored["Lines"]] == [55000, 2000]


# -- the rules of a post ------------------------------------------------------------------


def test_the_lines_of_an_item_must_balance(api: httpx.Client) -> None:
    body = dinero_error(adding(api, item(line(100, 2000), line(-90, 55000))), 400, 42)
    assert "balance" in body["validationErrors"]["[0].Lines"]


def test_single_sided_lines_that_balance_each_other_are_accepted(api: httpx.Client) -> None:
    ref = add(api, item(line(100, 1050), line(-100, 55000)))
    assert len(read(api, ref)[0]["Lines"]) == 2


def test_a_line_paying_a_voucher_cannot_name_an_account(api: httpx.Client) -> None:
    paying = line(-1250, 1000, 55000, IsPaymentForVoucherId=UNKNOWN_ID)
    body = dinero_error(adding(api, item(paying)), 400, 42)
    assert "IsPaymentForVoucherId" in body["validationErrors"]["[0].Lines[0].AccountNumber"]


def test_an_account_outside_the_chart_is_refused_with_77(api: httpx.Client) -> None:
    body = dinero_error(adding(api, item(line(100, 1234, 55000))), 400, 77)
    assert "1234" in body["validationErrors"]["[0].Lines[0].AccountNumber"]


def test_a_balancing_account_outside_the_chart_is_refused_with_86(api: httpx.Client) -> None:
    body = dinero_error(adding(api, item(line(100, 2000, 55999))), 400, 86)
    assert "55999" in body["validationErrors"]["[0].Lines[0].BalancingAccountNumber"]


def test_items_sharing_a_voucher_number_must_share_the_date(api: httpx.Client) -> None:
    first, second = item(VoucherNumber=7, VoucherDate="2026-03-01"), item(VoucherNumber=7, VoucherDate="2026-03-02")
    dinero_error(adding(api, first, second), 400, 75)


def test_items_sharing_a_voucher_number_must_share_the_file(api: httpx.Client) -> None:
    response = adding(api, item(VoucherNumber=7, FileGuid="file-one"), item(VoucherNumber=7, FileGuid="file-two"))
    dinero_error(response, 400, 76)


def test_items_sharing_a_voucher_number_must_share_the_id(api: httpx.Client) -> None:
    response = adding(api, item(VoucherNumber=7, Id=UNKNOWN_ID), item(VoucherNumber=7))
    dinero_error(response, 400, 78)


def test_items_sharing_a_voucher_number_must_share_the_version(api: httpx.Client) -> None:
    first = item(VoucherNumber=7, Id=UNKNOWN_ID, Version="AAAAAAAAAAAB")
    second = item(VoucherNumber=7, Id=UNKNOWN_ID, Version="AAAAAAAAAAAC")
    dinero_error(adding(api, first, second), 400, 87)


def test_a_voucher_number_in_the_ledger_belongs_to_its_item(api: httpx.Client, clock: Clock, world: World) -> None:
    add(api, item(VoucherNumber=7))
    clock.advance(world.settings.ledger_post_seconds)
    dinero_error(adding(api, item(VoucherNumber=7)), 400, 78)


def test_a_post_at_the_moment_of_the_previous_one_is_refused_as_busy(api: httpx.Client) -> None:
    add(api, item())
    body = dinero_error(adding(api, item()), 400, 70)
    assert "one request at a time" in body["validationErrors"]["body"]


def test_a_post_after_the_previous_one_was_handled_is_accepted(api: httpx.Client, clock: Clock, world: World) -> None:
    add(api, item())
    clock.advance(world.settings.ledger_post_seconds)
    assert adding(api, item()).status_code == 200


def test_a_refused_post_does_not_hold_up_the_next(api: httpx.Client) -> None:
    dinero_error(adding(api, item(line(100, 1234, 55000))), 400, 77)
    assert adding(api, item()).status_code == 200


def test_the_ledger_holds_at_most_1000_unbooked_items(api: httpx.Client) -> None:
    body = dinero_error(api.post(ADD, json=[item()] * 1001), 400, 66)
    assert "1000" in body["validationErrors"]["body"]


def test_a_full_ledger_takes_no_more_items(api: httpx.Client, world: World) -> None:
    one = LedgerItemModelV2(Lines=[LedgerItemLineModelV2(Amount=100, AccountNumber=2000, BalancingAccountNumber=55000)])
    add_items(world.organizations[ORG], [one] * 1000, api_post=False)
    dinero_error(adding(api, item()), 400, 66)


# -- changing --------------------------------------------------------------------------------


def test_an_item_changes_with_its_id_and_version(api: httpx.Client) -> None:
    ref = add(api, item(sale(100)))
    response = updating(api, {**ref, "VoucherDate": "2026-02-01", "Lines": [expense(300)]})
    assert response.status_code == 200, response.text
    [changed] = response.json()
    assert changed["Id"] == ref["Id"] and changed["Version"] != ref["Version"]
    [stored] = read(api, ref)
    assert (stored["Version"], stored["VoucherDate"]) == (changed["Version"], "2026-02-01")
    assert [(stored_line["AccountNumber"], stored_line["Amount"]) for stored_line in stored["Lines"]] == [(2000, 300.0)]


def test_a_change_leaves_what_it_leaves_out(api: httpx.Client) -> None:
    ref = add(api, item(sale(100), VoucherDate="2026-02-14"))
    updating(api, {**ref, "FileGuid": "web0crmck5v0ndcx"})
    [stored] = read(api, ref)
    assert (stored["VoucherDate"], stored["FileGuid"], stored["Lines"][0]["Amount"]) == (
        "2026-02-14", "web0crmck5v0ndcx", 100.0
    )


def test_a_change_with_a_stale_version_is_refused_with_58(api: httpx.Client) -> None:
    ref = add(api, item())
    dinero_error(updating(api, {**ref, "Version": STALE_VERSION}), 400, 58)


def test_a_change_needs_the_id_and_the_version(api: httpx.Client) -> None:
    ref = add(api, item())
    body = dinero_error(updating(api, {"Id": ref["Id"], "Lines": [sale()]}), 400, 42)
    assert "[0].Version" in body["validationErrors"]


def test_changing_an_unknown_item_is_404(api: httpx.Client) -> None:
    dinero_error(updating(api, {"Id": UNKNOWN_ID, "Version": STALE_VERSION}), 404, 40)


def test_an_item_sent_to_booking_cannot_be_changed(api: httpx.Client) -> None:
    ref = add(api, item())
    book(api, ref)
    current = status(api, ref)
    dinero_error(updating(api, {"Id": ref["Id"], "Version": current["Version"], "Lines": [sale()]}), 400, 42)


# -- booking ---------------------------------------------------------------------------------


def test_an_item_sent_to_booking_is_pending_without_a_number(api: httpx.Client, world: World) -> None:
    ref = add(api, item())
    book(api, ref)
    assert entries_of(world, ref["Id"]) == []
    answer = status(api, ref)
    assert (answer["Status"], answer["VoucherNumber"], answer["Id"]) == ("PendingBooking", None, ref["Id"])


def test_a_pending_item_is_booked_when_the_clock_reaches_its_booking_time(
    api: httpx.Client, clock: Clock, world: World
) -> None:
    ref = add(api, item())
    book(api, ref)
    clock.advance(world.settings.ledger_booking_seconds)
    answer = status(api, ref)
    assert (answer["Status"], answer["VoucherNumber"]) == ("Booked", 1)
    assert entries_of(world, ref["Id"]) != []


def test_the_second_status_poll_finishes_the_booking_on_a_frozen_clock(api: httpx.Client) -> None:
    ref = add(api, item())
    book(api, ref)
    assert status(api, ref)["Status"] == "PendingBooking"
    answer = status(api, ref)
    assert (answer["Status"], answer["VoucherNumber"]) == ("Booked", 1)


def test_reading_the_entries_books_the_items_that_are_due(api: httpx.Client, clock: Clock, world: World) -> None:
    ref = add(api, item())
    book(api, ref)
    clock.advance(world.settings.ledger_booking_seconds)
    assert {row.data.VoucherGuid for row in ledger.entries(world.organizations[ORG])} == {ref["Id"]}


def test_a_sale_line_posts_the_bank_the_sales_account_and_the_vat(
    api: httpx.Client, clock: Clock, world: World
) -> None:
    ref = add(api, item(sale(1000)))
    booked(api, clock, world, ref)
    assert entries_of(world, ref["Id"]) == [
        (55000, d("1250.00"), None),
        (1000, d("-1000.00"), "U25"),
        (SALES_VAT, d("-250.00"), "U25"),
    ]


def test_an_expense_line_posts_the_cost_the_deductible_vat_and_the_bank(
    api: httpx.Client, clock: Clock, world: World
) -> None:
    ref = add(api, item(expense(500)))
    booked(api, clock, world, ref)
    assert entries_of(world, ref["Id"]) == [
        (2000, d("400.00"), "I25"),
        (PURCHASE_VAT, d("100.00"), "I25"),
        (55000, d("-500.00"), None),
    ]


def test_booked_entries_carry_the_items_voucher(api: httpx.Client, clock: Clock, world: World) -> None:
    ref = add(api, item(VoucherDate="2026-02-14", FileGuid="web0crmck5v0ndcx"))
    booked(api, clock, world, ref)
    rows = [row.data for row in ledger.entries(world.organizations[ORG]) if row.data.VoucherGuid == ref["Id"]]
    assert {(row.VoucherType, row.Date, row.VoucherNumber, row.FileGuid) for row in rows} == {
        ("Ledger", date(2026, 2, 14), 1, "web0crmck5v0ndcx")
    }


def test_an_item_with_its_own_voucher_number_is_booked_with_it(api: httpx.Client, clock: Clock, world: World) -> None:
    ref = add(api, item(VoucherNumber=42))
    assert booked(api, clock, world, ref)["VoucherNumber"] == 42


def test_booked_items_take_the_next_numbers_of_the_ledger_series(api: httpx.Client, clock: Clock, world: World) -> None:
    first, second = adding(api, item(sale(100)), item(expense(200))).json()
    book(api, first, second)
    clock.advance(world.settings.ledger_booking_seconds)
    assert [status(api, ref)["VoucherNumber"] for ref in (first, second)] == [1, 2]


def test_a_booking_dated_in_no_accounting_year_puts_the_item_back_to_draft(
    api: httpx.Client, clock: Clock, world: World
) -> None:
    ref = add(api, item(VoucherDate="2020-06-01"))
    answer = booked(api, clock, world, ref)
    assert (answer["Status"], answer["VoucherNumber"]) == ("Draft", None)
    assert entries_of(world, ref["Id"]) == []


def test_booking_with_a_stale_version_is_refused_with_58(api: httpx.Client) -> None:
    ref = add(api, item())
    dinero_error(booking(api, {"Id": ref["Id"], "Version": STALE_VERSION}), 400, 58)


def test_an_item_cannot_be_sent_to_booking_twice(api: httpx.Client) -> None:
    ref = add(api, item())
    book(api, ref)
    dinero_error(booking(api, {"Id": ref["Id"]}), 400, 42)


def test_the_status_of_an_unknown_item_is_404(api: httpx.Client) -> None:
    dinero_error(api.post(STATUS, json=[{"Id": UNKNOWN_ID}]), 404, 40)


def test_a_payment_line_books_on_the_paid_vouchers_debtor(api: httpx.Client, clock: Clock, world: World) -> None:
    invoice = "0f8fad5b-d9cb-469f-a165-70867728950e"
    ledger.post(
        world.organizations[ORG],
        Voucher(invoice, "Invoice", date(2026, 2, 1), 1),
        [Posting(DEBTORS, d("1250"), contact_guid=CONTACT), Posting(1000, d("-1000")), Posting(SALES_VAT, d("-250"))],
    )
    ref = add(api, item(line(-1250, balancing=55000, IsPaymentForVoucherId=invoice)))
    booked(api, clock, world, ref)
    rows = [row.data for row in ledger.entries(world.organizations[ORG]) if row.data.VoucherGuid == ref["Id"]]
    assert [(row.AccountNumber, row.Amount, row.ContactGuid) for row in rows] == [
        (DEBTORS, d("-1250.00"), CONTACT),
        (55000, d("1250.00"), CONTACT),
    ]


def test_a_payment_line_for_an_invoice_pays_the_invoice(api: httpx.Client, clock: Clock, world: World) -> None:
    invoice = booked_invoice(api)
    ref = add(api, item(line(-1250, balancing=55000, IsPaymentForVoucherId=invoice, Description="Indbetaling")))
    booked(api, clock, world, ref)
    relogin(api)
    assert api.get(f"/v1/{ORG}/invoices/{invoice}").json()["PaymentStatus"] == "Paid"
    [payment] = api.get(f"/v2/{ORG}/invoices/{invoice}/payments").json()["Payments"]
    paid = (payment["Amount"], payment["DepositAccountNumber"], payment["RelatedVoucherId"])
    assert paid == (1250.0, 55000, ref["Id"])


def test_a_payment_booked_by_a_ledger_item_is_undone_in_the_ledger_not_on_the_invoice(
    api: httpx.Client, clock: Clock, world: World
) -> None:
    invoice = booked_invoice(api)
    booked(api, clock, world, add(api, item(line(-500, balancing=55000, IsPaymentForVoucherId=invoice))))
    relogin(api)
    [payment] = api.get(f"/v2/{ORG}/invoices/{invoice}/payments").json()["Payments"]
    stamp = api.get(f"/v1/{ORG}/invoices/{invoice}").json()["TimeStamp"]
    response = api.request(
        "DELETE", f"/v1/{ORG}/invoices/{invoice}/payments/{payment['Guid']}", json={"Timestamp": stamp}
    )
    dinero_error(response, 400, 42)


# -- deleting --------------------------------------------------------------------------------


def test_a_deleted_item_is_gone_from_the_ledger(api: httpx.Client) -> None:
    ref = add(api, item())
    response = deleting(api, ref)
    assert (response.status_code, response.content) == (200, b"")
    assert api.post(LEDGERS, json=[]).json() == []
    dinero_error(api.post(LEDGERS, json=[{"Id": ref["Id"]}]), 404, 40)


def test_a_delete_with_a_stale_version_is_refused_with_58(api: httpx.Client) -> None:
    ref = add(api, item())
    dinero_error(deleting(api, {"Id": ref["Id"], "Version": STALE_VERSION}), 400, 58)


def test_a_booked_item_cannot_be_deleted_here(api: httpx.Client, clock: Clock, world: World) -> None:
    ref = add(api, item())
    current = booked(api, clock, world, ref)
    dinero_error(deleting(api, current), 400, 42)


# -- from Python, and in the reports -----------------------------------------------------------


def test_seeding_adds_and_books_items_from_python(world: World, clock: Clock) -> None:
    organization = world.organizations[ORG]
    one = LedgerItemModelV2(Lines=[LedgerItemLineModelV2(Amount=500, AccountNumber=2000, BalancingAccountNumber=55000)])
    [row] = add_items(organization, [one], api_post=False)
    [again] = add_items(organization, [one], api_post=False)
    book_items(organization, [(row.key, None), (again.key, None)])
    clock.advance(world.settings.ledger_booking_seconds)
    assert [status.data.Status for status in item_statuses(organization, [row.key, again.key])] == ["Booked", "Booked"]


def test_unbooked_items_give_reports_their_postings(api: httpx.Client, world: World) -> None:
    add(api, item(expense(500), VoucherDate="2026-02-14"))
    organization = world.organizations[ORG]
    postings = list(draft_postings(organization, year_named(organization, "2026")))
    assert [(day, posting.account, posting.amount) for day, posting in postings] == [
        (date(2026, 2, 14), 2000, d("400.00")),
        (date(2026, 2, 14), PURCHASE_VAT, d("100.00")),
        (date(2026, 2, 14), 55000, d("-500.00")),
    ]
    assert list(draft_postings(organization, year_named(organization, "2025"))) == []
    assert draft_postings in reports.DRAFT_POSTINGS
