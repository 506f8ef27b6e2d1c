"""Dinero's API with a Visma Connect token: the user's organizations, scopes, expiry,
and the legacy token beside it (reference §3.2, §6.10)."""

from __future__ import annotations

import httpx
import pytest

from fake_dinero import Clock, Settings, World
from fake_dinero.provisioning import ConnectUser

from .support import ISV_ID, ISV_SECRET, ORG, REDIRECT_URI, bearer, dinero_error, get_token, login

OTHER = 654321


@pytest.fixture
def two_organizations(world: World, visma_user: ConnectUser) -> ConnectUser:
    world.add_organization(Id=OTHER, Name="Anden ApS")
    return world.add_connect_user(visma_user.email, [ORG, OTHER], name=visma_user.name)


def token(visma: httpx.Client, scope: str = "openid dineropublicapi:read dineropublicapi:write") -> str:
    return login(visma, scope=scope)["access_token"]


def new_contact(anonymous: httpx.Client, access_token: str, organization: int = ORG) -> httpx.Response:
    contact = {"Name": "Æblegården ApS", "CountryKey": "DK"}
    return anonymous.post(f"/v1/{organization}/contacts", json=contact, headers=bearer(access_token))


@pytest.mark.usefixtures("two_organizations")
def test_organizations_lists_every_organization_of_the_user(visma: httpx.Client, anonymous: httpx.Client) -> None:
    response = anonymous.get("/v1/organizations", headers=bearer(token(visma)))
    assert response.json() == [
        {"id": ORG, "name": "Demo Regnskab ApS", "isPro": True},
        {"id": OTHER, "name": "Anden ApS", "isPro": True},
    ]


@pytest.mark.usefixtures("two_organizations")
def test_one_token_works_for_each_of_the_users_organizations(visma: httpx.Client, anonymous: httpx.Client) -> None:
    access_token = token(visma)
    assert new_contact(anonymous, access_token, ORG).status_code == 200
    assert new_contact(anonymous, access_token, OTHER).status_code == 200
    contacts = anonymous.get(f"/v1/{OTHER}/contacts", headers=bearer(access_token)).json()
    assert contacts["Pagination"]["Result"] == 1


def test_an_organization_the_user_cannot_reach_is_401(
    visma: httpx.Client, anonymous: httpx.Client, world: World
) -> None:
    world.add_organization(Id=OTHER, Name="Anden ApS")
    response = anonymous.get(f"/v1/{OTHER}/contacts", headers=bearer(token(visma)))
    assert response.status_code == 401
    assert response.json() == {"message": "Authorization has been denied for this request."}


@pytest.mark.usefixtures("two_organizations")
def test_access_taken_away_is_refused_on_the_next_call(
    visma: httpx.Client, anonymous: httpx.Client, world: World, visma_user: ConnectUser
) -> None:
    access_token = token(visma)
    world.add_connect_user(visma_user.email, [ORG])
    assert anonymous.get(f"/v1/{OTHER}/contacts", headers=bearer(access_token)).status_code == 401


def test_a_token_without_write_scope_is_403_code_41_on_a_write(visma: httpx.Client, anonymous: httpx.Client) -> None:
    response = new_contact(anonymous, token(visma, "dineropublicapi:read"))
    body = dinero_error(response, 403, 41)
    assert "dineropublicapi:write" in body["message"]
    assert response.headers["www-authenticate"] == 'Bearer error="insufficient_scope", scope="dineropublicapi:write"'


def test_a_token_without_write_scope_may_still_read(visma: httpx.Client, anonymous: httpx.Client) -> None:
    access_token = token(visma, "dineropublicapi:read")
    assert anonymous.get(f"/v1/{ORG}/contacts", headers=bearer(access_token)).status_code == 200


def test_a_token_without_read_scope_is_403_on_a_read(visma: httpx.Client, anonymous: httpx.Client) -> None:
    access_token = token(visma, "dineropublicapi:write")
    dinero_error(anonymous.get("/v1/organizations", headers=bearer(access_token)), 403, 41)
    assert new_contact(anonymous, access_token).status_code == 200


