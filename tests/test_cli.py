"""``fake-dinero serve``: a real server on 127.0.0.1, as a new user starts it."""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import re
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from fake_dinero import FakeDinero
from fake_dinero.cli import SHUTDOWN_SECONDS, build_parser, build_world, control_access, main
from fake_dinero.cli import banner as render_banner
from fake_dinero.domain.documents import SALES
from fake_dinero.world import DEFAULT_VISMA_CLIENT_ID, DEFAULT_VISMA_CLIENT_SECRET, DEFAULT_VISMA_REDIRECT_URI

from .cli_calls import field, running, started


@pytest.fixture
def server() -> Iterator[tuple[subprocess.Popen[str], str]]:
    with running("--seed", "3", "--rate-limit", "off", env={"FAKE_DINERO_CLIENT_ID": "env-client"}) as started:
        yield started


def test_serve_prints_urls_credentials_and_a_curl_to_try(server: tuple[subprocess.Popen[str], str]) -> None:
    _, banner = server
    assert field(banner, "base URL").startswith("http://127.0.0.1:")
    assert field(banner, "token URL") == field(banner, "base URL") + "/dineroapi/oauth/token"
    assert field(banner, "client id") == "env-client"
    assert "curl -s -H \"Authorization: Bearer $TOKEN\"" in banner


def test_serve_answers_the_legacy_login_and_the_api(server: tuple[subprocess.Popen[str], str]) -> None:
    _, banner = server
    base, api_key = field(banner, "base URL"), field(banner, "API key")
    with httpx.Client(base_url=base) as client:
        token = client.post(
            "/dineroapi/oauth/token",
            data={"grant_type": "password", "username": api_key, "password": api_key},
            auth=(field(banner, "client id"), field(banner, "client secret")),
        ).json()["access_token"]
        contacts = client.get(
            f"/v1/{field(banner, 'organization')}/contacts", headers={"Authorization": f"Bearer {token}"}
        )
    assert contacts.status_code == 200
    assert contacts.json()["Pagination"]["Result"] == 5


def test_serve_stops_cleanly_on_sigterm() -> None:
    with started("--contacts", "0") as (process, console, _):
        process.send_signal(signal.SIGTERM)
        assert process.wait(20) == 0
        assert console.read_until(lambda line: "stopped" in line)[-1] == "fake-dinero: stopped\n"


def test_every_serve_option_can_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "HOST": "127.0.0.2",
        "PORT": "9999",
        "SEED": "42",
        "RATE_LIMIT": "off",
        "CLIENT_ID": "cid",
        "CLIENT_SECRET": "csecret",
        "API_KEY": "key",
        "ORG_ID": "42",
    }.items():
        monkeypatch.setenv(f"FAKE_DINERO_{name}", value)
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port, args.seed, args.rate_limit) == ("127.0.0.2", 9999, 42, None)
    assert (args.client_id, args.client_secret, args.api_key, args.org_id) == ("cid", "csecret", "key", 42)


def test_flags_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAKE_DINERO_PORT", "9999")
    assert build_parser().parse_args(["serve", "--port", "1234"]).port == 1234


def test_rate_limit_takes_a_number_or_off() -> None:
    assert build_parser().parse_args(["serve", "--rate-limit", "60"]).rate_limit == 60
    with pytest.raises(SystemExit):
        build_parser().parse_args(["serve", "--rate-limit", "lots"])


