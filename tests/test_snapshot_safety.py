"""Snapshot files are written whole or not at all, and a snapshot is loaded whole or not
at all: a refused one changes nothing and says where in the document it is wrong."""

from __future__ import annotations

import copy
import json
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fake_dinero import FakeDinero
from fake_dinero.snapshot import SnapshotError, write_snapshot

from .cli_calls import fake_dinero
from .support import BASE_URL, ORG, FakeTransport, bearer, dinero_error, get_token

CONTACTS = f"/v1/{ORG}/contacts"

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="file size limits and modes are POSIX's")


def add_contact(api: httpx.Client, name: str = "Gemt ApS") -> str:
    response = api.post(CONTACTS, json={"Name": name, "CountryKey": "DK"})
    assert response.status_code == 200, response.text
    return response.json()["ContactGuid"]


def contact_names(api: httpx.Client) -> list[str]:
    response = api.get(CONTACTS, params={"fields": "Name"})
    assert response.status_code == 200, response.text
    return [contact["Name"] for contact in response.json()["Collection"]]


def state_of(fake: FakeDinero) -> str:
    return json.dumps(fake.control.export(), sort_keys=True)


@contextmanager
def disk_full_after(nbytes: int) -> Iterator[None]:
    """Every file write past ``nbytes`` fails (EFBIG), as on a disk that fills up."""
    import resource

    previous_limit = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (nbytes, previous_limit[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, previous_limit)
        signal.signal(signal.SIGXFSZ, previous_handler)


# -- writing ---------------------------------------------------------------------------


def test_a_snapshot_file_is_replaced_whole_and_leaves_nothing_beside_it(
    api: httpx.Client, fake: FakeDinero, tmp_path: Path
) -> None:
    target = tmp_path / "state.json"
    write_snapshot(target, fake.control.export())
    add_contact(api)
    write_snapshot(target, fake.control.export())
    assert json.loads(target.read_text(encoding="utf-8")) == fake.control.export()
    assert [path.name for path in tmp_path.iterdir()] == ["state.json"]


@posix_only
def test_a_disk_that_fills_up_mid_write_leaves_the_old_snapshot(
    api: httpx.Client, fake: FakeDinero, tmp_path: Path
) -> None:
    target = tmp_path / "state.json"
    write_snapshot(target, fake.control.export())
    old = target.read_bytes()
    fake.control.seed(contacts=50)
    with disk_full_after(len(old) // 2), pytest.raises(OSError):
        write_snapshot(target, fake.control.export())
    assert target.read_bytes() == old
    assert [path.name for path in tmp_path.iterdir()] == ["state.json"]


@posix_only
def test_export_on_a_disk_that_fills_up_mid_write_leaves_the_old_snapshot(fake: FakeDinero, tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    fake.control.export(target)
    old = target.read_bytes()
    fake.control.seed(contacts=50)
    with disk_full_after(len(old) // 2), pytest.raises(OSError):
        fake.control.export(target)
    assert target.read_bytes() == old


def test_a_write_that_fails_before_the_file_is_on_disk_leaves_the_old_one_and_no_temporary_file(
    fake: FakeDinero, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "state.json"
    target.write_text("the only copy", encoding="utf-8")

    def failing_fsync(descriptor: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError):
        write_snapshot(target, fake.control.export())
    assert target.read_text(encoding="utf-8") == "the only copy"
    assert [path.name for path in tmp_path.iterdir()] == ["state.json"]


@posix_only
def test_rewriting_a_snapshot_keeps_its_file_mode(fake: FakeDinero, tmp_path: Path) -> None:
    target = tmp_path / "state.json"
    target.write_text("{}", encoding="utf-8")
    target.chmod(0o600)
    write_snapshot(target, fake.control.export())
    assert target.stat().st_mode & 0o777 == 0o600


@posix_only
def test_a_snapshot_written_through_a_symlink_replaces_the_file_it_names(fake: FakeDinero, tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("{}", encoding="utf-8")
    link = tmp_path / "state.json"
    link.symlink_to(real)
    write_snapshot(link, fake.control.export())
    assert link.is_symlink()
    assert json.loads(real.read_text(encoding="utf-8"))["format"] == "fake-dinero-snapshot/1"


# -- loading ---------------------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], None]


def _set(path: tuple[str | int, ...], value: Any) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        node = document
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return mutate


def _delete(path: tuple[str | int, ...]) -> Mutation:
    def mutate(document: dict[str, Any]) -> None:
        node = document
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]

    return mutate


def _duplicate_first_contact(document: dict[str, Any]) -> None:
    contacts = document["organizations"][0]["tables"]["contacts"]
    contacts.append({**contacts[0], "seq": 99})


def _duplicate_organization(document: dict[str, Any]) -> None:
    document["organizations"].append(copy.deepcopy(document["organizations"][0]))


ORG_0 = ("organizations", 0)
CONTACT_0 = (*ORG_0, "tables", "contacts", 0)

HOSTILE: list[tuple[str, Mutation, str]] = [
    ("version not a number", _set((*ORG_0, "version"), "x"), "organizations[0].version"),
    ("subscription not an object", _set((*ORG_0, "profile", "Subscription"), 5),
     "organizations[0].profile.Subscription"),
    ("row key a number", _set((*CONTACT_0, "key"), 12), "organizations[0].tables.contacts[0].key"),
    ("row key no GUID", _set((*CONTACT_0, "key"), "not-a-guid"), "organizations[0].tables.contacts[0]"),
    ("duplicate row keys", _duplicate_first_contact, "organizations[0].tables.contacts[1].key"),
    ("unknown table", _set((*ORG_0, "tables", "contactz"), []), "organizations[0].tables.contactz"),
    ("table not a list", _set((*ORG_0, "tables", "contacts"), None), "organizations[0].tables.contacts"),
    ("tables not an object", _set((*ORG_0, "tables"), []), "organizations[0].tables"),
    ("row data not its model", _set((*CONTACT_0, "data", "IsPerson"), "perhaps"),
     "organizations[0].tables.contacts[0].data.IsPerson"),
    ("row data missing", _delete((*CONTACT_0, "data")), "organizations[0].tables.contacts[0].data"),
    ("row data a list", _set((*CONTACT_0, "data"), []), "organizations[0].tables.contacts[0].data"),
    ("row seq missing", _delete((*CONTACT_0, "seq")), "organizations[0].tables.contacts[0].seq"),
    ("row time no date", _set((*CONTACT_0, "createdAt"), "yesterday"), "organizations[0].tables.contacts[0].createdAt"),
    ("row time without zone", _set((*CONTACT_0, "updatedAt"), "2026-03-02T09:30:00"),
     "organizations[0].tables.contacts[0].updatedAt"),
    ("row version above the organization's", _set((*CONTACT_0, "version"), 10**9),
     "organizations[0].tables.contacts[0].version"),
    ("unknown row key", _set((*CONTACT_0, "colour"), "red"), "organizations[0].tables.contacts[0].colour"),
    ("organization a string", _set(ORG_0, "Demo"), "organizations[0]"),
    ("organization without Id", _delete((*ORG_0, "profile", "Id")), "organizations[0].profile.Id"),
    ("organization Id not a number", _set((*ORG_0, "profile", "Id"), "abc"), "organizations[0].profile.Id"),
    ("duplicate organization", _duplicate_organization, "organizations[1].profile.Id"),
    ("organizations not a list", _set(("organizations",), 5), "organizations"),
    ("organizations missing", _delete(("organizations",)), "organizations"),
    ("client without secret", _delete(("clients", 0, "clientSecret")), "clients[0].clientSecret"),
    ("API key of no organization", _set(("apiKeys", 0, "organizationId"), 99), "apiKeys[0].organizationId"),
    ("API key a number", _set(("apiKeys", 0, "apiKey"), 7), "apiKeys[0].apiKey"),
    ("Visma Connect client id", _set(("connect", "clients"), [{"client_id": "acme", "client_secret": "s"}]),
     "connect.clients[0]"),
    ("Visma Connect user e-mail", _set(("connect", "users"), [{"email": 5}]), "connect.users[0].email"),
    ("unknown key", _set(("extra",), 1), "extra"),
    ("another format", _set(("format",), "fake-dinero-snapshot/0"), "format"),
]  # fmt: skip


def hostile(api: httpx.Client, fake: FakeDinero, mutate: Mutation) -> dict[str, Any]:
    add_contact(api)
    document = json.loads(json.dumps(fake.control.export()))
    mutate(document)
    return document


@pytest.mark.parametrize(("mutate", "where"), [pytest.param(m, w, id=name) for name, m, w in HOSTILE])
def test_a_refused_snapshot_changes_nothing_and_says_where(
    api: httpx.Client, fake: FakeDinero, mutate: Mutation, where: str
) -> None:
    document = hostile(api, fake, mutate)
    before = state_of(fake)
    body = dinero_error(api.put("/_fake/state", json=document), 400, 42)
    assert f"{where}: " in body["validationErrors"]["body"]
    assert state_of(fake) == before
    assert contact_names(api) == ["Gemt ApS"]
    assert api.post("/_fake/reset").status_code == 200
    api.headers.update(bearer(get_token(api).json()["access_token"]))
    assert contact_names(api) == []


@pytest.mark.parametrize(("mutate", "where"), [pytest.param(m, w, id=name) for name, m, w in HOSTILE])
def test_a_refused_snapshot_is_a_value_error_that_starts_with_where(
    api: httpx.Client, fake: FakeDinero, mutate: Mutation, where: str
) -> None:
    document = hostile(api, fake, mutate)
    with pytest.raises(ValueError) as refused:
        fake.control.import_(document)
    assert str(refused.value).startswith(f"{where}: ")
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize("document", [[], "snapshot", None, 5], ids=repr)
def test_a_file_that_holds_no_json_object_is_refused(fake: FakeDinero, document: Any, tmp_path: Path) -> None:
    (tmp_path / "state.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(SnapshotError, match="^the document: should be a JSON object"):
        fake.control.import_(tmp_path / "state.json")


def test_a_refused_import_keeps_the_last_loaded_snapshot_as_the_reset_point(
    api: httpx.Client, fake: FakeDinero
) -> None:
    add_contact(api, "Indlæst ApS")
    good = fake.control.export()
    fake.control.import_(good)
    with pytest.raises(ValueError):
        fake.control.import_({**good, "apiKeys": 5})
    fake.control.reset()
    api.headers.update(bearer(get_token(api).json()["access_token"]))
    assert contact_names(api) == ["Indlæst ApS"]


def test_serve_refuses_a_bad_import_file_in_one_line_naming_the_place(fake: FakeDinero, tmp_path: Path) -> None:
    document = fake.control.export()
    document["organizations"][0]["version"] = "x"
    (tmp_path / "state.json").write_text(json.dumps(document), encoding="utf-8")
    result = fake_dinero("serve", "--port", "0", "--import", "state.json", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (2, ""), result.stderr
    assert result.stderr.startswith("fake-dinero serve: --import state.json: organizations[0].version: ")
    assert len(result.stderr.splitlines()) == 1


def test_a_visma_connect_config_with_one_bad_client_adds_none(fake: FakeDinero) -> None:
    config = {
        "clients": [
            {"client_id": "isv_good", "client_secret": "s"},
            {"client_id": "isv_bad", "client_secret": "s", "redirect_uris": "https://app.example/cb"},
        ]
    }
    with pytest.raises(ValueError, match=r"^clients\[1\]\.redirect_uris: should be a JSON array"):
        fake.world.provision_connect(config)
    assert "isv_good" not in fake.world.connect_clients


# -- any one change to a good snapshot ---------------------------------------------------


def _paths(node: Any, prefix: tuple[str | int, ...] = ()) -> Iterator[tuple[str | int, ...]]:
    if prefix:
        yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


_SMALL = FakeDinero()
_SMALL.control.seed(contacts=1, products=1)
GOOD = json.loads(json.dumps(_SMALL.control.export()))
# The chart's 140-odd rows are alike; one of each table keeps the paths to draw from varied.
for _tables in (organization["tables"] for organization in GOOD["organizations"]):
    for _name in _tables:
        del _tables[_name][1:]
PATHS = sorted(_paths(GOOD), key=repr)
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-2, 2**70), st.floats(allow_nan=False), st.text(max_size=4),
    st.just([]), st.just({}), st.just("2026-03-02T09:30:00"), st.sampled_from(["DELETE"]),
)  # fmt: skip


@settings(
    max_examples=120, deadline=None, database=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(path=st.sampled_from(PATHS), value=VALUES)
def test_any_one_change_to_a_snapshot_loads_whole_or_is_refused_whole(path: tuple[str | int, ...], value: Any) -> None:
    document = copy.deepcopy(GOOD)
    (_delete(path) if value == "DELETE" else _set(path, value))(document)
    fake = FakeDinero()
    fake.control.seed(contacts=2)
    before = state_of(fake)
    try:
        fake.control.import_(document)
    except SnapshotError:
        assert state_of(fake) == before
        return
    fake.control.reset()
    with httpx.Client(transport=FakeTransport(fake), base_url=BASE_URL) as client:
        for api_key, org_id in fake.world.api_keys.items():
            for client_id, api_client in fake.world.clients.items():
                login = {"grant_type": "password", "username": api_key, "password": api_key,
                         "client_id": client_id, "client_secret": api_client.client_secret}  # fmt: skip
                token = client.post("/dineroapi/oauth/token", data=login)
                assert token.status_code == 200, token.text
                for path in (f"/v1/{org_id}/contacts", f"/v1/{org_id}/products", "/v1/organizations"):
                    response = client.get(path, headers=bearer(token.json()["access_token"]))
                    assert response.status_code < 500, response.text
    fake.control.import_(json.loads(state_of(fake)))
