"""Refresh tokens: re-use and one-time modes, the grace period, lifetime, and replay
detection that revokes a whole authorization (reference §3.3)."""

from __future__ import annotations

import httpx
import pytest

from fake_dinero import Clock, World

from .support import ISV_ID, ISV_SECRET, ORG, REDIRECT_URI, bearer, login, oauth_error, refresh


def configure(world: World, **settings: object) -> None:
    world.add_connect_client(ISV_ID, ISV_SECRET, redirect_uris=(REDIRECT_URI,), **settings)


def works(anonymous: httpx.Client, access_token: str) -> bool:
    return anonymous.get(f"/v1/{ORG}/contacts", headers=bearer(access_token)).status_code == 200


def test_reuse_mode_gives_back_the_same_refresh_token(visma: httpx.Client, world: World) -> None:
    configure(world, refresh_token_usage="reuse")
    first = login(visma)["refresh_token"]
    assert refresh(visma, first).json()["refresh_token"] == first
    assert refresh(visma, first).json()["refresh_token"] == first


def test_a_refresh_answers_new_access_and_id_tokens(visma: httpx.Client, anonymous: httpx.Client) -> None:
    tokens = login(visma)
    body = refresh(visma, tokens["refresh_token"]).json()
    assert body["access_token"] != tokens["access_token"]
    assert "id_token" in body
    assert works(anonymous, body["access_token"])


def test_one_time_mode_rotates_the_refresh_token(visma: httpx.Client) -> None:
    first = login(visma)["refresh_token"]
    second = refresh(visma, first).json()["refresh_token"]
    assert second != first
    assert refresh(visma, second).status_code == 200


def test_a_used_one_time_token_is_invalid_grant(visma: httpx.Client) -> None:
    first = login(visma)["refresh_token"]
    refresh(visma, first)
    oauth_error(refresh(visma, first), "invalid_grant")


def test_one_time_tokens_have_no_grace_period_unless_the_application_sets_one(world: World) -> None:
    # Visma's grace period (5-60 s) came as a setting an application opts into; before
    # it, a second exchange of a one-time token always failed (NEWS-GRACE). So an
    # application that never set it has none.
    configure(world)
    assert world.connect_clients[ISV_ID].refresh_token_grace_seconds == 0


def test_replaying_a_used_token_revokes_every_token_of_that_authorization(
    visma: httpx.Client, anonymous: httpx.Client
) -> None:
    tokens = login(visma)
    rotated = refresh(visma, tokens["refresh_token"]).json()
    refresh(visma, tokens["refresh_token"])  # the replay
    assert not works(anonymous, tokens["access_token"])
    assert not works(anonymous, rotated["access_token"])
    oauth_error(refresh(visma, rotated["refresh_token"]), "invalid_grant")


def test_a_replay_leaves_the_users_other_authorizations_alone(
    visma: httpx.Client, anonymous: httpx.Client
) -> None:
    other = login(visma)
    tokens = login(visma)
    refresh(visma, tokens["refresh_token"])
    refresh(visma, tokens["refresh_token"])
    assert works(anonymous, other["access_token"])
    assert refresh(visma, other["refresh_token"]).status_code == 200


def test_within_the_grace_period_a_used_token_may_be_exchanged_again(
    visma: httpx.Client, world: World, clock: Clock, anonymous: httpx.Client
) -> None:
    configure(world, refresh_token_grace_seconds=10)
    first = login(visma)["refresh_token"]
    winner = refresh(visma, first).json()
    clock.advance(9)
    loser = refresh(visma, first)
    assert loser.status_code == 200
    assert works(anonymous, winner["access_token"])
    assert refresh(visma, winner["refresh_token"]).status_code == 200
    assert refresh(visma, loser.json()["refresh_token"]).status_code == 200


def test_after_the_grace_period_a_replay_revokes_the_authorization(
    visma: httpx.Client, world: World, clock: Clock, anonymous: httpx.Client
) -> None:
    configure(world, refresh_token_grace_seconds=10)
    first = login(visma)["refresh_token"]
    rotated = refresh(visma, first).json()
    clock.advance(10)
    oauth_error(refresh(visma, first), "invalid_grant")
    assert not works(anonymous, rotated["access_token"])
    oauth_error(refresh(visma, rotated["refresh_token"]), "invalid_grant")


