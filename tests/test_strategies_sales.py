"""fake_dinero.contracts.strategies for sales: every invoice, credit note and trade
offer body it draws is accepted, reads back as sent and can be booked; every payment
body is accepted for the booked document it was drawn for."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from fake_dinero.contracts.strategies import (
    DEMO_CONTACT_GUID,
    credit_note_bodies,
    invoice_bodies,
    payment_bodies,
    product_bodies,
    product_lines,
    sales_accounts,
    trade_offer_bodies,
)

from .strategy_calls import (
    CREDIT_NOTES,
    INVOICES,
    PRODUCTS,
    TRADE_OFFERS,
    YEARS,
    booked,
    created,
    fresh,
    named,
    ok,
    posted,
    voucher_entries,
)

examples = settings(max_examples=20, deadline=None, database=None)


def assert_reads_back(document: dict[str, Any], body: dict[str, Any]) -> None:
    """The lines, contact and currency as sent (currency upper-case, DKK by default)."""
    lines = named(body, "ProductLines")
    assert [line["Description"] for line in document["ProductLines"]] == [named(line, "Description") for line in lines]
    assert document["ContactGuid"] == named(body, "ContactGuid")
    assert document["Currency"] == (named(body, "Currency") or "DKK").upper()
    sent_date = named(body, "Date")
    if sent_date:
        assert document["Date"] == sent_date[:10]


@examples
@given(body=invoice_bodies(years=YEARS, casing=None))
def test_invoice_bodies_are_accepted_read_back_and_booked_in_balance(body: dict[str, Any]) -> None:
    with fresh() as (_, client):
        draft = created(client, INVOICES, body)
        assert_reads_back(draft, body)
        invoice = booked(client, INVOICES, draft)
        assert invoice["Status"] == "Booked"
        entries = voucher_entries(client, invoice["Guid"])
        assert sum(Decimal(str(entry["Amount"])) for entry in entries) == 0


@examples
@given(data=st.data())
def test_invoice_bodies_with_a_timestamp_update_the_draft(data: st.DataObject) -> None:
    with fresh() as (_, client):
        draft = created(client, INVOICES, data.draw(invoice_bodies(years=YEARS), label="create"))
        update = data.draw(invoice_bodies(years=YEARS, casing="camel", timestamp=draft["TimeStamp"]), label="update")
        ok(client.put(f"/v1.2/123456/invoices/{draft['Guid']}", json=update))
        assert_reads_back(ok(client.get(f"{INVOICES}/{draft['Guid']}")), update)


@settings(max_examples=15, deadline=None, database=None)
@given(body=invoice_bodies(contact_guid=None, with_guid=True, casing="lower"))
def test_drafts_need_no_contact_and_keep_a_guid_of_their_own(body: dict[str, Any]) -> None:
    assert "contactguid" not in body
    with fresh() as (_, client):
        assert posted(client, INVOICES, body)["Guid"] == body["guid"]


@settings(max_examples=15, deadline=None, database=None)
@given(data=st.data())
def test_lines_may_name_products_that_fill_in_what_the_line_leaves_out(data: st.DataObject) -> None:
    with fresh() as (_, client):
        products = [posted(client, PRODUCTS, data.draw(product_bodies()))["ProductGuid"] for _ in range(2)]
        body = data.draw(invoice_bodies(product_guids=products, years=YEARS))
        booked(client, INVOICES, created(client, INVOICES, body))


@examples
@given(data=st.data())
def test_credit_note_bodies_are_accepted_alone_and_for_a_booked_invoice(data: st.DataObject) -> None:
    with fresh() as (_, client):
        invoice = booked(client, INVOICES, created(client, INVOICES, data.draw(invoice_bodies(years=YEARS))))
        credit_for = data.draw(st.sampled_from([None, invoice["Guid"]]), label="credit_note_for")
        body = data.draw(credit_note_bodies(credit_note_for=credit_for, years=YEARS, casing=None), label="body")
        draft = created(client, CREDIT_NOTES, body)
        assert draft["CreditNoteFor"] == credit_for
        assert_reads_back(draft, body)
        assert booked(client, CREDIT_NOTES, draft)["Status"] == "Booked"


@examples
@given(body=trade_offer_bodies(years=YEARS, casing=None))
def test_trade_offer_bodies_are_accepted_and_turn_into_invoices(body: dict[str, Any]) -> None:
    with fresh() as (_, client):
        offer = created(client, TRADE_OFFERS, body)
        assert_reads_back(offer, body)
        invoice = posted(client, f"{TRADE_OFFERS}/{offer['Guid']}/generate-invoice", {"Timestamp": offer["TimeStamp"]})
        booked(client, INVOICES, ok(client.get(f"{INVOICES}/{invoice['Guid']}")))


@examples
@given(data=st.data())
def test_payment_bodies_pay_the_booked_invoice_they_were_drawn_for(data: st.DataObject) -> None:
    with fresh() as (_, client):
        invoice = booked(client, INVOICES, created(client, INVOICES, data.draw(invoice_bodies(years=YEARS))))
        body = data.draw(payment_bodies(invoice, years=YEARS, casing=None), label="payment")
        paid = posted(client, f"{INVOICES}/{invoice['Guid']}/payments", body)
        assert sum(Decimal(str(entry["Amount"])) for entry in voucher_entries(client, paid["RelatedVoucherGuid"])) == 0
        status = ok(client.get(f"{INVOICES}/{invoice['Guid']}"))["PaymentStatus"]
        assert status in ("Paid", "OverPaid", "Booked", "Overdue")


@settings(max_examples=15, deadline=None, database=None)
@given(data=st.data())
def test_payment_bodies_refund_a_booked_credit_note(data: st.DataObject) -> None:
    with fresh() as (_, client):
        note = booked(client, CREDIT_NOTES, created(client, CREDIT_NOTES, data.draw(credit_note_bodies(years=YEARS))))
        posted(client, f"{CREDIT_NOTES}/{note['Guid']}/payments", data.draw(payment_bodies(note, years=YEARS)))


def test_document_lines_come_from_the_chart_and_hold_a_priced_line() -> None:
    @settings(max_examples=50, database=None)
    @given(lines=product_lines(text_lines=True, max_lines=3), chosen=product_lines([1350], text_lines=False))
    def check(lines: list[dict[str, Any]], chosen: list[dict[str, Any]]) -> None:
        priced = [line for line in lines if str(line.get("LineType", "product")).lower() != "text"]
        assert priced and 1 <= len(lines) <= 3
        assert all(line["AccountNumber"] in sales_accounts() for line in priced)
        assert {line["AccountNumber"] for line in chosen} == {1350}

    check()


def test_invoice_bodies_name_the_demo_contact_unless_given_another() -> None:
    @settings(max_examples=10, database=None)
    @given(default=invoice_bodies(), other=invoice_bodies(contact_guid=["a", "b"], casing="camel"))
    def check(default: dict[str, Any], other: dict[str, Any]) -> None:
        assert default["ContactGuid"] == DEMO_CONTACT_GUID
        assert other["contactGuid"] in ("a", "b")

    check()
