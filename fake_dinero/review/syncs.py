"""Syncs: lists read in full again and again, paging below 1000, one GET per item of a
list that ``fields`` could have answered, polling an unchanged resource, and filter or
paging parameters sent to an operation that does not take them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from urllib.parse import parse_qsl, urlencode

from . import operations
from .catalogue import FULL_REREAD, N_PLUS_ONE, POLLING, SMALL_PAGES, UNSUPPORTED_FILTER
from .model import Evidence, Exchange, Finding, clock_time, evidence_of, finding
from .operations import LIST_PARAMETERS, NARROWING
from .thresholds import Thresholds

Who = tuple[int | None, str | None]


def _reads(calls: Sequence[Exchange]) -> list[Exchange]:
    """Answered GETs of Dinero's operations."""
    return [call for call in calls if call.method == "GET" and call.ok and call.routed and not call.is_token_call]


def _narrowed(params: dict[str, str]) -> bool:
    for name in NARROWING:
        value = params.get(name, "").strip().lower()
        if value and not (name == "deletedonly" and value == "false"):
            return True
    return False


def _page(params: dict[str, str]) -> int:
    try:
        return int(params.get("page", "0").strip() or 0)
    except ValueError:
        return 0


def full_rereads(calls: Sequence[Exchange], thresholds: Thresholds) -> list[Finding]:
    """The first page of a list that takes changesSince, read without it and without a
    narrowing filter, more than ``full_list_reads`` times by one organization and client."""
    reads: dict[tuple[Who, str], list[Exchange]] = defaultdict(list)
    for call in _reads(calls):
        operation = operations.operation_of(call.method, call.path)
        params = call.params
        if (operation is None or not operations.syncs(operation) or params.get("changessince", "").strip()
                or _narrowed(params) or _page(params) != 0):
            continue
        reads[((call.organization_id, call.client_id), call.path.lower())].append(call)
    findings = []
    for ((organization, client), _), full in reads.items():
        if len(full) > thresholds.full_list_reads:
            summary = (f"GET {full[0].path} read in full {len(full)} times without changesSince, "
                       f"{clock_time(full[0].at)} to {clock_time(full[-1].at)}")
            findings.append(finding(FULL_REREAD, summary, evidence_of(full), len(full), thresholds.max_evidence,
                                    organization_id=organization, client_id=client))
    return findings


def small_pages(calls: Sequence[Exchange], thresholds: Thresholds) -> list[Finding]:
    """At least ``small_page_pages`` pages of one list (same query but the page) read with a
    pageSize below the largest Dinero takes."""
    reads: dict[tuple[Who, str, str], list[Exchange]] = defaultdict(list)
    sizes: dict[tuple[Who, str, str], int] = {}
    for call in _reads(calls):
        operation = operations.operation_of(call.method, call.path)
        if operation is None or not operations.pages(operation):
            continue
        size = _page_size(call, operation)
        if size is None or size >= thresholds.max_page_size:
            continue
        rest = urlencode(sorted((name.lower(), value) for name, value in parse_qsl(call.query, keep_blank_values=True)
                                if name.lower() != "page"))
        key = ((call.organization_id, call.client_id), call.path.lower(), rest)
        reads[key].append(call)
        sizes[key] = size
    findings = []
    for key, pages in reads.items():
        distinct = {_page(call.params) for call in pages}
        if len(distinct) >= max(thresholds.small_page_pages, 2):
            (organization, client), _, _ = key
            summary = (f"GET {pages[0].path} read in {len(distinct)} pages of {sizes[key]} "
                       f"(pageSize may be {thresholds.max_page_size})")
            findings.append(finding(SMALL_PAGES, summary, evidence_of(pages), len(pages), thresholds.max_evidence,
                                    organization_id=organization, client_id=client))
    return findings


def _page_size(call: Exchange, operation: operations.Operation) -> int | None:
    text = call.params.get("pagesize", "").strip()
    if not text:
        default = next((param.default for param in operation.query if param.name.lower() == "pagesize"), None)
        return default if isinstance(default, int) else None
    try:
        return int(text)
    except ValueError:
        return None


