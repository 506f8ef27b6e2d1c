"""Visma Connect: the OpenID Connect server Dinero's one-to-many integrations log in at.

Visma Connect is an IdentityServer deployment (reference §3.2-3.3). This module serves
its discovery document and keys, ``/connect/authorize`` with a fake user who consents,
and ``/connect/token`` with the authorization_code, refresh_token and client_credentials
grants; its session endpoints (userinfo, revocation, introspection, end session) are in
``connect_session.py``, its signing key in ``connect_keys.py``. Where the reference is
silent, the choice is IdentityServer's behaviour, and a comment says which. Its records
live in the World; the gate in fake.py checks its tokens.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urlencode

from .auth import basic_credentials, form_fields
from .call import Call
from .connect_keys import b64url, sign, signing_key
from .errors import OAuthError
from .formats import ascii_uri, ordinal_ignore_case
from .http import ApiRequest, ApiResponse, json_response
from .provisioning import (
    CONNECT_SCOPES,
    OFFLINE_ACCESS,
    READ_SCOPE,
    WRITE_SCOPE,
    Authorization,
    AuthorizationCode,
    ConnectClient,
    ConnectUser,
    RefreshToken,
)
from .routing import Routes
from .world import ONE_TIME, Grant, World

routes = Routes(tag="Visma Connect")

API_AUDIENCE = "https://api.dinero.dk"
"""Access tokens' ``aud``: the API resource a token is for, as a real Visma access token
for Dinero (decoded from a public client) names it."""
ACCESS_TOKEN_TYPE = "at+JWT"
"""The access token's JOSE ``typ``, spelled as in that real token (RFC 9068 ``at+jwt``)."""
IDENTITY_PROVIDER = "Visma Connect"
"""The ``idp`` claim of that real token: the user signed in at Visma Connect itself."""
CODE_LIFETIME_SECONDS = 300  # IdentityServer's default AuthorizationCodeLifetime
ID_TOKEN_LIFETIME_SECONDS = 300  # IdentityServer's default IdentityTokenLifetime
NO_STORE = {"cache-control": "no-store", "pragma": "no-cache"}


@routes.get("/.well-known/openid-configuration", public=True, upstream=False, answers=())
def discovery(call: Call) -> dict[str, Any]:
    """URLs come from the request, so the document names whichever host served it."""
    issuer = call.request.origin
    return {
        "issuer": issuer,
        "jwks_uri": f"{issuer}/.well-known/openid-configuration/jwks",
        "authorization_endpoint": f"{issuer}/connect/authorize",
        "token_endpoint": f"{issuer}/connect/token",
        "userinfo_endpoint": f"{issuer}/connect/userinfo",
        "end_session_endpoint": f"{issuer}/connect/endsession",
        "revocation_endpoint": f"{issuer}/connect/revocation",
        "introspection_endpoint": f"{issuer}/connect/introspect",
        "scopes_supported": list(CONNECT_SCOPES),
        "claims_supported": ["sub", "name", "email", "email_verified"],
        "grant_types_supported": ["authorization_code", "refresh_token", "client_credentials"],
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "form_post"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "code_challenge_methods_supported": ["plain", "S256"],
        "authorization_response_iss_parameter_supported": True,
    }


@routes.get("/.well-known/openid-configuration/jwks", public=True, upstream=False, answers=())
def jwks(call: Call) -> dict[str, Any]:
    return {"keys": [signing_key().public_jwk]}


# -- authorize -------------------------------------------------------------------


@dataclass(frozen=True)
class _Reply:
    """Where and how an authorize answer goes back to the client."""

    redirect_uri: str
    response_mode: str
    state: str | None
    issuer: str

    def send(self, fields: dict[str, str]) -> ApiResponse:
        fields = {**fields, **({"state": self.state} if self.state is not None else {}), "iss": self.issuer}
        if self.response_mode == "form_post":
            inputs = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in fields.items())
            page = (
                '<!DOCTYPE html><html><head><title>Submit this form</title></head><body>'
                f'<form method="post" action="{escape(self.redirect_uri)}">{inputs}'
                "<noscript><button type=\"submit\">Continue</button></noscript></form>"
                "<script>window.addEventListener('load', function () { document.forms[0].submit(); });</script>"
                "</body></html>"
            )
            return html_page(page, 200)
        separator = "&" if "?" in self.redirect_uri else "?"
        location = ascii_uri(self.redirect_uri) + separator + urlencode(fields)
        return ApiResponse(302, b"", {"location": location, **NO_STORE})


