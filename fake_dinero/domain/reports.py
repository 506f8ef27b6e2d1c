"""Reading the books: entries by date and by when they were added, the opening
(primo) balances, and the reports of an accounting year.

Everything here is a fold over the entries ``ledger.post`` wrote (Decimal,
to the øre). Amounts keep the ledger's sign: debit positive, credit negative,
so income shows negative and every complete report sums to zero. Dinero's
sign convention in reports is unknown; the ledger's is chosen, as it is the
one ``entries`` shows.

Entries are only ever added (``ledger.post`` and ``ledger.reverse`` insert;
nothing changes or removes one), so the reads here share one index of them
that is extended with the entries added since it last looked: a read costs
what it returns and what was added, not a scan of every entry.

The opening balance of a year is every earlier entry on a balance-sheet
account (``FIRST_BALANCE_ACCOUNT`` and up), plus the result of the earlier
years (every earlier entry on a result account) carried to
``RETAINED_EARNINGS``. So the primo of a year sums to zero, and the saldo
(result and balance together) of a year sums to zero too.
"""

from __future__ import annotations

import bisect
import math
import threading
import uuid
import weakref
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from ..errors import END_BEFORE_START, WINDOW_TOO_LONG, DineroError
from ..store import Record, Table
from .chart import FIRST_BALANCE_ACCOUNT, RETAINED_EARNINGS, EntryAccountReadModel, all_accounts
from .ledger import ENTRIES, settle
from .memo import cached
from .vat import Posting
from .years import AccountingYearData, year_of_range, years

if TYPE_CHECKING:
    from ..world import Organization

__all__ = [
    "DRAFT_POSTINGS",
    "PrimoEntry",
    "ReportKind",
    "ReportLine",
    "ReportOptions",
    "account_balances",
    "entries_between",
    "entry_changes",
    "opening_balances",
    "primo_entries",
    "report",
]

ReportKind = Literal["saldo", "result", "balance", "primo"]

DraftSource = Callable[["Organization", AccountingYearData], Iterable[tuple[date, Posting]]]

DRAFT_POSTINGS: list[DraftSource] = []
"""Sources of postings that are in the ledger but not booked yet (the ledger
items of the kassekladde): each gives ``(date, posting)`` pairs for an
organization and a year. Reports fold them in when ``includeLedgerEntries``
is true. A source registers itself by appending to this list."""

CHANGES_WINDOW = timedelta(days=31)
"""The longest window ``entries/changes`` answers (Dinero's document)."""

PRIMO_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://api.dinero.dk/entries/primo")
"""A primo entry's EntryGuid is uuid5 of organization, year and account in this namespace,
so it is the same every time the entry is read, whatever its amount."""



def is_result_account(number: int) -> bool:
    return number < FIRST_BALANCE_ACCOUNT


# -- the fold ---------------------------------------------------------------------


@dataclass(frozen=True)
class YearTotals:
    """A year's opening balances (balance-sheet accounts and the earlier result on
    RETAINED_EARNINGS) and its movement (every account), zeros left out."""

    opening: Mapping[int, Decimal]
    movement: Mapping[int, Decimal]

    def closing(self) -> dict[int, Decimal]:
        """Each account at the year's end: result accounts their movement, balance
        accounts opening plus movement."""
        totals: dict[int, Decimal] = defaultdict(Decimal, self.opening)
        for account, amount in self.movement.items():
            totals[account] += amount
        return {account: amount for account, amount in totals.items() if amount != 0}


def _fold(year: AccountingYearData, postings: Iterable[tuple[date, int, Decimal]]) -> YearTotals:
    opening: dict[int, Decimal] = defaultdict(Decimal)
    movement: dict[int, Decimal] = defaultdict(Decimal)
    start, end = year.FromDate, year.ToDate
    for day, account, amount in postings:
        if day < start:
            opening[RETAINED_EARNINGS if is_result_account(account) else account] += amount
        elif day <= end:
            movement[account] += amount
    return YearTotals(
        {account: amount for account, amount in opening.items() if amount != 0},
        {account: amount for account, amount in movement.items() if amount != 0},
    )


def _booked(organization: Organization) -> Iterable[tuple[date, int, Decimal]]:
    """The booked entries summed by day and account: the fold gives the same totals
    and costs the days and accounts in use, not the entries."""
    return [(day, account, amount) for (day, account), amount in _ledger_index(organization).daily.items()]


def _drafts(organization: Organization, year: AccountingYearData) -> Iterable[tuple[date, int, Decimal]]:
    for source in DRAFT_POSTINGS:
        for day, posting in source(organization, year):
            yield day, posting.account, posting.amount


def year_totals(organization: Organization, year: AccountingYearData, include_drafts: bool = False) -> YearTotals:
    """The fold of the booked entries (and, with ``include_drafts``, the ledger's
    unbooked postings) for ``year``; cached until the organization changes."""

    def compute() -> YearTotals:
        postings: Iterable[tuple[date, int, Decimal]] = _booked(organization)
        if include_drafts:
            postings = [*postings, *_drafts(organization, year)]
        return _fold(year, postings)

    return cached(organization, ("totals", _year_key(year), include_drafts), compute)


