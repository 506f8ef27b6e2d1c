"""``requests`` clients under InProcessDinero: answered by the same fake as httpx, no sockets."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
import requests
import responses
from requests.adapters import HTTPAdapter
from urllib3.util import Retry

from fake_dinero import Clock, FakeDinero
from fake_dinero.inprocess import InProcessDinero
from fake_dinero.world import DEFAULT_API_KEY, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET

from .file_calls import PDF
from .sales_calls import line
from .support import BASE_URL, ORG, bearer, login
from .webhook_calls import Receiver, subscribe

CONTACTS = f"{BASE_URL}/v1/{ORG}/contacts"
FILES = f"{BASE_URL}/v1/{ORG}/files"
TOKEN_URL = "https://authz.dinero.dk/dineroapi/oauth/token"


@pytest.fixture
def door(fake: FakeDinero) -> Iterator[InProcessDinero]:
    with InProcessDinero(fake) as door:
        yield door


@pytest.fixture
def session(door: InProcessDinero) -> Iterator[requests.Session]:
    """A requests session logged in with the legacy token, as most Python Dinero clients are."""
    with requests.Session() as session:
        session.headers["Authorization"] = f"Bearer {token()}"
        yield session


def token() -> str:
    """A legacy token from Dinero's token endpoint: a form body with basic auth."""
    form = {"grant_type": "password", "username": DEFAULT_API_KEY, "password": DEFAULT_API_KEY, "scope": "read write"}
    response = requests.post(TOKEN_URL, data=form, auth=(DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET))
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


def new_contact(session: requests.Session, name: str = "Requests ApS") -> str:
    response = session.post(CONTACTS, json={"Name": name, "CountryKey": "DK", "Email": "kunde@example.dk"})
    assert response.status_code == 200, response.text
    return str(response.json()["ContactGuid"])


def names(session: requests.Session) -> list[str]:
    response = session.get(CONTACTS, params={"fields": "Name,ContactGuid"})
    assert response.status_code == 200, response.text
    return [contact["Name"] for contact in response.json()["Collection"]]


class Loopback:
    """A plain web server on 127.0.0.1 in a thread, answering every GET with ``pong``."""

    def __init__(self) -> None:
        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802  (http.server's name)
                self.send_response(200)
                self.send_header("content-length", "4")
                self.end_headers()
                self.wfile.write(b"pong")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}/ping"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> Loopback:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._server.shutdown()
        self._server.server_close()


def test_a_requests_session_reads_and_writes_the_fake(session: requests.Session) -> None:
    new_contact(session, "Requests ApS")
    assert names(session) == ["Requests ApS"]


def test_requests_and_httpx_reach_the_same_fake(session: requests.Session) -> None:
    new_contact(session, "Skrevet med requests")
    with httpx.Client(headers={"Authorization": session.headers["Authorization"]}) as client:
        listed = client.get(CONTACTS, params={"fields": "Name"}).json()["Collection"]
    assert [contact["Name"] for contact in listed] == ["Skrevet med requests"]


def test_the_journal_records_requests_calls_as_httpx_calls(session: requests.Session, fake: FakeDinero) -> None:
    names(session)
    entry = list(fake.journal)[-1]
    assert (entry.method, entry.path, entry.query, entry.status) == (
        "GET", f"/v1/{ORG}/contacts", "fields=Name%2CContactGuid", 200
    )
    assert entry.organization_id == ORG


def test_the_module_functions_and_a_mounted_adapter_are_answered(door: InProcessDinero) -> None:
    """Dinero clients often mount an HTTPAdapter (or a subclass) with retries of their own."""

    class TimeoutAdapter(HTTPAdapter):
        def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
            kwargs["timeout"] = kwargs.get("timeout") or 30
            return super().send(request, *args, **kwargs)

    bearer = {"Authorization": f"Bearer {token()}"}
    with requests.Session() as session:
        session.mount("https://", TimeoutAdapter(max_retries=Retry(total=3)))
        assert session.get(CONTACTS, headers=bearer).status_code == 200
    assert requests.get(CONTACTS, headers=bearer).status_code == 200


def test_a_multipart_upload_is_kept_byte_for_byte(session: requests.Session) -> None:
    upload = session.post(FILES, files={"file": ("kvittering.pdf", PDF, "application/pdf")})
    assert upload.status_code == 200, upload.text
    download = session.get(f"{FILES}/{upload.json()['FileGuid']}")
    assert download.status_code == 200
    assert download.content == PDF
    assert download.headers["content-type"].startswith("application/pdf")


def test_a_booked_invoice_downloads_as_a_pdf(session: requests.Session) -> None:
    invoices = f"{BASE_URL}/v1/{ORG}/invoices"
    draft = session.post(invoices, json={"ContactGuid": new_contact(session), "ProductLines": [line()]}).json()
    booked = session.post(f"{invoices}/{draft['Guid']}/book", json={"Timestamp": draft["TimeStamp"]})
    assert booked.status_code == 200, booked.text
    pdf = session.get(f"{invoices}/{draft['Guid']}", headers={"Accept": "application/octet-stream"}, stream=True)
    assert pdf.status_code == 200, pdf.text
    content = b"".join(pdf.iter_content(1024))
    assert content.startswith(b"%PDF-")
    assert content.rstrip(b"\r\n").endswith(b"%%EOF")


