"""The request log ``fake-dinero serve`` prints: one line per request, through the Starlette door."""

from __future__ import annotations

import asyncio
import io
import json
import threading
from typing import Any

import httpx
import pytest

from fake_dinero import Clock, FakeDinero, World
from fake_dinero.asgi import ConnectionDropped, create_app
from fake_dinero.request_log import ConsoleWriter, RequestLog, redact
from fake_dinero.world import DEFAULT_API_KEY, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET
from tests.support import START


class Served:
    """A fake behind the Starlette door with a request log that collects its lines."""

    def __init__(self, **log_options: Any) -> None:
        self.fake = FakeDinero(World.with_demo(seed=1, clock=Clock(START)))
        self.lines: list[str] = []
        self.app = create_app(self.fake, RequestLog(self.lines.append, **log_options))
        self.headers: dict[str, str] = {}

    def request(self, method: str, url: str, **options: Any) -> httpx.Response:
        async def send() -> httpx.Response:
            transport = httpx.ASGITransport(app=self.app)
            async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8765") as client:
                return await client.request(method, url, headers=self.headers, **options)

        return asyncio.run(send())

    def login(self) -> None:
        token = self.request(
            "POST",
            "/dineroapi/oauth/token",
            data={"grant_type": "password", "username": DEFAULT_API_KEY, "password": DEFAULT_API_KEY},
            auth=(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET),
        ).json()["access_token"]
        self.headers["Authorization"] = f"Bearer {token}"


def test_each_request_is_one_line_with_the_fakes_time_method_path_status_and_organization() -> None:
    served = Served()
    served.login()
    served.request("GET", "/v1/123456/contacts?page=0")
    assert served.lines == [
        "2026-03-02 09:30:00.000  POST /dineroapi/oauth/token -> 200",
        "2026-03-02 09:30:00.000  GET /v1/123456/contacts?page=0 -> 200  org 123456",
    ]


def test_a_dinero_error_shows_its_code() -> None:
    served = Served()
    served.login()
    served.request("POST", "/v1/123456/contacts", json={})
    assert served.lines[-1].endswith("POST /v1/123456/contacts -> 400 code 42  org 123456")


def test_a_faulted_answer_names_the_fault_and_its_kind() -> None:
    served = Served()
    served.login()
    served.fake.faults.error("/v1/*/products", status=503)
    served.request("GET", "/v1/123456/products")
    assert served.lines[-1].endswith("GET /v1/123456/products -> 503  org 123456  fault fault-1 (error)")


def test_control_calls_are_logged_and_marked() -> None:
    served = Served()
    served.request("POST", "/_fake/reset")
    assert served.lines == ["2026-03-02 09:30:00.000  POST /_fake/reset -> 200  control"]


def test_an_unknown_route_names_the_operation_meant() -> None:
    served = Served()
    served.login()
    served.request("GET", "/v1/123456/contact")
    assert served.lines[-1].endswith("-> 404  org 123456  did you mean GET /v1/{organizationId}/contacts?")


def test_json_lines_carry_the_same_for_tools() -> None:
    served = Served(as_json=True)
    served.login()
    served.fake.faults.error("/v1/*/products", status=500)
    served.request("GET", "/v1/123456/products")
    line = json.loads(served.lines[-1])
    assert line == {
        "method": "GET",
        "path": "/v1/123456/products",
        "query": "",
        "status": 500,
        "code": 50,
        "organization_id": 123456,
        "client_id": DEFAULT_CLIENT_ID,
        "at": "2026-03-02T09:30:00",
        "fault": "fault-1",
        "fault_kind": "error",
        "control": False,
        "did_you_mean": None,
    }


def test_bodies_are_added_on_request_with_credentials_redacted() -> None:
    served = Served(bodies=True)
    served.login()
    served.request("POST", "/v1/123456/contacts", json={"Name": "Logget ApS", "CountryKey": "DK"})
    login, create = served.lines
    assert DEFAULT_API_KEY not in login
    assert "password=[redacted]" in login
    assert '"access_token":"[redacted]"' in login
    assert '\n    > {"Name":"Logget ApS","CountryKey":"DK"}' in create
    assert '\n    < {"ContactGuid":' in create


