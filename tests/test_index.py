"""The control plane's index: ``GET /_fake/`` lists its operations, read from the route table."""

from __future__ import annotations

import httpx
import pytest

from fake_dinero import FakeDinero
from fake_dinero.call import Call
from fake_dinero.http import ApiRequest
from fake_dinero.route_table import ROUTE_TABLE
from fake_dinero.routing import Routes, RouteTable


def listed(response: httpx.Response) -> set[tuple[str, str]]:
    return {(op["method"], op["path"]) for op in response.json()["operations"]}


def test_the_index_lists_every_control_operation_the_route_table_has(anonymous: httpx.Client) -> None:
    declared = {op.key for op in ROUTE_TABLE.operations if op.path.startswith("/_fake/")}
    assert listed(anonymous.get("/_fake/")) == declared


def test_every_control_operation_says_what_it_does_in_one_line(anonymous: httpx.Client) -> None:
    for operation in anonymous.get("/_fake/").json()["operations"]:
        assert operation["description"], operation
        assert "\n" not in operation["description"], operation


def test_a_description_is_the_first_paragraph_of_the_handler_docstring(anonymous: httpx.Client) -> None:
    operations = anonymous.get("/_fake/").json()["operations"]
    deliver = next(op for op in operations if op["path"] == "/_fake/webhooks/deliver")
    assert deliver["description"] == (
        "Send every webhook delivery due on the fake's clock now; the deliveries attempted."
    )


@pytest.mark.parametrize("path", ["/_fake", "/_fake/", "/_FAKE/"])
def test_the_index_answers_with_or_without_the_trailing_slash(anonymous: httpx.Client, path: str) -> None:
    response = anonymous.get(path)
    assert response.status_code == 200
    assert response.json() == anonymous.get("/_fake/").json()


def test_the_index_points_to_the_documentation_and_the_openapi_document(anonymous: httpx.Client) -> None:
    index = anonymous.get("/_fake/").json()
    assert (index["docs"], index["openapi"], index["home"]) == ("/docs", "/openapi.json", "/")
    assert anonymous.get(index["openapi"]).status_code == 200


def test_the_index_needs_no_token(anonymous: httpx.Client) -> None:
    assert "authorization" not in anonymous.headers
    assert anonymous.get("/_fake/").status_code == 200


def test_a_new_control_operation_appears_without_editing_the_index() -> None:
    extra = Routes(tag="Control plane (fake only)")

    @extra.post("/_fake/rewind", public=True, upstream=False)
    def rewind(call: Call) -> None:
        """Turn the clock back an hour.

        More detail that the index leaves out."""

    served = Routes()
    served.operations = list(ROUTE_TABLE.operations)
    table = RouteTable([served, extra])
    response = FakeDinero(routes=table).handle(ApiRequest("GET", "/_fake/"))
    assert {"method": "POST", "path": "/_fake/rewind", "description": "Turn the clock back an hour."} in (
        response.json()["operations"]
    )


def test_the_index_without_its_slash_is_the_control_plane_too(fake: FakeDinero, anonymous: httpx.Client) -> None:
    """Exempt from faults and the journal, like every control call."""
    fake.faults.add("error", path="*")
    assert anonymous.get("/_fake").status_code == 200
    assert list(fake.journal) == []
