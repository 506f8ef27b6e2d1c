"""The integration review: Dinero's technical review of an integration, read off the journal.

Dinero holds a technical review with every integration partner before launch and watches
live usage afterwards. ``review(entries)`` makes the same checks over the calls the fake
journaled: the rate limit and Retry-After, error storms and logins, how lists are synced,
files never used, ledger posts and the endpoint a booking used, and operations Dinero does
not have or is retiring. Each check is a pure function of the calls and ``Thresholds``;
each finding has a stable id, a severity, its evidence (the calls, with times on the
fake's clock), Dinero's rule and the fix.

The times are the fake's: a client run against a frozen clock makes every call at one
instant, so advance the clock between calls as the client's real timing would.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from . import api, books, failures, rate, syncs
from .catalogue import BY_ID, CHECKS
from .model import SEVERITIES, Check, Evidence, Exchange, Finding, Review, ReviewFailed, Severity, rank
from .thresholds import Thresholds

if TYPE_CHECKING:
    from ..journal import Journal, JournalEntry

__all__ = [
    "BY_ID", "CHECKS", "SEVERITIES", "Check", "Evidence", "Exchange", "Finding", "Review", "ReviewFailed",
    "Severity", "Thresholds", "exchanges", "review",
]

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
