"""What the review knows of Dinero's operations: which one a call was, whether it is a
list, which parameters Dinero's document gives it, what a list's items hold, and which
operations Dinero has deprecated or removed (with their successors).

The route table is imported on first use, not at import: the route table imports this
package's control route.
"""

from __future__ import annotations

import functools
import typing
from typing import Any

from ..routing import NoRoute, Operation, Routes, RouteTable

LIST_PARAMETERS = frozenset({
    "fields", "queryfilter", "changessince", "deletedonly", "freetextsearch", "statusfilter",
    "startdate", "enddate", "sort", "sortorder", "page", "pagesize",
})
"""Dinero's list parameters (reference §2.6): the filters and paging a client may believe
every operation takes. Any other unknown parameter is left alone (Dinero's own upload
example sends ``fileName``, which its document does not list)."""
NARROWING = frozenset({"queryfilter", "freetextsearch", "statusfilter", "startdate", "enddate", "deletedonly"})
"""Parameters that make a list read something less than the whole list."""

_LEGACY = (
    ("PUT", "/v1/{organizationId}/invoices/{guid}", "PUT /v1.2/{organizationId}/invoices/{guid}"),
    ("PUT", "/v1.1/{organizationId}/invoices/{guid}", "PUT /v1.2/{organizationId}/invoices/{guid}"),
    ("GET", "/v1/{organizationId}/invoices/{guid}/payments", "GET /v2/{organizationId}/invoices/{guid}/payments"),
    ("POST", "/v1/{organizationId}/invoices/{guid}/e-invoice", "POST /v3/{organizationId}/invoices/{guid}/e-invoice"),
    ("POST", "/v1/{organizationId}/vouchers/purchase", "POST /v1.2/{organizationId}/vouchers/purchase"),
    ("POST", "/v1/{organizationId}/ledgeritems", "POST /v1.2/{organizationId}/ledgeritems"),
    ("POST", "/v1.1/{organizationId}/ledgeritems", "POST /v1.2/{organizationId}/ledgeritems"),
)
"""Operations Dinero deprecated and then removed from its document (1 August 2021), which
published clients still call; each with the operation that replaced it."""


def _removed_handler() -> None:
    """A removed operation (never called: only its path is matched)."""


_SUCCESSORS = {(method, path): successor for method, path, successor in _LEGACY}


@functools.cache
def _legacy() -> RouteTable:
    routes = Routes()
    routes.operations += [Operation(method, path, _removed_handler) for method, path, _ in _LEGACY]
    return RouteTable([routes])


def removed(method: str, path: str) -> tuple[str, str] | None:
    """For a call to an operation Dinero removed: ``(its template, the successor)``."""
    try:
        operation, _ = _legacy().match(method, path)
    except NoRoute:
        return None
    return f"{operation.method} {operation.path}", _SUCCESSORS[operation.key]


@functools.lru_cache(maxsize=4096)
def operation_of(method: str, path: str) -> Operation | None:
    """The fake's operation for a call (Dinero's, as its document names it); None when none has the path."""
    from ..route_table import ROUTE_TABLE

    try:
        operation, _ = ROUTE_TABLE.match(method, path)
    except NoRoute:
        return None
    return operation


def _upstream(operation: Operation) -> dict[str, Any] | None:
    if not operation.upstream:
        return None
    from ..contracts import upstream

    try:
        return upstream.operation(operation.method, operation.path)
    except KeyError:
        return None


@functools.cache
def parameter_names(operation: Operation) -> tuple[str, ...]:
    """The query parameters Dinero's document gives the operation (the fake's for its own), as spelt there."""
    document = _upstream(operation)
    if document is not None:
        return tuple(str(item.get("name", "")) for item in document.get("parameters", ()) if item.get("in") == "query")
    return tuple(param.name for param in operation.query)


@functools.cache
def parameters(operation: Operation) -> frozenset[str]:
    """``parameter_names`` in lower case, as Dinero binds them."""
    return frozenset(name.lower() for name in parameter_names(operation))


@functools.cache
def deprecated(operation: Operation) -> bool:
    document = _upstream(operation)
    return bool(document and document.get("deprecated"))


@functools.cache
def successor(operation: Operation) -> str | None:
    """The same operation on a newer version, if the fake serves one: ``PUT /v2/{organizationId}/contacts/{guid}``."""
    from ..route_table import ROUTE_TABLE

    version, _, rest = operation.path.strip("/").partition("/")
    best: tuple[float, Operation] | None = None
    for other in ROUTE_TABLE.operations:
        other_version, _, other_rest = other.path.strip("/").partition("/")
        if other.method != operation.method or other_rest != rest or other is operation:
            continue
        number = _version_number(other_version)
        if number > _version_number(version) and (best is None or number > best[0]):
            best = (number, other)
    return f"{best[1].method} {best[1].path}" if best else None


def _version_number(segment: str) -> float:
    try:
        return float(segment.lower().removeprefix("v"))
    except ValueError:
        return 0.0


def is_list(operation: Operation) -> bool:
    """A GET that pages or syncs: it takes ``page`` or ``changesSince``."""
    return operation.method == "GET" and bool(parameters(operation) & {"page", "changessince"})


def syncs(operation: Operation) -> bool:
    return operation.method == "GET" and "changessince" in parameters(operation)


def pages(operation: Operation) -> bool:
    return operation.method == "GET" and "pagesize" in parameters(operation)


@functools.cache
def item_operation(list_operation: Operation) -> Operation | None:
    """The GET of one item of a list: the list's path plus one parameter (``contacts/{guid}``)."""
    from ..route_table import ROUTE_TABLE

    depth = len(list_operation.segments) + 1
    for other in ROUTE_TABLE.operations:
        if (other.method == "GET" and len(other.segments) == depth and other.segments[-1] is None
                and other.path.startswith(list_operation.path + "/")):
            return other
    return None


@functools.cache
def fields_answer_items(list_operation: Operation) -> bool:
    """Whether the list's ``fields`` can return every property its item's GET answers: the
    list's item model holds all of them, and none is a list (lines are not for ``fields``)."""
    single = item_operation(list_operation)
    if single is None:
        return False
    listed = _item_model(list_operation.response)
    item = single.response
    if listed is None or not hasattr(item, "model_fields"):
        return False
    available = {name for name, info in listed.model_fields.items() if not _is_sequence(info.annotation)}
    return set(item.model_fields) <= available


def _item_model(response: Any) -> Any:
    fields = getattr(response, "model_fields", None)
    if not fields or "Collection" not in fields:
        return None
    for option in (fields["Collection"].annotation, *typing.get_args(fields["Collection"].annotation)):
        if typing.get_origin(option) is list:
            return typing.get_args(option)[0]
    return None


def _is_sequence(annotation: Any) -> bool:
    options = (annotation, *typing.get_args(annotation))
    return any(typing.get_origin(option) in (list, tuple) for option in options)
