"""How paths reach operations: ASP.NET's matching, and one declaration per operation."""

from __future__ import annotations

import httpx
import pytest

from fake_dinero.contracts import upstream
from fake_dinero.route_table import ROUTE_TABLE
from fake_dinero.routing import NoRoute, Routes, RouteTable

from .support import ORG


def test_path_literals_match_case_insensitively(api: httpx.Client) -> None:
    assert api.get(f"/V1/{ORG}/Contacts").status_code == 200


def test_a_trailing_slash_is_tolerated(api: httpx.Client) -> None:
    assert api.get(f"/v1/{ORG}/contacts/").status_code == 200


def test_the_version_segment_is_literal(api: httpx.Client) -> None:
    # Products exist on v1 only; Dinero has no /v2/{org}/products.
    assert api.get(f"/v2/{ORG}/products").status_code == 404


def test_contact_update_exists_on_v1_and_v2_but_contact_get_only_on_v1(api: httpx.Client) -> None:
    guid = api.post(f"/v1/{ORG}/contacts", json={"Name": "A", "CountryKey": "DK"}).json()["ContactGuid"]
    assert api.put(f"/v2/{ORG}/contacts/{guid}", json={"Name": "B", "CountryKey": "DK"}).status_code == 200
    assert api.get(f"/v2/{ORG}/contacts/{guid}").status_code == 405


def test_every_declared_operation_is_one_of_dinero_own() -> None:
    declared = {op.key for op in ROUTE_TABLE.operations if op.upstream}
    assert declared <= upstream.operations(), declared - upstream.operations()


def test_only_token_routes_the_control_plane_and_the_contract_are_outside_dinero_api_document() -> None:
    outside = {op.path for op in ROUTE_TABLE.operations if not op.upstream and not op.path.startswith("/_fake/")}
    assert outside == {
        "/",
        "/docs",
        "/docs/assets/{name}",
        "/openapi.json",
        "/dineroapi/oauth/token",
        "/.well-known/openid-configuration",
        "/.well-known/openid-configuration/jwks",
        "/connect/authorize",
        "/connect/consent",
        "/connect/token",
        "/connect/userinfo",
        "/connect/endsession",
        "/connect/revocation",
        "/connect/introspect",
    }


def _noop(call: object) -> None:
    return None


def test_a_literal_segment_wins_over_a_parameter() -> None:
    routes = Routes()
    routes.get("/v1/{organizationId}/invoices/{guid}")(_noop)
    routes.get("/v1/{organizationId}/invoices/fetch")(_noop)
    operation, params = RouteTable([routes]).match("GET", "/v1/1/invoices/FETCH")
    assert operation.path == "/v1/{organizationId}/invoices/fetch"
    assert params == {"organizationId": "1"}


def test_an_operation_cannot_be_declared_twice() -> None:
    routes = Routes()
    routes.get("/v1/{organizationId}/things")(_noop)
    routes.get("/V1/{org}/THINGS")(_noop)
    with pytest.raises(ValueError, match="declared twice"):
        RouteTable([routes])


def test_an_empty_parameter_segment_matches_nothing() -> None:
    with pytest.raises(NoRoute):
        ROUTE_TABLE.match("GET", f"/v1/{ORG}/contacts//notes")
