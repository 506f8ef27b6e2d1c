"""Per-organization tables: rows, soft delete, versions and the change index.

Every resource keeps its rows in a ``Table`` so the bookkeeping Dinero does
for all of them (CreatedAt/UpdatedAt/DeletedAt, a fresh version on each
change, changesSince) is written once. A resource says how a row renders
through its ``Collection``; the rendered document is cached until the row
changes, so reads cost a dict lookup.
"""

from __future__ import annotations

import bisect
import dataclasses
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from .errors import item_deleted, not_found

if TYPE_CHECKING:
    from .world import Organization


@dataclass(eq=False)
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
    field_names: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = {name.lower(): name for name in self.read_model.model_fields}
        object.__setattr__(self, "field_names", names)
        if COLLECTIONS.setdefault(self.name, self) is not self:
            raise ValueError(f"a collection named {self.name!r} exists already")


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


@dataclass(frozen=True)
class TableState:
    """A table's rows at one moment, sharing the (immutable) Records."""

    rows: dict[str, Record]
    changes: list[tuple[datetime, int, str]]
    next_seq: int


_LOADS = itertools.count(1)


class Table:
    """The rows of one collection in one organization."""

    def __init__(self, organization: Organization, collection: Collection) -> None:
        self.organization = organization
        self.collection = collection
        self._rows: dict[str, Record] = {}
        self._changes: list[tuple[datetime, int, str]] = []
        self._next_seq = 0
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
        rows: Iterable[Record]
        if keys is None:
            rows = self._rows.values()
        else:
            rows = sorted((self._rows[key] for key in keys), key=_creation_order)
        if parent is not None:
            rows = (row for row in rows if row.parent == parent)
        return self._ordered(rows)

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
        self._rows[key] = row
        self._log(row, now, "Created")
        return row

    def update(self, row: Record, data: Any) -> Record:
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
        for key in gone:
            del self._rows[key]
        self._changes = [change for change in self._changes if change[2] not in gone]

    def document(self, row: Record) -> dict[str, Any]:
        """The row as Dinero renders it (PascalCase JSON), cached until it changes."""
        turned = self._turned(row)
        if row.document is None or row.document_turned != turned:
            model = self.collection.render(self.organization, row)
            row.document = model.model_dump(mode="json")
            row.document_turned = turned
        return row.document

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
        changed = dataclasses.replace(row, version=self.organization.next_version(), document=None, **changes)
        self._rows[row.key] = changed
        self._log(changed, now, kind)
        return changed

    def snapshot(self) -> TableState:
        return TableState(dict(self._rows), list(self._changes), self._next_seq)

    def load(self, state: TableState) -> None:
        """Take the rows of a snapshot (the snapshot stays usable for another load)."""
        self._rows = dict(state.rows)
        self._changes = list(state.changes)
        self._next_seq = state.next_seq
        self.loaded = next(_LOADS)

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
