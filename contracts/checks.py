"""What one check of ``fake-dinero contract`` is, and how an answer is held to Dinero's document.

Every answer is validated against the schema Dinero's own OpenAPI document gives for
that operation (``contracts.upstream``), with two readings the tests of the fake use
too: lists ask for every property of the item model (``fields`` projects, so only a
full projection is checkable), and ``format: date-time`` means the zone-less
datetimes Dinero really sends. A problem names the JSON path and the offending value.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import upstream

MAX_PROBLEMS = 10
_MISSING = object()

TOKEN_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["access_token", "token_type", "expires_in"],
    "properties": {"access_token": {"type": "string", "minLength": 1}, "token_type": {"pattern": "^[Bb]earer$"},
                   "expires_in": {"type": "integer", "minimum": 1}},
}
"""Dinero's document has no token route; this is what a legacy login client reads."""
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["code", "message"],
    "properties": {"code": {"type": "integer"}, "message": {"type": "string"},
                   "validationErrors": {"type": ["null", "object"]},
                   "languageSpecificMessages": {"type": ["null", "array"]}},
}
"""Dinero's error body (not in its document). Only what clients branch on is required; more keys are fine."""


@functools.cache
def _components() -> dict[str, Any]:
    return dict(upstream.as_dinero_answers(upstream.load()["components"]))


@functools.cache
def response_schema(method: str, path: str) -> dict[str, Any] | None:
    """The 200 JSON schema Dinero documents for an operation; None for an empty answer."""
    ok = upstream.operation(method, path)["responses"].get("200", {})
    found = ok.get("content", {}).get("application/json", {}).get("schema")
    return None if found is None else dict(upstream.as_dinero_answers(found))


def all_fields(model: str) -> str:
    """``fields`` asking for every property of an item model, in Dinero's casing."""
    return ",".join(upstream.schema(model)["properties"])


@functools.cache
def _validator(schema_json: str) -> Any:
    import jsonschema_rs  # a dependency of schemathesis; imported late so --help works without it

    return jsonschema_rs.validator_for({**json.loads(schema_json), "components": _components()}, validate_formats=True)


def json_path(parts: Sequence[str | int]) -> str:
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}" if str(part).isidentifier() else f"[{part!r}]"
    return out


def excerpt(value: Any, limit: int = 120) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _pointed(error: Any) -> list[tuple[list[str | int], str, Any]]:
    """(path, what is wrong, value) for one error; a missing or unexpected key is pointed at by name."""
    kind, path = error.kind, list(error.instance_path)
    if type(kind).__name__ == "Required":
        return [([*path, kind.property], "missing, but Dinero's schema requires it", _MISSING)]
    if type(kind).__name__ == "AdditionalProperties":
        return [([*path, name], "not in Dinero's schema", error.instance.get(name)) for name in kind.unexpected]
    return [(path, error.message, error.instance)]


def shape_problems(schema: dict[str, Any], body: Any) -> list[str]:
    """Each way ``body`` breaks ``schema``: the JSON path, what is wrong, the offending value.

    The same break in every item of a list is one problem, counted, not one line per item.
    """
    alike: dict[tuple[str, str], list[str]] = {}
    for error in _validator(json.dumps(schema, sort_keys=True)).iter_errors(body):
        for parts, detail, value in _pointed(error):
            where = json_path(parts)
            line = f"{where}: {detail}" + ("" if value is _MISSING else f"; value: {excerpt(value)}")
            kind = f"{type(error.kind).__name__}:{'/'.join(map(str, error.schema_path))}"
            alike.setdefault((re.sub(r"\[\d+\]", "[*]", where), kind), []).append(line)
    problems = [lines[0] + (f" (and {len(lines) - 1} more items alike)" if len(lines) > 1 else "")
                for lines in alike.values()]
    if len(problems) > MAX_PROBLEMS:
        problems = [*problems[:MAX_PROBLEMS], f"… and {len(problems) - MAX_PROBLEMS} more"]
    return problems


@dataclass(frozen=True)
class Check:
    """One call the suite makes: the operation, the status it must answer, the shape it must have."""

    name: str
    method: str
    path: str
    """As Dinero's document names the operation, e.g. ``/v1/{organizationId}/contacts``."""
    status: int = 200
    schema: dict[str, Any] | None = None
    """None: the body is not checked (Dinero answers PUT and DELETE with an empty 200)."""
    refusals: tuple[int, ...] = ()
    """Statuses that are an allowed answer too, as long as they carry Dinero's error body."""
    query: tuple[tuple[str, str], ...] = ()
    """The query the check sends (lists also ask for every field, see ``LIST_ITEMS``)."""

    @classmethod
    def documented(cls, name: str, method: str, path: str, refusals: tuple[int, ...] = ()) -> Check:
        """A check of one of Dinero's operations, held to the 200 schema its document gives."""
        return cls(name, method, path, schema=response_schema(method, path), refusals=refusals)


@dataclass
class Result:
    check: Check
    url: str
    status: int | None = None
    problems: list[str] = field(default_factory=list)
    body: Any = None
    group: str = ""
    """The part of the suite that made the call (reads, contact, product, money path)."""
    skipped: str | None = None
    """Why the check was not made: writes not allowed, or an earlier step failed."""
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return not self.problems

    @property
    def answered(self) -> bool:
        """Made, and answered the status it must: the next step may read its body, even a misshapen one."""
        return self.skipped is None and self.status == self.check.status

    def first(self, key: str) -> Any:
        """``key`` of a list's first item, for the next check; read even from a list that broke its shape."""
        items = self.body.get("Collection") if isinstance(self.body, dict) else None
        item = items[0] if isinstance(items, list) and items else None
        return item.get(key) if isinstance(item, dict) else None

    def get(self, key: str) -> Any:
        """``key`` of an object answer (None when absent or not an object), read even from a broken shape."""
        return self.body.get(key) if isinstance(self.body, dict) else None

    def expect(self, key: str, expected: Any, why: str) -> bool:
        """A behaviour check on the answer: ``$.key`` must be ``expected``; a problem names path and value."""
        return self.expect_that(key, lambda actual: actual == expected, f"{excerpt(expected)} {why}")

    def expect_that(self, key: str, holds: Callable[[Any], bool], what: str) -> bool:
        """``$.key`` must be ``what`` (``holds`` says whether it is); judged only on an answered call."""
        actual = self.get(key)
        if holds(actual):
            return True
        named = f"{json_path([key])}:"
        if self.answered and not any(problem.startswith(named) for problem in self.problems):
            self.problems.append(f"{json_path([key])}: expected {what}; value: {excerpt(actual)}")
        return False

    def to_json(self) -> dict[str, Any]:
        fields = ("method", "path", "name")
        return {**{f: getattr(self.check, f) for f in fields}, "group": self.group, "url": self.url,
                "status": self.status, "passed": self.passed, "skipped": self.skipped, "problems": self.problems}
