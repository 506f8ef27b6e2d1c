"""Ledger items: the daybook (kassekladde), where lines wait until they are booked.

A ledger item groups lines under one voucher: each line moves ``Amount`` (DKK)
from its balancing account to its account, with VAT as ``vat.line_postings``
works it out. Items are added as drafts, read back, changed with their
``Version``, and sent to booking, which Dinero does in the background: an item
is ``PendingBooking`` until the fake's clock has moved
``Settings.ledger_booking_seconds`` past the book call, or until a status poll
has already seen it pending once, and then ``Booked`` with a voucher number of
the ledger's series (shared with manual vouchers) and its entries posted
through ``ledger.post``.

Stored state: every item is a row of ``LEDGER_ITEMS`` (booked items stay, so
their status can be read); the time of the organization's last post and the
queue of items waiting to be booked are one row of ``LEDGER_STATE``.

Rules, all Dinero's document or chosen where it is silent (each says which):

- at most 1000 unbooked items in the ledger (400/66);
- a line has an ``AccountNumber``, a ``BalancingAccountNumber`` or an
  ``IsPaymentForVoucherId`` (400/42), an ``Amount`` (400/42), never both
  ``IsPaymentForVoucherId`` and ``AccountNumber`` (400/42, the document: "If
  this property has a value the AccountNumber cannot have a value");
- accounts must be in the chart: ``AccountNumber`` 400/77, ``BalancingAccountNumber``
  400/86 (the balancing account of a daybook line is usually a deposit account);
- an item's postings sum to zero: two-sided lines do by construction, single-sided
  lines must make up for each other (400/42);
- a voucher number belongs to one ledger item: items sharing a ``VoucherNumber``
  (in one request, or with an unbooked item already in the ledger) must share
  ``VoucherDate`` (400/75), ``FileGuid`` (400/76), ``Id`` (400/78) and ``Version``
  (400/87); items of one request that pass are one item, their lines joined;
- a post within ``Settings.ledger_post_seconds`` of the organization's previous
  post is refused (400/70): Dinero refuses ledger items posted concurrently.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from ..errors import (
    LEDGER_BUSY,
    LEDGER_FULL,
    NOT_FOUND,
    SAME_VOUCHER_DATE,
    SAME_VOUCHER_FILE,
    SAME_VOUCHER_ID,
    SAME_VOUCHER_VERSION,
    TIMESTAMP_OUTDATED,
    UNKNOWN_ACCOUNT,
    UNKNOWN_DEPOSIT_ACCOUNT,
    DineroError,
    validation_error,
)
from ..formats import money, money_json
from ..models import Amount as AmountValue
from ..models import DineroModel, Guid, Int, Money, OptionalGuid
from ..store import Collection, Record
from .chart import CREDITORS, DEBTORS, is_account, is_vat_code, vat_type
from .dates import parse_date, today
from .ledger import ENTRIES, Voucher, on_settle, post, voucher_entries
from .numbering import LEDGER_SERIES, take_number
from .reports import DRAFT_POSTINGS
from .vat import Posting, line_postings, resolve_vat_code
from .years import AccountingYearData, year_for_booking

if TYPE_CHECKING:
    from ..world import Organization

__all__ = [
    "LEDGER_ITEMS",
    "LEDGER_STATE",
    "LedgerItemLineModelV2",
    "LedgerItemModel",
    "LedgerItemModelV2",
    "LedgerItemReadModel",
    "LedgerItemStatusReadModel",
    "add_items",
    "book_items",
    "delete_items",
    "draft_postings",
    "item_statuses",
    "settle_ledger",
    "unbooked_items",
    "update_items",
]

MAX_UNBOOKED = 1000
"""Dinero's document: "The maximum number of ledger items in the same ledger is 1000"."""
VOUCHER_TYPE = "Ledger"
"""The ``VoucherType`` of a booked ledger item's entries. Dinero's value is unknown;
"Ledger" is chosen (not "Manual": the entries' VoucherGuid, the item's Id, does not
fetch a manual voucher)."""
LEDGER_SERIES_TYPES = (VOUCHER_TYPE, "Manual")
"""The voucher types numbered in the ledger's series (ledger items and manual vouchers)."""
VERSION_BYTES = 9
"""A ``Version`` is the row version as base64 of this many big-endian bytes: 9 bytes
give 12 characters without padding, like Dinero's example ``AAAAAAYb0Eo1`` (which
decodes to 9 bytes; 8 would end in ``=``)."""

