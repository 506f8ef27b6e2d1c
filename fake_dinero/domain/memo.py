"""Views derived from the books (reports, statements), computed once per state.

A state of an organization is named by its version counter and by which
snapshot load its tables come from: the counter alone is not enough, since
restoring a snapshot sets it back and other changes may then reach the same
number. One cache per organization holds the latest state's values only, so
memory stays bounded however long the fake runs.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from .ledger import settle

if TYPE_CHECKING:
    from ..world import Organization

T = TypeVar("T")
MAX_CACHED = 256
"""Values kept for one state (reports with their options, statements per contact)."""


@dataclass
class _Cache:
    state: tuple[int, int]
    values: dict[Hashable, Any] = field(default_factory=dict)


_CACHES: weakref.WeakKeyDictionary[Organization, _Cache] = weakref.WeakKeyDictionary()


def state_of(organization: Organization) -> tuple[int, int]:
    loads = max((table.loaded for table in organization.tables.values()), default=0)
    return organization.version, loads


def cached(organization: Organization, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per state of the organization; due background bookings are
    settled first, so the state is the one a reader sees."""
    settle(organization)
    state = state_of(organization)
    cache = _CACHES.get(organization)
    if cache is None or cache.state != state:
        cache = _CACHES[organization] = _Cache(state)
    if key in cache.values:
        return cache.values[key]  # type: ignore[no-any-return]
    value = compute()
    if len(cache.values) >= MAX_CACHED:
        cache.values.clear()
    cache.values[key] = value
    return value
