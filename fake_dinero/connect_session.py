"""Visma Connect's session endpoints: userinfo, token revocation (RFC 7009), token
introspection (RFC 7662) and end session, as an IdentityServer publishes them in its
discovery document. The login itself (authorize, token) is in ``connect.py``.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from pydantic import ConfigDict

from .auth import bearer_token, form_fields, why_not_live
from .call import Call
from .connect import NO_STORE, authenticate_client, error_page, escape, html_page
from .connect_keys import signing_key
from .errors import OAuthError
from .formats import ascii_uri, ordinal_ignore_case
from .http import ApiRequest, ApiResponse, json_response
from .models import DineroModel
from .provisioning import ConnectClient
from .routing import QueryParam, Routes
from .world import Grant, World

routes = Routes(tag="Visma Connect")


class UserInfoForm(DineroModel):
    """A userinfo POST may carry the access token in its form (RFC 6750 §2.2)."""

    access_token: str | None = None


class UserInfo(DineroModel):
    """The userinfo answer: ``sub`` always, the rest as the token's identity scopes allow."""

    sub: str
    name: str | None = None
    email: str | None = None
    email_verified: bool | None = None


class TokenForm(DineroModel):
    """A revocation (RFC 7009) or introspection (RFC 7662) request; the client's id and
    secret may come by HTTP Basic instead."""

    token: str
    token_type_hint: str | None = None
    client_id: str | None = None
    client_secret: str | None = None


class Introspection(DineroModel):
    """RFC 7662's answer: ``active``, and for an active token its claims."""

    model_config = ConfigDict(extra="allow")

    active: bool


_ACCESS_TOKEN, _REFRESH_TOKEN = "access_token", "refresh_token"


def _live_access_grant(world: World, token: str) -> tuple[Grant | None, str]:
    """The Visma Connect grant behind an access token, or None and why it is refused."""
    grant = world.tokens.get(token)
    if grant is None or grant.authorization_id is None:
        return None, "The access token is not a Visma Connect access token."
    why = why_not_live(world, grant)
    return (None, why) if why else (grant, "")


def _userinfo_refused(error: str, description: str) -> ApiResponse:
    """IdentityServer's ProtectedResourceErrorResult: 401 (403 for insufficient_scope)
    with the error in ``WWW-Authenticate``. The JSON body is the fake's addition."""
    status = 403 if error == "insufficient_scope" else 401
    challenge = f'Bearer realm="IdentityServer",error="{error}",error_description="{description}"'
    body = {"error": error, "error_description": description}
    return json_response(body, status, {"www-authenticate": challenge, **NO_STORE})


def _userinfo(world: World, token: str | None) -> ApiResponse:
    if not token:
        return _userinfo_refused(
            "invalid_token", "No access token: send it as 'Authorization: Bearer <token>' or as access_token in a form."
        )
    grant, why = _live_access_grant(world, token)
    if grant is None:
        return _userinfo_refused("invalid_token", why)
    if "openid" not in grant.scopes:
        return _userinfo_refused("insufficient_scope", "The access token was not granted the openid scope.")
    user = world.connect_users.get(grant.user_id or "")
    if user is None:
        return _userinfo_refused("invalid_token", "The access token names no user (a client_credentials token).")
    claims: dict[str, Any] = {"sub": user.user_id}
    if "profile" in grant.scopes:
        claims["name"] = user.name
    if "email" in grant.scopes:
        claims.update(email=user.email, email_verified=True)
    return json_response(claims, headers=NO_STORE)


@routes.get(
    "/connect/userinfo", public=True, upstream=False, response=UserInfo, answers=(401, 403), answer_body="OAuthError"
)
def userinfo(call: Call) -> ApiResponse:
    """The signed-in user's claims for a bearer access token with the openid scope:
    ``sub``, ``name`` with profile, ``email`` and ``email_verified`` with email."""
    return _userinfo(call.world, bearer_token(call.request))


@routes.post(
    "/connect/userinfo",
    public=True,
    upstream=False,
    body=UserInfoForm,
    body_optional=True,
    form=True,
    response=UserInfo,
    answers=(401, 403),
    answer_body="OAuthError",
)
def userinfo_by_post(call: Call) -> ApiResponse:
    """As GET; the access token may also come as ``access_token`` in the form."""
    token = bearer_token(call.request) or _form(call.request).get("access_token")
    return _userinfo(call.world, token)


def _form(request: ApiRequest) -> dict[str, str]:
    """A form body; the endpoints of IdentityServer read nothing from any other body."""
    if "application/x-www-form-urlencoded" not in (request.header("content-type") or "").lower():
        return {}
    return form_fields(request)


def _token_request(call: Call) -> tuple[ConnectClient, str, str | None]:
    """The client, token and hint of a revocation or introspection request."""
    request = call.request
    if "application/x-www-form-urlencoded" not in (request.header("content-type") or "").lower():
        # IdentityServer answers 415 with no body; the fake says it as its token endpoint does.
        raise OAuthError(400, "invalid_request", "The request must be application/x-www-form-urlencoded.")
    form = form_fields(request)
    client = authenticate_client(call.world, request, form)
    token = form.get("token")
    if not token:
        raise OAuthError(400, "invalid_request", "The token parameter is missing.")
    return client, token, form.get("token_type_hint") or None


