"""Dinero's own OpenAPI document, reduced to facts and kept in the repo.

The fake and its tests must work on a fresh clone without ``../shared`` and
offline, so the project carries a facts-only copy of Dinero's contract
(paths, methods, parameters, property names, types, required flags, enums;
no prose or examples) and this module both regenerates that copy and reads it.

Regenerate:  ``python -m contracts.upstream [--source PATH_OR_URL]``
Verify:      ``python -m contracts.upstream --check``
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# ../shared seen from the repo root; absent on a fresh clone, hence only a default.
DEFAULT_SOURCE = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "dinero-api" / "dinero-openapi.json"
)
COPY_PATH = Path(__file__).with_name("dinero_openapi.json")

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Prose and samples: not facts about the contract, and the bulk of the document.
_DROPPED_KEYS = frozenset({"description", "example", "examples", "externalDocs"})

# Keywords whose value maps *names* (property names, part names, scope names...)
# to sub-objects; the names are facts and must survive even if they look like
# a dropped keyword, e.g. a property literally called "description".
_NAME_MAPS = frozenset(
    {
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
        "encoding",
        "scopes",
    }
)

# Keywords whose value is literal data, not schema: copied verbatim.
_LITERAL_KEYS = frozenset({"enum", "const", "default"})

_OPERATION_KEYS = ("tags", "summary", "deprecated", "parameters", "requestBody", "responses")
_PARAMETER_KEYS = ("$ref", "name", "in", "required", "deprecated", "schema")


def _dropped(key: str) -> bool:
    """Whether a keyword-position key is prose/sample/vendor extension."""
    return key in _DROPPED_KEYS or key.startswith("x-")


def _strip(node: Any) -> Any:
    """Strip a schema-like node, keyword-aware so names in name maps survive."""
    if isinstance(node, list):
        return [_strip(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if _dropped(key):
            continue
        if key in _LITERAL_KEYS:
            out[key] = json.loads(json.dumps(value))
        elif key in _NAME_MAPS and isinstance(value, dict):
            out[key] = {name: _strip(sub) for name, sub in value.items()}
        else:
            out[key] = _strip(value)
    return out


def _strip_content(content: dict[str, Any]) -> dict[str, Any]:
    """Keep media types and their schema (and multipart part names)."""
    out: dict[str, Any] = {}
    for media_type, media in content.items():
        kept: dict[str, Any] = {}
        if isinstance(media, dict):
            if "schema" in media:
                kept["schema"] = _strip(media["schema"])
            # The only place the multipart field name (e.g. "file") is stated.
            if "encoding" in media:
                kept["encoding"] = {name: _strip(enc) for name, enc in media["encoding"].items()}
        out[media_type] = kept
    return out


def _strip_parameter(parameter: dict[str, Any]) -> dict[str, Any]:
    """Keep what a request must satisfy: name, location, required, schema."""
    out: dict[str, Any] = {}
    for key in parameter:
        if key in _PARAMETER_KEYS:
            out[key] = _strip(parameter[key]) if key == "schema" else parameter[key]
    return out


def _strip_request_body(body: dict[str, Any]) -> dict[str, Any]:
    """Keep required and the accepted media types with their schemas."""
    out: dict[str, Any] = {}
    for key in body:
        if key == "$ref":
            out[key] = body[key]
        elif key == "required":
            out[key] = body[key]
        elif key == "content":
            out[key] = _strip_content(body[key])
    return out


def _strip_responses(responses: dict[str, Any]) -> dict[str, Any]:
    """Keep every status code; a response without content stays as ``{}``."""
    out: dict[str, Any] = {}
    for status, response in responses.items():
        kept: dict[str, Any] = {}
        if isinstance(response, dict):
            if "$ref" in response:
                kept["$ref"] = response["$ref"]
            if "content" in response:
                kept["content"] = _strip_content(response["content"])
        out[str(status)] = kept
    return out


def _strip_operation(op: dict[str, Any]) -> dict[str, Any]:
    """Keep the operation's facts in source key order."""
    out: dict[str, Any] = {}
    for key, value in op.items():
        if key not in _OPERATION_KEYS:
            continue
        if key == "parameters":
            out[key] = [_strip_parameter(p) for p in value]
        elif key == "requestBody":
            out[key] = _strip_request_body(value)
        elif key == "responses":
            out[key] = _strip_responses(value)
        else:
            out[key] = json.loads(json.dumps(value))
    return out


def _strip_path_item(item: dict[str, Any]) -> dict[str, Any]:
    """Keep the operations (and any shared parameters) of one path."""
    out: dict[str, Any] = {}
    for key, value in item.items():
        if key in HTTP_METHODS:
            out[key] = _strip_operation(value)
        elif key == "parameters":
            out[key] = [_strip_parameter(p) for p in value]
    return out


def strip_to_facts(document: dict[str, Any]) -> dict[str, Any]:
    """Return a facts-only copy of an OpenAPI document (input left untouched)."""
    out: dict[str, Any] = {}
    for key, value in document.items():
        if key == "openapi":
            out[key] = value
        elif key == "info":
            out[key] = {k: v for k, v in value.items() if k in ("title", "version")}
        elif key == "paths":
            # Every path is kept, even empty placeholders: they are facts too.
            out[key] = {path: _strip_path_item(item or {}) for path, item in value.items()}
        elif key == "components":
            comps: dict[str, Any] = {}
            for section, entries in value.items():
                if section in ("schemas", "securitySchemes"):
                    comps[section] = {name: _strip(sub) for name, sub in entries.items()}
            out[key] = comps
    return out


