"""Big organizations built fast: contacts and booked invoices added through the
tables and the domain functions the handlers call, never over HTTP (building
100,000 contacts through the API would measure the API, not the size)."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fake_dinero.world import Organization

LINE = {
    "Description": "Konsulentbistand", "Quantity": 1, "Unit": "hours", "AccountNumber": 1000, "BaseAmountValue": 1000,
}
"""1 hour at 1000 DKK on account 1000 (25% VAT): the invoice is 1250 DKK."""
PAID = 1250
DEPOSIT_ACCOUNT = 55000
YEAR_SPREAD = timedelta(days=300)
"""How much of the fake's clock a year of invoices is spread over (from ``timing.START``)."""


def contact_name(index: int) -> str:
    """Each contact's own name, so ``Name eq '...'`` finds exactly one."""
    return f"Kunde {index:07d} ApS"


def add_contacts(organization: Organization, count: int, first: int = 0) -> list[str]:
    """``count`` companies with the fields a real contact has, numbered from ``first``."""
    from fake_dinero.resources.contacts import CONTACTS, ContactCreateModel

    table, new_guid = organization.table(CONTACTS), organization.world.new_guid
    keys = []
    for index in range(first, first + count):
        data = ContactCreateModel(
            Name=contact_name(index),
            Street=f"Industrivej {index % 500 + 1}",
            ZipCode=f"{8000 + index % 900}",
            City="Aarhus",
            CountryKey="DK",
            Phone=f"+45 {20000000 + index}",
            Email=f"bogholderi{index}@kunde.example.dk",
            AttPerson="Mette Andersen",
            VatNumber=f"DK{10000000 + index}",
            IsPerson=False,
            PaymentConditionType="Netto",
            PaymentConditionNumberOfDays=14,
        )
        keys.append(table.insert(new_guid(), data).key)
    return keys


def book_invoices(organization: Organization, customers: list[str], count: int, spread: timedelta) -> None:
    """``count`` invoices of 1250 DKK created, booked and paid through the functions the
    handlers call (5 entries each), the clock moving so they spread over ``spread``."""
    from fake_dinero.domain import sales
    from fake_dinero.domain.documents import PaymentValues
    from fake_dinero.resources.document_binding import bind_document
    from fake_dinero.resources.document_models import InvoiceCreateModel

    payment = PaymentValues(DEPOSIT_ACCOUNT, Decimal(PAID), "Indbetaling")
    step = spread.total_seconds() / max(1, count)
    for index in range(count):
        customer = customers[index % len(customers)]
        body = InvoiceCreateModel.model_validate({"ContactGuid": customer, "ProductLines": [LINE]})
        key = sales.create_document(organization, bind_document(organization, "Invoice", body)).key
        sales.book_document(organization, "Invoice", key, None)
        sales.add_payment(organization, "Invoice", key, None, payment)
        organization.clock.advance(step)
