"""Filters of the journal's entries, the same in Python and over HTTP: method, a path
glob, status or status class, a time on the fake's clock, organization, routed or not."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

from .formats import parse_lenient_datetime, shown

if TYPE_CHECKING:
    from .journal import JournalEntry

_STATUS_CLASS = re.compile(r"^\s*([1-5])xx\s*$", re.IGNORECASE)
_STATUS = re.compile(r"^\s*(\d{3})\s*$")
_METHOD = re.compile(r"^[A-Za-z]+$")


class FilterError(ValueError):
    """A filter value that cannot be used; ``name`` is the filter's (camelCase) name."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


Status = int | str
"""A status (``404``, ``"404"``) or a class of them (``"4xx"``)."""


def _status_test(status: Status) -> Callable[[int], bool]:
    if isinstance(status, int) and not isinstance(status, bool):
        return lambda value: value == status
    text = str(status)
    if match := _STATUS_CLASS.match(text):
        first = int(match.group(1))
        return lambda value: value // 100 == first
    if match := _STATUS.match(text):
        exact = int(match.group(1))
        return lambda value: value == exact
    raise FilterError("status", f"'{shown(text)}' is not a status; use a number such as 404 or a class such as 4xx.")


def _moment(since: datetime | str) -> datetime:
    if isinstance(since, datetime):
        return aware(since)
    text = str(since).strip()
    # A "+01:00" written raw into a query string arrives as " 01:00".
    for candidate in (text, text.replace(" ", "+")):
        try:
            return parse_lenient_datetime(candidate)
        except (ValueError, OverflowError):
            continue
    raise FilterError(
        "since", f"'{shown(text)}' is not a time; use ISO 8601, e.g. 2026-03-02T09:30:00Z or 2026-03-02T10:30:00+01:00."
    )


def aware(moment: datetime) -> datetime:
    """A time with a zone: a naive one is on the fake's clock, which runs in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def matcher(
    method: str | None = None,
    path: str | None = None,
    status: Status | None = None,
    since: datetime | str | None = None,
    organization_id: int | None = None,
    unrouted: bool | None = None,
) -> Callable[[JournalEntry], bool]:
    """A test of an entry against every given filter; raises ``FilterError`` for a bad value.

    ``method`` in any case; ``path`` a glob (``/v1/*/invoices*``) matched case-insensitively,
    as Dinero matches paths; ``status`` a number or a class (``4xx``); ``since`` a time on the
    fake's clock (at or after it; a naive one is UTC); ``unrouted`` True for calls to paths no
    Dinero operation has, False for the others.
    """
    tests: list[Callable[[JournalEntry], bool]] = []
    if method is not None:
        if not _METHOD.match(method):
            raise FilterError("method", f"'{shown(method)}' is not an HTTP method; use e.g. GET or POST.")
        wanted_method = method.upper()
        tests.append(lambda entry: entry.method == wanted_method)
    if path is not None:
        pattern = re.compile(fnmatch.translate(path.lower()))
        tests.append(lambda entry: pattern.match(entry.path.lower()) is not None)
    if status is not None:
        status_test = _status_test(status)
        tests.append(lambda entry: status_test(entry.status))
    if since is not None:
        start = _moment(since)
        tests.append(lambda entry: aware(entry.at) >= start)
    if organization_id is not None:
        if isinstance(organization_id, bool) or not isinstance(organization_id, int):
            raise FilterError("organizationId", f"'{shown(organization_id)}' is not an organization id; use a number.")
        tests.append(lambda entry: entry.organization_id == organization_id)
    if unrouted is not None:
        tests.append(lambda entry: entry.routed is not unrouted)
    return lambda entry: all(test(entry) for test in tests)
