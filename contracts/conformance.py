"""Does the fake say what Dinero says?  Compare two OpenAPI documents per operation.

The fake is only worth using while its contract matches Dinero's (the committed
copy, ../shared's original, or the live document to see drift).  Equivalent
spellings compare equal ($ref vs inline, ``anyOf [X, null]`` vs ``type: [null, X]``,
prose, defaults); names, casing, types, nullability, required flags and enums do
not.  A difference is only accepted through a reasoned entry in allowlist.json.
The schema rules live in contracts.schema_diff (Difference is re-exported from
here); this module walks the operations, applies the allow-list, reports, renders.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from . import upstream as _upstream
from .schema_diff import INFORMATIONAL_KINDS, Difference, SchemaDiffer, flatten, pair_names, ref_name, view

ALLOWLIST_PATH = Path(__file__).with_name("allowlist.json")
COVERAGE_PATH = Path(__file__).with_name("COVERAGE.md")

FAILING_KINDS = frozenset(
    {
        "parameter-missing", "parameter-extra", "parameter-required", "casing",
        "property-missing", "property-extra", "required", "type", "nullable", "enum",
        "additional-properties", "request-body-missing", "request-body-extra",
        "media-type-missing", "media-type-extra", "response-missing", "response-status",
    }
)  # fmt: skip
KINDS = INFORMATIONAL_KINDS | FAILING_KINDS
STATUSES = ("missing", "agrees", "differs", "fake-only")


class AllowlistError(ValueError):
    """The allow-list is malformed; refused rather than half-applied."""


@dataclass
class OperationReport:
    """The verdict for one (METHOD, path); status is one of STATUSES."""

    method: str
    path: str
    status: str
    differences: list[Difference] = field(default_factory=list)

    @property
    def operation(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def failing(self) -> bool:
        return any(d.failing for d in self.differences)


@dataclass(frozen=True)
class AllowEntry:
    """A reviewed, reasoned exception; ``*`` in operation/where matches any text."""

    operation: str
    where: str
    kind: str
    reason: str

    def matches(self, operation: str, difference: Difference) -> bool:
        return (
            self.kind == difference.kind
            and _glob(self.operation).fullmatch(operation) is not None
            and _glob(self.where).fullmatch(difference.where) is not None
        )


def _glob(pattern: str) -> re.Pattern[str]:
    """Only ``*`` is special: braces in paths and ``[]`` in where-strings stay literal."""
    return re.compile(".*".join(re.escape(part) for part in pattern.split("*")))


@dataclass
class Report:
    """Every operation of both documents, plus allow-list entries that matched nothing."""

    operations: list[OperationReport]
    stale_allowlist: list[AllowEntry]
    upstream_total: int

    def get(self, method: str, path: str) -> OperationReport:
        found = [op for op in self.operations if (op.method, op.path) == (method.upper(), path)]
        if not found:
            raise KeyError(f"{method.upper()} {path}")
        return found[0]

    def failures(self) -> list[tuple[str, Difference]]:
        return [(op.operation, d) for op in self.operations for d in op.differences if d.failing]

    @property
    def ok(self) -> bool:
        return not self.failures() and not self.stale_allowlist

    def summary(self) -> str:
        count = {s: sum(op.status == s for op in self.operations) for s in STATUSES}
        allowed_only = sum(op.status == "differs" and not op.failing for op in self.operations)
        text = (
            f"{count['agrees'] + count['differs']} of {self.upstream_total} Dinero operations implemented, "
            f"{count['agrees']} agree; {count['differs']} differ ({allowed_only} only in allow-listed ways); "
            f"{count['fake-only']} fake-only"
        )
        return text + (f"; {len(self.stale_allowlist)} stale allow-list entries" if self.stale_allowlist else "")


# ---------------------------------------------------------------- operations


def _media(media_type: str) -> str:
    media = media_type.split(";", 1)[0].strip().lower()
    return _upstream.MEDIA_SPELLINGS.get(media, media)


class _Differ(SchemaDiffer):
    """Walks two documents side by side, collecting the differences of one operation."""

    def parameters(self, fake: list[dict[str, Any]], upstream: list[dict[str, Any]]) -> None:
        for location in ("path", "query"):
            f = {p.get("name", ""): p for p in fake if p.get("in") == location}
            u = {p.get("name", ""): p for p in upstream if p.get("in") == location}
            pairs, missing, extra = pair_names(f, u)
            for name in missing:
                self.add("parameter-missing", f"parameter {location} {name}", None, name)
            for name in extra:
                self.add("parameter-extra", f"parameter {location} {name}", name, None)
            for fake_name, name in pairs:
                where = f"parameter {location} {name}"
                if fake_name != name:
                    self.add("casing", where, fake_name, name)
                fake_req, up_req = bool(f[fake_name].get("required")), bool(u[name].get("required"))
                if fake_req != up_req:
                    self.add("parameter-required", where, fake_req, up_req)
                # A query string cannot carry null, so Optional[...] is no difference here.
                self.schema(f[fake_name].get("schema"), u[name].get("schema"), where, nullable=False)

    def content(self, fake: Mapping[str, Any], upstream: Mapping[str, Any], prefix: str) -> None:
        f = {_media(k): v or {} for k, v in fake.items()}
        u = {_media(k): v or {} for k, v in upstream.items()}
        for media in sorted(u.keys() - f.keys()):
            self.add("media-type-missing", prefix, None, media)
        for media in sorted(f.keys() - u.keys()):
            self.add("media-type-extra", prefix, media, None)
        for media in sorted(u.keys() & f.keys()):
            label = prefix if media == "application/json" else f"{prefix} {media}"
            if "schema" in u[media]:  # a side without a schema is compared as "any"
                root = ref_name(u[media]["schema"]) or ref_name(f[media].get("schema")) or "body"
                self.schema(f[media].get("schema"), u[media]["schema"], f"{label} {root}")
            elif u[media].get("encoding"):  # multipart without a schema: the part names are the contract
                names = set(f[media].get("encoding") or ()) | set(
                    view(f[media].get("schema"), self.fake_doc).properties
                )
                for name in sorted(set(u[media]["encoding"]) - names):
                    self.add("property-missing", f"{label} parts.{name}", None, name)

    def operation(self, fake_item: Mapping[str, Any], upstream_item: Mapping[str, Any], method: str) -> None:
        f_op, u_op = fake_item[method.lower()], upstream_item[method.lower()]
        self.parameters(
            _parameters(self.fake_doc, fake_item, f_op), _parameters(self.upstream_doc, upstream_item, u_op)
        )
        f_body, u_body = (
            _resolved(self.fake_doc, f_op.get("requestBody")),
            _resolved(self.upstream_doc, u_op.get("requestBody")),
        )
        if u_body is not None and f_body is None:
            self.add("request-body-missing", "request", None, sorted(u_body.get("content") or {}))
        elif f_body is not None and u_body is None:
            self.add("request-body-extra", "request", sorted(f_body.get("content") or {}), None)
        elif f_body is not None and u_body is not None:
            self.content(f_body.get("content") or {}, u_body.get("content") or {}, "request")
        f_responses = {str(k): v for k, v in (f_op.get("responses") or {}).items()}
        u_ok = _resolved(self.upstream_doc, (u_op.get("responses") or {}).get("200"))
        f_ok = _resolved(self.fake_doc, f_responses.get("200"))
        if u_ok is None:
            return  # Dinero documents a 200 for every operation; nothing to hold the fake to otherwise
        if f_ok is None:
            self.add("response-status", "response", sorted(s for s in f_responses if s.startswith("2")), ["200"])
            return
        u_content, f_content = u_ok.get("content") or {}, f_ok.get("content") or {}
        if not u_content and f_content:
            # Dinero leaves some bodies undocumented (e.g. webhook lists); the fake may say more.
            self.add("response-undocumented", "response", sorted(f_content), None)
        elif u_content and not f_content:
            self.add("response-missing", "response", None, sorted(u_content))
        elif u_content:
            self.content(f_content, u_content, "response")


def _resolved(doc: Mapping[str, Any], node: Any) -> dict[str, Any] | None:
    return flatten(node, doc) if isinstance(node, dict) else None


def _parameters(doc: Mapping[str, Any], item: Mapping[str, Any], op: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Path-item and operation parameters, $refs resolved, the operation's winning."""
    merged: dict[tuple[Any, Any], dict[str, Any]] = {}
    for raw in [*(item.get("parameters") or []), *(op.get("parameters") or [])]:
        param = flatten(raw, doc)
        merged[(param.get("in"), param.get("name"))] = param
    return list(merged.values())