INT32_MAX = 2**31 - 1
"""``VoucherNumber`` is a .NET int: a larger number does not bind."""

Status = Literal["Draft", "PendingBooking", "Booked"]


# -- Dinero's models ----------------------------------------------------------------


class LedgerItemLineModelV2(DineroModel):
    """A line of a ledger item (kassekladde line)."""

    Id: OptionalGuid = None
    Description: str | None = None
    Amount: AmountValue | None = None
    AccountNumber: Int | None = None
    AccountVatCode: str | None = None
    BalancingAccountNumber: Int | None = None
    BalancingAccountVatCode: str | None = None
    IsPaymentForVoucherId: OptionalGuid = None


class LedgerItemModelV2(DineroModel):
    """A ledger item as added, changed and read back."""

    Id: OptionalGuid = None
    Version: str | None = None
    VoucherNumber: Int | None = None
    VoucherDate: str | None = None
    FileGuid: str | None = None
    Lines: list[LedgerItemLineModelV2] | None = None


class LedgerItemModel(DineroModel):
    """Names a ledger item (and the version the caller has seen)."""

    Id: Guid
    Version: str | None = None


class LedgerItemStatusModel(DineroModel):
    Id: Guid


class LedgerItemReadModel(DineroModel):
    Id: Guid
    Version: str | None = None


class LedgerItemStatusReadModel(DineroModel):
    Status: str | None = None
    VoucherNumber: int | None = None
    Id: Guid
    Version: str | None = None


# -- stored data -------------------------------------------------------------------


class LedgerLineData(BaseModel):
    Id: str
    Description: str | None = None
    Amount: Money
    AccountNumber: int | None = None
    AccountVatCode: str | None = None
    """The code the line books with on its account: the one given, "none", or the
    account's own when none was given (so reading it back and sending it again
    changes nothing)."""
    BalancingAccountNumber: int | None = None
    BalancingAccountVatCode: str | None = None
    IsPaymentForVoucherId: str | None = None


class LedgerItemData(BaseModel):
    VoucherNumber: int | None = None
    """The number the client gave; booking takes the next of the series without one."""
    VoucherDate: date
    FileGuid: str | None = None
    Lines: list[LedgerLineData]
    Status: Status = "Draft"
    BookedNumber: int | None = None
    BookingError: str | None = None
    """Why the last booking failed (the item went back to Draft); Dinero's status has
    no place for it, so it is only seen in the fake's state."""


class PendingBooking(BaseModel):
    Id: str
    RequestedAt: datetime
    Seen: bool = False
    """A status poll has answered PendingBooking once: the next look books it."""


class LedgerStateData(BaseModel):
    LastPostAt: datetime | None = None
    Pending: list[PendingBooking] = []


def version_of(row: Record) -> str:
    """The row version as Dinero's ledger ``Version`` (see ``VERSION_BYTES``)."""
    return base64.b64encode(row.version.to_bytes(VERSION_BYTES, "big")).decode("ascii")


def _render(organization: Organization, row: Record) -> LedgerItemModelV2:
    data: LedgerItemData = row.data
    return LedgerItemModelV2(
        Id=row.key,  # type: ignore[arg-type]
        Version=version_of(row),
        VoucherNumber=data.VoucherNumber,
        VoucherDate=data.VoucherDate.isoformat(),
        FileGuid=data.FileGuid,
        Lines=[
            LedgerItemLineModelV2(
                Id=line.Id,  # type: ignore[arg-type]
                Description=line.Description,
                Amount=money_json(line.Amount),
                AccountNumber=line.AccountNumber,
                AccountVatCode=line.AccountVatCode,
                BalancingAccountNumber=line.BalancingAccountNumber,
                BalancingAccountVatCode=line.BalancingAccountVatCode,
                IsPaymentForVoucherId=line.IsPaymentForVoucherId,  # type: ignore[arg-type]
            )
            for line in data.Lines
        ],
    )


