"""Purchase vouchers (købsbilag): drafts, booking, the books they make, and Dinero's refusals."""

from __future__ import annotations

import httpx

from fake_dinero import Clock

from .books_calls import entries
from .purchase_calls import (
    BANK,
    CREATE_V11,
    GOODS,
    PURCHASES,
    book,
    booking,
    cash,
    cost,
    created,
    credit,
    get,
    supplier,
    voucher_amounts,
)
from .sales_calls import move_clock
from .support import ORG, dinero_error

CREDITORS = 63000
PURCHASE_VAT = 64060
GOODS_ABROAD_VAT = 64020


# -- drafts ----------------------------------------------------------------------------


def test_a_new_purchase_is_a_draft_without_number_or_entries(api: httpx.Client) -> None:
    voucher = cash(api)
    assert voucher["Status"] == "Draft"
    assert voucher["VoucherNumber"] is None
    assert voucher["Timestamp"]
    assert voucher_amounts(entries(api, "2026-01-01", "2026-12-31"), voucher["Guid"]) == {}


def test_a_line_amount_includes_the_vat_of_its_account(api: httpx.Client) -> None:
    line = cash(api, cost(1250))["Lines"][0]
    assert (line["VatCode"], line["AmountExclVatValue"], line["VatAmountValue"], line["AmountInclVatValue"]) == (
        "I25", 1000.0, 250.0, 1250.0,
    )


def test_the_totals_show_subtotal_vat_and_total_in_the_vouchers_currency(api: httpx.Client) -> None:
    totals = credit(api, cost(1250), CurrencyKey="EUR")["VoucherTotals"]
    assert [(total["Type"], total["Label"], total["Total"]) for total in totals] == [
        ("SubTotal", "Subtotal", 1000.0), ("Vat", "Moms", 250.0), ("Total", "Total EUR", 1250.0),
    ]


def test_vat_code_none_books_a_line_without_vat(api: httpx.Client) -> None:
    line = cash(api, cost(500, VatCode="none"))["Lines"][0]
    assert (line["AmountExclVatValue"], line["VatAmountValue"]) == (500.0, 0.0)


def test_an_empty_vat_code_is_refused(api: httpx.Client) -> None:
    body = dinero_error(created(api, cost(VatCode=""), PurchaseType="cash"), 400, 42)
    assert "Lines[0].VatCode" in body["validationErrors"]


def test_an_account_outside_the_chart_is_refused_with_77(api: httpx.Client) -> None:
    dinero_error(created(api, cost(account=2001), PurchaseType="cash"), 400, 77)


def test_a_purchase_type_other_than_cash_or_credit_is_refused(api: httpx.Client) -> None:
    body = dinero_error(created(api, PurchaseType="leasing"), 400, 42)
    assert "PurchaseType" in body["validationErrors"]


def test_purchase_type_is_required(api: httpx.Client) -> None:
    dinero_error(created(api), 400, 42)


def test_a_cash_purchase_with_a_payment_date_is_refused(api: httpx.Client) -> None:
    body = dinero_error(created(api, PurchaseType="cash", PaymentDate="2026-03-10"), 400, 42)
    assert body["validationErrors"]["PaymentDate"] == "PaymentDate should not be set on cash purchases."


def test_a_cash_purchase_in_another_currency_is_refused(api: httpx.Client) -> None:
    body = dinero_error(created(api, PurchaseType="cash", CurrencyKey="EUR"), 400, 42)
    assert "CurrencyKey" in body["validationErrors"]


def test_a_cash_purchase_shows_its_voucher_date_as_payment_date_and_dkk(api: httpx.Client) -> None:
    voucher = cash(api, VoucherDate="2026-02-20")
    assert (voucher["PaymentDate"], voucher["CurrencyKey"]) == ("2026-02-20", "DKK")


