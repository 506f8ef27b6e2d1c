"""``GET /connect/authorize``: PKCE, response modes, consent, and where errors go (reference §3.2)."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlencode

import httpx
import jwt

from fake_dinero import World
from fake_dinero.provisioning import ConnectClient

from .support import (
    CHALLENGE,
    ISV_ID,
    ISV_SECRET,
    ORG,
    REDIRECT_URI,
    VERIFIER,
    VISMA,
    authorize,
    bearer,
    exchange,
    redirected,
)


class Form(HTMLParser):
    """The first form of a page, read as a browser would: action, fields and buttons."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.action: str | None = None
        self.fields: list[tuple[str, str]] = []
        self.buttons: dict[str, tuple[str, str]] = {}
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "form" and self.action is None:
            self.action = a["action"]
        elif tag == "input" and "disabled" not in a:
            if a.get("type") == "hidden" or (a.get("type") == "checkbox" and "checked" in a):
                self.fields.append((a["name"], a["value"]))
        elif tag == "button" and "name" in a:
            self.buttons[a["value"]] = (a["name"], a["value"])

    def submit(self, client: httpx.Client, button: str, untick: str | None = None) -> httpx.Response:
        assert self.action is not None
        fields = [field for field in self.fields if field != ("scope_consented", untick)]
        body = urlencode([*fields, self.buttons[button]])
        return client.post(self.action, content=body, headers={"content-type": "application/x-www-form-urlencoded"})


def test_consent_is_given_at_once_with_a_redirect_carrying_code_state_and_issuer(visma: httpx.Client) -> None:
    response = authorize(visma)
    assert response.headers["location"].startswith(REDIRECT_URI + "?")
    params = redirected(response)
    assert params["state"] == "st8"
    assert params["iss"] == VISMA
    assert params["scope"] == "openid dineropublicapi:read dineropublicapi:write offline_access"
    assert len(params["code"]) == 64


def test_form_post_answers_a_page_that_posts_code_and_state_to_the_client(visma: httpx.Client) -> None:
    response = authorize(visma, response_mode="form_post")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    form = Form(response.text)
    assert form.action == REDIRECT_URI
    fields = dict(form.fields)
    assert fields["state"] == "st8"
    assert exchange(visma, fields["code"]).status_code == 200


def test_unknown_client_is_shown_not_redirected(visma: httpx.Client) -> None:
    response = authorize(visma, client_id="isv_nobody")
    assert response.status_code == 400
    assert "unauthorized_client" in response.text
    assert "location" not in response.headers


def test_unregistered_redirect_uri_is_shown_not_redirected(visma: httpx.Client) -> None:
    response = authorize(visma, redirect_uri="https://evil.example/callback")
    assert response.status_code == 400
    assert "invalid_request" in response.text
    assert "location" not in response.headers


def test_redirect_uri_matches_registered_ones_ignoring_case(visma: httpx.Client) -> None:
    assert authorize(visma, redirect_uri=REDIRECT_URI.upper().replace("HTTPS", "https")).status_code == 302


# PKCE is a per-application setting in Visma Connect. A published Dinero client sends its
# authorize request with no code_challenge and logs in, so the default application does
# not require PKCE; it still checks PKCE exactly whenever a client uses it.


def test_a_client_may_log_in_without_pkce_by_default(visma: httpx.Client, anonymous: httpx.Client) -> None:
    code = redirected(authorize(visma, code_challenge=None, code_challenge_method=None))["code"]
    tokens = exchange(visma, code, code_verifier=None)
    assert tokens.status_code == 200, tokens.text
    assert anonymous.get("/v1/organizations", headers=bearer(tokens.json()["access_token"])).status_code == 200


def test_a_challenge_sent_to_a_client_that_does_not_require_pkce_is_still_verified(visma: httpx.Client) -> None:
    code = redirected(authorize(visma))["code"]
    assert exchange(visma, code, code_verifier="x" * 43).json()["error"] == "invalid_grant"


def test_a_client_that_requires_pkce_sends_back_a_missing_code_challenge_as_invalid_request(
    visma: httpx.Client, world: World
) -> None:
    world.add_connect_client(ISV_ID, ISV_SECRET, redirect_uris=(REDIRECT_URI,), require_pkce=True)
    params = redirected(authorize(visma, code_challenge=None, code_challenge_method=None))
    assert params["error"] == "invalid_request"
    assert "requires PKCE" in params["error_description"]
    assert params["state"] == "st8"


def test_a_client_that_requires_pkce_logs_in_with_s256(visma: httpx.Client, world: World) -> None:
    world.add_connect_client(ISV_ID, ISV_SECRET, redirect_uris=(REDIRECT_URI,), require_pkce=True)
    assert exchange(visma, redirected(authorize(visma))["code"]).status_code == 200


def test_plain_pkce_is_refused_unless_the_client_allows_it(visma: httpx.Client) -> None:
    params = redirected(authorize(visma, code_challenge=VERIFIER, code_challenge_method="plain"))
    assert params["error"] == "invalid_request"


def test_a_challenge_without_method_is_plain(visma: httpx.Client) -> None:
    assert redirected(authorize(visma, code_challenge_method=None))["error"] == "invalid_request"


