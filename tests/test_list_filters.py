"""Dinero's list filters (reference §2.6): queryFilter, freeTextSearch, changesSince, deletedOnly.

Contacts and products are the two paged lists the fake serves; every rule
here is checked through them, the way a client sees it.
"""

from __future__ import annotations

import httpx
import pytest

from fake_dinero import Clock

from .listing_calls import (
    CONTACTS,
    CONTACTS_V2,
    PRODUCTS,
    create_contact,
    create_product,
    delete_contact,
    listing,
    names,
    update_product,
)
from .support import dinero_error

# -- queryFilter -------------------------------------------------------------


def test_query_filter_eq_matches_the_whole_value(api: httpx.Client) -> None:
    for name in ("Acme", "Acme Nord", "Beta"):
        create_contact(api, name)
    assert names(api, queryFilter="Name eq 'Acme'") == ["Acme"]


def test_query_filter_contains_matches_a_substring(api: httpx.Client) -> None:
    for name in ("Acme", "Nordic Acme ApS", "Beta"):
        create_contact(api, name)
    assert names(api, queryFilter="Name contains 'Acme'") == ["Acme", "Nordic Acme ApS"]


def test_query_filter_eq_value_is_case_insensitive(api: httpx.Client) -> None:
    create_contact(api, "Acme ApS")
    create_contact(api, "Beta")
    assert names(api, queryFilter="Name eq 'ACME aps'") == ["Acme ApS"]


def test_query_filter_contains_value_is_case_insensitive(api: httpx.Client) -> None:
    create_contact(api, "Acme ApS")
    create_contact(api, "Beta")
    assert names(api, queryFilter="Name contains 'cME'") == ["Acme ApS"]


def test_query_filter_field_and_operator_are_case_insensitive(api: httpx.Client) -> None:
    create_contact(api, "Acme ApS")
    create_contact(api, "Beta")
    assert names(api, queryFilter="name CONTAINS 'acme'") == ["Acme ApS"]


def test_query_filter_conditions_joined_by_semicolon_must_all_hold(api: httpx.Client) -> None:
    create_contact(api, "Acme ApS", Email="a@acme.dk")
    create_contact(api, "Acme Nord", Email="nord@other.dk")
    create_contact(api, "Beta", Email="b@acme.dk")
    assert names(api, queryFilter="Name contains 'acme';Email contains 'acme.dk'") == ["Acme ApS"]


def test_query_filter_semicolon_inside_quotes_is_part_of_the_value(api: httpx.Client) -> None:
    create_contact(api, "Smith; Jones")
    create_contact(api, "Smith")
    assert names(api, queryFilter="Name eq 'Smith; Jones'") == ["Smith; Jones"]


def test_query_filter_doubled_single_quote_is_a_quote_in_the_value(api: httpx.Client) -> None:
    create_contact(api, "O'Brien")
    create_contact(api, "OBrien")
    assert names(api, queryFilter="Name eq 'O''Brien'") == ["O'Brien"]


def test_query_filter_on_a_boolean_field_takes_true_as_text(api: httpx.Client) -> None:
    create_contact(api, "Jens Hansen", IsPerson=True)
    create_contact(api, "Acme ApS", IsPerson=False)
    assert names(api, queryFilter="IsPerson eq 'true'") == ["Jens Hansen"]


def test_query_filter_on_a_boolean_field_false_picks_the_others(api: httpx.Client) -> None:
    create_contact(api, "Jens Hansen", IsPerson=True)
    create_contact(api, "Acme ApS", IsPerson=False)
    assert names(api, queryFilter="IsPerson eq 'false'") == ["Acme ApS"]


def test_query_filter_matches_nothing_gives_an_empty_collection(api: httpx.Client) -> None:
    create_contact(api, "Acme ApS")
    body = listing(api, queryFilter="Name eq 'Nobody'")
    assert body["Collection"] == []
    assert body["Pagination"]["ResultWithoutFilter"] == 0


def test_products_query_filter_on_product_number(api: httpx.Client) -> None:
    create_product(api, "Kaffe", ProductNumber="K-1")
    create_product(api, "Te", ProductNumber="T-1")
    assert names(api, PRODUCTS, queryFilter="ProductNumber eq 't-1'") == ["Te"]


