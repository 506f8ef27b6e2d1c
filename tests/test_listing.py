"""Dinero's list rules (reference §2.5, §2.6, §4.3, §4.4), one behaviour per test.

Contacts and products are the two paged lists the fake serves; every rule
here is checked through them, the way a client sees it.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from fake_dinero import Clock, World
from fake_dinero.seeding import seed_organization

from .conftest import ORG, dinero_error

CONTACTS = f"/v1/{ORG}/contacts"
CONTACTS_V2 = f"/v2/{ORG}/contacts"
PRODUCTS = f"/v1/{ORG}/products"


# -- helpers -----------------------------------------------------------------


def create_contact(api: httpx.Client, name: str, **fields: Any) -> str:
    response = api.post(CONTACTS, json={"Name": name, "CountryKey": "DK", **fields})
    assert response.status_code == 200, response.text
    return response.json()["ContactGuid"]


def create_product(api: httpx.Client, name: str, **fields: Any) -> str:
    body = {"Name": name, "BaseAmountValue": 100, "Quantity": 1, "AccountNumber": 1000, "Unit": "parts", **fields}
    response = api.post(PRODUCTS, json=body)
    assert response.status_code == 200, response.text
    return response.json()["ProductGuid"]


def update_product(api: httpx.Client, guid: str, name: str) -> None:
    body = {"Name": name, "BaseAmountValue": 100, "Quantity": 1, "AccountNumber": 1000, "Unit": "parts"}
    response = api.put(f"{PRODUCTS}/{guid}", json=body)
    assert response.status_code == 200, response.text


def delete_contact(api: httpx.Client, guid: str) -> None:
    response = api.delete(f"{CONTACTS}/{guid}")
    assert response.status_code == 200, response.text


def listing(api: httpx.Client, path: str = CONTACTS, **params: Any) -> dict[str, Any]:
    response = api.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def names(api: httpx.Client, path: str = CONTACTS, **params: Any) -> list[str]:
    """The Name of every item on the page, in list order."""
    params.setdefault("fields", "Name")
    return [item["Name"] for item in listing(api, path, **params)["Collection"]]


# -- envelope and paging -------------------------------------------------------


def test_list_envelope_has_exactly_collection_and_pagination(api: httpx.Client) -> None:
    create_contact(api, "Acme ApS")
    body = listing(api)
    assert set(body) == {"Collection", "Pagination"}
    assert isinstance(body["Collection"], list)


def test_pagination_has_exactly_the_five_documented_properties(api: httpx.Client) -> None:
    pagination = listing(api)["Pagination"]
    assert set(pagination) == {"MaxPageSizeAllowed", "PageSize", "Result", "ResultWithoutFilter", "Page"}


def test_max_page_size_allowed_is_1000(api: httpx.Client) -> None:
    assert listing(api)["Pagination"]["MaxPageSizeAllowed"] == 1000


def test_products_list_has_the_same_envelope(api: httpx.Client) -> None:
    create_product(api, "Kaffe")
    body = listing(api, PRODUCTS)
    assert set(body) == {"Collection", "Pagination"}
    assert set(body["Pagination"]) == {"MaxPageSizeAllowed", "PageSize", "Result", "ResultWithoutFilter", "Page"}


def test_page_defaults_to_0_and_page_size_to_100(api: httpx.Client) -> None:
    pagination = listing(api)["Pagination"]
    assert pagination["Page"] == 0
    assert pagination["PageSize"] == 100


def test_default_page_size_returns_100_of_101_items(api: httpx.Client, world: World) -> None:
    seed_organization(world.organizations[ORG], contacts=101)
    body = listing(api)
    assert len(body["Collection"]) == 100
    assert body["Pagination"]["Result"] == 100
    assert body["Pagination"]["ResultWithoutFilter"] == 101


def test_page_is_0_based(api: httpx.Client) -> None:
    for name in ("A", "B", "C"):
        create_contact(api, name)
    assert names(api, page=0, pageSize=1) == ["A"]
    assert names(api, page=1, pageSize=1) == ["B"]


def test_page_and_page_size_are_echoed_in_pagination(api: httpx.Client) -> None:
    pagination = listing(api, page=3, pageSize=7)["Pagination"]
    assert pagination["Page"] == 3
    assert pagination["PageSize"] == 7


def test_paging_through_all_pages_returns_each_item_exactly_once(api: httpx.Client) -> None:
    created = {create_contact(api, f"Contact {n}") for n in range(7)}
    seen: list[str] = []
    page = 0
    while True:
        body = listing(api, page=page, pageSize=3, fields="ContactGuid")
        seen += [item["ContactGuid"] for item in body["Collection"]]
        if body["Pagination"]["Result"] < body["Pagination"]["PageSize"]:
            break
        page += 1
    assert page == 2
    assert len(seen) == 7
    assert set(seen) == created


def test_last_partial_page_reports_its_own_count_as_result(api: httpx.Client) -> None:
    for n in range(5):
        create_contact(api, f"Contact {n}")
    pagination = listing(api, page=1, pageSize=3)["Pagination"]
    assert pagination["Result"] == 2


def test_page_past_the_end_is_an_empty_collection_with_result_0(api: httpx.Client) -> None:
    for name in ("A", "B", "C"):
        create_contact(api, name)
    body = listing(api, page=5, pageSize=2)
    assert body["Collection"] == []
    assert body["Pagination"]["Result"] == 0
    assert body["Pagination"]["Page"] == 5


def test_result_without_filter_counts_all_matches_before_paging(api: httpx.Client) -> None:
    for name in ("Acme One", "Acme Two", "Acme Three", "Other", "Another"):
        create_contact(api, name)
    pagination = listing(api, queryFilter="Name contains 'acme'", pageSize=2)["Pagination"]
    assert pagination["Result"] == 2
    assert pagination["ResultWithoutFilter"] == 3


def test_page_size_1000_is_allowed(api: httpx.Client) -> None:
    assert listing(api, pageSize=1000)["Pagination"]["PageSize"] == 1000


def test_page_size_over_1000_is_400_code_43(api: httpx.Client) -> None:
    dinero_error(api.get(CONTACTS, params={"pageSize": 1001}), 400, 43)


def test_page_size_0_is_400_code_43(api: httpx.Client) -> None:
    dinero_error(api.get(CONTACTS, params={"pageSize": 0}), 400, 43)


def test_negative_page_size_is_400_code_43(api: httpx.Client) -> None:
    dinero_error(api.get(CONTACTS, params={"pageSize": -5}), 400, 43)


def test_negative_page_is_400_code_43(api: httpx.Client) -> None:
    dinero_error(api.get(CONTACTS, params={"page": -1}), 400, 43)


def test_products_page_size_over_1000_is_400_code_43(api: httpx.Client) -> None:
    dinero_error(api.get(PRODUCTS, params={"pageSize": 5000}), 400, 43)


def test_non_integer_page_is_400_code_42_naming_page(api: httpx.Client) -> None:
    body = dinero_error(api.get(CONTACTS, params={"page": "two"}), 400, 42)
    assert "page" in body["validationErrors"]


def test_fractional_page_is_400_code_42(api: httpx.Client) -> None:
    dinero_error(api.get(CONTACTS, params={"page": "1.5"}), 400, 42)


def test_non_integer_page_size_is_400_code_42_naming_page_size(api: httpx.Client) -> None:
    body = dinero_error(api.get(CONTACTS, params={"pageSize": "ten"}), 400, 42)
    assert "pageSize" in body["validationErrors"]


# -- fields --------------------------------------------------------------------


def test_contacts_default_fields_are_lower_camel_name_and_contact_guid(api: httpx.Client) -> None:
    guid = create_contact(api, "Acme ApS")
    assert listing(api)["Collection"] == [{"name": "Acme ApS", "contactGuid": guid}]


def test_products_default_fields_are_pascal_name_and_product_guid(api: httpx.Client) -> None:
    guid = create_product(api, "Kaffe")
    assert listing(api, PRODUCTS)["Collection"] == [{"Name": "Kaffe", "ProductGuid": guid}]


def test_fields_returns_only_the_requested_properties_in_the_callers_casing(api: httpx.Client) -> None:
    guid = create_contact(api, "Acme ApS", Email="info@acme.dk")
    assert listing(api, fields="NAME,contactguid")["Collection"] == [{"NAME": "Acme ApS", "contactguid": guid}]


def test_fields_can_pick_any_read_model_property(api: httpx.Client) -> None:
    create_contact(api, "Acme ApS", Email="info@acme.dk", City="Odense")
    item = listing(api, fields="Email,City,CountryKey,IsPerson")["Collection"][0]
    assert item == {"Email": "info@acme.dk", "City": "Odense", "CountryKey": "DK", "IsPerson": False}


def test_fields_with_spaces_after_commas_are_trimmed(api: httpx.Client) -> None:
    guid = create_contact(api, "Acme ApS")
    assert listing(api, fields="Name, ContactGuid")["Collection"] == [{"Name": "Acme ApS", "ContactGuid": guid}]


def test_unknown_field_names_are_ignored_not_refused(api: httpx.Client) -> None:
    create_contact(api, "Acme ApS")
    assert listing(api, fields="Name,NoSuchProperty")["Collection"] == [{"Name": "Acme ApS"}]


def test_products_fields_echo_the_callers_casing(api: httpx.Client) -> None:
    create_product(api, "Kaffe", ProductNumber="K-1")
    item = listing(api, PRODUCTS, fields="name,productNumber,unit")["Collection"][0]
    assert item == {"name": "Kaffe", "productNumber": "K-1", "unit": "parts"}


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
