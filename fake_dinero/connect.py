"""Visma Connect: the OpenID Connect server Dinero's one-to-many integrations log in at.

Visma Connect is an IdentityServer deployment (reference §3.2-3.3). This module serves
its discovery document and keys, ``/connect/authorize`` with a fake user who consents,
and ``/connect/token`` with the authorization_code, refresh_token and client_credentials
grants. Where the reference is silent, the choice is IdentityServer's behaviour unless the
issue asks otherwise, and a comment says which. Its records live in the World; the gate in
fake.py checks its tokens.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import parse_qsl, unquote_plus, urlencode

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm
from pydantic import ConfigDict

from .auth import basic_credentials, form_fields
from .call import Call
from .errors import OAuthError
from .http import ApiRequest, ApiResponse, json_response
from .models import DineroModel
from .routing import QueryParam, Routes
from .world import (
    CONNECT_SCOPES,
    OFFLINE_ACCESS,
    ONE_TIME,
    READ_SCOPE,
    WRITE_SCOPE,
    Authorization,
    AuthorizationCode,
    ConnectClient,
    ConnectUser,
    Grant,
    RefreshToken,
    World,
)

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
_NO_STORE = {"cache-control": "no-store", "pragma": "no-cache"}


# -- keys ----------------------------------------------------------------------


@dataclass(frozen=True)
class SigningKey:
    private: rsa.RSAPrivateKey
    kid: str
    public_jwk: dict[str, str]


_key: SigningKey | None = None
_key_lock = threading.Lock()


def signing_key() -> SigningKey:
    """The process's RS256 key, made on first use and shared by every world: making one
    takes tens of milliseconds, and a world must stay cheap to create and reset."""
    global _key
    if _key is None:
        with _key_lock:
            if _key is None:
                private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
                jwk = RSAAlgorithm.to_jwk(private.public_key(), as_dict=True)
                members = {"e": jwk["e"], "kty": "RSA", "n": jwk["n"]}
                canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode()
                kid = _b64(hashlib.sha256(canonical).digest())  # RFC 7638 thumbprint
                _key = SigningKey(private, kid, {**members, "use": "sig", "alg": "RS256", "kid": kid})
    return _key


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _sign(claims: dict[str, Any], typ: str) -> str:
    key = signing_key()
    return jwt.encode(claims, key.private, algorithm="RS256", headers={"kid": key.kid, "typ": typ})


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
            inputs = "".join(f'<input type="hidden" name="{_e(k)}" value="{_e(v)}">' for k, v in fields.items())
            page = (
                '<!DOCTYPE html><html><head><title>Submit this form</title></head><body>'
                f'<form method="post" action="{_e(self.redirect_uri)}">{inputs}'
                "<noscript><button type=\"submit\">Continue</button></noscript></form>"
                "<script>window.addEventListener('load', function () { document.forms[0].submit(); });</script>"
                "</body></html>"
            )
            return _html(page, 200)
        separator = "&" if "?" in self.redirect_uri else "?"
        return ApiResponse(302, b"", {"location": self.redirect_uri + separator + urlencode(fields), **_NO_STORE})


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
            f"<h1>Sorry, there was an error: {_e(self.error)}</h1><p>{_e(self.description)}</p></body></html>"
        )
        return _html(page, 400)


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
    # IdentityServer compares redirect URIs exactly, ignoring case.
    if redirect_uri is None or redirect_uri.casefold() not in {uri.casefold() for uri in client.redirect_uris}:
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
    hidden = "".join(f'<input type="hidden" name="{_e(k)}" value="{_e(v)}">' for k, v in query.items())
    boxes = "".join(
        f'<li><label><input type="checkbox" name="scope_consented" value="{_e(scope)}" checked'
        f'{" disabled" if scope == "openid" else ""}> {_e(scope)}</label></li>'
        for scope in request.scopes
    )
    user = request.user
    page = (
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Visma Connect - consent</title></head>'
        f"<body><h1>{_e(request.client.client_id)} is requesting your permission</h1>"
        f"<p>Signed in as {_e(user.name)} ({_e(user.email)}).</p>"
        f'<form method="post" action="/connect/consent">{hidden}<ul>{boxes}</ul>'
        '<button type="submit" name="consent" value="allow">Yes, allow</button> '
        '<button type="submit" name="consent" value="deny">No, do not allow</button>'
        "</form></body></html>"
    )
    return _html(page, 200)


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
    client = _authenticate_client(world, request, form)
    grant_type = form.get("grant_type", "")
    exchange = _GRANTS.get(grant_type)
    if exchange is None:
        raise OAuthError(400, "unsupported_grant_type", f"grant_type '{grant_type}' is not supported.")
    return exchange(world, client, form, request.origin)


def _authenticate_client(world: World, request: ApiRequest, form: dict[str, str]) -> ConnectClient:
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
        verifier = _b64(hashlib.sha256(verifier.encode("ascii", "replace")).digest())
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
    access_token = _sign({**access, "scope": list(scopes), "jti": world.new_handle(16)}, ACCESS_TOKEN_TYPE)
    world.tokens[access_token] = Grant(
        access_token, client.client_id, scopes, float(now + lifetime), organizations, authorization.user_id,
        authorization_id=authorization.authorization_id,
    )
    body: dict[str, Any] = {}
    if user is not None and "openid" in scopes:
        # Name and e-mail ride in the id token as well as at /connect/userinfo (what
        # IdentityServer's AlwaysIncludeUserClaimsInIdToken does; Visma's setting is unknown).
        at_hash = _b64(hashlib.sha256(access_token.encode()).digest()[:16])
        identity = {**common, "exp": now + ID_TOKEN_LIFETIME_SECONDS, "aud": client.client_id, "at_hash": at_hash}
        if nonce is not None:
            identity["nonce"] = nonce
        if "profile" in scopes:
            identity["name"] = user.name
        if "email" in scopes:
            identity.update(email=user.email, email_verified=True)
        body["id_token"] = _sign(identity, "JWT")
    body.update(access_token=access_token, expires_in=lifetime, token_type="Bearer")
    if refresh is not None:
        body["refresh_token"] = refresh.token
    body["scope"] = " ".join(scopes)
    return json_response(body, headers=_NO_STORE)


# -- userinfo, revocation, introspection, end session --------------------------------


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
    if grant.expires_at <= world.clock.timestamp():
        return None, "The access token expired"  # IdentityServer's words
    if grant.authorization_id in world.revoked_authorizations:
        return None, "The access token has been revoked."
    return grant, ""


def _userinfo_refused(error: str, description: str) -> ApiResponse:
    """IdentityServer's ProtectedResourceErrorResult: 401 (403 for insufficient_scope)
    with the error in ``WWW-Authenticate``. The JSON body is the fake's addition."""
    status = 403 if error == "insufficient_scope" else 401
    challenge = f'Bearer realm="IdentityServer",error="{error}",error_description="{description}"'
    body = {"error": error, "error_description": description}
    return json_response(body, status, {"www-authenticate": challenge, **_NO_STORE})


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
    return json_response(claims, headers=_NO_STORE)


