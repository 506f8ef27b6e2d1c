"""Lists cost the page, not the table: what a list reads, and that what it keeps
on the side (views in list order, indexes of filtered fields, the rendered
documents it caches) stays true through writes and resets.

No timings here: each test counts what a list rendered or kept.
"""

from __future__ import annotations

import httpx
import pytest
from hypothesis import HealthCheck, given, settings

from fake_dinero import FakeDinero
from fake_dinero import store as store_module
from fake_dinero.contracts.strategies import contact_bodies
from fake_dinero.formats import filter_text
from fake_dinero.resources.contacts import CONTACTS as CONTACT_ROWS
from fake_dinero.resources.contacts import NOTES as NOTE_ROWS
from fake_dinero.resources.contacts import ContactCreateModel, ContactNoteWriteModel
from fake_dinero.resources.products import PRODUCTS as PRODUCT_ROWS
from fake_dinero.store import Table

from .listing_calls import CONTACTS, PRODUCTS, create_contact, create_product, delete_contact, listing, update_product
from .support import ORG


def _contacts(fake: FakeDinero) -> Table:
    return fake.world.organizations[ORG].table(CONTACT_ROWS)


def _rendered(table: Table) -> set[str]:
    """Keys of the rows holding a rendered document."""
    return {row.key for row in table if row.document is not None}


def test_a_page_renders_only_the_rows_it_shows(api: httpx.Client, fake: FakeDinero) -> None:
    guids = [create_contact(api, f"Kunde {number:02d}") for number in range(30)]

    page = listing(api, CONTACTS, page=1, pageSize=10)

    assert [item["contactGuid"] for item in page["Collection"]] == guids[10:20]
    assert page["Pagination"]["ResultWithoutFilter"] == 30
    assert _rendered(_contacts(fake)) == set(guids[10:20])


def test_an_equality_filter_renders_only_the_rows_that_match(api: httpx.Client, fake: FakeDinero) -> None:
    for number in range(20):
        create_contact(api, f"Kunde {number:02d}", Email=f"bogholderi{number % 4}@example.dk")

    page = listing(api, CONTACTS, queryFilter="Email eq 'BOGHOLDERI1@example.dk'", fields="Name")

    assert [item["Name"] for item in page["Collection"]] == ["Kunde 01", "Kunde 05", "Kunde 09", "Kunde 13", "Kunde 17"]
    assert page["Pagination"]["ResultWithoutFilter"] == 5
    assert len(_rendered(_contacts(fake))) == 5


def test_an_equality_filter_follows_renames_deletes_and_restores(api: httpx.Client) -> None:
    first = create_contact(api, "Alfa ApS")
    second = create_contact(api, "Alfa ApS")
    assert listing(api, CONTACTS, queryFilter="Name eq 'alfa aps'")["Pagination"]["ResultWithoutFilter"] == 2

    assert api.put(f"{CONTACTS}/{first}", json={"Name": "Beta ApS", "CountryKey": "DK"}).status_code == 200
    delete_contact(api, second)

    assert listing(api, CONTACTS, queryFilter="Name eq 'Alfa ApS'")["Collection"] == []
    deleted = listing(api, CONTACTS, queryFilter="Name eq 'Alfa ApS'", deletedOnly="true", fields="contactGuid")
    assert deleted["Collection"] == [{"contactGuid": second}]
    renamed = listing(api, CONTACTS, queryFilter="Name eq 'Beta ApS'", fields="contactGuid")
    assert renamed["Collection"] == [{"contactGuid": first}]

    assert api.post(f"{CONTACTS}/{second}/restore").status_code == 200
    restored = listing(api, CONTACTS, queryFilter="Name eq 'Alfa ApS'", fields="contactGuid")
    assert restored["Collection"] == [{"contactGuid": second}]


def test_a_product_moves_to_the_end_of_its_list_when_it_changes(api: httpx.Client, fake: FakeDinero) -> None:
    """Products are listed by UpdatedAt, so the order a list keeps moves a changed row."""
    first = create_product(api, "Timer")
    create_product(api, "Kørsel")
    listing(api, PRODUCTS)  # the order is made here, and must follow the change below

    fake.world.clock.advance(minutes=1)
    update_product(api, first, "Timer, senior")

    assert [item["Name"] for item in listing(api, PRODUCTS)["Collection"]][-2:] == ["Kørsel", "Timer, senior"]