def test_a_busy_port_is_reported_not_a_traceback(server: tuple[subprocess.Popen[str], str]) -> None:
    _, banner = server
    port = field(banner, "base URL").rsplit(":", 1)[1]
    result = subprocess.run(
        [sys.executable, "-m", "fake_dinero", "serve", "--port", port],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "cannot listen on 127.0.0.1:" in result.stderr


# -- Visma Connect ---------------------------------------------------------------------


def test_serve_answers_the_visma_connect_login_at_its_own_address(server: tuple[subprocess.Popen[str], str]) -> None:
    _, banner = server
    base = field(banner, "base URL")
    client_id, secret = field(banner, "visma client id"), field(banner, "visma client secret")
    redirect_uri = field(banner, "visma redirect URI")
    verifier = "v" * 43
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    with httpx.Client(base_url=base) as client:
        discovery = client.get(field(banner, "discovery URL")).json()
        assert discovery["issuer"] == base
        authorized = client.get(
            discovery["authorization_endpoint"],
            params={
                "client_id": client_id,
                "response_type": "code",
                "redirect_uri": redirect_uri,
                "scope": "openid dineropublicapi:read offline_access",
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            },
        )
        code = parse_qs(urlsplit(authorized.headers["location"]).query)["code"][0]
        form = {"grant_type": "authorization_code", "code": code, "redirect_uri": redirect_uri}
        form["code_verifier"] = verifier
        tokens = client.post(discovery["token_endpoint"], data=form, auth=(client_id, secret)).json()
        organizations = client.get("/v1/organizations", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    organization = {"id": int(field(banner, "organization")), "name": "Demo Regnskab ApS", "isPro": True}
    assert organizations.json() == [organization]


def serve_args(*flags: str) -> argparse.Namespace:
    return build_parser().parse_args(["serve", "--contacts", "0", "--products", "0", *flags])


def test_serve_provisions_one_visma_client_and_a_user_of_the_demo_organization() -> None:
    world = build_world(serve_args())
    client = world.connect_clients[DEFAULT_VISMA_CLIENT_ID]
    assert client.redirect_uris == (DEFAULT_VISMA_REDIRECT_URI,)
    assert client.refresh_token_usage == "onetime"
    assert world.connect_user().organization_ids == (123456,)


def test_visma_flags_set_the_client() -> None:
    args = serve_args(
        "--visma-client-id", "isv_mine",
        "--visma-client-secret", "s3cret",
        "--visma-redirect-uri", "http://localhost:3000/cb",
        "--visma-redirect-uri", "http://localhost:3000/other",
        "--refresh-token-usage", "reuse",
    )  # fmt: skip
    client = build_world(args).connect_clients["isv_mine"]
    assert client.client_secret == "s3cret"
    assert client.redirect_uris == ("http://localhost:3000/cb", "http://localhost:3000/other")
    assert client.refresh_token_usage == "reuse"


def test_the_demo_visma_client_does_not_require_pkce_unless_asked() -> None:
    assert build_world(serve_args()).connect_clients[DEFAULT_VISMA_CLIENT_ID].require_pkce is False
    assert build_world(serve_args("--visma-require-pkce")).connect_clients[DEFAULT_VISMA_CLIENT_ID].require_pkce


def test_requiring_pkce_can_come_from_the_environment_and_shows_in_the_banner(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FAKE_DINERO_VISMA_REQUIRE_PKCE", "true")
    args = serve_args()
    assert build_world(args).connect_clients[DEFAULT_VISMA_CLIENT_ID].require_pkce
    assert field(render_banner(args, 8765), "PKCE") == "required"
    assert serve_args("--no-visma-require-pkce").visma_require_pkce is False


def test_the_banner_shows_the_visma_client_its_redirect_uris_and_endpoints() -> None:
    args = serve_args("--visma-redirect-uri", "http://localhost:3000/cb", "--visma-redirect-uri", "http://x/cb")
    text = render_banner(args, 8765)
    assert field(text, "visma client id") == DEFAULT_VISMA_CLIENT_ID
    assert field(text, "visma client secret") == DEFAULT_VISMA_CLIENT_SECRET
    assert re.findall(r"^  visma redirect URI\s+(\S+)$", text, re.MULTILINE) == ["http://localhost:3000/cb", "http://x/cb"]
    assert field(text, "authorize URL") == "http://127.0.0.1:8765/connect/authorize"
    assert field(text, "connect token URL") == "http://127.0.0.1:8765/connect/token"
    assert field(text, "refresh tokens") == "onetime"


def test_visma_options_can_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "VISMA_CLIENT_ID": "isv_env",
        "VISMA_CLIENT_SECRET": "env-secret",
        "VISMA_REDIRECT_URI": "http://a/cb http://b/cb",
        "REFRESH_TOKEN_USAGE": "reuse",
    }.items():
        monkeypatch.setenv(f"FAKE_DINERO_{name}", value)
    client = build_world(serve_args()).connect_clients["isv_env"]
    assert (client.client_secret, client.refresh_token_usage) == ("env-secret", "reuse")
    assert client.redirect_uris == ("http://a/cb", "http://b/cb")


def test_serve_books_a_named_scenario_at_start_and_a_reset_keeps_it() -> None:
    fake = FakeDinero(build_world(serve_args("--scenario", "year")))
    fake.control.reset()
    invoices = [row for row in fake.world.organizations[123456].table(SALES) if row.data.Kind == "Invoice"]
    assert invoices and all(row.data.booked for row in invoices)


def test_the_scenario_can_come_from_the_environment_and_shows_in_the_banner(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "scenario" not in render_banner(serve_args(), 8765)
    monkeypatch.setenv("FAKE_DINERO_SCENARIO", "year")
    assert field(render_banner(serve_args(), 8765), "scenario") == "year"


def test_an_unknown_scenario_is_refused() -> None:
    with pytest.raises(SystemExit):
        serve_args("--scenario", "someday")


def test_refresh_token_usage_is_reuse_or_onetime() -> None:
    with pytest.raises(SystemExit):
        serve_args("--refresh-token-usage", "sometimes")


def test_a_connect_config_file_adds_clients_users_and_organizations(tmp_path: Path) -> None:
    config = tmp_path / "connect.json"
    config.write_text(
        json.dumps(
            {
                "organizations": [{"Id": 654321, "Name": "Anden ApS"}],
                "clients": [
                    {
                        "client_id": "isv_acme",
                        "client_secret": "acme-secret",
                        "redirect_uris": ["https://acme.example/cb"],
                        "refresh_token_usage": "onetime",
                        "refresh_token_grace_seconds": 10,
                        "require_consent": True,
                    }
                ],
                "users": [{"email": "bo@acme.example", "organization_ids": [123456, 654321]}],
            }
        )
    )
    world = build_world(serve_args("--connect-config", str(config)))
    client = world.connect_clients["isv_acme"]
    assert (client.redirect_uris, client.refresh_token_grace_seconds, client.require_consent) == (
        ("https://acme.example/cb",),
        10,
        True,
    )
    assert world.connect_user("bo@acme.example").organization_ids == (123456, 654321)
    assert world.organizations[654321].profile["Name"] == "Anden ApS"


def test_a_bad_connect_config_is_reported_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "connect.json"
    config.write_text(json.dumps({"clients": [{"client_id": "acme", "client_secret": "x"}]}))
    assert main(["serve", "--connect-config", str(config)]) == 2
    assert "start with 'isv_'" in capsys.readouterr().err


def test_an_unknown_client_setting_in_the_config_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "connect.json"
    config.write_text(json.dumps({"clients": [{"client_id": "isv_a", "client_secret": "x", "grace": 5}]}))
    assert main(["serve", "--connect-config", str(config)]) == 2
    assert "grace" in capsys.readouterr().err


def login(client: httpx.Client, banner: str) -> None:
    api_key = field(banner, "API key")
    token = client.post(
        "/dineroapi/oauth/token",
        data={"grant_type": "password", "username": api_key, "password": api_key},
        auth=(field(banner, "client id"), field(banner, "client secret")),
    ).json()["access_token"]
    client.headers["Authorization"] = f"Bearer {token}"


def test_export_on_exit_and_import_carry_state_across_restarts(tmp_path: Path) -> None:
    snapshot = tmp_path / "state.json"
    with running("--contacts", "0", "--export-on-exit", str(snapshot)) as (process, banner):
        with httpx.Client(base_url=field(banner, "base URL")) as client:
            login(client, banner)
            client.post("/v1/123456/contacts", json={"Name": "Gemt ApS", "CountryKey": "DK"})
        process.send_signal(signal.SIGTERM)
        assert process.wait(20) == 0
    with running("--contacts", "0", "--import", str(snapshot)) as (_, banner):
        with httpx.Client(base_url=field(banner, "base URL")) as client:
            login(client, banner)
            names = [c["name"] for c in client.get("/v1/123456/contacts").json()["Collection"]]
    assert names == ["Gemt ApS"]


def test_a_missing_import_file_is_reported_not_a_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["serve", "--port", "0", "--import", str(tmp_path / "missing.json")])
    assert stop.value.code == 2
    assert "missing.json: no such file" in capsys.readouterr().err


def test_coverage_is_a_fake_dinero_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage", "--check", "--write", "-"]) == 0
    assert "Dinero operations implemented" in capsys.readouterr().out


def test_contract_is_a_fake_dinero_command_that_refuses_missing_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["contract", "--base-url", "http://127.0.0.1:1"]) == 2
    assert "--org" in capsys.readouterr().err


# -- the request log on the console -----------------------------------------------------------


def test_serve_logs_each_request_on_the_console_with_the_fault_that_answered() -> None:
    with started("--contacts", "1") as (_, console, banner):
        with httpx.Client(base_url=field(banner, "base URL")) as client:
            client.post("/_fake/clock", json={"freeze": True, "at": "2026-03-02T09:30:00Z"})
            login(client, banner)
            client.get("/v1/123456/contacts")
            client.post("/_fake/faults", json={"kind": "error", "path": "/v1/*/products", "status": 503})
            client.get("/v1/123456/products")
        lines = console.read_until(lambda line: "/products" in line)
    assert [line.rstrip("\n") for line in lines] == [
        "2026-03-02 09:30:00.000  POST /_fake/clock -> 200  control",
        "2026-03-02 09:30:00.000  POST /dineroapi/oauth/token -> 200",
        "2026-03-02 09:30:00.000  GET /v1/123456/contacts -> 200  org 123456",
        "2026-03-02 09:30:00.000  POST /_fake/faults -> 200  control",
        "2026-03-02 09:30:00.000  GET /v1/123456/products -> 503  org 123456  fault fault-1 (error)",
    ]


def test_serve_quiet_logs_nothing() -> None:
    with started("--quiet", env={"FAKE_DINERO_CONTACTS": "0"}) as (process, console, banner):
        with httpx.Client(base_url=field(banner, "base URL")) as client:
            client.get("/_fake/clock")
        process.send_signal(signal.SIGTERM)
        assert console.read_until(lambda line: "stopped" in line) == ["fake-dinero: stopped\n"]


def test_serve_log_json_writes_json_lines() -> None:
    with started(env={"FAKE_DINERO_LOG_JSON": "1"}) as (_, console, banner):
        with httpx.Client(base_url=field(banner, "base URL")) as client:
            client.get("/v1/123456/contacts")
        line = json.loads(console.read_until(lambda line: "/contacts" in line)[-1])
    assert (line["method"], line["path"], line["status"], line["control"]) == ("GET", "/v1/123456/contacts", 401, False)


def test_serve_on_loopback_needs_no_control_token() -> None:
    access = control_access(build_parser().parse_args(["serve"]))
    assert access.token is None


def test_serve_beyond_loopback_makes_up_a_control_token() -> None:
    first, second = (control_access(build_parser().parse_args(["serve", "--host", "0.0.0.0"])) for _ in range(2))
    assert first.token and second.token and first.token != second.token


def test_serve_answers_the_control_plane_only_with_its_token() -> None:
    with running("--control-token", "s3cret", "--allowed-host", "fake-dinero") as (_, banner):
        assert field(banner, "token") == "s3cret"
        assert "fake-dinero" in banner.split("answers for")[1].splitlines()[0]
        base = field(banner, "base URL")
        assert httpx.get(f"{base}/_fake/state").status_code == 401
        assert httpx.get(f"{base}/_fake/clock", headers={"X-Fake-Dinero-Token": "s3cret"}).status_code == 200


def test_a_client_stuck_mid_body_does_not_keep_serve_from_stopping_or_lose_the_export(tmp_path: Path) -> None:
    snapshot = tmp_path / "state.json"
    with started("--contacts", "1", "--export-on-exit", str(snapshot)) as (process, console, banner):
        host, port = field(banner, "base URL").removeprefix("http://").rsplit(":", 1)
        with socket.create_connection((host, int(port))) as stuck:
            stuck.sendall(b"POST /v1/123456/contacts HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"Na")
            process.send_signal(signal.SIGTERM)
            assert process.wait(SHUTDOWN_SECONDS + 5) == 0  # without a bound it took over 20 s
    assert json.loads(snapshot.read_text(encoding="utf-8"))["organizations"]