def test_a_dropped_connection_raises_what_requests_raises_for_a_hang_up(
    session: requests.Session, fake: FakeDinero
) -> None:
    fake.faults.drop(f"/v1/{ORG}/contacts", times=1)
    with pytest.raises(requests.exceptions.ConnectionError, match="Remote end closed connection"):
        session.get(CONTACTS)
    assert session.get(CONTACTS).status_code == 200


def test_latency_moves_the_fake_clock_instead_of_sleeping(
    session: requests.Session, fake: FakeDinero, clock: Clock
) -> None:
    before = clock.now()
    fake.faults.latency(f"/v1/{ORG}/contacts", seconds=2.5)
    assert session.get(CONTACTS, timeout=10).status_code == 200
    assert (clock.now() - before).total_seconds() == 2.5


@pytest.mark.parametrize("timeout", [5, (3.05, 5)], ids=["seconds", "connect-and-read"])
def test_latency_over_the_read_timeout_raises_read_timeout(
    session: requests.Session, fake: FakeDinero, timeout: float | tuple[float, float]
) -> None:
    fake.faults.latency(f"/v1/{ORG}/contacts", seconds=30)
    with pytest.raises(requests.exceptions.ReadTimeout, match="read timeout=5"):
        session.get(CONTACTS, timeout=timeout)


def test_an_error_fault_is_retried_by_a_clients_retry_policy(session: requests.Session, fake: FakeDinero) -> None:
    fake.faults.error(f"/v1/{ORG}/contacts", status=503, times=1)
    session.mount("https://", HTTPAdapter(max_retries=Retry(total=2, status_forcelist=[503], backoff_factor=0)))
    assert session.get(CONTACTS).status_code == 200
    assert [entry.status for entry in fake.journal if entry.path == f"/v1/{ORG}/contacts"] == [503, 200]


def test_a_path_no_dinero_operation_has_is_journaled_as_unrouted(session: requests.Session, fake: FakeDinero) -> None:
    assert session.get(f"{BASE_URL}/v1/{ORG}/no-such-thing").status_code == 404
    [unrouted] = fake.journal.unrouted()
    assert (unrouted.method, unrouted.path) == ("GET", f"/v1/{ORG}/no-such-thing")


@pytest.mark.usefixtures("isv", "visma_user")
def test_webhooks_due_after_a_requests_call_are_sent_before_it_returns(fake: FakeDinero) -> None:
    with Receiver() as receiver, InProcessDinero(fake):
        with httpx.Client(base_url="https://connect.visma.com") as visma:
            authorization = bearer(login(visma)["access_token"])
        with httpx.Client(base_url=BASE_URL, headers=authorization) as client:
            subscribe(client, "contacts", receiver.uri)
        with requests.Session() as session:
            session.headers.update(authorization)
            guid = new_contact(session)
        [delivery] = receiver.wait(1)
    assert delivery.body["Guids"] == [guid]


def test_another_host_passes_through_to_a_loopback_server(session: requests.Session) -> None:
    with Loopback() as server:
        assert requests.get(server.url, timeout=5).text == "pong"


def test_a_tests_own_responses_mock_started_inside_the_door_answers_its_host(session: requests.Session) -> None:
    with responses.RequestsMock() as own:
        own.get("https://app.example/ping", body="pong")
        assert requests.get("https://app.example/ping").text == "pong"
        new_contact(session, "Stadig den falske Dinero")
        assert names(session) == ["Stadig den falske Dinero"]
        assert [call.request.url for call in own.calls] == ["https://app.example/ping"]


def test_a_tests_own_responses_mock_started_before_the_door_answers_its_host(fake: FakeDinero) -> None:
    with responses.RequestsMock() as own, InProcessDinero(fake):
        own.get("https://app.example/ping", body="pong")
        assert requests.get("https://app.example/ping").text == "pong"
        assert requests.get(CONTACTS, headers={"Authorization": f"Bearer {token()}"}).status_code == 200


def test_the_oldest_open_door_answers_as_with_httpx(fake: FakeDinero) -> None:
    other = FakeDinero()
    with InProcessDinero(fake), InProcessDinero(other):
        requests.post(TOKEN_URL, data={"grant_type": "password"})
    assert len(list(fake.journal)) == 1
    assert len(list(other.journal)) == 0


def test_requests_is_unpatched_when_the_last_door_closes(fake: FakeDinero) -> None:
    send = HTTPAdapter.send
    with InProcessDinero(fake):
        with InProcessDinero(fake):
            assert HTTPAdapter.send is not send
        assert HTTPAdapter.send is not send
    assert HTTPAdapter.send is send


@responses.activate
def test_responses_activate_on_the_test_leaves_dinero_to_the_fake(session: requests.Session) -> None:
    responses.get("https://app.example/ping", body="pong")
    assert requests.get("https://app.example/ping").text == "pong"
    assert names(session) == []
