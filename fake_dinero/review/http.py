"""``GET /_fake/review``: the integration review of the fake's journal, as JSON.

Declared like the rest of the control plane (no token, no rate limit, no fault, not
journaled); the route table lists it once it includes ``routes``. Each threshold may be
given as a query parameter by its camelCase name (``?rateLimit=60&errorRun=3``).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from ..call import Call
from ..control_http import _OPTIONS as CONTROL_OPTIONS
from ..control_http import query_params
from ..errors import validation_error
from ..routing import CONTROL_PREFIX, QueryParam, Routes
from .thresholds import Thresholds

routes = Routes(tag="Control plane (fake only)")


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


THRESHOLD_PARAMS = tuple(
    QueryParam(_camel(item.name), "integer" if item.type in (int, "int") else "number", item.default)
    for item in dataclasses.fields(Thresholds)
)


class ReviewEvidenceDocument(BaseModel):
    model_config = ConfigDict(defer_build=True)

    at: str
    """On the fake's clock, ISO 8601 with the UTC offset."""
    call: str
    note: str


class ReviewFindingDocument(BaseModel):
    model_config = ConfigDict(defer_build=True)

    id: str
    """Stable, e.g. rate.429-hammered."""
    severity: str
    """error, warning or info."""
    title: str
    summary: str
    heuristic: bool
    organizationId: int | None
    clientId: str | None
    count: int
    evidence: list[ReviewEvidenceDocument]
    omitted: int
    why: str
    """Why Dinero cares, quoting its rule."""
    fix: str


class ReviewCheckDocument(BaseModel):
    model_config = ConfigDict(defer_build=True)

    id: str
    title: str
    severity: str
    heuristic: bool
    findings: int


class ReviewDocument(BaseModel):
    """Dinero's technical review of the calls in the journal."""

    model_config = ConfigDict(populate_by_name=True, defer_build=True)

    clean: bool
    calls: int
    dropped: int
    """Older calls the journal had let go, which the review could not see."""
    from_: str | None = Field(default=None, alias="from")
    to: str | None
    counts: dict[str, int]
    findings: list[ReviewFindingDocument]
    checks: list[ReviewCheckDocument]
    thresholds: dict[str, Any]


@routes.get(f"{CONTROL_PREFIX}/review", response=ReviewDocument, query=THRESHOLD_PARAMS, **CONTROL_OPTIONS)
def review_journal(call: Call) -> dict[str, Any]:
    """Dinero's integration review of the journal: rate limit and Retry-After, error storms and
    logins, syncs, unused files, ledger posts, endpoints and deprecated operations, each
    finding with its evidence, Dinero's rule and the fix.

    Thresholds are query parameters by their camelCase names (rateLimit, errorRun, ...)."""
    from .core import review

    params = query_params(call, *(param.name for param in THRESHOLD_PARAMS))
    try:
        limits = Thresholds().replace(params)
    except ValueError as error:
        name = str(error).split(":", 1)[0]
        raise validation_error({name: str(error)}, str(error)) from None
    journal = call.fake.journal
    return review(list(journal), limits, dropped=journal.dropped).to_json()
