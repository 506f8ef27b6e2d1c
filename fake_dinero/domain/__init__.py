"""The domain layer: Dinero's rules as plain functions over an organization's tables.

Handlers in ``fake_dinero.resources`` parse a request, call a function here and
render its result; seeding and the control plane call the same functions, so a
document booked from Python is booked exactly as one booked over HTTP.

- ``chart``: the chart of accounts, deposit accounts and VAT types.
- ``years``: accounting years, and which one a date falls in.
- ``vat``: how an amount on an account with a VAT code splits into postings.
- ``ledger``: the one booking path (``post``), its entries and their reversal.
- ``numbering``: voucher number series with a high-water mark.
"""
