"""Chart of accounts, deposit accounts, accounting years and VAT types (reference §4.1-4.2, §5.3).

All of these are plain arrays, not paged envelopes. The account lists take
``fields`` as every list does (case-insensitive, echoed in the caller's
casing, unknown names left out: ``listing.resolve_fields``). Hidden accounts
(``IsHidden``) are listed like any other: Dinero's document describes the flag
as "should not be used", which leaves the filtering to clients.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import StringConstraints

from ..call import Call
from ..domain import chart, years
from ..domain.chart import (
    DEPOSIT_ACCOUNTS,
    ENTRY_ACCOUNTS,
    PURCHASE_RANGE,
    VAT_TYPES,
    DepositAccountReadModel,
    EntryAccountReadModel,
    VatTypeReadModel,
)
from ..domain.years import ACCOUNTING_YEARS
from ..errors import validation_error
from ..formats import shown
from ..listing import project, resolve_fields
from ..models import DineroModel, Int
from ..routing import QueryParam, Routes

routes = Routes(tag="Accounts")

Required = Annotated[str, StringConstraints(min_length=1)]

ENTRY_FIELDS = "AccountNumber,Name,IsHidden"
PURCHASE_FIELDS = "AccountNumber,Name,VatCode,Category,CategoryName,IsHidden"
DEPOSIT_FIELDS = "AccountNumber,Name"

CATEGORIES = (
    "Turnover", "Variable Expenses", "Salary", "Sales Expenses", "Property Expenses", "Administration Expenses",
    "Travel Expenses", "Depreciation", "Interest Income", "Interest Expenses", "Property", "Turnover Assets",
    "Financial Assets", "Receivables", "Liquid Assets", "Equity", "Long Term Debt", "Short Term Debt", "Vat Due",
    "Salary Due", "Analysis", "Not Set", "Tax", "Charge", "IntangibleProperty",
)
"""The categories ``categoryFilter`` accepts, as Dinero's document lists them."""
NOT_SET = "Not Set"
"""The category of an account that has none (``Category`` null)."""
_CATEGORIES_BY_LOWER = {name.lower(): name for name in CATEGORIES}


class AccountCreateModel(DineroModel):
    Number: Int
    PublicStandardNumber: Int | None = None
    Name: Required
    VatCode: Required


class DepositCreateModel(DineroModel):
    Number: Int
    PublicStandardNumber: Int | None = None
    Name: Required
    RegistrationNumber: str | None = None
    AccountNumber: str | None = None
    """The bank account's number, not the chart's (that is ``Number``)."""
    SwiftNumber: str | None = None
    IbanNumber: str | None = None


@routes.get(
    "/v1/{organizationId}/accounts/entry",
    response=list[EntryAccountReadModel],
    query=(QueryParam("fields", default=ENTRY_FIELDS), QueryParam("categoryFilter", default="")),
)
def list_entry_accounts(call: Call) -> list[dict[str, Any]]:
    """Every account of the chart, deposit accounts included (as Liquid Assets), by number.
    ``categoryFilter`` takes one of Dinero's category names, in any casing."""
    fields = resolve_fields(call.query("fields") or ENTRY_FIELDS, ENTRY_ACCOUNTS.field_names)
    category = _category_filter(call.query("categoryFilter"))
    return [
        project(account.model_dump(mode="json"), fields)
        for account in chart.all_accounts(call.organization)
        if category is None or (account.Category or NOT_SET).lower() == category.lower()
    ]


@routes.get(
    "/v1/{organizationId}/accounts/purchase",
    response=list[EntryAccountReadModel],
    query=(QueryParam("fields", default=PURCHASE_FIELDS),),
)
def list_purchase_accounts(call: Call) -> list[dict[str, Any]]:
    """The accounts from 2000 to 9399 (expenses before tax), by number."""
    fields = resolve_fields(call.query("fields") or PURCHASE_FIELDS, ENTRY_ACCOUNTS.field_names)
    return [
        project(account.model_dump(mode="json"), fields)
        for account in chart.all_accounts(call.organization)
        if account.AccountNumber in PURCHASE_RANGE
    ]


@routes.get(
    "/v1/{organizationId}/accounts/deposit",
    response=list[DepositAccountReadModel],
    query=(QueryParam("fields", default=DEPOSIT_FIELDS),),
)
def list_deposit_accounts(call: Call) -> list[dict[str, Any]]:
    """The deposit accounts (bank, MobilePay, cash...), by number."""
    fields = resolve_fields(call.query("fields") or DEPOSIT_FIELDS, DEPOSIT_ACCOUNTS.field_names)
    table = call.organization.table(DEPOSIT_ACCOUNTS)
    return [project(table.document(row), fields) for row in table.records()]


@routes.post("/v1/{organizationId}/accounts/entry", body=AccountCreateModel)
def create_entry_account(call: Call) -> None:
    """The number must be free and outside the deposit range 55000-55999; the VAT code
    must be one of the organization's, or "none". The new account takes the category of
    the account just below it."""
    body = call.body(AccountCreateModel)
    chart.create_entry_account(
        call.organization, body.Number, body.Name, body.VatCode, public_standard_number=body.PublicStandardNumber
    )


@routes.post("/v1/{organizationId}/accounts/deposit", body=DepositCreateModel)
def create_deposit_account(call: Call) -> None:
    """The number must be free and in the deposit range 55000-55999."""
    body = call.body(DepositCreateModel)
    chart.create_deposit_account(
        call.organization,
        body.Number,
        body.Name,
        public_standard_number=body.PublicStandardNumber,
        registration_number=body.RegistrationNumber,
        bank_account_number=body.AccountNumber,
        swift_number=body.SwiftNumber,
        iban_number=body.IbanNumber,
    )


@routes.get("/v1/{organizationId}/accountingyears", tag="AccountingYears", response=list[years.AccountingYearReadModel])
def list_accounting_years(call: Call) -> list[dict[str, Any]]:
    """Oldest first. Booking a voucher in the year after the last creates that year."""
    table = call.organization.table(ACCOUNTING_YEARS)
    return [table.document(row) for row in table.records()]


@routes.get("/v1/{organizationId}/vatTypes", tag="VatTypes", response=list[VatTypeReadModel])
def list_vat_types(call: Call) -> list[dict[str, Any]]:
    """Every VAT code of the organization; ``VatRate`` is a fraction (0.25 is 25 %)."""
    table = call.organization.table(VAT_TYPES)
    return [table.document(row) for row in table.records()]


def _category_filter(raw: str | None) -> str | None:
    """The category named by ``categoryFilter``; None (all accounts) when it is empty.

    Dinero's answer to a name it does not know is unknown; 400/42 naming the
    categories is chosen (rather than an empty list, which would hide a typo).
    """
    if raw is None or not raw.strip():
        return None
    found = _CATEGORIES_BY_LOWER.get(raw.strip().lower())
    if found is None:
        raise validation_error(
            {"categoryFilter": f"'{shown(raw.strip())}' is not a category. Use one of: {', '.join(CATEGORIES)}."}
        )
    return found
