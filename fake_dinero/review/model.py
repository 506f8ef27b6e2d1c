"""The review's vocabulary: a journaled call as the checks read it, a finding and its
evidence, the catalogue entry a finding belongs to, and the review as a whole."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import parse_qsl

if TYPE_CHECKING:
    from ..journal import JournalEntry
    from .thresholds import Thresholds

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")
"""Lowest first: a severity's rank is its index."""

TOKEN_PATHS = ("/dineroapi/oauth/token", "/connect/token")
"""Where a client logs in: the legacy password grant and Visma Connect."""


def rank(severity: str) -> int:
    """A severity's place in ``SEVERITIES``; ValueError for anything else."""
    try:
        return SEVERITIES.index(severity)  # type: ignore[arg-type]
    except ValueError:
        raise ValueError(f"'{severity}' is not a severity; use one of: error, warning, info") from None


@dataclass(frozen=True)
class Exchange:
    """One journaled call, decoded once, as every check reads it.

    Built from a ``JournalEntry`` (``from_entry``) or from the JSON document ``GET
    /_fake/journal`` gives (``from_document``), so a review reads either the same way."""

    index: int
    """Its place in the journal, oldest first."""
    method: str
    path: str
    query: str
    status: int
    code: int | None
    organization_id: int | None
    client_id: str | None
    at: datetime
    fault: str | None = None
    routed: bool = True
    did_you_mean: str | None = None
    request_headers: Mapping[str, str] = field(default_factory=dict)
    response_headers: Mapping[str, str] = field(default_factory=dict)
    request_body: Any = None
    response_body: Any = None

    @classmethod
    def from_entry(cls, index: int, entry: JournalEntry) -> Exchange:
        return cls(
            index, entry.method, entry.path, entry.query, entry.status, entry.code, entry.organization_id,
            entry.client_id, _aware(entry.at), entry.fault, entry.routed, entry.did_you_mean,
            _lower(entry.request_headers), _lower(entry.response_headers), entry.request_body, entry.response_body,
        )

    @classmethod
    def from_document(cls, index: int, document: Mapping[str, Any]) -> Exchange:
        """An entry as ``GET /_fake/journal`` shows it (camelCase keys); ValueError when it is not one."""
        try:
            at = _aware(datetime.fromisoformat(str(document["at"]).replace("Z", "+00:00")))
            return cls(
                index, str(document["method"]).upper(), str(document["path"]), str(document.get("query") or ""),
                int(document.get("status") or 0), document.get("code"), document.get("organizationId"),
                document.get("clientId"), at, document.get("fault"), bool(document.get("routed", True)),
                document.get("didYouMean"), _lower(document.get("requestHeaders") or {}),
                _lower(document.get("responseHeaders") or {}), document.get("requestBody"),
                document.get("responseBody"),
            )
        except (KeyError, TypeError, ValueError) as error:
            raise ValueError(f"journal entry {index} is not one GET /_fake/journal gives: {error!r}") from None

    @property
    def params(self) -> dict[str, str]:
        """Query parameters by lower-case name (the first value of a repeated one), as Dinero binds them."""
        found: dict[str, str] = {}
        for name, value in parse_qsl(self.query, keep_blank_values=True):
            found.setdefault(name.lower(), value)
        return found

    @property
    def is_token_call(self) -> bool:
        return self.path.rstrip("/").lower() in TOKEN_PATHS

    @property
    def caller(self) -> str | None:
        """The client id: the journal's, or for a token call the form's ``client_id``."""
        if self.client_id is not None or not isinstance(self.request_body, str):
            return self.client_id
        return dict(parse_qsl(self.request_body)).get("client_id")

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @cached_property
    def body_text(self) -> str:
        """The request body as one canonical text (kept: several checks compare it)."""
        return as_text(self.request_body)

    @cached_property
    def answer_text(self) -> str:
        """The answer's body as one canonical text (kept: several checks compare it)."""
        return as_text(self.response_body)

    def line(self) -> str:
        query = f"?{self.query}" if self.query else ""
        status = str(self.status) if self.status else "dropped"
        code = f" (code {self.code})" if self.code is not None else ""
        return f"{self.method} {self.path}{query} -> {status}{code}"


def as_text(body: Any) -> str:
    """A decoded body as one canonical text ('' for none): JSON with sorted keys, text as is."""
    if body is None:
        return ""
    if isinstance(body, str):
        return body
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {str(name).lower(): str(value) for name, value in headers.items()}


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def clock_time(moment: datetime) -> str:
    """A time on the fake's clock as a finding shows it: ``2026-03-02 09:30:05.250Z``."""
    moment = moment.astimezone(timezone.utc)
    text = moment.strftime("%Y-%m-%d %H:%M:%S")
    if moment.microsecond:
        text += f".{moment.microsecond // 1000:03d}"
    return text + "Z"