class _Refused(Exception):
    """An authorize error: sent back when the redirect URI is trusted, else shown here.

    RFC 6749 §4.1.2.1 is followed, as the issue asks. (IdentityServer itself shows most
    errors on its own error page and redirects only the "safe" ones, e.g. access_denied.)
    """

    def __init__(self, error: str, description: str, reply: _Reply | None = None) -> None:
        super().__init__(f"{error}: {description}")
        self.error, self.description, self.reply = error, description, reply

    def render(self) -> ApiResponse:
        if self.reply is not None:
            return self.reply.send({"error": self.error, "error_description": self.description})
        page = (
            "<!DOCTYPE html><html><head><title>Visma Connect - error</title></head><body>"
            f"<h1>Sorry, there was an error: {escape(self.error)}</h1><p>{escape(self.description)}</p></body></html>"
        )
        return html_page(page, 400)


@dataclass(frozen=True)
class _AuthorizeRequest:
    client: ConnectClient
    reply: _Reply
    scopes: tuple[str, ...]
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    user: ConnectUser


@routes.get("/connect/authorize", public=True, upstream=False, answers=(302, 400), answer_body="html")
def authorize(call: Call) -> ApiResponse:
    """The fake user is signed in and consents at once, unless the client asks for a consent page."""
    try:
        request = _validate(call.world, call.request.query, call.request.origin)
    except _Refused as refused:
        return refused.render()
    if request.client.require_consent:
        return _consent_page(call.request.query, request)
    return _issue_code(call.world, request, request.scopes)


@routes.post("/connect/consent", public=True, upstream=False, answers=(302, 400), answer_body="html")
def consent(call: Call) -> ApiResponse:
    """The consent page's form: the authorize request again, the button pressed and
    the scopes left ticked."""
    fields = parse_qsl(call.request.body.decode("utf-8", "replace"), keep_blank_values=True)
    params: dict[str, str] = {}
    for name, value in fields:
        params.setdefault(name.lower(), value)
    try:
        request = _validate(call.world, params, call.request.origin)
    except _Refused as refused:
        return refused.render()
    ticked = {value for name, value in fields if name == "scope_consented"}
    # openid cannot be unticked (its box is disabled, so browsers do not send it).
    scopes = tuple(scope for scope in request.scopes if scope in ticked or scope == "openid")
    if params.get("consent") != "allow" or not any(scope != "openid" for scope in scopes):
        return _Refused("access_denied", "The user did not allow the request.", request.reply).render()
    return _issue_code(call.world, request, scopes)


def _validate(world: World, params: Mapping[str, str], issuer: str) -> _AuthorizeRequest:
    """Check an authorize request in IdentityServer's order; raise ``_Refused``."""

    def get(name: str) -> str | None:
        return params.get(name) or None

    client = world.connect_clients.get(get("client_id") or "")
    if client is None:
        raise _Refused("unauthorized_client", "Unknown client or client not enabled.")
    redirect_uri = get("redirect_uri")
    # IdentityServer compares redirect URIs exactly, ignoring case as .NET's OrdinalIgnoreCase does.
    registered = {ordinal_ignore_case(uri) for uri in client.redirect_uris}
    if redirect_uri is None or ordinal_ignore_case(redirect_uri) not in registered:
        raise _Refused("invalid_request", "The redirect_uri is not registered for this client.")
    mode = get("response_mode") or "query"
    reply = _Reply(redirect_uri, mode if mode == "form_post" else "query", get("state"), issuer)
    if mode not in ("query", "form_post"):
        raise _Refused("invalid_request", f"response_mode '{mode}' is not supported; use query or form_post.", reply)
    if get("response_type") != "code":
        raise _Refused("unsupported_response_type", "Only response_type=code is supported.", reply)
    scope = get("scope")
    if scope is None:
        raise _Refused("invalid_request", "The scope parameter is missing.", reply)
    scopes = tuple(dict.fromkeys(scope.split()))
    refused = [name for name in scopes if name not in client.allowed_scopes]
    if refused:
        raise _Refused("invalid_scope", f"The client may not request: {' '.join(refused)}.", reply)
    if {"profile", "email"} & set(scopes) and "openid" not in scopes:
        raise _Refused("invalid_scope", "Identity scopes need the openid scope.", reply)
    challenge, method = get("code_challenge"), get("code_challenge_method")
    # PKCE is Visma Connect's per-application setting: a client that requires it is
    # refused without a challenge; any other may leave it out, and a challenge sent is
    # checked all the same (IdentityServer's RequirePkce).
    if challenge is None:
        if client.require_pkce:
            raise _Refused(
                "invalid_request", "code_challenge is required: this client requires PKCE (use S256).", reply
            )
    else:
        method = method or "plain"  # RFC 7636 §4.3
        if not 43 <= len(challenge) <= 128:
            raise _Refused("invalid_request", "code_challenge must be 43 to 128 characters.", reply)
        if method not in ("S256", "plain"):
            raise _Refused("invalid_request", f"code_challenge_method '{method}' is not supported.", reply)
        if method == "plain" and not client.allow_plain_pkce:
            raise _Refused("invalid_request", "code_challenge_method plain is not allowed for this client.", reply)
    # The signed-in user: the one login_hint names (an e-mail or user id), else the first.
    user = world.connect_user(get("login_hint"))
    if user is None:
        raise _Refused("login_required", "No Visma Connect user matches the login_hint.", reply)
    return _AuthorizeRequest(client, reply, scopes, get("nonce"), challenge, method, user)


