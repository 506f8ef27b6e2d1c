"""Running the review: every check over a journal's calls (``review``), and turning
journal entries into the exchanges the checks read (``exchanges``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from . import api, books, failures, rate, syncs
from .catalogue import CHECKS
from .model import Exchange, Review, rank
from .thresholds import Thresholds

if TYPE_CHECKING:
    from ..journal import Journal, JournalEntry

FINDERS = (*rate.CHECKS, *failures.CHECKS, *syncs.CHECKS, *books.CHECKS, *api.CHECKS)
"""Every finding function, each ``(calls, thresholds) -> list[Finding]``."""


def exchanges(entries: Iterable[JournalEntry | Mapping[str, Any] | Exchange]) -> list[Exchange]:
    """Journal entries, ``GET /_fake/journal`` documents or exchanges, as exchanges in journal order."""
    from ..journal import JournalEntry

    found: list[Exchange] = []
    for index, entry in enumerate(entries):
        if isinstance(entry, Exchange):
            found.append(entry)
        elif isinstance(entry, JournalEntry):
            found.append(Exchange.from_entry(index, entry))
        elif isinstance(entry, Mapping):
            found.append(Exchange.from_document(index, entry))
        else:
            raise TypeError(f"journal entry {index} is a {type(entry).__name__}, not a JournalEntry or a document")
    return found


def review(
    entries: Journal | Iterable[JournalEntry | Mapping[str, Any] | Exchange],
    thresholds: Thresholds | None = None,
    *,
    dropped: int = 0,
) -> Review:
    """Every check over ``entries`` (oldest first): ``review(fake.journal)``, a list of its
    entries, or the documents ``GET /_fake/journal`` answers. ``dropped`` is how many older
    calls the journal had let go (a ``Journal`` says so itself), which the report mentions
    since no check can see them."""
    from ..journal import Journal

    if isinstance(entries, Journal):
        dropped = dropped or entries.dropped
    limits = thresholds or Thresholds()
    calls = exchanges(entries)
    order = {check.id: index for index, check in enumerate(CHECKS)}
    findings = [finding for finder in FINDERS for finding in finder(calls, limits)]
    findings.sort(key=lambda finding: (-rank(finding.level), order[finding.id]))
    return Review(
        findings=tuple(findings),
        checks=CHECKS,
        thresholds=limits,
        calls=len(calls),
        first=calls[0].at if calls else None,
        last=calls[-1].at if calls else None,
        dropped=dropped,
    )
