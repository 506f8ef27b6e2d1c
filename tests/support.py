"""What the tests share that is not a fixture: the demo organization, logins, Dinero's error body.

Test modules import these from here; ``conftest.py`` keeps only fixtures.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timezone
from urllib.parse import parse_qs, urlsplit

import httpx
import requests

from fake_dinero.inprocess import DineroTransport
from fake_dinero.world import DEFAULT_API_KEY, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

START = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)
ORG = 123456
BASE_URL = "https://api.dinero.dk"


FakeTransport = DineroTransport
"""The in-process door as an explicit httpx transport: faults and journal included."""


def get_token(client: httpx.Client, api_key: str = DEFAULT_API_KEY, **form: str) -> httpx.Response:
    fields = {"grant_type": "password", "username": api_key, "password": api_key, "scope": "read write", **form}
    return client.post(
        "/dineroapi/oauth/token", data=fields, auth=(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET)
    )


@contextmanager
def requests_session(base_url: str) -> Iterator[requests.Session]:
    """A ``requests`` session logged in with the legacy token to a live fake at ``base_url``
    (the library most Python Dinero clients use)."""
    with httpx.Client(base_url=base_url) as client:
        token = get_token(client).json()["access_token"]
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {token}"
        yield session


def dinero_error(response: httpx.Response, status: int, code: int) -> dict:
    """Assert Dinero's error body with ``status`` and ``code``; return the body."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code, body
    assert set(body) == {"code", "message", "validationErrors", "languageSpecificMessages", "errorMessageList"}
    danish, english = body["languageSpecificMessages"]
    assert danish["property"] == english["property"] == "message"
    assert english["message"] == body["errorMessageList"][0]["Message"]
    return body


# -- Visma Connect ------------------------------------------------------------------

VISMA = "https://connect.visma.com"
ISV_ID = "isv_regnskabsapp"
ISV_SECRET = "isv-secret"
REDIRECT_URI = "https://app.example.dk/callback"
FULL_SCOPE = "openid dineropublicapi:read dineropublicapi:write offline_access"
VERIFIER = "a-pkce-code-verifier-of-at-least-forty-three-characters"
CHALLENGE = base64.urlsafe_b64encode(hashlib.sha256(VERIFIER.encode()).digest()).decode().rstrip("=")


def authorize(visma: httpx.Client, **params: str | None) -> httpx.Response:
    """``GET /connect/authorize`` with a valid PKCE request; a ``None`` leaves a parameter out."""
    query = {
        "client_id": ISV_ID,
        "response_type": "code",
        "redirect_uri": REDIRECT_URI,
        "scope": FULL_SCOPE,
        "state": "st8",
        "nonce": "n0nce",
        "code_challenge": CHALLENGE,
        "code_challenge_method": "S256",
        **params,
    }
    return visma.get("/connect/authorize", params={k: v for k, v in query.items() if v is not None})


def redirected(response: httpx.Response) -> dict[str, str]:
    """The parameters of a redirect back to the client."""
    assert response.status_code == 302, response.text
    return {name: values[0] for name, values in parse_qs(urlsplit(response.headers["location"]).query).items()}


def exchange(visma: httpx.Client, code: str, **form: str | None) -> httpx.Response:
    fields = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI, "code_verifier": VERIFIER}
    fields.update(form)
    return visma.post(
        "/connect/token", data={k: v for k, v in fields.items() if v is not None}, auth=(ISV_ID, ISV_SECRET)
    )


def login(visma: httpx.Client, **params: str | None) -> dict:
    """Authorize and exchange the code: the token response."""
    response = exchange(visma, redirected(authorize(visma, **params))["code"])
    assert response.status_code == 200, response.text
    return response.json()


def refresh(visma: httpx.Client, refresh_token: str, **form: str) -> httpx.Response:
    fields = {"grant_type": "refresh_token", "refresh_token": refresh_token, **form}
    return visma.post("/connect/token", data=fields, auth=(ISV_ID, ISV_SECRET))


def oauth_error(response: httpx.Response, error: str, status: int = 400) -> dict:
    """Assert an OAuth error body with ``error``; return it."""
    assert response.status_code == status, response.text
    body = response.json()
    assert body["error"] == error, body
    return body


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
