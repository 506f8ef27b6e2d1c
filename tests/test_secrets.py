"""Secrets are secret: tokens, codes and keys come from the operating system's random
source, while the seed still decides every id and all demo data."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import httpx

from fake_dinero import Clock, FakeDinero, Settings, World

from .support import (
    BASE_URL,
    ISV_ID,
    ISV_SECRET,
    ORG,
    REDIRECT_URI,
    START,
    VISMA,
    FakeTransport,
    authorize,
    bearer,
    exchange,
    get_token,
    redirected,
)

CONTACTS = f"/v1/{ORG}/contacts"


@dataclass
class Door:
    fake: FakeDinero
    api: httpx.Client
    visma: httpx.Client


@contextmanager
def started(seed: int = 7, **settings: bool) -> Iterator[Door]:
    """A fake of ``seed`` with a Visma Connect client and user, and clients at both hosts."""
    world = World.with_demo(seed=seed, clock=Clock(START), settings=Settings(**settings))
    world.add_connect_client(ISV_ID, ISV_SECRET, redirect_uris=(REDIRECT_URI,))
    world.add_connect_user("anna@example.dk", [ORG], name="Anna Andersen")
    fake = FakeDinero(world)
    with (
        httpx.Client(transport=FakeTransport(fake), base_url=BASE_URL) as api,
        httpx.Client(transport=FakeTransport(fake), base_url=VISMA) as visma,
    ):
        yield Door(fake, api, visma)


def issued(door: Door) -> dict[str, str]:
    """Everything secret one legacy login and one Visma Connect login hand out."""
    code = redirected(authorize(door.visma))["code"]
    tokens = exchange(door.visma, code).json()
    return {
        "legacy access token": get_token(door.api).json()["access_token"],
        "authorization code": code,
        "access token": tokens["access_token"],
        "refresh token": tokens["refresh_token"],
        "API key": door.fake.control.add_api_key(ORG),
    }


def new_contact_guid(door: Door) -> str:
    token = get_token(door.api).json()["access_token"]
    response = door.api.post(CONTACTS, json={"Name": "Ny ApS", "CountryKey": "DK"}, headers=bearer(token))
    assert response.status_code == 200, response.text
    return response.json()["ContactGuid"]


def test_two_fakes_with_the_same_seed_issue_different_secrets() -> None:
    with started() as one, started() as other:
        mine, theirs = issued(one), issued(other)
    assert [name for name in mine if mine[name] == theirs[name]] == []


def test_two_worlds_with_the_same_seed_sign_legacy_tokens_with_different_keys() -> None:
    assert World(seed=3).token_signing_key != World(seed=3).token_signing_key


def test_deterministic_secrets_make_the_same_seed_issue_the_same_tokens() -> None:
    with started(deterministic_secrets=True) as one, started(deterministic_secrets=True) as other:
        assert issued(one) == issued(other)


def test_the_same_seed_still_gives_the_same_ids() -> None:
    with started() as one, started() as other:
        assert new_contact_guid(one) == new_contact_guid(other)
        assert one.fake.world.connect_users.keys() == other.fake.world.connect_users.keys()


def test_logging_in_does_not_shift_the_ids_later_creates_get() -> None:
    with started() as quiet, started() as busy:
        for _ in range(3):
            issued(busy)
        assert new_contact_guid(quiet) == new_contact_guid(busy)


def test_deterministic_secrets_do_not_shift_ids_either() -> None:
    with started() as quiet, started(deterministic_secrets=True) as busy:
        issued(busy)
        assert new_contact_guid(quiet) == new_contact_guid(busy)


def test_after_a_reset_creates_get_the_ids_they_got_before() -> None:
    with started() as door:
        first = new_contact_guid(door)
        issued(door)
        door.fake.control.reset()
        assert new_contact_guid(door) == first


def test_a_token_issued_before_a_reset_is_not_issued_again_after_it() -> None:
    with started() as door:
        before = issued(door)
        door.fake.control.reset()
        after = issued(door)
    assert [name for name in before if before[name] == after[name]] == []
