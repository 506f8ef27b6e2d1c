"""Visma Connect's discovery document and keys; tokens verify with a standard library (reference §3.2)."""

from __future__ import annotations

from datetime import datetime, timezone

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from fake_dinero import ApiRequest, Clock, FakeDinero, World, connect_keys
from fake_dinero.provisioning import ConnectUser

from .support import ISV_ID, VISMA, FakeTransport, login


def test_discovery_names_the_endpoints_at_visma_connect(visma: httpx.Client) -> None:
    document = visma.get("/.well-known/openid-configuration").json()
    assert document["issuer"] == VISMA
    assert document["authorization_endpoint"] == f"{VISMA}/connect/authorize"
    assert document["token_endpoint"] == f"{VISMA}/connect/token"
    assert document["jwks_uri"] == f"{VISMA}/.well-known/openid-configuration/jwks"


def test_discovery_names_the_endpoints_an_identityserver_publishes(visma: httpx.Client) -> None:
    document = visma.get("/.well-known/openid-configuration").json()
    assert document["userinfo_endpoint"] == f"{VISMA}/connect/userinfo"
    assert document["end_session_endpoint"] == f"{VISMA}/connect/endsession"
    assert document["revocation_endpoint"] == f"{VISMA}/connect/revocation"
    assert document["introspection_endpoint"] == f"{VISMA}/connect/introspect"


def test_discovery_lists_dinero_scopes_pkce_methods_and_response_modes(visma: httpx.Client) -> None:
    document = visma.get("/.well-known/openid-configuration").json()
    assert {"dineropublicapi:read", "dineropublicapi:write", "offline_access", "openid"} <= set(
        document["scopes_supported"]
    )
    assert document["code_challenge_methods_supported"] == ["plain", "S256"]
    assert document["response_modes_supported"] == ["query", "form_post"]
    assert document["id_token_signing_alg_values_supported"] == ["RS256"]


def test_discovery_names_the_host_that_served_it(fake: FakeDinero) -> None:
    with httpx.Client(transport=FakeTransport(fake), base_url="http://127.0.0.1:8765") as local:
        document = local.get("/.well-known/openid-configuration").json()
    assert document["issuer"] == "http://127.0.0.1:8765"
    assert document["token_endpoint"] == "http://127.0.0.1:8765/connect/token"


def test_a_door_that_does_not_say_its_scheme_gets_https_only_for_visma_connect() -> None:
    assert ApiRequest("GET", "/", headers={"host": "connect.visma.com"}).origin == VISMA
    assert ApiRequest("GET", "/", headers={"host": "127.0.0.1:8765"}).origin == "http://127.0.0.1:8765"


def test_jwks_publishes_one_rs256_signing_key(visma: httpx.Client) -> None:
    (key,) = visma.get("/.well-known/openid-configuration/jwks").json()["keys"]
    assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")
    assert "d" not in key


@pytest.fixture
def now(clock: Clock) -> None:
    """The fake's clock at the wall clock's time, so a verifier's expiry check passes."""
    clock.set(datetime.now(timezone.utc))


@pytest.mark.usefixtures("now")
def test_access_token_verifies_against_the_jwks(visma: httpx.Client) -> None:
    keys = jwt.PyJWKSet.from_dict(visma.get("/.well-known/openid-configuration/jwks").json())
    access_token = login(visma)["access_token"]
    key = keys[jwt.get_unverified_header(access_token)["kid"]]
    claims = jwt.decode(access_token, key, algorithms=["RS256"], audience="https://api.dinero.dk", issuer=VISMA)
    assert claims["client_id"] == ISV_ID


@pytest.mark.usefixtures("now")
def test_id_token_verifies_against_the_jwks_with_the_client_as_audience(visma: httpx.Client) -> None:
    keys = jwt.PyJWKSet.from_dict(visma.get("/.well-known/openid-configuration/jwks").json())
    id_token = login(visma)["id_token"]
    key = keys[jwt.get_unverified_header(id_token)["kid"]]
    claims = jwt.decode(id_token, key, algorithms=["RS256"], audience=ISV_ID, issuer=VISMA)
    assert claims["nonce"] == "n0nce"


def test_a_token_signed_by_another_key_does_not_verify(visma: httpx.Client) -> None:
    from cryptography.hazmat.primitives.asymmetric import rsa

    keys = jwt.PyJWKSet.from_dict(visma.get("/.well-known/openid-configuration/jwks").json())
    forged = jwt.encode(
        {"iss": VISMA, "aud": "https://api.dinero.dk"},
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
        algorithm="RS256",
        headers={"kid": keys.keys[0].key_id},
    )
    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(forged, keys.keys[0], algorithms=["RS256"], audience="https://api.dinero.dk")


def test_access_token_is_shaped_as_a_real_visma_token_for_dinero(visma: httpx.Client) -> None:
    # A real Visma Connect access token for Dinero, decoded from a public client, has
    # typ at+JWT, aud https://api.dinero.dk and idp "Visma Connect".
    access_token = login(visma)["access_token"]
    assert jwt.get_unverified_header(access_token)["typ"] == "at+JWT"
    claims = jwt.decode(access_token, options={"verify_signature": False})
    assert (claims["aud"], claims["idp"]) == ("https://api.dinero.dk", "Visma Connect")


def test_access_token_names_user_client_scopes_and_lifetime(visma: httpx.Client, visma_user: ConnectUser) -> None:
    access_token = login(visma)["access_token"]
    claims = jwt.decode(access_token, options={"verify_signature": False})
    assert claims["sub"] == visma_user.user_id
    assert claims["scope"] == ["openid", "dineropublicapi:read", "dineropublicapi:write", "offline_access"]
    assert claims["exp"] - claims["iat"] == 3600
    assert claims["nbf"] == claims["iat"]
    assert claims["jti"]


def test_id_token_carries_name_and_email_when_asked_for(visma: httpx.Client) -> None:
    tokens = login(visma, scope="openid profile email dineropublicapi:read")
    claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    assert (claims["name"], claims["email"]) == ("Anna Andersen", "anna@example.dk")


def test_id_token_hashes_its_access_token(visma: httpx.Client) -> None:
    import base64
    import hashlib

    tokens = login(visma)
    digest = hashlib.sha256(tokens["access_token"].encode()).digest()[:16]
    claims = jwt.decode(tokens["id_token"], options={"verify_signature": False})
    assert claims["at_hash"] == base64.urlsafe_b64encode(digest).decode().rstrip("=")


def test_no_id_token_without_the_openid_scope(visma: httpx.Client) -> None:
    assert "id_token" not in login(visma, scope="dineropublicapi:read")


def test_making_a_world_or_serving_discovery_makes_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(**_: object) -> None:
        raise AssertionError("an RSA key was generated")

    monkeypatch.setattr(connect_keys, "_key", None)  # as in a fresh process
    monkeypatch.setattr(rsa, "generate_private_key", refuse)
    world = World.with_demo()
    world.add_demo_connect()
    FakeDinero(world).handle(ApiRequest("GET", "/.well-known/openid-configuration"))


def test_the_key_is_made_once_and_shared_by_every_world() -> None:
    assert connect_keys.signing_key() is connect_keys.signing_key()
