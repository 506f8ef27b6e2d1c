"""Dinero's list invariants under any sequence of changes (a hypothesis state machine).

The machine creates, updates, deletes and restores contacts and products
through the API, moves the clock, and keeps its own model of what exists.
It is a ``DineroStateMachine``, so the base class's checks run after every
step too; its own, against its model:

- paging with any pageSize returns every item the list selects exactly once
  and nothing else: v1 contacts and products (live ones; deleted ones with
  deletedOnly=true) and v2 contacts (deletedOnly=false: all of them);
- ``changesSince`` a checkpoint returns at least every item changed after
  the checkpoint (created, updated, deleted, restored; deleted ones on every
  list unless ``deletedOnly=true`` narrows it to them), and only items changed
  at or after its time;
- ``ResultWithoutFilter`` is the number of items that match, with and without
  a ``queryFilter``, and the filtered pages hold exactly the matching items.

Booked documents and the trial balance are the base class's
(tests/test_state_machine.py drives invoices).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

import httpx
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, consumes, initialize, invariant, rule

from fake_dinero.contracts import state_machine
from fake_dinero.contracts.strategies import (
    CASINGS,
    Condition,
    contact_bodies,
    contact_query_filter_conditions,
    product_bodies,
    product_query_filter_conditions,
    render_query_filter,
)
from fake_dinero.inprocess import DineroTransport
from fake_dinero.resources.contacts import LIST_V1, ContactCreateModel
from fake_dinero.resources.products import LIST_PRODUCTS, ProductWriteModel

from .support import ORG, START

CONTACTS = f"/v1/{ORG}/contacts"
CONTACTS_V2 = f"/v2/{ORG}/contacts"
PRODUCTS = f"/v1/{ORG}/products"


@dataclass(frozen=True)
class Listing:
    """One list endpoint with one deletedOnly choice, and what it selects."""

    name: str
    kind: str  # "contacts" or "products"
    path: str
    params: dict[str, str]
    selects: str  # "live", "deleted" or "all"
    key: str


LISTINGS = (
    Listing("contacts v1", "contacts", CONTACTS, {}, "live", "ContactGuid"),
    Listing("contacts v1 deletedOnly", "contacts", CONTACTS, {"deletedOnly": "true"}, "deleted", "ContactGuid"),
    Listing("contacts v2", "contacts", CONTACTS_V2, {}, "all", "ContactGuid"),
    Listing("contacts v2 deletedOnly=false", "contacts", CONTACTS_V2, {"deletedOnly": "false"}, "all", "ContactGuid"),
    Listing("contacts v2 deletedOnly", "contacts", CONTACTS_V2, {"deletedOnly": "true"}, "deleted", "ContactGuid"),
    Listing("products", "products", PRODUCTS, {}, "live", "ProductGuid"),
    Listing("products deletedOnly", "products", PRODUCTS, {"deletedOnly": "true"}, "deleted", "ProductGuid"),
)
FILTERABLE = {"contacts": LIST_V1.filterable, "products": LIST_PRODUCTS.filterable}
CONDITIONS = {"contacts": contact_query_filter_conditions, "products": product_query_filter_conditions}
MODELS = {"contacts": ContactCreateModel, "products": ProductWriteModel}


@dataclass
class Checkpoint:
    """A moment, and the keys the machine changed after taking it."""

    at: datetime
    changed: dict[str, set[str]] = field(default_factory=lambda: {"contacts": set(), "products": set()})


def filterable_values(body: dict[str, Any], kind: str) -> dict[str, Any]:
    """The filterable properties of an item written with ``body``, as the read model shows them."""
    names = {name.lower(): name for name in MODELS[kind].model_fields}
    sent = {names[key.lower()]: value for key, value in body.items() if key.lower() in names and value is not None}
    return {name: sent.get(name, MODELS[kind].model_fields[name].default) for name in FILTERABLE[kind]}


def as_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def matches(values: dict[str, Any], conditions: Iterable[Condition]) -> bool:
    """Dinero's reading of a queryFilter: every condition holds, case-insensitively."""
    for name, operator, value in conditions:
        actual, wanted = as_text(values[name]).lower(), value.lower()
        if (operator == "eq" and actual != wanted) or (operator == "contains" and wanted not in actual):
            return False
    return True