def test_property_names_bind_case_insensitively(api: httpx.Client) -> None:
    response = api.post(
        f"/v1.2/{ORG}/vouchers/purchase",
        json={"purchaseType": "Cash", "depositAccountNumber": BANK, "lines": [{"amount": 100, "accountNumber": GOODS}]},
    )
    assert response.status_code == 200, response.text
    assert response.json()["PurchaseType"] == "cash"


def test_only_the_v12_create_keeps_account_tag_names(api: httpx.Client) -> None:
    tagged = cost(AccountTagName="Blomster")
    assert cash(api, tagged)["Lines"][0]["AccountTagName"] == "Blomster"
    response = created(api, tagged, path=CREATE_V11, PurchaseType="cash")
    assert response.json()["Lines"][0]["AccountTagName"] is None


def test_an_unknown_purchase_is_404_40(api: httpx.Client) -> None:
    dinero_error(api.get(f"{PURCHASES}/8c1f3cde-5a9e-4d2a-9b1e-2f6a1d3c4b5e"), 404, 40)


# -- booking ----------------------------------------------------------------------------


def test_booking_a_cash_purchase_numbers_it_and_shows_it_paid(api: httpx.Client) -> None:
    booked = book(api, cash(api))
    assert (booked["Status"], booked["VoucherNumber"], booked["BookedByType"]) == ("Paid", 1, "API")
    assert booked["BookingTime"] == "2026-03-02"


def test_a_cash_purchase_books_its_cost_and_vat_against_the_deposit_account(api: httpx.Client) -> None:
    voucher = book(api, cash(api, cost(1250)))
    assert voucher_amounts(entries(api, "2026-03-01", "2026-03-31"), voucher["Guid"]) == {
        GOODS: 1000.0, PURCHASE_VAT: 250.0, BANK: -1250.0,
    }


def test_purchase_entries_carry_voucher_type_purchases_and_the_file(api: httpx.Client) -> None:
    voucher = book(api, cash(api, FileGuid="web0crmck5v0ndcx3313g6zn61tc7wgc"))
    booked = [entry for entry in entries(api, "2026-03-01", "2026-03-31") if entry["VoucherGuid"] == voucher["Guid"]]
    assert {(entry["VoucherType"], entry["FileGuid"], entry["VoucherNumber"]) for entry in booked} == {
        ("Purchases", "web0crmck5v0ndcx3313g6zn61tc7wgc", 1),
    }


def test_a_credit_purchase_is_owed_to_its_supplier_on_creditors(api: httpx.Client) -> None:
    contact = supplier(api)
    voucher = book(api, credit(api, cost(1250), contact=contact))
    assert voucher["Status"] == "Booked"
    booked = [entry for entry in entries(api, "2026-03-01", "2026-03-31") if entry["VoucherGuid"] == voucher["Guid"]]
    owed = [entry for entry in booked if entry["AccountNumber"] == CREDITORS]
    assert [(entry["Amount"], entry["ContactGuid"]) for entry in owed] == [(-1250.0, contact)]


def test_a_booked_credit_purchase_makes_its_contact_a_creditor(api: httpx.Client) -> None:
    contact = supplier(api)
    book(api, credit(api, contact=contact))
    assert api.get(f"/v1/{ORG}/contacts/{contact}").json()["IsCreditor"] is True


def test_a_credit_purchase_turns_overdue_the_day_after_its_payment_date(api: httpx.Client, clock: Clock) -> None:
    voucher = book(api, credit(api, PaymentDate="2026-03-10"))
    move_clock(api, clock, days=8)  # 2026-03-10, the due date itself
    assert get(api, voucher["Guid"])["Status"] == "Booked"
    move_clock(api, clock, days=1)
    assert get(api, voucher["Guid"])["Status"] == "Overdue"


