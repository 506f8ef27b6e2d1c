"""The chart of accounts: entry accounts, deposit accounts and VAT types.

Each is a table of the organization, so reset, snapshots and ``changesSince``
see them like any other row. A new organization gets the demo chart (a Danish
standard chart, ``fixtures/chart_of_accounts.json``); accounts can be added
but never removed, as in Dinero.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING

from pydantic import BaseModel

from .. import seed_data
from ..errors import validation_error
from ..formats import shown
from ..models import DineroModel, Money
from ..store import Collection, Record

if TYPE_CHECKING:
    from ..world import Organization

DEBTORS = 53000
"""Debitorer: what customers owe for booked invoices."""
CREDITORS = 63000
"""Kreditorer: what the organization owes its suppliers."""
SALES_VAT = 64000
"""Salgsmoms (udgående moms)."""
GOODS_ABROAD_VAT = 64020
"""Moms af varer fra udlandet: VAT due on goods bought abroad (reverse charge)."""
SERVICES_ABROAD_VAT = 64040
"""Moms af ydelser fra udlandet: VAT due on services bought abroad (reverse charge)."""
PURCHASE_VAT = 64060
"""Købsmoms (indgående moms)."""
FEES = 1400
"""Rykkergebyrer, administrationsgebyr mv.: reminder fees and compensation."""
INTEREST_INCOME = 9010
"""Renteindtægter diverse: interest charged on overdue invoices."""
PAYMENT_FEES = 7220
"""Porto og gebyrer: a payment's remainder written off as a fee (``RemainderIsFee``)."""
RETAINED_EARNINGS = 60020
"""Overført resultat fra tidligere år: where a closed year's result goes."""

FIRST_BALANCE_ACCOUNT = 50000
"""Accounts from here on are balance-sheet accounts (assets, liabilities, equity);
those below make up the result (the demo chart's ranges)."""
DEPOSIT_RANGE = range(55000, 56000)
"""Where Dinero's deposit accounts live ("usually 55000-55999", its document)."""
PURCHASE_RANGE = range(2000, 9400)
"""Purchase accounts: the expenses before tax (Dinero's document, accounts/purchase)."""

LIQUID_ASSETS = ("Liquid Assets", "Likvide beholdninger")
"""How a deposit account shows among all accounts: category and its Danish name."""


class EntryAccountReadModel(DineroModel):
    """An account of the chart, as ``accounts/entry`` and ``accounts/purchase`` list it."""

    AccountNumber: int
    PublicStandardNumber: int | None = None
    Name: str | None = None
    VatCode: str | None = None
    Category: str | None = None
    CategoryName: str | None = None
    IsHidden: bool
    IsDefaultSalesAccount: bool


class DepositAccountReadModel(DineroModel):
    AccountNumber: int
    PublicStandardNumber: int | None = None
    Name: str | None = None
    IsDefault: bool
    IsHidden: bool
    BankRegistrationNumber: str | None = None
    BankAccountNumber: str | None = None
    BankSwiftNumber: str | None = None
    BankIbanNumber: str | None = None


class VatTypeReadModel(DineroModel):
    VatCode: str | None = None
    Name: str | None = None
    VatRate: float


class VatTypeData(BaseModel):
    VatCode: str
    Name: str | None = None
    VatRate: Money
    """A fraction: 0.25 is 25 %."""


def _as_stored(organization: Organization, row: Record) -> BaseModel:
    return row.data  # type: ignore[no-any-return]


def _by_number(row: Record) -> int:
    return row.data.AccountNumber  # type: ignore[no-any-return]


def _render_vat_type(organization: Organization, row: Record) -> VatTypeReadModel:
    data: VatTypeData = row.data
    return VatTypeReadModel(VatCode=data.VatCode, Name=data.Name, VatRate=float(data.VatRate))


