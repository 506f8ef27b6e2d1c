"""Operations: calls to paths no Dinero operation has, and to operations Dinero has
deprecated (its document says so), removed (its old document had them) or browned out (480)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from ..faults import BROWNOUT_STATUS
from . import operations
from .catalogue import DEPRECATED, UNKNOWN_OPERATION
from .model import Exchange, Finding, Severity, evidence_of, finding
from .thresholds import Thresholds

_VERSION = re.compile(r"^v\d+(\.\d+)?$", re.IGNORECASE)


def shape(path: str) -> str:
    """A path with its ids as ``{}``, so calls to one missing operation group together."""
    parts = path.strip("/").split("/")
    return "/" + "/".join("{}" if any(c.isdigit() for c in part) and not _VERSION.match(part) else part.lower()
                          for part in parts)


def unknown_operations(calls: Sequence[Exchange], thresholds: Thresholds) -> list[Finding]:
    """Calls the fake answered with its unknown-route 404 (``routed`` False), by method and
    path shape, each with the operation nearest to it; removed operations are left to
    ``api.deprecated-operation``, which names their successor."""
    groups: dict[tuple[str, str], list[Exchange]] = defaultdict(list)
    for call in calls:
        if not call.routed and operations.removed(call.method, call.path) is None:
            groups[(call.method, shape(call.path))].append(call)
    findings = []
    for (method, path), missing in groups.items():
        nearest = next((call.did_you_mean for call in missing if call.did_you_mean), None)
        hint = f"; did you mean {nearest}?" if nearest else ""
        summary = f"{method} {path}: no such Dinero operation ({len(missing)} call(s){hint})"
        findings.append(finding(UNKNOWN_OPERATION, summary, evidence_of(missing), len(missing),
                                thresholds.max_evidence, organization_id=missing[0].organization_id,
                                client_id=missing[0].client_id))
    return findings


def deprecated_operations(calls: Sequence[Exchange], thresholds: Thresholds) -> list[Finding]:
    """Per operation: calls to one deprecated in Dinero's document (a warning), to one Dinero
    removed (an error: it answers 404 now), or answered 480 Brownout (an error)."""
    groups: dict[str, list[Exchange]] = defaultdict(list)
    notes: dict[str, tuple[str, Severity]] = {}
    for call in calls:
        gone = operations.removed(call.method, call.path) if not call.routed else None
        operation = operations.operation_of(call.method, call.path) if call.routed else None
        if gone is not None:
            template, successor = gone
            notes[template] = (f"removed by Dinero; use {successor}", "error")
        elif call.status == BROWNOUT_STATUS:
            template = f"{operation.method} {operation.path}" if operation else f"{call.method} {shape(call.path)}"
            later = operations.successor(operation) if operation else None
            notes[template] = ("answered 480 Brownout: about to be removed" + (f"; use {later}" if later else ""),
                               "error")
        elif operation is not None and operations.deprecated(operation):
            template = f"{operation.method} {operation.path}"
            later = operations.successor(operation)
            if notes.get(template, ("", "warning"))[1] != "error":
                notes[template] = ("deprecated in Dinero's document" + (f"; use {later}" if later else ""),
                                   "warning")
        else:
            continue
        groups[template].append(call)
    findings = []
    for template, used in groups.items():
        note, severity = notes[template]
        findings.append(finding(DEPRECATED, f"{template}: {note} ({len(used)} call(s))", evidence_of(used, note),
                                len(used), thresholds.max_evidence, severity=severity,
                                organization_id=used[0].organization_id, client_id=used[0].client_id))
    return findings


CHECKS = (unknown_operations, deprecated_operations)
