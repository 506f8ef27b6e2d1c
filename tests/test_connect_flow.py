"""The whole Visma Connect login as a real integration does it, with authlib's OAuth 2.0 client:
discovery, authorize with PKCE, code exchange, API calls, refresh in both modes, and a replay
after the grace period that ends every token of the grant."""

from __future__ import annotations

import warnings
from collections.abc import Iterator

import authlib.deprecate
import pytest
from authlib.common.security import generate_token

from fake_dinero import Clock, FakeDinero, World

from .support import ISV_ID, ISV_SECRET, ORG, REDIRECT_URI, VISMA, FakeTransport

with warnings.catch_warnings():
    # authlib 1.9 warns on import that it would rather use httpx2; this project uses httpx.
    warnings.simplefilter("ignore", authlib.deprecate.AuthlibDeprecationWarning)
    from authlib.integrations.httpx_client import OAuth2Client, OAuthError

API = "https://api.dinero.dk"
SCOPE = "openid dineropublicapi:read dineropublicapi:write offline_access"


@pytest.fixture
def integration(fake: FakeDinero) -> Iterator[OAuth2Client]:
    """An integration's OAuth client, configured from Visma Connect's discovery document."""
    client = OAuth2Client(
        ISV_ID,
        ISV_SECRET,
        scope=SCOPE,
        redirect_uri=REDIRECT_URI,
        code_challenge_method="S256",
        transport=FakeTransport(fake),
    )
    with client:
        yield client


def sign_in(client: OAuth2Client) -> dict:
    """What the integration's web app does: send the user to authorize, take the code back."""
    discovery = client.request("GET", f"{VISMA}/.well-known/openid-configuration", withhold_token=True).json()
    verifier = generate_token(64)
    url, state = client.create_authorization_url(
        discovery["authorization_endpoint"], code_verifier=verifier, nonce=generate_token(16)
    )
    callback = client.request("GET", url, withhold_token=True).headers["location"]
    return client.fetch_token(
        discovery["token_endpoint"], authorization_response=callback, state=state, code_verifier=verifier
    )


@pytest.fixture
def anna(world: World) -> None:
    world.add_connect_user("anna@example.dk", [ORG], name="Anna Andersen")


def provision(world: World, **settings: object) -> None:
    world.add_connect_client(ISV_ID, ISV_SECRET, redirect_uris=(REDIRECT_URI,), **settings)


@pytest.mark.usefixtures("anna")
def test_sign_in_with_pkce_and_call_the_api(integration: OAuth2Client, world: World) -> None:
    provision(world)
    token = sign_in(integration)
    assert {"access_token", "id_token", "refresh_token"} <= set(token)
    assert integration.get(f"{API}/v1/organizations").json() == [
        {"id": ORG, "name": "Demo Regnskab ApS", "isPro": True}
    ]
    created = integration.post(f"{API}/v1/{ORG}/contacts", json={"Name": "Æblegården ApS", "CountryKey": "DK"})
    assert created.status_code == 200


@pytest.mark.usefixtures("anna")
def test_refresh_in_reuse_mode_keeps_the_refresh_token(integration: OAuth2Client, world: World) -> None:
    provision(world, refresh_token_usage="reuse")
    first = sign_in(integration)
    second = integration.refresh_token(f"{VISMA}/connect/token")
    assert second["refresh_token"] == first["refresh_token"]
    assert second["access_token"] != first["access_token"]
    assert integration.get(f"{API}/v1/{ORG}/contacts").status_code == 200


@pytest.mark.usefixtures("anna")
def test_refresh_in_one_time_mode_rotates_and_a_late_replay_ends_the_grant(
    integration: OAuth2Client, world: World, clock: Clock
) -> None:
    provision(world, refresh_token_usage="onetime", refresh_token_grace_seconds=5)
    first = sign_in(integration)
    second = integration.refresh_token(f"{VISMA}/connect/token")
    assert second["refresh_token"] != first["refresh_token"]
    assert integration.get(f"{API}/v1/{ORG}/contacts").status_code == 200

    clock.advance(6)  # past the grace period, a copy of the old refresh token comes back
    with pytest.raises(OAuthError) as replay:
        integration.refresh_token(f"{VISMA}/connect/token", refresh_token=first["refresh_token"])
    assert replay.value.error == "invalid_grant"

    assert integration.get(f"{API}/v1/{ORG}/contacts").status_code == 401
    for access_token in (first["access_token"], second["access_token"]):
        headers = {"Authorization": f"Bearer {access_token}"}
        assert integration.get(f"{API}/v1/{ORG}/contacts", auth=None, headers=headers).status_code == 401
    with pytest.raises(OAuthError) as rotated:
        integration.refresh_token(f"{VISMA}/connect/token", refresh_token=second["refresh_token"])
    assert rotated.value.error == "invalid_grant"


@pytest.mark.usefixtures("anna")
def test_sign_in_without_pkce_as_a_published_client_does(fake: FakeDinero, world: World) -> None:
    # A published Dinero client sends no code_challenge; PKCE is a per-application
    # setting in Visma Connect, and the default application does not require it.
    provision(world)
    with OAuth2Client(
        ISV_ID, ISV_SECRET, scope=SCOPE, redirect_uri=REDIRECT_URI, transport=FakeTransport(fake)
    ) as plain:
        url, state = plain.create_authorization_url(f"{VISMA}/connect/authorize")
        assert "code_challenge" not in url
        callback = plain.request("GET", url, withhold_token=True).headers["location"]
        plain.fetch_token(f"{VISMA}/connect/token", authorization_response=callback, state=state)
        assert plain.get(f"{API}/v1/organizations").status_code == 200


@pytest.mark.usefixtures("anna")
def test_the_user_is_read_from_the_userinfo_endpoint_discovery_names(integration: OAuth2Client, world: World) -> None:
    provision(world)
    integration.scope = f"{SCOPE} profile email"
    sign_in(integration)
    discovery = integration.request("GET", f"{VISMA}/.well-known/openid-configuration", withhold_token=True).json()
    claims = integration.get(discovery["userinfo_endpoint"]).json()
    assert (claims["name"], claims["email"]) == ("Anna Andersen", "anna@example.dk")


@pytest.mark.usefixtures("anna")
def test_signing_out_revokes_the_refresh_token_so_it_stops_working(integration: OAuth2Client, world: World) -> None:
    provision(world)
    token = sign_in(integration)
    discovery = integration.request("GET", f"{VISMA}/.well-known/openid-configuration", withhold_token=True).json()
    revoked = integration.revoke_token(
        discovery["revocation_endpoint"], token=token["refresh_token"], token_type_hint="refresh_token"
    )
    assert revoked.status_code == 200
    with pytest.raises(OAuthError) as refused:
        integration.refresh_token(discovery["token_endpoint"])
    assert refused.value.error == "invalid_grant"
