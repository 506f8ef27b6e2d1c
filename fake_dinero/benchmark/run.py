"""The figures of ``python -m fake_dinero.benchmark``.

Reports import time, the set-up and reset of a fake as the pytest fixtures
do them, and the per-call cost of a GET through the in-process fake next to
the same GET answered by a canned respx route (the cheapest mock there is), and
what ``serve``'s request log adds to each answer.

Then the cost of the books at scale: ``--invoices`` invoices (default 1,000)
created, booked and paid over the API as a client would (and the same through
the domain, without HTTP), the clock moving so they spread over 60 days of the
year; what one more booking and payment costs once they are booked (the first
of them next to the last: numbering keeps a high-water mark, so it must not
grow); a draft's GET (it previews the next number); the saldo report of the
year cold and cached; the entries of the year, of one day, and the changes of
a 31-day window.

A benchmark, not a test: it prints numbers and asserts nothing.
"""

from __future__ import annotations

import argparse
import gc
import io
import itertools
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import httpx
import respx

if TYPE_CHECKING:
    from fake_dinero import FakeDinero
    from fake_dinero.world import Organization


def _best_of(repeats: int, number: int, action: Callable[[], object]) -> float:
    """Seconds per call: the best of ``repeats`` runs of ``number`` calls (least disturbed)."""
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            action()
        timings.append((time.perf_counter() - start) / number)
    return min(timings)


def import_seconds(runs: int = 5) -> float:
    """Median extra seconds ``import fake_dinero`` adds to a bare interpreter start."""

    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    bare = statistics.median(run("pass") for _ in range(runs))
    loaded = statistics.median(run("import fake_dinero, fake_dinero.inprocess") for _ in range(runs))
    return loaded - bare


# -- the books at scale ---------------------------------------------------------------

BOOKS_START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
"""The fake's clock when the books benchmark starts: early in the accounting year 2026."""
BOOKS_SPREAD = timedelta(days=60)
"""The invoices are made over this much of the fake's clock, however many there are,
so their dates stay in the year and a 31-day window of changes holds about half."""
YEAR = "2026"
CHANGES_WINDOW = timedelta(days=31)
"""The longest window ``entries/changes`` answers."""
CUSTOMERS = 10
LINE = {
    "Description": "Konsulentbistand", "Quantity": 1, "Unit": "hours", "AccountNumber": 1000, "BaseAmountValue": 1000,
}
"""1 hour at 1000 DKK on account 1000 (25% VAT): the invoice is 1250 DKK."""
PAID = 1250
DEPOSIT_ACCOUNT = 55000
PAYMENT = {"DepositAccountNumber": DEPOSIT_ACCOUNT, "Amount": PAID, "Description": "Indbetaling"}


def _books_fake() -> FakeDinero:
    """The demo organization on a frozen clock in the year, without a rate limit or
    a pause between ledger posts, and tokens that outlive the 60 days the clock moves."""
    from fake_dinero import Clock, FakeDinero, Settings, World

    settings = Settings(rate_limit=None, ledger_post_seconds=0, token_lifetime_seconds=400 * 86400)
    return FakeDinero(World.with_demo(clock=Clock(BOOKS_START), settings=settings))


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


def _once(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


@dataclass
class _Table:
    """The printed table: a label, a figure with its unit, and a note, as the lines above."""

    lines: list[str] = field(default_factory=list)

    def heading(self, text: str) -> None:
        self.lines.append(text)

    def row(self, label: str, figure: str, note: str = "") -> None:
        self.lines.append(f"{label + ':':<47}{figure}" + (f"   {note}" if note else ""))

    def first_and_last(self, label: str, first: float, last: float, edge: int, how: str) -> None:
        """A figure for the first ``edge`` invoices, and the last ``edge`` next to it."""
        unit, scale, places = ("ms", 1000, 3) if max(first, last) >= 0.001 else ("us", 1e6, 1)
        ratio = f"ratio {last / first:.2f}" if first else "ratio -"
        self.row(
            f"{label}, first {edge}", f"{first * scale:8.{places}f} {unit}",
            f"last {edge}: {last * scale:.{places}f} {unit}, {ratio} ({how})",
        )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:8.3f} ms"


def _us(seconds: float) -> str:
    return f"{seconds * 1e6:8.1f} us"


