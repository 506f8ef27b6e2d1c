"""Per-organization tables: rows, soft delete, versions and the change index.

Every resource keeps its rows in a ``Table`` so the bookkeeping Dinero does
for all of them (CreatedAt/UpdatedAt/DeletedAt, a fresh version on each
change, changesSince) is written once. A resource says how a row renders
through its ``Collection``; the rendered document is cached until the row
changes, so reads cost a dict lookup.

Lists must cost the page, not the table, at any size: a table keeps each list
order it was asked for (all rows, live ones, deleted ones, those under one
parent) as a sorted view, and an index of each filtered field's values, and
updates both on every write instead of sorting or scanning on every read.
Snapshots share rows and views with the table until the next write (copy on
write), so a reset costs the same for ten rows as for a million.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from .errors import item_deleted, not_found
from .formats import filter_text, reads_as_text

if TYPE_CHECKING:
    from .world import Organization


@dataclass(eq=False, slots=True)
class Record:
    """One stored entity. ``data`` is the resource's own model of it.

    Treated as immutable once stored (only the ``document`` cache is filled
    in later); a change makes a new Record.
    """

    key: str
    data: Any
    created_at: datetime
    updated_at: datetime
    version: int
    seq: int
    """Creation order within the table."""
    parent: str | None = None
    deleted_at: datetime | None = None
    document: dict[str, Any] | None = None
    document_turned: bool = False
    """Whether ``document`` was rendered at or after the collection's ``turns_at``."""

    @property
    def deleted(self) -> bool:
        return self.deleted_at is not None


@dataclass(frozen=True)
class Collection:
    """What a resource tells the store about its rows.

    ``render`` builds the read model Dinero returns for a row; ``data_model``
    is the model rows keep as ``data`` (how a snapshot file is read back);
    ``order`` is the order lists show rows in (default: creation order).
    ``turns_at`` names the moment a row's document changes by the clock alone
    (an invoice turns Overdue), so the cached document is rendered anew once
    the clock has passed it, or gone back before it.
    Every collection is registered by name in ``COLLECTIONS``.
    """

    name: str
    read_model: type[BaseModel]
    render: Callable[[Organization, Record], BaseModel]
    data_model: type[BaseModel]
    order: Callable[[Record], Any] | None = None
    turns_at: Callable[[Record], datetime | None] | None = None
    documents_kept: int | None = None
    """How many rendered documents a table of this collection keeps (``DOCUMENTS_KEPT``
    when None): more for a collection whose lists are read whole."""
    field_names: dict[str, str] = field(init=False, repr=False, compare=False)
    plain_fields: frozenset[str] = field(init=False, repr=False, compare=False)
    """Read-model properties a row's data holds as they are shown: text, whole numbers
    and booleans of the same name and type. A filter on one reads ``row.data`` and
    never renders a document."""

    def __post_init__(self) -> None:
        names = {name.lower(): name for name in self.read_model.model_fields}
        object.__setattr__(self, "field_names", names)
        object.__setattr__(self, "plain_fields", _plain_fields(self.read_model, self.data_model))
        if COLLECTIONS.setdefault(self.name, self) is not self:
            raise ValueError(f"a collection named {self.name!r} exists already")


def _plain_fields(read_model: type[BaseModel], data_model: type[BaseModel]) -> frozenset[str]:
    data_fields = data_model.model_fields
    return frozenset(
        name
        for name, info in read_model.model_fields.items()
        if name in data_fields
        and data_fields[name].annotation == info.annotation
        and data_fields[name].metadata == info.metadata
        and reads_as_text(info.annotation)
    )


COLLECTIONS: dict[str, Collection] = {}

ChangeObserver = Callable[["Table", Record, str], None]
"""Told of every change a table logs: the table, the new row and the kind of change
(``Created``, ``Updated``, ``Deleted`` or ``Restored``)."""

_observer: ChangeObserver | None = None


def observe_changes(observer: ChangeObserver | None) -> None:
    """Set the one observer of table changes (webhooks derive their events here);
    it runs inside the write, so it must be quick when it has nothing to do."""
    global _observer
    _observer = observer


Selector = tuple[str | None, bool | None]
"""Which rows a view holds: those under a parent (None: all parents), and deleted
(True), live (False) or both (None)."""

View = list[tuple[Any, str]]
"""(sort key, row key) pairs in list order; sort keys are unique within a table."""


