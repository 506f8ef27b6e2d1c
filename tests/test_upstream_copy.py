"""The committed facts-only copy of Dinero's OpenAPI document, and the tool that makes it."""

from __future__ import annotations

from typing import Any

import pytest

from fake_dinero.contracts import upstream
from fake_dinero.contracts.upstream import DEFAULT_SOURCE

_PROSE_KEYS = {"description", "example", "examples", "externalDocs"}
# Maps whose keys are names (paths, schemas, properties, parts, scopes), not keywords.
_NAME_MAPS = {"paths", "schemas", "securitySchemes", "properties", "encoding", "scopes"}


def _keyword_keys(node: Any) -> set[str]:
    """Keys in keyword position, skipping the names inside name maps such as properties."""
    found: set[str] = set()
    if isinstance(node, list):
        for item in node:
            found |= _keyword_keys(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key in _NAME_MAPS and isinstance(value, dict):
                for sub in value.values():
                    found |= _keyword_keys(sub)
            elif key not in {"enum", "default", "const"}:
                found |= _keyword_keys(value)
    return found


def test_the_copy_holds_dineros_136_operations() -> None:
    document = upstream.load()
    assert len(upstream.operations()) == 136
    assert len(document["paths"]) == 148
    assert len(document["components"]["schemas"]) == 162


def test_the_copy_keeps_no_descriptions_or_examples() -> None:
    keys = _keyword_keys(upstream.load())
    assert not keys & _PROSE_KEYS
    assert not {key for key in keys if key.startswith("x-")}


def test_a_property_named_like_a_dropped_keyword_survives_stripping() -> None:
    document = {
        "openapi": "3.1.1",
        "info": {"title": "T", "description": "prose", "version": "1"},
        "x-vendor": True,
        "paths": {},
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "description": "prose",
                    "example": {"description": "sample"},
                    "required": ["description"],
                    "properties": {
                        "description": {"type": "string", "description": "prose", "example": "x"},
                        "example": {"type": "integer", "x-internal": 1},
                        "examples": {"type": "array", "items": {"type": "string", "examples": ["a"]}},
                        "externalDocs": {"type": "string", "externalDocs": {"url": "https://e"}},
                    },
                }
            }
        },
    }

    stripped = upstream.strip_to_facts(document)

    assert stripped == {
        "openapi": "3.1.1",
        "info": {"title": "T", "version": "1"},
        "paths": {},
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "required": ["description"],
                    "properties": {
                        "description": {"type": "string"},
                        "example": {"type": "integer"},
                        "examples": {"type": "array", "items": {"type": "string"}},
                        "externalDocs": {"type": "string"},
                    },
                }
            }
        },
    }


@pytest.mark.skipif(
    not DEFAULT_SOURCE.exists(),
    reason="../shared/dinero-api/dinero-openapi.json is absent (fresh clone); nothing to compare against",
)
def test_the_copy_is_current_with_the_shared_upstream_document() -> None:
    assert upstream.main(["--source", str(DEFAULT_SOURCE), "--check"]) == 0


def test_operations_include_listing_and_restoring_contacts() -> None:
    ops = upstream.operations()
    assert ("GET", "/v1/{organizationId}/contacts") in ops
    assert ("POST", "/v1/{organizationId}/contacts/{guid}/restore") in ops