def _operations(doc: Mapping[str, Any]) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in (doc.get("paths") or {}).items()
        for method in (item or {})
        if method in _upstream.HTTP_METHODS
    }


def parse_allowlist(entries: Any) -> list[AllowEntry]:
    """Validate allow-list entries: exactly the four keys, a known kind, a real reason."""
    if not isinstance(entries, list):
        raise AllowlistError("the allow-list must be a JSON list of entries")
    keys, out = {"operation", "where", "kind", "reason"}, list[AllowEntry]()
    for index, entry in enumerate(entries):
        entry = vars(entry) if isinstance(entry, AllowEntry) else entry
        if not isinstance(entry, Mapping) or set(entry) != keys or not all(isinstance(entry[k], str) for k in keys):
            raise AllowlistError(f"entry {index}: needs exactly the string keys {sorted(keys)}")
        if not entry["reason"].strip():
            raise AllowlistError(f"entry {index} ({entry['operation']}): a reason is required")
        if entry["kind"] not in KINDS:
            raise AllowlistError(f"entry {index}: unknown kind {entry['kind']!r}; one of {sorted(KINDS)}")
        if not re.fullmatch(r"[A-Z*]+ \S+", entry["operation"]):
            raise AllowlistError(f"entry {index}: operation must read 'METHOD /path'")
        out.append(AllowEntry(**{k: entry[k] for k in keys}))
    return out


