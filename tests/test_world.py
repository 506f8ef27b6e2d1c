"""The world's guarantees: determinism, versions, the injectable clock."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from fake_dinero import Clock, World
from fake_dinero.resources.contacts import CONTACTS
from fake_dinero.resources.products import PRODUCTS

START = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)


def seeded(seed: int) -> World:
    return World.with_demo(seed=seed, clock=Clock(START), contacts=4, products=3)


def documents(world: World, collection) -> list[dict]:
    table = world.organizations[123456].table(collection)
    return [table.document(row) for row in table.records()]


def test_the_same_seed_gives_the_same_contacts_and_ids() -> None:
    assert documents(seeded(11), CONTACTS) == documents(seeded(11), CONTACTS)


def test_the_same_seed_gives_the_same_products_and_ids() -> None:
    assert documents(seeded(11), PRODUCTS) == documents(seeded(11), PRODUCTS)


def test_another_seed_gives_other_data() -> None:
    assert documents(seeded(11), CONTACTS) != documents(seeded(12), CONTACTS)


def test_seeded_contacts_are_danish() -> None:
    contacts = documents(seeded(3), CONTACTS)
    assert {contact["CountryKey"] for contact in contacts} == {"DK"}
    assert all(len(contact["ZipCode"]) == 4 for contact in contacts)


def test_guids_are_version_4_and_lower_case() -> None:
    guid = World(seed=1).new_guid()
    assert guid == guid.lower()
    assert guid[14] == "4"


def test_fetching_tokens_does_not_shift_later_guids() -> None:
    quiet, busy = World(seed=5), World(seed=5)
    busy.new_secret()
    assert quiet.new_guid() == busy.new_guid()


def test_each_change_takes_a_new_version_from_the_organization_counter() -> None:
    world = seeded(1)
    organization = world.organizations[123456]
    versions = [row.version for row in organization.table(CONTACTS).records()]
    versions += [row.version for row in organization.table(PRODUCTS).records()]
    first = versions[0]
    assert versions == list(range(first, first + 7))
    assert organization.version == versions[-1]


def test_a_frozen_clock_stands_still_until_moved() -> None:
    clock = Clock(START)
    assert clock.now() == START
    assert clock.advance(90) == START + timedelta(seconds=90)
    assert clock.set(datetime(2027, 1, 1)) == datetime(2027, 1, 1, tzinfo=timezone.utc)


def test_a_running_clock_can_be_shifted_and_frozen() -> None:
    clock = Clock()
    shifted = clock.advance(days=10)
    assert shifted - datetime.now(timezone.utc) > timedelta(days=9)
    frozen = clock.freeze()
    assert clock.now() == frozen
    clock.unfreeze()
    assert not clock.frozen