def any_casing(make: Callable[..., st.SearchStrategy[dict[str, Any]]], **options: Any) -> st.SearchStrategy:
    return st.sampled_from(CASINGS).flatmap(lambda casing: make(casing=casing, **options))


class ListInvariants(state_machine.DineroStateMachine):
    """On top of the base class's checks (every list pages cleanly, changesSince
    misses nothing, the books balance), checks against a model of its own."""

    fresh_dinero_options = {"clock_start": START, "rate_limit": None, "seed": 5}
    listed = (state_machine.CONTACTS, state_machine.PRODUCTS)

    contacts = Bundle("contacts")
    deleted_contacts = Bundle("deleted_contacts")
    products = Bundle("products")

    def __init__(self) -> None:
        super().__init__()
        self.clock = self.dinero.clock
        # The fake's own transport: what respx's patching adds, 25 steps times 30
        # runs over, would double this module's time.
        self.client = httpx.Client(base_url=self.dinero.base_url, transport=DineroTransport(self.dinero.fake))
        self.items: dict[str, dict[str, dict[str, Any]]] = {"contacts": {}, "products": {}}
        self.deleted: dict[str, set[str]] = {"contacts": set(), "products": set()}
        self.log: list[tuple[datetime, str, str]] = []
        self.checkpoints: list[Checkpoint] = []
        self.token_at: datetime | None = None

    def teardown(self) -> None:
        self.client.close()
        super().teardown()

    # -- the model -------------------------------------------------------------

    def changed(self, kind: str, key: str) -> None:
        """Record a change, and check at once that it shows from a checkpoint
        taken just before it (the clock stands still within a step)."""
        self.log.append((self.clock.now(), kind, key))
        for checkpoint in self.checkpoints:
            checkpoint.changed[kind].add(key)
        just_before = Checkpoint(self.clock.now())
        just_before.changed[kind].add(key)
        self.check_changes_since(just_before, 1000, kind)

    def selected(self, listing: Listing) -> set[str]:
        keys, deleted = set(self.items[listing.kind]), self.deleted[listing.kind]
        return {"live": keys - deleted, "deleted": keys & deleted, "all": keys}[listing.selects]

    def call(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """A call with a token that is fresh on the fake's clock (steps move it)."""
        if self.token_at is None or self.clock.now() - self.token_at > timedelta(minutes=30):
            self.client.headers.update(self.dinero.headers())
            self.token_at = self.clock.now()
        return self.client.request(method, path, **kwargs)

    def page_through(self, listing: Listing, page_size: int, **params: str) -> list[str]:
        """Every key the listing gives, page by page; checks each page's Pagination."""
        query = {**listing.params, **params, "fields": listing.key, "pageSize": str(page_size)}
        keys: list[str] = []
        total: int | None = None
        for page in range(10_000):
            response = self.call("GET", listing.path, params={**query, "page": str(page)})
            assert response.status_code == 200, (listing.name, query, response.text)
            body = response.json()
            pagination, collection = body["Pagination"], body["Collection"]
            assert (pagination["Page"], pagination["PageSize"]) == (page, page_size)
            assert pagination["Result"] == len(collection)
            if total is None:
                total = pagination["ResultWithoutFilter"]
            assert pagination["ResultWithoutFilter"] == total, "the count changed between pages"
            assert len(collection) == max(0, min(page_size, total - page * page_size)), (listing.name, pagination)
            keys += [item[listing.key] for item in collection]
            if len(collection) < page_size:
                break
        assert len(keys) == len(set(keys)), f"{listing.name}: an item came twice: {keys}"
        assert len(keys) == total, f"{listing.name}: ResultWithoutFilter {total}, but {len(keys)} items came"
        return keys

    # -- contacts --------------------------------------------------------------

    @initialize(targets=(contacts, deleted_contacts), body=contact_bodies(with_guid=False))
    def a_deleted_contact(self, body: dict[str, Any]) -> str:
        """Every run starts with a deleted contact, so restores happen early."""
        guid = self.create_contact(body)
        self.delete_contact(guid)
        return guid

    @rule(target=contacts, body=any_casing(contact_bodies))
    def create_contact(self, body: dict[str, Any]) -> str:
        guid_key = next((key for key in body if key.lower() == "contactguid"), None)
        if guid_key and body[guid_key] in self.items["contacts"]:
            body = {key: value for key, value in body.items() if key != guid_key}  # taken: let Dinero choose
        response = self.call("POST", CONTACTS, json=body)
        assert response.status_code == 200, response.text
        guid = response.json()["ContactGuid"]
        assert guid not in self.items["contacts"]
        self.items["contacts"][guid] = filterable_values(body, "contacts")
        self.changed("contacts", guid)
        return guid

    @rule(guid=contacts, body=any_casing(contact_bodies, update=True), path=st.sampled_from([CONTACTS, CONTACTS_V2]))
    def update_contact(self, guid: str, body: dict[str, Any], path: str) -> None:
        response = self.call("PUT", f"{path}/{guid}", json=body)
        self.expect_change("contacts", guid, response, body)

    @rule(target=deleted_contacts, guid=contacts)
    def delete_contact(self, guid: str) -> str:
        self.expect_delete("contacts", guid, self.call("DELETE", f"{CONTACTS}/{guid}"))
        return guid

    @rule(guid=consumes(deleted_contacts))
    def restore_deleted_contact(self, guid: str) -> None:
        """A contact delete_contact deleted (restore_contact may have restored it since)."""
        self.restore_contact(guid)

    @rule(guid=contacts)
    def restore_contact(self, guid: str) -> None:
        response = self.call("POST", f"{CONTACTS}/{guid}/restore")
        assert response.status_code == 200, response.text
        if guid in self.deleted["contacts"]:
            self.deleted["contacts"].discard(guid)
            self.changed("contacts", guid)

    # -- products --------------------------------------------------------------

    @rule(target=products, body=any_casing(product_bodies))
    def create_product(self, body: dict[str, Any]) -> str:
        response = self.call("POST", PRODUCTS, json=body)
        assert response.status_code == 200, response.text
        guid = response.json()["ProductGuid"]
        self.items["products"][guid] = filterable_values(body, "products")
        self.changed("products", guid)
        return guid

    @rule(guid=products, body=any_casing(product_bodies))
    def update_product(self, guid: str, body: dict[str, Any]) -> None:
        self.expect_change("products", guid, self.call("PUT", f"{PRODUCTS}/{guid}", json=body), body)

    @rule(guid=products)
    def delete_product(self, guid: str) -> None:
        self.expect_delete("products", guid, self.call("DELETE", f"{PRODUCTS}/{guid}"))

    def expect_change(self, kind: str, guid: str, response: httpx.Response, body: dict[str, Any]) -> None:
        """An update: 200 for a live item, 400 code 65 for a deleted one."""
        if guid in self.deleted[kind]:
            assert (response.status_code, response.json()["code"]) == (400, 65), response.text
            return
        assert response.status_code == 200, response.text
        self.items[kind][guid] = filterable_values(body, kind)
        self.changed(kind, guid)

    def expect_delete(self, kind: str, guid: str, response: httpx.Response) -> None:
        if guid in self.deleted[kind]:
            assert (response.status_code, response.json()["code"]) == (400, 65), response.text
            return
        assert response.status_code == 200, response.text
        self.deleted[kind].add(guid)
        self.changed(kind, guid)

    # -- time ------------------------------------------------------------------

    @rule(seconds=st.integers(0, 120))
    def advance_clock(self, seconds: int) -> None:
        self.dinero.advance(seconds)

    @rule()
    def take_checkpoint(self) -> None:
        self.checkpoints.append(Checkpoint(self.clock.now()))

    # -- checks ----------------------------------------------------------------
    # One rule checks everything with drawn page sizes and filters; hypothesis
    # switches some rules off for a whole run (swarm testing), so the cheap
    # checks also run as invariants after every step.

    @rule(page_size=st.integers(1, 7), data=st.data())
    def check_lists(self, page_size: int, data: st.DataObject) -> None:
        """Paging, changesSince from every checkpoint, and a drawn queryFilter."""
        for listing in LISTINGS:
            assert set(self.page_through(listing, page_size)) == self.selected(listing), listing.name
        for checkpoint in self.checkpoints:
            self.check_changes_since(checkpoint, page_size)
        self.check_filter(data.draw(st.sampled_from(LISTINGS), label="listing"), page_size, data)

    @invariant()
    def every_list_counts_what_it_selects(self) -> None:
        for listing in LISTINGS:
            response = self.call("GET", listing.path, params={**listing.params, "pageSize": "1000"})
            assert response.json()["Pagination"]["ResultWithoutFilter"] == len(self.selected(listing)), listing.name

    @invariant()
    def the_latest_checkpoint_misses_no_change(self) -> None:
        """(check_lists takes every checkpoint; changed() one just before each change.)"""
        if self.checkpoints:
            self.check_changes_since(self.checkpoints[-1], 1000)

    @invariant()
    def one_list_pages_cleanly(self) -> None:
        """A different list and small page size after each step (not drawn: a function of the history)."""
        steps = len(self.log) + len(self.checkpoints)
        listing, page_size = LISTINGS[steps % len(LISTINGS)], 1 + (steps // len(LISTINGS)) % 7
        assert set(self.page_through(listing, page_size)) == self.selected(listing), listing.name

    @invariant()
    def the_latest_change_is_found_by_its_values(self) -> None:
        """A queryFilter on a value the latest changed item has (eq, and contains
        on a slice of it) gives exactly the items that match (a field per step)."""
        if not self.log:
            return
        _, kind, key = self.log[-1]
        fields = FILTERABLE[kind]
        name = fields[len(self.log) % len(fields)]
        text = as_text(self.items[kind][key][name])
        middle = text[len(text) // 3 : len(text) // 3 + 4]
        state = "deleted" if key in self.deleted[kind] else "live"
        listing = next(listing for listing in LISTINGS if listing.kind == kind and listing.selects == state)
        for conditions in ([(name, "eq", text)], [(name, "contains", middle)]):
            self.check_filter_conditions(listing, 1000, conditions)

    def check_changes_since(self, checkpoint: Checkpoint, page_size: int, kind: str | None = None) -> None:
        """At least every key changed after the checkpoint, and none unchanged since its time."""
        since = checkpoint.at.strftime("%Y-%m-%dT%H:%M:%SZ")
        for listing in LISTINGS:
            if kind and listing.kind != kind:
                continue
            keys = set(self.page_through(listing, page_size, changesSince=since))
            # With changesSince a list of live items shows deletions too (Dinero's document).
            widened = replace(listing, selects="all") if listing.selects == "live" else listing
            selected = self.selected(widened)
            missed = (checkpoint.changed[listing.kind] & selected) - keys
            assert not missed, f"{listing.name} changesSince={since} misses {missed}"
            changed_at_or_after = {key for at, of, key in self.log if of == listing.kind and at >= checkpoint.at}
            extra = keys - (changed_at_or_after & selected)
            assert not extra, f"{listing.name} changesSince={since} gives unchanged or unselected {extra}"

    def check_filter(self, listing: Listing, page_size: int, data: st.DataObject) -> None:
        """The pages hold exactly the selected items that match; ResultWithoutFilter counts them."""
        items = self.items[listing.kind]
        known = sorted({value for values in items.values() for value in values.values() if isinstance(value, str)})
        values = None  # the strategy's own
        if known:  # values (and bits of them) the items have, so filters match something
            picked = st.sampled_from(known)
            parts = picked.flatmap(lambda text: st.tuples(st.just(text), st.integers(0, len(text)))).map(
                lambda pair: pair[0][pair[1] : pair[1] + 3]
            )
            values = st.one_of(picked, parts, st.sampled_from(["", "a", "æ", "'", ";", "zz"]))
        conditions = data.draw(CONDITIONS[listing.kind](values=values), label="conditions")
        self.check_filter_conditions(listing, page_size, conditions)

    def check_filter_conditions(self, listing: Listing, page_size: int, conditions: list[Condition]) -> None:
        query = render_query_filter(conditions)
        keys = self.page_through(listing, page_size, queryFilter=query)
        items = self.items[listing.kind]
        expected = {key for key in self.selected(listing) if matches(items[key], conditions)}
        assert set(keys) == expected, f"{listing.name} queryFilter={query!r}"


ListInvariants.TestCase.settings = settings(
    max_examples=25, stateful_step_count=25, deadline=None, derandomize=True, database=None
)
TestListInvariants = ListInvariants.TestCase
