"""The control plane: the same operations from Python and over HTTP under /_fake/."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from fake_dinero import Clock, FakeDinero

from .support import ORG, START, dinero_error, get_token

CONTACTS = f"/v1/{ORG}/contacts"


def contact_names(api: httpx.Client) -> list[str]:
    return [c["Name"] for c in api.get(CONTACTS, params={"fields": "Name"}).json()["Collection"]]


def test_reset_returns_to_the_seeded_state(api: httpx.Client, fake: FakeDinero) -> None:
    api.post(CONTACTS, json={"Name": "Temporary", "CountryKey": "DK"})
    fake.control.reset()
    token = get_token(api).json()["access_token"]  # tokens are state too: log in again
    assert api.get(CONTACTS, headers={"Authorization": f"Bearer {token}"}).json()["Collection"] == []


def test_reset_over_http(api: httpx.Client) -> None:
    api.post(CONTACTS, json={"Name": "Temporary", "CountryKey": "DK"})
    assert api.post("/_fake/reset").status_code == 200
    api.headers["Authorization"] = "Bearer " + get_token(api).json()["access_token"]
    assert contact_names(api) == []


def test_reset_gives_the_same_ids_again(api: httpx.Client, fake: FakeDinero) -> None:
    first = api.post(CONTACTS, json={"Name": "A", "CountryKey": "DK"}).json()["ContactGuid"]
    fake.control.reset()
    api.headers["Authorization"] = "Bearer " + get_token(api).json()["access_token"]
    assert api.post(CONTACTS, json={"Name": "A", "CountryKey": "DK"}).json()["ContactGuid"] == first


def test_reset_puts_the_clock_back(fake: FakeDinero, clock: Clock) -> None:
    clock.advance(3600)
    fake.control.reset()
    assert clock.now() == START


def test_reset_clears_journal_faults_and_the_rate_window(api: httpx.Client, fake: FakeDinero) -> None:
    fake.faults.error(status=500)
    api.get(CONTACTS)
    fake.control.reset()
    assert (len(fake.journal), fake.faults.rules) == (0, [])


def test_seed_adds_danish_demo_data_from_the_seed(api: httpx.Client) -> None:
    response = api.post("/_fake/seed", json={"contacts": 3, "products": 2})
    assert response.json() == {"contacts": 3, "products": 2}
    assert len(contact_names(api)) == 3


def test_seed_takes_a_named_scenario(api: httpx.Client) -> None:
    assert api.post("/_fake/seed", json={"scenario": "demo"}).json() == {"contacts": 5, "products": 5}


def test_seed_refuses_an_unknown_scenario(api: httpx.Client) -> None:
    dinero_error(api.post("/_fake/seed", json={"scenario": "nope"}), 400, 42)


def test_clock_can_be_read_frozen_set_and_advanced_over_http(api: httpx.Client) -> None:
    assert api.get("/_fake/clock").json() == {"now": "2026-03-02T09:30:00", "frozen": True}
    assert api.post("/_fake/clock", json={"advance": 90}).json()["now"] == "2026-03-02T09:31:30"
    assert api.post("/_fake/clock", json={"set": "2027-01-01T00:00:00Z"}).json()["now"] == "2027-01-01T00:00:00"
    assert api.post("/_fake/clock", json={"unfreeze": True}).json()["frozen"] is False


def test_a_bad_clock_time_is_refused(api: httpx.Client) -> None:
    dinero_error(api.post("/_fake/clock", json={"set": "tomorrow"}), 400, 42)


def test_faults_are_added_listed_and_cleared_over_http(api: httpx.Client) -> None:
    rule = api.post("/_fake/faults", json={"kind": "error", "path": CONTACTS, "status": 503, "times": 1}).json()
    assert api.get(CONTACTS).status_code == 503
    assert api.get("/_fake/faults").json()[0] == {**rule, "fired": 1}
    api.delete("/_fake/faults")
    assert api.get("/_fake/faults").json() == []


def test_an_unknown_fault_kind_is_refused_over_http(api: httpx.Client) -> None:
    dinero_error(api.post("/_fake/faults", json={"kind": "explode"}), 400, 42)


def test_the_journal_records_each_call_but_not_control_calls(api: httpx.Client) -> None:
    api.get(CONTACTS)
    api.get(f"/v1/{ORG}/contacts/not-a-guid")
    entries = api.get("/_fake/journal").json()
    assert [(e["method"], e["path"], e["status"], e["code"]) for e in entries] == [
        ("POST", "/dineroapi/oauth/token", 200, None),
        ("GET", CONTACTS, 200, None),
        ("GET", f"/v1/{ORG}/contacts/not-a-guid", 400, 42),
    ]
    assert entries[1]["organizationId"] == ORG
    assert entries[1]["clientId"] == "fake-dinero-client"
    assert entries[1]["at"] == "2026-03-02T09:30:00+00:00"


def test_the_journal_can_be_cleared(api: httpx.Client) -> None:
    api.delete("/_fake/journal")
    assert api.get("/_fake/journal").json() == []


def test_provisioning_an_organization_client_and_api_key_lets_it_log_in(api: httpx.Client) -> None:
    api.post("/_fake/organizations", json={"id": 4242, "name": "Ny ApS", "pro": False})
    api.post("/_fake/clients", json={"clientId": "new-client", "clientSecret": "s3cret"})
    key = api.post("/_fake/api-keys", json={"organizationId": 4242}).json()["apiKey"]
    response = api.post(
        "/dineroapi/oauth/token",
        data={"grant_type": "password", "username": key, "password": key},
        auth=("new-client", "s3cret"),
    )
    token = response.json()["access_token"]
    dinero_error(api.get("/v1/4242/contacts", headers={"Authorization": f"Bearer {token}"}), 403, 90)


def test_an_api_key_for_an_unknown_organization_is_refused(api: httpx.Client) -> None:
    dinero_error(api.post("/_fake/api-keys", json={"organizationId": 1}), 400, 42)


def test_state_dump_holds_the_organizations_and_their_rows(api: httpx.Client) -> None:
    api.post(CONTACTS, json={"Name": "Dumped ApS", "CountryKey": "DK"})
    state = api.get("/_fake/state").json()
    contacts = state["organizations"][0]["tables"]["contacts"]
    assert [row["data"]["Name"] for row in contacts] == ["Dumped ApS"]


def test_a_snapshot_file_brings_back_data_and_ids(api: httpx.Client, fake: FakeDinero, tmp_path: Path) -> None:
    guid = api.post(CONTACTS, json={"Name": "Kept ApS", "CountryKey": "DK"}).json()["ContactGuid"]
    api.delete(f"{CONTACTS}/{guid}")
    fake.control.export(tmp_path / "snapshot.json")

    other = FakeDinero()
    other.control.import_(tmp_path / "snapshot.json")
    client = httpx.Client(transport=_transport(other), base_url="https://api.dinero.dk")
    client.headers["Authorization"] = "Bearer " + get_token(client).json()["access_token"]
    contact = client.get(f"{CONTACTS}/{guid}").json()
    assert (contact["Name"], contact["DeletedAt"] is not None) == ("Kept ApS", True)


def test_a_snapshot_can_be_loaded_over_http(api: httpx.Client) -> None:
    api.post(CONTACTS, json={"Name": "Roundtrip", "CountryKey": "DK"})
    snapshot = api.get("/_fake/state").json()
    api.post("/_fake/reset")
    assert api.put("/_fake/state", content=json.dumps(snapshot)).status_code == 200
    api.headers["Authorization"] = "Bearer " + get_token(api).json()["access_token"]
    assert contact_names(api) == ["Roundtrip"]


def test_a_file_that_is_not_a_snapshot_is_refused(api: httpx.Client) -> None:
    dinero_error(api.put("/_fake/state", json={"hello": "world"}), 400, 42)


def _transport(fake: FakeDinero) -> httpx.BaseTransport:
    from .support import FakeTransport

    return FakeTransport(fake)


def test_visma_connect_clients_and_users_are_provisioned_in_the_config_file_shape(
    api: httpx.Client, fake: FakeDinero
) -> None:
    config = {
        "clients": [{"client_id": "isv_new", "client_secret": "s", "redirect_uris": ["https://app.example/cb"]}],
        "users": [{"email": "ny@firma.dk", "organization_ids": [ORG]}],
    }
    assert api.post("/_fake/connect", json=config).status_code == 200
    assert fake.world.connect_clients["isv_new"].redirect_uris == ("https://app.example/cb",)
    assert fake.world.connect_user("ny@firma.dk").organization_ids == (ORG,)


def test_a_bad_visma_connect_config_is_refused(api: httpx.Client) -> None:
    config = {"clients": [{"client_id": "no-isv-prefix", "client_secret": "s"}]}
    dinero_error(api.post("/_fake/connect", json=config), 400, 42)


def test_a_snapshot_keeps_visma_connect_clients_and_users(fake: FakeDinero) -> None:
    fake.world.add_demo_connect()
    other = FakeDinero()
    other.control.import_(fake.control.export())
    assert set(other.world.connect_clients) == set(fake.world.connect_clients)
    assert other.world.connect_users == fake.world.connect_users