@dataclass(frozen=True)
class Check:
    """One kind of finding: its stable id, usual severity, Dinero's rule and the fix."""

    id: str
    title: str
    severity: Severity
    why: str
    """Why Dinero cares, quoting its rule where it words one."""
    fix: str
    heuristic: bool = False
    """A guess from the shape of the calls, worded as a question rather than a verdict."""


@dataclass(frozen=True)
class Evidence:
    """A call that shows the finding, with a note of what it shows."""

    at: datetime
    call: str
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(), "call": self.call, "note": self.note}


@dataclass(frozen=True)
class Finding:
    """What one check found for one subject (an organization and client, a list, a file...)."""

    check: Check
    summary: str
    """One line with the counts and times."""
    evidence: tuple[Evidence, ...]
    count: int
    """How many calls (or events) show it; evidence may show fewer."""
    severity: Severity | None = None
    """Overrides the check's usual severity when this instance is worse (or milder)."""
    organization_id: int | None = None
    client_id: str | None = None
    omitted: int = 0
    """Evidence left out for brevity (``Thresholds.max_evidence``)."""

    @property
    def id(self) -> str:
        return self.check.id

    @property
    def level(self) -> Severity:
        return self.severity or self.check.severity

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "severity": self.level,
            "title": self.check.title,
            "summary": self.summary,
            "heuristic": self.check.heuristic,
            "organizationId": self.organization_id,
            "clientId": self.client_id,
            "count": self.count,
            "evidence": [item.to_json() for item in self.evidence],
            "omitted": self.omitted,
            "why": self.check.why,
            "fix": self.check.fix,
        }


def evidence_of(calls: Sequence[Exchange], note: str = "") -> list[Evidence]:
    """Calls as evidence, each with the same note."""
    return [Evidence(call.at, call.line(), note) for call in calls]


def finding(
    check: Check, summary: str, evidence: Sequence[Evidence], count: int, limit: int, **details: Any
) -> Finding:
    """A finding showing the first ``limit`` items of ``evidence`` and counting the rest as omitted."""
    shown = tuple(evidence[: max(limit, 0)])
    return Finding(check, summary, shown, count, omitted=len(evidence) - len(shown), **details)


class ReviewFailed(AssertionError):
    """``Review.assert_clean`` found something at or above the severity it fails on."""


@dataclass(frozen=True)
class Review:
    """Every check run over one journal: what they found, and which found nothing."""

    findings: tuple[Finding, ...]
    checks: tuple[Check, ...]
    thresholds: Thresholds
    calls: int
    first: datetime | None = None
    last: datetime | None = None
    dropped: int = 0
    """Calls the journal had let go before the review read it (the review cannot see them)."""

    @property
    def clean(self) -> bool:
        return not self.findings

    @property
    def ids(self) -> list[str]:
        """The ids of what was found, each once, in the order found."""
        return list(dict.fromkeys(finding.id for finding in self.findings))

    def __contains__(self, finding_id: object) -> bool:
        return finding_id in self.ids

    def found(self, finding_id: str) -> list[Finding]:
        return [finding for finding in self.findings if finding.id == finding_id]

    def at_or_above(self, severity: str) -> list[Finding]:
        floor = rank(severity)
        return [finding for finding in self.findings if rank(finding.level) >= floor]

    def passed(self, fail_on: str = "error") -> bool:
        return not self.at_or_above(fail_on)

    def assert_clean(self, fail_on: str = "info") -> None:
        """Fail, with the whole report, when any finding is at or above ``fail_on``
        (by default any finding at all; ``fail_on="warning"`` lets hints pass)."""
        if not self.passed(fail_on):
            from .report import render_text

            raise ReviewFailed(render_text(self))

    def counts(self) -> dict[str, int]:
        return {severity: sum(finding.level == severity for finding in self.findings)
                for severity in reversed(SEVERITIES)}

    def to_json(self) -> dict[str, Any]:
        found = {check.id: 0 for check in self.checks}
        for finding in self.findings:
            found[finding.id] = found.get(finding.id, 0) + 1
        return {
            "clean": self.clean,
            "calls": self.calls,
            "dropped": self.dropped,
            "from": self.first.isoformat() if self.first else None,
            "to": self.last.isoformat() if self.last else None,
            "counts": self.counts(),
            "findings": [finding.to_json() for finding in self.findings],
            "checks": [
                {"id": check.id, "title": check.title, "severity": check.severity, "heuristic": check.heuristic,
                 "findings": found.get(check.id, 0)}
                for check in self.checks
            ],
            "thresholds": self.thresholds.to_json(),
        }

    def __str__(self) -> str:
        from .report import render_text

        return render_text(self)
