"""The request journal: every call the fake answered, for tests to assert on."""

from __future__ import annotations

import fnmatch
import json
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from .formats import render_datetime
from .http import ApiRequest, ApiResponse


@dataclass(frozen=True)
class JournalEntry:
    """One request and how the fake answered it."""

    method: str
    path: str
    query: str
    status: int
    code: int | None
    """Dinero's error code when the answer was a Dinero error body."""
    organization_id: int | None
    client_id: str | None
    at: datetime
    """When, on the fake's clock."""
    fault: str | None = None
    """The fault rule that answered instead of the fake, if one did."""

    def to_json(self) -> dict[str, Any]:
        document = asdict(self)
        document["at"] = render_datetime(self.at)
        return document


class Journal:
    """An append-only list of ``JournalEntry`` with helpers to find and assert."""

    def __init__(self) -> None:
        self.entries: list[JournalEntry] = []

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.entries)

    def record(
        self,
        request: ApiRequest,
        response: ApiResponse | None,
        at: datetime,
        *,
        organization_id: int | None = None,
        client_id: str | None = None,
        fault: str | None = None,
    ) -> JournalEntry:
        entry = JournalEntry(
            method=request.method,
            path=request.path,
            query=request.query_string,
            status=response.status if response is not None else 0,
            code=dinero_code(response),
            organization_id=organization_id,
            client_id=client_id,
            at=at,
            fault=fault,
        )
        self.entries.append(entry)
        return entry

    def clear(self) -> None:
        self.entries.clear()

    def calls(
        self, method: str | None = None, path: str | None = None, status: int | None = None
    ) -> list[JournalEntry]:
        """Entries matching all given criteria; ``path`` is a glob (``/v1/*/contacts*``),
        matched case-insensitively as Dinero matches paths."""
        found = []
        for entry in self.entries:
            if method is not None and entry.method != method.upper():
                continue
            if path is not None and not fnmatch.fnmatch(entry.path.lower(), path.lower()):
                continue
            if status is not None and entry.status != status:
                continue
            found.append(entry)
        return found

    def assert_called(
        self, method: str | None = None, path: str | None = None, *, times: int | None = None, status: int | None = None
    ) -> list[JournalEntry]:
        """Fail with a readable list of what was called when no (or not ``times``) calls match."""
        found = self.calls(method, path, status)
        if (times is None and not found) or (times is not None and len(found) != times):
            wanted = " ".join(part for part in (method or "*", path or "*") if part)
            count = "at least once" if times is None else f"{times} time(s)"
            raise AssertionError(f"expected {wanted} {count}, got {len(found)}.\n{self.describe()}")
        return found

    def assert_not_called(self, method: str | None = None, path: str | None = None) -> None:
        self.assert_called(method, path, times=0)

    def describe(self) -> str:
        if not self.entries:
            return "The fake received no requests."
        lines = ["Requests the fake received:"]
        for entry in self.entries:
            query = f"?{entry.query}" if entry.query else ""
            code = f" (code {entry.code})" if entry.code is not None else ""
            fault = f" [fault {entry.fault}]" if entry.fault else ""
            lines.append(f"  {entry.method} {entry.path}{query} -> {entry.status}{code}{fault}")
        return "\n".join(lines)


def dinero_code(response: ApiResponse | None) -> int | None:
    """Dinero's error code in an error answer's JSON body, if it has one."""
    if response is None or response.status < 400 or not response.body.startswith(b"{"):
        return None
    try:
        code = json.loads(response.body).get("code")
    except ValueError:
        return None
    return code if isinstance(code, int) else None
