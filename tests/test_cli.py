"""``fake-dinero serve``: a real server on 127.0.0.1, as a new user starts it."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator

import httpx
import pytest

from fake_dinero.cli import build_parser


def read_banner(process: subprocess.Popen[str], deadline_seconds: float = 30) -> str:
    """Lines the server prints until its 'Stop with Ctrl-C.' line, without sleeping.

    A thread reads the pipe so a server that never prints fails the test
    at the deadline instead of hanging it.
    """
    assert process.stdout is not None
    lines: queue.Queue[str] = queue.Queue()
    stdout = process.stdout

    def pump() -> None:
        for line in iter(stdout.readline, ""):
            lines.put(line)
            if line.startswith("Stop with Ctrl-C."):
                return

    threading.Thread(target=pump, daemon=True).start()
    seen: list[str] = []
    deadline = time.monotonic() + deadline_seconds
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            break
        seen.append(line)
        if line.startswith("Stop with Ctrl-C."):
            return "".join(seen)
    raise AssertionError(f"no banner; got {''.join(seen)!r}")


@pytest.fixture
def server() -> Iterator[tuple[subprocess.Popen[str], str]]:
    env = {**os.environ, "FAKE_DINERO_CLIENT_ID": "env-client"}
    process = subprocess.Popen(
        [sys.executable, "-m", "fake_dinero.cli", "serve", "--port", "0", "--seed", "3", "--rate-limit", "off"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    with process:
        try:
            yield process, read_banner(process)
        finally:
            if process.poll() is None:
                process.kill()


def field(banner: str, name: str) -> str:
    match = re.search(rf"^  {name}\s+(\S+)$", banner, re.MULTILINE)
    assert match, banner
    return match.group(1)


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


def test_serve_stops_cleanly_on_sigterm(server: tuple[subprocess.Popen[str], str]) -> None:
    process, _ = server
    process.send_signal(signal.SIGTERM)
    assert process.wait(20) == 0
    assert process.stdout is not None
    assert "fake-dinero: stopped" in process.stdout.read()


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
        [sys.executable, "-m", "fake_dinero.cli", "serve", "--port", port],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "cannot listen on 127.0.0.1:" in result.stderr
