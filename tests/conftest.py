"""Shared fixtures: a fake on a frozen clock and an httpx client logged in to it.

The client reaches the fake through an httpx transport that calls
``FakeDinero.handle`` directly, so these tests run without sockets; the
Starlette door is tested on its own in test_asgi.py and test_cli.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

import httpx
import pytest

from fake_dinero import ApiRequest, Clock, FakeDinero, Settings, World
from fake_dinero.world import DEFAULT_API_KEY, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

START = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)
ORG = 123456
BASE_URL = "https://api.dinero.dk"


class FakeTransport(httpx.BaseTransport):
    """Hands each httpx request to the fake, in the calling thread."""

    def __init__(self, fake: FakeDinero) -> None:
        self.fake = fake

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        answer = self.fake.handle(
            ApiRequest(
                method=request.method,
                path=request.url.path,
                query_string=request.url.query.decode(),
                headers={name.lower(): value for name, value in request.headers.items()},
                body=request.read(),
            )
        )
        return httpx.Response(answer.status, headers=answer.headers, content=answer.body)


@pytest.fixture
def clock() -> Clock:
    return Clock(START)


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def world(clock: Clock, settings: Settings) -> World:
    return World.with_demo(seed=7, clock=clock, settings=settings)


@pytest.fixture
def fake(world: World) -> FakeDinero:
    return FakeDinero(world)


@pytest.fixture
def anonymous(fake: FakeDinero) -> Iterator[httpx.Client]:
    """A client with no token."""
    with httpx.Client(transport=FakeTransport(fake), base_url=BASE_URL) as client:
        yield client


def get_token(client: httpx.Client, api_key: str = DEFAULT_API_KEY, **form: str) -> httpx.Response:
    fields = {"grant_type": "password", "username": api_key, "password": api_key, "scope": "read write", **form}
    return client.post(
        "/dineroapi/oauth/token", data=fields, auth=(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
    )


@pytest.fixture
def api(anonymous: httpx.Client) -> httpx.Client:
    """A client logged in to the demo organization with the legacy token."""
    token = get_token(anonymous).json()["access_token"]
    anonymous.headers["Authorization"] = f"Bearer {token}"
    return anonymous


def dinero_error(response: httpx.Response, status: int, code: int) -> dict:
    """Assert Dinero's error body with ``status`` and ``code``; return the body."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code, body
    assert set(body) == {"code", "message", "validationErrors", "languageSpecificMessages"}
    return body