def test_query_filter_bare_word_is_400_code_46(api: httpx.Client) -> None:
    dinero_error(api.get(CONTACTS, params={"queryFilter": "AMINO"}), 400, 46)


def test_query_filter_unknown_operator_is_400_code_46(api: httpx.Client) -> None:
    dinero_error(api.get(CONTACTS, params={"queryFilter": "Name like 'Acme'"}), 400, 46)


def test_query_filter_missing_closing_quote_is_400_code_46(api: httpx.Client) -> None:
    dinero_error(api.get(CONTACTS, params={"queryFilter": "Name eq 'Acme"}), 400, 46)


def test_query_filter_unquoted_value_is_400_code_46(api: httpx.Client) -> None:
    dinero_error(api.get(CONTACTS, params={"queryFilter": "Name eq Acme"}), 400, 46)


def test_query_filter_field_not_filterable_on_contacts_is_400_code_46(api: httpx.Client) -> None:
    dinero_error(api.get(CONTACTS, params={"queryFilter": "City eq 'Odense'"}), 400, 46)


def test_query_filter_field_not_filterable_on_products_is_400_code_46(api: httpx.Client) -> None:
    dinero_error(api.get(PRODUCTS, params={"queryFilter": "Unit eq 'parts'"}), 400, 46)


def test_query_filter_error_names_query_filter(api: httpx.Client) -> None:
    body = dinero_error(api.get(CONTACTS, params={"queryFilter": "AMINO"}), 400, 46)
    assert "queryFilter" in body["validationErrors"]


# -- freeTextSearch ------------------------------------------------------------


def test_products_free_text_search_looks_in_name(api: httpx.Client) -> None:
    create_product(api, "Kaffebønner", ProductNumber="P-1")
    create_product(api, "Te", ProductNumber="P-2")
    assert names(api, PRODUCTS, freeTextSearch="kaffe") == ["Kaffebønner"]


def test_products_free_text_search_looks_in_product_number(api: httpx.Client) -> None:
    create_product(api, "Kaffebønner", ProductNumber="KAF-100")
    create_product(api, "Te", ProductNumber="TE-200")
    assert names(api, PRODUCTS, freeTextSearch="te-2") == ["Te"]


def test_products_free_text_search_matches_either_field(api: httpx.Client) -> None:
    create_product(api, "Rengøring", ProductNumber="X-1")
    create_product(api, "Kursus", ProductNumber="RENG-2")
    create_product(api, "Fragt", ProductNumber="F-3")
    assert names(api, PRODUCTS, freeTextSearch="reng") == ["Rengøring", "Kursus"]


# -- changesSince --------------------------------------------------------------


@pytest.fixture
def three_contacts(api: httpx.Client, clock: Clock) -> None:
    """Contacts A at START, B at START+10 s, C at START+20 s."""
    create_contact(api, "A")
    clock.advance(10)
    create_contact(api, "B")
    clock.advance(10)
    create_contact(api, "C")


@pytest.mark.usefixtures("three_contacts")
def test_changes_since_with_z_picks_items_created_at_or_after_the_time(api: httpx.Client) -> None:
    assert names(api, changesSince="2026-03-02T09:30:10Z") == ["B", "C"]


@pytest.mark.usefixtures("three_contacts")
def test_changes_since_without_zone_is_taken_as_utc(api: httpx.Client) -> None:
    assert names(api, changesSince="2026-03-02T09:30:10") == ["B", "C"]


@pytest.mark.usefixtures("three_contacts")
def test_changes_since_with_fraction_just_before_includes_the_item(api: httpx.Client) -> None:
    assert names(api, changesSince="2026-03-02T09:30:09.999Z") == ["B", "C"]


@pytest.mark.usefixtures("three_contacts")
def test_changes_since_with_fraction_just_after_excludes_the_item(api: httpx.Client) -> None:
    assert names(api, changesSince="2026-03-02T09:30:10.001") == ["C"]