@routes.post(
    "/connect/revocation",
    public=True,
    upstream=False,
    body=TokenForm,
    form=True,
    answers=(400,),
    answer_body="OAuthError",
)
def revocation(call: Call) -> ApiResponse:
    """RFC 7009, as IdentityServer does it: a revoked refresh token stops working at once;
    an unknown token, or another client's, is 200 all the same. JWT access tokens cannot
    be revoked (IdentityServer revokes only reference tokens): they live to ``exp``."""
    client, token, hint = _token_request(call)
    if hint not in (None, _ACCESS_TOKEN, _REFRESH_TOKEN):
        raise OAuthError(
            400,
            "unsupported_token_type",
            f"token_type_hint '{hint}' is not supported; use access_token or refresh_token.",
        )
    world = call.world
    refresh = world.refresh_tokens.get(token)
    if refresh is not None and refresh.authorization.client_id == client.client_id:
        del world.refresh_tokens[token]
    return ApiResponse(200, b"", dict(NO_STORE))


@routes.post(
    "/connect/introspect",
    public=True,
    upstream=False,
    body=TokenForm,
    form=True,
    response=Introspection,
    answers=(400, 401),
    answer_body="OAuthError",
)
def introspection(call: Call) -> ApiResponse:
    """RFC 7662: ``active`` and the token's claims (``scope`` space-separated). In Visma
    Connect the API resource authenticates here; the fake has no API secrets, so a
    registered client does, and sees only its own tokens (others are inactive)."""
    try:
        client, token, hint = _token_request(call)
    except OAuthError as error:
        if error.error == "invalid_client":
            raise OAuthError(401, error.error, error.description) from None  # IdentityServer: 401
        raise
    world = call.world
    lookups = (_introspect_refresh_token, _introspect_access_token)
    if hint != _REFRESH_TOKEN:
        lookups = lookups[::-1]
    for lookup in lookups:
        claims = lookup(world, client, token)
        if claims is not None:
            return json_response({"active": True, **claims}, headers=NO_STORE)
    return json_response({"active": False}, headers=NO_STORE)


def _introspect_access_token(world: World, client: ConnectClient, token: str) -> dict[str, Any] | None:
    grant, _ = _live_access_grant(world, token)
    if grant is None or grant.client_id != client.client_id:
        return None
    import jwt  # on first use: see connect_keys

    claims = jwt.decode(token, options={"verify_signature": False})
    return {**claims, "scope": " ".join(claims.get("scope", ())), "token_type": _ACCESS_TOKEN}


def _introspect_refresh_token(world: World, client: ConnectClient, token: str) -> dict[str, Any] | None:
    refresh = world.refresh_tokens.get(token)
    if refresh is None or refresh.authorization.client_id != client.client_id:
        return None
    authorization, now = refresh.authorization, world.clock.timestamp()
    used_up = refresh.consumed_at is not None and now - refresh.consumed_at >= authorization.refresh_token_grace_seconds
    if refresh.expires_at <= now or used_up or authorization.authorization_id in world.revoked_authorizations:
        return None
    claims: dict[str, Any] = {"client_id": client.client_id, "scope": " ".join(refresh.scopes)}
    if authorization.user_id is not None:
        claims["sub"] = authorization.user_id
    return {**claims, "exp": int(refresh.expires_at), "token_type": _REFRESH_TOKEN}


@routes.get(
    "/connect/endsession",
    public=True,
    upstream=False,
    query=(
        QueryParam("id_token_hint"),
        QueryParam("post_logout_redirect_uri"),
        QueryParam("state"),
        QueryParam("client_id"),
    ),
    answers=(302, 400),
    answer_body="html",
)
def end_session(call: Call) -> ApiResponse:
    """Sign the user out: back to ``post_logout_redirect_uri`` (with ``state``) when the
    client that ``id_token_hint`` (or ``client_id``) names registered it, else a signed-out
    page, as IdentityServer does. The fake user stays signed in for the next login, and
    tokens already issued keep working (IdentityServer ends only the browser session)."""
    world, query = call.world, call.request.query
    client: ConnectClient | None = None
    hint = query.get("id_token_hint")
    if hint:
        import jwt  # on first use: see connect_keys

        try:
            # An expired id token is still a good hint (IdentityServer skips its lifetime).
            claims = jwt.decode(
                hint,
                signing_key().private.public_key(),
                algorithms=["RS256"],
                issuer=call.request.origin,
                options={"verify_exp": False, "verify_aud": False},
            )
        except jwt.InvalidTokenError:
            return error_page("invalid_request", "The id_token_hint is not an id token this server issued.")
        client = world.connect_clients.get(str(claims.get("aud", "")))
    elif query.get("client_id"):
        client = world.connect_clients.get(query["client_id"])
    target = query.get("post_logout_redirect_uri")
    registered = {ordinal_ignore_case(uri) for uri in client.post_logout_redirect_uris} if client else set()
    if target and ordinal_ignore_case(target) in registered:
        state = query.get("state")
        separator = "&" if "?" in target else "?"
        location = ascii_uri(target) + (separator + urlencode({"state": state}) if state is not None else "")
        return ApiResponse(302, b"", {"location": location, **NO_STORE})
    reason = ""
    if target:
        reason = (
            f"<p>Not sent back to {escape(target)}: it is not a post_logout_redirect_uri of "
            f"{escape(client.client_id)}.</p>"
            if client is not None
            else f"<p>Not sent back to {escape(target)}: send id_token_hint (or client_id) to say which "
            "client asks.</p>"
        )
    page = (
        "<!DOCTYPE html><html><head><title>Visma Connect - signed out</title></head><body>"
        f"<h1>You are now signed out</h1>{reason}</body></html>"
    )
    return html_page(page, 200)


