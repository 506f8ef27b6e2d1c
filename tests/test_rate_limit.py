"""Dinero's rate limit: 100 requests per rolling minute per organization and client."""

from __future__ import annotations

import httpx
import pytest

from fake_dinero import Clock, Settings, World

from .support import ORG, get_token


def spend(api: httpx.Client, count: int) -> list[int]:
    return [api.get(f"/v1/{ORG}/contacts").status_code for _ in range(count)]


def test_hundred_requests_in_a_minute_pass(api: httpx.Client) -> None:
    assert set(spend(api, 100)) == {200}


def test_the_101st_request_in_a_minute_is_429_with_dinero_text(api: httpx.Client) -> None:
    spend(api, 100)
    response = api.get(f"/v1/{ORG}/contacts")
    assert response.status_code == 429
    assert response.headers["content-type"].startswith("text/plain")
    assert response.text.startswith("API calls quota exceeded!")
    assert response.text == "API calls quota exceeded! maximum admitted 100 per 1m."


def test_429_says_when_to_retry(api: httpx.Client, clock: Clock) -> None:
    spend(api, 100)
    clock.advance(45)
    assert api.get(f"/v1/{ORG}/contacts").headers["retry-after"] == "15"


def test_requests_pass_again_once_the_window_rolls_on(api: httpx.Client, clock: Clock) -> None:
    spend(api, 100)
    clock.advance(60)
    assert api.get(f"/v1/{ORG}/contacts").status_code == 200


def test_the_window_rolls_rather_than_resets(api: httpx.Client, clock: Clock) -> None:
    spend(api, 50)
    clock.advance(30)
    spend(api, 50)
    clock.advance(30)  # the first 50 have left the window, the last 50 have not
    assert set(spend(api, 50)) == {200}
    assert api.get(f"/v1/{ORG}/contacts").status_code == 429


def test_refused_requests_do_not_extend_the_wait(api: httpx.Client, clock: Clock) -> None:
    spend(api, 100)
    for _ in range(20):
        clock.advance(1)
        assert api.get(f"/v1/{ORG}/contacts").status_code == 429
    clock.advance(40)
    assert api.get(f"/v1/{ORG}/contacts").status_code == 200


def test_the_token_endpoint_is_not_limited(anonymous: httpx.Client, api: httpx.Client) -> None:
    spend(api, 100)
    assert get_token(anonymous).status_code == 200


def test_each_client_has_its_own_quota(anonymous: httpx.Client, api: httpx.Client, world: World) -> None:
    world.add_client("second-client", "second-secret")
    spend(api, 100)
    token = anonymous.post(
        "/dineroapi/oauth/token",
        data={"grant_type": "password", "username": "fake-dinero-api-key", "password": "fake-dinero-api-key"},
        auth=("second-client", "second-secret"),
    ).json()["access_token"]
    response = anonymous.get(f"/v1/{ORG}/contacts", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


def test_each_organization_has_its_own_quota(anonymous: httpx.Client, api: httpx.Client, world: World) -> None:
    other = world.add_organization(Id=654321)
    world.add_api_key(other, "other-key")
    spend(api, 100)
    token = get_token(anonymous, api_key="other-key").json()["access_token"]
    response = anonymous.get("/v1/654321/contacts", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200


@pytest.mark.parametrize("settings", [Settings(rate_limit=5)])
def test_the_limit_is_configurable(api: httpx.Client) -> None:
    assert spend(api, 6) == [200] * 5 + [429]


@pytest.mark.parametrize("settings", [Settings(rate_limit=5, rate_window_seconds=10)])
def test_the_window_is_configurable(api: httpx.Client, clock: Clock) -> None:
    spend(api, 5)
    assert api.get(f"/v1/{ORG}/contacts").text == "API calls quota exceeded! maximum admitted 5 per 10s."
    clock.advance(10)
    assert api.get(f"/v1/{ORG}/contacts").status_code == 200


@pytest.mark.parametrize("settings", [Settings(rate_limit=None)])
def test_the_limit_can_be_switched_off(api: httpx.Client) -> None:
    assert set(spend(api, 150)) == {200}
