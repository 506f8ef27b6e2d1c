"""Entries: the posted lines of the books, by date and by when they were added
(reference §4.12, §6.7). Plain arrays of EntryReadModel; the rules are in
``domain.reports``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..call import Call
from ..domain.chart import account_name
from ..domain.ledger import ENTRIES, EntryReadModel
from ..domain.reports import PrimoEntry, entries_between, entry_changes
from ..errors import validation_error
from ..formats import OutOfRange, money_json, parse_lenient_datetime, shown
from ..routing import QueryParam, Routes
from ..store import Record

if TYPE_CHECKING:
    from ..world import Organization

routes = Routes(tag="Entry")

INCLUDE_PRIMO = QueryParam("includePrimo", "boolean", True)


def _moments(call: Call, first: str, last: str) -> tuple[datetime, datetime, tuple[str, str]]:
    """Both parameters, parsed leniently (naive is UTC); 400/42 naming each missing
    or unreadable one. Also returns the texts as the client wrote them."""
    texts = {name: call.query(name) for name in (first, last)}
    problems: dict[str, str] = {}
    moments: dict[str, datetime] = {}
    for name, text in texts.items():
        if text is None:
            problems[name] = f"{name} is required: a date (YYYY-MM-DD) or a date-time (YYYY-MM-DDTHH:mm:ssZ)."
            continue
        try:
            moments[name] = parse_lenient_datetime(text)
        except OutOfRange as exc:
            problems[name] = f"'{shown(text)}': {exc}"
        except ValueError:
            problems[name] = f"'{shown(text)}' is not a date or a date-time. Use YYYY-MM-DD or YYYY-MM-DDTHH:mm:ssZ."
    if problems:
        raise validation_error(problems)
    return moments[first], moments[last], (texts[first] or "", texts[last] or "")


def _day(text: str) -> date:
    """The date part as the client wrote it: entries are dated by day, the time (and
    zone) of a date-time is ignored."""
    return date.fromisoformat(text.strip()[:10])


def _rendered(organization: Organization, found: Iterable[PrimoEntry | Record]) -> list[dict[str, Any]]:
    table = organization.table(ENTRIES)
    return [
        table.document(item) if isinstance(item, Record) else _render_primo(organization, item) for item in found
    ]


def _render_primo(organization: Organization, entry: PrimoEntry) -> dict[str, Any]:
    """A primo entry belongs to no voucher; Dinero's VoucherType, VoucherNumber and
    Description for one are unknown: null, null and "Primo" are chosen."""
    return EntryReadModel(
        AccountNumber=entry.account,
        AccountName=account_name(organization, entry.account),
        Date=entry.date.isoformat(),
        Description="Primo",
        Amount=money_json(entry.amount),
        EntryGuid=entry.guid,  # type: ignore[arg-type]
        Type="Primo",
    ).model_dump(mode="json")


@routes.get(
    "/v1/{organizationId}/entries",
    response=list[EntryReadModel],
    query=(QueryParam("fromDate", format="date-time"), QueryParam("toDate", format="date-time"), INCLUDE_PRIMO),
)
def list_entries(call: Call) -> list[dict[str, Any]]:
    """Entries dated fromDate to toDate (both required, 42; date or date-time, the date part
    counts), within one accounting year (end before start 83, two years 82, none 47). With
    includePrimo the year's primo entries come first (one per balance-sheet account with an
    opening balance, earlier years' result on 60020), then the entries by date."""
    _, _, (first, last) = _moments(call, "fromDate", "toDate")
    organization = call.organization
    found = entries_between(organization, _day(first), _day(last), call.query_bool("includePrimo", True))
    return _rendered(organization, found)


@routes.get(
    "/v1/{organizationId}/entries/changes",
    response=list[EntryReadModel],
    query=(QueryParam("changesFrom", format="date-time"), QueryParam("changesTo", format="date-time"), INCLUDE_PRIMO),
)
def list_entry_changes(call: Call) -> list[dict[str, Any]]:
    """Entries added from changesFrom to changesTo (both required, 42; UTC when no zone is
    given; at most 31 days apart, 84; end before start, 83), in the order added. With
    includePrimo, first the primo entries those entries changed, with their current amount."""
    start, end, _ = _moments(call, "changesFrom", "changesTo")
    organization = call.organization
    return _rendered(organization, entry_changes(organization, start, end, call.query_bool("includePrimo", True)))