def n_plus_one(calls: Sequence[Exchange], thresholds: Thresholds) -> list[Finding]:
    """GETs of single items that the latest answer of their list (same organization and
    client) held, where the list's ``fields`` could have given every property the item's GET does."""
    latest: dict[tuple[Who, str], tuple[Exchange, str]] = {}
    fetched: dict[tuple[Who, int], list[Exchange]] = defaultdict(list)
    for call in _reads(calls):
        who = (call.organization_id, call.client_id)
        operation = operations.operation_of(call.method, call.path)
        if operation is None:
            continue
        if operations.is_list(operation) and operations.fields_answer_items(operation):
            latest[(who, call.path.rstrip("/").lower())] = (call, call.answer_text.lower())
            continue
        parent, _, item = call.path.rstrip("/").rpartition("/")
        listed = latest.get((who, parent.lower()))
        if listed is None or not item or item.lower() not in listed[1]:
            continue
        list_operation = operations.operation_of("GET", parent)
        if list_operation is not None and operations.item_operation(list_operation) is operation:
            fetched[(who, listed[0].index)].append(call)
    by_index = {call.index: call for call in calls}
    findings = []
    for ((organization, client), index), items in fetched.items():
        if len(items) >= max(thresholds.n_plus_one_gets, 1):
            listing = by_index[index]
            evidence = [Evidence(listing.at, listing.line(), "the list whose answer held these items"),
                        *evidence_of(items)]
            summary = (f"{len(items)} GETs of single items the answer of GET {listing.path} at "
                       f"{clock_time(listing.at)} already held")
            findings.append(finding(N_PLUS_ONE, summary, evidence, len(items), thresholds.max_evidence,
                                    organization_id=organization, client_id=client))
    return findings


def polling(calls: Sequence[Exchange], thresholds: Thresholds) -> list[Finding]:
    """The same GET (path and query) answered the same, at least ``polling_repeats`` times
    in a row within ``polling_window_seconds``, per organization and client."""
    groups: dict[tuple[Who, str, str], list[Exchange]] = defaultdict(list)
    for call in _reads(calls):
        groups[((call.organization_id, call.client_id), call.path.lower(), call.query)].append(call)
    findings = []
    window, repeats = thresholds.polling_window_seconds, max(thresholds.polling_repeats, 2)
    for ((organization, client), _, _), same in groups.items():
        worst: list[Exchange] = []
        run: list[Exchange] = []
        for call in same:
            if run and call.answer_text != run[-1].answer_text:
                run = []
            run.append(call)
            while (run[-1].at - run[0].at).total_seconds() > window:
                run.pop(0)
            if len(run) > len(worst):
                worst = list(run)
        if len(worst) >= repeats:
            summary = (f"{worst[0].line().rsplit(' -> ', 1)[0]} answered the same {len(worst)} times, "
                       f"{clock_time(worst[0].at)} to {clock_time(worst[-1].at)}")
            findings.append(finding(POLLING, summary, evidence_of(worst), len(worst), thresholds.max_evidence,
                                    organization_id=organization, client_id=client))
    return findings


def unsupported_filters(calls: Sequence[Exchange], thresholds: Thresholds) -> list[Finding]:
    """Dinero's list parameters (filters, paging, fields) sent to an operation whose document lacks them."""
    groups: dict[tuple[operations.Operation, frozenset[str]], list[Exchange]] = defaultdict(list)
    for call in calls:
        if not call.query or call.is_token_call:
            continue
        operation = operations.operation_of(call.method, call.path)
        if operation is None or not operation.upstream:
            continue
        unknown = frozenset(call.params) & LIST_PARAMETERS - operations.parameters(operation)
        if unknown:
            groups[(operation, unknown)].append(call)
    findings = []
    for (operation, extra), sent in groups.items():
        taken = ", ".join(operations.parameter_names(operation)) or "none"
        names = ", ".join(dict.fromkeys(name for call in sent for name, _ in parse_qsl(call.query)
                                        if name.lower() in extra))
        summary = (f"{operation.method} {operation.path} got {names}, which it does not take "
                   f"({len(sent)} call(s); it takes: {taken})")
        findings.append(finding(UNSUPPORTED_FILTER, summary, evidence_of(sent), len(sent), thresholds.max_evidence,
                                organization_id=sent[0].organization_id, client_id=sent[0].client_id))
    return findings


CHECKS = (full_rereads, small_pages, n_plus_one, polling, unsupported_filters)
