"""Who gets through to an operation: routes, Pro subscription (reference §2.1, §2.7)."""

from __future__ import annotations

import httpx
import pytest

from fake_dinero import World

from .support import ORG, dinero_error, get_token


@pytest.fixture
def non_pro(anonymous: httpx.Client, world: World) -> httpx.Client:
    organization = world.add_organization(Id=777, Name="Gratis ApS", is_pro=False)
    world.add_api_key(organization, "free-key")
    token = get_token(anonymous, api_key="free-key").json()["access_token"]
    anonymous.headers["Authorization"] = f"Bearer {token}"
    return anonymous


def test_organization_without_pro_is_refused_with_403_code_90(non_pro: httpx.Client) -> None:
    body = dinero_error(non_pro.get("/v1/777/contacts"), 403, 90)
    assert "Pro" in body["message"]


def test_organization_without_pro_may_still_list_organizations(non_pro: httpx.Client) -> None:
    response = non_pro.get("/v1/organizations", params={"fields": "Id,IsPro"})
    assert response.status_code == 200
    assert response.json() == [{"Id": 777, "IsPro": False}]


def test_organization_without_pro_may_still_list_organizations_v1_1(non_pro: httpx.Client) -> None:
    response = non_pro.get("/v1.1/organizations")
    assert response.status_code == 200
    assert response.json()[0]["Subscription"]["HasPro"] is False


def test_organization_without_pro_cannot_list_countries(non_pro: httpx.Client) -> None:
    dinero_error(non_pro.get("/v1/countries"), 403, 90)


def test_unknown_route_is_an_html_404(api: httpx.Client) -> None:
    response = api.get(f"/v1/{ORG}/no-such-thing")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")


def test_unknown_route_is_404_even_without_a_token(anonymous: httpx.Client) -> None:
    assert anonymous.get("/v9/whatever").status_code == 404


def test_known_path_with_another_method_is_405_with_allow(api: httpx.Client) -> None:
    response = api.patch(f"/v1/{ORG}/contacts")
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, POST"