def _bearer(request: ApiRequest) -> str | None:
    scheme, _, token = (request.header("authorization") or "").partition(" ")
    return (token.strip() or None) if scheme.lower() == "bearer" else None


@routes.get(
    "/connect/userinfo", public=True, upstream=False, response=UserInfo, answers=(401, 403), answer_body="OAuthError"
)
def userinfo(call: Call) -> ApiResponse:
    """The signed-in user's claims for a bearer access token with the openid scope:
    ``sub``, ``name`` with profile, ``email`` and ``email_verified`` with email."""
    return _userinfo(call.world, _bearer(call.request))


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
    token = _bearer(call.request) or _form(call.request).get("access_token")
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
    client = _authenticate_client(call.world, request, form)
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
    return ApiResponse(200, b"", dict(_NO_STORE))


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
            return json_response({"active": True, **claims}, headers=_NO_STORE)
    return json_response({"active": False}, headers=_NO_STORE)


def _introspect_access_token(world: World, client: ConnectClient, token: str) -> dict[str, Any] | None:
    grant, _ = _live_access_grant(world, token)
    if grant is None or grant.client_id != client.client_id:
        return None
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
            return _Refused("invalid_request", "The id_token_hint is not an id token this server issued.").render()
        client = world.connect_clients.get(str(claims.get("aud", "")))
    elif query.get("client_id"):
        client = world.connect_clients.get(query["client_id"])
    target = query.get("post_logout_redirect_uri")
    registered = {uri.casefold() for uri in client.post_logout_redirect_uris} if client is not None else set()
    if target and target.casefold() in registered:
        state = query.get("state")
        separator = "&" if "?" in target else "?"
        location = target + (separator + urlencode({"state": state}) if state is not None else "")
        return ApiResponse(302, b"", {"location": location, **_NO_STORE})
    reason = ""
    if target:
        reason = (
            f"<p>Not sent back to {_e(target)}: it is not a post_logout_redirect_uri of "
            f"{_e(client.client_id)}.</p>"
            if client is not None
            else f"<p>Not sent back to {_e(target)}: send id_token_hint (or client_id) to say which client asks.</p>"
        )
    page = (
        "<!DOCTYPE html><html><head><title>Visma Connect - signed out</title></head><body>"
        f"<h1>You are now signed out</h1>{reason}</body></html>"
    )
    return _html(page, 200)


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _html(page: str, status: int) -> ApiResponse:
    return ApiResponse(status, page.encode(), {"content-type": "text/html; charset=utf-8", **_NO_STORE})