def _as_stored(organization: Organization, row: Record) -> BaseModel:
    return row.data  # type: ignore[no-any-return]


LEDGER_ITEMS = Collection("ledger_items", LedgerItemModelV2, _render, data_model=LedgerItemData)
"""Every ledger item, unbooked or booked; deleted ones are soft-deleted."""
LEDGER_STATE = Collection("ledger_state", LedgerStateData, _as_stored, data_model=LedgerStateData)
"""One row (``STATE_KEY``): the last post's time and the items waiting to be booked."""
STATE_KEY = "ledger"


def read_model(row: Record) -> LedgerItemReadModel:
    return LedgerItemReadModel(Id=row.key, Version=version_of(row))  # type: ignore[arg-type]


def status_of(row: Record) -> LedgerItemStatusReadModel:
    data: LedgerItemData = row.data
    return LedgerItemStatusReadModel(
        Status=data.Status,
        VoucherNumber=data.BookedNumber if data.Status == "Booked" else None,
        Id=row.key,  # type: ignore[arg-type]
        Version=version_of(row),
    )


# -- adding and changing -----------------------------------------------------------


def add_items(
    organization: Organization, items: Sequence[LedgerItemModelV2], *, api_post: bool = True
) -> list[Record]:
    """Add ``items`` to the ledger as drafts; the row of each item sent, in order
    (items joined by a shared voucher number answer the same row).

    ``Id`` is the client's or a new GUID; ``VoucherDate`` defaults to today; a new
    item gets its first ``Version`` (one sent only has to agree with the items
    sharing its voucher number, 400/87). With ``api_post`` the
    post counts as a request to Dinero: refused (400/70) within
    ``Settings.ledger_post_seconds`` of the previous one, and remembered when it
    succeeds (a refused post holds nothing up). Seeding from Python passes False.
    """
    if api_post:
        _check_not_busy(organization)
    if not items:
        raise validation_error({"body": "Send at least one ledger item."})
    table = organization.table(LEDGER_ITEMS)
    on = today(organization)
    drafts = [_draft(index, item, None, on) for index, item in enumerate(items)]
    groups = _groups(drafts)
    _check_against_ledger(organization, groups, writing=set())
    keys: set[str] = set()
    for group in groups:
        key = group.id
        if key is None:
            continue
        if key in keys:
            raise validation_error({f"[{group.first.index}].Id": f"Id '{key}' is given to two ledger items."})
        keys.add(key)
        existing = table.get(key)
        if existing is not None:
            reason = "was deleted; choose another Id" if existing.deleted else "exists already; change it with PUT"
            raise validation_error({f"[{group.first.index}].Id": f"Ledger item '{key}' {reason}."})
    unbooked = sum(1 for _ in _unbooked(organization))
    if unbooked + len(groups) > MAX_UNBOOKED:
        raise DineroError(
            400, LEDGER_FULL, "The ledger is full",
            {"body": f"The ledger holds {unbooked} unbooked items and at most {MAX_UNBOOKED}; "
                     f"{len(groups)} more do not fit. Book or delete some first."},
        )
    checked = [(group, _checked_lines(organization, group)) for group in groups]
    rows: dict[int, Record] = {}
    new_guid = organization.world.new_guid
    for group, lines in checked:
        key = group.id or new_guid()
        row = table.insert(key, _data(organization, group, lines))
        for draft in group.drafts:
            rows[draft.index] = row
    if api_post:
        _save_state(organization, _state(organization).model_copy(update={"LastPostAt": organization.clock.now()}))
    return [rows[index] for index in range(len(items))]