def test_a_reset_brings_back_the_baseline_lists_and_filters(api: httpx.Client, fake: FakeDinero) -> None:
    kept = create_contact(api, "Alfa ApS")
    gone = create_contact(api, "Beta ApS")
    before = listing(api, CONTACTS, fields="Name,contactGuid")
    assert listing(api, CONTACTS, queryFilter="Name eq 'Alfa ApS'")["Pagination"]["ResultWithoutFilter"] == 1
    fake.control.set_baseline()

    assert api.put(f"{CONTACTS}/{kept}", json={"Name": "Gamma ApS", "CountryKey": "DK"}).status_code == 200
    delete_contact(api, gone)
    create_contact(api, "Alfa ApS")
    fake.control.reset()

    assert listing(api, CONTACTS, fields="Name,contactGuid") == before
    assert _filtered(api, "Name eq 'Alfa ApS'") == [kept]
    assert _filtered(api, "Name eq 'Gamma ApS'") == []


def _filtered(api: httpx.Client, condition: str) -> list[str]:
    page = listing(api, CONTACTS, queryFilter=condition, fields="contactGuid")
    return [item["contactGuid"] for item in page["Collection"]]


def test_a_table_keeps_a_bounded_number_of_rendered_documents(
    api: httpx.Client, fake: FakeDinero, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "DOCUMENTS_KEPT", 5)
    guids = [create_contact(api, f"Kunde {number:02d}") for number in range(12)]

    first = listing(api, CONTACTS, pageSize=12)

    assert len(_rendered(_contacts(fake))) == 5
    assert _rendered(_contacts(fake)) == set(guids[-5:])
    assert listing(api, CONTACTS, pageSize=12) == first


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=contact_bodies())
def test_a_filtered_contact_field_reads_the_same_from_its_data_as_from_its_document(
    fake: FakeDinero, body: dict
) -> None:
    """Filters on plain fields read a row's data, never rendering it: only right if
    the data holds exactly what the document shows."""
    table = _contacts(fake)
    row = table.insert(fake.world.new_guid(), ContactCreateModel.model_validate(body))
    document = table.document(row)
    for name in CONTACT_ROWS.plain_fields:
        assert filter_text(getattr(row.data, name)) == filter_text(document[name]), name


def test_a_filtered_product_field_reads_the_same_from_its_data_as_from_its_document(
    api: httpx.Client, fake: FakeDinero
) -> None:
    guid = create_product(api, "Timer", ProductNumber="T-1", ExternalReference="ext-1", Comment="Konsulent")
    table = fake.world.organizations[ORG].table(PRODUCT_ROWS)
    row = table.row(guid)
    document = table.document(row)
    assert PRODUCT_ROWS.plain_fields >= {"Name", "ProductNumber", "ExternalReference"}
    for name in PRODUCT_ROWS.plain_fields:
        assert filter_text(getattr(row.data, name)) == filter_text(document[name]), name


def test_a_table_keeps_a_bounded_number_of_list_orders_under_single_parents(
    fake: FakeDinero, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A list order is kept per parent asked for (a contact's notes); the oldest gives
    way, and asking again makes it anew from the rows."""
    monkeypatch.setattr(store_module, "PARENT_VIEWS_KEPT", 4)
    notes = fake.world.organizations[ORG].table(NOTE_ROWS)
    for parent in range(10):
        notes.insert(f"note-{parent}", ContactNoteWriteModel(Text=f"Note {parent}"), parent=f"contact-{parent}")

    seen = [[row.key for row in notes.records(parent=f"contact-{parent}")] for parent in range(10)]

    assert seen == [[f"note-{parent}"] for parent in range(10)]
    assert sum(parent is not None for parent, _ in notes._views) <= 4
    notes.insert("note-0b", ContactNoteWriteModel(Text="Another"), parent="contact-0")
    assert [row.key for row in notes.records(parent="contact-0")] == ["note-0", "note-0b"]
