"""Dinero's list rules, written once for every list endpoint (reference §2.5-2.6).

Paged lists answer ``{"Collection": [...], "Pagination": {...}}``; ``page``
is 0-based, ``pageSize`` defaults to 100 and may not exceed 1000;
``fields`` picks properties and echoes the caller's casing; ``queryFilter``
takes ``<Field> eq|contains '<value>'`` conditions joined by ``;``;
``changesSince`` and ``deletedOnly`` select by change history.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import BaseModel, create_model

from .call import Call
from .errors import BAD_QUERY_FILTER, LIMIT_EXCEEDED, DineroError, validation_error
from .formats import OutOfRange, filter_text, parse_lenient_datetime, shown
from .models import INT32, DineroModel
from .routing import QueryParam
from .store import Record, Table, selects

MAX_PAGE_SIZE = 1000
DEFAULT_PAGE_SIZE = 100


@dataclass(frozen=True)
class ListRules:
    """How one list endpoint reads its query."""

    default_fields: str
    filterable: tuple[str, ...] = ()
    """Properties ``queryFilter`` may name (Dinero's list per endpoint)."""
    free_text: tuple[str, ...] = ()
    """Properties ``freeTextSearch`` looks in; empty = the endpoint has none."""
    deleted_only_false_means_all: bool = False
    """v2 contacts: ``deletedOnly=false`` gives deleted and not deleted."""
    changes_since: bool = True
    sorts: tuple[tuple[str, Callable[[Mapping[str, Any]], Any]], ...] = ()
    """``sort`` names (Dinero's) and the key each orders documents by; empty =
    the endpoint has no ``sort``. A key in ``fixed_order`` ignores ``sortOrder``."""
    default_sort: str = ""
    fixed_order: tuple[str, ...] = ()
    extra_query: tuple[QueryParam, ...] = ()
    """Endpoint-specific parameters the endpoint's handler reads itself."""

    def query_params(self) -> tuple[QueryParam, ...]:
        """The query this endpoint reads, in the order Dinero's document lists it."""
        params = [*self.extra_query, QueryParam("fields", default=self.default_fields)]
        if self.free_text:
            params.append(QueryParam("freeTextSearch"))
        if self.filterable:
            params.append(QueryParam("queryFilter"))
        if self.changes_since:
            params.append(QueryParam("changesSince"))
        params += [
            QueryParam("deletedOnly", "boolean", False),
            QueryParam("page", "integer", 0, "int32"),
            QueryParam("pageSize", "integer", DEFAULT_PAGE_SIZE, "int32"),
        ]
        if self.sorts:
            params += [QueryParam("sort", default=self.default_sort), QueryParam("sortOrder", default="descending")]
        return tuple(params)


class PaginationDetails(DineroModel):
    MaxPageSizeAllowed: int
    PageSize: int
    Result: int
    ResultWithoutFilter: int
    Page: int


@cache
def collection_of(item: type[BaseModel]) -> type[BaseModel]:
    """Dinero's envelope model for ``item`` (``ContactReadModelDineroCollection``)."""
    return create_model(
        f"{item.__name__}DineroCollection",
        __base__=DineroModel,
        Collection=(list[item] | None, None),  # type: ignore[valid-type]
        Pagination=(PaginationDetails, ...),
    )


@dataclass(frozen=True)
class Condition:
    field: str
    operator: str
    value: str

    def holds(self, document: Mapping[str, Any]) -> bool:
        return self.holds_for(document.get(self.field))

    def holds_for(self, value: Any) -> bool:
        actual = filter_text(value)
        if self.operator == "eq":
            return actual == self.value
        return self.value in actual


def page_window(call: Call, default_page_size: int = DEFAULT_PAGE_SIZE) -> tuple[int, int]:
    """The request's ``page`` (0-based) and ``pageSize`` (1 to 1000), refused with 400/43
    outside them, as every paged operation of Dinero's refuses them."""
    page = call.query_int("page", 0)
    page_size = call.query_int("pageSize", default_page_size)
    for name, value in (("page", page), ("pageSize", page_size)):
        if not INT32[0] <= value <= INT32[1]:
            # A .NET int query parameter: a number outside Int32 does not bind at all.
            raise validation_error({name: f"{name} is a 32-bit whole number, from {INT32[0]} to {INT32[1]}."})
    if page_size > MAX_PAGE_SIZE or page_size < 1:
        raise DineroError(
            400,
            LIMIT_EXCEEDED,
            "Limit Exceeded",
            {"pageSize": f"pageSize must be between 1 and {MAX_PAGE_SIZE}; it was {page_size}."},
        )
    if page < 0:
        raise DineroError(400, LIMIT_EXCEEDED, "Limit Exceeded", {"page": f"page must be 0 or more; it was {page}."})
    return page, page_size


def list_page(
    call: Call,
    table: Table,
    rules: ListRules,
    *,
    parent: str | None = None,
    where: Callable[[Record], bool] | None = None,
) -> dict[str, Any]:
    """One page of ``table`` as Dinero's list envelope, per the request's query."""
    page, page_size = page_window(call)
    deleted_only = call.query_bool("deletedOnly", False)
    changed = changed_keys(call, table) if rules.changes_since else None
    conditions = parse_query_filter(call.query("queryFilter"), rules.filterable, table.collection.field_names)
    free_text = (call.query("freeTextSearch") or "").strip().lower() if rules.free_text else ""
    fields = resolve_fields(call.query("fields") or rules.default_fields, table.collection.field_names)

    # Dinero's document: changesSince returns the items "created, deleted or updated"
    # since, so a sync sees deletions without also asking for deletedOnly.
    wanted_deleted = _deleted_selector(deleted_only, rules.deleted_only_false_means_all or changed is not None)
    start = page * page_size
    if changed is None and where is None and not free_text and not rules.sorts:
        keys = _selected_keys(table, parent, wanted_deleted, conditions)
        total = len(keys)
        collection = project_all(table.documents(keys[start : start + page_size]), fields)
    else:
        matching = _matching_documents(table, rules, parent, wanted_deleted, changed, where, conditions, free_text)
        if rules.sorts:
            _sort(call, rules, matching)
        total = len(matching)
        collection = project_all(matching[start : start + page_size], fields)
    return {
        "Collection": collection,
        "Pagination": {
            "MaxPageSizeAllowed": MAX_PAGE_SIZE,
            "PageSize": page_size,
            "Result": len(collection),
            # Dinero's document calls this the count "before pagination";
            # it counts every item that matches the filters.
            "ResultWithoutFilter": total,
            "Page": page,
        },
    }


def _selected_keys(
    table: Table, parent: str | None, deleted: bool | None, conditions: list[Condition]
) -> Sequence[str]:
    """Keys of the rows a list without sorting, free text or changesSince shows, in list
    order, from the table's views and indexes: no document is rendered but the page's."""
    view = table.view(parent, deleted)
    if not conditions:
        return _Keys(view)
    found: list[set[str] | frozenset[str]] = []
    rest: list[Condition] = []
    for condition in conditions:
        keys = (table.matching if condition.operator == "eq" else table.containing)(condition.field, condition.value)
        if keys is None:
            rest.append(condition)
        else:
            found.append(keys)
    if not found:
        rows = [table.row(key) for _, key in view]
    else:
        candidates = found[0].intersection(*found[1:]) if len(found) > 1 else found[0]
        if len(candidates) * 8 > len(view):
            rows = [table.row(key) for _, key in view if key in candidates]
        else:
            selector = (parent, deleted)
            rows = [row for row in map(table.row, candidates) if selects(selector, row)]
            rows.sort(key=lambda row: (table.view_key(row), row.key))  # the views' order, ties too
    for condition in rest:
        read = table.value_reader(condition.field)
        rows = [row for row in rows if condition.holds_for(read(row))]
    return [row.key for row in rows]


class _Keys(Sequence[str]):
    """The keys of a view, sliced without copying the view."""

    def __init__(self, view: Sequence[tuple[Any, str]]) -> None:
        self._view = view

    def __len__(self) -> int:
        return len(self._view)

    def __getitem__(self, at: Any) -> Any:
        if isinstance(at, slice):
            return [key for _, key in self._view[at]]
        return self._view[at][1]


def _matching_documents(
    table: Table,
    rules: ListRules,
    parent: str | None,
    wanted_deleted: bool | None,
    changed: set[str] | None,
    where: Callable[[Record], bool] | None,
    conditions: list[Condition],
    free_text: str,
) -> list[dict[str, Any]]:
    """The documents of every row a list shows, for lists that sort documents or look
    in their text, and for changesSince (which reads only the rows changed)."""
    matching: list[dict[str, Any]] = []
    for row in table.records(parent, keys=changed):
        if wanted_deleted is not None and row.deleted != wanted_deleted:
            continue
        if where is not None and not where(row):
            continue
        document = table.document(row)
        if conditions and not all(condition.holds(document) for condition in conditions):
            continue
        if free_text and not any(free_text in filter_text(document.get(name)) for name in rules.free_text):
            continue
        matching.append(document)
    return matching


def _sort(call: Call, rules: ListRules, documents: list[dict[str, Any]]) -> None:
    """Order by ``sort`` (a comma list, first name most significant) and ``sortOrder``.

    An unknown name or order is 400/42 (Dinero's answer is unknown).
    """
    keys = {name.lower(): (name, key) for name, key in rules.sorts}
    order = (call.query("sortOrder") or "descending").strip().lower()
    if order not in ("ascending", "descending"):
        raise validation_error({"sortOrder": f"'{shown(order)}' is not a sort order. Use ascending or descending."})
    chosen = []
    for name in (call.query("sort") or rules.default_sort).split(","):
        if not name.strip():
            continue
        found = keys.get(name.strip().lower())
        if found is None:
            allowed = ", ".join(name for name, _ in rules.sorts)
            raise validation_error({"sort": f"'{shown(name.strip())}' cannot be sorted on. Use one of: {allowed}."})
        chosen.append(found)
    for name, key in reversed(chosen):
        documents.sort(key=key, reverse=order == "descending" and name not in rules.fixed_order)


def _deleted_selector(deleted_only: bool, false_means_all: bool) -> bool | None:
    """Which rows ``deletedOnly`` keeps: deleted (True), live (False) or all (None)."""
    if deleted_only:
        return True
    return None if false_means_all else False


def resolve_fields(requested: str, field_names: Mapping[str, str]) -> list[tuple[str, str]]:
    """Pairs of (name as the caller spelled it, property name) for ``fields``.

    Names match case-insensitively and come back in the caller's casing;
    names the model does not have are left out, not refused (Dinero's
    behaviour for unknown names is unknown; ignoring them is the lenient choice).
    """
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    for name in requested.split(","):
        name = name.strip()
        canonical = field_names.get(name.lower())
        if canonical is not None and name not in seen:
            seen.add(name)
            pairs.append((name, canonical))
    return pairs


def project(document: Mapping[str, Any], fields: Sequence[tuple[str, str]]) -> dict[str, Any]:
    return {spelled: document.get(canonical) for spelled, canonical in fields}


def project_all(documents: Iterable[Mapping[str, Any]], fields: Sequence[tuple[str, str]]) -> list[dict[str, Any]]:
    """``project`` of each document: written as plain loops, which cost a page of 100 half
    what a comprehension per document does (a comprehension is a call of its own)."""
    projected = []
    for document in documents:
        item = {}
        for spelled, name in fields:
            item[spelled] = document.get(name)
        projected.append(item)
    return projected


def parse_query_filter(
    text: str | None, filterable: Iterable[str], field_names: Mapping[str, str]
) -> list[Condition]:
    """Parse ``queryFilter``; a malformed one or a field the endpoint does not
    filter on is 400 with code 46 (the reference leaves the code unknown)."""
    if not text or not text.strip():
        return []
    allowed = {name.lower(): name for name in filterable}
    conditions = []
    for clause in _split_clauses(text):
        field, operator, value = _parse_clause(clause)
        name = allowed.get(field.lower())
        if name is None:
            raise _filter_error(
                f"'{shown(field)}' cannot be filtered on here. Filterable fields: {', '.join(filterable) or 'none'}."
            )
        conditions.append(Condition(field_names.get(name.lower(), name), operator, value.lower()))
    return conditions


def _split_clauses(text: str) -> list[str]:
    """Split on ``;`` outside single quotes (``''`` inside quotes is a quote)."""
    clauses, current, quoted = [], [], False
    for char in text:
        if char == "'":
            quoted = not quoted
        if char == ";" and not quoted:
            clauses.append("".join(current))
            current = []
        else:
            current.append(char)
    if quoted:
        raise _filter_error("A value is missing its closing single quote.")
    clauses.append("".join(current))
    return [clause for clause in (c.strip() for c in clauses) if clause]


def _parse_clause(clause: str) -> tuple[str, str, str]:
    head, quote, rest = clause.partition("'")
    words = head.split()
    if not quote or len(words) != 2 or not rest.endswith("'"):
        raise _filter_error(
            f"'{shown(clause)}' is not a condition. Write <Field> <operator> '<value>', e.g. Name contains 'Acme'."
        )
    field, operator = words
    if operator.lower() not in ("eq", "contains"):
        raise _filter_error(f"Unknown operator '{operator}' in '{shown(clause)}'. Use eq or contains.")
    value = rest[:-1]
    if "'" in value.replace("''", ""):
        raise _filter_error(f"'{shown(clause)}' has a stray single quote; write '' for a quote inside a value.")
    return field, operator.lower(), value.replace("''", "'")


def _filter_error(reason: str) -> DineroError:
    return DineroError(400, BAD_QUERY_FILTER, "Invalid queryFilter", {"queryFilter": reason})


def changed_keys(call: Call, table: Table) -> set[str] | None:
    """Keys of rows changed at or after ``changesSince`` (None when it is not given; 400/42 when it is no time)."""
    raw = call.query("changesSince")
    if raw is None:
        return None
    try:
        since = parse_lenient_datetime(raw)
    except OutOfRange as exc:
        raise validation_error({"changesSince": f"'{shown(raw)}': {exc}"}) from None
    except ValueError:
        raise validation_error(
            {
                "changesSince": (
                    f"'{shown(raw)}' is not a time. Use UTC as YYYY-MM-DDTHH:mm:ssZ, e.g. 2015-08-18T06:36:22Z."
                )
            }
        ) from None
    return table.changed_since(since)