@functools.cache
def load() -> dict[str, Any]:
    """The committed facts-only copy (cached: it is read-only at run time)."""
    with COPY_PATH.open(encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


@functools.cache
def operations() -> frozenset[tuple[str, str]]:
    """Every (METHOD, path) Dinero documents, e.g. ("GET", "/v1/{organizationId}/contacts")."""
    return frozenset(
        (method.upper(), path)
        for path, item in load()["paths"].items()
        for method in item
        if method in HTTP_METHODS
    )


def operation(method: str, path: str) -> dict[str, Any]:
    """The operation object for METHOD and path; KeyError if Dinero has none."""
    item = load()["paths"].get(path)
    if item is None or method.lower() not in item or method.lower() not in HTTP_METHODS:
        raise KeyError(f"{method.upper()} {path}")
    op: dict[str, Any] = item[method.lower()]
    return op


def schema(name: str) -> dict[str, Any]:
    """A schema from components/schemas; KeyError if absent."""
    found: dict[str, Any] = load()["components"]["schemas"][name]
    return found


def read_source(source: str | Path) -> dict[str, Any]:
    """Read an OpenAPI JSON document from a file path or an http(s) URL."""
    text = str(source)
    if text.startswith(("http://", "https://")):
        request = urllib.request.Request(text, headers={"Accept": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            raw: bytes = response.read()
    else:
        raw = Path(text).read_bytes()
    document: dict[str, Any] = json.loads(raw)  # bytes: BOM/encoding auto-detected
    return document


def render(document: dict[str, Any]) -> str:
    """Serialise a copy exactly as committed, so --check can compare text."""
    return json.dumps(document, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def _differences(committed: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """Brief list of paths/schemas (and other top-level parts) that differ."""
    lines: list[str] = []
    for part in ("paths",):
        old, new = committed.get(part, {}), expected.get(part, {})
        for name in sorted(set(old) | set(new)):
            if old.get(name) != new.get(name):
                state = "added" if name not in old else "removed" if name not in new else "changed"
                lines.append(f"path {state}: {name}")
    old_c = committed.get("components", {})
    new_c = expected.get("components", {})
    for section in ("schemas", "securitySchemes"):
        old, new = old_c.get(section, {}), new_c.get(section, {})
        for name in sorted(set(old) | set(new)):
            if old.get(name) != new.get(name):
                state = "added" if name not in old else "removed" if name not in new else "changed"
                lines.append(f"{section} {state}: {name}")
    for key in sorted(set(committed) | set(expected)):
        if key not in ("paths", "components") and committed.get(key) != expected.get(key):
            lines.append(f"top-level changed: {key}")
    return lines


MEDIA_SPELLINGS = {"multipart/formdata": "multipart/form-data"}
"""Dinero's document writes the uploads' media type without its hyphen; clients send the real one."""


def _error_answers(responses: dict[str, Any]) -> dict[str, Any]:
    """Dinero documents only the uploads' 400, as a JSON string; the fake answers its
    error object there as everywhere, so no error answer's body is held to the document."""
    return {
        status: answer if status == "200" else {key: value for key, value in answer.items() if key != "content"}
        for status, answer in responses.items()
    }


def as_dinero_answers(node: Any) -> Any:
    """Dinero's document read as Dinero really answers: ``format: date-time`` becomes
    the zone-less pattern Dinero sends (RFC 3339 wants a zone; Dinero sends none,
    reference §2.3). Returns a copy."""
    from fake_dinero.models import ZONELESS_DATETIME

    if isinstance(node, dict):
        if node.get("format") == "date-time":
            node = {**{key: value for key, value in node.items() if key != "format"}, "pattern": ZONELESS_DATETIME}
        if isinstance(node.get("responses"), dict):
            node = {**node, "responses": _error_answers(node["responses"])}
        return {MEDIA_SPELLINGS.get(key, key): as_dinero_answers(value) for key, value in node.items()}
    if isinstance(node, list):
        return [as_dinero_answers(item) for item in node]
    return node


def main(argv: Sequence[str] | None = None) -> int:
    """CLI: regenerate the committed copy, or --check that it is current."""
    parser = argparse.ArgumentParser(
        prog="python -m contracts.upstream",
        description="Write (or check) the facts-only copy of Dinero's OpenAPI document.",
    )
    parser.add_argument(
        "--source",
        default=str(DEFAULT_SOURCE),
        help="file path or http(s) URL of Dinero's OpenAPI JSON (default: %(default)s)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the committed copy is not current",
    )
    args = parser.parse_args(argv)

    try:
        source = read_source(args.source)
    except (OSError, ValueError) as exc:  # missing file, URLError, bad JSON
        print(f"cannot read {args.source}: {exc}", file=sys.stderr)
        return 2
    expected = strip_to_facts(source)
    text = render(expected)

    if not args.check:
        with COPY_PATH.open("w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        print(f"wrote {COPY_PATH} ({len(text.encode('utf-8'))} bytes)")
        return 0

    if not COPY_PATH.exists():
        print(f"{COPY_PATH} is missing; run: python -m contracts.upstream", file=sys.stderr)
        return 1
    current = COPY_PATH.read_text(encoding="utf-8")
    if current == text:
        print(f"{COPY_PATH.name} is current")
        return 0
    try:
        committed = json.loads(current)
    except json.JSONDecodeError as exc:
        print(f"{COPY_PATH.name} is not valid JSON: {exc}", file=sys.stderr)
        return 1
    lines = _differences(committed, expected) or ["formatting or key order only"]
    print(f"{COPY_PATH.name} is stale ({len(lines)} differences):", file=sys.stderr)
    for line in lines[:40]:
        print(f"  {line}", file=sys.stderr)
    if len(lines) > 40:
        print(f"  ... and {len(lines) - 40} more", file=sys.stderr)
    print("regenerate with: python -m contracts.upstream", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
