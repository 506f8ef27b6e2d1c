"""The whole API the fake serves: every resource module's routes, and the fake's own."""

from __future__ import annotations

from . import auth, connect, connect_session, control_http, docs
from .resources import (
    accounts,
    attachments,
    contacts,
    creditnotes,
    einvoices,
    entries,
    files,
    invoices,
    ledger_items,
    mailouts,
    manual_vouchers,
    organizations,
    payments,
    products,
    purchase_credit_notes,
    purchase_payments,
    purchase_vouchers,
    reminders,
    reports,
    sales,
    state_of_account,
    tradeoffers,
    webhooks,
)
from .review import http as review_http
from .routing import RouteTable

ROUTE_TABLE = RouteTable(
    [
        auth.routes,
        connect.routes,
        connect_session.routes,
        control_http.routes,
        review_http.routes,
        docs.routes,
        organizations.routes,
        contacts.routes,
        products.routes,
        sales.routes,
        invoices.routes,
        creditnotes.routes,
        payments.routes,
        mailouts.routes,
        einvoices.routes,
        reminders.routes,
        tradeoffers.routes,
        state_of_account.routes,
        accounts.routes,
        entries.routes,
        reports.routes,
        manual_vouchers.routes,
        ledger_items.routes,
        purchase_vouchers.routes,
        purchase_credit_notes.routes,
        purchase_payments.routes,
        files.routes,
        attachments.routes,
        webhooks.routes,
    ]
)
