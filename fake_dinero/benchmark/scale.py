"""The scale figures: one organization with 100,000 contacts (``--contacts``), read
through ``FakeDinero.deliver`` as every door calls it; a year of 100,000 entries
(``--entries``); the memory they take; and a reset after all of it."""

from __future__ import annotations

import gc
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from . import memory
from .building import YEAR_SPREAD, add_contacts, book_invoices, contact_name
from .figures import Figure
from .timing import ORG, bearer, best_of, demo_fake, once

if TYPE_CHECKING:
    from fake_dinero import FakeDinero
    from fake_dinero.http import ApiRequest

GROUP = "scale"
CHANGED = 10
"""Contacts changed in the recent window ``changesSince`` asks for."""
SMALL = 1_000
"""The contacts of the yardstick organization for ``changesSince``."""
MILLION = 1_000_000
YEAR = "2026"


class _Reader:
    """GETs of one organization through ``deliver``; a refused call stops the run."""

    def __init__(self, fake: FakeDinero) -> None:
        self.fake = fake
        self.headers = bearer(fake)

    def request(self, path: str, **query: object) -> ApiRequest:
        from fake_dinero.http import ApiRequest

        return ApiRequest("GET", f"/v1/{ORG}{path}", query_string=urlencode(query), headers=self.headers)

    def call(self, request: ApiRequest) -> Callable[[], object]:
        def get() -> object:
            response = self.fake.deliver(request).response
            if response.status != 200:
                raise RuntimeError(f"{request.path}?{request.query_string} answered {response.status}: "
                                   f"{response.body[:300]!r}")  # fmt: skip
            return response

        return get

    def best(self, repeats: int, path: str, **query: object) -> float:
        get = self.call(self.request(path, **query))
        get()  # the first call renders what it shows once; the figure is the steady state
        seconds = best_of(repeats, 1, get)
        self.fake.journal.clear()
        return seconds


def _at_most(name: str, seconds: float, limit_ms: float, reference: float | None = None, yardstick: str = "") -> Figure:
    value = seconds * 1000
    return Figure(GROUP, name, value, "ms", reference, yardstick, f"<= {limit_ms:g} ms", value <= limit_ms)