def update_items(organization: Organization, items: Sequence[LedgerItemModelV2]) -> list[Record]:
    """Change draft items, each named by ``Id`` with its current ``Version`` (both
    required: 400/42; an unknown Id 404/40; a stale Version 400/58; an item sent to
    booking or booked 400/42). A property left out (null) keeps its value (Dinero's
    answer is unknown; null meaning "not supplied" is the fake's rule for every body),
    an empty ``FileGuid`` removes the file; ``Lines``, when given, replace the item's
    lines (a line keeps the ``Id`` it is sent with). The row of each item sent, in order."""
    if not items:
        raise validation_error({"body": "Send at least one ledger item."})
    table = organization.table(LEDGER_ITEMS)
    on = today(organization)
    drafts = []
    for index, item in enumerate(items):
        problems = {}
        if item.Id is None:
            problems[f"[{index}].Id"] = "Id is required to change a ledger item."
        if item.Version is None:
            problems[f"[{index}].Version"] = "Version is required to change a ledger item; read it with ledgers."
        if problems:
            raise validation_error(problems)
        row = _require(organization, str(item.Id), index)
        _check_version(row, item.Version, index)
        _require_draft(row, index, "changed")
        drafts.append(_draft(index, item, row, on))
    groups = _groups(drafts)
    _check_against_ledger(organization, groups, writing={str(item.Id) for item in items})
    keys: set[str] = set()
    for group in groups:
        if group.id in keys:
            raise validation_error(
                {f"[{group.first.index}].Id": f"Id '{group.id}' is given to two ledger items; send each item once."}
            )
        keys.add(group.id)  # type: ignore[arg-type]
    checked = [(group, _checked_lines(organization, group)) for group in groups]
    rows: dict[int, Record] = {}
    for group, lines in checked:
        row = table.update(table.get(group.id), _data(organization, group, lines))  # type: ignore[arg-type]
        for draft in group.drafts:
            rows[draft.index] = row
    return [rows[index] for index in range(len(items))]


@dataclass
class _Draft:
    """One item of a request, with the values it will have once written."""

    index: int
    item: LedgerItemModelV2
    id: str | None
    version: str | None
    number: int | None
    day: date
    file_guid: str | None
    existing: Record | None


@dataclass
class _Group:
    """The items of a request that make one ledger item (those sharing a voucher number)."""

    drafts: list[_Draft] = field(default_factory=list)

    @property
    def first(self) -> _Draft:
        return self.drafts[0]

    @property
    def id(self) -> str | None:
        return self.first.id

    @property
    def number(self) -> int | None:
        return self.first.number


def _draft(index: int, item: LedgerItemModelV2, existing: Record | None, today: date) -> _Draft:
    """The values ``item`` will have: on an existing item, left-out ones are kept."""
    old: LedgerItemData | None = existing.data if existing is not None else None
    number = item.VoucherNumber if item.VoucherNumber is not None else (old.VoucherNumber if old else None)
    if number is not None and not 1 <= number <= INT32_MAX:
        raise validation_error(
            {f"[{index}].VoucherNumber": f"A voucher number is from 1 to {INT32_MAX}; leave it out to get the next."}
        )
    if item.VoucherDate is not None:
        day = parse_date(item.VoucherDate, f"[{index}].VoucherDate")
    else:
        day = old.VoucherDate if old else today
    file_guid = (item.FileGuid or None) if item.FileGuid is not None else (old.FileGuid if old else None)
    version = item.Version.strip() if item.Version is not None else None
    return _Draft(index, item, str(item.Id) if item.Id else None, version, number, day, file_guid, existing)


def _groups(drafts: list[_Draft]) -> list[_Group]:
    """Join the items that share a voucher number; they must agree on date (75),
    file (76), Id (78) and Version (87)."""
    groups: list[_Group] = []
    by_number: dict[int, _Group] = {}
    for draft in drafts:
        if draft.number is None:
            groups.append(_Group([draft]))
            continue
        group = by_number.get(draft.number)
        if group is None:
            group = by_number[draft.number] = _Group()
            groups.append(group)
        else:
            _require_same(draft, group.first.day, group.first.file_guid, group.first.id, group.first.version,
                          f"item [{group.first.index}]")
        group.drafts.append(draft)
    return groups


