"""The route table: each Dinero operation declared once.

A resource module makes a ``Routes`` and declares its operations with it::

    routes = Routes()

    @routes.get("/v1/{organizationId}/contacts")
    def list_contacts(call: Call) -> dict: ...

The path is the operation's path in Dinero's OpenAPI document, so the same
string routes requests and names the upstream operation. Matching follows
ASP.NET: literals case-insensitive, one trailing slash tolerated, the
version segment literal (an operation exists only on its own version).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

Handler = Callable[..., Any]

_PARAM = re.compile(r"^\{(\w+)\}$")
_VERSION = re.compile(r"^v\d+(\.\d+)?$", re.IGNORECASE)
_SLOT = "{}"
"""How a parameter, or a request segment that is an id, reads when paths are compared."""
_SAME_METHOD = 0.05
"""What sharing the request's method adds to a path's likeness: more than a version's
digit (``v1`` for ``v2``), less than a misspelt word."""
_NEAREST_REMEMBERED = 1024

CONTROL_PREFIX = "/_fake"
"""Where the fake's own control plane answers, beside Dinero's paths."""


def is_control_path(path: str) -> bool:
    """Whether ``path`` is the control plane's: ``/_fake`` or anything under ``/_fake/``, in any case."""
    return f"{path}/"[: len(CONTROL_PREFIX) + 1].lower() == f"{CONTROL_PREFIX}/"


@dataclass(frozen=True)
class QueryParam:
    """A query parameter as the served OpenAPI document shows it."""

    name: str
    type: str = "string"
    default: Any = None
    format: str | None = None
    enum: tuple[str, ...] = ()
    """The values Dinero's document allows (its enums), in its order."""


