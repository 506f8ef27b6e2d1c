"""A review as people and CI read it: text for a terminal, Markdown for a pull request or
the partner meeting, JSON for tools (as ``GET /_fake/review`` answers), JUnit XML for CI
(every finding a failed testcase, every check that found nothing a passing one)."""

from __future__ import annotations

import json
import textwrap
import xml.etree.ElementTree as ET
from datetime import datetime, timezone

from .model import Check, Finding, Review, clock_time

FORMATS = ("text", "json", "markdown", "junit")
SUITE = "dinero-review"
LABELS = {"error": "ERROR", "warning": "WARNING", "info": "HINT"}
WIDTH = 100


def _counts(review: Review) -> str:
    counts = review.counts()
    parts = [f"{counts['error']} error(s)", f"{counts['warning']} warning(s)", f"{counts['info']} hint(s)"]
    return ", ".join(parts)


def _span(review: Review) -> str:
    if review.first is None or review.last is None:
        return "no calls"
    return f"{review.calls} call(s), {clock_time(review.first)} to {clock_time(review.last)} on the fake's clock"


def _quiet(review: Review) -> list[Check]:
    found = set(review.ids)
    return [check for check in review.checks if check.id not in found]


def _dropped(review: Review) -> str:
    if not review.dropped:
        return ""
    return (f"The journal had let {review.dropped} older call(s) go; the review saw only the newest {review.calls} "
            "(give the Journal a larger max_entries to review them all).")


def _wrapped(label: str, text: str, indent: str = "  ") -> list[str]:
    return textwrap.wrap(text, WIDTH, initial_indent=f"{indent}{label}", subsequent_indent=indent + " " * len(label))


def _finding_text(finding: Finding) -> list[str]:
    heading = f"{LABELS[finding.level]} {finding.id}: {finding.check.title}"
    lines = [heading, *_wrapped("", finding.summary)]
    for item in finding.evidence:
        note = f"  ({item.note})" if item.note else ""
        lines.append(f"    {clock_time(item.at)}  {item.call}{note}")
    if finding.omitted:
        lines.append(f"    ... and {finding.omitted} more")
    lines += _wrapped("Why: ", finding.check.why)
    lines += _wrapped("Fix: ", finding.check.fix)
    return lines


def render_text(review: Review) -> str:
    """The report for a terminal: a headline, each finding with its evidence, why and fix,
    then the checks that found nothing."""
    if review.clean:
        lines = [f"Dinero integration review: clean; {len(review.checks)} checks found nothing in {_span(review)}."]
    else:
        lines = [f"Dinero integration review: {_counts(review)} in {_span(review)}."]
        for finding in review.findings:
            lines += ["", *_finding_text(finding)]
        quiet = _quiet(review)
        if quiet:
            lines += ["", *textwrap.wrap("Found nothing: " + ", ".join(check.id for check in quiet), WIDTH,
                                         subsequent_indent="  ", break_on_hyphens=False)]
    if review.dropped:
        lines += ["", _dropped(review)]
    return "\n".join(lines)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(review: Review) -> str:
    """The report as Markdown: a table of findings, then one section each."""
    lines = ["# Dinero integration review", ""]
    if review.clean:
        lines.append(f"Clean: {len(review.checks)} checks found nothing in {_span(review)}.")
    else:
        lines += [f"{_counts(review)} in {_span(review)}.", "", "| Severity | Finding | Summary |", "|---|---|---|"]
        lines += [f"| {LABELS[f.level]} | `{f.id}` | {_cell(f.summary)} |" for f in review.findings]
        for finding in review.findings:
            lines += ["", f"## {LABELS[finding.level]} `{finding.id}`: {finding.check.title}", "", finding.summary,
                      "", "```"]
            lines += [f"{clock_time(item.at)}  {item.call}" + (f"  ({item.note})" if item.note else "")
                      for item in finding.evidence]
            if finding.omitted:
                lines.append(f"... and {finding.omitted} more")
            lines += ["```", "", f"**Why:** {finding.check.why}", "", f"**Fix:** {finding.check.fix}"]
        quiet = _quiet(review)
        if quiet:
            lines += ["", "## Found nothing", ""] + [f"- `{check.id}`: {check.title}" for check in quiet]
    if review.dropped:
        lines += ["", f"_{_dropped(review)}_"]
    return "\n".join(lines) + "\n"


def render_json(review: Review) -> str:
    return json.dumps(review.to_json(), indent=2, ensure_ascii=False) + "\n"


def _family(check_id: str) -> str:
    return f"{SUITE}.{check_id.split('.', 1)[0]}"


def junit_document(review: Review, now: datetime | None = None) -> ET.ElementTree:
    """One ``testsuite`` named dinero-review: a failed testcase per finding (named by its id,
    numbered when a check found several), a passing one per check that found nothing."""
    quiet = _quiet(review)
    tests, failures = len(review.findings) + len(quiet), len(review.findings)
    counts = {"tests": str(tests), "failures": str(failures), "errors": "0", "skipped": "0", "time": "0"}
    root = ET.Element("testsuites", {"name": SUITE, "tests": str(tests), "failures": str(failures),
                                     "errors": "0", "time": "0"})
    stamp = (now or datetime.now(timezone.utc)).replace(microsecond=0).isoformat().removesuffix("+00:00")
    suite = ET.SubElement(root, "testsuite", {"name": SUITE, **counts, "timestamp": stamp})
    properties = ET.SubElement(suite, "properties")
    for name, value in (("calls", review.calls), ("dropped", review.dropped),
                        ("from", review.first.isoformat() if review.first else ""),
                        ("to", review.last.isoformat() if review.last else "")):
        ET.SubElement(properties, "property", name=name, value=str(value))
    seen: dict[str, int] = {}
    several = {finding.id for finding in review.findings if len(review.found(finding.id)) > 1}
    for finding in review.findings:
        seen[finding.id] = seen.get(finding.id, 0) + 1
        name = f"{finding.id} #{seen[finding.id]}" if finding.id in several else finding.id
        case = ET.SubElement(suite, "testcase", name=name, classname=_family(finding.id), time="0")
        failure = ET.SubElement(case, "failure", message=f"{LABELS[finding.level]}: {finding.summary}",
                                type=finding.level)
        failure.text = "\n".join(_finding_text(finding))
    for check in quiet:
        ET.SubElement(suite, "testcase", name=check.id, classname=_family(check.id), time="0")
    ET.indent(root)
    return ET.ElementTree(root)


def render_junit(review: Review, now: datetime | None = None) -> str:
    root = junit_document(review, now).getroot()
    assert root is not None
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def render(review: Review, form: str = "text") -> str:
    """The review in one of ``FORMATS``."""
    renderers = {"text": render_text, "json": render_json, "markdown": render_markdown, "junit": render_junit}
    if form not in renderers:
        raise ValueError(f"'{form}' is not a format; use one of: {', '.join(FORMATS)}")
    return renderers[form](review)
