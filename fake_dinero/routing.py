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
    def literal_shape(self) -> tuple[bool, ...]:
        """Which segments are parameters: the order the route table tries paths in."""
        return tuple(segment is None for segment in self.segments)

    @property
    def shape(self) -> str:
        """The path as ``nearest`` compares it: lower-case, ``{}`` for each parameter."""
        return "/".join(_SLOT if literal is None else literal for literal in self.segments)

    @property
    def organization_scoped(self) -> bool:
        return "organizationId" in self.params

    def match(self, parts: list[str], lowered: list[str]) -> dict[str, str] | None:
        values: dict[str, str] = {}
        names = iter(self.params)
        for literal, part, low in zip(self.segments, parts, lowered, strict=True):
            if literal is None:
                if not part:
                    return None
                values[next(names)] = part
            elif literal != low:
                return None
        return values


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


class RouteTable:
    """All operations, bucketed by segment count for a short scan."""

    def __init__(self, routes: Iterable[Routes]) -> None:
        self.operations: list[Operation] = [op for group in routes for op in group.operations]
        self._buckets: dict[int, list[Operation]] = {}
        self._nearest: dict[tuple[str, str], Operation | None] = {}
        seen: set[tuple[str, tuple[str | None, ...]]] = set()
        for op in self.operations:
            shape = (op.method, op.segments)
            if shape in seen:
                raise ValueError(f"{op.method} {op.path} is declared twice")
            seen.add(shape)
            self._buckets.setdefault(len(op.segments), []).append(op)
        for bucket in self._buckets.values():
            # A literal beats a parameter at the first segment where two paths
            # differ, so /invoices/fetch wins over /invoices/{guid}.
            bucket.sort(key=lambda op: op.literal_shape)

    def match(self, method: str, path: str) -> tuple[Operation, dict[str, str]]:
        trimmed = path.strip("/")
        parts = trimmed.split("/") if trimmed else []
        lowered = [part.lower() for part in parts]
        allowed: list[str] = []
        shape: tuple[bool, ...] | None = None
        for op in self._buckets.get(len(parts), ()):
            values = op.match(parts, lowered)
            if values is None:
                continue
            # Only the most literal path that matches counts: /invoices/fetch
            # is its own resource, not an /invoices/{guid}.
            if shape is None:
                shape = op.literal_shape
            elif op.literal_shape != shape:
                break
            if op.method == method:
                return op, values
            allowed.append(op.method)
        raise NoRoute(allowed)

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


def _comparable(segment: str) -> str:
    """A request segment as ``nearest`` compares it: an id (it has a digit and is not a
    version such as ``v1.1``) reads as a parameter, anything else as lower-case text."""
    if any(char.isdigit() for char in segment) and not _VERSION.match(segment):
        return _SLOT
    return segment.lower()
