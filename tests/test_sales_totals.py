"""Totals of sales documents against sums done by hand."""

from __future__ import annotations

import httpx

from .listing_calls import create_product
from .sales_calls import INVOICES, create_invoice, customer, get, line
from .support import ORG

MIXED = [
    line(250, quantity=3, Discount=10),  # 750 less 10% = 675.00 at 25% VAT
    line(1200, account=1200, Description="EU-ydelse"),  # 1200.00 without VAT (UEUY)
    {"LineType": "Text", "Description": "Leveret i uge 9"},
]


def test_totals_add_discounted_lines_and_vat_per_rate_in_the_documents_currency(api: httpx.Client) -> None:
    guid = create_invoice(api, customer(api), *MIXED, Currency="EUR")["Guid"]
    invoice = get(api, f"{INVOICES}/{guid}")
    assert invoice["Currency"] == "EUR"
    assert invoice["TotalExclVat"] == 1875.00
    assert invoice["TotalVatableAmount"] == 675.00
    assert invoice["TotalNonVatableAmount"] == 1200.00
    assert invoice["TotalVat"] == 168.75
    assert invoice["TotalInclVat"] == 2043.75


def test_total_lines_split_vatable_and_vat_free_amounts_and_name_the_currency(api: httpx.Client) -> None:
    guid = create_invoice(api, customer(api), *MIXED, Currency="EUR")["Guid"]
    total_lines = get(api, f"{INVOICES}/{guid}")["TotalLines"]
    assert [(entry["Type"], entry["TotalAmount"], entry["Position"]) for entry in total_lines] == [
        ("SubTotal", 1875.00, 0),
        ("SubTotalWithVat", 675.00, 1),
        ("SubTotalWithoutVat", 1200.00, 2),
        ("Vat", 168.75, 3),
        ("Total", 2043.75, 4),
    ]
    assert total_lines[3]["Label"] == "Moms (25%)"
    assert total_lines[4]["Label"] == "Total EUR"


def test_totals_in_dkk_use_the_currencys_exchange_rate(api: httpx.Client) -> None:
    create_invoice(api, customer(api), *MIXED, Currency="EUR")
    row = api.get(INVOICES, params={"fields": "TotalInclVatInDkk,TotalExclVatInDkk"}).json()["Collection"][0]
    # EUR at 745.60 DKK per 100.
    assert row == {"TotalInclVatInDkk": 15238.20, "TotalExclVatInDkk": 13980.00}


def test_a_text_line_is_shown_but_adds_nothing(api: httpx.Client) -> None:
    guid = create_invoice(api, customer(api), *MIXED)["Guid"]
    text = get(api, f"{INVOICES}/{guid}")["ProductLines"][2]
    assert text["LineType"] == "Text" and text["Description"] == "Leveret i uge 9"
    assert (text["TotalAmount"], text["TotalAmountInclVat"]) == (0, 0)


def test_each_line_shows_its_unit_price_and_amount_with_and_without_vat(api: httpx.Client) -> None:
    guid = create_invoice(api, customer(api), *MIXED)["Guid"]
    first = get(api, f"{INVOICES}/{guid}")["ProductLines"][0]
    assert (first["BaseAmountValue"], first["BaseAmountValueInclVat"]) == (250.00, 312.50)
    assert (first["TotalAmount"], first["TotalAmountInclVat"]) == (675.00, 843.75)
    assert first["AccountName"] == "Salg af varer/ydelser m/moms"


def test_prices_including_vat_take_the_vat_out_of_the_sum(api: httpx.Client) -> None:
    guid = create_invoice(api, customer(api), line(99.99), ShowLinesInclVat=True)["Guid"]
    invoice = get(api, f"{INVOICES}/{guid}")
    # 99.99 / 1.25 = 79.992 -> 79.99; the VAT is what is left of the 99.99.
    assert (invoice["TotalInclVat"], invoice["TotalExclVat"], invoice["TotalVat"]) == (99.99, 79.99, 20.00)


def test_amounts_round_half_away_from_zero_to_ore(api: httpx.Client) -> None:
    guid = create_invoice(api, customer(api), line(0.125), line(0.125))["Guid"]
    invoice = get(api, f"{INVOICES}/{guid}")
    # Each line 0.125 -> 0.13; 0.26 at 25% VAT = 0.065 -> 0.07.
    assert (invoice["TotalExclVat"], invoice["TotalVat"], invoice["TotalInclVat"]) == (0.26, 0.07, 0.33)


def test_fetch_computes_what_create_stores_and_saves_nothing(api: httpx.Client) -> None:
    body = {"ContactGuid": customer(api), "ProductLines": MIXED, "Currency": "EUR"}
    fetched = api.post(f"{INVOICES}/fetch", json=body).json()
    assert api.get(INVOICES).json()["Collection"] == []
    created = api.post(INVOICES, json=body).json()
    stored = get(api, f"{INVOICES}/{created['Guid']}")
    for name in ("TotalExclVat", "TotalVat", "TotalInclVat", "TotalLines", "ProductLines", "PaymentDate"):
        assert fetched[name] == stored[name], name


def test_a_line_with_a_product_takes_the_products_name_unit_account_and_price(api: httpx.Client) -> None:
    product = create_product(api, "Timepris", BaseAmountValue=850, Unit="hours", AccountNumber=1000)
    guid = create_invoice(api, customer(api), {"ProductGuid": product, "Quantity": 2})["Guid"]
    taken = get(api, f"{INVOICES}/{guid}")["ProductLines"][0]
    assert (taken["Description"], taken["Unit"], taken["AccountNumber"]) == ("Timepris", "hours", 1000)
    assert (taken["BaseAmountValue"], taken["TotalAmount"]) == (850.0, 1700.0)


def test_credit_notes_and_trade_offers_total_the_same_lines_the_same_way(api: httpx.Client) -> None:
    contact = customer(api)
    body = {"ContactGuid": contact, "ProductLines": MIXED, "Currency": "EUR"}
    for path in (f"/v1/{ORG}/sales/creditnotes/fetch", f"/v1/{ORG}/tradeoffers/fetch"):
        fetched = api.post(path, json=body).json()
        assert (fetched["TotalExclVat"], fetched["TotalVat"], fetched["TotalInclVat"]) == (1875.0, 168.75, 2043.75)