def load_allowlist(path: str | Path = ALLOWLIST_PATH) -> list[AllowEntry]:
    """Read and validate an allow-list file."""
    return parse_allowlist(json.loads(Path(path).read_text(encoding="utf-8")))


def compare(fake: dict[str, Any], upstream: dict[str, Any], allowlist: list[Any] | None = None) -> Report:
    """Compare every operation of both documents; apply the allow-list; find its stale entries."""
    entries = parse_allowlist(allowlist or [])
    used: set[AllowEntry] = set()
    fake_ops, upstream_ops = _operations(fake), _operations(upstream)
    order = {m.upper(): i for i, m in enumerate(_upstream.HTTP_METHODS)}
    reports: list[OperationReport] = []
    for method, path in sorted(fake_ops | upstream_ops, key=lambda mp: (mp[1], order[mp[0]])):
        if (method, path) not in fake_ops or (method, path) not in upstream_ops:
            reports.append(OperationReport(method, path, "missing" if (method, path) in upstream_ops else "fake-only"))
            continue
        differ = _Differ(fake, upstream)
        differ.operation(fake["paths"][path], upstream["paths"][path], method)
        differences: list[Difference] = []
        for diff in differ.found:
            entry = next((e for e in entries if e.matches(f"{method} {path}", diff)), None)
            if entry is not None:
                used.add(entry)
                diff = replace(diff, allowed_reason=entry.reason)
            differences.append(diff)
        status = "differs" if any(not d.informational for d in differences) else "agrees"
        reports.append(OperationReport(method, path, status, differences))
    return Report(reports, [e for e in entries if e not in used], len(upstream_ops))


# ---------------------------------------------------------------- rendering


def _cell(value: Any) -> str:
    return "absent" if value is None else f"`{json.dumps(value, ensure_ascii=False)}`"


def render_table(report: Report) -> str:
    """The table of Dinero's operations and the summary line (what the CLI prints)."""
    lines = ["| Operation | Status | Differences | Allowed | Informational |", "|---|---|---|---|---|"]
    for op in (op for op in report.operations if op.status != "fake-only"):
        info = sum(d.informational for d in op.differences)
        allowed = sum(d.allowed_reason is not None and not d.informational for d in op.differences)
        counts = ("", "", "") if op.status == "missing" else (len(op.differences) - info, allowed, info)
        lines.append(f"| `{op.operation}` | {op.status} | {counts[0]} | {counts[1]} | {counts[2]} |")
    return "\n".join([*lines, "", f"**{report.summary()}**"])