def test_a_read_only_token_cannot_delete(visma: httpx.Client, anonymous: httpx.Client) -> None:
    writer = token(visma, "dineropublicapi:read dineropublicapi:write")
    guid = new_contact(anonymous, writer).json()["ContactGuid"]
    reader = token(visma, "dineropublicapi:read")
    dinero_error(anonymous.delete(f"/v1/{ORG}/contacts/{guid}", headers=bearer(reader)), 403, 41)


def test_the_legacy_token_keeps_working_beside_visma_connect(
    visma: httpx.Client, anonymous: httpx.Client
) -> None:
    connect_token = token(visma)
    legacy_token = get_token(anonymous).json()["access_token"]
    assert anonymous.get(f"/v1/{ORG}/contacts", headers=bearer(connect_token)).status_code == 200
    assert new_contact(anonymous, legacy_token).status_code == 200


def test_a_legacy_token_with_read_scope_only_may_still_write_as_before(anonymous: httpx.Client) -> None:
    legacy_token = get_token(anonymous, scope="read").json()["access_token"]
    assert new_contact(anonymous, legacy_token).status_code == 200


def test_the_access_token_stops_working_after_its_hour(
    visma: httpx.Client, anonymous: httpx.Client, clock: Clock
) -> None:
    access_token = token(visma)
    clock.advance(3599)
    assert anonymous.get(f"/v1/{ORG}/contacts", headers=bearer(access_token)).status_code == 200
    clock.advance(1)
    assert anonymous.get(f"/v1/{ORG}/contacts", headers=bearer(access_token)).status_code == 401


def test_the_access_token_lifetime_is_the_clients_setting(
    visma: httpx.Client, anonymous: httpx.Client, clock: Clock, world: World
) -> None:
    world.add_connect_client(ISV_ID, ISV_SECRET, redirect_uris=(REDIRECT_URI,), access_token_lifetime_seconds=600)
    tokens = login(visma)
    assert tokens["expires_in"] == 600
    clock.advance(600)
    assert anonymous.get(f"/v1/{ORG}/contacts", headers=bearer(tokens["access_token"])).status_code == 401


def test_an_organization_without_pro_is_403_code_90_for_a_visma_user(
    visma: httpx.Client, anonymous: httpx.Client, world: World, visma_user: ConnectUser
) -> None:
    world.add_organization(Id=777, Name="Gratis ApS", is_pro=False)
    world.add_connect_user(visma_user.email, [777, ORG])
    access_token = token(visma)
    dinero_error(anonymous.get("/v1/777/contacts", headers=bearer(access_token)), 403, 90)
    assert anonymous.get(f"/v1/{ORG}/contacts", headers=bearer(access_token)).status_code == 200


def test_a_user_with_no_organization_lists_none(
    visma: httpx.Client, anonymous: httpx.Client, world: World, visma_user: ConnectUser
) -> None:
    world.add_connect_user(visma_user.email, [])
    assert anonymous.get("/v1/organizations", headers=bearer(token(visma))).json() == []


@pytest.mark.parametrize("settings", [Settings(rate_limit=2)])
@pytest.mark.usefixtures("two_organizations")
def test_each_organization_of_a_user_has_its_own_quota(visma: httpx.Client, anonymous: httpx.Client) -> None:
    access_token = token(visma)
    calls = [anonymous.get(f"/v1/{ORG}/contacts", headers=bearer(access_token)).status_code for _ in range(3)]
    assert calls == [200, 200, 429]
    assert anonymous.get(f"/v1/{OTHER}/contacts", headers=bearer(access_token)).status_code == 200


@pytest.mark.parametrize("settings", [Settings(rate_limit=1)])
def test_organization_less_calls_count_against_the_users_first_organization(
    visma: httpx.Client, anonymous: httpx.Client
) -> None:
    access_token = token(visma)
    assert anonymous.get("/v1/organizations", headers=bearer(access_token)).status_code == 200
    assert anonymous.get(f"/v1/{ORG}/contacts", headers=bearer(access_token)).status_code == 429