ENTRY_ACCOUNTS = Collection(
    "entry_accounts", EntryAccountReadModel, _as_stored, data_model=EntryAccountReadModel, order=_by_number
)
DEPOSIT_ACCOUNTS = Collection(
    "deposit_accounts", DepositAccountReadModel, _as_stored, data_model=DepositAccountReadModel, order=_by_number
)
VAT_TYPES = Collection("vat_types", VatTypeReadModel, _render_vat_type, data_model=VatTypeData)


@cache
def _demo_chart() -> tuple[
    tuple[EntryAccountReadModel, ...], tuple[DepositAccountReadModel, ...], tuple[VatTypeData, ...]
]:
    """The demo chart, parsed once; rows are immutable, so organizations share them."""
    return (
        tuple(EntryAccountReadModel.model_validate(row) for row in seed_data.load("chart_of_accounts")),
        tuple(DepositAccountReadModel.model_validate(row) for row in seed_data.load("deposit_accounts")),
        tuple(VatTypeData.model_validate(row) for row in seed_data.load("vat_types")),
    )


def seed_chart(organization: Organization) -> None:
    """Give a new organization Dinero's standard chart, deposit accounts and VAT types."""
    accounts, deposits, vat_types = _demo_chart()
    entry_table = organization.table(ENTRY_ACCOUNTS)
    for account in accounts:
        entry_table.insert(str(account.AccountNumber), account)
    deposit_table = organization.table(DEPOSIT_ACCOUNTS)
    for deposit in deposits:
        deposit_table.insert(str(deposit.AccountNumber), deposit)
    vat_table = organization.table(VAT_TYPES)
    for vat_type in vat_types:
        vat_table.insert(vat_type.VatCode.upper(), vat_type)


# -- look-ups ---------------------------------------------------------------------


def entry_account(organization: Organization, number: int) -> EntryAccountReadModel | None:
    row = organization.table(ENTRY_ACCOUNTS).get(str(number))
    return row.data if row is not None else None


def deposit_account(organization: Organization, number: int) -> DepositAccountReadModel | None:
    row = organization.table(DEPOSIT_ACCOUNTS).get(str(number))
    return row.data if row is not None else None


def is_account(organization: Organization, number: int) -> bool:
    """Whether entries can be booked on ``number``: an entry or a deposit account."""
    key = str(number)
    return organization.table(ENTRY_ACCOUNTS).get(key) is not None or (
        organization.table(DEPOSIT_ACCOUNTS).get(key) is not None
    )


def account_name(organization: Organization, number: int) -> str | None:
    account = entry_account(organization, number) or deposit_account(organization, number)
    return account.Name if account is not None else None


def account_vat_code(organization: Organization, number: int) -> str | None:
    """The VAT code an account books with when a line names none (deposit accounts have none)."""
    account = entry_account(organization, number)
    return account.VatCode if account is not None else None


def all_accounts(organization: Organization) -> Iterator[EntryAccountReadModel]:
    """Every account, entry and deposit, by number: "entry accounts are simply all
    accounts" (Dinero's document). A deposit account shows as a liquid asset."""
    category, category_name = LIQUID_ASSETS
    deposits = (
        EntryAccountReadModel(
            AccountNumber=row.data.AccountNumber,
            PublicStandardNumber=row.data.PublicStandardNumber,
            Name=row.data.Name,
            VatCode=None,
            Category=category,
            CategoryName=category_name,
            IsHidden=row.data.IsHidden,
            IsDefaultSalesAccount=False,
        )
        for row in organization.table(DEPOSIT_ACCOUNTS).records()
    )
    entries = (row.data for row in organization.table(ENTRY_ACCOUNTS).records())
    yield from sorted((*entries, *deposits), key=lambda account: account.AccountNumber)


def default_sales_account(organization: Organization) -> int:
    return next(
        (row.data.AccountNumber for row in organization.table(ENTRY_ACCOUNTS) if row.data.IsDefaultSalesAccount),
        1000,
    )


def vat_type(organization: Organization, vat_code: str | None) -> VatTypeData | None:
    """The VAT type of a code, matched case-insensitively; no code (or "none") is none."""
    if not vat_code:
        return None
    row = organization.table(VAT_TYPES).get(vat_code.upper())
    if row is None or row.data.VatCode.lower() == "none":
        return None
    return row.data  # type: ignore[no-any-return]


