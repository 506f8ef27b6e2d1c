"""Compare two JSON schemas as the wire sees them, reporting each disagreement by path.

Split out of the conformance checker so the schema rules (what spellings are
equivalent, what counts as a difference) can be read and changed apart from
the walk over operations, parameters and responses that uses them.  Schemas
come from two different documents, so each side resolves its own $refs.
Equivalent spellings compare equal ($ref vs inline, ``allOf`` wrappers,
``anyOf [X, null]`` vs ``type: [null, X]`` vs ``nullable``); types,
nullability, formats, enums, property names and casing, required flags and
``additionalProperties`` do not.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

# Shown in the report but never failing: documentation, not wire behaviour.  Here with
# Difference, which needs it; "response-undocumented" is reported by the operation walk.
INFORMATIONAL_KINDS = frozenset({"format", "schema-name", "response-undocumented"})
# Formats pydantic never emits (int -> integer, float -> number): their absence is noise.
_SILENT_FORMATS = frozenset({"int32", "int64", "float", "double"})
_MAX_DEPTH = 64


@dataclass(frozen=True)
class Difference:
    """One disagreement; ``fake``/``upstream`` are JSON values (None = absent)."""

    kind: str
    where: str
    fake: Any
    upstream: Any
    allowed_reason: str | None = None

    @property
    def informational(self) -> bool:
        return self.kind in INFORMATIONAL_KINDS

    @property
    def failing(self) -> bool:
        return not self.informational and self.allowed_reason is None


@dataclass
class View:
    """A schema reduced to what the wire sees, one level deep."""

    types: frozenset[str]  # JSON type families without "null"; empty means any
    nullable: bool
    fmt: str | None
    enum: frozenset[str] | None  # JSON-encoded values
    properties: dict[str, Any]
    required: frozenset[str]
    items: Any
    extra: Any  # additionalProperties when it is a schema (a map's values)
    ref: str | None  # name of the referenced schema, for labels and cycle protection


def resolve(doc: Mapping[str, Any], ref: str) -> Any:
    """Follow a local JSON pointer; external documents are out of scope."""
    if not ref.startswith("#"):
        raise ValueError(f"external $ref not supported: {ref}")
    node: Any = doc
    for token in filter(None, ref[1:].split("/")):
        node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


def ref_name(schema: Any) -> str | None:
    """The referenced schema's name, also through a lone ``allOf`` wrapper (pydantic v1)."""
    if isinstance(schema, dict) and "$ref" not in schema and len(schema.get("allOf") or ()) == 1:
        schema = schema["allOf"][0]
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def flatten(schema: Any, doc: Mapping[str, Any], depth: int = 0) -> dict[str, Any]:
    """Inline $ref and allOf at this level (siblings of a $ref override its target)."""
    if depth > _MAX_DEPTH:
        raise ValueError("$ref/allOf chain too deep (a cycle without structure?)")
    if not isinstance(schema, dict):
        return {}  # true/false/absent schemas: no constraint worth comparing
    node = dict(schema)
    parts = [flatten(resolve(doc, node.pop("$ref")), doc, depth + 1)] if isinstance(node.get("$ref"), str) else []
    parts += [flatten(sub, doc, depth + 1) for sub in node.pop("allOf", [])]
    for part in parts:
        node = _merge(part, node)
    return node


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """Keywords of ``over`` win, except properties and required, which are united."""
    out = {**base, **over}
    if "properties" in base and "properties" in over:
        out["properties"] = {**base["properties"], **over["properties"]}
    if "required" in base and "required" in over:
        out["required"] = list(dict.fromkeys([*base["required"], *over["required"]]))
    return out


def _is_null(node: dict[str, Any]) -> bool:
    return node.get("type") in ("null", ["null"]) or node.get("enum") == [None]


def view(schema: Any, doc: Mapping[str, Any]) -> View:
    """Resolve one level: $ref/allOf inlined, ``X or null`` unwrapped to X plus a nullable flag."""
    node, ref = flatten(schema, doc), ref_name(schema)
    nullable = node.get("nullable") is True  # OpenAPI 3.0 spelling
    for key in ("anyOf", "oneOf"):
        raw = node.pop(key, [])
        kept = [(b, flatten(b, doc)) for b in raw]
        kept = [(b, flat) for b, flat in kept if not _is_null(flat)]
        nullable |= len(kept) < len(raw)
        if len(kept) == 1:
            ref = ref or ref_name(kept[0][0])  # Optional[Model] is still Model, for labels and cycles
            node = _merge(kept[0][1], node)
        elif kept:  # a real union: the families of all branches, the properties of object branches
            node["type"] = sorted({t for _, flat in kept for t in _families(flat)})
            for _, flat in kept:
                node = _merge(flat, node) if "properties" in flat else node
    types = set(_families(node))
    values = node.get("enum", [node["const"]] if "const" in node else None)
    nullable |= "null" in types or (values is not None and None in values)
    properties, extra = node.get("properties"), node.get("additionalProperties")
    return View(
        types=frozenset(types - {"null"}),
        nullable=nullable,
        fmt=node.get("format"),
        enum=None if values is None else frozenset(json.dumps(v, sort_keys=True) for v in values if v is not None),
        properties=properties if isinstance(properties, dict) else {},
        required=frozenset(node.get("required") or ()),
        items=node.get("items"),
        extra=extra if isinstance(extra, dict) else None,
        ref=ref,
    )