@dataclass(frozen=True)
class TableState:
    """A table's rows at one moment, sharing the (immutable) Records.

    A state is never changed: a table that takes it (or makes it) copies what it
    changes first."""

    rows: dict[str, Record]
    changes: list[tuple[datetime, int, str]]
    next_seq: int
    views: dict[Selector, View] = field(default_factory=dict)
    indexes: dict[str, dict[str, set[str]]] = field(default_factory=dict)


_LOADS = itertools.count(1)

DOCUMENTS_KEPT = 10_000
"""Rendered documents a table keeps, the most recently rendered: enough for any working
set of a test, bounded for a table of a million rows."""

PARENT_VIEWS_KEPT = 64
"""List orders a table keeps, at most: those under one parent give way first."""

_FIELD_SETS: dict[frozenset[str], set[str]] = {}
"""One set object per combination of set fields (see ``_share_fields_set``)."""


class Table:
    """The rows of one collection in one organization."""

    def __init__(self, organization: Organization, collection: Collection) -> None:
        self.organization = organization
        self.collection = collection
        self._rows: dict[str, Record] = {}
        self._changes: list[tuple[datetime, int, str]] = []
        self._next_seq = 0
        self._views: dict[Selector, View] = {}
        self._indexes: dict[str, dict[str, set[str]]] = {}
        """Per filtered field: its text (lower-case) to the keys of rows that show it."""
        self._shared = False
        """Whether rows, changes and views are shared with a state (copied before a write)."""
        self._documents: OrderedDict[str, Record] = OrderedDict()
        """The rows holding a rendered document, the first rendered first."""
        self.loaded = 0
        """Which load (of a snapshot) the rows come from; 0: none. Every load is
        numbered anew, so a version number reached again after a restore still
        names another state (what caches of derived views key on)."""

    def __len__(self) -> int:
        return len(self._rows)

    def get(self, key: str) -> Record | None:
        return self._rows.get(key)

    def require(self, key: str, what: str) -> Record:
        """The row, deleted or not; 404 (code 40) when there is none."""
        row = self._rows.get(key)
        if row is None:
            raise not_found(what, key)
        return row

    def require_live(self, key: str, what: str) -> Record:
        """The row for a change: 404 when missing, 400 (code 65) when deleted."""
        row = self.require(key, what)
        if row.deleted:
            raise item_deleted(what, key)
        return row

    def records(self, parent: str | None = None, keys: set[str] | None = None) -> list[Record]:
        """Rows (deleted ones too) in the collection's list order: all of them,
        those under ``parent``, or only those whose key is in ``keys``."""
        if keys is None:
            rows = self._rows
            return [rows[key] for _, key in self.view(parent, None)]
        selected: Iterable[Record] = sorted((self._rows[key] for key in keys), key=_creation_order)
        if parent is not None:
            selected = (row for row in selected if row.parent == parent)
        return self._ordered(selected)

    def view(self, parent: str | None = None, deleted: bool | None = None) -> Sequence[tuple[Any, str]]:
        """(sort key, row key) pairs of the rows under ``parent`` (all when None) that are
        deleted (True), live (False) or either (None), in list order. Made once, kept up
        to date on every write: a page is a slice of it. Read-only for the caller."""
        selector = (parent, deleted)
        view = self._views.get(selector)
        if view is None:
            view = sorted((self._sort_key(row), row.key) for row in self._rows.values() if selects(selector, row))
            if parent is not None and len(self._views) >= PARENT_VIEWS_KEPT:
                # Views under single parents are many and small: the oldest made gives way,
                # so a write does not keep up (nor a reset's first write copy) one per parent ever read.
                oldest = next((kept for kept in self._views if kept[0] is not None), None)
                if oldest is not None:
                    del self._views[oldest]
            # Made from the rows as they are, so it is right for a state sharing them too.
            self._views[selector] = view
        return view

    def row(self, key: str) -> Record:
        """The row of a key taken from a view or an index."""
        return self._rows[key]

    def documents(self, keys: Iterable[str]) -> list[dict[str, Any]]:
        """The documents of these rows, in this order: a page's, in one loop."""
        rows = self._rows
        if self.collection.turns_at is not None:
            return [self.document(rows[key]) for key in keys]
        found = []
        for key in keys:
            row = rows[key]
            document = row.document
            found.append(document if document is not None else self.document(row))
        return found

    def view_key(self, row: Record) -> Any:
        """Where a row stands in list order (what views are sorted by)."""
        return self._sort_key(row)

    def value_reader(self, name: str) -> Callable[[Record], Any]:
        """How to read a read-model property of a row: from its data when the data holds
        it as shown (no rendering), else from its document."""
        if name in self.collection.plain_fields:
            return lambda row: getattr(row.data, name)
        return lambda row: self.document(row).get(name)

    def matching(self, name: str, text: str) -> set[str] | frozenset[str] | None:
        """Keys of the rows (deleted too) whose ``name`` shows as ``text`` (compared
        lower-case, as Dinero's filters compare), from an index kept on write;
        None when the property is not one the table can index."""
        index = self._index(name)
        if index is None:
            return None
        return index.get(text, _NO_KEYS)

    def containing(self, name: str, text: str) -> set[str] | None:
        """Keys of the rows (deleted too) whose ``name`` contains ``text`` (lower-case):
        one look at each distinct value in the index, not at each row; None when the
        property is not one the table can index."""
        index = self._index(name)
        if index is None:
            return None
        found: set[str] = set()
        for value, keys in index.items():
            if text in value:
                found |= keys
        return found

    def _index(self, name: str) -> dict[str, set[str]] | None:
        if name not in self.collection.plain_fields:
            return None
        index = self._indexes.get(name)
        if index is None:
            # Made from the rows as they are, so it is right for a state sharing them too.
            index = self._indexes[name] = {}
            for row in self._rows.values():
                index.setdefault(filter_text(getattr(row.data, name)), set()).add(row.key)
        return index

    @property
    def change_count(self) -> int:
        """How many inserts, updates and deletes the table has logged (one per row for
        a table loaded from a file). Equal to ``len`` while rows are only ever added:
        with ``loaded``, what tells an index built on the side which rows are new."""
        return len(self._changes)

    def newest(self, count: int) -> list[Record]:
        """The ``count`` rows stored last, oldest first: the rows added last, as long as
        no row was changed since (a change keeps a row's place)."""
        if count <= 0:
            return []
        return list(itertools.islice(reversed(self._rows.values()), count))[::-1]

    def changed_since(self, moment: datetime) -> set[str]:
        """Keys of rows created, updated or deleted at or after ``moment``."""
        start = bisect.bisect_left(self._changes, (moment, -1, ""))
        return {key for _, _, key in self._changes[start:]}

    def insert(self, key: str, data: Any, parent: str | None = None) -> Record:
        self._own()
        _share_fields_set(data)
        now = self.organization.clock.now()
        row = Record(
            key=key,
            data=data,
            created_at=now,
            updated_at=now,
            version=self.organization.next_version(),
            seq=self._next_seq,
            parent=parent,
        )
        self._next_seq += 1
        previous = self._rows.get(key)
        self._rows[key] = row
        self._keep_derived(previous, row)
        self._log(row, now, "Created")
        return row

    def update(self, row: Record, data: Any) -> Record:
        _share_fields_set(data)
        now = self.organization.clock.now()
        return self._replace(row, now, "Updated", data=data, updated_at=now)

    def delete(self, row: Record) -> Record:
        now = self.organization.clock.now()
        return self._replace(row, now, "Deleted", deleted_at=now)

    def restore(self, row: Record) -> Record:
        now = self.organization.clock.now()
        return self._replace(row, now, "Restored", deleted_at=None, updated_at=now)

    def purge(self, keys: Iterable[str]) -> None:
        """Forget rows altogether, with their changes: for what the fake keeps about
        itself and must bound (webhook deliveries), never for Dinero's resources,
        which are only ever soft-deleted."""
        gone = {key for key in keys if key in self._rows}
        if not gone:
            return
        self._own()
        for key in gone:
            del self._rows[key]
            self._documents.pop(key, None)
        self._changes = [change for change in self._changes if change[2] not in gone]
        self._views = {}
        self._indexes = {}

    def document(self, row: Record) -> dict[str, Any]:
        """The row as Dinero renders it (PascalCase JSON), cached until it changes."""
        document = row.document
        turned = self._turned(row) if self.collection.turns_at is not None else False
        if document is not None and row.document_turned == turned:
            return document
        model = self.collection.render(self.organization, row)
        row.document = document = model.model_dump(mode="json")
        row.document_turned = turned
        # The rows holding a document, in the order they were rendered: the oldest
        # gives its document up once the table keeps more than its collection's share.
        kept = self._documents
        previous = kept.pop(row.key, None)
        if previous is not None and previous is not row:
            previous.document = None
        kept[row.key] = row
        if len(kept) > (self.collection.documents_kept or DOCUMENTS_KEPT):
            kept.popitem(last=False)[1].document = None
        return document

    def _turned(self, row: Record) -> bool:
        if self.collection.turns_at is None:
            return False
        moment = self.collection.turns_at(row)
        return moment is not None and self.organization.clock.now() >= moment

    def __iter__(self) -> Iterator[Record]:
        return iter(self._rows.values())

    def _replace(self, row: Record, now: datetime, kind: str, **changes: Any) -> Record:
        """Rows are never changed in place: a change stores a new Record, so a
        snapshot can share the old ones (cheap reset) and readers holding a
        row never see it half-changed."""
        self._own()
        changed = dataclasses.replace(row, version=self.organization.next_version(), document=None, **changes)
        previous = self._rows.get(row.key)
        self._rows[row.key] = changed
        self._keep_derived(previous, changed)
        self._log(changed, now, kind)
        return changed

    def snapshot(self) -> TableState:
        """The rows as they are; shared with the table until its next write."""
        self._shared = True
        return TableState(self._rows, self._changes, self._next_seq, self._views, self._indexes)

    def load(self, state: TableState) -> None:
        """Take the rows of a snapshot (the snapshot stays usable for another load)."""
        self._rows = state.rows
        self._changes = state.changes
        self._next_seq = state.next_seq
        self._views = state.views
        self._indexes = state.indexes
        self._shared = True
        self.loaded = next(_LOADS)

    def _own(self) -> None:
        """Copy what a state shares before the first write to it."""
        if self._shared:
            self._rows = dict(self._rows)
            self._changes = list(self._changes)
            self._views = {selector: list(view) for selector, view in self._views.items()}
            # An index is a dict of sets, dear to copy: the table makes its own again
            # when a filter next needs one (the state keeps the shared ones).
            self._indexes = {}
            self._shared = False

    def _sort_key(self, row: Record) -> Any:
        order = self.collection.order
        return row.seq if order is None else order(row)

    def _keep_derived(self, previous: Record | None, row: Record) -> None:
        """Move a changed row in every view and index made so far."""
        if self._views:
            old_key = self._sort_key(previous) if previous is not None else None
            new_key = self._sort_key(row)
            for parent in {None, row.parent, previous.parent if previous is not None else None}:
                for deleted in (None, False, True):
                    selector = (parent, deleted)
                    view = self._views.get(selector)
                    if view is None:
                        continue
                    if previous is not None and selects(selector, previous):
                        _remove(view, (old_key, previous.key))
                    if selects(selector, row):
                        bisect.insort(view, (new_key, row.key))
        for name, index in self._indexes.items():
            if previous is not None:
                old_text = filter_text(getattr(previous.data, name))
                keys = index.get(old_text)
                if keys is not None:
                    keys.discard(previous.key)
                    if not keys:
                        del index[old_text]
            index.setdefault(filter_text(getattr(row.data, name)), set()).add(row.key)

    def _log(self, row: Record, now: datetime, kind: str) -> None:
        entry = (now, row.version, row.key)
        if self._changes and entry < self._changes[-1]:
            bisect.insort(self._changes, entry)  # the clock was set back
        else:
            self._changes.append(entry)
        if _observer is not None:
            _observer(self, row, kind)

    def _ordered(self, rows: Iterable[Record]) -> list[Record]:
        # Rows are kept in insertion order, which is creation order.
        order = self.collection.order
        return list(rows) if order is None else sorted(rows, key=order)


def _creation_order(row: Record) -> int:
    return row.seq


_NO_KEYS: frozenset[str] = frozenset()


def selects(selector: Selector, row: Record) -> bool:
    """Whether a view of ``selector`` holds ``row``."""
    parent, deleted = selector
    if parent is not None and row.parent != parent:
        return False
    return deleted is None or (row.deleted_at is not None) == deleted


def _remove(view: View, entry: tuple[Any, str]) -> None:
    at = bisect.bisect_left(view, entry)
    if at < len(view) and view[at] == entry:
        del view[at]


def _share_fields_set(data: Any) -> None:
    """Give a stored model the one shared set of its set field names. Pydantic keeps a
    set per instance (over 700 bytes for a contact), and stored data is never changed
    in place, so the rows of a large table can share a handful."""
    fields_set = getattr(data, "__pydantic_fields_set__", None)
    if fields_set is None:
        return
    shared = _FIELD_SETS.setdefault(frozenset(fields_set), fields_set)
    if shared is not fields_set:
        object.__setattr__(data, "__pydantic_fields_set__", shared)