def render_markdown(report: Report) -> str:
    """The whole COVERAGE.md: table, fake-only operations, details, stale entries."""
    out = [
        "# Dinero API coverage",
        "",
        "<!-- Generated by `fake-dinero coverage`; do not edit. Regenerate instead. -->",
        "",
        "The fake's OpenAPI document compared with Dinero's, operation by operation. Differences with",
        "a reason are allowed by `contracts/allowlist.json`; informational ones never fail.",
        "",
        render_table(report),
        "",
        "## Fake-only operations",
        "",
        *([f"- `{op.operation}`" for op in report.operations if op.status == "fake-only"] or ["None."]),
        "",
        "## Differences",
        "",
    ]
    for op in (op for op in report.operations if op.differences):
        out += [f"### `{op.operation}`", ""]
        for d in op.differences:
            note = " (informational)" if d.informational else ""
            note += f" — allowed: {d.allowed_reason}" if d.allowed_reason else ""
            out.append(f"- **{d.kind}** at `{d.where}`: fake {_cell(d.fake)}, Dinero {_cell(d.upstream)}{note}")
        out.append("")
    if not any(op.differences for op in report.operations):
        out += ["None.", ""]
    if report.stale_allowlist:
        out += ["## Stale allow-list entries", ""]
        out += [f"- `{e.operation}` {e.kind} at `{e.where}`: matches no difference" for e in report.stale_allowlist]
    return "\n".join(out).rstrip("\n") + "\n"


def write_coverage(report: Report, path: str | Path = COVERAGE_PATH) -> None:
    """Write the generated coverage file with LF endings, so a test can compare its text."""
    with Path(path).open("w", encoding="utf-8", newline="\n") as handle:
        handle.write(render_markdown(report))


def fake_document() -> dict[str, Any]:
    """The fake's own document, from its route table (imported late: that imports the whole app)."""
    from .openapi import served_document

    return served_document()


def main(argv: Sequence[str] | None = None) -> int:
    """``fake-dinero coverage``: print the table; write the report only where ``--write`` says
    (never into the installed package by default); --check for CI."""
    parser = argparse.ArgumentParser(
        prog="fake-dinero coverage", description="Compare the fake's contract with Dinero's."
    )
    parser.add_argument("--upstream", default=str(_upstream.COPY_PATH), help="Dinero's document, path or URL")
    parser.add_argument("--fake", help="the fake's document as a JSON file (default: generate it)")
    parser.add_argument("--allowlist", default=str(ALLOWLIST_PATH), help="the reviewed allow-list")
    parser.add_argument(
        "--write",
        metavar="FILE",
        help="write the whole report (COVERAGE.md's text) to FILE; '-' prints it instead of the table",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 on a disagreement or a stale allow-list entry")
    args = parser.parse_args(argv)
    try:
        upstream_doc = _upstream.read_source(args.upstream)
        fake_doc = _upstream.read_source(args.fake) if args.fake else fake_document()
        report = compare(fake_doc, upstream_doc, load_allowlist(args.allowlist))
    except (OSError, ValueError, KeyError, ImportError) as exc:  # AllowlistError is a ValueError
        print(f"fake-dinero coverage: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 2
    if args.write == "-":
        print(render_markdown(report), end="")
    else:
        print(render_table(report))
    if args.write not in (None, "-"):
        try:
            write_coverage(report, args.write)
        except OSError as exc:
            print(f"fake-dinero coverage: cannot write {args.write}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        print(f"wrote {args.write}")
    for operation, d in report.failures():
        print(f"DIFFERS {operation}: {d.kind} at {d.where}: fake {_cell(d.fake)}, Dinero {_cell(d.upstream)}")
    for e in report.stale_allowlist:
        print(f"STALE allow-list entry: {e.operation} {e.kind} at {e.where}")
    return 1 if args.check and not report.ok else 0


if __name__ == "__main__":
    raise SystemExit(main())