@pytest.mark.usefixtures("three_contacts")
def test_changes_since_with_an_offset_is_converted_to_utc(api: httpx.Client) -> None:
    assert names(api, changesSince="2026-03-02T10:30:10+01:00") == ["B", "C"]


@pytest.mark.usefixtures("three_contacts")
def test_changes_since_after_every_change_is_empty(api: httpx.Client) -> None:
    assert names(api, changesSince="2026-03-02T09:30:21Z") == []


@pytest.mark.usefixtures("three_contacts")
def test_changes_since_before_every_change_lists_all(api: httpx.Client) -> None:
    assert names(api, changesSince="2015-08-18T06:36:22Z") == ["A", "B", "C"]


def test_changes_since_picks_items_updated_at_or_after_the_time(api: httpx.Client, clock: Clock) -> None:
    old = create_product(api, "Old")
    create_product(api, "Untouched")
    clock.advance(60)
    update_product(api, old, "Old, renamed")
    assert names(api, PRODUCTS, changesSince="2026-03-02T09:31:00Z") == ["Old, renamed"]


def test_changes_since_on_products_picks_created_items(api: httpx.Client, clock: Clock) -> None:
    create_product(api, "Early")
    clock.advance(30)
    create_product(api, "Late")
    assert names(api, PRODUCTS, changesSince="2026-03-02T09:30:30Z") == ["Late"]


def test_deleted_item_shows_with_changes_since_and_deleted_only_true(api: httpx.Client, clock: Clock) -> None:
    create_contact(api, "Kept")
    gone = create_contact(api, "Gone")
    clock.advance(60)
    delete_contact(api, gone)
    body = listing(api, changesSince="2026-03-02T09:31:00Z", deletedOnly="true", fields="ContactGuid,DeletedAt")
    assert body["Collection"] == [{"ContactGuid": gone, "DeletedAt": "2026-03-02T09:31:00"}]


def test_v1_changes_since_includes_deletions_without_deleted_only(api: httpx.Client, clock: Clock) -> None:
    create_contact(api, "Kept")
    gone = create_contact(api, "Gone")
    clock.advance(60)
    delete_contact(api, gone)
    body = listing(api, changesSince="2026-03-02T09:31:00Z", fields="ContactGuid,DeletedAt")
    assert body["Collection"] == [{"ContactGuid": gone, "DeletedAt": "2026-03-02T09:31:00"}]


def test_v1_list_without_changes_since_hides_deletions(api: httpx.Client) -> None:
    create_contact(api, "Kept")
    delete_contact(api, create_contact(api, "Gone"))
    assert names(api) == ["Kept"]


def test_v2_contacts_changes_since_includes_deletions_by_default(api: httpx.Client, clock: Clock) -> None:
    create_contact(api, "Kept")
    gone = create_contact(api, "Gone")
    clock.advance(60)
    delete_contact(api, gone)
    assert names(api, CONTACTS_V2, changesSince="2026-03-02T09:31:00Z") == ["Gone"]


def test_bad_changes_since_is_400_code_42_naming_changes_since(api: httpx.Client) -> None:
    body = dinero_error(api.get(CONTACTS, params={"changesSince": "yesterday"}), 400, 42)
    assert "changesSince" in body["validationErrors"]


def test_impossible_changes_since_date_is_400_code_42(api: httpx.Client) -> None:
    dinero_error(api.get(CONTACTS, params={"changesSince": "2026-13-45T00:00:00Z"}), 400, 42)


# -- deletedOnly ---------------------------------------------------------------


@pytest.fixture
def one_deleted(api: httpx.Client) -> None:
    """Contact "Live" and contact "Deleted" (soft-deleted)."""
    create_contact(api, "Live")
    delete_contact(api, create_contact(api, "Deleted"))


@pytest.mark.usefixtures("one_deleted")
def test_v1_contacts_hide_deleted_ones_by_default(api: httpx.Client) -> None:
    assert names(api) == ["Live"]


@pytest.mark.usefixtures("one_deleted")
def test_v1_contacts_deleted_only_false_hides_deleted_ones(api: httpx.Client) -> None:
    assert names(api, deletedOnly="false") == ["Live"]