def _ratio(value: float) -> str:
    return f"{value:8.2f}"


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
        draft_empty = _best_of(5, repeats, lambda: api.get(draft))
        over_api = _book_over_api(api, customers, invoices, clock_step)
        draft_full = _best_of(5, repeats, lambda: api.get(draft))
        entry_count = len(api.organization.table(ENTRIES))
        entries_cold = _once(lambda: api.get(year))
        entries_warm = _best_of(5, 1, lambda: api.get(year))
        day_count = len(api.get(day))
        entries_day = _best_of(5, max(1, repeats // 10), lambda: api.get(day))
        changes_count = len(api.get(window))
        changes = _best_of(5, 1, lambda: api.get(window))
        saldo_warm = _best_of(5, repeats, lambda: api.get(saldo))
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
    table.row("ratio API / domain", _ratio(over_api.total() / in_domain.total()))
    table.first_and_last("per invoice over the API", over_api.per_invoice(first), over_api.per_invoice(last), edge,
                         "mean, GC pauses included")
    table.first_and_last("  of which the cyclic GC", over_api.gc_per_invoice(first), over_api.gc_per_invoice(last),
                         edge, "mean")
    for timed, where in ((over_api, "over the API"), (in_domain, "in the domain")):
        for step, name in enumerate(STEPS):
            table.first_and_last(f"{name} {where}", timed.median(step, first), timed.median(step, last), edge, "median")
    table.row("GET draft (previews its number), 0 booked", _us(draft_empty))
    table.row(f"GET draft (previews its number), {n} booked", _us(draft_full))
    table.row(f"ratio {n} booked / 0 booked", _ratio(draft_full / draft_empty))
    table.row(f"saldo {YEAR}, cold (first call after a booking)", _ms(saldo_cold), f"{saldo_entries:,} entries")
    table.row(f"saldo {YEAR}, warm (the same call again)", _ms(saldo_warm))
    table.row("ratio cold / warm", _ratio(saldo_cold / saldo_warm))
    table.row(f"entries {YEAR} (the whole year), first call", _ms(entries_cold),
              f"{entry_count:,} entries, {entries_cold / entry_count * 1e6:.1f} us each (each rendered once)")
    table.row(f"entries {YEAR} (the whole year), again", _ms(entries_warm),
              f"{entries_warm / entry_count * 1e6:.1f} us each")
    table.row("ratio first / again", _ratio(entries_cold / entries_warm))
    table.row(f"entries of one day ({one_day})", _ms(entries_day), f"{day_count:,} entries")
    table.row("entries/changes of a 31-day window", _ms(changes), f"{changes_count:,} entries")
    return table.lines


def _moment(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _saldo_after_each_booking(api: _Api, customers: list[str], path: str, runs: int) -> float:
    """The median saldo call right after one more invoice is booked and paid, so the
    report is folded anew each time (what a client reading after writing sees)."""
    timings = []
    for _ in range(runs):
        _book_over_api(api, customers, 1, timedelta())
        timings.append(_once(lambda: api.get(path)))
    return statistics.median(timings)


def call_lines(calls: int, import_runs: int = 5) -> list[str]:
    """Import time, fixture set-up, reset, and a GET through the fake next to a canned one
    (set-up and reset repeated fewer times when ``calls`` is under 2000 and 1000)."""
    from fake_dinero import FakeDinero, Settings, World
    from fake_dinero.auth import issue_legacy_token
    from fake_dinero.inprocess import InProcessDinero
    from fake_dinero.resources.contacts import CONTACTS

    def build() -> FakeDinero:
        return FakeDinero(World.with_demo(settings=Settings(rate_limit=None), contacts=5, products=5))

    fake = build()
    setup = _best_of(5, max(1, min(50, calls // 40)), lambda: InProcessDinero(build()).start().stop())
    reset = _best_of(5, max(1, min(1000, calls // 2)), fake.control.reset)

    grant = issue_legacy_token(fake.world, 123456, fake.world.clients["fake-dinero-client"])
    headers = {"Authorization": f"Bearer {grant.token}"}
    guid = next(iter(fake.world.organizations[123456].table(CONTACTS))).key
    url = f"https://api.dinero.dk/v1/123456/contacts/{guid}"

    log_cost, deliver_alone = request_log_cost(fake, url.removeprefix("https://api.dinero.dk"), headers, calls)
    fresh, example = given_example_cost(max(1, min(500, calls // 4)))

    with httpx.Client() as client:
        with InProcessDinero(fake):
            body = client.get(url, headers=headers).content
            through_fake = _best_of(5, calls, lambda: client.get(url, headers=headers))
        with respx.mock(assert_all_called=False) as router:
            router.get(url).mock(return_value=httpx.Response(200, content=body))
            canned = _best_of(5, calls, lambda: client.get(url, headers=headers))

    return [
        f"import fake_dinero (over a bare interpreter): {import_seconds(import_runs) * 1000:8.1f} ms",
        f"fixture set-up (build fake + start respx):     {setup * 1000:8.3f} ms",
        f"reset to the seeded state:                     {reset * 1000:8.4f} ms",
        f"GET contact through the in-process fake:       {through_fake * 1e6:8.1f} us",
        f"same GET from a canned respx route:            {canned * 1e6:8.1f} us",
        f"ratio fake / canned:                           {through_fake / canned:8.2f}",
        f"request log (serve), added per request:        {log_cost * 1e6:8.1f} us   "
        f"deliver alone: {deliver_alone * 1e6:.1f} us (text lines to memory through serve's writer thread)",
        f"@given example's fresh fake (fresh_dinero):    {fresh * 1e6:8.1f} us   (reset + start and stop the doors)",
        f"@given example, fresh fake + token + POST:     {example * 1e6:8.1f} us   "
        f"{1 / example:,.0f} examples a second (a contact created in a clean fake)",
    ]


def given_example_cost(runs: int) -> tuple[float, float]:
    """Seconds of one hypothesis example's clean fake (``with fresh_dinero():`` and
    nothing in it), and of an example that logs in and creates a contact in it."""
    from fake_dinero.pytest_plugin.handle import fresh_dinero

    contact = {"Name": "Kunde ApS", "CountryKey": "DK"}

    def empty() -> None:
        with fresh_dinero():
            pass

    def example(client: httpx.Client) -> None:
        with fresh_dinero() as dinero:
            client.post(dinero.url("/v1/{org}/contacts"), json=contact, headers=dinero.headers())

    with httpx.Client() as client:
        example(client)  # builds the reused fake once
        return _best_of(5, runs, empty), _best_of(5, runs, lambda: example(client))


def request_log_cost(fake: FakeDinero, path: str, headers: dict[str, str], calls: int) -> tuple[float, float]:
    """Seconds ``serve``'s request log adds to one answer, and the seconds of the answer
    alone: ``deliver`` with and without the log, as the Starlette door calls them, its
    lines going to an in-memory stream through the writer thread ``serve`` uses."""
    from fake_dinero.http import ApiRequest
    from fake_dinero.request_log import ConsoleWriter, RequestLog

    request = ApiRequest("GET", path, headers={name.lower(): value for name, value in headers.items()})
    writer = ConsoleWriter(io.StringIO(), capacity=0)
    log = RequestLog(writer)

    def logged() -> None:
        journal = fake.journal
        journaled = len(journal)
        delivery = fake.deliver(request)
        entry = journal.entries[-1] if len(journal) > journaled else None
        log.answered(request, delivery.response, entry, now=fake.world.clock.now)

    try:
        alone = _best_of(5, calls, lambda: fake.deliver(request))
        with_log = _best_of(5, calls, logged)
    finally:
        writer.close()
        fake.journal.clear()
    return max(0.0, with_log - alone), alone


def resident_bytes() -> int:
    """This process's resident memory now (Linux's /proc), or its peak where there is no /proc."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def soak_lines(requests: int) -> list[str]:
    """Memory before, halfway and after ``requests`` calls into one fake in-process: reads
    with a token, calls without one and calls to paths Dinero does not have, each journaled.
    What the fake keeps per call is bounded, so the figures stay flat."""
    from fake_dinero import FakeDinero, Settings, World
    from fake_dinero.auth import issue_legacy_token
    from fake_dinero.http import ApiRequest

    fake = FakeDinero(World.with_demo(settings=Settings(rate_limit=None), contacts=5, products=5))
    token = issue_legacy_token(fake.world, 123456, fake.world.clients["fake-dinero-client"]).token
    bearer = {"authorization": f"Bearer {token}"}
    calls = [
        ApiRequest("GET", "/v1/123456/contacts", headers=bearer),
        ApiRequest("GET", "/v1/123456/products", query_string="pageSize=2", headers=bearer),
        ApiRequest("GET", "/v1/123456/contacts"),
        ApiRequest("GET", "/v1/123456/contactz", headers=bearer),
    ]
    gc.collect()
    marks = [resident_bytes()]
    started = time.perf_counter()
    for index in range(requests):
        fake.deliver(calls[index % len(calls)])
        if index + 1 == requests // 2:
            gc.collect()
            marks.append(resident_bytes())
    seconds = time.perf_counter() - started
    gc.collect()
    marks.append(resident_bytes())
    start, half, end = (mark / 2**20 for mark in marks)
    return [
        f"soak: {requests:,} calls in-process in {seconds:.1f} s, journal {len(list(fake.journal))} kept",
        f"resident memory at start:                      {start:8.1f} MB",
        f"resident memory halfway:                       {half:8.1f} MB",
        f"resident memory at the end:                    {end:8.1f} MB   end / halfway: {end / half:.3f}",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="calls per timing run")
    parser.add_argument("--invoices", type=int, default=1000, help="invoices booked and paid for the books figures")
    parser.add_argument("--import-runs", type=int, default=5, help="interpreter starts per import timing")
    parser.add_argument("--soak", type=int, default=0, metavar="N",
                        help="only the soak test: memory over N calls into one fake (e.g. 1000000)")  # fmt: skip
    args = parser.parse_args(argv)
    if args.soak:
        for line in soak_lines(args.soak):
            print(line, flush=True)
        return 0

    for line in call_lines(args.calls, max(args.import_runs, 1)):
        print(line, flush=True)
    gc.collect()  # the fakes above are gone; the books start on a clean heap
    for line in books_table(max(args.invoices, 2), args.calls):
        print(line)
    return 0
