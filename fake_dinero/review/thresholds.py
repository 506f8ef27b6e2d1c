"""What the integration review tolerates before it speaks up: one frozen dataclass.

Every number has a default taken from Dinero's own rules where Dinero states one (100
requests a minute, pages of up to 1000, tokens of an hour) and a judgement otherwise,
which its help text says. The command line takes each as a flag (``--rate-limit 60``)
or all of them from a JSON file (``--thresholds FILE``, camelCase or snake_case keys);
``GET /_fake/review`` takes them as query parameters.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..formats import shown


def _help(text: str) -> dict[str, str]:
    return {"help": text}


@dataclass(frozen=True)
class Thresholds:
    """The review's limits; ``Thresholds(rate_limit=60)`` changes one."""

    rate_limit: int = field(default=100, metadata=_help(
        "requests Dinero admits per organization and client in one rolling window (Dinero: 100 a minute)"))
    rate_window_seconds: float = field(default=60.0, metadata=_help("the rate limit's rolling window in seconds"))
    retry_after_seconds: float = field(default=1.0, metadata=_help(
        "the wait assumed after a 429 that carries no Retry-After header"))
    error_run: int = field(default=5, metadata=_help(
        "400, 401 or 403 answers in a row, for one organization, that make an error storm"))
    repeated_failures: int = field(default=2, metadata=_help(
        "times one identical request (method, path, query and body) may fail before it is a finding"))
    logins_per_token_lifetime: int = field(default=2, metadata=_help(
        "token calls a client may make per organization within one token's lifetime (a refresh plus a spare)"))
    token_lifetime_seconds: float = field(default=3600.0, metadata=_help(
        "a token's lifetime when the token answer has no expires_in (Dinero's tokens live an hour)"))
    full_list_reads: int = field(default=2, metadata=_help(
        "full reads of one list without changesSince or a filter before it is a finding (first sync plus one)"))
    max_page_size: int = field(default=1000, metadata=_help("the largest pageSize Dinero takes"))
    small_page_pages: int = field(default=2, metadata=_help(
        "pages of one list read with a pageSize below the largest before it is a finding"))
    n_plus_one_gets: int = field(default=3, metadata=_help(
        "single-item GETs of items one list answer already held before it is a finding"))
    polling_repeats: int = field(default=5, metadata=_help(
        "identical GETs with identical answers within the polling window before it is a finding"))
    polling_window_seconds: float = field(default=600.0, metadata=_help("the polling window in seconds"))
    ledger_post_gap_seconds: float = field(default=1.0, metadata=_help(
        "ledger-item posts for one organization closer together than this count as concurrent"))
    instant_payment_seconds: float = field(default=300.0, metadata=_help(
        "an invoice paid in full within this long after booking looks like one invoiced outside Dinero"))
    max_evidence: int = field(default=10, metadata=_help("calls shown as evidence per finding"))

    def replace(self, changes: Mapping[str, Any]) -> Thresholds:
        """A copy with ``changes`` (snake_case or camelCase names, values as numbers or text);
        ValueError naming an unknown name or a value that is not a number >= 0."""
        known = {_folded(item.name): item for item in dataclasses.fields(self)}
        values: dict[str, Any] = {}
        for name, raw in changes.items():
            item = known.get(_folded(str(name)))
            if item is None:
                names = ", ".join(item.name for item in dataclasses.fields(self))
                raise ValueError(f"'{shown(name)}' is not a threshold; use one of: {names}")
            try:
                values[item.name] = _number(item, raw)
            except ValueError as error:
                raise ValueError(f"{name}: {error}") from None
        return dataclasses.replace(self, **values)

    def to_json(self) -> dict[str, Any]:
        """camelCase names and values, as ``GET /_fake/review`` answers them."""
        return {_camel(item.name): getattr(self, item.name) for item in dataclasses.fields(self)}


def _number(item: dataclasses.Field[Any], raw: Any) -> int | float:
    kind = int if item.type in (int, "int") else float
    whole = "whole " if kind is int else ""
    if isinstance(raw, bool):
        raise ValueError(f"{shown(repr(raw))} is not a {whole}number")
    try:
        value = kind(raw.strip()) if isinstance(raw, str) else kind(raw)
    except (TypeError, ValueError, OverflowError):
        raise ValueError(f"{shown(repr(raw))} is not a {whole}number") from None
    if kind is int and not isinstance(raw, str) and value != raw:
        raise ValueError(f"{shown(repr(raw))} is not a whole number")
    if not value >= 0 or value == float("inf"):
        raise ValueError(f"{shown(repr(raw))} is not a number of 0 or more")
    return value


def _folded(name: str) -> str:
    return name.replace("_", "").replace("-", "").lower()


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def help_of(item: dataclasses.Field[Any]) -> str:
    return str(item.metadata.get("help", ""))


def load_thresholds(path: str | Path, base: Thresholds | None = None) -> Thresholds:
    """Thresholds from a JSON object file (only the names it has change)."""
    with open(path, encoding="utf-8") as handle:
        try:
            document = json.load(handle)
        except ValueError as error:
            raise ValueError(f"{path}: not JSON ({error})") from None
    if not isinstance(document, dict):
        raise ValueError(f"{path}: the thresholds file must hold one JSON object")
    return (base or Thresholds()).replace(document)
