"""fake_dinero.contracts.state_machine: a small httpx integration (a customer sync and
invoicing, as an integrator would write it) driven by hypothesis against a fresh
fake per run, while the base class checks the fake's invariants after every step.
The base class's checks are also shown to catch what they claim to."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import httpx
import pytest
from hypothesis import Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, consumes, initialize, rule, run_state_machine_as_test

from fake_dinero.contracts.state_machine import (
    CREDIT_NOTES,
    INVOICES,
    TRADE_OFFERS,
    DineroStateMachine,
    InvariantBroken,
)
from fake_dinero.contracts.strategies import (
    add_demo_contact,
    contact_bodies,
    credit_note_bodies,
    invoice_bodies,
    payment_bodies,
    product_bodies,
    trade_offer_bodies,
)
from fake_dinero.domain.documents import SALES
from fake_dinero.domain.ledger import ENTRIES, EntryData

from .strategy_calls import TLS, YEARS
from .support import START

# -- the integration under test -----------------------------------------------------


class Integration:
    """What an integrator's Dinero client looks like: it logs in with the API key,
    logs in again when the token expires, and reads a document's current Timestamp
    before it books or pays it."""

    def __init__(self, base_url: str, token_url: str, client_id: str, secret: str, api_key: str, org: int) -> None:
        self.http = httpx.Client(base_url=base_url, verify=TLS)
        self.token_url, self.auth, self.api_key, self.org = token_url, (client_id, secret), api_key, org
        self.login()

    def login(self) -> None:
        form = {"grant_type": "password", "username": self.api_key, "password": self.api_key, "scope": "read write"}
        response = self.http.post(self.token_url, data=form, auth=self.auth)
        response.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {response.json()['access_token']}"

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        url = f"/v1/{self.org}/{path}"
        response = self.http.request(method, url, **kwargs)
        if response.status_code == 401:
            self.login()
            response = self.http.request(method, url, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None

    def close(self) -> None:
        self.http.close()

    # the integration's operations
    def add_customer(self, body: dict[str, Any]) -> str:
        return str(self.call("POST", "contacts", json=body)["ContactGuid"])

    def rename_customer(self, guid: str, name: str) -> None:
        contact = self.call("GET", f"contacts/{guid}")
        self.call("PUT", f"contacts/{guid}", json={**contact, "Name": name})

    def draft_invoice(self, body: dict[str, Any]) -> str:
        return str(self.call("POST", "invoices", json=body)["Guid"])

    def book(self, kind: str, guid: str) -> dict[str, Any]:
        stamp = self.call("GET", f"{kind}/{guid}")["TimeStamp"]
        return dict(self.call("POST", f"{kind}/{guid}/book", json={"Timestamp": stamp}))

    def pay(self, guid: str, body: dict[str, Any]) -> None:
        self.call("POST", f"invoices/{guid}/payments", json=body)

    def invoice(self, guid: str) -> dict[str, Any]:
        return dict(self.call("GET", f"invoices/{guid}"))

    def delete_draft(self, guid: str) -> None:
        stamp = self.call("GET", f"invoices/{guid}")["TimeStamp"]
        self.call("DELETE", f"invoices/{guid}", json={"Timestamp": stamp})

    def add_product(self, body: dict[str, Any]) -> str:
        return str(self.call("POST", "products", json=body)["ProductGuid"])

    def drop_product(self, guid: str) -> None:
        self.call("DELETE", f"products/{guid}")


# -- the machine ---------------------------------------------------------------------


class InvoicingMachine(DineroStateMachine):
    """Customers come in, get offers and invoices; invoices are booked, paid, credited; time passes."""

    fresh_dinero_options = {"clock_start": START, "rate_limit": None}
    listed = (*DineroStateMachine.listed, CREDIT_NOTES, TRADE_OFFERS)

    customers = Bundle("customers")
    drafts = Bundle("drafts")
    invoices = Bundle("invoices")
    products = Bundle("products")

    def __init__(self) -> None:
        super().__init__()
        dinero = self.dinero
        self.app = Integration(
            dinero.base_url, dinero.token_url, dinero.client_id, dinero.client_secret, dinero.api_key,
            dinero.organization_id,
        )

    def teardown(self) -> None:
        self.app.close()
        super().teardown()

    @initialize(target=customers, body=contact_bodies(with_guid=False))
    def first_customer(self, body: dict[str, Any]) -> str:
        return self.app.add_customer(body)

    @rule(target=customers, body=contact_bodies(with_guid=False, casing="camel"))
    def add_customer(self, body: dict[str, Any]) -> str:
        return self.app.add_customer(body)

    @rule(guid=customers, name=st.sampled_from(["Jensen ApS", "Hansen & Søn", "Ølbryggeriet I/S"]))
    def rename_customer(self, guid: str, name: str) -> None:
        self.app.rename_customer(guid, name)

    @rule(target=drafts, customer=customers, data=st.data())
    def draft_invoice(self, customer: str, data: st.DataObject) -> str:
        return self.app.draft_invoice(data.draw(invoice_bodies(contact_guid=customer, years=YEARS, casing=None)))

    @rule(target=drafts, customer=customers, data=st.data())
    def offer_and_invoice(self, customer: str, data: st.DataObject) -> str:
        """A trade offer the customer accepts: the invoice is made from it."""
        offer = self.app.call("POST", "tradeoffers", json=data.draw(trade_offer_bodies(contact_guid=customer,
                                                                                       years=YEARS)))
        return str(self.app.call("POST", f"tradeoffers/{offer['Guid']}/generate-invoice",
                                 json={"Timestamp": offer["TimeStamp"]})["Guid"])

    @rule(target=invoices, guid=consumes(drafts))
    def book_invoice(self, guid: str) -> str:
        assert self.app.book("invoices", guid)["Status"] == "Booked"
        return guid

    @rule(guid=consumes(drafts))
    def delete_draft(self, guid: str) -> None:
        self.app.delete_draft(guid)

    @rule(guid=invoices, data=st.data())
    def pay_invoice(self, guid: str, data: st.DataObject) -> None:
        self.app.pay(guid, data.draw(payment_bodies(self.app.invoice(guid), years=YEARS)))

    @rule(guid=invoices, customer=customers, data=st.data())
    def credit_invoice(self, guid: str, customer: str, data: st.DataObject) -> None:
        body = data.draw(credit_note_bodies(contact_guid=customer, credit_note_for=guid, years=YEARS))
        note = self.app.call("POST", "sales/creditnotes", json=body)["Guid"]
        self.app.book("sales/creditnotes", note)

    @rule(target=products, body=product_bodies())
    def add_product(self, body: dict[str, Any]) -> str:
        return self.app.add_product(body)

    @rule(guid=consumes(products))
    def drop_product(self, guid: str) -> None:
        self.app.drop_product(guid)

    @rule(days=st.sampled_from([0.5, 1, 7, 30]))
    def time_passes(self, days: float) -> None:
        self.dinero.advance(days=days)


InvoicingMachine.TestCase.settings = settings(
    max_examples=20, stateful_step_count=15, deadline=None, database=None
)
TestInvoicing = InvoicingMachine.TestCase


# -- the checks catch what they claim to -----------------------------------------------


class BrokenFake(DineroStateMachine):
    """Books an invoice through the API, then changes the fake behind the API's back,
    as a bug in the fake would: the invariants must say so."""

    fresh_dinero_options = {"clock_start": START}
    listed = (INVOICES,)
    breach = ""

    @initialize(body=invoice_bodies(years=YEARS))
    def book_an_invoice(self, body: dict[str, Any]) -> None:
        add_demo_contact(self.dinero)
        with httpx.Client(base_url=self.dinero.url("/v1/{org}/"), headers=self.dinero.headers(), verify=TLS) as client:
            self.invoice = client.post("invoices", json=body).json()["Guid"]
            stamp = client.get(f"invoices/{self.invoice}").json()["TimeStamp"]
            assert client.post(f"invoices/{self.invoice}/book", json={"Timestamp": stamp}).status_code == 200

    @rule()
    def break_the_fake(self) -> None:
        organization = self.dinero.world.organizations[self.dinero.organization_id]
        if self.breach == "unbalanced entry":
            bug = "0badc0de-0000-4000-8000-000000000000"
            entry = EntryData(AccountNumber=1000, Date=START.date(), VoucherGuid=bug, VoucherType="Manual",
                              Amount=Decimal(1))
            organization.table(ENTRIES).insert(bug, entry, parent=bug)
        elif self.breach == "change not logged":
            sales = organization.table(SALES)
            sales._changes = [change for change in sales._changes if change[2] != self.invoice]
        elif self.breach == "booked invoice changed":
            sales = organization.table(SALES)
            row = sales.get(self.invoice)
            sales.update(row, row.data.model_copy(update={"Comment": "changed after booking"}))


@pytest.mark.parametrize(("breach", "message"), [
    ("unbalanced entry", "entries of 2026 sum to 1"),
    ("change not logged", "invoices: changesSince=2026-03-02T09:30:00Z misses"),
    ("booked invoice changed", r"booked .* changed \['Comment'\]"),
])
def test_the_invariants_catch_a_fake_that_breaks_them(breach: str, message: str) -> None:
    machine = type("BrokenFake", (BrokenFake,), {"breach": breach})
    with pytest.raises(InvariantBroken, match=message):
        run_state_machine_as_test(machine, settings=settings(
            max_examples=5, stateful_step_count=2, database=None, phases=[Phase.generate]
        ))