def _require_same(
    draft: _Draft, day: date, file_guid: str | None, key: str | None, version: str | None, other: str
) -> None:
    where, number = f"[{draft.index}]", draft.number
    if draft.day != day:
        raise DineroError(
            400, SAME_VOUCHER_DATE, "Ledger items with the same voucher number must have the same date",
            {f"{where}.VoucherDate": f"Voucher {number} is dated {day} on {other}, not {draft.day}."},
        )
    if draft.file_guid != file_guid:
        raise DineroError(
            400, SAME_VOUCHER_FILE, "Ledger items with the same voucher number must have the same file",
            {f"{where}.FileGuid": f"Voucher {number} has FileGuid {file_guid!r} on {other}, not {draft.file_guid!r}."},
        )
    if draft.id != key:
        raise DineroError(
            400, SAME_VOUCHER_ID, "Ledger items with the same voucher number must have the same id",
            {f"{where}.Id": f"Voucher {number} is ledger item {key or '(a new one)'} on {other}, "
                            f"not {draft.id or '(a new one)'}; use another VoucherNumber or that Id."},
        )
    if draft.version != version:
        raise DineroError(
            400, SAME_VOUCHER_VERSION, "Ledger items with the same voucher number must have the same version",
            {f"{where}.Version": f"Voucher {number} has Version {version!r} on {other}, not {draft.version!r}."},
        )


def _check_against_ledger(organization: Organization, groups: list[_Group], writing: set[str]) -> None:
    """A voucher number held by an unbooked item in the ledger (other than those being
    written) is that item's: a new item with it must agree with it as if sent with it."""
    numbered = {group.number: group for group in groups if group.number is not None}
    if not numbered:
        return
    for row in _unbooked(organization):
        data: LedgerItemData = row.data
        group = numbered.get(data.VoucherNumber)  # type: ignore[arg-type]
        if group is None or row.key in writing:
            continue
        _require_same(group.first, data.VoucherDate, data.FileGuid, row.key, version_of(row),
                      f"ledger item {row.key} in the ledger")


def _checked_lines(organization: Organization, group: _Group) -> list[LedgerLineData]:
    """The group's lines, checked; on an existing item left-out Lines keep its own.
    A new line's ``Id`` is empty until the item is written."""
    sent = [(draft, draft.item.Lines) for draft in group.drafts if draft.item.Lines is not None]
    existing = group.first.existing
    if not sent and existing is not None:
        return list(existing.data.Lines)
    lines: list[LedgerLineData] = []
    seen: set[str] = set()
    for draft, given in sent:
        for position, line in enumerate(given or ()):
            where = f"[{draft.index}].Lines[{position}]"
            checked = _check_line(organization, line, where)
            if checked.Id:
                if checked.Id in seen:
                    raise validation_error({f"{where}.Id": f"Line Id '{checked.Id}' is used twice in the item."})
                seen.add(checked.Id)
            lines.append(checked)
    first = group.first.index
    if not lines:
        raise validation_error({f"[{first}].Lines": "A ledger item needs at least one line."})
    total = sum((posting.amount for line in lines for posting in _line_postings(organization, line)), Decimal(0))
    if total != 0:
        raise validation_error(
            {f"[{first}].Lines": f"The lines do not balance: their postings sum to {total}. Give each line a "
                                 "BalancingAccountNumber, or add lines that bring the sum to 0."}
        )
    return lines


