"""The review of a whole pytest session (``pytest --dinero-review``): each test's journal
reviewed on its own, as each test has a fake of its own, and one report at the end that
lists every finding with the tests that earned it.

Findings are kept as their JSON documents, so an xdist worker can hand its share to the
controller as text (``dump`` on the worker, ``merge`` on the controller).
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .catalogue import BY_ID, CHECKS
from .model import SEVERITIES, rank
from .report import LABELS, WIDTH
from .thresholds import Thresholds

if TYPE_CHECKING:
    from ..journal import JournalEntry
    from .model import Review

TESTS_SHOWN = 10
"""Tests listed under one finding before the rest are counted."""


class SessionReview:
    """What ``--dinero-review`` gathers: the tests reviewed, their calls, and their findings."""

    def __init__(self, thresholds: Thresholds | None = None) -> None:
        self.thresholds = thresholds or Thresholds()
        self.tests = 0
        self.calls = 0
        self.findings: list[tuple[str, dict[str, Any]]] = []
        """(test id, the finding as ``Finding.to_json`` gives it), in the order found."""

    def add(self, test_id: str, entries: Iterable[JournalEntry | Mapping[str, Any]], dropped: int = 0) -> Review:
        """Review one test's journal and keep what it found; a test without calls adds nothing."""
        from . import review

        result = review(entries, self.thresholds, dropped=dropped)
        if result.calls:
            self.tests += 1
            self.calls += result.calls + dropped
            self.findings += [(test_id, finding.to_json()) for finding in result.findings]
        return result

    def dump(self) -> str:
        return json.dumps({"tests": self.tests, "calls": self.calls, "findings": self.findings})

    def merge(self, text: str) -> None:
        """Add what another process's ``dump`` holds (an xdist worker's share)."""
        other = json.loads(text)
        self.tests += int(other["tests"])
        self.calls += int(other["calls"])
        self.findings += [(str(test), dict(found)) for test, found in other["findings"]]

    def counts(self) -> dict[str, int]:
        return {severity: sum(found["severity"] == severity for _, found in self.findings)
                for severity in reversed(SEVERITIES)}

    def render(self) -> str:
        """One report for the session: a headline, then each kind of finding with its tests."""
        if not self.tests:
            return "Dinero integration review: no test called Dinero's API."
        reach = f"{self.tests} test(s) that called Dinero ({self.calls} call(s))"
        if not self.findings:
            return f"Dinero integration review: clean; {len(CHECKS)} checks found nothing in {reach}."
        counts = self.counts()
        lines = [f"Dinero integration review: {counts['error']} error(s), {counts['warning']} warning(s), "
                 f"{counts['info']} hint(s) in {reach}."]
        by_id: dict[str, list[tuple[str, dict[str, Any]]]] = {}
        for test, entry in self.findings:
            by_id.setdefault(entry["id"], []).append((test, entry))
        order = {check.id: index for index, check in enumerate(CHECKS)}
        ranked = sorted(by_id.items(), key=lambda item: (-max(rank(entry["severity"]) for _, entry in item[1]),
                                                         order.get(item[0], len(order))))
        for finding_id, earned in ranked:
            worst = max((entry["severity"] for _, entry in earned), key=rank)
            check = BY_ID.get(finding_id)
            title = check.title if check else earned[0][1]["title"]
            tests = list(dict.fromkeys(test for test, _ in earned))
            lines += ["", f"{LABELS[worst]} {finding_id}: {title} (in {len(tests)} test(s))"]
            for test in tests[:TESTS_SHOWN]:
                summary = next(entry["summary"] for name, entry in earned if name == test)
                lines += textwrap.wrap(f"{test}: {summary}", WIDTH, initial_indent="  ", subsequent_indent="      ")
            if len(tests) > TESTS_SHOWN:
                lines.append(f"  ... and {len(tests) - TESTS_SHOWN} more test(s)")
            fix = check.fix if check else earned[0][1]["fix"]
            lines += textwrap.wrap(f"Fix: {fix}", WIDTH, initial_indent="  ", subsequent_indent="       ")
        lines += ["", "Each test's journal was reviewed on its own; call dinero.review() in a test for the evidence."]
        return "\n".join(lines)
