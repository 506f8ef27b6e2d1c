"""Shared fixtures: a fake on a frozen clock and an httpx client logged in to it.

The client reaches the fake through the in-process transport (the same
door the pytest plugin uses), so these tests run without sockets; the
Starlette door is tested on its own in test_asgi.py and test_cli.py.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from fake_dinero import Clock, FakeDinero, Settings, World
from fake_dinero.provisioning import ConnectClient, ConnectUser

from .support import BASE_URL, ISV_ID, ISV_SECRET, ORG, REDIRECT_URI, START, VISMA, FakeTransport, get_token

pytest_plugins = ["pytester"]


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


@pytest.fixture
def api(anonymous: httpx.Client) -> httpx.Client:
    """A client logged in to the demo organization with the legacy token."""
    token = get_token(anonymous).json()["access_token"]
    anonymous.headers["Authorization"] = f"Bearer {token}"
    return anonymous


@pytest.fixture
def isv(world: World) -> ConnectClient:
    """A Visma Connect web application with one redirect URI and default settings."""
    return world.add_connect_client(ISV_ID, ISV_SECRET, redirect_uris=(REDIRECT_URI,))


@pytest.fixture
def visma_user(world: World) -> ConnectUser:
    """The user signed in at Visma Connect, reaching the demo organization."""
    return world.add_connect_user("anna@example.dk", [ORG], name="Anna Andersen")


@pytest.fixture
def visma(fake: FakeDinero, isv: ConnectClient, visma_user: ConnectUser) -> Iterator[httpx.Client]:
    """A client at Visma Connect's host; it follows no redirects, as a test must read them."""
    with httpx.Client(transport=FakeTransport(fake), base_url=VISMA) as client:
        yield client
