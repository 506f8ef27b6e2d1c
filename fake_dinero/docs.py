"""The fake's pages for people: the contract, its rendered documentation, and a start page.

- ``GET /openapi.json``: the fake's own OpenAPI document, built by ``fake_dinero.contracts.openapi``
  from the route table and models (imported when first asked for, since it needs the
  whole route table).
- ``GET /docs``: Swagger UI showing that document. Swagger UI's files come from a
  package and are served by the fake itself (``/docs/assets/{name}``), so the page
  works on a machine with no network.
- ``GET /``: what a person needs to start: the base URL, the credentials the fake
  accepts, a curl line for a token, and links to the rest.
"""

from __future__ import annotations

import shlex
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

import openapi_ui_bundles

from .call import Call
from .http import ApiResponse
from .routing import CONTROL_PREFIX as PREFIX
from .routing import Routes
from .world import World

routes = Routes(tag="Contract")

DOCS = "/docs"
ASSETS = f"{DOCS}/assets"
OPENAPI = "/openapi.json"
HTML_TYPE = "text/html; charset=utf-8"

VIEWER: Path = Path(openapi_ui_bundles.swagger_ui.static_path)
"""Swagger UI's files (version 5, the first to render OpenAPI 3.1 documents)."""
_ASSET_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
}
_NOT_SERVED = {"index.html", "index.css"}
"""The package's own demo page (it shows the petstore), which ``/docs`` replaces."""


@routes.get(OPENAPI, public=True, upstream=False, answers=())
def openapi_json(call: Call) -> dict[str, Any]:
    """This OpenAPI document."""
    from .contracts.openapi import served_document

    return served_document()


@routes.get("/", public=True, upstream=False, answers=(), binary=("text/html",))
def home(call: Call) -> ApiResponse:
    """A page for people: the base URL, the credentials the fake accepts, and links to the docs."""
    return ApiResponse(200, _home_page(call.world, call.request.origin).encode(), {"content-type": HTML_TYPE})


@routes.get(DOCS, public=True, upstream=False, answers=(), binary=("text/html",))
def docs_page(call: Call) -> ApiResponse:
    """This document rendered by Swagger UI, served from the fake with no CDN."""
    return ApiResponse(200, _DOCS_PAGE.encode(), {"content-type": HTML_TYPE})


@routes.get(
    f"{ASSETS}/{{name}}",
    public=True,
    upstream=False,
    answers=(404,),
    answer_body="html",
    binary=tuple(sorted({media.split(";")[0] for media in _ASSET_TYPES.values()})),
)
def docs_asset(call: Call) -> ApiResponse:
    """One of Swagger UI's files, for the /docs page."""
    name = call.params["name"]
    path = assets().get(name)
    if path is None:
        listed = ", ".join(assets())
        page = _page("Not found", f"<p>No file {escape(name)} here; the files are {escape(listed)}.</p>")
        return ApiResponse(404, page.encode(), {"content-type": HTML_TYPE})
    return ApiResponse(
        200,
        _read(path),
        {
            "content-type": _ASSET_TYPES[path.suffix],
            "cache-control": "public, max-age=86400",
            "x-content-type-options": "nosniff",
        },
    )


@cache
def assets() -> dict[str, Path]:
    """The files ``/docs/assets/{name}`` serves, by name: only the viewer folder's own
    scripts, styles and icons, so no name can reach anything else."""
    return {
        path.name: path
        for path in sorted(VIEWER.iterdir())
        if path.is_file() and path.suffix in _ASSET_TYPES and path.name not in _NOT_SERVED
    }


@cache
def _read(path: Path) -> bytes:
    return path.read_bytes()