def _changes_since(fake: FakeDinero, repeats: int) -> float:
    """Seconds of ``changesSince`` over the last hour, in which ``CHANGED`` contacts changed."""
    from fake_dinero.resources.contacts import CONTACTS

    organization = fake.world.organizations[ORG]
    fake.world.clock.advance(hours=1)
    since = fake.world.clock.now().strftime("%Y-%m-%dT%H:%M:%SZ")
    table = organization.table(CONTACTS)
    for row in list(table)[:: max(1, len(table) // CHANGED)][:CHANGED]:
        table.update(row, row.data.model_copy(update={"City": "Odense"}))
    return _Reader(fake).best(repeats, "/contacts", changesSince=since)


def contact_figures(count: int, repeats: int) -> list[Figure]:
    """Pages, filters and ``changesSince`` over ``count`` contacts, and the reset after them."""
    n = f"{count:,}"
    fake = demo_fake(frozen=True)
    reader = _Reader(fake)
    fake.control.set_baseline()  # the seeded state, with the token
    organization = fake.world.organizations[ORG]
    add_contacts(organization, count)
    last = (count + 99) // 100 - 1
    wanted = contact_name(count * 2 // 3)
    first_page = reader.best(repeats, "/contacts", page=0, pageSize=100)
    last_page = reader.best(repeats, "/contacts", page=last, pageSize=100)
    equal = reader.best(repeats, "/contacts", queryFilter=f"Name eq '{wanted}'")
    contains = reader.best(repeats, "/contacts", queryFilter=f"Name contains '{wanted[-8:]}'")
    changes = _changes_since(fake, repeats)
    small = demo_fake(frozen=True)
    add_contacts(small.world.organizations[ORG], SMALL)
    changes_small = _changes_since(small, repeats)
    del small
    gc.collect()
    # A reset lets go of the contacts added since the baseline, and Python frees them
    # there and then. Holding on to them makes the reset's own work one figure and the
    # freeing, which only grows with what was added since, another.
    from fake_dinero.snapshot import capture

    held = [capture(fake.world)]
    reset = once(fake.control.reset)
    freeing = once(held.clear)
    ratio_goal = 2.0
    return [
        _at_most(f"first page of 100, {n} contacts", first_page, 2),
        _at_most(f"last page of 100, {n} contacts", last_page, 2),
        _at_most(f"queryFilter Name eq, {n} contacts", equal, 5),
        Figure(GROUP, f"queryFilter Name contains, {n} contacts", contains * 1000, "ms"),
        Figure(
            GROUP, f"changesSince, {CHANGED} changed of {n} contacts", changes * 1000, "ms", changes_small * 1000,
            f"the same of {SMALL:,} contacts", f"<= {ratio_goal:g}x the same of {SMALL:,}",
            changes <= ratio_goal * changes_small,
        ),  # fmt: skip
        _at_most(f"reset to the seeded state after {n} contacts added", reset, 1),
        Figure(GROUP, f"then freeing the {n} contacts the reset let go of", freeing * 1000, "ms"),
    ]


def books_figures(entries: int, repeats: int) -> list[Figure]:
    """The entries of the year and its saldo report, over ``entries`` entries."""
    from fake_dinero.domain.ledger import ENTRIES

    fake = demo_fake(frozen=True)
    reader = _Reader(fake)
    organization = fake.world.organizations[ORG]
    customers = add_contacts(organization, 100)
    book_invoices(organization, customers, entries // 5, YEAR_SPREAD)
    held = f"{len(organization.table(ENTRIES)):,}"
    year = reader.request("/entries", fromDate=f"{YEAR}-01-01", toDate=f"{YEAR}-12-31")
    year_first = once(reader.call(year))
    year_again = best_of(repeats, 1, reader.call(year))
    saldo = reader.request(f"/{YEAR}/reports/saldo")

    def after_a_booking() -> float:
        book_invoices(organization, customers, 1, timedelta())
        return once(reader.call(saldo))

    saldo_cold = min(after_a_booking() for _ in range(max(1, repeats)))
    saldo_warm = best_of(repeats, 1, reader.call(saldo))
    fake.journal.clear()
    return [
        Figure(GROUP, f"entries of a year, {held} entries, first call", year_first * 1000, "ms"),
        _at_most(f"entries of a year, {held} entries, again", year_again, 20),
        _at_most(f"saldo report over {held} entries, after a booking", saldo_cold, 20),
        Figure(GROUP, f"saldo report over {held} entries, again", saldo_warm * 1000, "ms"),
    ]


def memory_figures(contacts: int, entities: int) -> list[Figure]:
    """Resident memory, each figure in a fresh process; goals scale with a smaller run."""
    added = memory.measure("contacts", contacts)
    held = memory.measure("entities", entities)
    contacts_goal = 200 * contacts / 100_000
    entities_goal = 2048 * entities / MILLION
    scaled = "" if entities >= MILLION else f" (scaled down from {MILLION:,})"
    return [
        Figure(
            GROUP, f"memory added by {contacts:,} contacts, each read once", added["mb"], "MB", goal=(
                f"<= {contacts_goal:g} MB" + ("" if contacts == 100_000 else " (200 MB per 100,000)")
            ), met=added["mb"] <= contacts_goal,
        ),  # fmt: skip
        Figure(
            GROUP, f"memory of one process holding {held['count']:,.0f} entities{scaled}", held["mb"], "MB",
            goal=f"<= {entities_goal:,.0f} MB" + ("" if entities == MILLION else " (2 GB per 1,000,000)"),
            met=held["mb"] <= entities_goal,
        ),  # fmt: skip
    ]
