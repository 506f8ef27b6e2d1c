"""``fake-dinero contract --junit FILE``: the suite's results as JUnit XML, for CI test reporters.

One ``testsuite``; one ``testcase`` per check, its classname the part of the suite that made
it (``contract.reads``, ``contract.contact``, ``contract.product``, ``contract.money``). A
broken check has a ``failure`` whose message names the operation and the first problem (the
JSON path and the value), its text every problem; a check not made (writes not allowed, or an
earlier step failed) is ``skipped``. With writes, a ``contract.cleanup`` case fails when a
tagged row could not be deleted; what stays behind by design is in ``system-out``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .checks import Result
    from .suite import ContractSuite

SUITE_NAME = "fake-dinero contract"


def _case(parent: ET.Element, result: Result) -> None:
    check = result.check
    case = ET.SubElement(parent, "testcase", name=check.name, classname=f"contract.{result.group or 'suite'}",
                         time=f"{result.seconds:.3f}")
    operation = f"{check.method} {check.path}"
    if result.skipped is not None:
        ET.SubElement(case, "skipped", message=result.skipped)
    elif result.problems:
        failure = ET.SubElement(case, "failure", message=f"{operation}: {result.problems[0]}", type="ContractBroken")
        status = "no answer" if result.status is None else f"status {result.status}"
        failure.text = "\n".join([f"{operation} ({result.url}): {status}", *result.problems])


def _cleanup_case(parent: ET.Element, leftovers: Iterable[str], tag: str) -> None:
    case = ET.SubElement(parent, "testcase", name="every tagged row deleted", classname="contract.cleanup", time="0")
    left = list(leftovers)
    if left:
        failure = ET.SubElement(case, "failure", message=f"not deleted: {left[0]}", type="LeftBehind")
        failure.text = "\n".join(f"NOT DELETED: {what} ({tag}); delete it by hand" for what in left)


def document(suite: ContractSuite, now: datetime | None = None) -> ET.ElementTree:
    """The whole run as one ``testsuite`` inside ``testsuites`` (every reader takes that form)."""
    results = suite.results
    skipped = sum(r.skipped is not None for r in results)
    failures = sum(not r.passed for r in results) + (1 if suite.allow_writes and suite.leftovers else 0)
    tests = len(results) + (1 if suite.allow_writes else 0)
    seconds = f"{sum(r.seconds for r in results):.3f}"
    counts = {"tests": str(tests), "failures": str(failures), "errors": "0", "skipped": str(skipped),
              "time": seconds}
    root = ET.Element("testsuites", {"name": SUITE_NAME, **{k: v for k, v in counts.items() if k != "skipped"}})
    stamp = (now or datetime.now(timezone.utc)).replace(microsecond=0).isoformat().removesuffix("+00:00")
    testsuite = ET.SubElement(root, "testsuite", {"name": SUITE_NAME, **counts, "timestamp": stamp})
    properties = ET.SubElement(testsuite, "properties")
    for name, value in (("base_url", suite.base_url), ("organization", suite.organization),
                        ("run_id", suite.run_id), ("tag", suite.tag), ("writes", suite.allow_writes)):
        ET.SubElement(properties, "property", name=name, value=str(value).lower() if isinstance(value, bool)
                      else str(value))
    for result in results:
        _case(testsuite, result)
    if suite.allow_writes:
        _cleanup_case(testsuite, suite.leftovers, suite.tag)
    if suite.kept:
        out = ET.SubElement(testsuite, "system-out")
        out.text = "\n".join(f"KEPT ({suite.tag}): {what}"
                             for what in suite.kept)
    ET.indent(root)
    return ET.ElementTree(root)


def write(suite: ContractSuite, path: str | Path) -> None:
    document(suite).write(path, encoding="utf-8", xml_declaration=True)