def _check_line(organization: Organization, line: LedgerItemLineModelV2, where: str) -> LedgerLineData:
    problems: dict[str, str] = {}
    if line.Amount is None:
        problems[f"{where}.Amount"] = "A line needs an Amount in DKK, e.g. -200.00."
    if line.IsPaymentForVoucherId is not None and line.AccountNumber is not None:
        problems[f"{where}.AccountNumber"] = (
            "A line paying a voucher (IsPaymentForVoucherId) cannot have an AccountNumber; leave it out."
        )
    if line.AccountNumber is None and line.BalancingAccountNumber is None and line.IsPaymentForVoucherId is None:
        problems[where] = "A line needs an AccountNumber, a BalancingAccountNumber or an IsPaymentForVoucherId."
    if problems:
        raise validation_error(problems)
    if line.AccountNumber is not None and not is_account(organization, line.AccountNumber):
        raise DineroError(
            400, UNKNOWN_ACCOUNT, "Unknown account",
            {f"{where}.AccountNumber": f"Account {line.AccountNumber} is not in the chart of accounts."},
        )
    if line.BalancingAccountNumber is not None and not is_account(organization, line.BalancingAccountNumber):
        raise DineroError(
            400, UNKNOWN_DEPOSIT_ACCOUNT, "Unknown balancing account",
            {f"{where}.BalancingAccountNumber": f"Account {line.BalancingAccountNumber} is not in the chart "
                                                "of accounts (it is usually a deposit account, e.g. 55000)."},
        )
    if line.IsPaymentForVoucherId is not None:
        _payment_side(organization, str(line.IsPaymentForVoucherId), f"{where}.IsPaymentForVoucherId")
    balancing_code = line.BalancingAccountVatCode
    return LedgerLineData(
        Id=str(line.Id) if line.Id is not None else "",
        Description=line.Description,
        Amount=money(line.Amount),  # type: ignore[arg-type]
        AccountNumber=line.AccountNumber,
        AccountVatCode=_vat_code(organization, line.AccountNumber, line.AccountVatCode, f"{where}.AccountVatCode"),
        BalancingAccountNumber=line.BalancingAccountNumber,
        BalancingAccountVatCode=_vat_code(
            organization, line.BalancingAccountNumber, balancing_code, f"{where}.BalancingAccountVatCode"
        ),
        IsPaymentForVoucherId=str(line.IsPaymentForVoucherId) if line.IsPaymentForVoucherId else None,
    )


def _vat_code(organization: Organization, account: int | None, given: str | None, where: str) -> str | None:
    """The code to keep for one side of a line (see ``LedgerLineData.AccountVatCode``).
    A code on a side without an account is dropped: there is nothing to book it on."""
    if account is None:
        return None
    if given is None:
        return resolve_vat_code(organization, account, None)
    if not is_vat_code(organization, given):
        raise validation_error({where: f"'{given}' is not a VAT code; use one of vatTypes, or \"none\"."})
    found = vat_type(organization, given)
    return found.VatCode if found is not None else "none"


def _payment_side(organization: Organization, voucher_id: str, where: str) -> tuple[int, str | None]:
    """The account and contact a payment of a booked voucher books on: the voucher's
    debtor or creditor entry. Dinero's handling is unknown (reference §9); this is
    chosen so that the payment settles what the voucher left owing."""
    for row in voucher_entries(organization, voucher_id):
        if not row.data.Reversal and row.data.AccountNumber in (DEBTORS, CREDITORS):
            return row.data.AccountNumber, row.data.ContactGuid
    raise validation_error(
        {where: f"'{voucher_id}' is no booked voucher with an amount owing (an invoice, credit note or purchase)."}
    )


def _data(organization: Organization, group: _Group, lines: list[LedgerLineData]) -> LedgerItemData:
    new_guid = organization.world.new_guid
    return LedgerItemData(
        VoucherNumber=group.number,
        VoucherDate=group.first.day,
        FileGuid=group.first.file_guid,
        Lines=[line if line.Id else line.model_copy(update={"Id": new_guid()}) for line in lines],
    )


# -- reading -------------------------------------------------------------------------


def unbooked_items(organization: Organization, ids: Sequence[str]) -> list[Record]:
    """The unbooked items named by ``ids``, in that order; an empty list asks for every
    unbooked item (Dinero's answer to an empty list is unknown; "all" is chosen, so a
    client can read the whole ledger). An Id that names no item is 404/40; a booked
    item has left the ledger and is left out."""
    if not ids:
        return list(_unbooked(organization))
    rows = []
    for index, key in enumerate(dict.fromkeys(ids)):
        row = _require(organization, key, index)
        if row.data.Status != "Booked":
            rows.append(row)
    return rows


def item_statuses(organization: Organization, ids: Sequence[str]) -> list[Record]:
    """The items named by ``ids`` for their status, after the bookings that are due.
    An item this poll finds pending is marked seen: the next look books it."""
    settle_ledger(organization)
    rows = [_require(organization, key, index) for index, key in enumerate(ids)]
    pending = {row.key for row in rows if row.data.Status == "PendingBooking"}
    if pending:
        state = _state(organization)
        marked = [entry.model_copy(update={"Seen": True}) if entry.Id in pending else entry for entry in state.Pending]
        if marked != state.Pending:
            _save_state(organization, state.model_copy(update={"Pending": marked}))
    return rows


