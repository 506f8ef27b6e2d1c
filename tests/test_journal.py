"""The request journal answers "what did my code send, and what came back?", from Python
and over HTTP (GET /_fake/journal); and the control plane takes the names it gives."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import httpx
import pytest

from fake_dinero import Clock, FakeDinero
from fake_dinero.http import ApiRequest, ApiResponse
from fake_dinero.journal import DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_ENTRIES, Journal
from fake_dinero.journal_filters import FilterError
from fake_dinero.live import LiveServer
from fake_dinero.world import DEFAULT_API_KEY, DEFAULT_CLIENT_ID, Settings, World

from .support import ORG, START, dinero_error, get_token

CONTACTS = f"/v1/{ORG}/contacts"
TOKEN = "/dineroapi/oauth/token"


def new_contact(api: httpx.Client, name: str = "Kunde ApS") -> httpx.Response:
    return api.post(CONTACTS, json={"Name": name, "CountryKey": "DK", "IsPerson": False})


def last(fake: FakeDinero):  # type: ignore[no-untyped-def]
    return fake.journal.entries[-1]


# -- what an entry keeps ---------------------------------------------------------------


def test_an_entry_keeps_the_json_body_the_code_sent(api: httpx.Client, fake: FakeDinero) -> None:
    new_contact(api, "Bager Hansen")
    entry = last(fake)
    assert entry.request_body["Name"] == "Bager Hansen"
    assert entry.json() == entry.request_body


def test_json_is_none_for_a_request_without_a_json_body(api: httpx.Client, fake: FakeDinero) -> None:
    api.get(CONTACTS)
    assert (last(fake).json(), last(fake).request_body) == (None, None)


def test_an_entry_keeps_the_answer_as_json(api: httpx.Client, fake: FakeDinero) -> None:
    guid = new_contact(api).json()["ContactGuid"]
    assert last(fake).response_body == {"ContactGuid": guid}


def test_an_entry_keeps_request_and_response_headers(api: httpx.Client, fake: FakeDinero) -> None:
    api.get(CONTACTS, headers={"X-Correlation-Id": "abc-123"})
    entry = last(fake)
    assert entry.request_headers["x-correlation-id"] == "abc-123"
    assert entry.response_headers["content-type"].startswith("application/json")


def test_the_authorization_header_keeps_its_scheme_and_hides_the_token(api: httpx.Client, fake: FakeDinero) -> None:
    api.get(CONTACTS)
    assert last(fake).request_headers["authorization"] == "Bearer [redacted]"


def test_a_token_request_hides_the_client_secret_the_api_key_and_the_token(
    anonymous: httpx.Client, fake: FakeDinero
) -> None:
    get_token(anonymous)
    entry = last(fake)
    assert entry.request_headers["authorization"] == "Basic [redacted]"
    assert "grant_type=password" in entry.request_body
    assert "password=[redacted]" in entry.request_body and "username=[redacted]" in entry.request_body
    assert DEFAULT_API_KEY not in entry.request_body
    assert entry.response_body["access_token"] == "[redacted]"


def test_a_legacy_grant_posted_as_json_hides_its_credentials(anonymous: httpx.Client, fake: FakeDinero) -> None:
    anonymous.post(TOKEN, json={"grant_type": "password", "username": DEFAULT_API_KEY, "password": DEFAULT_API_KEY})
    assert last(fake).request_body == {"grant_type": "password", "username": "[redacted]", "password": "[redacted]"}


def test_cookies_are_hidden_both_ways() -> None:
    journal = Journal()
    request = ApiRequest("GET", "/v1/countries", headers={"cookie": "session=s3cret"})
    journal.record(request, ApiResponse(200, headers={"Set-Cookie": "session=n3w; HttpOnly"}), START)
    entry = journal.entries[-1]
    assert (entry.request_headers["cookie"], entry.response_headers["Set-Cookie"]) == ("[redacted]", "[redacted]")


def test_a_text_answer_is_kept_as_text(api: httpx.Client, fake: FakeDinero) -> None:
    api.get(f"/v1/{ORG}/invoice")
    assert "404 - File or directory not found." in last(fake).response_body


def test_a_binary_body_is_noted_by_its_size_and_type() -> None:
    journal = Journal()
    pdf = ApiResponse(200, b"%PDF-1.7\x00\xff" * 10, {"content-type": "application/pdf"})
    journal.record(ApiRequest("GET", f"/v1/{ORG}/invoices/x"), pdf, START)
    assert journal.entries[-1].response_body == "<100 bytes of application/pdf>"


def test_an_entry_says_when_on_the_fakes_clock(api: httpx.Client, fake: FakeDinero, clock: Clock) -> None:
    clock.advance(90)
    api.get(CONTACTS)
    assert last(fake).at == START + timedelta(seconds=90)


def test_over_http_an_entry_has_camel_case_keys_and_its_bodies(api: httpx.Client) -> None:
    new_contact(api, "Bager Hansen")
    entry = api.get("/_fake/journal").json()[-1]
    assert set(entry) == {
        "method", "path", "query", "status", "code", "organizationId", "clientId", "at", "fault", "routed",
        "didYouMean", "requestHeaders", "requestBody", "responseHeaders", "responseBody",
    }
    assert entry["requestBody"]["Name"] == "Bager Hansen"
    assert entry["requestHeaders"]["authorization"] == "Bearer [redacted]"
    assert (entry["organizationId"], entry["clientId"]) == (ORG, DEFAULT_CLIENT_ID)


def test_over_http_the_time_has_its_utc_offset_and_at_most_milliseconds(api: httpx.Client, clock: Clock) -> None:
    clock.set(datetime(2026, 3, 2, 9, 30, 5, 123456, tzinfo=timezone.utc))
    api.get(CONTACTS)
    assert api.get("/_fake/journal").json()[-1]["at"] == "2026-03-02T09:30:05.123+00:00"


# -- bounded ---------------------------------------------------------------------------


def test_by_default_a_journal_keeps_a_thousand_calls_and_64_kib_of_each_body() -> None:
    journal = Journal()
    assert (journal.max_entries, journal.max_body_bytes) == (DEFAULT_MAX_ENTRIES, DEFAULT_MAX_BODY_BYTES)
    assert (DEFAULT_MAX_ENTRIES, DEFAULT_MAX_BODY_BYTES) == (1000, 65536)


def test_the_journal_keeps_the_newest_calls_and_counts_those_it_dropped(api: httpx.Client, fake: FakeDinero) -> None:
    fake.journal = Journal(max_entries=2)
    for page in range(3):
        api.get(CONTACTS, params={"page": page})
    assert [entry.query for entry in fake.journal] == ["page=1", "page=2"]
    assert (fake.journal.dropped, len(fake.journal), len(fake.journal.entries)) == (1, 3, 2)


def test_over_http_a_header_counts_the_dropped_calls(api: httpx.Client, fake: FakeDinero) -> None:
    fake.journal = Journal(max_entries=1)
    api.get(CONTACTS)
    api.get(CONTACTS)
    assert api.get("/_fake/journal").headers["X-Fake-Dinero-Journal-Dropped"] == "1"


def test_a_body_over_the_bound_is_cut_with_a_note_of_its_size(api: httpx.Client, fake: FakeDinero) -> None:
    fake.journal = Journal(max_body_bytes=20)
    body = new_contact(api, "A" * 100).request.content
    sent = last(fake).request_body
    assert sent.startswith(body[:20].decode())
    assert sent.endswith(f"[cut: {len(body)} bytes in all, the first 20 kept]")


def test_json_of_a_cut_body_says_to_keep_more(api: httpx.Client, fake: FakeDinero) -> None:
    fake.journal = Journal(max_body_bytes=20)
    new_contact(api, "A" * 100)
    with pytest.raises(ValueError, match="max_body_bytes"):
        last(fake).json()


def test_a_cut_body_still_hides_credentials(anonymous: httpx.Client, fake: FakeDinero) -> None:
    fake.journal = Journal(max_body_bytes=60)
    anonymous.post(TOKEN, json={"password": DEFAULT_API_KEY, "grant_type": "password", "scope": "read write" * 9})
    assert DEFAULT_API_KEY not in last(fake).request_body


def test_a_journal_keeps_at_least_one_call() -> None:
    with pytest.raises(ValueError, match="max_entries"):
        Journal(max_entries=0)


def test_clear_forgets_the_calls_and_the_dropped_count(api: httpx.Client, fake: FakeDinero) -> None:
    fake.journal = Journal(max_entries=1)
    api.get(CONTACTS)
    fake.journal.clear()
    assert (list(fake.journal), fake.journal.dropped, len(fake.journal)) == ([], 0, 0)


# -- filters ---------------------------------------------------------------------------


def test_entries_filter_by_method_in_any_case(api: httpx.Client, fake: FakeDinero) -> None:
    new_contact(api)
    api.get(CONTACTS)
    assert [entry.path for entry in fake.journal.entries(method="post")] == [TOKEN, CONTACTS]


def test_entries_filter_by_a_path_glob_in_any_case(api: httpx.Client, fake: FakeDinero) -> None:
    api.get(f"/v1/{ORG}/Contacts")
    api.get(f"/v1/{ORG}/products")
    assert [entry.path for entry in fake.journal.entries(path="/v1/*/contacts*")] == [f"/v1/{ORG}/Contacts"]


def test_entries_filter_by_status_or_a_class_of_statuses(api: httpx.Client, fake: FakeDinero) -> None:
    api.get(f"{CONTACTS}/not-a-guid")
    api.get(f"/v1/{ORG}/invoice")
    assert [entry.status for entry in fake.journal.entries(status="4xx")] == [400, 404]
    assert [entry.status for entry in fake.journal.entries(status=404)] == [404]


def test_entries_filter_since_a_time_on_the_fakes_clock(api: httpx.Client, fake: FakeDinero, clock: Clock) -> None:
    clock.advance(60)
    api.get(CONTACTS)
    later = START + timedelta(seconds=60)
    assert [entry.at for entry in fake.journal.entries(since=later)] == [later]
    assert fake.journal.entries(since="2026-03-02T10:30:30+01:00") == fake.journal.entries(since=later)


def test_entries_filter_by_organization(api: httpx.Client, fake: FakeDinero) -> None:
    api.get(CONTACTS)
    api.get("/v1/999/contacts")
    assert [entry.path for entry in fake.journal.entries(organization_id=999)] == ["/v1/999/contacts"]


def test_a_bad_filter_raises_naming_the_filter(fake: FakeDinero) -> None:
    with pytest.raises(FilterError, match="use a number such as 404 or a class such as 4xx") as raised:
        fake.journal.entries(status="client errors")
    assert raised.value.name == "status"


def test_over_http_the_journal_filters_by_method(api: httpx.Client) -> None:
    new_contact(api)
    api.get(CONTACTS)
    assert [entry["path"] for entry in api.get("/_fake/journal?method=POST").json()] == [TOKEN, CONTACTS]


def test_over_http_the_journal_filters_by_path_status_and_organization(api: httpx.Client) -> None:
    api.get(CONTACTS)
    api.get(f"{CONTACTS}/not-a-guid")
    api.get(f"/v1/{ORG}/products")
    found = api.get("/_fake/journal", params={"path": "/v1/*/contacts*", "status": "4xx", "organizationId": ORG})
    assert [(entry["path"], entry["status"]) for entry in found.json()] == [(f"{CONTACTS}/not-a-guid", 400)]


def test_over_http_the_journal_filters_since_a_time_even_with_an_unencoded_plus(
    api: httpx.Client, clock: Clock
) -> None:
    clock.advance(60)
    api.get(CONTACTS)
    encoded = api.get("/_fake/journal", params={"since": "2026-03-02T10:30:30+01:00"}).json()
    raw = api.get("/_fake/journal?since=2026-03-02T10:30:30+01:00").json()
    assert [entry["path"] for entry in encoded] == [entry["path"] for entry in raw] == [CONTACTS]


@pytest.mark.parametrize(
    ("name", "value"),
    [("status", "client errors"), ("since", "yesterday"), ("method", "P O"), ("organizationId", "abc"),
     ("unrouted", "maybe")],
)
def test_over_http_a_bad_filter_is_a_400_naming_it(api: httpx.Client, name: str, value: str) -> None:
    body = dinero_error(api.get("/_fake/journal", params={name: value}), 400, 42)
    assert name in body["validationErrors"]


def test_over_http_an_unknown_filter_is_a_400_naming_the_known_ones(api: httpx.Client) -> None:
    body = dinero_error(api.get("/_fake/journal", params={"verb": "POST"}), 400, 42)
    assert "method, path, status, since, organizationId, unrouted" in body["validationErrors"]["verb"]


# -- calls to paths Dinero does not have --------------------------------------------------


def test_a_call_to_a_path_dinero_lacks_is_unrouted_with_the_nearest_operation(
    api: httpx.Client, fake: FakeDinero
) -> None:
    api.get(f"/v1/{ORG}/invoice")
    (entry,) = fake.journal.unrouted()
    assert (entry.path, entry.routed, entry.did_you_mean) == (
        f"/v1/{ORG}/invoice", False, "GET /v1/{organizationId}/invoices"
    )


def test_a_missing_row_or_a_wrong_method_is_not_unrouted(api: httpx.Client, fake: FakeDinero) -> None:
    api.get(f"{CONTACTS}/00000000-0000-0000-0000-000000000000")
    api.delete(f"/v1/{ORG}/products")
    assert fake.journal.unrouted() == []


def test_a_fault_answering_an_unrouted_call_keeps_it_unrouted(api: httpx.Client, fake: FakeDinero) -> None:
    fake.faults.error(status=503)
    api.get(f"/v1/{ORG}/invoice")
    assert [entry.did_you_mean for entry in fake.journal.unrouted()] == ["GET /v1/{organizationId}/invoices"]


def test_unrouted_calls_outlast_the_bound_on_entries(api: httpx.Client, fake: FakeDinero) -> None:
    fake.journal = Journal(max_entries=2)
    api.get(f"/v1/{ORG}/invoice")
    for _ in range(3):
        api.get(CONTACTS)
    assert [entry.path for entry in fake.journal.unrouted()] == [f"/v1/{ORG}/invoice"]


def test_describe_unrouted_names_each_call_and_its_nearest_operation(api: httpx.Client, fake: FakeDinero) -> None:
    api.get(f"/v1/{ORG}/invoice")
    assert fake.journal.describe_unrouted().splitlines()[1] == (
        f"  GET /v1/{ORG}/invoice -> 404 [no such operation; did you mean GET /v1/{{organizationId}}/invoices?]"
    )


def test_over_http_unrouted_true_lists_only_the_unrouted_calls(api: httpx.Client) -> None:
    api.get(CONTACTS)
    api.get(f"/v1/{ORG}/invoice")
    found = api.get("/_fake/journal", params={"unrouted": "true"}).json()
    assert [(entry["path"], entry["didYouMean"]) for entry in found] == [
        (f"/v1/{ORG}/invoice", "GET /v1/{organizationId}/invoices")
    ]


def test_the_live_server_journals_unrouted_calls_in_the_same_place() -> None:
    with LiveServer(FakeDinero(World.with_demo(seed=1))) as live:
        httpx.get(f"{live.base_url}/v1/{ORG}/invoice")
        assert [entry.did_you_mean for entry in live.fake.journal.unrouted()] == ["GET /v1/{organizationId}/invoices"]


# -- assertions --------------------------------------------------------------------------


def test_a_failed_assert_called_shows_what_was_sent_and_the_error_that_came_back(
    api: httpx.Client, fake: FakeDinero
) -> None:
    api.post(CONTACTS, json={"Name": "Uden land"})
    with pytest.raises(AssertionError) as failed:
        fake.journal.assert_called("POST", "/v1/*/contacts", status=200)
    message = str(failed.value)
    assert "expected POST /v1/*/contacts -> 200 at least once, got 0." in message
    assert f"POST {CONTACTS} -> 400 (code 42)" in message
    assert 'sent: {"Name":"Uden land"}' in message
    assert 'got:  {"code":42' in message


def test_a_failure_message_cuts_a_long_body_to_a_line(api: httpx.Client, fake: FakeDinero) -> None:
    new_contact(api, "A" * 1000)
    sent = [line for line in fake.journal.describe().splitlines() if "sent:" in line][-1]
    assert len(sent) < 200 and sent.endswith("...")


def test_a_failure_message_shows_only_the_newest_calls(api: httpx.Client, fake: FakeDinero) -> None:
    for _ in range(5):
        api.get(CONTACTS)
    lines = fake.journal.describe(last=2).splitlines()
    assert lines[0] == "Requests the fake received (the last 2 of 6):"
    assert len(lines) == 3


def test_assert_called_takes_the_same_filters(api: httpx.Client, fake: FakeDinero, clock: Clock) -> None:
    api.get(f"{CONTACTS}/not-a-guid")
    clock.advance(60)
    api.get(CONTACTS)
    fake.journal.assert_called("GET", "/v1/*/contacts*", status="4xx", times=1)
    fake.journal.assert_not_called("GET", "/v1/*/contacts/*", since=START + timedelta(seconds=60))


# -- the control plane takes the names it gives ----------------------------------------------


def test_a_seed_takes_organization_id_in_snake_case(api: httpx.Client) -> None:
    assert api.post("/_fake/seed", json={"organization_id": ORG, "contacts": 2}).json()["contacts"] == 2


def test_a_fault_rule_as_the_control_plane_lists_it_can_be_posted_back(api: httpx.Client) -> None:
    rule = api.post("/_fake/faults", json={"kind": "error", "path": CONTACTS, "organizationId": ORG}).json()
    api.delete("/_fake/faults")
    again = api.post("/_fake/faults", json=rule).json()
    assert {key: again[key] for key in ("kind", "path", "organization_id")} == {
        "kind": "error", "path": CONTACTS, "organization_id": ORG
    }


def test_an_api_key_and_a_client_take_snake_case_keys(api: httpx.Client) -> None:
    assert api.post("/_fake/api-keys", json={"organization_id": ORG, "api_key": "my-key"}).json() == {
        "apiKey": "my-key", "organizationId": ORG
    }
    assert api.post("/_fake/clients", json={"client_id": "mine", "client_secret": "s"}).json() == {"clientId": "mine"}


def test_visma_connect_provisioning_takes_camel_case_keys(api: httpx.Client, fake: FakeDinero) -> None:
    config = {
        "clients": [{"clientId": "isv_mine", "clientSecret": "s", "redirectUris": ["http://localhost/cb"]}],
        "users": [{"email": "bo@example.dk", "organizationIds": [ORG]}],
    }
    assert api.post("/_fake/connect", json=config).status_code == 200
    assert fake.world.connect_clients["isv_mine"].redirect_uris == ("http://localhost/cb",)
    assert fake.world.connect_user("bo@example.dk").organization_ids == (ORG,)


@pytest.mark.parametrize("path", ["/_fake/outbox", "/_fake/webhooks/deliveries", "/_fake/journal"])
def test_a_control_query_takes_organization_id_in_snake_case(api: httpx.Client, path: str) -> None:
    assert api.get(path, params={"organization_id": ORG}).status_code == 200


@pytest.mark.parametrize(
    ("path", "body", "key", "known"),
    [
        ("/_fake/seed", {"organisationId": ORG}, "organisationId", "scenario, organizationId, contacts, products"),
        ("/_fake/clock", {"frozen": True}, "frozen", "freeze, unfreeze, at, set, advance"),
        ("/_fake/faults", {"kind": "error", "paths": "*"}, "paths", "kind, method, path, organizationId"),
        ("/_fake/organizations", {"id": 77, "isPro": True}, "isPro", "id, name, pro"),
        ("/_fake/clients", {"clientId": "c", "secret": "s"}, "secret", "clientId, clientSecret"),
        ("/_fake/api-keys", {"organizationId": ORG, "key": "k"}, "key", "organizationId, apiKey"),
        ("/_fake/connect", {"client": []}, "client", "organizations, clients, users"),
        ("/_fake/connect", {"clients": [{"clientId": "c", "clientSecrt": "s"}]}, "clients.clientSecrt",
         "client_id, client_secret, redirect_uris"),
    ],
)
def test_a_control_body_refuses_an_unknown_key_naming_the_known_ones(
    api: httpx.Client, path: str, body: dict, key: str, known: str
) -> None:
    errors = dinero_error(api.post(path, json=body), 400, 42)["validationErrors"]
    assert known in errors[key]


@pytest.mark.parametrize("path", ["/_fake/outbox", "/_fake/webhooks/deliveries"])
def test_a_control_query_refuses_an_unknown_parameter_naming_the_known_ones(api: httpx.Client, path: str) -> None:
    errors = dinero_error(api.get(path, params={"org": ORG}), 400, 42)["validationErrors"]
    assert "organizationId" in errors["org"]



def test_the_journals_bounds_are_settings_of_the_world() -> None:
    fake = FakeDinero(World.with_demo(settings=Settings(journal_entries=2, journal_body_bytes=10)))
    for _ in range(3):
        fake.deliver(ApiRequest("POST", "/v1/organizations", body=b'{"Name": "a long body"}'))
    assert (len(list(fake.journal)), fake.journal.dropped) == (2, 1)
    assert "[cut: 23 bytes in all, the first 10 kept]" in fake.journal.entries[-1].request_body