def test_a_credit_purchase_in_euro_is_booked_in_dkk_at_the_euro_rate(api: httpx.Client) -> None:
    voucher = book(api, credit(api, cost(100), CurrencyKey="EUR"))
    amounts = voucher_amounts(entries(api, "2026-03-01", "2026-03-31"), voucher["Guid"])
    assert amounts == {GOODS: 596.48, PURCHASE_VAT: 149.12, CREDITORS: -745.6}


def test_a_credit_purchase_without_payment_date_cannot_be_booked(api: httpx.Client) -> None:
    voucher = credit(api, PaymentDate=None)
    body = dinero_error(booking(api, voucher), 400, 42)
    assert "PaymentDate" in body["validationErrors"]


def test_a_credit_purchase_without_supplier_cannot_be_booked(api: httpx.Client) -> None:
    response = created(api, PurchaseType="credit", PaymentDate="2026-03-10")
    body = dinero_error(booking(api, response.json()), 400, 42)
    assert "ContactGuid" in body["validationErrors"]


def test_a_credit_purchase_from_an_unknown_contact_is_refused(api: httpx.Client) -> None:
    response = created(api, PurchaseType="credit", ContactGuid="8c1f3cde-5a9e-4d2a-9b1e-2f6a1d3c4b5e")
    assert "ContactGuid" in dinero_error(response, 400, 42)["validationErrors"]


def test_a_cash_purchase_without_deposit_account_cannot_be_booked(api: httpx.Client) -> None:
    voucher = cash(api, DepositAccountNumber=None)
    assert "DepositAccountNumber" in dinero_error(booking(api, voucher), 400, 42)["validationErrors"]


def test_a_deposit_account_that_is_not_one_is_refused(api: httpx.Client) -> None:
    body = dinero_error(created(api, PurchaseType="cash", DepositAccountNumber=GOODS), 400, 42)
    assert "DepositAccountNumber" in body["validationErrors"]


def test_a_line_without_account_cannot_be_booked(api: httpx.Client) -> None:
    voucher = cash(api, cost(account=None, AccountTagName="Blomster"))
    assert "Lines[0].AccountNumber" in dinero_error(booking(api, voucher), 400, 42)["validationErrors"]


def test_a_balance_sheet_account_cannot_be_booked_on_a_purchase(api: httpx.Client) -> None:
    voucher = cash(api, cost(account=51000))
    message = dinero_error(booking(api, voucher), 400, 42)["validationErrors"]["Lines[0].AccountNumber"]
    assert "manual voucher" in message


def test_a_sales_vat_code_cannot_be_booked_on_a_purchase(api: httpx.Client) -> None:
    voucher = cash(api, cost(VatCode="U25"))
    assert "Lines[0].VatCode" in dinero_error(booking(api, voucher), 400, 42)["validationErrors"]


def test_a_purchase_without_lines_cannot_be_booked(api: httpx.Client) -> None:
    response = api.post(f"/v1.2/{ORG}/vouchers/purchase", json={"PurchaseType": "cash", "DepositAccountNumber": BANK})
    assert "Lines" in dinero_error(booking(api, response.json()), 400, 42)["validationErrors"]


def test_a_cash_purchase_from_the_eu_needs_eu_vat_codes(api: httpx.Client) -> None:
    voucher = cash(api, cost(VatCode="I25"), RegionKey="EU")
    assert "Lines[0].VatCode" in dinero_error(booking(api, voucher), 400, 42)["validationErrors"]


def test_an_eu_purchase_books_the_vat_as_both_deductible_and_due(api: httpx.Client) -> None:
    voucher = book(api, cash(api, cost(1000, VatCode="IEUV"), RegionKey="eu"))
    assert voucher["RegionKey"] == "EU"
    assert voucher_amounts(entries(api, "2026-03-01", "2026-03-31"), voucher["Guid"]) == {
        GOODS: 1000.0, PURCHASE_VAT: 250.0, GOODS_ABROAD_VAT: -250.0, BANK: -1000.0,
    }


