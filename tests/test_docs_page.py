"""The pages for people: ``GET /`` (where to start) and ``GET /docs`` (Swagger UI, served
from the fake itself so it works offline)."""

from __future__ import annotations

import re

import httpx
import pytest

from fake_dinero import FakeDinero
from fake_dinero.contracts.openapi import served_document
from fake_dinero.docs import VIEWER
from fake_dinero.world import (
    DEFAULT_API_KEY,
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_VISMA_CLIENT_ID,
    DEFAULT_VISMA_CLIENT_SECRET,
    DEFAULT_VISMA_USER_EMAIL,
)

from .support import BASE_URL, ORG


def linked(page: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', page)


def test_the_home_page_shows_the_base_url_the_credentials_and_a_token_command(anonymous: httpx.Client) -> None:
    response = anonymous.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = response.text
    for shown in (
        BASE_URL,
        DEFAULT_CLIENT_ID,
        DEFAULT_CLIENT_SECRET,
        DEFAULT_API_KEY,
        str(ORG),
        f"curl -s -u {DEFAULT_CLIENT_ID}:{DEFAULT_CLIENT_SECRET} -d grant_type=password",
        f"{BASE_URL}/dineroapi/oauth/token",
        f"{BASE_URL}/v1/{ORG}/contacts",
    ):
        assert shown in page, shown


def test_the_home_page_shows_the_visma_connect_demo_client(fake: FakeDinero, anonymous: httpx.Client) -> None:
    fake.world.add_demo_connect()
    page = anonymous.get("/").text
    for shown in (DEFAULT_VISMA_CLIENT_ID, DEFAULT_VISMA_CLIENT_SECRET, DEFAULT_VISMA_USER_EMAIL, "/connect/authorize"):
        assert shown in page, shown


def test_the_home_page_links_the_docs_the_document_and_the_control_plane(anonymous: httpx.Client) -> None:
    links = linked(anonymous.get("/").text)
    assert {"/docs", "/openapi.json", "/_fake/", "/_fake/journal"} <= set(links)
    assert all(anonymous.get(link).status_code == 200 for link in links)


def test_the_home_page_escapes_what_it_shows(fake: FakeDinero, anonymous: httpx.Client) -> None:
    fake.control.add_client("<script>alert(1)</script>", "a&b")
    page = anonymous.get("/").text
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "a&amp;b" in page


def test_the_docs_page_points_swagger_ui_at_the_fakes_document(anonymous: httpx.Client) -> None:
    response = anonymous.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert 'url: "/openapi.json"' in response.text
    assert "SwaggerUIBundle(" in response.text


def test_the_docs_page_loads_nothing_from_another_host(anonymous: httpx.Client) -> None:
    """The machine running the fake may be offline: every file comes from the fake."""
    links = linked(anonymous.get("/docs").text)
    assert links
    assert not [link for link in links if not link.startswith("/")]
    assets = [link for link in links if link.startswith("/docs/assets/")]
    assert {"/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css"} <= set(assets)
    for link in assets:
        assert anonymous.get(link).status_code == 200, link


@pytest.mark.parametrize(
    ("name", "media_type"),
    [
        ("swagger-ui-bundle.js", "text/javascript; charset=utf-8"),
        ("swagger-ui.css", "text/css; charset=utf-8"),
        ("favicon-32x32.png", "image/png"),
    ],
)
def test_an_asset_is_the_viewers_file_with_its_media_type(anonymous: httpx.Client, name: str, media_type: str) -> None:
    response = anonymous.get(f"/docs/assets/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"] == media_type
    assert response.content == (VIEWER / name).read_bytes()


@pytest.mark.parametrize("name", ["index.html", "nope.js", "..%2F__init__.py", "%2e%2e", "SWAGGER-UI.CSS"])
def test_only_the_viewers_own_files_are_served(anonymous: httpx.Client, name: str) -> None:
    response = anonymous.get(f"/docs/assets/{name}")
    assert response.status_code == 404
    assert response.headers["content-type"] == "text/html; charset=utf-8"


def test_an_unknown_asset_names_the_files_there_are(anonymous: httpx.Client) -> None:
    page = anonymous.get("/docs/assets/<b>.js").text
    assert "&lt;b&gt;.js" in page
    assert "swagger-ui-bundle.js" in page


def test_the_viewer_renders_openapi_3_1_the_version_of_the_served_document() -> None:
    """Swagger UI before version 5 refuses a 3.1 document ("Unable to render this definition")."""
    assert served_document()["openapi"].startswith("3.1.")
    assert "isOpenAPI31" in (VIEWER / "swagger-ui-bundle.js").read_text(encoding="utf-8")