def test_changed_settings_apply_to_tokens_issued_after_the_next_login(
    visma: httpx.Client, world: World, clock: Clock
) -> None:
    old = login(visma)["refresh_token"]
    configure(world, refresh_token_grace_seconds=30)
    new = login(visma)["refresh_token"]
    refresh(visma, old)
    refresh(visma, new)
    clock.advance(5)
    oauth_error(refresh(visma, old), "invalid_grant")
    assert refresh(visma, new).status_code == 200


def test_a_refresh_token_lives_the_clients_number_of_days(visma: httpx.Client, world: World, clock: Clock) -> None:
    configure(world, refresh_token_usage="reuse", refresh_token_lifetime_days=2)
    token = login(visma)["refresh_token"]
    clock.advance(days=2, seconds=-1)
    assert refresh(visma, token).status_code == 200
    clock.advance(1)
    oauth_error(refresh(visma, token), "invalid_grant")


def test_rotation_does_not_extend_the_lifetime(visma: httpx.Client, world: World, clock: Clock) -> None:
    configure(world, refresh_token_lifetime_days=1)
    token = login(visma)["refresh_token"]
    clock.advance(hours=23)
    token = refresh(visma, token).json()["refresh_token"]
    clock.advance(hours=1)
    oauth_error(refresh(visma, token), "invalid_grant")


def test_the_default_lifetime_is_thirty_days(visma: httpx.Client, world: World, clock: Clock) -> None:
    configure(world, refresh_token_usage="reuse")
    token = login(visma)["refresh_token"]
    clock.advance(days=30)
    oauth_error(refresh(visma, token), "invalid_grant")


def test_a_refresh_may_ask_for_fewer_scopes(visma: httpx.Client, anonymous: httpx.Client) -> None:
    body = refresh(visma, login(visma)["refresh_token"], scope="dineropublicapi:read").json()
    assert body["scope"] == "dineropublicapi:read"
    response = anonymous.post(
        f"/v1/{ORG}/contacts", json={"Name": "A", "CountryKey": "DK"}, headers=bearer(body["access_token"])
    )
    assert response.status_code == 403


def test_a_refresh_asking_for_more_scopes_is_invalid_scope(visma: httpx.Client) -> None:
    token = login(visma, scope="openid dineropublicapi:read offline_access")["refresh_token"]
    oauth_error(refresh(visma, token, scope="dineropublicapi:read dineropublicapi:write"), "invalid_scope")


def test_a_missing_refresh_token_is_invalid_request(visma: httpx.Client) -> None:
    response = visma.post("/connect/token", data={"grant_type": "refresh_token"}, auth=(ISV_ID, ISV_SECRET))
    oauth_error(response, "invalid_request")


def test_an_unknown_refresh_token_is_invalid_grant(visma: httpx.Client) -> None:
    oauth_error(refresh(visma, "F" * 64), "invalid_grant")


def test_another_clients_refresh_token_is_invalid_grant(visma: httpx.Client, world: World) -> None:
    world.add_connect_client("isv_other", "other-secret", redirect_uris=(REDIRECT_URI,))
    token = login(visma)["refresh_token"]
    response = visma.post(
        "/connect/token",
        data={"grant_type": "refresh_token", "refresh_token": token},
        auth=("isv_other", "other-secret"),
    )
    oauth_error(response, "invalid_grant")


def test_a_refresh_for_a_user_who_is_gone_is_invalid_grant(visma: httpx.Client, world: World) -> None:
    token = login(visma)["refresh_token"]
    world.connect_users.clear()
    oauth_error(refresh(visma, token), "invalid_grant")


def test_a_refresh_token_usage_other_than_reuse_or_onetime_is_refused(world: World) -> None:
    with pytest.raises(ValueError, match="reuse"):
        configure(world, refresh_token_usage="sometimes")
