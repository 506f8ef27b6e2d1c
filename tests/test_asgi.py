"""The Starlette door: it carries requests and answers through unchanged."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from fake_dinero import FakeDinero, World
from fake_dinero.asgi import create_app
from fake_dinero.world import DEFAULT_API_KEY, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET


class AsgiClient:
    """A synchronous face on httpx's ASGI transport, one event loop per call."""

    def __init__(self, app: Starlette) -> None:
        self.app = app

    def request(self, method: str, url: str, **options: Any) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8765") as client:
                return await client.request(method, url, **options)

        return asyncio.run(send())

    def get(self, url: str, **options: Any) -> httpx.Response:
        return self.request("GET", url, **options)

    def post(self, url: str, **options: Any) -> httpx.Response:
        return self.request("POST", url, **options)

    def delete(self, url: str, **options: Any) -> httpx.Response:
        return self.request("DELETE", url, **options)


@pytest.fixture
def http() -> AsgiClient:
    return AsgiClient(create_app(FakeDinero(World.with_demo(seed=1))))


@pytest.fixture
def token(http: AsgiClient) -> str:
    response = http.post(
        "/dineroapi/oauth/token",
        data={"grant_type": "password", "username": DEFAULT_API_KEY, "password": DEFAULT_API_KEY},
        auth=(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
    )
    return response.json()["access_token"]


def test_token_and_api_share_one_port(http: AsgiClient, token: str) -> None:
    response = http.get("/v1/123456/contacts", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"


def test_query_string_and_body_reach_the_fake(http: AsgiClient, token: str) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    http.post("/v1/123456/contacts", json={"Name": "Æblegården ApS", "CountryKey": "DK"}, headers=auth)
    response = http.get("/v1/123456/contacts", params={"queryFilter": "Name eq 'æblegården aps'"}, headers=auth)
    assert [c["name"] for c in response.json()["Collection"]] == ["Æblegården ApS"]


def test_error_status_headers_and_body_come_through(http: AsgiClient) -> None:
    response = http.get("/v1/123456/contacts")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


def test_empty_200_has_no_body(http: AsgiClient, token: str) -> None:
    auth = {"Authorization": f"Bearer {token}"}
    guid = http.post("/v1/123456/contacts", json={"Name": "A", "CountryKey": "DK"}, headers=auth).json()["ContactGuid"]
    response = http.delete(f"/v1/123456/contacts/{guid}", headers=auth)
    assert response.status_code == 200
    assert response.content == b""


def test_create_app_without_arguments_serves_the_demo_organization() -> None:
    response = AsgiClient(create_app()).post(
        "/dineroapi/oauth/token",
        data={"grant_type": "password", "username": DEFAULT_API_KEY, "password": DEFAULT_API_KEY},
        auth=(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
    )
    assert response.status_code == 200


def test_an_encoded_newline_in_a_path_still_reaches_the_fake(http: AsgiClient, token: str) -> None:
    response = http.get("/v1/123456/contacts/%0A", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400
    assert response.json()["validationErrors"] == {"guid": "The value '\n' is not valid."}


def test_middleware_added_to_the_app_still_sees_every_call(token: str) -> None:
    app = create_app(FakeDinero(World.with_demo(seed=1)))
    seen: list[str] = []

    class Record:
        def __init__(self, inner: Any) -> None:
            self.inner = inner

        async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
            seen.append(scope["path"])
            await self.inner(scope, receive, send)

    app.add_middleware(Record)
    response = AsgiClient(app).get("/v1/123456/contacts")
    assert response.status_code == 401
    assert seen == ["/v1/123456/contacts"]


def test_the_app_answers_an_asgi_servers_lifespan_calls() -> None:
    app = create_app(FakeDinero(World.with_demo(seed=1)))
    events = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[str] = []

    async def receive() -> dict[str, Any]:
        return events.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message["type"])

    asyncio.run(app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send))
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


def test_a_body_sent_in_pieces_reaches_the_fake_whole(http: AsgiClient, token: str) -> None:
    async def pieces() -> Any:
        yield b'{"Name": "Styk'
        yield b'kevis ApS", "CountryKey": "DK"}'

    auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    created = http.post("/v1/123456/contacts", content=pieces(), headers=auth)
    assert created.status_code == 200
    contact = http.get(f"/v1/123456/contacts/{created.json()['ContactGuid']}", headers=auth)
    assert contact.json()["Name"] == "Stykkevis ApS"