def _consent_page(query: Mapping[str, str], request: _AuthorizeRequest) -> ApiResponse:
    hidden = "".join(f'<input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in query.items())
    boxes = "".join(
        f'<li><label><input type="checkbox" name="scope_consented" value="{escape(scope)}" checked'
        f'{" disabled" if scope == "openid" else ""}> {escape(scope)}</label></li>'
        for scope in request.scopes
    )
    user = request.user
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Visma Connect - consent</title></head>'
        f"<body><h1>{escape(request.client.client_id)} is requesting your permission</h1>"
        f"<p>Signed in as {escape(user.name)} ({escape(user.email)}).</p>"
        f'<form method="post" action="/connect/consent">{hidden}<ul>{boxes}</ul>'
        '<button type="submit" name="consent" value="allow">Yes, allow</button> '
        '<button type="submit" name="consent" value="deny">No, do not allow</button>'
        "</form></body></html>"
    )
    return html_page(page, 200)


def _issue_code(world: World, request: _AuthorizeRequest, scopes: tuple[str, ...]) -> ApiResponse:
    authorization = world.begin_authorization(request.client, request.user.user_id, scopes)
    code = AuthorizationCode(
        world.new_handle(),
        authorization,
        request.reply.redirect_uri,
        request.nonce,
        request.code_challenge,
        request.code_challenge_method,
        world.clock.timestamp() + CODE_LIFETIME_SECONDS,
    )
    world.authorization_codes[code.code] = code
    return request.reply.send({"code": code.code, "scope": " ".join(scopes)})


# -- token -----------------------------------------------------------------------


@routes.post("/connect/token", public=True, upstream=False, answers=(400,), answer_body="OAuthError")
def token(call: Call) -> ApiResponse:
    """Every error is 400, as IdentityServer answers, invalid_client included."""
    world, request = call.world, call.request
    if "application/x-www-form-urlencoded" not in (request.header("content-type") or "").lower():
        raise OAuthError(400, "invalid_request", "The token request must be application/x-www-form-urlencoded.")
    form = form_fields(request)
    client = authenticate_client(world, request, form)
    grant_type = form.get("grant_type", "")
    exchange = _GRANTS.get(grant_type)
    if exchange is None:
        raise OAuthError(400, "unsupported_grant_type", f"grant_type '{grant_type}' is not supported.")
    return exchange(world, client, form, request.origin)


def authenticate_client(world: World, request: ApiRequest, form: dict[str, str]) -> ConnectClient:
    """HTTP Basic (form-encoded id and secret, RFC 6749 §2.3.1) or the form body."""
    client_id, secret = basic_credentials(request)
    if client_id is not None:
        client_id, secret = unquote_plus(client_id), unquote_plus(secret or "")
    else:
        client_id, secret = form.get("client_id"), form.get("client_secret")
    client = world.connect_clients.get(client_id or "")
    if client is None or secret != client.client_secret:
        raise OAuthError(400, "invalid_client", "The client id or client secret is not valid.")
    return client


def _invalid_grant(description: str) -> OAuthError:
    return OAuthError(400, "invalid_grant", description)


