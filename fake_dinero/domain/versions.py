"""Optimistic concurrency: every row's version is its ``Timestamp``.

Dinero renders an entity's version as 16 upper-case hex digits (a SQL
rowversion) and refuses a change that names another than the current one
with 400 and code 58.
"""

from __future__ import annotations

from ..errors import TIMESTAMP_OUTDATED, DineroError
from ..formats import render_version, shown
from ..store import Record


def timestamp_of(row: Record) -> str:
    return render_version(row.version)


def check_timestamp(row: Record, supplied: str | None) -> None:
    """400 with code 58 when ``supplied`` is not the row's current Timestamp.
    ``None`` (an optional Timestamp left out) passes."""
    if supplied is None:
        return
    current = timestamp_of(row)
    if supplied.strip().upper() != current:
        raise DineroError(
            400, TIMESTAMP_OUTDATED, "Timestamp outdated",
            {"Timestamp": f"'{shown(supplied)}' is not the current Timestamp ('{current}'); get it again and retry."},
        )