def test_an_unknown_region_is_refused(api: httpx.Client) -> None:
    assert "RegionKey" in dinero_error(created(api, PurchaseType="cash", RegionKey="Asia"), 400, 42)["validationErrors"]


def test_booking_with_a_stale_timestamp_is_refused_with_58(api: httpx.Client) -> None:
    voucher = cash(api)
    dinero_error(booking(api, {**voucher, "Timestamp": "0000000000000001"}), 400, 58)


def test_booking_twice_is_refused(api: httpx.Client) -> None:
    booked = book(api, cash(api))
    dinero_error(booking(api, booked), 400, 42)


def test_booking_takes_a_free_number_given(api: httpx.Client) -> None:
    assert book(api, cash(api), Number=40)["VoucherNumber"] == 40


def test_booking_with_a_number_already_used_is_refused(api: httpx.Client) -> None:
    book(api, cash(api), Number=3)
    assert "Number" in dinero_error(booking(api, cash(api), Number=3), 400, 42)["validationErrors"]


def test_purchases_are_numbered_in_a_series_of_their_own(api: httpx.Client) -> None:
    manual = api.post(f"/v1/{ORG}/vouchers/manuel", json={"VoucherDate": "2026-03-01", "Lines": [
        {"Amount": 100, "AccountNumber": GOODS, "BalancingAccountNumber": BANK}]}).json()
    api.post(f"/v1/{ORG}/vouchers/manuel/{manual['Guid']}/book", json={"Timestamp": manual["Timestamp"]})
    assert book(api, cash(api))["VoucherNumber"] == 1


def test_booking_a_date_in_no_accounting_year_is_refused_with_47(api: httpx.Client) -> None:
    dinero_error(booking(api, cash(api, VoucherDate="2019-05-01")), 400, 47)


# -- changes and deletes ---------------------------------------------------------------------


def _update(api: httpx.Client, voucher: dict, path: str = PURCHASES, **fields: object) -> httpx.Response:
    body = {
        "Timestamp": voucher["Timestamp"], "PurchaseType": "cash", "VoucherDate": "2026-03-01",
        "DepositAccountNumber": BANK, "Lines": [cost(500)], **fields,
    }
    return api.put(f"{path}/{voucher['Guid']}", json=body)


def test_a_draft_is_replaced_by_an_update(api: httpx.Client) -> None:
    voucher = cash(api, cost(1250))
    response = _update(api, voucher, ExternalReference="ordre-7")
    assert response.status_code == 200, response.text
    changed = response.json()
    assert (changed["Lines"][0]["AmountInclVatValue"], changed["ExternalReference"]) == (500.0, "ordre-7")
    assert changed["Timestamp"] != voucher["Timestamp"]


def test_a_cash_purchase_update_may_leave_out_the_contact(api: httpx.Client) -> None:
    assert _update(api, cash(api)).status_code == 200


def test_only_the_v11_update_keeps_account_tag_names(api: httpx.Client) -> None:
    voucher = cash(api)
    tagged = [cost(AccountTagName="Blomster")]
    plain = _update(api, voucher, Lines=tagged).json()
    assert plain["Lines"][0]["AccountTagName"] is None
    tagged_update = _update(api, plain, path=f"/v1.1/{ORG}/vouchers/purchase", Lines=tagged).json()
    assert tagged_update["Lines"][0]["AccountTagName"] == "Blomster"


def test_an_update_with_a_stale_timestamp_is_refused_with_58(api: httpx.Client) -> None:
    voucher = cash(api)
    dinero_error(_update(api, {**voucher, "Timestamp": "0000000000000001"}), 400, 58)


def test_a_booked_purchase_cannot_be_updated(api: httpx.Client) -> None:
    booked = book(api, cash(api))
    assert "Status" in dinero_error(_update(api, booked), 400, 42)["validationErrors"]


