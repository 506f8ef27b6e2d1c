"""Loads the seed data in the top-level ``fixtures/`` folder.

An installed wheel carries that folder as ``fake_dinero/_fixtures``; a source
checkout reads it where it stands. Loaded once and shared read-only.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

_PACKAGED = Path(__file__).with_name("_fixtures")
_SOURCE = Path(__file__).resolve().parent.parent / "fixtures"


def fixtures_dir() -> Path:
    return _PACKAGED if _PACKAGED.is_dir() else _SOURCE


@cache
def load(name: str) -> Any:
    """The parsed ``fixtures/<name>.json``. Callers copy before they change it."""
    with (fixtures_dir() / f"{name}.json").open(encoding="utf-8") as handle:
        return json.load(handle)


def demo_organization() -> dict[str, Any]:
    return json.loads(json.dumps(load("demo_organization")))


@cache
def countries_by_key() -> dict[str, dict[str, Any]]:
    return {row["Key"].upper(): row for row in load("countries")}