@dataclass(frozen=True)
class Operation:
    """One operation: how it is matched, who may call it, and what the served
    OpenAPI document says of it (``tag``, ``body``, ``response``, ``query``)."""

    method: str
    path: str
    handler: Handler
    tag: str = ""
    body: Any = None
    """The request body's model (JSON unless ``form`` is set)."""
    body_optional: bool = False
    """The body may be left out (Dinero's TimestampObject bodies)."""
    form: bool = False
    """The body is ``application/x-www-form-urlencoded`` (the token endpoints)."""
    multipart: tuple[str, ...] = ()
    """The body is ``multipart/form-data`` with these file parts (uploads)."""
    response: Any = None
    """The 200 answer's model, ``list[Model]``, or None for Dinero's empty 200."""
    pdf: bool = False
    """The 200 answer may also be a PDF (``Accept: application/octet-stream``)."""
    binary: tuple[str, ...] = ()
    """The 200 answer is bytes of one of these media types (a file download)."""
    integer_params: tuple[str, ...] = ()
    """Path parameters that are integers in Dinero's document (a reminder's ``id``)."""
    query: Any = ()
    """``QueryParam``s, or a list endpoint's ``ListRules`` (which knows its own)."""
    answers: tuple[int, ...] | None = None
    """Statuses besides 200 it gives; None: Dinero's (400, 401, 403, 404, 429) for
    Dinero's operations, 400 for the control plane."""
    answer_body: str = "DineroError"
    """What those answers carry: ``DineroError``, ``OAuthError`` or ``html``."""
    public: bool = False
    """No bearer token needed (the token endpoint)."""
    needs_pro: bool = True
    """Refused with 403/90 for an organization without Pro."""
    upstream: bool = True
    """Part of Dinero's API document (the token endpoint is not)."""
    segments: tuple[str | None, ...] = field(init=False, repr=False)
    """Lower-case literals, ``None`` where a parameter stands."""
    params: tuple[str, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        segments: list[str | None] = []
        params: list[str] = []
        trimmed = self.path.strip("/")
        for part in trimmed.split("/") if trimmed else ():
            match = _PARAM.match(part)
            if match:
                segments.append(None)
                params.append(match.group(1))
            else:
                segments.append(part.lower())
        object.__setattr__(self, "segments", tuple(segments))
        object.__setattr__(self, "params", tuple(params))
        if hasattr(self.query, "query_params"):
            object.__setattr__(self, "query", self.query.query_params())

    @property
    def summary(self) -> str:
        """The handler's name in words: ``list_contacts_v2`` is "List contacts v2"."""
        return self.handler.__name__.replace("_", " ").capitalize()

    @property
    def description(self) -> str:
        """The handler's docstring: what the fake does beyond the summary."""
        return " ".join((self.handler.__doc__ or "").split())

    @property
    def key(self) -> tuple[str, str]:
        """How Dinero's document names this operation (it has no operationIds)."""
        return (self.method, self.path)

    @property
    def shape(self) -> str:
        """The path as ``nearest`` compares it: lower-case, ``{}`` for each parameter."""
        return "/".join(_SLOT if literal is None else literal for literal in self.segments)

    @property
    def organization_scoped(self) -> bool:
        return "organizationId" in self.params


class Routes:
    """Operations declared by one resource module, under one OpenAPI tag."""

    def __init__(self, tag: str = "") -> None:
        self.tag = tag
        self.operations: list[Operation] = []

    def operation(self, method: str, path: str, **options: Any) -> Callable[[Handler], Handler]:
        options.setdefault("tag", self.tag)

        def declare(handler: Handler) -> Handler:
            self.operations.append(Operation(method.upper(), path, handler, **options))
            return handler

        return declare

    def get(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        return self.operation("GET", path, **options)

    def post(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        return self.operation("POST", path, **options)

    def put(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        return self.operation("PUT", path, **options)

    def delete(self, path: str, **options: Any) -> Callable[[Handler], Handler]:
        return self.operation("DELETE", path, **options)


class NoRoute(Exception):
    """No operation has this path; ``allowed`` lists methods the path does have."""

    def __init__(self, allowed: Iterable[str] = ()) -> None:
        super().__init__()
        self.allowed = sorted(set(allowed))


class _Node:
    """One segment of the route tree: literal segments by name, one parameter, and the
    operations whose path ends here, by method."""

    __slots__ = ("literals", "parameter", "operations")

    def __init__(self) -> None:
        self.literals: dict[str, _Node] = {}
        self.parameter: _Node | None = None
        self.operations: dict[str, tuple[Operation, tuple[int, ...]]] = {}
        """By method: the operation and where its parameters stand in the path."""


class RouteTable:
    """All operations, in a tree of path segments: a match walks the path once."""

    def __init__(self, routes: Iterable[Routes]) -> None:
        self.operations: list[Operation] = [op for group in routes for op in group.operations]
        self._root = _Node()
        self._nearest: dict[tuple[str, str], Operation | None] = {}
        for op in self.operations:
            node = self._root
            for literal in op.segments:
                if literal is None:
                    node.parameter = node = node.parameter or _Node()
                else:
                    node = node.literals.setdefault(literal, _Node())
            if op.method in node.operations:
                raise ValueError(f"{op.method} {op.path} is declared twice")
            node.operations[op.method] = (op, tuple(at for at, literal in enumerate(op.segments) if literal is None))

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]]:
        trimmed = path.strip("/")
        parts = trimmed.split("/") if trimmed else []
        end = _path_end(self._root, parts, 0)
        if end is None:
            raise NoRoute()
        found = end.operations.get(method)
        if found is None:
            # Only the most literal path that matches counts: /invoices/fetch
            # is its own resource, not an /invoices/{guid}.
            raise NoRoute(end.operations)
        op, parameter_at = found
        return op, {name: parts[at] for name, at in zip(op.params, parameter_at, strict=True)}

    def nearest(self, method: str, path: str) -> Operation | None:
        """The operation whose path is most like ``path`` (for a request no operation has):
        ids in the request (numbers, GUIDs, file tokens) and the operations' parameters
        read alike, the rest is compared letter by letter with ``difflib``; an operation
        of the request's method counts a little more. One scan of the table, only when
        a request misses; remembered per shape of path, as ids read alike."""
        trimmed = path.strip("/")
        wanted = "/".join(_comparable(part) for part in trimmed.split("/")) if trimmed else ""
        key = (method, wanted)
        if key not in self._nearest:
            if len(self._nearest) >= _NEAREST_REMEMBERED:
                self._nearest.clear()
            self._nearest[key] = self._scan(method, wanted)
        return self._nearest[key]

    def _scan(self, method: str, wanted: str) -> Operation | None:
        matcher = difflib.SequenceMatcher(autojunk=False)
        matcher.set_seq2(wanted)
        best, found = 0.0, None
        for op in self.operations:
            bonus = _SAME_METHOD if op.method == method else 0.0
            matcher.set_seq1(op.shape)
            if matcher.real_quick_ratio() + bonus <= best or matcher.quick_ratio() + bonus <= best:
                continue
            score = matcher.ratio() + bonus
            if score > best:
                best, found = score, op
        return found


def _path_end(node: _Node, parts: list[str], depth: int) -> _Node | None:
    """The node where ``parts`` end, a literal segment tried before a parameter at each
    step (so /invoices/fetch wins over /invoices/{guid}); a parameter is never empty."""
    if depth == len(parts):
        return node if node.operations else None
    child = node.literals.get(parts[depth].lower())
    if child is not None:
        end = _path_end(child, parts, depth + 1)
        if end is not None:
            return end
    if node.parameter is not None and parts[depth]:
        return _path_end(node.parameter, parts, depth + 1)
    return None


def _comparable(segment: str) -> str:
    """A request segment as ``nearest`` compares it: an id (it has a digit and is not a
    version such as ``v1.1``) reads as a parameter, anything else as lower-case text."""
    if any(char.isdigit() for char in segment) and not _VERSION.match(segment):
        return _SLOT
    return segment.lower()
