"""``POST /connect/token``: the code exchange, client authentication, client credentials, and
each OAuth error by what really triggers it (reference §3.2)."""

from __future__ import annotations

import base64

import httpx
import jwt

from fake_dinero import Clock, World

from .support import (
    ISV_ID,
    ISV_SECRET,
    ORG,
    REDIRECT_URI,
    VERIFIER,
    authorize,
    bearer,
    exchange,
    login,
    oauth_error,
    redirected,
)


def code(visma: httpx.Client, **params: str | None) -> str:
    return redirected(authorize(visma, **params))["code"]


def test_the_code_exchange_answers_id_access_and_refresh_tokens(visma: httpx.Client) -> None:
    response = exchange(visma, code(visma))
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["id_token", "access_token", "expires_in", "token_type", "refresh_token", "scope"]
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 3600)
    assert body["scope"] == "openid dineropublicapi:read dineropublicapi:write offline_access"
    assert response.headers["cache-control"] == "no-store"


def test_no_refresh_token_without_offline_access(visma: httpx.Client) -> None:
    assert "refresh_token" not in login(visma, scope="openid dineropublicapi:read")


def test_client_credentials_may_come_in_the_form_body(visma: httpx.Client) -> None:
    form = {
        "grant_type": "authorization_code",
        "code": code(visma),
        "redirect_uri": REDIRECT_URI,
        "code_verifier": VERIFIER,
        "client_id": ISV_ID,
        "client_secret": ISV_SECRET,
    }
    assert visma.post("/connect/token", data=form).status_code == 200


def test_basic_credentials_are_form_decoded_as_rfc_6749_says(visma: httpx.Client, world: World) -> None:
    world.add_connect_client(ISV_ID, "s3cr:t+/", redirect_uris=(REDIRECT_URI,))
    encoded = base64.b64encode(f"{ISV_ID}:s3cr%3At%2B%2F".encode()).decode()
    form = {"grant_type": "authorization_code", "code": code(visma), "redirect_uri": REDIRECT_URI}
    response = visma.post(
        "/connect/token", data={**form, "code_verifier": VERIFIER}, headers={"Authorization": f"Basic {encoded}"}
    )
    assert response.status_code == 200


# -- invalid_client, invalid_request, unsupported_grant_type -------------------------------


def test_a_wrong_client_secret_is_invalid_client(visma: httpx.Client) -> None:
    form = {"grant_type": "authorization_code", "code": code(visma), "redirect_uri": REDIRECT_URI}
    oauth_error(visma.post("/connect/token", data=form, auth=(ISV_ID, "wrong")), "invalid_client")


def test_an_unknown_client_is_invalid_client(visma: httpx.Client) -> None:
    form = {"grant_type": "authorization_code", "code": code(visma), "redirect_uri": REDIRECT_URI}
    oauth_error(visma.post("/connect/token", data=form, auth=("isv_nobody", ISV_SECRET)), "invalid_client")


def test_no_client_credentials_at_all_is_invalid_client(visma: httpx.Client) -> None:
    form = {"grant_type": "authorization_code", "code": code(visma), "redirect_uri": REDIRECT_URI}
    oauth_error(visma.post("/connect/token", data=form), "invalid_client")


def test_the_legacy_client_is_not_a_visma_connect_client(visma: httpx.Client) -> None:
    form = {"grant_type": "client_credentials"}
    response = visma.post("/connect/token", data=form, auth=("fake-dinero-client", "fake-dinero-secret"))
    oauth_error(response, "invalid_client")


def test_a_json_body_is_invalid_request(visma: httpx.Client) -> None:
    response = visma.post(
        "/connect/token",
        json={"grant_type": "authorization_code", "code": code(visma), "redirect_uri": REDIRECT_URI},
        auth=(ISV_ID, ISV_SECRET),
    )
    oauth_error(response, "invalid_request")


def test_the_password_grant_is_unsupported_at_visma_connect(visma: httpx.Client) -> None:
    form = {"grant_type": "password", "username": "anna@example.dk", "password": "x"}
    oauth_error(visma.post("/connect/token", data=form, auth=(ISV_ID, ISV_SECRET)), "unsupported_grant_type")


def test_a_missing_grant_type_is_unsupported(visma: httpx.Client) -> None:
    oauth_error(visma.post("/connect/token", data={"code": "x"}, auth=(ISV_ID, ISV_SECRET)), "unsupported_grant_type")


# -- invalid_grant: the code ---------------------------------------------------------------


def test_a_code_works_once(visma: httpx.Client) -> None:
    the_code = code(visma)
    assert exchange(visma, the_code).status_code == 200
    oauth_error(exchange(visma, the_code), "invalid_grant")


def test_a_second_use_of_a_code_leaves_the_first_tokens_working(
    visma: httpx.Client, anonymous: httpx.Client
) -> None:
    the_code = code(visma)
    tokens = exchange(visma, the_code).json()
    exchange(visma, the_code)
    assert anonymous.get("/v1/organizations", headers=bearer(tokens["access_token"])).status_code == 200