def test_json_lines_carry_bodies_on_request() -> None:
    served = Served(bodies=True, as_json=True)
    served.request("POST", "/_fake/clock", json={"advance": 60})
    line = json.loads(served.lines[-1])
    assert (line["request_body"], json.loads(line["response_body"])["frozen"]) == ('{"advance":60}', True)


def test_a_binary_body_is_shown_as_its_size_and_type() -> None:
    served = Served(bodies=True)
    served.login()
    served.request("POST", "/v1/123456/files", files={"file": ("bilag.pdf", b"%PDF-1.4 fake", "application/pdf")})
    assert "\n    > <" in served.lines[-1] and "bytes, multipart/form-data>" in served.lines[-1]


def test_redaction_keeps_dinero_error_codes_and_takes_tokens() -> None:
    assert redact('{"code":42,"message":"x"}', "application/json") == '{"code":42,"message":"x"}'
    assert redact('{"refresh_token":"abc","id_token":"x"}') == '{"refresh_token":"[redacted]","id_token":"[redacted]"}'
    form = "grant_type=authorization_code&code=abc&client_secret=s"
    assert redact(form, "application/x-www-form-urlencoded") == (
        "grant_type=authorization_code&code=[redacted]&client_secret=[redacted]"
    )


def test_a_legacy_grant_posted_as_json_has_its_api_key_and_password_redacted_in_any_case() -> None:
    body = '{"grant_type":"password","Username":"the-api-key","PASSWORD":"the-api-key"}'
    assert redact(body, "application/json") == (
        '{"grant_type":"password","Username":"[redacted]","PASSWORD":"[redacted]"}'
    )


def test_colour_only_when_asked_and_status_keeps_its_text() -> None:
    served = Served(colour=True)
    served.login()
    assert served.lines == ["2026-03-02 09:30:00.000  POST /dineroapi/oauth/token -> \x1b[32m200\x1b[0m"]


def test_the_door_logs_nothing_without_a_log() -> None:
    fake = FakeDinero(World.with_demo(seed=1))
    assert create_app(fake).router.default.request_log is None  # type: ignore[attr-defined]


class _Blocked(io.StringIO):
    """A console nobody reads: a write waits until the test lets it go."""

    def __init__(self) -> None:
        super().__init__()
        self.release = threading.Event()

    def write(self, text: str) -> int:
        self.release.wait(10)
        return super().write(text)


def test_an_unread_console_never_holds_up_the_server_and_dropped_lines_are_counted() -> None:
    console = _Blocked()
    writer = ConsoleWriter(console, capacity=2)
    for index in range(10):
        writer(f"line {index}")  # returns at once though nothing is written
    assert writer.dropped >= 7
    console.release.set()
    writer.close()
    text = console.getvalue()
    assert "log line(s) dropped: the console was not read" in text
    assert text.startswith("line 0\n")


@pytest.mark.parametrize("as_json", [False, True])
def test_a_dropped_connection_is_logged(as_json: bool) -> None:
    served = Served(as_json=as_json)
    served.login()
    served.fake.faults.drop("/v1/*/contacts")
    with pytest.raises((httpx.HTTPError, ConnectionDropped)):
        served.request("GET", "/v1/123456/contacts")
    if as_json:
        assert json.loads(served.lines[-1])["status"] == 0
    else:
        assert served.lines[-1].endswith("-> dropped  org 123456  fault fault-1 (drop)")


class _Counted(_Blocked):
    """A console that counts the writes it is given."""

    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    def write(self, text: str) -> int:
        self.writes += 1
        return super().write(text)


def test_lines_that_wait_together_are_written_together_in_order() -> None:
    console = _Counted()
    writer = ConsoleWriter(console)
    for index in range(50):
        writer(f"line {index}")
    console.release.set()
    writer.close()
    assert console.getvalue() == "".join(f"line {index}\n" for index in range(50))
    assert console.writes < 50
    assert writer.dropped == 0