@pytest.mark.usefixtures("one_deleted")
def test_v1_contacts_deleted_only_true_shows_only_deleted_ones(api: httpx.Client) -> None:
    assert names(api, deletedOnly="true") == ["Deleted"]


@pytest.mark.usefixtures("one_deleted")
def test_v2_contacts_deleted_only_false_shows_deleted_and_not_deleted(api: httpx.Client) -> None:
    assert sorted(names(api, CONTACTS_V2, deletedOnly="false")) == ["Deleted", "Live"]


@pytest.mark.usefixtures("one_deleted")
def test_v2_contacts_deleted_only_true_shows_only_deleted_ones(api: httpx.Client) -> None:
    assert names(api, CONTACTS_V2, deletedOnly="true") == ["Deleted"]


@pytest.mark.usefixtures("one_deleted")
def test_deleted_only_value_is_case_insensitive(api: httpx.Client) -> None:
    assert names(api, deletedOnly="True") == ["Deleted"]


def test_products_hide_deleted_ones_unless_deleted_only_true(api: httpx.Client) -> None:
    create_product(api, "Live")
    gone = create_product(api, "Deleted")
    assert api.delete(f"{PRODUCTS}/{gone}").status_code == 200
    assert names(api, PRODUCTS) == ["Live"]
    assert names(api, PRODUCTS, deletedOnly="true") == ["Deleted"]


def test_bad_deleted_only_value_is_400_code_42_naming_deleted_only(api: httpx.Client) -> None:
    body = dinero_error(api.get(CONTACTS, params={"deletedOnly": "maybe"}), 400, 42)
    assert "deletedOnly" in body["validationErrors"]


@pytest.mark.usefixtures("one_deleted")
def test_result_without_filter_does_not_count_items_deleted_only_excludes(api: httpx.Client) -> None:
    assert listing(api)["Pagination"]["ResultWithoutFilter"] == 1


# -- query parameter binding ---------------------------------------------------


def test_unknown_query_parameters_are_ignored(api: httpx.Client) -> None:
    create_contact(api, "Acme ApS")
    body = listing(api, foo="bar", sort="Name", pagesize_typo="3")
    assert [item["name"] for item in body["Collection"]] == ["Acme ApS"]
    assert body["Pagination"]["PageSize"] == 100


def test_query_parameter_names_are_case_insensitive(api: httpx.Client) -> None:
    create_contact(api, "A")
    create_contact(api, "B")
    body = listing(api, PageSize=1)
    assert body["Pagination"]["PageSize"] == 1
    assert len(body["Collection"]) == 1


def test_query_filter_parameter_name_is_case_insensitive(api: httpx.Client) -> None:
    create_contact(api, "Acme ApS")
    create_contact(api, "Beta")
    assert names(api, QUERYFILTER="Name eq 'Beta'", Fields="Name") == ["Beta"]


# -- order ---------------------------------------------------------------------


def test_products_are_listed_in_updated_at_order(api: httpx.Client, clock: Clock) -> None:
    for name in ("First", "Second", "Third"):
        create_product(api, name)
        clock.advance(1)
    assert names(api, PRODUCTS) == ["First", "Second", "Third"]


def test_updating_an_older_product_moves_it_last(api: httpx.Client, clock: Clock) -> None:
    first = create_product(api, "First")
    clock.advance(1)
    create_product(api, "Second")
    clock.advance(1)
    create_product(api, "Third")
    clock.advance(1)
    update_product(api, first, "First, updated")
    assert names(api, PRODUCTS) == ["Second", "Third", "First, updated"]


def test_changes_since_times_match_rendered_updated_at(api: httpx.Client, clock: Clock) -> None:
    """A client may feed back the UpdatedAt it saw as changesSince and get that item again."""
    create_contact(api, "Before")
    clock.advance(5.25)
    create_contact(api, "After")
    seen = listing(api, fields="Name,UpdatedAt")["Collection"]
    updated_at = {item["Name"]: item["UpdatedAt"] for item in seen}
    assert updated_at["After"] == "2026-03-02T09:30:05.25"
    assert names(api, changesSince=updated_at["After"]) == ["After"]