# -- booking -------------------------------------------------------------------------


def book_items(organization: Organization, refs: Sequence[tuple[str, str | None]]) -> None:
    """Send draft items to booking: each becomes PendingBooking now and is booked in
    the background (``settle_ledger``). ``refs`` are (Id, Version); a Version left
    out is not checked. An unknown Id is 404/40, a stale Version 400/58, an item
    already sent or booked 400/42; nothing changes unless every item can go."""
    rows = _drafts_named(organization, refs, "booked")
    if not rows:
        return
    table = organization.table(LEDGER_ITEMS)
    now = organization.clock.now()
    for row in rows:
        table.update(row, row.data.model_copy(update={"Status": "PendingBooking", "BookingError": None}))
    state = _state(organization)
    queued = [*state.Pending, *(PendingBooking(Id=row.key, RequestedAt=now) for row in rows)]
    _save_state(organization, state.model_copy(update={"Pending": queued}))


def settle_ledger(organization: Organization) -> None:
    """Book the pending items that are due: their time has come on the fake's clock,
    or a status poll has seen them pending once."""
    table = organization.table(LEDGER_STATE)
    row = table.get(STATE_KEY)
    if row is None or not row.data.Pending:
        return
    now = organization.clock.now()
    wait = timedelta(seconds=organization.world.settings.ledger_booking_seconds)
    due = [entry for entry in row.data.Pending if entry.Seen or now >= entry.RequestedAt + wait]
    if not due:
        return
    waiting = [entry for entry in row.data.Pending if entry not in due]
    table.update(row, row.data.model_copy(update={"Pending": waiting}))
    items = organization.table(LEDGER_ITEMS)
    for entry in due:
        item = items.get(entry.Id)
        if item is not None and not item.deleted and item.data.Status == "PendingBooking":
            _book(organization, item)


on_settle(settle_ledger)


def _book(organization: Organization, row: Record) -> Record:
    """Post the item's entries and number it; a booking that fails puts the item back
    to Draft. A real background job cannot answer the book call with an error, so the
    failure shows as the status going back to Draft (what the fake chooses as most
    faithful), with the reason kept in the item's ``BookingError``."""
    data: LedgerItemData = row.data
    table = organization.table(LEDGER_ITEMS)
    try:
        postings = _postings(organization, data)
        year_for_booking(organization, data.VoucherDate)
        number = take_number(
            organization, LEDGER_SERIES, data.VoucherNumber, lambda wanted: _number_taken(organization, wanted)
        )
        post(organization, Voucher(row.key, VOUCHER_TYPE, data.VoucherDate, number, data.FileGuid), postings)
    except DineroError as error:
        reason = "; ".join(error.validation_errors.values()) or error.message
        return table.update(row, data.model_copy(update={"Status": "Draft", "BookingError": reason}))
    return table.update(row, data.model_copy(update={"Status": "Booked", "BookedNumber": number, "BookingError": None}))


def _number_taken(organization: Organization, number: int) -> bool:
    """Whether a voucher of the ledger's series (ledger items, manual vouchers) has been
    booked with ``number``."""
    return any(
        row.data.VoucherNumber == number and row.data.VoucherType in LEDGER_SERIES_TYPES
        for row in organization.table(ENTRIES)
    )


def _postings(organization: Organization, data: LedgerItemData) -> list[Posting]:
    return [posting for line in data.Lines for posting in _line_postings(organization, line)]


def _line_postings(organization: Organization, line: LedgerLineData) -> list[Posting]:
    account, account_code, contact = line.AccountNumber, line.AccountVatCode, None
    if line.IsPaymentForVoucherId is not None:
        account, contact = _payment_side(organization, line.IsPaymentForVoucherId, "IsPaymentForVoucherId")
        account_code = "none"
    return line_postings(
        organization,
        line.Amount,
        account,
        line.BalancingAccountNumber,
        _resolved(organization, account, account_code),
        _resolved(organization, line.BalancingAccountNumber, line.BalancingAccountVatCode),
        line.Description,
        contact,
    )


