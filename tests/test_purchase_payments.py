"""Payments of credit purchases and refunds of standalone purchase credit notes."""

from __future__ import annotations

import httpx

from .books_calls import entries
from .purchase_calls import (
    BANK,
    book,
    book_credit_note,
    cash,
    cost,
    credit,
    credit_note,
    credit_note_created,
    get,
    pay,
    paying,
    payments_path,
    supplier,
    voucher_amounts,
)
from .support import ORG, dinero_error

CREDITORS = 63000
EXCHANGE_DIFFERENCES = 2400


def test_paying_a_credit_purchase_in_full_makes_it_paid(api: httpx.Client) -> None:
    purchase = book(api, credit(api, cost(1250)))
    created = pay(api, purchase, 1250)
    assert set(created) == {"Guid", "TimeStamp", "RelatedVoucherGuid"}
    after = get(api, purchase["Guid"])
    assert (after["Status"], after["Timestamp"]) == ("Paid", created["TimeStamp"])


def test_a_part_payment_leaves_the_purchase_booked(api: httpx.Client) -> None:
    purchase = book(api, credit(api, cost(1250)))
    pay(api, purchase, 1000)
    assert get(api, purchase["Guid"])["Status"] == "Booked"


def test_paying_more_than_owed_makes_the_purchase_overpaid(api: httpx.Client) -> None:
    purchase = book(api, credit(api, cost(1250)))
    pay(api, purchase, 1300)
    assert get(api, purchase["Guid"])["Status"] == "Overpaid"


def test_a_payment_moves_the_money_from_the_bank_to_the_supplier(api: httpx.Client) -> None:
    contact = supplier(api)
    purchase = book(api, credit(api, cost(1250), contact=contact))
    voucher = pay(api, purchase, 1250)["RelatedVoucherGuid"]
    booked = [entry for entry in entries(api, "2026-03-01", "2026-03-31") if entry["VoucherGuid"] == voucher]
    assert sorted((entry["AccountNumber"], entry["Amount"], entry["ContactGuid"]) for entry in booked) == [
        (BANK, -1250.0, None), (CREDITORS, 1250.0, contact),
    ]


def test_the_related_voucher_is_the_payments_own_not_the_purchase(api: httpx.Client) -> None:
    purchase = book(api, credit(api))
    assert pay(api, purchase, 100)["RelatedVoucherGuid"] != purchase["Guid"]


def test_the_remainder_of_a_short_payment_can_be_written_off(api: httpx.Client) -> None:
    purchase = book(api, credit(api, cost(1250)))
    pay(api, purchase, 1240, RemainderIsFee=True)
    assert get(api, purchase["Guid"])["Status"] == "Paid"


def test_a_payment_in_euro_settles_the_supplier_at_the_purchase_rate(api: httpx.Client) -> None:
    purchase = book(api, credit(api, cost(100), CurrencyKey="EUR"))
    voucher = pay(api, purchase, 750, AmountInForeignCurrency=100)["RelatedVoucherGuid"]
    assert voucher_amounts(entries(api, "2026-03-01", "2026-03-31"), voucher) == {
        CREDITORS: 745.6, EXCHANGE_DIFFERENCES: 4.4, BANK: -750.0,
    }
    assert get(api, purchase["Guid"])["Status"] == "Paid"


def test_a_payment_in_a_foreign_currency_needs_the_foreign_amount(api: httpx.Client) -> None:
    purchase = book(api, credit(api, CurrencyKey="EUR"))
    response = paying(api, purchase["Guid"], 750, purchase["Timestamp"])
    assert "AmountInForeignCurrency" in dinero_error(response, 400, 42)["validationErrors"]


def test_a_payment_needs_the_purchases_current_timestamp(api: httpx.Client) -> None:
    purchase = book(api, credit(api))
    dinero_error(paying(api, purchase["Guid"], 100, "0000000000000001"), 400, 58)


def test_a_payment_of_zero_is_refused(api: httpx.Client) -> None:
    purchase = book(api, credit(api))
    response = paying(api, purchase["Guid"], 0, purchase["Timestamp"])
    assert "Amount" in dinero_error(response, 400, 42)["validationErrors"]


def test_a_payment_from_an_account_that_is_not_a_deposit_account_is_refused(api: httpx.Client) -> None:
    purchase = book(api, credit(api))
    response = paying(api, purchase["Guid"], 100, purchase["Timestamp"], DepositAccountNumber=2000)
    assert "DepositAccountNumber" in dinero_error(response, 400, 42)["validationErrors"]


def test_a_draft_purchase_cannot_be_paid(api: httpx.Client) -> None:
    draft = credit(api)
    dinero_error(paying(api, draft["Guid"], 100, draft["Timestamp"]), 400, 59)


