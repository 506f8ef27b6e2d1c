"""A hypothesis state machine that checks the fake's invariants while your client drives it.

Subclass ``DineroStateMachine``, write ``@rule`` methods that call your own
integration against ``self.dinero`` (a fresh in-process fake per run, the handle
the ``dinero`` fixture gives), and run it as a test::

    from hypothesis import settings
    from hypothesis.stateful import rule
    from fake_dinero.contracts.state_machine import DineroStateMachine
    from fake_dinero.contracts.strategies import contact_bodies

    class MyIntegration(DineroStateMachine):
        fresh_dinero_options = {"clock_start": "2026-03-02T09:30:00Z"}

        def __init__(self):
            super().__init__()
            self.client = MyDineroClient(self.dinero.base_url, self.dinero.token_url, ...)

        @rule(body=contact_bodies(with_guid=False))
        def sync_a_customer(self, body):
            self.client.create_contact(body)

    MyIntegration.TestCase.settings = settings(max_examples=20, stateful_step_count=15, deadline=None)
    TestMyIntegration = MyIntegration.TestCase

After every step the machine checks, through the fake's own API:

- paging: each list in ``listed`` (contacts, products, invoices by default), read
  ``page_size`` items a page, gives every item it holds exactly once, and its
  ``ResultWithoutFilter`` is their number;
- ``changesSince`` the run's start misses no item that was made, changed or
  deleted since (its document differs from the one seen at the start);
- booked documents never change: each booked invoice (credit note) is read when
  first seen booked and after every step, and its lines, totals, number, dates and
  contact must stay as they were (payments change only its TimeStamp, UpdatedAt
  and PaymentStatus);
  an entry of the books, once posted, never changes or goes away;
- the trial balance is zero: the entries of each accounting year, and its saldo
  report, sum to 0.

The checks read the fake directly (``dinero.fake.handle``): they pass no fault
rule, leave no line in the journal and count against no rate limit, so your
client's traffic is all the fake sees. They cost a few requests per list, booked
document and accounting year per step, which stays cheap (a millisecond or two)
in a run of a few dozen steps.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import urlencode

from hypothesis.stateful import RuleBasedStateMachine, invariant
from pydantic import BaseModel

from fake_dinero.resources.contacts import ContactReadModel
from fake_dinero.resources.document_models import SalesVoucherReadListModel, TradeOfferReadModel
from fake_dinero.resources.products import ProductReadModel

if TYPE_CHECKING:
    from fake_dinero import Dinero

__all__ = ["CONTACTS", "CREDIT_NOTES", "INVOICES", "PRODUCTS", "TRADE_OFFERS", "DineroStateMachine", "Listed"]


@dataclass(frozen=True)
class Listed:
    """A list endpoint the invariants read: its path, the key of its items, the
    model of its rows (every property is asked for with ``fields``) and, for booked
    documents, the path of one (``{key}`` in it), which is read to check it never changes."""

    name: str
    path: str
    key: str
    row_model: type[BaseModel]
    document: str | None = None

    @property
    def fields(self) -> str:
        return ",".join(self.row_model.model_fields)


CONTACTS = Listed("contacts", "/v1/{org}/contacts", "ContactGuid", ContactReadModel)
PRODUCTS = Listed("products", "/v1/{org}/products", "ProductGuid", ProductReadModel)
INVOICES = Listed("invoices", "/v1/{org}/invoices", "Guid", SalesVoucherReadListModel, "/v1/{org}/invoices/{key}")
CREDIT_NOTES = Listed(
    "credit notes", "/v1/{org}/sales/creditnotes", "Guid", SalesVoucherReadListModel,
    "/v1/{org}/sales/creditnotes/{key}",
)
TRADE_OFFERS = Listed("trade offers", "/v1/{org}/tradeoffers", "Guid", TradeOfferReadModel)

CHANGES_BY_PAYMENT = frozenset({"TimeStamp", "UpdatedAt", "PaymentStatus", "MailOutStatus", "LatestMailOutType",
                                "IsSentToDebtCollection"})
"""What may change on a booked document: its version and change time, its payment
status (payments, credit notes, the clock), and whether and how it was sent."""
CLOCK_STATUS = "Overdue"
"""The payment status the clock alone gives: an invoice turning Overdue keeps its
UpdatedAt, so ``changesSince`` (which follows it) does not report it. Dinero's
behaviour is unknown; the fake's is this, and a client must not rely on
``changesSince`` to learn an invoice fell due."""
MAX_PAGE = 1000


class InvariantBroken(AssertionError):
    """The fake broke one of its own invariants (or the fake's API answered a check with an error)."""


class DineroStateMachine(RuleBasedStateMachine):
    """Base of a state machine that drives your client against a fresh fake per run
    and checks the fake's invariants after every step (see the module's docstring).

    Class attributes a subclass may set:

    - ``fresh_dinero_options``: what ``fake_dinero.fresh_dinero`` takes (e.g.
      ``clock_start``, ``rate_limit``, ``contacts``);
    - ``listed``: the lists to check (``CONTACTS``, ``PRODUCTS``, ``INVOICES``;
      ``CREDIT_NOTES`` and ``TRADE_OFFERS`` too if your client makes them);
    - ``page_size``: the page size the paging check reads with.

    ``self.dinero`` is the handle (``base_url``, ``token_url``, ``headers()``,
    ``url()``, ``advance()``, ``control``, ``journal``...). A subclass's
    ``__init__`` calls ``super().__init__()`` first, its ``teardown`` calls
    ``super().teardown()`` last. Do not ``reset`` the fake within a run.
    """

    fresh_dinero_options: ClassVar[Mapping[str, Any]] = {}
    listed: ClassVar[tuple[Listed, ...]] = (CONTACTS, PRODUCTS, INVOICES)
    page_size: ClassVar[int] = 2

    def __init__(self) -> None:
        super().__init__()
        from fake_dinero import fresh_dinero

        self._exits = ExitStack()
        self.dinero: Dinero = self._exits.enter_context(fresh_dinero(**self.fresh_dinero_options))
        self.started_at: datetime = self.dinero.clock.now().replace(microsecond=0)
        self._token: dict[str, str] = {}
        self._at_start: dict[str, dict[str, dict[str, Any]]] = {}
        self._last_seen: dict[str, dict[str, dict[str, Any]]] = {}
        self._paged_as: dict[str, dict[str, dict[str, Any]]] = {}
        self._booked: dict[tuple[str, str], dict[str, Any]] = {}
        self._entries: dict[str, dict[str, Any]] = {}
        for listed in self.listed:
            self._at_start[listed.name] = self._last_seen[listed.name] = self._all_items(listed)

    def teardown(self) -> None:
        self._exits.close()

    # -- reading the fake ------------------------------------------------------------

    def peek(self, path: str, **query: Any) -> Any:
        """``GET`` ``path`` (``{org}`` in it is the organization) from the fake itself:
        no faults, no journal line, no rate limit. Anything but 200 breaks an invariant."""
        from fake_dinero.http import ApiRequest

        request = ApiRequest(
            "GET", path.format(org=self.dinero.organization_id),
            urlencode({name: str(value) for name, value in query.items()}), self._headers(), b"",
        )
        limiter = self.dinero.world.rate_limiter
        limit, limiter.limit = limiter.limit, None
        try:
            response = self.dinero.fake.handle(request)
            if response.status == 401:  # the clock moved past the token's life
                self._token.clear()
                request.headers.update(self._headers())
                response = self.dinero.fake.handle(request)
        finally:
            limiter.limit = limit
        if response.status != 200:
            raise InvariantBroken(f"GET {request.path}?{request.query_string}: {response.status} {response.body!r}")
        return json.loads(response.body) if response.body else None

    def _headers(self) -> dict[str, str]:
        if not self._token:
            self._token = {name.lower(): value for name, value in self.dinero.headers().items()}
        return dict(self._token)

    def _all_items(self, listed: Listed) -> dict[str, dict[str, Any]]:
        """Every item of the list, deleted ones too, with all its properties."""
        found: dict[str, dict[str, Any]] = {}
        for deleted in ("false", "true"):
            page = self.peek(listed.path, pageSize=MAX_PAGE, fields=listed.fields, deletedOnly=deleted)
            found.update({item[listed.key]: item for item in page["Collection"]})
        return found

    def _page_through(self, listed: Listed, **query: Any) -> list[str]:
        keys: list[str] = []
        total = None
        for page in range(MAX_PAGE):
            body = self.peek(listed.path, page=page, pageSize=self.page_size, fields=listed.key, **query)
            count = body["Pagination"]["ResultWithoutFilter"]
            if total is not None and count != total:
                raise InvariantBroken(f"{listed.name}: the count changed from {total} to {count} between pages")
            total = count
            keys += [item[listed.key] for item in body["Collection"]]
            if len(body["Collection"]) < self.page_size:
                break
        if len(keys) != len(set(keys)):
            raise InvariantBroken(f"{listed.name}: paging by {self.page_size} gave an item twice: {keys}")
        if len(keys) != total:
            raise InvariantBroken(f"{listed.name}: ResultWithoutFilter is {total}, paging gave {len(keys)} items")
        return keys

    # -- the invariants ----------------------------------------------------------------

    @invariant()
    def lists_page_and_report_every_change(self) -> None:
        """Paging gives every live item once; ``changesSince`` the start misses no change;
        booked documents never change."""
        since = self.started_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        for listed in self.listed:
            items = self._all_items(listed)
            live = {key for key, item in items.items() if not item.get("DeletedAt")}
            if self._paged_as.get(listed.name) != items:  # paging what was paged before gives what it gave
                paged = set(self._page_through(listed))
                if paged != live:
                    raise InvariantBroken(
                        f"{listed.name}: paging by {self.page_size} gave {sorted(paged)}, the list holds {sorted(live)}"
                    )
                self._paged_as[listed.name] = items
            start = self._at_start[listed.name]
            changed = {key for key, item in items.items() if _changed(start.get(key), item)}
            reported = {item[listed.key] for item in self.peek(
                listed.path, changesSince=since, pageSize=MAX_PAGE, fields=listed.key
            )["Collection"]}
            missed = changed - reported
            if missed:
                raise InvariantBroken(f"{listed.name}: changesSince={since} misses {sorted(missed)}")
            if listed.document:
                self._check_booked(listed, items)
            self._last_seen[listed.name] = items

    def _check_booked(self, listed: Listed, items: dict[str, dict[str, Any]]) -> None:
        """Read every booked document (a list row does not show all a change may touch)."""
        for key, item in items.items():
            remembered = self._booked.get((listed.name, key))
            if remembered is None and item.get("Status") in (None, "Draft"):
                continue
            document = self.peek(str(listed.document).replace("{key}", key))
            fixed = {name: value for name, value in document.items() if name not in CHANGES_BY_PAYMENT}
            if remembered is None:
                self._booked[(listed.name, key)] = fixed
            elif fixed != remembered:
                moved = sorted(name for name in fixed if fixed[name] != remembered.get(name))
                raise InvariantBroken(f"{listed.name}: booked {key} changed {moved}")
        gone = {key for name, key in self._booked if name == listed.name} - set(items)
        if gone:
            raise InvariantBroken(f"{listed.name}: booked {sorted(gone)} left the list")

    @invariant()
    def the_books_balance_and_entries_never_change(self) -> None:
        """Each accounting year's entries and saldo report sum to 0; a posted entry stays as it was."""
        seen: set[str] = set()
        for year in self.peek("/v1/{org}/accountingyears"):
            entries = self.peek("/v1/{org}/entries", fromDate=year["FromDate"][:10], toDate=year["ToDate"][:10],
                                includePrimo="false")
            _sums_to_zero(entries, f"the entries of {year['Name']}")
            _sums_to_zero(self.peek(f"/v1/{{org}}/{year['Name']}/reports/saldo"), f"the saldo of {year['Name']}")
            for entry in entries:
                key = entry["EntryGuid"]
                seen.add(key)
                first = self._entries.setdefault(key, entry)
                if first != entry:
                    raise InvariantBroken(f"entry {key} changed from {first} to {entry}")
        vanished = set(self._entries) - seen
        if vanished:
            raise InvariantBroken(f"posted entries vanished: {sorted(vanished)}")


def _changed(before: dict[str, Any] | None, now: dict[str, Any]) -> bool:
    """Whether an item differs from what it was, leaving out what the clock alone changes."""
    if before is None:
        return True
    for name, value in now.items():
        if before.get(name) == value:
            continue
        if name == "Status" and CLOCK_STATUS in (value, before.get(name)):
            continue
        return True
    return False


def _sums_to_zero(lines: list[dict[str, Any]], what: str) -> None:
    total = sum((Decimal(str(line["Amount"])) for line in lines), Decimal(0))
    if total != 0:
        raise InvariantBroken(f"{what} sum to {total}, not 0")
