"""The legacy token endpoint and Dinero's bearer-token rules (reference §3.1)."""

from __future__ import annotations

import base64
import json

import httpx
import jwt

from fake_dinero import Clock, World
from fake_dinero.world import DEFAULT_API_KEY, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

from .support import ORG, get_token


def test_password_grant_returns_a_one_hour_bearer_token_without_refresh_token(anonymous: httpx.Client) -> None:
    response = get_token(anonymous)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "expires_in", "refresh_token"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["refresh_token"] is None


def test_access_token_is_a_jwt_carrying_client_and_expiry(anonymous: httpx.Client, clock: Clock) -> None:
    token = get_token(anonymous).json()["access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["client_id"] == DEFAULT_CLIENT_ID
    assert claims["exp"] - claims["nbf"] == 3600
    assert claims["nbf"] == int(clock.timestamp())


def test_the_access_token_is_signed_hs256_with_the_worlds_key(anonymous: httpx.Client, world: World) -> None:
    token = get_token(anonymous).json()["access_token"]
    key, audience = world.token_signing_key, "http://api.dinero.dk"
    claims = jwt.decode(token, key, algorithms=["HS256"], audience=audience, options={"verify_exp": False})
    assert claims["iss"] == "urn:dineroauthz"


def test_client_credentials_may_come_in_the_form_body(anonymous: httpx.Client) -> None:
    response = anonymous.post(
        "/dineroapi/oauth/token",
        data={
            "grant_type": "password",
            "username": DEFAULT_API_KEY,
            "password": DEFAULT_API_KEY,
            "client_id": DEFAULT_CLIENT_ID,
            "client_secret": DEFAULT_CLIENT_SECRET,
        },
    )
    assert response.status_code == 200


def test_scope_may_be_left_out(anonymous: httpx.Client) -> None:
    response = anonymous.post(
        "/dineroapi/oauth/token",
        data={"grant_type": "password", "username": DEFAULT_API_KEY, "password": DEFAULT_API_KEY},
        auth=(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
    )
    assert response.status_code == 200


def test_wrong_api_key_is_invalid_grant(anonymous: httpx.Client) -> None:
    response = get_token(anonymous, api_key="not-a-key")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_api_key_must_be_both_username_and_password(anonymous: httpx.Client) -> None:
    response = get_token(anonymous, password="something-else")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


def test_wrong_client_secret_is_invalid_client(anonymous: httpx.Client) -> None:
    response = anonymous.post(
        "/dineroapi/oauth/token",
        data={"grant_type": "password", "username": DEFAULT_API_KEY, "password": DEFAULT_API_KEY},
        auth=(DEFAULT_CLIENT_ID, "wrong"),
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_missing_client_credentials_are_invalid_client(anonymous: httpx.Client) -> None:
    response = anonymous.post(
        "/dineroapi/oauth/token",
        data={"grant_type": "password", "username": DEFAULT_API_KEY, "password": DEFAULT_API_KEY},
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


def test_other_grant_types_are_unsupported(anonymous: httpx.Client) -> None:
    response = get_token(anonymous, grant_type="client_credentials")
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"


def test_a_json_token_request_is_unsupported_grant_type_saying_the_body_must_be_a_form(
    anonymous: httpx.Client,
) -> None:
    # A published .NET client (RestEase, body without a form attribute) posts the password
    # grant as JSON. Dinero's token endpoint is Katana's OAuth server: it reads the body as
    # a form, finds no grant_type, and answers unsupported_grant_type (Katana's
    # OAuthAuthorizationServerHandler, after authenticating the client by HTTP Basic).
    credentials = base64.b64encode(f"{DEFAULT_CLIENT_ID}:{DEFAULT_CLIENT_SECRET}".encode()).decode()
    response = anonymous.post(
        "/dineroapi/oauth/token",
        content=json.dumps({"grant_type": "password", "username": DEFAULT_API_KEY, "password": DEFAULT_API_KEY}),
        headers={"Authorization": f"Basic {credentials}", "Content-Type": "application/json; charset=utf-8"},
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "unsupported_grant_type"
    assert "must be application/x-www-form-urlencoded" in body["error_description"]
    assert "came as application/json" in body["error_description"]


def test_a_form_sent_with_another_content_type_is_read_as_a_form(anonymous: httpx.Client) -> None:
    # Katana's ReadFormAsync parses the body whatever its Content-Type says.
    response = anonymous.post(
        "/dineroapi/oauth/token",
        content=f"grant_type=password&username={DEFAULT_API_KEY}&password={DEFAULT_API_KEY}",
        headers={"Content-Type": "text/plain"},
        auth=(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
    )
    assert response.status_code == 200, response.text


def test_a_form_without_grant_type_says_which_grant_to_send(anonymous: httpx.Client) -> None:
    response = anonymous.post(
        "/dineroapi/oauth/token",
        data={"username": DEFAULT_API_KEY, "password": DEFAULT_API_KEY},
        auth=(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
    )
    assert response.status_code == 400
    assert response.json()["error"] == "unsupported_grant_type"
    assert "grant_type=password" in response.json()["error_description"]


def test_client_credentials_inside_a_json_body_are_not_read(anonymous: httpx.Client) -> None:
    response = anonymous.post(
        "/dineroapi/oauth/token",
        json={"grant_type": "password", "client_id": DEFAULT_CLIENT_ID, "client_secret": DEFAULT_CLIENT_SECRET},
    )
    assert response.json()["error"] == "invalid_client"
    assert "HTTP Basic" in response.json()["error_description"]


def test_calls_without_a_bearer_token_are_401(anonymous: httpx.Client) -> None:
    response = anonymous.get(f"/v1/{ORG}/contacts")
    assert response.status_code == 401
    assert response.json() == {"message": "Authorization has been denied for this request."}
    assert response.headers["www-authenticate"] == "Bearer"


def test_malformed_authorization_header_is_401(anonymous: httpx.Client) -> None:
    token = get_token(anonymous).json()["access_token"]
    response = anonymous.get(f"/v1/{ORG}/contacts", headers={"Authorization": f"Token {token}"})
    assert response.status_code == 401


def test_unknown_bearer_token_is_401(anonymous: httpx.Client) -> None:
    response = anonymous.get(f"/v1/{ORG}/contacts", headers={"Authorization": "Bearer made-up"})
    assert response.status_code == 401


def test_token_stops_working_when_the_clock_passes_its_hour(api: httpx.Client, clock: Clock) -> None:
    clock.advance(3599)
    assert api.get(f"/v1/{ORG}/contacts").status_code == 200
    clock.advance(1)
    assert api.get(f"/v1/{ORG}/contacts").status_code == 401


def test_token_for_another_organization_is_401(anonymous: httpx.Client, world: World) -> None:
    other = world.add_organization(Id=654321, Name="Anden ApS")
    world.add_api_key(other, "other-key")
    token = get_token(anonymous, api_key="other-key").json()["access_token"]
    response = anonymous.get(f"/v1/{ORG}/contacts", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def test_organization_id_that_is_not_a_number_is_401(api: httpx.Client) -> None:
    assert api.get("/v1/demo/contacts").status_code == 401


def test_token_is_bound_to_the_organization_of_its_api_key(anonymous: httpx.Client, world: World) -> None:
    other = world.add_organization(Id=654321, Name="Anden ApS")
    world.add_api_key(other, "other-key")
    token = get_token(anonymous, api_key="other-key").json()["access_token"]
    response = anonymous.get("/v1/organizations", headers={"Authorization": f"Bearer {token}"})
    assert response.json() == [{"id": 654321, "name": "Anden ApS", "isPro": True}]
