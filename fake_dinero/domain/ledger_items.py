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
queue of items waiting to be booked are one row of ``LEDGER_STATE``. Dinero's
models and the stored data are in ``ledger_item_models``; what a post or a
change must satisfy before anything is stored is in ``ledger_item_checks``.

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

from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from ..errors import (
    LEDGER_BUSY,
    LEDGER_FULL,
    NOT_FOUND,
    TIMESTAMP_OUTDATED,
    DineroError,
    validation_error,
)
from ..formats import shown
from ..store import Record
from . import sales
from .dates import today
from .ledger import Voucher, on_settle, post
from .ledger_item_checks import (
    check_against_ledger,
    checked_lines,
    draft_of,
    groups_of,
    item_data,
    item_line_postings,
)
from .ledger_item_models import (
    LEDGER_ITEMS,
    LEDGER_STATE,
    MAX_UNBOOKED,
    STATE_KEY,
    VOUCHER_TYPE,
    LedgerItemData,
    LedgerItemModelV2,
    LedgerStateData,
    PendingBooking,
    unbooked_rows,
    version_of,
)
from .manual_vouchers import is_ledger_number_taken
from .numbering import LEDGER_SERIES, choose_number, use_number
from .reports import DRAFT_POSTINGS
from .vat import Posting
from .years import AccountingYearData

if TYPE_CHECKING:
    from ..world import Organization

__all__ = [
    "add_items",
    "book_items",
    "delete_items",
    "draft_postings",
    "item_statuses",
    "settle_ledger",
    "unbooked_items",
    "update_items",
]

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
    drafts = [draft_of(index, item, None, on) for index, item in enumerate(items)]
    groups = groups_of(drafts)
    check_against_ledger(organization, groups, writing=set())
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
    unbooked = sum(1 for _ in unbooked_rows(organization))
    if unbooked + len(groups) > MAX_UNBOOKED:
        raise DineroError(
            400, LEDGER_FULL, "The ledger is full",
            {"body": f"The ledger holds {unbooked} unbooked items and at most {MAX_UNBOOKED}; "
                     f"{len(groups)} more do not fit. Book or delete some first."},
        )
    checked = [(group, checked_lines(organization, group)) for group in groups]
    rows: dict[int, Record] = {}
    new_guid = organization.world.new_guid
    for group, lines in checked:
        key = group.id or new_guid()
        row = table.insert(key, item_data(organization, group, lines))
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
        drafts.append(draft_of(index, item, row, on))
    groups = groups_of(drafts)
    check_against_ledger(organization, groups, writing={str(item.Id) for item in items})
    keys: set[str] = set()
    for group in groups:
        if group.id in keys:
            raise validation_error(
                {f"[{group.first.index}].Id": f"Id '{group.id}' is given to two ledger items; send each item once."}
            )
        keys.add(group.id)  # type: ignore[arg-type]
    checked = [(group, checked_lines(organization, group)) for group in groups]
    rows: dict[int, Record] = {}
    for group, lines in checked:
        row = table.update(table.get(group.id), item_data(organization, group, lines))  # type: ignore[arg-type]
        for draft in group.drafts:
            rows[draft.index] = row
    return [rows[index] for index in range(len(items))]


# -- reading -------------------------------------------------------------------------


def unbooked_items(organization: Organization, ids: Sequence[str]) -> list[Record]:
    """The unbooked items named by ``ids``, in that order; an empty list asks for every
    unbooked item (Dinero's answer to an empty list is unknown; "all" is chosen, so a
    client can read the whole ledger). An Id that names no item is 404/40; a booked
    item has left the ledger and is left out."""
    if not ids:
        return list(unbooked_rows(organization))
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
        number = choose_number(organization, LEDGER_SERIES, data.VoucherNumber, is_ledger_number_taken)
        post(organization, Voucher(row.key, VOUCHER_TYPE, data.VoucherDate, number, data.FileGuid), postings)
    except DineroError as error:
        reason = "; ".join(error.validation_errors.values()) or error.message
        return table.update(row, data.model_copy(update={"Status": "Draft", "BookingError": reason}))
    use_number(organization, LEDGER_SERIES, number)
    for line in data.Lines:
        if line.IsPaymentForVoucherId is not None:
            # The paying side is the account side, with no VAT: it posted ``Amount`` on the debtor.
            sales.record_ledger_payment(
                organization, line.IsPaymentForVoucherId, line.Amount, line.BalancingAccountNumber,
                line.Description, data.VoucherDate, row.key,
            )
    return table.update(row, data.model_copy(update={"Status": "Booked", "BookedNumber": number, "BookingError": None}))


def _postings(organization: Organization, data: LedgerItemData) -> list[Posting]:
    return [posting for line in data.Lines for posting in item_line_postings(organization, line)]


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
    for row in unbooked_rows(organization):
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
            {
                f"[{index}].Version": (
                    f"'{shown(supplied)}' is not the item's current Version ('{current}'); read it again."
                )
            },
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