def _resolved(organization: Organization, account: int | None, code: str | None) -> str | None:
    if account is None:
        return None
    return resolve_vat_code(organization, account, code) if code is not None else None


# -- deleting ------------------------------------------------------------------------


def delete_items(organization: Organization, refs: Sequence[tuple[str, str | None]]) -> None:
    """Remove draft items from the ledger (a soft delete, so changes show it). An
    unknown Id is 404/40, a stale Version 400/58; an item sent to booking or booked
    cannot be deleted here (400/42: a booked voucher is undone by a counter-entry)."""
    table = organization.table(LEDGER_ITEMS)
    for row in _drafts_named(organization, refs, "deleted"):
        table.delete(row)


# -- reports ---------------------------------------------------------------------------


def draft_postings(organization: Organization, year: AccountingYearData) -> Iterator[tuple[date, Posting]]:
    """The postings of the unbooked items dated in ``year``, as booking would post them
    (what a report with includeLedgerEntries=true counts)."""
    for row in _unbooked(organization):
        data: LedgerItemData = row.data
        if data.VoucherDate not in year:
            continue
        try:
            postings = _postings(organization, data)
        except DineroError:
            continue  # a payment whose voucher is gone would not book either
        for posting in postings:
            if posting.amount != 0:
                yield data.VoucherDate, posting


# -- helpers -------------------------------------------------------------------------


def _unbooked(organization: Organization) -> Iterable[Record]:
    return (
        row for row in organization.table(LEDGER_ITEMS).records()
        if not row.deleted and row.data.Status != "Booked"
    )


def _require(organization: Organization, key: str, index: int) -> Record:
    row = organization.table(LEDGER_ITEMS).get(key)
    if row is None or row.deleted:
        raise DineroError(
            404, NOT_FOUND, "Not found", {f"[{index}].Id": f"No ledger item with Id '{key}' is in the ledger."}
        )
    return row


def _check_version(row: Record, supplied: str | None, index: int) -> None:
    if supplied is None:
        return
    current = version_of(row)
    if supplied.strip() != current:
        raise DineroError(
            400, TIMESTAMP_OUTDATED, "Version outdated",
            {f"[{index}].Version": f"'{supplied}' is not the item's current Version ('{current}'); read it again."},
        )


def _require_draft(row: Record, index: int, doing: str) -> None:
    status = row.data.Status
    if status == "Draft":
        return
    reason = "is booked" if status == "Booked" else "has been sent to booking"
    raise validation_error({f"[{index}].Id": f"Ledger item '{row.key}' {reason} and cannot be {doing}."})


def _drafts_named(organization: Organization, refs: Sequence[tuple[str, str | None]], doing: str) -> list[Record]:
    rows: dict[str, Record] = {}
    for index, (key, version) in enumerate(refs):
        row = _require(organization, key, index)
        _check_version(row, version, index)
        _require_draft(row, index, doing)
        rows.setdefault(row.key, row)
    return list(rows.values())


def _check_not_busy(organization: Organization) -> None:
    window = organization.world.settings.ledger_post_seconds
    last = _state(organization).LastPostAt
    if window <= 0 or last is None:
        return
    since = organization.clock.now() - last
    if timedelta(0) <= since < timedelta(seconds=window):
        raise DineroError(
            400, LEDGER_BUSY, "Ledger items are already being posted for this organization",
            {"body": f"The previous post of ledger items is still being handled; post again after "
                     f"{window:g} seconds, and post one request at a time."},
        )


def _state(organization: Organization) -> LedgerStateData:
    row = organization.table(LEDGER_STATE).get(STATE_KEY)
    return row.data if row is not None else LedgerStateData()  # type: ignore[no-any-return]


def _save_state(organization: Organization, data: LedgerStateData) -> None:
    table = organization.table(LEDGER_STATE)
    row = table.get(STATE_KEY)
    if row is None:
        table.insert(STATE_KEY, data)
    else:
        table.update(row, data)


DRAFT_POSTINGS.append(draft_postings)
"""Reports with includeLedgerEntries=true count the unbooked items."""