def test_a_code_lives_five_minutes(visma: httpx.Client, clock: Clock) -> None:
    fresh, stale = code(visma), code(visma)
    clock.advance(299)
    assert exchange(visma, fresh).status_code == 200
    clock.advance(1)
    oauth_error(exchange(visma, stale), "invalid_grant")


def test_an_unknown_code_is_invalid_grant(visma: httpx.Client) -> None:
    oauth_error(exchange(visma, "0" * 64), "invalid_grant")


def test_a_wrong_code_verifier_is_invalid_grant(visma: httpx.Client) -> None:
    oauth_error(exchange(visma, code(visma), code_verifier="x" * 43), "invalid_grant")


def test_a_missing_code_verifier_is_invalid_grant(visma: httpx.Client) -> None:
    oauth_error(exchange(visma, code(visma), code_verifier=None), "invalid_grant")


def test_a_code_verifier_without_a_challenge_is_invalid_grant(visma: httpx.Client) -> None:
    # IdentityServer's "Unexpected code_verifier": a verifier for a code issued without
    # a challenge is invalid_grant, so a client cannot believe it used PKCE when it did not.
    the_code = code(visma, code_challenge=None, code_challenge_method=None)
    body = oauth_error(exchange(visma, the_code), "invalid_grant")
    assert "no code_verifier is expected" in body["error_description"]


def test_a_code_issued_without_a_challenge_fails_once_the_client_requires_pkce(
    visma: httpx.Client, world: World
) -> None:
    the_code = code(visma, code_challenge=None, code_challenge_method=None)
    world.add_connect_client(ISV_ID, ISV_SECRET, redirect_uris=(REDIRECT_URI,), require_pkce=True)
    oauth_error(exchange(visma, the_code, code_verifier=None), "invalid_grant")


def test_a_redirect_uri_other_than_the_authorize_one_is_invalid_grant(visma: httpx.Client, world: World) -> None:
    world.add_connect_client(ISV_ID, ISV_SECRET, redirect_uris=(REDIRECT_URI, REDIRECT_URI + "/other"))
    oauth_error(exchange(visma, code(visma), redirect_uri=REDIRECT_URI + "/other"), "invalid_grant")


def test_a_missing_redirect_uri_is_unauthorized_client_as_identityserver_answers(visma: httpx.Client) -> None:
    oauth_error(exchange(visma, code(visma), redirect_uri=None), "unauthorized_client")


def test_a_code_issued_to_another_client_is_invalid_grant(visma: httpx.Client, world: World) -> None:
    world.add_connect_client("isv_other", "other-secret", redirect_uris=(REDIRECT_URI,))
    form = {"grant_type": "authorization_code", "code": code(visma), "redirect_uri": REDIRECT_URI}
    form["code_verifier"] = VERIFIER
    response = visma.post("/connect/token", data=form, auth=("isv_other", "other-secret"))
    oauth_error(response, "invalid_grant")


# -- client_credentials --------------------------------------------------------------------


def test_client_credentials_are_off_by_default_as_dinero_takes_only_web_apps(visma: httpx.Client) -> None:
    response = visma.post("/connect/token", data={"grant_type": "client_credentials"}, auth=(ISV_ID, ISV_SECRET))
    oauth_error(response, "unauthorized_client")


def service(world: World) -> None:
    world.add_connect_client(
        ISV_ID, ISV_SECRET, redirect_uris=(REDIRECT_URI,), allow_client_credentials=True, tenant_organization_ids=(ORG,)
    )


def test_a_client_allowed_client_credentials_gets_an_api_token_for_its_tenants(
    visma: httpx.Client, world: World, anonymous: httpx.Client
) -> None:
    service(world)
    response = visma.post("/connect/token", data={"grant_type": "client_credentials"}, auth=(ISV_ID, ISV_SECRET))
    body = response.json()
    assert set(body) == {"access_token", "expires_in", "token_type", "scope"}
    assert body["scope"] == "dineropublicapi:read dineropublicapi:write"
    assert "sub" not in jwt.decode(body["access_token"], options={"verify_signature": False})
    assert anonymous.get(f"/v1/{ORG}/contacts", headers=bearer(body["access_token"])).status_code == 200


def test_client_credentials_cannot_ask_for_a_refresh_token(visma: httpx.Client, world: World) -> None:
    service(world)
    form = {"grant_type": "client_credentials", "scope": "dineropublicapi:read offline_access"}
    oauth_error(visma.post("/connect/token", data=form, auth=(ISV_ID, ISV_SECRET)), "invalid_scope")


def test_client_credentials_for_a_tenant_that_is_not_the_clients_is_invalid_grant(
    visma: httpx.Client, world: World
) -> None:
    service(world)
    form = {"grant_type": "client_credentials", "tenant_id": "999"}
    oauth_error(visma.post("/connect/token", data=form, auth=(ISV_ID, ISV_SECRET)), "invalid_grant")
