"""Who may call: the legacy token endpoint and the bearer-token check.

Personal integrations log in at ``POST /dineroapi/oauth/token`` with the
password grant: the client id and secret by HTTP Basic, the organization's
API key as both ``username`` and ``password`` (reference §3.1). The token
is bound to that organization and client and lives an hour.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import parse_qsl

from .call import Call
from .errors import OAuthError, unauthorized
from .http import ApiRequest, ApiResponse, json_response
from .models import DineroModel
from .routing import Routes
from .world import ApiClient, Grant, World

routes = Routes(tag="Legacy authentication")

LEGACY_ISSUER = "urn:dineroauthz"
LEGACY_AUDIENCE = "http://api.dinero.dk"


class LegacyTokenForm(DineroModel):
    """The password grant's form (client id and secret may come by HTTP Basic instead)."""

    grant_type: str
    username: str
    password: str
    scope: str | None = None
    client_id: str | None = None
    client_secret: str | None = None


class LegacyTokenResponse(DineroModel):
    access_token: str
    token_type: str
    expires_in: int
    refresh_token: str | None = None


@routes.post(
    "/dineroapi/oauth/token",
    public=True,
    upstream=False,
    body=LegacyTokenForm,
    form=True,
    response=LegacyTokenResponse,
    answers=(400, 401),
    answer_body="OAuthError",
)
def legacy_token(call: Call) -> ApiResponse:
    """The password grant of Dinero's legacy authorization server."""
    world = call.world
    form = form_fields(call.request)
    client = _authenticate_client(world, call.request, form)
    grant_type = form.get("grant_type")
    if grant_type is None:
        # Katana matches no grant to a form without grant_type and answers
        # unsupported_grant_type (OAuthAuthorizationServerHandler); the usual cause is a
        # body that is not a form at all, such as JSON from a .NET client.
        raise OAuthError(400, "unsupported_grant_type", _missing_grant_type(call.request))
    if grant_type != "password":
        raise OAuthError(
            400, "unsupported_grant_type", f"grant_type '{grant_type}' is not supported; use 'password'."
        )
    api_key = form.get("username", "")
    organization_id = world.api_keys.get(api_key)
    if organization_id is None or form.get("password", "") != api_key:
        raise OAuthError(
            400,
            "invalid_grant",
            "The API key is not valid. Send the organization's API key as both username and password.",
        )
    # Scope is optional (clients such as requests-oauthlib send none).
    scopes = tuple(form.get("scope", "").split()) or ("read", "write")
    grant = issue_legacy_token(world, organization_id, client, scopes)
    return json_response(
        {
            "access_token": grant.token,
            "token_type": "Bearer",
            "expires_in": world.settings.token_lifetime_seconds,
            "refresh_token": None,
        }
    )


def issue_legacy_token(
    world: World, organization_id: int, client: ApiClient, scopes: tuple[str, ...] = ("read", "write")
) -> Grant:
    """Mint a legacy access token (an HS256 JWT with the claims Dinero's carry)."""
    issued = int(world.clock.timestamp())
    expires = issued + world.settings.token_lifetime_seconds
    claims = {
        "iss": LEGACY_ISSUER,
        "aud": LEGACY_AUDIENCE,
        "nbf": issued,
        "exp": expires,
        "client_id": client.client_id,
        "scope": list(scopes),
        "access_level": "Customer",
        # Unknown how Dinero names the organization in its token; the fake
        # keeps the binding in its own table and puts it here for humans.
        "organization_id": organization_id,
        "jti": world.new_secret(12),
    }
    import jwt  # PyJWT and the cryptography it loads cost ~40 ms: paid at the first login, not at import

    token = jwt.encode(claims, world.token_signing_key, algorithm="HS256")
    grant = Grant(token, client.client_id, scopes, float(expires), organizations=(organization_id,))
    world.keep_token(grant)
    return grant


def bearer_token(request: ApiRequest) -> str | None:
    """The token of ``Authorization: Bearer <token>`` (None without one)."""
    scheme, _, token = (request.header("authorization") or "").partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


def bearer_grant(world: World, request: ApiRequest) -> Grant | None:
    """The grant a request's bearer token names, valid or not (for the journal)."""
    token = bearer_token(request)
    return world.tokens.get(token) if token else None


def why_not_live(world: World, grant: Grant) -> str | None:
    """Why a token no longer admits a call (None: it does): it expired, or, for a
    Visma Connect token, its authorization was revoked (refresh-token replay)."""
    if grant.expires_at <= world.clock.timestamp():
        return "The access token expired"  # IdentityServer's words
    if grant.authorization_id is not None and grant.authorization_id in world.revoked_authorizations:
        return "The access token has been revoked."
    return None


def authenticate(world: World, request: ApiRequest) -> Grant:
    """The grant behind ``Authorization: Bearer <token>``, or 401 (legacy and Visma
    Connect tokens alike)."""
    grant = bearer_grant(world, request)
    if grant is None or why_not_live(world, grant) is not None:
        raise unauthorized()
    return grant


def form_fields(request: ApiRequest) -> dict[str, str]:
    """The form fields of a token request.

    Dinero's legacy token endpoint is a Katana (OWIN) OAuth server, whose
    ``ReadFormAsync`` parses the body as a form whatever its Content-Type says: a
    form sent as text/plain works, and a JSON body yields no field Dinero knows.
    (Visma Connect's endpoint checks the Content-Type before it gets here.)
    """
    try:
        text = request.body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}
    return dict(parse_qsl(text, keep_blank_values=True))


_FORM = "application/x-www-form-urlencoded"


def _missing_grant_type(request: ApiRequest) -> str:
    content_type = (request.header("content-type") or "").split(";")[0].strip()
    if content_type.lower() == _FORM:
        return "grant_type is missing; send grant_type=password with the API key as username and password."
    sent = f"as {content_type}" if content_type else "without a Content-Type"
    return (
        f"The token request has no grant_type: its body must be {_FORM} "
        f"(grant_type=password&username=<API key>&password=<API key>), but it came {sent}."
    )


def _authenticate_client(world: World, request: ApiRequest, form: dict[str, str]) -> ApiClient:
    client_id, secret = basic_credentials(request)
    if client_id is None:
        client_id, secret = form.get("client_id"), form.get("client_secret")
    client = world.clients.get(client_id or "")
    if client is None or client.client_secret != secret:
        message = "The client id or client secret is not valid."
        if client_id is None:
            message = (
                "No client credentials: send the client id and secret by HTTP Basic, or as "
                f"client_id and client_secret in a {_FORM} body."
            )
        raise OAuthError(401, "invalid_client", message)
    return client


def basic_credentials(request: ApiRequest) -> tuple[str | None, str | None]:
    header = request.header("authorization") or ""
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None, None
    try:
        decoded = base64.b64decode(encoded.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        return None, None
    client_id, _, secret = decoded.partition(":")
    return client_id, secret
