"""Hypothesis strategies for Dinero request bodies and list queries.

For integrators' own property tests (and ours). Every body is a JSON-ready
``dict`` (a ``list`` for ledger items) a client would POST or PUT:

- **accepted** (the fake is the oracle, and our tests post every kind): contacts,
  notes, products; invoices, credit notes and trade offers (``product_lines``
  from the demo chart, currencies, dates in the accounting years, text lines);
  payments of booked invoices and credit notes; manual vouchers and ledger
  items (``balanced_lines``); cash and credit purchase vouchers, purchase credit
  notes and purchase payments. Documents and vouchers are also bookable as drawn.
- **refused** (``refused_*``): ``Refused(body, status, code, why, stage, flaw)``,
  a body with one thing wrong and the status and error code Dinero answers it,
  on create or when the draft is booked; ``only=`` picks flaws by the names
  ``REFUSALS`` lists.

Bodies that name existing data take it as an argument. A contact defaults to
``DEMO_CONTACT_GUID``, which ``add_demo_contact(dinero)`` creates in a fresh
fake; payments take the booked document as Dinero answers it::

    from hypothesis import given, settings
    from fake_dinero.contracts.strategies import add_demo_contact, invoice_bodies

    @settings(max_examples=200, deadline=None)  # the first example builds the fake
    @given(body=invoice_bodies(casing=None))
    def test_my_client_sends_any_invoice(fresh_dinero, body):
        with fresh_dinero() as dinero:
            add_demo_contact(dinero)
            ...

Dates are drawn within ``years`` (default ``demo_years()``: the previous and
the current calendar year, those of a fresh fake on the wall clock); pass the
fake's years when it starts at another ``clock_start``. ``casing`` spells
property names as clients do (PascalCase as documented, camelCase, lower;
``None`` draws one per body).

``model_bodies(Model)`` derives bodies from any request model's shape alone; the
resource strategies add the cross-field rules (existing contacts, accounts of
the chart, VAT codes, dates in an accounting year) so the fake accepts them.
"""

from __future__ import annotations

from ._common import (
    CASINGS,
    DEMO_CONTACT,
    DEMO_CONTACT_GUID,
    Casing,
    Years,
    accounting_dates,
    add_demo_contact,
    balance_accounts,
    currencies,
    demo_years,
    deposit_accounts,
    model_bodies,
    purchase_accounts,
    recase,
    sales_accounts,
    vat_codes,
)
from .books import balanced_lines, ledger_item_bodies, manual_voucher_bodies
from .contacts import (
    Condition,
    contact_bodies,
    contact_note_bodies,
    contact_query_filter_conditions,
    contact_query_filters,
    product_bodies,
    product_query_filter_conditions,
    product_query_filters,
    query_filter_conditions,
    query_filters,
    render_query_filter,
    units,
)
from .purchases import (
    REGION_CODES,
    purchase_credit_note_bodies,
    purchase_lines,
    purchase_payment_bodies,
    purchase_voucher_bodies,
)
from .refused import (
    REFUSALS,
    Refused,
    refused_contact_bodies,
    refused_invoice_bodies,
    refused_ledger_item_bodies,
    refused_manual_voucher_bodies,
    refused_payment_bodies,
    refused_product_bodies,
    refused_purchase_voucher_bodies,
)
from .sales import credit_note_bodies, invoice_bodies, payment_bodies, product_lines, trade_offer_bodies

__all__ = [
    "CASINGS",
    "DEMO_CONTACT",
    "DEMO_CONTACT_GUID",
    "REFUSALS",
    "REGION_CODES",
    "Casing",
    "Condition",
    "Refused",
    "Years",
    "accounting_dates",
    "add_demo_contact",
    "balance_accounts",
    "balanced_lines",
    "contact_bodies",
    "contact_note_bodies",
    "contact_query_filter_conditions",
    "contact_query_filters",
    "credit_note_bodies",
    "currencies",
    "demo_years",
    "deposit_accounts",
    "invoice_bodies",
    "ledger_item_bodies",
    "manual_voucher_bodies",
    "model_bodies",
    "payment_bodies",
    "product_bodies",
    "product_lines",
    "product_query_filter_conditions",
    "product_query_filters",
    "purchase_accounts",
    "purchase_credit_note_bodies",
    "purchase_lines",
    "purchase_payment_bodies",
    "purchase_voucher_bodies",
    "query_filter_conditions",
    "query_filters",
    "recase",
    "refused_contact_bodies",
    "refused_invoice_bodies",
    "refused_ledger_item_bodies",
    "refused_manual_voucher_bodies",
    "refused_payment_bodies",
    "refused_product_bodies",
    "refused_purchase_voucher_bodies",
    "render_query_filter",
    "sales_accounts",
    "trade_offer_bodies",
    "units",
    "vat_codes",
]