def _authorization_code(world: World, client: ConnectClient, form: dict[str, str], issuer: str) -> ApiResponse:
    # IdentityServer removes a code before checking anything else, so any exchange uses
    # it up. A second use is invalid_grant and, as there, revokes nothing the first
    # issued (RFC 6749 §4.1.2 says SHOULD; IdentityServer no longer knows the code).
    code = world.authorization_codes.pop(form.get("code") or "", None)
    if code is None:
        raise _invalid_grant("The authorization code is not valid or has been used.")
    if code.expires_at <= world.clock.timestamp():
        raise _invalid_grant("The authorization code has expired.")
    authorization = code.authorization
    if authorization.client_id != client.client_id:
        raise _invalid_grant("The authorization code was issued to another client.")
    redirect_uri = form.get("redirect_uri")
    if not redirect_uri:
        # IdentityServer's answer here; RFC 6749 would suggest invalid_request.
        raise OAuthError(400, "unauthorized_client", "The redirect_uri is missing.")
    if redirect_uri != code.redirect_uri:
        raise _invalid_grant("The redirect_uri does not match the one the code was issued for.")
    _check_verifier(client, code, form.get("code_verifier"))
    refresh = None
    if OFFLINE_ACCESS in authorization.scopes:
        lifetime = client.refresh_token_lifetime_days * 86400
        refresh = _new_refresh_token(world, authorization, authorization.scopes, world.clock.timestamp() + lifetime)
    return _tokens(world, client, issuer, authorization, authorization.scopes, code.nonce, refresh)


def _check_verifier(client: ConnectClient, code: AuthorizationCode, verifier: str | None) -> None:
    """IdentityServer's TokenRequestValidator: PKCE is checked when the client requires it
    or the code was issued with a challenge; otherwise a code_verifier sent anyway is
    "Unexpected code_verifier" and invalid_grant."""
    if code.code_challenge is None:
        if verifier:
            raise _invalid_grant("The code was issued without a code_challenge, so no code_verifier is expected.")
        if client.require_pkce:
            raise _invalid_grant("The code was issued without a code_challenge, and this client requires PKCE.")
        return
    if not verifier or not 43 <= len(verifier) <= 128:
        raise _invalid_grant("A code_verifier of 43 to 128 characters is required.")
    if code.code_challenge_method == "S256":
        verifier = b64url(hashlib.sha256(verifier.encode("ascii", "replace")).digest())
    if verifier != code.code_challenge:
        raise _invalid_grant("The code_verifier does not match the code_challenge.")


def _refresh_token(world: World, client: ConnectClient, form: dict[str, str], issuer: str) -> ApiResponse:
    handle = form.get("refresh_token")
    if not handle:
        raise OAuthError(400, "invalid_request", "The refresh_token parameter is missing.")
    now = world.clock.timestamp()
    token = world.refresh_tokens.get(handle)
    if token is None or token.authorization.client_id != client.client_id:
        raise _invalid_grant("The refresh token is not valid.")
    authorization = token.authorization
    if authorization.authorization_id in world.revoked_authorizations:
        raise _invalid_grant("The refresh token has been revoked.")
    if token.expires_at <= now:
        raise _invalid_grant("The refresh token has expired.")
    if token.consumed_at is not None and now - token.consumed_at >= authorization.refresh_token_grace_seconds:
        # Replay of a used one-time token after its grace period: the whole
        # authorization is revoked, every access and refresh token descended from it
        # (reference §3.3; only one source says so, and the issue asks for it). Real
        # JWT access tokens might live on to their expiry; the fake ends them at once.
        world.revoked_authorizations.add(authorization.authorization_id)
        raise _invalid_grant("The refresh token has already been used; the authorization is revoked.")
    if authorization.user_id not in world.connect_users:
        raise _invalid_grant("The user no longer exists.")
    scopes = token.scopes
    if form.get("scope"):
        scopes = tuple(dict.fromkeys(form["scope"].split()))
        wider = [name for name in scopes if name not in token.scopes]
        if wider:
            raise OAuthError(400, "invalid_scope", f"The refresh token was not granted: {' '.join(wider)}.")
    successor = token
    if authorization.refresh_token_usage == ONE_TIME:
        if token.consumed_at is None:
            world.refresh_tokens[handle] = replace(token, consumed_at=now)
        # Within the grace period a second exchange gets a sibling token, as
        # IdentityServer does when it accepts a consumed token; both stay valid.
        # The lifetime stays absolute, counted from the first refresh token.
        successor = _new_refresh_token(world, authorization, token.scopes, token.expires_at)
    return _tokens(world, client, issuer, authorization, scopes, None, successor)


