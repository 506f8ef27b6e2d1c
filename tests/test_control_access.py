"""Only the control plane's owner reaches it over HTTP: a DNS-rebinding page, another site's
page or a passer-by on the network cannot reset, seed or read the fake."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import pytest

from fake_dinero import FakeDinero, LiveServer, World
from fake_dinero.control_access import ControlAccess, is_loopback


@contextmanager
def client(access: ControlAccess | None = None, host: str | None = None) -> Iterator[httpx.Client]:
    """A client of a live fake, sending ``host`` as the Host header (as a page reached under
    another name, or another machine, would)."""
    with LiveServer(FakeDinero(World.with_demo()), access=access) as server:
        headers = {"Host": f"{host}:{server.port}"} if host else {}
        with httpx.Client(base_url=server.base_url, headers=headers) as http:
            yield http


def test_the_owner_on_loopback_reaches_the_control_plane() -> None:
    with client() as http:
        assert http.get("/_fake/state").status_code == 200
    with client(host="localhost") as http:
        assert http.post("/_fake/reset").status_code == 200


def test_a_request_for_another_host_name_is_refused_so_dns_rebinding_reads_no_secrets() -> None:
    with client(host="attacker.example") as http:
        answer = http.get("/_fake/state")
    assert (answer.status_code, answer.json()["code"]) == (403, 41)
    assert "--allowed-host" in answer.json()["message"]
    assert "fake-dinero-secret" not in answer.text


def test_a_host_name_the_server_was_started_for_is_answered() -> None:
    access = ControlAccess.for_server("0.0.0.0", allowed_hosts=("fake-dinero",))
    with client(access, host="fake-dinero") as http:
        assert http.get("/_fake/clock").status_code == 200


def test_a_cross_site_page_cannot_post_to_the_control_plane() -> None:
    with client() as http:
        answer = http.post("/_fake/faults", json={"kind": "error", "path": "/v1/*"},
                           headers={"Origin": "https://evil.example"})  # fmt: skip
        assert answer.status_code == 403
        assert http.get("/_fake/faults").json() == []


def test_the_servers_own_page_may_call_it() -> None:
    with client() as http:
        assert http.post("/_fake/reset", headers={"Origin": str(http.base_url).rstrip("/")}).status_code == 200


def test_a_control_write_with_a_form_or_text_body_is_refused() -> None:
    with client() as http:
        answer = http.post("/_fake/seed", content=b'{"contacts": 1}', headers={"Content-Type": "text/plain"})
    assert (answer.status_code, answer.json()["code"]) == (415, 42)


def test_a_control_write_with_json_or_no_body_is_answered() -> None:
    with client() as http:
        assert http.post("/_fake/seed", json={"contacts": 1}).status_code == 200
        assert http.post("/_fake/reset").status_code == 200


def test_with_a_token_the_control_plane_needs_it() -> None:
    with client(ControlAccess.for_server("127.0.0.1", token="s3cret")) as http:
        assert http.get("/_fake/state").status_code == 401
        assert http.get("/_fake/state", headers={"X-Fake-Dinero-Token": "wrong"}).status_code == 401
        assert http.get("/_fake/state", headers={"X-Fake-Dinero-Token": "s3cret"}).status_code == 200


def test_dineros_api_is_not_held_to_the_control_planes_rules() -> None:
    with client(host="fake-dinero.internal") as http:
        assert http.get("/v1/organizations").status_code == 401  # the API's own answer: no token


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("localhost", True), ("::1", True), ("[::1]", True), ("127.0.1.1", True),
    ("0.0.0.0", False), ("::", False), ("192.168.1.10", False), ("fake-dinero", False),
])  # fmt: skip
def test_which_listening_addresses_are_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
