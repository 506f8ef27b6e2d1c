"""The books at scale, in detail: ``--invoices`` invoices (default 1,000) created, booked
and paid over the API as a client would (and the same through the domain, without
HTTP), the clock moving so they spread over 60 days of the year; what one more
booking and payment costs once they are booked (the first of them next to the last:
numbering keeps a high-water mark, so it must not grow); a draft's GET (it previews
the next number); the saldo report of the year cold and cached; the entries of the
year, of one day, and the changes of a 31-day window."""

from __future__ import annotations

import gc
import itertools
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import httpx

from .building import DEPOSIT_ACCOUNT, LINE, PAID
from .table import detail, ms, ratio, us
from .timing import START, best_of, demo_fake, once

if TYPE_CHECKING:
    from fake_dinero import FakeDinero
    from fake_dinero.world import Organization

BOOKS_START = START
"""The fake's clock when the books benchmark starts: early in the accounting year 2026."""
BOOKS_SPREAD = timedelta(days=60)
"""The invoices are made over this much of the fake's clock, however many there are,
so their dates stay in the year and a 31-day window of changes holds about half."""
YEAR = "2026"
CHANGES_WINDOW = timedelta(days=31)
"""The longest window ``entries/changes`` answers."""
CUSTOMERS = 10
PAYMENT = {"DepositAccountNumber": DEPOSIT_ACCOUNT, "Amount": PAID, "Description": "Indbetaling"}


def _books_fake() -> FakeDinero:
    """The demo organization on a frozen clock in the year, without a rate limit or
    a pause between ledger posts, and tokens that outlive the 60 days the clock moves."""
    return demo_fake(frozen=True)


class _Api:
    """An httpx client logged in to the demo organization; a refused call stops the run
    (a benchmark of error answers would measure the wrong thing)."""

    def __init__(self, fake: FakeDinero) -> None:
        from fake_dinero.auth import issue_legacy_token

        organization = next(iter(fake.world.organizations.values()))
        grant = issue_legacy_token(fake.world, organization.id, fake.world.clients["fake-dinero-client"])
        self.organization: Organization = organization
        self.base = f"https://api.dinero.dk/v1/{organization.id}"
        self.client = httpx.Client(headers={"Authorization": f"Bearer {grant.token}"})

    def call(self, method: str, path: str, body: Any = None) -> Any:
        response = self.client.request(method, self.base + path, json=body)
        if response.status_code != 200:
            raise RuntimeError(f"{method} {path} answered {response.status_code}: {response.text}")
        return response.json() if response.content else None

    def get(self, path: str) -> Any:
        return self.call("GET", path)

    def post(self, path: str, body: Any) -> Any:
        return self.call("POST", path, body)

    def customers(self, count: int) -> list[str]:
        return [
            self.post("/contacts", {"Name": f"Kunde {index} ApS", "CountryKey": "DK"})["ContactGuid"]
            for index in range(count)
        ]


class _GcClock:
    """The seconds the cyclic garbage collector has run while it is entered (``gc.callbacks``)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started

    def __enter__(self) -> _GcClock:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)


STEPS = ("create draft", "book", "pay")


@dataclass
class _Invoices:
    """Seconds per step of each invoice, and the cyclic GC's share of each, in booking order."""

    seconds: list[tuple[float, ...]] = field(default_factory=list)
    gc_seconds: list[float] = field(default_factory=list)

    def total(self) -> float:
        return sum(sum(steps) for steps in self.seconds)

    def per_invoice(self, part: slice) -> float:
        """Mean seconds per invoice (every step) over ``part``, the GC's pauses included."""
        chosen = self.seconds[part]
        return sum(sum(steps) for steps in chosen) / len(chosen)

    def gc_per_invoice(self, part: slice) -> float:
        chosen = self.gc_seconds[part]
        return sum(chosen) / len(chosen)

    def median(self, step: int, part: slice) -> float:
        """Median seconds of one step over ``part``: the call itself, rarely a GC pause."""
        return statistics.median(steps[step] for steps in self.seconds[part])


Step = Callable[[Any], Any]


