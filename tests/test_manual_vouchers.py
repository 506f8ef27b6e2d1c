"""Manual vouchers (finansbilag), one behaviour at a time (reference §4.10, §5.11, §6.5).

A voucher is a draft until booked; booking numbers it in the ledger's series
and posts its lines. The clock stands at 2026-03-02; the organization has the
accounting years 2025 and 2026.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import httpx

from fake_dinero import World
from fake_dinero.domain import ledger, numbering
from fake_dinero.domain.ledger_item_models import VOUCHER_TYPE as LEDGER_ITEM_TYPE
from fake_dinero.domain.manual_vouchers import ManualVoucherLine, book_manual_voucher, create_manual_voucher
from fake_dinero.domain.vat import Posting

from .manual_voucher_calls import (
    MANUAL,
    balances,
    book,
    booked,
    booking,
    create,
    created,
    deleting,
    entries_of,
    entry_numbers,
    expense,
    get,
    line,
    sale,
    updating,
)
from .support import ORG, dinero_error

UNKNOWN_GUID = "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"
STALE = "0000000000000001"


def d(text: str) -> Decimal:
    return Decimal(text)


# -- drafts ---------------------------------------------------------------------------


def test_a_created_manual_voucher_is_a_draft_that_reads_back_as_created(api: httpx.Client, world: World) -> None:
    voucher = create(
        api, sale(), VoucherDate="2026-02-14", ExternalReference="WebShopID:42", FileGuid="web0crmck5v0ndcx"
    )
    assert voucher["Status"] == "Draft"
    assert voucher["VoucherNumber"] is None
    assert (voucher["VoucherDate"], voucher["ExternalReference"], voucher["FileGuid"]) == (
        "2026-02-14", "WebShopID:42", "web0crmck5v0ndcx"
    )
    assert get(api, voucher["Guid"]) == voucher
    assert entries_of(world, voucher["Guid"]) == []


def test_a_voucher_without_a_date_is_dated_today(api: httpx.Client) -> None:
    assert create(api)["VoucherDate"] == "2026-03-02"


def test_the_read_model_shows_each_lines_amounts_with_and_without_vat(api: httpx.Client) -> None:
    voucher = create(api, sale(100), expense(100))
    amounts = [
        (row["AmountExclVatValue"], row["VatAmountValue"], row["AmountInclVatValue"], row["CurrencyKey"])
        for row in voucher["Lines"]
    ]
    assert amounts == [(100.0, 25.0, 125.0, "DKK"), (80.0, 20.0, 100.0, "DKK")]
    assert (voucher["TotalExclVat"], voucher["TotalInclVat"]) == (180.0, 225.0)


def test_an_unknown_voucher_is_not_found(api: httpx.Client) -> None:
    dinero_error(api.get(f"{MANUAL}/{UNKNOWN_GUID}"), 404, 40)


def test_updating_a_draft_with_its_current_timestamp_replaces_it(api: httpx.Client) -> None:
    voucher = create(api)
    response = updating(api, voucher["Guid"], Lines=[expense(250)], VoucherDate="2026-01-31")
    assert response.status_code == 200, response.text
    updated = response.json()
    assert [(row["AccountNumber"], row["AmountInclVatValue"]) for row in updated["Lines"]] == [(2000, 250.0)]
    assert updated["VoucherDate"] == "2026-01-31"
    assert updated["Timestamp"] != voucher["Timestamp"]
    assert get(api, voucher["Guid"]) == updated


def test_updating_with_a_stale_timestamp_is_refused_with_58(api: httpx.Client) -> None:
    guid = create(api)["Guid"]
    dinero_error(updating(api, guid, Timestamp=STALE, Lines=[expense()]), 400, 58)
    assert get(api, guid)["Lines"][0]["AccountNumber"] == 55000


def test_an_unknown_account_is_refused_with_77_naming_the_line(api: httpx.Client) -> None:
    body = dinero_error(created(api, sale(), line(100, 55000, 1234)), 400, 77)
    assert list(body["validationErrors"]) == ["Lines[1].BalancingAccountNumber"]


def test_an_unknown_account_in_an_update_is_refused_with_77(api: httpx.Client) -> None:
    guid = create(api)["Guid"]
    dinero_error(updating(api, guid, Lines=[line(100, 4321, 55000)]), 400, 77)


def test_an_unknown_vat_code_is_refused_with_42_naming_the_line(api: httpx.Client) -> None:
    body = dinero_error(created(api, line(100, 2000, 55000, AccountVatCode="X99")), 400, 42)
    assert list(body["validationErrors"]) == ["Lines[0].AccountVatCode"]


# -- booking ----------------------------------------------------------------------------


def test_booking_a_sale_adds_the_vat_on_top_of_the_amount(api: httpx.Client, world: World) -> None:
    voucher = booked(api, sale(100))
    assert entries_of(world, voucher["Guid"]) == [(1000, d("-100.00")), (55000, d("125.00")), (64000, d("-25.00"))]


def test_booking_an_expense_takes_the_vat_out_of_the_amount(api: httpx.Client, world: World) -> None:
    voucher = booked(api, expense(100))
    assert entries_of(world, voucher["Guid"]) == [(2000, d("80.00")), (55000, d("-100.00")), (64060, d("20.00"))]


def test_vat_code_none_books_the_amount_without_vat(api: httpx.Client, world: World) -> None:
    voucher = booked(api, line(100, 2000, 55000, AccountVatCode="none"))
    assert entries_of(world, voucher["Guid"]) == [(2000, d("100.00")), (55000, d("-100.00"))]
    assert voucher["Lines"][0]["VatAmountValue"] == 0.0


def test_single_sided_lines_that_balance_are_booked(api: httpx.Client, world: World) -> None:
    voucher = booked(api, line(500, account=55000), line(-300, account=7220), line(200, balancing=55010))
    assert entries_of(world, voucher["Guid"]) == [(7220, d("-300.00")), (55000, d("500.00")), (55010, d("-200.00"))]


def test_a_zero_amount_line_posts_nothing(api: httpx.Client, world: World) -> None:
    voucher = booked(api, expense(100), line(0, 7220, 55000))
    assert 7220 not in {account for account, _ in entries_of(world, voucher["Guid"])}


def test_booking_shows_the_voucher_as_booked_by_the_api_today(api: httpx.Client) -> None:
    voucher = booked(api)
    assert (voucher["Status"], voucher["BookedByType"], voucher["BookedByUsername"], voucher["BookingTime"]) == (
        "Booked", "API", None, "2026-03-02"
    )


def test_booking_assigns_the_next_number_of_the_ledger_series(api: httpx.Client, world: World) -> None:
    first, second = booked(api), booked(api)
    assert (first["VoucherNumber"], second["VoucherNumber"]) == (1, 2)
    assert entry_numbers(world, second["Guid"]) == {2}


def test_booking_with_a_free_number_uses_it(api: httpx.Client) -> None:
    assert book(api, create(api)["Guid"], Number=40)["VoucherNumber"] == 40
    assert booked(api)["VoucherNumber"] == 41


def test_booking_with_a_taken_number_is_refused(api: httpx.Client, world: World) -> None:
    booked(api)
    guid = create(api)["Guid"]
    body = dinero_error(booking(api, guid, Number=1), 400, 42)
    assert "Number" in body["validationErrors"]
    assert get(api, guid)["Status"] == "Draft"
    assert entries_of(world, guid) == []


def test_a_number_a_ledger_item_was_booked_with_is_taken(api: httpx.Client, world: World) -> None:
    organization = world.organizations[ORG]
    postings = [Posting(7220, Decimal("10.00")), Posting(55000, Decimal("-10.00"))]
    ledger.post(organization, ledger.Voucher(world.new_guid(), LEDGER_ITEM_TYPE, date(2026, 3, 1), 3), postings)
    numbering.use_number(organization, numbering.LEDGER_SERIES, 3)
    dinero_error(booking(api, create(api)["Guid"], Number=3), 400, 42)
    assert booked(api)["VoucherNumber"] == 4


def test_booking_with_a_stale_timestamp_is_refused_with_58(api: httpx.Client) -> None:
    guid = create(api)["Guid"]
    dinero_error(booking(api, guid, Timestamp=STALE), 400, 58)


def test_booking_a_voucher_without_lines_is_refused_with_42(api: httpx.Client) -> None:
    response = api.post(MANUAL, json={"VoucherDate": "2026-03-01"})
    assert response.status_code == 200, response.text
    body = dinero_error(booking(api, response.json()["Guid"]), 400, 42)
    assert list(body["validationErrors"]) == ["Lines"]


def test_booking_lines_that_do_not_balance_is_refused_with_42(api: httpx.Client, world: World) -> None:
    guid = create(api, line(500, account=55000), line(-400, account=7220))["Guid"]
    body = dinero_error(booking(api, guid), 400, 42)
    assert list(body["validationErrors"]) == ["Lines"]
    assert entries_of(world, guid) == []


def test_a_line_without_accounts_cannot_be_booked(api: httpx.Client) -> None:
    guid = create(api, sale(), line(100))["Guid"]
    body = dinero_error(booking(api, guid), 400, 42)
    assert list(body["validationErrors"]) == ["Lines[1]"]


def test_booking_outside_every_accounting_year_is_refused_with_47(api: httpx.Client, world: World) -> None:
    guid = create(api, VoucherDate="2020-06-01")["Guid"]
    dinero_error(booking(api, guid), 400, 47)
    assert get(api, guid)["Status"] == "Draft"
    assert booked(api)["VoucherNumber"] == 1  # the refused booking took no number


def test_booking_in_the_year_after_the_last_creates_that_year(api: httpx.Client) -> None:
    book(api, create(api, VoucherDate="2027-05-01")["Guid"])
    years = api.get(f"/v1/{ORG}/accountingyears").json()
    assert "2027" in [year["Name"] for year in years]


def test_a_booked_voucher_cannot_be_updated(api: httpx.Client) -> None:
    guid = booked(api)["Guid"]
    body = dinero_error(updating(api, guid, Lines=[expense()]), 400, 42)
    assert "delete" in body["validationErrors"]["Status"]


def test_a_booked_voucher_cannot_be_booked_again(api: httpx.Client) -> None:
    guid = booked(api)["Guid"]
    dinero_error(booking(api, guid), 400, 42)


# -- deleting -------------------------------------------------------------------------------


def test_deleting_a_draft_removes_it_without_touching_the_books(api: httpx.Client, world: World) -> None:
    guid = create(api)["Guid"]
    response = deleting(api, guid)
    assert (response.status_code, response.content) == (200, b"")
    assert get(api, guid)["Status"] == "Deleted"
    assert entries_of(world, guid) == []


def test_deleting_a_booked_voucher_adds_the_opposite_entries(api: httpx.Client, world: World) -> None:
    accounts = (55000, 1000, 64000)
    before = balances(world, *accounts)
    guid = booked(api, sale(100))["Guid"]
    originals = entries_of(world, guid)
    assert deleting(api, guid).status_code == 200
    assert entries_of(world, guid) == originals
    assert entries_of(world, guid, reversal=True) == sorted((account, -amount) for account, amount in originals)
    assert balances(world, *accounts) == before
    assert get(api, guid)["Status"] == "Deleted"


def test_deleting_twice_is_refused_with_65(api: httpx.Client) -> None:
    guid = booked(api)["Guid"]
    assert deleting(api, guid).status_code == 200
    dinero_error(deleting(api, guid), 400, 65)


def test_a_deleted_voucher_cannot_be_updated_or_booked(api: httpx.Client) -> None:
    guid = create(api)["Guid"]
    assert deleting(api, guid).status_code == 200
    dinero_error(updating(api, guid, Lines=[sale()]), 400, 65)
    dinero_error(booking(api, guid), 400, 65)


def test_deleting_with_a_stale_timestamp_is_refused_with_58(api: httpx.Client) -> None:
    guid = create(api)["Guid"]
    dinero_error(deleting(api, guid, Timestamp=STALE), 400, 58)
    assert get(api, guid)["Status"] == "Draft"


def test_deleting_without_a_timestamp_is_refused(api: httpx.Client) -> None:
    guid = create(api)["Guid"]
    body = dinero_error(api.request("DELETE", f"{MANUAL}/{guid}", json={}), 400, 42)
    assert "Timestamp" in body["validationErrors"]


# -- from Python ---------------------------------------------------------------------------


def test_seeding_creates_and_books_manual_vouchers_without_http(api: httpx.Client, world: World) -> None:
    organization = world.organizations[ORG]
    lines = [ManualVoucherLine(AccountNumber=7220, BalancingAccountNumber=55000, Amount=Decimal("49.50"))]
    row = create_manual_voucher(organization, date(2026, 2, 1), lines, None, "seed-1")
    row = book_manual_voucher(organization, row.key, None, None)
    assert get(api, row.key)["VoucherNumber"] == 1
    assert entries_of(world, row.key) == [(7220, d("49.50")), (55000, d("-49.50"))]