def vat_rate(organization: Organization, vat_code: str | None) -> Decimal:
    """The rate of a VAT code as a fraction; no code (or "none") is 0."""
    found = vat_type(organization, vat_code)
    return found.VatRate if found is not None else Decimal(0)


def account_vat_rate(organization: Organization, number: int) -> Decimal:
    """The rate of the VAT code an account books with (what a sales line is priced at)."""
    return vat_rate(organization, account_vat_code(organization, number))


def is_vat_code(organization: Organization, vat_code: str) -> bool:
    return organization.table(VAT_TYPES).get(vat_code.upper()) is not None


# -- changes ------------------------------------------------------------------------


def create_entry_account(
    organization: Organization, number: int, name: str, vat_code: str, public_standard_number: int | None = None
) -> EntryAccountReadModel:
    """A new account of the chart. Its number must be free, and outside the deposit
    range (where ``create_deposit_account`` belongs); its VAT code must exist, or
    be "none". Dinero's codes for these refusals are unknown: 400/42 naming the
    property is chosen."""
    _require_free_number(organization, number)
    if number in DEPOSIT_RANGE:
        raise validation_error(
            {"Number": f"{number} is in the deposit range {DEPOSIT_RANGE.start}-{DEPOSIT_RANGE.stop - 1}; "
                       "create it as a deposit account."}
        )
    if not is_vat_code(organization, vat_code):
        codes = ", ".join(row.data.VatCode for row in organization.table(VAT_TYPES))
        raise validation_error({"VatCode": f"'{shown(vat_code)}' is not a VAT code. Use one of: {codes}."})
    category, category_name = _category_near(organization, number)
    account = EntryAccountReadModel(
        AccountNumber=number,
        PublicStandardNumber=public_standard_number,
        Name=name,
        VatCode=None if vat_code.lower() == "none" else vat_type(organization, vat_code).VatCode,  # type: ignore[union-attr]
        Category=category,
        CategoryName=category_name,
        IsHidden=False,
        IsDefaultSalesAccount=False,
    )
    organization.table(ENTRY_ACCOUNTS).insert(str(number), account)
    return account


def create_deposit_account(
    organization: Organization,
    number: int,
    name: str,
    *,
    public_standard_number: int | None = None,
    registration_number: str | None = None,
    bank_account_number: str | None = None,
    swift_number: str | None = None,
    iban_number: str | None = None,
) -> DepositAccountReadModel:
    """A new deposit account (bank, PayPal, Stripe...), in the deposit range."""
    _require_free_number(organization, number)
    if number not in DEPOSIT_RANGE:
        raise validation_error(
            {"Number": f"A deposit account's number is between {DEPOSIT_RANGE.start} and {DEPOSIT_RANGE.stop - 1}."}
        )
    deposit = DepositAccountReadModel(
        AccountNumber=number,
        PublicStandardNumber=public_standard_number,
        Name=name,
        IsDefault=False,
        IsHidden=False,
        BankRegistrationNumber=registration_number,
        BankAccountNumber=bank_account_number,
        BankSwiftNumber=swift_number,
        BankIbanNumber=iban_number,
    )
    organization.table(DEPOSIT_ACCOUNTS).insert(str(number), deposit)
    return deposit


def _require_free_number(organization: Organization, number: int) -> None:
    if number < 1:
        raise validation_error({"Number": "An account number is a whole number of 1 or more."})
    if is_account(organization, number):
        raise validation_error({"Number": f"Account {number} exists already; choose a free number."})


def _category_near(organization: Organization, number: int) -> tuple[str | None, str | None]:
    """A new account takes the category of the account just below it in the chart
    (Dinero asks for none when one is created through the API)."""
    below = [row.data for row in organization.table(ENTRY_ACCOUNTS) if row.data.AccountNumber < number]
    if not below:
        return None, None
    nearest = max(below, key=lambda account: account.AccountNumber)
    return nearest.Category, nearest.CategoryName
