"""Dinero's list rules (reference §2.5, §2.6, §4.3, §4.4), one behaviour per test.

Contacts and products are the two paged lists the fake serves; every rule
here is checked through them, the way a client sees it.
"""

from __future__ import annotations

import httpx

from fake_dinero import World
from fake_dinero.seeding import seed_organization

from .listing_calls import (
    CONTACTS,
    PRODUCTS,
    create_contact,
    create_product,
    listing,
    names,
)
from .support import ORG, dinero_error

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