_DOCS_PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>fake-dinero API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
<link rel="icon" type="image/png" href="{ASSETS}/favicon-32x32.png" sizes="32x32">
<link rel="icon" type="image/png" href="{ASSETS}/favicon-16x16.png" sizes="16x16">
<style>body {{ margin: 0; }} nav {{ font: 14px sans-serif; padding: 8px 20px; }}</style>
</head>
<body>
<nav><a href="/">fake-dinero</a> · <a href="{OPENAPI}">openapi.json</a> · <a href="{PREFIX}/">control plane</a></nav>
<div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script>
window.onload = function () {{
  window.ui = SwaggerUIBundle({{
    url: "{OPENAPI}",
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  }});
}};
</script>
</body>
</html>
"""


def _home_page(world: World, base: str) -> str:
    """The start page of a fake reached at ``base``, from what its world holds now."""
    token_url = f"{base}/dineroapi/oauth/token"
    rows = [("Base URL", _code(base)), ("Token URL (API key)", _code(token_url))]
    rows += [("Client id / secret", f"{_code(c.client_id)} / {_code(c.client_secret)}") for c in world.clients.values()]
    for key, organization_id in world.api_keys.items():
        organization = world.organizations.get(organization_id)
        name = f" ({escape(str(organization.profile['Name']))})" if organization else ""
        rows.append(("API key", f"{_code(key)} for organization {_code(str(organization_id))}{name}"))
    sections = [f"<h2>Dinero API</h2>{_table(rows)}"]
    client = next(iter(world.clients.values()), None)
    api_key, organization_id = next(iter(world.api_keys.items()), (None, None))
    if client is not None and api_key is not None:
        get_token = (
            f"curl -s -u {shlex.quote(client.client_id + ':' + client.client_secret)} "
            f"-d grant_type=password -d username={shlex.quote(api_key)} -d password={shlex.quote(api_key)} "
            f"-d 'scope=read write' {token_url}"
        )
        extract = "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"access_token\"])'"
        first_call = f'curl -s -H "Authorization: Bearer $TOKEN" {base}/v1/{organization_id}/contacts'
        lines = f"TOKEN=$({get_token} | {extract})\n{first_call}"
        sections.append(f"<h2>Try it</h2><pre>{escape(lines)}</pre>")
    sections.append(_connect_section(world, base))
    links = [
        (DOCS, "The API documentation (Swagger UI)"),
        (OPENAPI, "The fake's OpenAPI document"),
        (f"{PREFIX}/", "The control plane: reset, seed, clock, faults, snapshots"),
        (f"{PREFIX}/journal", "The journal: every call the fake answered"),
    ]
    items = "".join(f'<li><a href="{escape(href)}">{escape(href)}</a>: {escape(text)}</li>' for href, text in links)
    sections.append(f"<h2>Pages</h2><ul>{items}</ul>")
    intro = "<p>A stateful fake of the Dinero accounting API, for tests and development.</p>"
    return _page("fake-dinero", intro + "".join(sections))


def _connect_section(world: World, base: str) -> str:
    rows = [
        ("Discovery", _code(f"{base}/.well-known/openid-configuration")),
        ("Authorize URL", _code(f"{base}/connect/authorize")),
        ("Token URL", _code(f"{base}/connect/token")),
    ]
    for client in world.connect_clients.values():
        uris = ", ".join(_code(uri) for uri in client.redirect_uris) or "none"
        rows.append(
            ("Client id / secret", f"{_code(client.client_id)} / {_code(client.client_secret)}, redirect URIs {uris}")
        )
    rows += [("User", _code(user.email)) for user in world.connect_users.values()]
    return f"<h2>Visma Connect (OAuth 2.0 / OpenID Connect)</h2>{_table(rows)}"


def _code(text: str) -> str:
    return f"<code>{escape(text)}</code>"


def _table(rows: list[tuple[str, str]]) -> str:
    """Rows of a label and HTML already escaped."""
    return "<table>" + "".join(f"<tr><th>{escape(label)}</th><td>{html}</td></tr>" for label, html in rows) + "</table>"


def _page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
        "<style>body{font:15px/1.5 sans-serif;max-width:60em;margin:2em auto;padding:0 1em}"
        "th{text-align:left;padding-right:1em;vertical-align:top}pre{background:#f4f4f4;padding:1em;"
        "overflow-x:auto}</style></head>"
        f"<body><h1>{escape(title)}</h1>{body}</body></html>\n"
    )