def test_a_cash_purchase_takes_no_payments(api: httpx.Client) -> None:
    booked = book(api, cash(api))
    dinero_error(paying(api, booked["Guid"], 100, booked["Timestamp"]), 400, 42)


def test_paying_an_unknown_purchase_is_404(api: httpx.Client) -> None:
    dinero_error(paying(api, "8c1f3cde-5a9e-4d2a-9b1e-2f6a1d3c4b5e", 100, "0000000000000001"), 404, 40)


def test_the_payments_list_shows_each_payment(api: httpx.Client) -> None:
    purchase = book(api, credit(api, cost(1250)))
    created = pay(api, purchase, 1000, ExternalReference="bank-42", PaymentDate="2026-03-04")
    listed = api.get(payments_path(purchase["Guid"])).json()
    assert listed == [{
        "Guid": created["Guid"], "DepositAccountNumber": BANK, "Currency": "DKK", "ExchangeRate": 100.0,
        "PaymentClass": "PurchaseVoucher", "RelatedVoucherId": created["RelatedVoucherGuid"],
        "ExternalReference": "bank-42", "PaymentDate": "2026-03-04", "Description": "Betaling", "Amount": 1000.0,
    }]


def test_deleting_a_payment_names_the_timestamp_in_the_path_and_reverses_it(api: httpx.Client) -> None:
    purchase = book(api, credit(api, cost(1250)))
    created = pay(api, purchase, 1250)
    response = api.delete(f"{payments_path(purchase['Guid'])}/{created['Guid']}/{created['TimeStamp']}")
    assert response.status_code == 200, response.text
    assert response.json()["TimeStamp"] == get(api, purchase["Guid"])["Timestamp"]
    assert get(api, purchase["Guid"])["Status"] == "Booked"
    assert set(voucher_amounts(entries(api, "2026-03-01", "2026-03-31"), created["RelatedVoucherGuid"]).values()) == {
        0.0
    }


def test_deleting_a_payment_with_a_stale_timestamp_is_refused_with_58(api: httpx.Client) -> None:
    purchase = book(api, credit(api))
    created = pay(api, purchase, 100)
    dinero_error(api.delete(f"{payments_path(purchase['Guid'])}/{created['Guid']}/0000000000000001"), 400, 58)


def test_deleting_an_unknown_payment_is_404(api: httpx.Client) -> None:
    purchase = book(api, credit(api))
    timestamp = purchase["Timestamp"]
    response = api.delete(f"{payments_path(purchase['Guid'])}/8c1f3cde-5a9e-4d2a-9b1e-2f6a1d3c4b5e/{timestamp}")
    dinero_error(response, 404, 40)


def test_a_purchase_with_payments_cannot_be_deleted(api: httpx.Client) -> None:
    purchase = book(api, credit(api))
    pay(api, purchase, 100)
    response = api.request("DELETE", f"/v1/{ORG}/vouchers/purchase/{purchase['Guid']}", json={})
    assert "Payments" in dinero_error(response, 400, 42)["validationErrors"]


def test_a_standalone_credit_note_is_settled_by_the_suppliers_refund(api: httpx.Client) -> None:
    guid = credit_note_created(api, cost(250), ContactGuid=supplier(api)).json()["Guid"]
    book_credit_note(api, guid)
    response = paying(api, guid, 250, credit_note(api, guid)["Timestamp"])
    assert response.status_code == 200, response.text
    assert credit_note(api, guid)["Status"] == "Paid"
    assert voucher_amounts(entries(api, "2026-03-01", "2026-03-31"), response.json()["RelatedVoucherGuid"]) == {
        BANK: 250.0, CREDITORS: -250.0,
    }
    assert api.get(payments_path(guid)).json()[0]["PaymentClass"] == "PurchaseCreditNote"


def test_a_credit_note_for_a_credit_purchase_takes_no_payments(api: httpx.Client) -> None:
    purchase = book(api, credit(api, cost(1250)))
    guid = credit_note_created(api, cost(250), CreditNoteFor=purchase["Guid"]).json()["Guid"]
    book_credit_note(api, guid)
    dinero_error(paying(api, guid, 250, credit_note(api, guid)["Timestamp"]), 400, 42)


def test_the_state_of_account_shows_what_was_bought_from_the_contact_as_expenses(api: httpx.Client) -> None:
    contact = supplier(api)
    purchase = book(api, credit(api, cost(1250), contact=contact))
    pay(api, purchase, 1250)
    guid = credit_note_created(api, cost(250), ContactGuid=contact).json()["Guid"]
    book_credit_note(api, guid)
    statement = api.get(f"/v1/{ORG}/state-of-account/{contact}").json()
    assert (statement["Expenses"], statement["Income"]) == (1000.0, 0.0)