def _time_invoices(
    count: int, steps: tuple[Step, Step, Step], clock_step: timedelta, organization: Organization
) -> _Invoices:
    """Run the three steps of ``count`` invoices (each step gets what the one before
    returned), timing each; the fake's clock moves ``clock_step`` after each invoice."""
    timed = _Invoices()
    gc.collect()
    with _GcClock() as collector:
        for index in range(count):
            gc_before = collector.seconds
            value: Any = index
            marks = [time.perf_counter()]
            for step in steps:
                value = step(value)
                marks.append(time.perf_counter())
            timed.seconds.append(tuple(after - before for before, after in itertools.pairwise(marks)))
            timed.gc_seconds.append(collector.seconds - gc_before)
            organization.clock.advance(clock_step.total_seconds())
    return timed


def _book_over_api(api: _Api, customers: list[str], count: int, clock_step: timedelta) -> _Invoices:
    """``count`` invoices created, booked and paid over the API, each call with the
    TimeStamp the answer before gave (no GET in between)."""

    def create(index: int) -> tuple[str, str]:
        draft = api.post("/invoices", {"ContactGuid": customers[index % len(customers)], "ProductLines": [LINE]})
        return f"/invoices/{draft['Guid']}", draft["TimeStamp"]

    def book(draft: tuple[str, str]) -> tuple[str, str]:
        path, timestamp = draft
        return path, api.post(f"{path}/book", {"Timestamp": timestamp})["TimeStamp"]

    def pay(booked: tuple[str, str]) -> object:
        path, timestamp = booked
        return api.post(f"{path}/payments", {"Timestamp": timestamp, **PAYMENT})

    return _time_invoices(count, (create, book, pay), clock_step, api.organization)


def _book_in_domain(organization: Organization, customers: list[str], count: int, clock_step: timedelta) -> _Invoices:
    """The same invoices through the functions the handlers call, without HTTP: bind
    the body, create the draft; book; pay."""
    from fake_dinero.domain import sales
    from fake_dinero.domain.documents import PaymentValues
    from fake_dinero.resources.document_binding import bind_document
    from fake_dinero.resources.document_models import InvoiceCreateModel

    payment = PaymentValues(DEPOSIT_ACCOUNT, Decimal(PAID), "Indbetaling")

    def create(index: int) -> str:
        body = InvoiceCreateModel.model_validate(
            {"ContactGuid": customers[index % len(customers)], "ProductLines": [LINE]}
        )
        return sales.create_document(organization, bind_document(organization, "Invoice", body)).key

    def book(key: str) -> str:
        return sales.book_document(organization, "Invoice", key, None).key

    def pay(key: str) -> object:
        return sales.add_payment(organization, "Invoice", key, None, payment)

    return _time_invoices(count, (create, book, pay), clock_step, organization)