def opening_balances(organization: Organization, year: AccountingYearData) -> dict[int, Decimal]:
    """The balances ``year`` opens with (booked entries only), by account, zeros left out."""
    return dict(year_totals(organization, year).opening)


def account_balances(organization: Organization, year: AccountingYearData) -> dict[int, Decimal]:
    """Each account's balance at the end of ``year`` from the booked entries: a result
    account its movement in the year, a balance-sheet account its opening balance plus
    the movement. Zeros are left out; the values sum to zero."""
    return year_totals(organization, year).closing()


# -- reports ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReportOptions:
    """The query options of the report operations."""

    show_zero_accounts: bool = False
    """Every account of the chart in scope, 0 where nothing is booked; else non-zero ones only."""
    show_account_numbers: bool = False
    """AccountName starts with the number: "1000 Salg af varer/ydelser m/moms" (a choice:
    Dinero's rendering is unknown)."""
    include_summary_accounts: bool = True
    """The demo chart has no summary (sum) accounts, so this changes nothing."""
    include_ledger_entries: bool = False
    """Also count what is in the ledger but not booked (``DRAFT_POSTINGS``)."""
    show_vat_type: bool = False
    """AccountName ends with the account's VAT code in parentheses: "Vareforbrug (I25)"
    (a choice: Dinero's rendering is unknown); accounts without a code are unchanged."""


@dataclass(frozen=True)
class ReportLine:
    account_number: int
    account_name: str | None
    amount: Decimal


def report(
    organization: Organization, year: AccountingYearData, kind: ReportKind, options: ReportOptions = ReportOptions()
) -> tuple[ReportLine, ...]:
    """One of the year's reports, by account number; the same object again until
    the organization changes.

    - result: the accounts below FIRST_BALANCE_ACCOUNT, the year's movement;
    - balance: the balance-sheet accounts, opening balance plus the year's movement.
      The year's own result is not moved onto RETAINED_EARNINGS (that happens in
      the next year's primo), so the balance sums to minus the year's result;
    - saldo: result and balance together, every account; it sums to zero;
    - primo: the opening balances; they sum to zero. Unbooked ledger items never
      count here (the primo report has no includeLedgerEntries).
    """
    if kind == "primo" and options.include_ledger_entries:
        options = replace(options, include_ledger_entries=False)
    key = ("report", _year_key(year), kind, options)
    return cached(organization, key, lambda: _build(organization, year, kind, options))


def _build(
    organization: Organization, year: AccountingYearData, kind: ReportKind, options: ReportOptions
) -> tuple[ReportLine, ...]:
    totals = year_totals(organization, year, options.include_ledger_entries)
    amounts: dict[int, Decimal]
    if kind == "primo":
        amounts = dict(totals.opening)
    else:
        closing = totals.closing()
        if kind == "result":
            amounts = {account: amount for account, amount in closing.items() if is_result_account(account)}
        elif kind == "balance":
            amounts = {account: amount for account, amount in closing.items() if not is_result_account(account)}
        else:
            amounts = closing
    chart = {account.AccountNumber: account for account in all_accounts(organization)}
    if options.show_zero_accounts:
        for number in chart:
            if kind == "saldo" or is_result_account(number) == (kind == "result"):
                amounts.setdefault(number, Decimal(0))
    return tuple(
        ReportLine(number, _name(number, chart.get(number), options), amounts[number])
        for number in sorted(amounts)
        if options.show_zero_accounts or amounts[number] != 0
    )


def _name(number: int, account: EntryAccountReadModel | None, options: ReportOptions) -> str | None:
    if account is None or account.Name is None:
        return None
    name = account.Name
    if options.show_vat_type and account.VatCode:
        name = f"{name} ({account.VatCode})"
    if options.show_account_numbers:
        name = f"{number} {name}"
    return name


# -- entries ----------------------------------------------------------------------


@dataclass(frozen=True)
class PrimoEntry:
    """The opening balance of one account in one year, as ``entries`` lists it."""

    guid: str
    account: int
    date: date
    amount: Decimal


def primo_guid(organization: Organization, year: AccountingYearData, account: int) -> str:
    return str(uuid.uuid5(PRIMO_NAMESPACE, f"{organization.id}/{year.Name}/{account}"))


def primo_entries(
    organization: Organization, year: AccountingYearData, accounts: Iterable[int] | None = None
) -> list[PrimoEntry]:
    """The primo entries of ``year``, dated its first day, by account: one per account
    with a non-zero opening balance, or one per account of ``accounts`` with its current
    opening balance, zero or not."""
    opening = year_totals(organization, year).opening
    wanted = sorted(opening) if accounts is None else sorted(set(accounts))
    return [
        PrimoEntry(primo_guid(organization, year, account), account, year.FromDate, opening.get(account, Decimal(0)))
        for account in wanted
    ]


