"""Visma Connect's other IdentityServer endpoints: userinfo, token revocation (RFC 7009),
introspection (RFC 7662) and end session (reference §3.2; IdentityServer's behaviour)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from fake_dinero import Clock, World
from fake_dinero.provisioning import ConnectClient, ConnectUser

from .support import ISV_ID, ISV_SECRET, ORG, REDIRECT_URI, bearer, login, oauth_error, refresh

LOGOUT_URI = "https://app.example.dk/signed-out"


def revoke(
    visma: httpx.Client, token: str, auth: tuple[str, str] = (ISV_ID, ISV_SECRET), **form: str
) -> httpx.Response:
    return visma.post("/connect/revocation", data={"token": token, **form}, auth=auth)


def introspect(visma: httpx.Client, token: str, auth: tuple[str, str] = (ISV_ID, ISV_SECRET), **form: str) -> dict:
    response = visma.post("/connect/introspect", data={"token": token, **form}, auth=auth)
    assert response.status_code == 200, response.text
    return response.json()


# -- userinfo ---------------------------------------------------------------------------


def test_userinfo_answers_the_claims_the_scopes_allow(visma: httpx.Client, visma_user: ConnectUser) -> None:
    access_token = login(visma, scope="openid profile email dineropublicapi:read")["access_token"]
    response = visma.get("/connect/userinfo", headers=bearer(access_token))
    assert response.status_code == 200
    assert response.json() == {
        "sub": visma_user.user_id,
        "name": "Anna Andersen",
        "email": "anna@example.dk",
        "email_verified": True,
    }


def test_userinfo_with_only_openid_answers_the_subject(visma: httpx.Client, visma_user: ConnectUser) -> None:
    access_token = login(visma, scope="openid dineropublicapi:read")["access_token"]
    assert visma.get("/connect/userinfo", headers=bearer(access_token)).json() == {"sub": visma_user.user_id}


def test_userinfo_may_be_posted_with_the_token_in_the_form(visma: httpx.Client, visma_user: ConnectUser) -> None:
    access_token = login(visma)["access_token"]
    response = visma.post("/connect/userinfo", data={"access_token": access_token})
    assert response.json()["sub"] == visma_user.user_id


def test_userinfo_refuses_an_unknown_token_with_401_and_www_authenticate(visma: httpx.Client) -> None:
    response = visma.get("/connect/userinfo", headers=bearer("not-a-token"))
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith('Bearer realm="IdentityServer",error="invalid_token"')


def test_userinfo_refuses_a_request_without_a_token(visma: httpx.Client) -> None:
    response = visma.get("/connect/userinfo")
    assert response.status_code == 401
    assert "Authorization: Bearer" in response.json()["error_description"]


def test_userinfo_refuses_an_expired_token(visma: httpx.Client, clock: Clock) -> None:
    access_token = login(visma)["access_token"]
    clock.advance(3600)
    response = visma.get("/connect/userinfo", headers=bearer(access_token))
    assert response.status_code == 401
    assert 'error_description="The access token expired"' in response.headers["www-authenticate"]


def test_userinfo_refuses_a_legacy_token(visma: httpx.Client, api: httpx.Client) -> None:
    legacy = api.headers["Authorization"].split()[1]
    assert visma.get("/connect/userinfo", headers=bearer(legacy)).status_code == 401


def test_userinfo_needs_the_openid_scope(visma: httpx.Client) -> None:
    access_token = login(visma, scope="dineropublicapi:read")["access_token"]
    response = visma.get("/connect/userinfo", headers=bearer(access_token))
    assert response.status_code == 403
    assert 'error="insufficient_scope"' in response.headers["www-authenticate"]


# -- revocation -------------------------------------------------------------------------


def test_a_revoked_refresh_token_stops_working(visma: httpx.Client) -> None:
    refresh_token = login(visma)["refresh_token"]
    response = revoke(visma, refresh_token, token_type_hint="refresh_token")
    assert (response.status_code, response.content) == (200, b"")
    oauth_error(refresh(visma, refresh_token), "invalid_grant")


def test_a_revoked_reuse_refresh_token_stops_working_too(visma: httpx.Client, world: World) -> None:
    world.add_connect_client(ISV_ID, ISV_SECRET, redirect_uris=(REDIRECT_URI,), refresh_token_usage="reuse")
    refresh_token = login(visma)["refresh_token"]
    assert refresh(visma, refresh_token).status_code == 200
    revoke(visma, refresh_token)
    oauth_error(refresh(visma, refresh_token), "invalid_grant")


def test_revoking_a_refresh_token_leaves_its_jwt_access_token_working_to_its_expiry(
    visma: httpx.Client, anonymous: httpx.Client
) -> None:
    # IdentityServer can revoke only reference access tokens; a JWT lives to its exp.
    tokens = login(visma)
    revoke(visma, tokens["refresh_token"])
    revoke(visma, tokens["access_token"], token_type_hint="access_token")
    assert anonymous.get(f"/v1/{ORG}/contacts", headers=bearer(tokens["access_token"])).status_code == 200


def test_revoking_an_unknown_token_is_200(visma: httpx.Client) -> None:
    assert revoke(visma, "0" * 64).status_code == 200


def test_another_client_cannot_revoke_a_refresh_token(visma: httpx.Client, world: World) -> None:
    world.add_connect_client("isv_other", "other-secret", redirect_uris=(REDIRECT_URI,))
    refresh_token = login(visma)["refresh_token"]
    assert revoke(visma, refresh_token, auth=("isv_other", "other-secret")).status_code == 200
    assert refresh(visma, refresh_token).status_code == 200


def test_revocation_needs_the_client_credentials(visma: httpx.Client) -> None:
    oauth_error(revoke(visma, "x", auth=(ISV_ID, "wrong")), "invalid_client")


def test_revocation_refuses_an_unknown_token_type_hint(visma: httpx.Client) -> None:
    oauth_error(revoke(visma, "x", token_type_hint="id_token"), "unsupported_token_type")


def test_revocation_needs_a_token(visma: httpx.Client) -> None:
    response = visma.post("/connect/revocation", data={"token_type_hint": "refresh_token"}, auth=(ISV_ID, ISV_SECRET))
    oauth_error(response, "invalid_request")


# -- introspection ----------------------------------------------------------------------


def test_introspection_shows_an_access_tokens_claims(visma: httpx.Client, visma_user: ConnectUser) -> None:
    body = introspect(visma, login(visma)["access_token"])
    assert body["active"] is True
    assert (body["sub"], body["client_id"], body["aud"]) == (visma_user.user_id, ISV_ID, "https://api.dinero.dk")
    assert body["scope"] == "openid dineropublicapi:read dineropublicapi:write offline_access"


def test_introspection_shows_a_refresh_token_until_it_is_revoked(visma: httpx.Client) -> None:
    refresh_token = login(visma)["refresh_token"]
    body = introspect(visma, refresh_token, token_type_hint="refresh_token")
    assert (body["active"], body["client_id"], body["token_type"]) == (True, ISV_ID, "refresh_token")
    revoke(visma, refresh_token)
    assert introspect(visma, refresh_token) == {"active": False}


def test_an_expired_access_token_is_inactive(visma: httpx.Client, clock: Clock) -> None:
    access_token = login(visma)["access_token"]
    clock.advance(3600)
    assert introspect(visma, access_token) == {"active": False}


def test_a_used_one_time_refresh_token_is_inactive(visma: httpx.Client) -> None:
    refresh_token = login(visma)["refresh_token"]
    refresh(visma, refresh_token)
    assert introspect(visma, refresh_token) == {"active": False}


def test_another_clients_token_is_inactive(visma: httpx.Client, world: World) -> None:
    world.add_connect_client("isv_other", "other-secret", redirect_uris=(REDIRECT_URI,))
    assert introspect(visma, login(visma)["access_token"], auth=("isv_other", "other-secret")) == {"active": False}


def test_introspection_refuses_a_bad_client_with_401(visma: httpx.Client) -> None:
    response = visma.post("/connect/introspect", data={"token": "x"}, auth=(ISV_ID, "wrong"))
    oauth_error(response, "invalid_client", status=401)


# -- end session ------------------------------------------------------------------------


@pytest.fixture
def signs_out_to(world: World, isv: ConnectClient) -> None:
    """The ``isv`` client again, with a post-logout redirect URI."""
    world.add_connect_client(ISV_ID, ISV_SECRET, redirect_uris=(REDIRECT_URI,), post_logout_redirect_uris=(LOGOUT_URI,))


@pytest.mark.usefixtures("signs_out_to")
def test_end_session_goes_back_to_a_registered_post_logout_redirect_uri(visma: httpx.Client) -> None:
    id_token = login(visma)["id_token"]
    params = {"id_token_hint": id_token, "post_logout_redirect_uri": LOGOUT_URI, "state": "bye"}
    response = visma.get("/connect/endsession", params=params)
    assert response.status_code == 302
    location = urlsplit(response.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == LOGOUT_URI
    assert parse_qs(location.query) == {"state": ["bye"]}


@pytest.mark.usefixtures("signs_out_to")
def test_end_session_with_an_unregistered_uri_shows_a_signed_out_page(visma: httpx.Client) -> None:
    id_token = login(visma)["id_token"]
    params = {"id_token_hint": id_token, "post_logout_redirect_uri": "https://evil.example/"}
    response = visma.get("/connect/endsession", params=params)
    assert response.status_code == 200
    assert "signed out" in response.text
    assert "not a post_logout_redirect_uri" in response.text


@pytest.mark.usefixtures("signs_out_to")
def test_end_session_without_a_hint_does_not_redirect(visma: httpx.Client) -> None:
    response = visma.get("/connect/endsession", params={"post_logout_redirect_uri": LOGOUT_URI})
    assert response.status_code == 200
    assert "id_token_hint" in response.text


def test_end_session_refuses_a_forged_id_token_hint(visma: httpx.Client) -> None:
    response = visma.get("/connect/endsession", params={"id_token_hint": "not.a.jwt"})
    assert response.status_code == 400


def test_end_session_leaves_issued_tokens_working(visma: httpx.Client, anonymous: httpx.Client) -> None:
    tokens = login(visma)
    visma.get("/connect/endsession", params={"id_token_hint": tokens["id_token"]})
    assert anonymous.get(f"/v1/{ORG}/contacts", headers=bearer(tokens["access_token"])).status_code == 200
    assert refresh(visma, tokens["refresh_token"]).status_code == 200