class _Table:
    """The detailed lines of the books."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def heading(self, text: str) -> None:
        self.lines.append(text)

    def row(self, label: str, figure: str, note: str = "") -> None:
        self.lines.append(detail(label, figure, note))

    def first_and_last(self, label: str, first: float, last: float, edge: int, how: str) -> None:
        """A figure for the first ``edge`` invoices, and the last ``edge`` next to it."""
        unit, scale, places = ("ms", 1000, 3) if max(first, last) >= 0.001 else ("us", 1e6, 1)
        shown = f"ratio {last / first:.2f}" if first else "ratio -"
        self.row(
            f"{label}, first {edge}", f"{first * scale:8.{places}f} {unit}",
            f"last {edge}: {last * scale:.{places}f} {unit}, {shown} ({how})",
        )


@contextmanager
def _serving(fake: FakeDinero) -> Iterator[_Api]:
    from fake_dinero.inprocess import InProcessDinero

    with InProcessDinero(fake):
        api = _Api(fake)
        try:
            yield api
        finally:
            api.client.close()


def books_table(invoices: int, calls: int) -> list[str]:
    """The figures of the books at ``invoices`` invoices, measured in this run."""
    from fake_dinero.domain.ledger import ENTRIES

    clock_step = BOOKS_SPREAD / invoices
    edge = max(1, min(100, invoices // 2))
    first, last = slice(0, edge), slice(-edge, None)
    repeats = max(1, calls // 10)
    year = f"/entries?fromDate={YEAR}-01-01&toDate={YEAR}-12-31"
    one_day = (BOOKS_START + BOOKS_SPREAD / 2).date().isoformat()
    day = f"/entries?fromDate={one_day}&toDate={one_day}"
    window_start = BOOKS_START + BOOKS_SPREAD / 4
    window = f"/entries/changes?changesFrom={_moment(window_start)}&changesTo={_moment(window_start + CHANGES_WINDOW)}"
    saldo = f"/{YEAR}/reports/saldo"

    with _serving(_books_fake()) as api:
        customers = api.customers(CUSTOMERS)
        draft = f"/invoices/{api.post('/invoices', {'ContactGuid': customers[0], 'ProductLines': [LINE]})['Guid']}"
        draft_empty = best_of(5, repeats, lambda: api.get(draft))
        over_api = _book_over_api(api, customers, invoices, clock_step)
        draft_full = best_of(5, repeats, lambda: api.get(draft))
        entry_count = len(api.organization.table(ENTRIES))
        entries_cold = once(lambda: api.get(year))
        entries_warm = best_of(5, 1, lambda: api.get(year))
        day_count = len(api.get(day))
        entries_day = best_of(5, max(1, repeats // 10), lambda: api.get(day))
        changes_count = len(api.get(window))
        changes = best_of(5, 1, lambda: api.get(window))
        saldo_warm = best_of(5, repeats, lambda: api.get(saldo))
        saldo_cold = _saldo_after_each_booking(api, customers, saldo, runs=min(20, max(3, invoices // 50)))
        saldo_entries = len(api.organization.table(ENTRIES))

    with _serving(_books_fake()) as domain_api:
        domain_customers = domain_api.customers(CUSTOMERS)
        in_domain = _book_in_domain(domain_api.organization, domain_customers, invoices, clock_step)

    n = f"{invoices:,}"
    table = _Table()
    table.heading(f"the books: {n} invoices of 1250 DKK created, booked and paid, spread over 60 days of the clock")
    table.row(f"create+book+pay {n} invoices over the API", f"{over_api.total():8.2f} s",
              f"{over_api.total() / invoices * 1000:.3f} ms per invoice")
    table.row("the same through the domain (no HTTP)", f"{in_domain.total():8.2f} s",
              f"{in_domain.total() / invoices * 1000:.3f} ms per invoice")
    table.row("ratio API / domain", ratio(over_api.total() / in_domain.total()))
    table.first_and_last("per invoice over the API", over_api.per_invoice(first), over_api.per_invoice(last), edge,
                         "mean, GC pauses included")
    table.first_and_last("  of which the cyclic GC", over_api.gc_per_invoice(first), over_api.gc_per_invoice(last),
                         edge, "mean")
    for timed, where in ((over_api, "over the API"), (in_domain, "in the domain")):
        for step, name in enumerate(STEPS):
            table.first_and_last(f"{name} {where}", timed.median(step, first), timed.median(step, last), edge, "median")
    table.row("GET draft (previews its number), 0 booked", us(draft_empty))
    table.row(f"GET draft (previews its number), {n} booked", us(draft_full))
    table.row(f"ratio {n} booked / 0 booked", ratio(draft_full / draft_empty))
    table.row(f"saldo {YEAR}, cold (first call after a booking)", ms(saldo_cold), f"{saldo_entries:,} entries")
    table.row(f"saldo {YEAR}, warm (the same call again)", ms(saldo_warm))
    table.row("ratio cold / warm", ratio(saldo_cold / saldo_warm))
    table.row(f"entries {YEAR} (the whole year), first call", ms(entries_cold),
              f"{entry_count:,} entries, {entries_cold / entry_count * 1e6:.1f} us each (each rendered once)")
    table.row(f"entries {YEAR} (the whole year), again", ms(entries_warm),
              f"{entries_warm / entry_count * 1e6:.1f} us each")
    table.row("ratio first / again", ratio(entries_cold / entries_warm))
    table.row(f"entries of one day ({one_day})", ms(entries_day), f"{day_count:,} entries")
    table.row("entries/changes of a 31-day window", ms(changes), f"{changes_count:,} entries")
    return table.lines


def _moment(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _saldo_after_each_booking(api: _Api, customers: list[str], path: str, runs: int) -> float:
    """The median saldo call right after one more invoice is booked and paid, so the
    report is folded anew each time (what a client reading after writing sees)."""
    timings = []
    for _ in range(runs):
        _book_over_api(api, customers, 1, timedelta())
        timings.append(once(lambda: api.get(path)))
    return statistics.median(timings)