def test_deleting_a_draft_removes_it(api: httpx.Client) -> None:
    voucher = cash(api)
    response = api.request("DELETE", f"{PURCHASES}/{voucher['Guid']}", json={"Timestamp": voucher["Timestamp"]})
    assert response.status_code == 200, response.text
    assert get(api, voucher["Guid"])["Status"] == "Deleted"


def test_deleting_needs_a_body(api: httpx.Client) -> None:
    voucher = cash(api)
    dinero_error(api.delete(f"{PURCHASES}/{voucher['Guid']}"), 400, 42)


def test_deleting_twice_is_refused_with_65(api: httpx.Client) -> None:
    voucher = cash(api)
    api.request("DELETE", f"{PURCHASES}/{voucher['Guid']}", json={})
    dinero_error(api.request("DELETE", f"{PURCHASES}/{voucher['Guid']}", json={}), 400, 65)


def test_deleting_a_booked_purchase_reverses_its_entries(api: httpx.Client) -> None:
    booked = book(api, cash(api, cost(1250)))
    response = api.request("DELETE", f"{PURCHASES}/{booked['Guid']}", json={"Timestamp": booked["Timestamp"]})
    assert response.status_code == 200, response.text
    sums = voucher_amounts(entries(api, "2026-03-01", "2026-03-31"), booked["Guid"])
    assert sums == {GOODS: 0.0, PURCHASE_VAT: 0.0, BANK: 0.0}


# -- looking before creating ---------------------------------------------------------------------


def test_fetch_shows_the_totals_without_storing_a_purchase(api: httpx.Client) -> None:
    response = api.post(f"{PURCHASES}/fetch", json={"PurchaseType": "cash", "Lines": [cost(1250)]})
    assert response.status_code == 200, response.text
    preview = response.json()
    assert preview["VoucherTotals"][2]["Total"] == 1250.0
    assert preview["ShouldPossiblyBeFixedAsset"] is False
    assert "Guid" not in preview
    assert api.post(f"{PURCHASES}/similar", json={"PurchaseType": "cash", "Lines": [cost(1250)]}).json()[
        "SimilarFound"
    ] is False


def test_fetch_flags_a_line_over_the_small_asset_limit_as_a_possible_fixed_asset(api: httpx.Client) -> None:
    response = api.post(f"{PURCHASES}/fetch", json={"PurchaseType": "cash", "Lines": [cost(50000)]})
    assert response.json()["ShouldPossiblyBeFixedAsset"] is True


def test_similar_finds_a_purchase_with_the_same_date_total_and_supplier(api: httpx.Client) -> None:
    contact = supplier(api)
    booked = book(api, credit(api, cost(1250), contact=contact))
    body = {"PurchaseType": "credit", "ContactGuid": contact, "VoucherDate": "2026-03-01", "Lines": [cost(1250)]}
    assert api.post(f"{PURCHASES}/similar", json=body).json() == {
        "VoucherNumber": 1, "SimilarGuid": booked["Guid"], "SimilarFound": True,
    }


def test_similar_finds_a_purchase_with_the_same_file(api: httpx.Client) -> None:
    voucher = cash(api, FileGuid="web0crmck5v0ndcx3313g6zn61tc7wgc")
    body = {"PurchaseType": "cash", "FileGuid": "web0crmck5v0ndcx3313g6zn61tc7wgc", "Lines": [cost(99)]}
    assert api.post(f"{PURCHASES}/similar", json=body).json()["SimilarGuid"] == voucher["Guid"]


def test_the_file_lookup_lists_the_purchase_drafts_using_the_file(api: httpx.Client) -> None:
    file_guid = "web0crmck5v0ndcx3313g6zn61tc7wgc"
    draft = cash(api, FileGuid=file_guid)
    book(api, cash(api, FileGuid=file_guid))
    cash(api, FileGuid="another0file0guid00000000000000x")
    assert api.get(f"{PURCHASES}/fileguid/{file_guid}").json() == [draft["Guid"]]