def _client_credentials(world: World, client: ConnectClient, form: dict[str, str], issuer: str) -> ApiResponse:
    """Off unless the client allows it (Dinero supports only web applications). Its token
    has no user and reaches the client's tenants, or the one ``tenant_id`` names."""
    if not client.allow_client_credentials:
        raise OAuthError(400, "unauthorized_client", "The client may not use the client_credentials grant.")
    api_scopes = tuple(name for name in client.allowed_scopes if name in (READ_SCOPE, WRITE_SCOPE))
    scopes = tuple(dict.fromkeys((form.get("scope") or "").split())) or api_scopes
    refused = [name for name in scopes if name not in api_scopes]
    if refused:
        raise OAuthError(400, "invalid_scope", f"The client_credentials grant cannot have: {' '.join(refused)}.")
    tenants = client.tenant_organization_ids
    tenant_id = (form.get("tenant_id") or "").strip()
    if tenant_id:
        tenants = tuple(org_id for org_id in tenants if str(org_id) == tenant_id)
        if not tenants:
            raise _invalid_grant(f"The tenant '{tenant_id}' has not given this client access.")
    authorization = world.begin_authorization(client, None, scopes)
    return _tokens(world, client, issuer, authorization, scopes, None, None, tenants)


_GRANTS: dict[str, Callable[[World, ConnectClient, dict[str, str], str], ApiResponse]] = {
    "authorization_code": _authorization_code,
    "refresh_token": _refresh_token,
    "client_credentials": _client_credentials,
}


def _new_refresh_token(world: World, grant: Authorization, scopes: tuple[str, ...], until: float) -> RefreshToken:
    """A refresh token that expires at ``until`` (absolute, IdentityServer's default)."""
    token = RefreshToken(world.new_handle(), grant, scopes, expires_at=until)
    world.refresh_tokens[token.token] = token
    return token


def _tokens(
    world: World,
    client: ConnectClient,
    issuer: str,
    authorization: Authorization,
    scopes: tuple[str, ...],
    nonce: str | None,
    refresh: RefreshToken | None,
    organizations: tuple[int, ...] = (),
) -> ApiResponse:
    """Mint the access token (and id token) and answer as IdentityServer does."""
    now = int(world.clock.timestamp())
    lifetime = client.access_token_lifetime_seconds
    user = world.connect_users.get(authorization.user_id or "")
    common: dict[str, Any] = {"iss": issuer, "nbf": now, "iat": now}
    if user is not None:
        common.update(sub=user.user_id, auth_time=authorization.auth_time, idp=IDENTITY_PROVIDER, amr=["pwd"])
    access = {**common, "exp": now + lifetime, "aud": API_AUDIENCE, "client_id": client.client_id}
    # IdentityServer writes scope as a JSON array in JWT access tokens.
    access_token = sign({**access, "scope": list(scopes), "jti": world.new_handle(16)}, ACCESS_TOKEN_TYPE)
    world.keep_token(Grant(
        access_token, client.client_id, scopes, float(now + lifetime), organizations, authorization.user_id,
        authorization_id=authorization.authorization_id,
    ))
    body: dict[str, Any] = {}
    if user is not None and "openid" in scopes:
        # Name and e-mail ride in the id token as well as at /connect/userinfo (what
        # IdentityServer's AlwaysIncludeUserClaimsInIdToken does; Visma's setting is unknown).
        at_hash = b64url(hashlib.sha256(access_token.encode()).digest()[:16])
        identity = {**common, "exp": now + ID_TOKEN_LIFETIME_SECONDS, "aud": client.client_id, "at_hash": at_hash}
        if nonce is not None:
            identity["nonce"] = nonce
        if "profile" in scopes:
            identity["name"] = user.name
        if "email" in scopes:
            identity.update(email=user.email, email_verified=True)
        body["id_token"] = sign(identity, "JWT")
    body.update(access_token=access_token, expires_in=lifetime, token_type="Bearer")
    if refresh is not None:
        body["refresh_token"] = refresh.token
    body["scope"] = " ".join(scopes)
    return json_response(body, headers=NO_STORE)


def error_page(error: str, description: str) -> ApiResponse:
    """Visma Connect's error page, for an error that cannot go back to a client."""
    return _Refused(error, description).render()


def escape(text: str) -> str:
    return html.escape(text, quote=True)


def html_page(page: str, status: int) -> ApiResponse:
    return ApiResponse(status, page.encode(), {"content-type": "text/html; charset=utf-8", **NO_STORE})