def entries_between(
    organization: Organization, start: date, end: date, include_primo: bool = True
) -> list[PrimoEntry | Record]:
    """The entries dated ``start`` to ``end`` (both included), which must lie in one
    accounting year (400/83, 82, 47): with ``include_primo`` the year's primo entries
    first, then the entries by date and, within a date, in the order they were added."""
    year = year_of_range(organization, start, end, ("fromDate", "toDate"))
    rows: list[PrimoEntry | Record] = list(_ledger_index(organization).dated(start, end))
    primo: list[PrimoEntry | Record] = list(primo_entries(organization, year)) if include_primo else []
    return primo + rows


def entry_changes(
    organization: Organization, start: datetime, end: datetime, include_primo: bool = True
) -> list[PrimoEntry | Record]:
    """The entries added from ``start`` to ``end`` (both included; at most 31 days apart:
    400/84; ``end`` before ``start``: 400/83), in the order they were added.

    With ``include_primo`` they come after the primo entries they changed: an entry dated
    before a year changes that year's primo of its account (of RETAINED_EARNINGS for a
    result account). A changed primo entry shows its current amount, even when that is
    now 0, so a client keeping a copy learns it is gone (a choice: Dinero's answer is
    unknown)."""
    if end < start:
        raise DineroError(
            400, END_BEFORE_START, "The period ends before it starts",
            {"changesTo": f"changesTo ({end:%Y-%m-%dT%H:%M:%SZ}) is before changesFrom ({start:%Y-%m-%dT%H:%M:%SZ})."},
        )
    if end - start > CHANGES_WINDOW:
        raise DineroError(
            400, WINDOW_TOO_LONG, "The time range is too long",
            {"changesTo": f"changesFrom and changesTo may be at most 31 days apart; these are {end - start} apart. "
                          "Ask for the changes in windows of 31 days or less."},
        )
    settle(organization)
    table = organization.table(ENTRIES)
    added = [row for row in table.records(keys=table.changed_since(start)) if row.created_at <= end]
    if not include_primo:
        return list(added)
    changed: dict[str, set[int]] = defaultdict(set)
    later_years = years(organization)
    for row in added:
        account = RETAINED_EARNINGS if is_result_account(row.data.AccountNumber) else row.data.AccountNumber
        for year in later_years:
            if row.data.Date < year.FromDate:
                changed[year.Name].add(account)
    primo: list[PrimoEntry | Record] = [
        entry
        for year in later_years
        if year.Name in changed
        for entry in primo_entries(organization, year, changed[year.Name])
    ]
    return primo + added


# -- the index of the entries ------------------------------------------------------


class _LedgerIndex:
    """The entries of one ENTRIES table by (Date, seq), and their sums by day and account."""

    def __init__(self, loaded: int) -> None:
        self.loaded = loaded
        """The table's ``loaded`` when the index was begun: another load is another ledger."""
        self.changes = 0
        """The table's ``change_count`` the index has seen."""
        self.keys: list[tuple[date, int]] = []
        self.rows: list[Record] = []
        self.daily: dict[tuple[date, int], Decimal] = {}

    def add(self, rows: Iterable[Record]) -> None:
        keys, daily = self.keys, self.daily
        for row in rows:
            data = row.data
            key = (data.Date, row.seq)
            if not keys or key > keys[-1]:
                keys.append(key)
                self.rows.append(row)
            else:  # dated before an entry added earlier
                at = bisect.bisect_right(keys, key)
                keys.insert(at, key)
                self.rows.insert(at, row)
            total = (data.Date, data.AccountNumber)
            daily[total] = daily.get(total, Decimal(0)) + data.Amount

    def dated(self, start: date, end: date) -> list[Record]:
        """The entries dated ``start`` to ``end`` (both included), by date and, within a
        date, in the order they were added."""
        first = bisect.bisect_left(self.keys, (start, -1))
        last = bisect.bisect_right(self.keys, (end, math.inf))
        return self.rows[first:last]


_INDEXES: weakref.WeakKeyDictionary[Table, _LedgerIndex] = weakref.WeakKeyDictionary()
_INDEX_LOCK = threading.Lock()


def _ledger_index(organization: Organization) -> _LedgerIndex:
    """The index of the organization's entries as they are now (due background bookings
    settled first). It is extended with the rows added since it last looked; begun
    again when the table was loaded (a reset, a snapshot) and, should an entry ever be
    changed in place, rebuilt on every read, which is right if not fast."""
    settle(organization)
    table = organization.table(ENTRIES)
    with _INDEX_LOCK:
        index = _INDEXES.get(table)
        only_added = table.change_count == len(table)
        if index is None or index.loaded != table.loaded or index.changes > table.change_count or not only_added:
            index = _LedgerIndex(table.loaded)
            index.add(sorted(table, key=lambda row: (row.data.Date, row.seq)))
            if only_added:
                _INDEXES[table] = index
        else:
            index.add(table.newest(table.change_count - index.changes))
        index.changes = table.change_count
        return index


# -- the cache --------------------------------------------------------------------



def _year_key(year: AccountingYearData) -> tuple[str, date, date]:
    return year.Name, year.FromDate, year.ToDate