def test_plain_pkce_works_for_a_client_configured_to_allow_it(visma: httpx.Client, world: World) -> None:
    world.add_connect_client(ISV_ID, ISV_SECRET, redirect_uris=(REDIRECT_URI,), allow_plain_pkce=True)
    code = redirected(authorize(visma, code_challenge=VERIFIER, code_challenge_method="plain"))["code"]
    assert exchange(visma, code).status_code == 200


def test_a_code_challenge_too_short_is_invalid_request(visma: httpx.Client) -> None:
    assert redirected(authorize(visma, code_challenge=CHALLENGE[:20]))["error"] == "invalid_request"


def test_an_unknown_challenge_method_is_invalid_request(visma: httpx.Client) -> None:
    assert redirected(authorize(visma, code_challenge_method="S512"))["error"] == "invalid_request"


def test_a_scope_the_client_may_not_request_is_invalid_scope(visma: httpx.Client, world: World) -> None:
    world.add_connect_client(
        ISV_ID, ISV_SECRET, redirect_uris=(REDIRECT_URI,), allowed_scopes=("openid", "dineropublicapi:read")
    )
    params = redirected(authorize(visma, scope="openid dineropublicapi:read dineropublicapi:write"))
    assert params["error"] == "invalid_scope"
    assert "dineropublicapi:write" in params["error_description"]


def test_an_unknown_scope_is_invalid_scope(visma: httpx.Client) -> None:
    assert redirected(authorize(visma, scope="openid dineropublicapi:admin"))["error"] == "invalid_scope"


def test_missing_scope_is_invalid_request(visma: httpx.Client) -> None:
    assert redirected(authorize(visma, scope=None))["error"] == "invalid_request"


def test_a_response_type_other_than_code_is_unsupported(visma: httpx.Client) -> None:
    assert redirected(authorize(visma, response_type="token"))["error"] == "unsupported_response_type"


def test_an_unknown_response_mode_is_invalid_request_sent_back_in_the_query(visma: httpx.Client) -> None:
    assert redirected(authorize(visma, response_mode="fragment"))["error"] == "invalid_request"


def test_errors_go_back_by_form_post_when_asked_for(visma: httpx.Client) -> None:
    response = authorize(visma, response_mode="form_post", scope="openid nonsense")
    fields = dict(Form(response.text).fields)
    assert (fields["error"], fields["state"]) == ("invalid_scope", "st8")


def test_redirect_uri_with_a_query_keeps_it(visma: httpx.Client, world: World) -> None:
    world.add_connect_client(ISV_ID, ISV_SECRET, redirect_uris=(REDIRECT_URI + "?tenant=7",))
    location = authorize(visma, redirect_uri=REDIRECT_URI + "?tenant=7").headers["location"]
    assert location.startswith(REDIRECT_URI + "?tenant=7&code=")


def test_login_hint_picks_the_user(visma: httpx.Client, world: World) -> None:
    bo = world.add_connect_user("bo@example.dk", [ORG])
    code = redirected(authorize(visma, login_hint="BO@example.dk"))["code"]
    claims = jwt.decode(exchange(visma, code).json()["access_token"], options={"verify_signature": False})
    assert claims["sub"] == bo.user_id


def test_a_login_hint_naming_nobody_is_login_required(visma: httpx.Client) -> None:
    assert redirected(authorize(visma, login_hint="nobody@example.dk"))["error"] == "login_required"


# -- the consent page ------------------------------------------------------------------


def consenting(world: World) -> ConnectClient:
    return world.add_connect_client(ISV_ID, ISV_SECRET, redirect_uris=(REDIRECT_URI,), require_consent=True)


def test_a_client_configured_for_consent_gets_a_page_with_the_scopes(visma: httpx.Client, world: World) -> None:
    consenting(world)
    response = authorize(visma)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Anna Andersen" in response.text
    assert ("scope_consented", "dineropublicapi:write") in Form(response.text).fields


def test_allowing_on_the_consent_page_redirects_with_a_code(visma: httpx.Client, world: World) -> None:
    consenting(world)
    params = redirected(Form(authorize(visma).text).submit(visma, "allow"))
    assert params["state"] == "st8"
    assert exchange(visma, params["code"]).status_code == 200


def test_denying_on_the_consent_page_redirects_access_denied(visma: httpx.Client, world: World) -> None:
    consenting(world)
    params = redirected(Form(authorize(visma).text).submit(visma, "deny"))
    assert (params["error"], params["state"]) == ("access_denied", "st8")


def test_unticking_a_scope_leaves_it_out_of_the_token(
    visma: httpx.Client, world: World, anonymous: httpx.Client
) -> None:
    consenting(world)
    params = redirected(Form(authorize(visma).text).submit(visma, "allow", untick="dineropublicapi:write"))
    assert params["scope"] == "openid dineropublicapi:read offline_access"
    token = exchange(visma, params["code"]).json()["access_token"]
    response = anonymous.post(f"/v1/{ORG}/contacts", json={"Name": "A", "CountryKey": "DK"}, headers=bearer(token))
    assert response.status_code == 403


def test_a_tampered_consent_form_is_checked_again(visma: httpx.Client, world: World) -> None:
    consenting(world)
    form = Form(authorize(visma).text)
    form.fields = [(k, "https://evil.example/cb" if k == "redirect_uri" else v) for k, v in form.fields]
    response = form.submit(visma, "allow")
    assert response.status_code == 400
    assert "location" not in response.headers
