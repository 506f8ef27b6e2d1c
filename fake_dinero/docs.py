"""The served contract: ``GET /openapi.json``, the fake's own OpenAPI document.

The document is built by ``contracts.openapi`` from the route table and models;
it is imported when first asked for, since it needs the whole route table.
"""

from __future__ import annotations

from typing import Any

from .call import Call
from .routing import Routes

routes = Routes(tag="Contract")


@routes.get("/openapi.json", public=True, upstream=False, answers=())
def openapi_json(call: Call) -> dict[str, Any]:
    """This OpenAPI document."""
    from contracts.openapi import served_document

    return served_document()
