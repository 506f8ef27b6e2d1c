"""Contacts and their notes, one operation's behaviour at a time (reference §4.3, §5.4, §6.8).

List paging, ``fields``, ``queryFilter``, ``changesSince`` and body binding
details are covered elsewhere; these tests use lists only where an
operation's effect shows there (a deleted note leaving the default list).
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest

from fake_dinero import Clock, FakeDinero, World
from fake_dinero.contracts import upstream

from .support import BASE_URL, ORG, START, FakeTransport, dinero_error, get_token

CONTACTS = f"/v1/{ORG}/contacts"
UNKNOWN_GUID = "3f2c8a9e-0d4b-4c61-9a7e-5b1d2e3f4a5b"


def contact_body(**overrides: Any) -> dict[str, Any]:
    """The least a client sends for a contact (Name, CountryKey and the three bools)."""
    return {
        "Name": "Jensen & Sønner ApS",
        "CountryKey": "DK",
        "IsPerson": False,
        "IsMember": False,
        "UseCvr": False,
        **overrides,
    }


def create_contact(api: httpx.Client, **overrides: Any) -> str:
    response = api.post(CONTACTS, json=contact_body(**overrides))
    assert response.status_code == 200, response.text
    return response.json()["ContactGuid"]


def get_contact(api: httpx.Client, guid: str) -> dict[str, Any]:
    response = api.get(f"{CONTACTS}/{guid}")
    assert response.status_code == 200, response.text
    return response.json()


def notes_url(contact_guid: str) -> str:
    return f"{CONTACTS}/{contact_guid}/notes"


def create_note(api: httpx.Client, contact_guid: str, text: str = "Ringede om faktura 1042.") -> str:
    response = api.post(notes_url(contact_guid), json={"Text": text})
    assert response.status_code == 200, response.text
    return response.json()["ContactGuid"]


# -- create and read ----------------------------------------------------------


def test_create_returns_only_the_new_contact_guid(api: httpx.Client) -> None:
    response = api.post(CONTACTS, json=contact_body())
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"ContactGuid"}
    assert str(uuid.UUID(body["ContactGuid"])) == body["ContactGuid"]  # lower-case, hyphenated


def test_created_contact_reads_back_with_every_property_of_dineros_read_model(api: httpx.Client) -> None:
    sent = contact_body(
        ExternalReference="WebShopID:42",
        Name="Nordlys Consult ApS",
        Street="Vesterbrogade 1",
        ZipCode="1620",
        City="København V",
        Phone="+45 99 99 99 99",
        Email="bogholderi@nordlys.dk",
        Webpage="nordlys.dk",
        AttPerson="Jane Doe",
        VatNumber="12345674",
        EanNumber="5790000000000",
        PaymentConditionType="Netto",
        PaymentConditionNumberOfDays=14,
        CompanyTypeKey="PrivateLimitedCompany",
        PreferredInvoiceLanguageKey="en",
        PreferredInvoiceCurrencyKey="EUR",
    )
    guid = api.post(CONTACTS, json=sent).json()["ContactGuid"]

    contact = get_contact(api, guid)

    assert set(contact) == set(upstream.schema("ContactReadModel")["properties"])
    assert contact["ContactGuid"] == guid
    for name, value in sent.items():
        assert contact[name] == value, name


def test_created_at_and_updated_at_are_zone_less_utc_from_the_clock(api: httpx.Client) -> None:
    contact = get_contact(api, create_contact(api))
    assert contact["CreatedAt"] == "2026-03-02T09:30:00"
    assert contact["UpdatedAt"] == "2026-03-02T09:30:00"
    assert contact["DeletedAt"] is None


def test_datetimes_keep_fractional_seconds_with_trailing_zeros_trimmed(api: httpx.Client, clock: Clock) -> None:
    clock.set(START + timedelta(milliseconds=407))
    contact = get_contact(api, create_contact(api))
    assert contact["CreatedAt"] == "2026-03-02T09:30:00.407"


@pytest.mark.parametrize(
    ("country", "region"),
    [("DK", "DK"), ("DE", "EU"), ("US", "World")],
)
def test_vat_region_is_derived_from_the_country(api: httpx.Client, country: str, region: str) -> None:
    contact = get_contact(api, create_contact(api, CountryKey=country))
    assert contact["CountryKey"] == country
    assert contact["VatRegionKey"] == region


def test_missing_payment_condition_becomes_netto_8_days(api: httpx.Client) -> None:
    contact = get_contact(api, create_contact(api))
    assert contact["PaymentConditionType"] == "Netto"
    assert contact["PaymentConditionNumberOfDays"] == 8


def test_netto_cash_has_no_payment_days(api: httpx.Client) -> None:
    guid = create_contact(api, PaymentConditionType="NettoCash", PaymentConditionNumberOfDays=14)
    contact = get_contact(api, guid)
    assert contact["PaymentConditionType"] == "NettoCash"
    assert contact["PaymentConditionNumberOfDays"] is None


def test_current_month_netto_out_is_accepted_and_rendered_current_month_out(api: httpx.Client) -> None:
    guid = create_contact(api, PaymentConditionType="CurrentMonthNettoOut", PaymentConditionNumberOfDays=30)
    contact = get_contact(api, guid)
    assert contact["PaymentConditionType"] == "CurrentMonthOut"
    assert contact["PaymentConditionNumberOfDays"] == 30


def test_new_contact_is_neither_debitor_nor_creditor(api: httpx.Client) -> None:
    contact = get_contact(api, create_contact(api))
    assert contact["IsDebitor"] is False
    assert contact["IsCreditor"] is False


def test_client_may_choose_the_contact_guid(api: httpx.Client) -> None:
    chosen = "0b7e9f1c-2d3a-4e5f-8a9b-0c1d2e3f4a5b"
    response = api.post(CONTACTS, json=contact_body(ContactGuid=chosen))
    assert response.status_code == 200
    assert response.json() == {"ContactGuid": chosen}
    assert get_contact(api, chosen)["ContactGuid"] == chosen


def test_client_chosen_contact_guid_already_in_use_is_refused(api: httpx.Client) -> None:
    guid = create_contact(api, Name="Første")
    response = api.post(CONTACTS, json=contact_body(ContactGuid=guid, Name="Anden"))
    body = dinero_error(response, 400, 42)
    assert "ContactGuid" in body["validationErrors"]
    assert get_contact(api, guid)["Name"] == "Første"


def test_get_of_unknown_contact_is_404_code_40(api: httpx.Client) -> None:
    dinero_error(api.get(f"{CONTACTS}/{UNKNOWN_GUID}"), 404, 40)


def test_get_with_a_malformed_guid_is_400_code_42(api: httpx.Client) -> None:
    dinero_error(api.get(f"{CONTACTS}/not-a-guid"), 400, 42)


def test_same_seed_gives_the_same_contact_guids() -> None:
    def guids_from_a_fresh_world(seed: int) -> list[str]:
        fake = FakeDinero(World.with_demo(seed=seed, clock=Clock(START)))
        with httpx.Client(transport=FakeTransport(fake), base_url=BASE_URL) as client:
            token = get_token(client).json()["access_token"]
            client.headers["Authorization"] = f"Bearer {token}"
            return [create_contact(client, Name=f"Kunde {n}") for n in range(3)]

    first = guids_from_a_fresh_world(seed=2026)
    assert guids_from_a_fresh_world(seed=2026) == first
    assert len(set(first)) == 3
    assert guids_from_a_fresh_world(seed=2027) != first


# -- update -------------------------------------------------------------------


@pytest.mark.parametrize("version", ["v1", "v2"])
def test_put_replaces_the_whole_contact_and_moves_updated_at(
    api: httpx.Client, clock: Clock, version: str
) -> None:
    guid = create_contact(
        api,
        Name="Gammelt Navn ApS",
        Email="gammel@firma.dk",
        Phone="+45 11 22 33 44",
        ExternalReference="ext-1",
        IsPerson=True,
        PreferredInvoiceLanguageKey="de",
    )
    clock.advance(minutes=5)

    response = api.put(f"/{version}/{ORG}/contacts/{guid}", json={"Name": "Nyt Navn ApS", "CountryKey": "SE"})

    assert response.status_code == 200, response.text
    contact = get_contact(api, guid)
    assert contact["Name"] == "Nyt Navn ApS"
    assert contact["CountryKey"] == "SE"
    assert contact["VatRegionKey"] == "EU"
    # Properties the PUT left out are cleared, not kept.
    assert contact["Email"] is None
    assert contact["Phone"] is None
    assert contact["ExternalReference"] is None
    assert contact["PreferredInvoiceLanguageKey"] is None
    assert contact["IsPerson"] is False
    assert contact["CreatedAt"] == "2026-03-02T09:30:00"
    assert contact["UpdatedAt"] == "2026-03-02T09:35:00"


def test_put_of_unknown_contact_is_404_code_40(api: httpx.Client) -> None:
    dinero_error(api.put(f"/v2/{ORG}/contacts/{UNKNOWN_GUID}", json=contact_body()), 404, 40)


def test_put_on_a_deleted_contact_is_400_code_65(api: httpx.Client) -> None:
    guid = create_contact(api, Name="Slettet ApS")
    assert api.delete(f"{CONTACTS}/{guid}").status_code == 200
    dinero_error(api.put(f"/v2/{ORG}/contacts/{guid}", json=contact_body(Name="Ændret")), 400, 65)
    assert get_contact(api, guid)["Name"] == "Slettet ApS"


# -- delete and restore -------------------------------------------------------


def test_delete_is_a_soft_delete_and_get_still_answers_with_deleted_at(api: httpx.Client, clock: Clock) -> None:
    guid = create_contact(api, Name="Væk ApS")
    clock.advance(minutes=30)

    assert api.delete(f"{CONTACTS}/{guid}").status_code == 200

    contact = get_contact(api, guid)
    assert contact["Name"] == "Væk ApS"
    assert contact["DeletedAt"] == "2026-03-02T10:00:00"


def test_deleting_a_deleted_contact_again_is_400_code_65(api: httpx.Client) -> None:
    guid = create_contact(api)
    assert api.delete(f"{CONTACTS}/{guid}").status_code == 200
    dinero_error(api.delete(f"{CONTACTS}/{guid}"), 400, 65)


def test_delete_of_unknown_contact_is_404_code_40(api: httpx.Client) -> None:
    dinero_error(api.delete(f"{CONTACTS}/{UNKNOWN_GUID}"), 404, 40)


def test_restore_clears_deleted_at(api: httpx.Client, clock: Clock) -> None:
    guid = create_contact(api)
    api.delete(f"{CONTACTS}/{guid}")
    clock.advance(minutes=1)

    response = api.post(f"{CONTACTS}/{guid}/restore")

    assert response.status_code == 200
    assert get_contact(api, guid)["DeletedAt"] is None


def test_restore_of_a_live_contact_changes_nothing(api: httpx.Client, clock: Clock) -> None:
    guid = create_contact(api)
    before = get_contact(api, guid)
    clock.advance(minutes=10)

    response = api.post(f"{CONTACTS}/{guid}/restore")

    assert response.status_code == 200
    assert get_contact(api, guid) == before


def test_restore_of_unknown_contact_is_404_code_40(api: httpx.Client) -> None:
    dinero_error(api.post(f"{CONTACTS}/{UNKNOWN_GUID}/restore"), 404, 40)


@pytest.mark.parametrize("operation", ["put v1", "put v2", "delete", "restore"])
def test_operations_without_a_result_answer_200_with_an_empty_body(api: httpx.Client, operation: str) -> None:
    guid = create_contact(api)
    if operation == "put v1":
        response = api.put(f"/v1/{ORG}/contacts/{guid}", json=contact_body(Name="Nyt"))
    elif operation == "put v2":
        response = api.put(f"/v2/{ORG}/contacts/{guid}", json=contact_body(Name="Nyt"))
    elif operation == "delete":
        response = api.delete(f"{CONTACTS}/{guid}")
    else:
        api.delete(f"{CONTACTS}/{guid}")
        response = api.post(f"{CONTACTS}/{guid}/restore")
    assert response.status_code == 200
    assert response.content == b""


# -- notes --------------------------------------------------------------------


def test_creating_a_note_returns_its_id_in_contact_guid(api: httpx.Client) -> None:
    contact_guid = create_contact(api)

    response = api.post(notes_url(contact_guid), json={"Text": "Første møde aftalt."})

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"ContactGuid"}
    note_id = body["ContactGuid"]
    assert note_id != contact_guid
    note = api.get(f"{notes_url(contact_guid)}/{note_id}").json()
    assert note["Id"] == note_id


def test_note_reads_back_with_every_property_of_dineros_note_model(api: httpx.Client) -> None:
    contact_guid = create_contact(api)
    note_id = create_note(api, contact_guid, "Kunden ønsker EAN-faktura.")

    response = api.get(f"{notes_url(contact_guid)}/{note_id}")

    assert response.status_code == 200
    note = response.json()
    assert set(note) == set(upstream.schema("ContactNoteReadModel")["properties"])
    assert set(note) == {
        "Id", "NoteDate", "Text", "AuthorName", "AuthorEmail", "CreatedAt", "UpdatedAt", "DeletedAt",
    }
    assert note["Id"] == note_id
    assert note["Text"] == "Kunden ønsker EAN-faktura."
    assert note["NoteDate"] == "2026-03-02T09:30:00"
    assert note["CreatedAt"] == "2026-03-02T09:30:00"
    assert note["DeletedAt"] is None


def test_note_list_default_fields_are_id_note_date_and_text(api: httpx.Client) -> None:
    contact_guid = create_contact(api)
    note_id = create_note(api, contact_guid, "Husk rykker.")

    response = api.get(notes_url(contact_guid))

    assert response.status_code == 200
    assert response.json()["Collection"] == [
        {"Id": note_id, "NoteDate": "2026-03-02T09:30:00", "Text": "Husk rykker."}
    ]


def test_notes_are_listed_in_note_date_order(api: httpx.Client, clock: Clock) -> None:
    contact_guid = create_contact(api)
    # Created out of NoteDate order (the clock is moved back and forth,
    # within the token's hour), so creation order cannot pass for NoteDate order.
    clock.set(START + timedelta(minutes=40))
    latest = create_note(api, contact_guid, "Skrevet sidst")
    clock.set(START)
    earliest = create_note(api, contact_guid, "Skrevet først")
    clock.set(START + timedelta(minutes=20))
    middle = create_note(api, contact_guid, "Skrevet i midten")

    listed = api.get(notes_url(contact_guid)).json()["Collection"]

    assert [note["Id"] for note in listed] == [earliest, middle, latest]


def test_updating_a_note_replaces_its_text(api: httpx.Client, clock: Clock) -> None:
    contact_guid = create_contact(api)
    note_id = create_note(api, contact_guid, "Gammel tekst")
    clock.advance(minutes=3)

    response = api.put(f"{notes_url(contact_guid)}/{note_id}", json={"Text": "Ny tekst"})

    assert response.status_code == 200
    assert response.content == b""
    note = api.get(f"{notes_url(contact_guid)}/{note_id}").json()
    assert note["Text"] == "Ny tekst"
    assert note["Id"] == note_id
    assert note["UpdatedAt"] == "2026-03-02T09:33:00"


def test_deleted_note_leaves_the_default_list_and_shows_with_deleted_only(api: httpx.Client) -> None:
    contact_guid = create_contact(api)
    kept = create_note(api, contact_guid, "Beholdes")
    gone = create_note(api, contact_guid, "Slettes")

    response = api.delete(f"{notes_url(contact_guid)}/{gone}")

    assert response.status_code == 200
    default = api.get(notes_url(contact_guid)).json()["Collection"]
    deleted = api.get(notes_url(contact_guid), params={"deletedOnly": "true"}).json()["Collection"]
    assert [note["Id"] for note in default] == [kept]
    assert [note["Id"] for note in deleted] == [gone]


def test_deleted_note_still_answers_get_with_deleted_at(api: httpx.Client, clock: Clock) -> None:
    contact_guid = create_contact(api)
    note_id = create_note(api, contact_guid)
    clock.advance(minutes=2)

    api.delete(f"{notes_url(contact_guid)}/{note_id}")

    note = api.get(f"{notes_url(contact_guid)}/{note_id}").json()
    assert note["DeletedAt"] == "2026-03-02T09:32:00"


def test_note_addressed_under_another_contact_is_404_code_40(api: httpx.Client) -> None:
    owner = create_contact(api, Name="Ejer ApS")
    other = create_contact(api, Name="Anden ApS")
    note_id = create_note(api, owner)

    dinero_error(api.get(f"{notes_url(other)}/{note_id}"), 404, 40)
    dinero_error(api.put(f"{notes_url(other)}/{note_id}", json={"Text": "Kapret"}), 404, 40)
    dinero_error(api.delete(f"{notes_url(other)}/{note_id}"), 404, 40)
    assert api.get(f"{notes_url(owner)}/{note_id}").json()["Text"] != "Kapret"


def test_note_on_an_unknown_contact_is_404_code_40(api: httpx.Client) -> None:
    dinero_error(api.post(notes_url(UNKNOWN_GUID), json={"Text": "Hej"}), 404, 40)


def test_adding_a_note_to_a_deleted_contact_is_400_code_65(api: httpx.Client) -> None:
    contact_guid = create_contact(api)
    api.delete(f"{CONTACTS}/{contact_guid}")
    dinero_error(api.post(notes_url(contact_guid), json={"Text": "For sent"}), 400, 65)


def test_empty_note_text_is_400_code_42(api: httpx.Client) -> None:
    contact_guid = create_contact(api)
    body = dinero_error(api.post(notes_url(contact_guid), json={"Text": ""}), 400, 42)
    assert "Text" in body["validationErrors"]