def _families(node: dict[str, Any]) -> list[str]:
    """The declared type(s), or those implied by structure or enum values."""
    declared = node.get("type")
    if declared is not None:
        return [declared] if isinstance(declared, str) else list(declared)
    if "properties" in node or isinstance(node.get("additionalProperties"), dict):
        return ["object"]
    if "items" in node:
        return ["array"]
    values = node.get("enum", [node["const"]] if "const" in node else [])
    names = {bool: "boolean", int: "integer", float: "number", str: "string", type(None): "null"}
    return sorted({names.get(type(v), "object") for v in values})


def pair_names(fake: Iterable[str], upstream: Iterable[str]) -> tuple[list[tuple[str, str]], list[str], list[str]]:
    """Match names exactly, then by case only: (fake, upstream) pairs, unmatched upstream, unmatched fake."""
    fake, upstream = list(fake), list(upstream)
    fake_left = [n for n in fake if n not in upstream]
    pairs: list[tuple[str, str]] = []
    missing: list[str] = []
    for name in upstream:
        twin = name if name in fake else next((n for n in fake_left if n.casefold() == name.casefold()), None)
        if twin is None:
            missing.append(name)
            continue
        if twin != name:
            fake_left.remove(twin)
        pairs.append((twin, name))
    return pairs, missing, fake_left


def _show_types(v: View) -> str | list[str]:
    return sorted(v.types) if len(v.types) > 1 else next(iter(v.types), "any")


def _show_enum(values: frozenset[str] | None) -> list[Any] | None:
    return None if values is None else [json.loads(v) for v in sorted(values)]


class SchemaDiffer:
    """Walks two schemas side by side, collecting Differences; cycles are compared once."""

    def __init__(self, fake_doc: Mapping[str, Any], upstream_doc: Mapping[str, Any]) -> None:
        self.fake_doc, self.upstream_doc = fake_doc, upstream_doc
        self.found: list[Difference] = []
        self._active: set[tuple[str | None, str | None]] = set()

    def add(self, kind: str, where: str, fake: Any, upstream: Any) -> None:
        self.found.append(Difference(kind, where, fake, upstream))

    def schema(self, fake: Any, upstream: Any, where: str, depth: int = 0, nullable: bool = True) -> None:
        f, u = view(fake, self.fake_doc), view(upstream, self.upstream_doc)
        key = (f.ref, u.ref)
        if (key != (None, None) and key in self._active) or depth > _MAX_DEPTH:
            return  # this pair of schemas is already being compared further up: a cycle
        if f.ref and u.ref and f.ref != u.ref:
            self.add("schema-name", where, f.ref, u.ref)
        if f.types != u.types:
            self.add("type", where, _show_types(f), _show_types(u))
        if nullable and f.nullable != u.nullable:
            self.add("nullable", where, f.nullable, u.nullable)
        if f.fmt != u.fmt and not (f.fmt is None and u.fmt in _SILENT_FORMATS):
            self.add("format", where, f.fmt, u.fmt)
        if f.enum != u.enum:
            self.add("enum", where, _show_enum(f.enum), _show_enum(u.enum))
        if f.types != u.types:
            return  # an object where Dinero has a string: its members would only repeat that
        self._active.add(key)
        try:
            self._children(f, u, where, depth + 1)
        finally:
            self._active.discard(key)

    def _children(self, f: View, u: View, where: str, depth: int) -> None:
        pairs, missing, extra = pair_names(f.properties, u.properties)
        for name in missing:
            self.add("property-missing", f"{where}.{name}", None, name)
        for name in extra:
            self.add("property-extra", f"{where}.{name}", name, None)
        for fake_name, name in pairs:
            at = f"{where}.{name}"
            if fake_name != name:
                self.add("casing", at, fake_name, name)
            if (fake_name in f.required) != (name in u.required):
                self.add("required", at, fake_name in f.required, name in u.required)
            self.schema(f.properties[fake_name], u.properties[name], at, depth)
        if f.items is not None and u.items is not None:
            self.schema(f.items, u.items, f"{where}[]", depth)
        if (f.extra is None) != (u.extra is None):
            self.add("additional-properties", where, f.extra is not None, u.extra is not None)
        elif f.extra is not None:
            self.schema(f.extra, u.extra, f"{where}{{}}", depth)
