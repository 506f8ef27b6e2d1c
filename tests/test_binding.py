"""How Dinero binds request bodies (reference §2.2, §5.4, §5.5).

Dinero is an ASP.NET API: property names match case-insensitively, unknown
and read-only properties are ignored, ``null`` means "not supplied", numbers
sent as strings are coerced, and a body that still does not fit is 400 with
code 42 whose ``validationErrors`` name the property.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import httpx

from fake_dinero import Clock

from .support import ORG, dinero_error

CONTACTS = f"/v1/{ORG}/contacts"
PRODUCTS = f"/v1/{ORG}/products"

PRODUCT = {"Name": "Kaffe", "BaseAmountValue": 100, "Quantity": 1, "AccountNumber": 1000, "Unit": "parts"}


# -- helpers -----------------------------------------------------------------


def create_contact(api: httpx.Client, body: Any) -> dict[str, Any]:
    """POST a contact body that must succeed; the stored contact as GET returns it."""
    response = api.post(CONTACTS, json=body)
    assert response.status_code == 200, response.text
    return get_contact(api, response.json()["ContactGuid"])


def get_contact(api: httpx.Client, guid: str) -> dict[str, Any]:
    response = api.get(f"{CONTACTS}/{guid}")
    assert response.status_code == 200, response.text
    return response.json()


def create_product(api: httpx.Client, body: Any) -> dict[str, Any]:
    response = api.post(PRODUCTS, json=body)
    assert response.status_code == 200, response.text
    fetched = api.get(f"{PRODUCTS}/{response.json()['ProductGuid']}")
    assert fetched.status_code == 200, fetched.text
    return fetched.json()


def contact_count(api: httpx.Client, version: str = "v2") -> int:
    """Every contact, deleted or not (v2 with deletedOnly=false lists both)."""
    response = api.get(f"/{version}/{ORG}/contacts", params={"deletedOnly": "false"})
    assert response.status_code == 200, response.text
    return response.json()["Pagination"]["ResultWithoutFilter"]


def product_count(api: httpx.Client) -> int:
    response = api.get(PRODUCTS)
    assert response.status_code == 200, response.text
    return response.json()["Pagination"]["ResultWithoutFilter"]


def refused(response: httpx.Response, *properties: str) -> dict[str, Any]:
    """Assert 400/42 whose validationErrors name each of ``properties``."""
    body = dinero_error(response, 400, 42)
    for name in properties:
        assert name in body["validationErrors"], body
    return body


# -- property names ------------------------------------------------------------


def test_lower_case_property_names_bind(api: httpx.Client) -> None:
    contact = create_contact(api, {"name": "Acme ApS", "countrykey": "DK"})
    assert contact["Name"] == "Acme ApS"
    assert contact["CountryKey"] == "DK"


def test_upper_case_property_names_bind(api: httpx.Client) -> None:
    contact = create_contact(api, {"NAME": "Acme ApS", "COUNTRYKEY": "DK", "EMAIL": "info@acme.dk"})
    assert contact["Name"] == "Acme ApS"
    assert contact["Email"] == "info@acme.dk"


def test_lower_camel_property_names_bind_like_dinero_go_sends_them(api: httpx.Client) -> None:
    contact = create_contact(api, {"name": "Jens Hansen", "countryKey": "DK", "isPerson": True, "zipCode": "5000"})
    assert contact["IsPerson"] is True
    assert contact["ZipCode"] == "5000"


def test_product_property_names_bind_case_insensitively(api: httpx.Client) -> None:
    product = create_product(
        api, {"name": "Kaffe", "baseamountvalue": 20, "QUANTITY": 3, "accountNumber": 1000, "unit": "parts"}
    )
    assert (product["Name"], product["BaseAmountValue"], product["Quantity"]) == ("Kaffe", 20, 3)
    assert product["TotalAmount"] == 60


def test_property_names_bind_case_insensitively_on_update(api: httpx.Client) -> None:
    guid = api.post(CONTACTS, json={"Name": "Old", "CountryKey": "DK"}).json()["ContactGuid"]
    response = api.put(f"/v2/{ORG}/contacts/{guid}", json={"name": "New", "countrykey": "SE"})
    assert response.status_code == 200, response.text
    contact = get_contact(api, guid)
    assert (contact["Name"], contact["CountryKey"]) == ("New", "SE")


# -- unknown and read-only properties ------------------------------------------


def test_unknown_properties_are_ignored(api: httpx.Client) -> None:
    contact = create_contact(api, {"Name": "Acme ApS", "CountryKey": "DK", "Foo": "bar", "Nested": {"x": 1}})
    assert contact["Name"] == "Acme ApS"
    assert "Foo" not in contact
    assert "Nested" not in contact


def test_read_only_created_at_is_ignored(api: httpx.Client) -> None:
    contact = create_contact(api, {"Name": "Acme ApS", "CountryKey": "DK", "CreatedAt": "1999-01-01T00:00:00"})
    assert contact["CreatedAt"] == "2026-03-02T09:30:00"


def test_read_only_is_debitor_is_ignored(api: httpx.Client) -> None:
    contact = create_contact(api, {"Name": "Acme ApS", "CountryKey": "DK", "IsDebitor": True, "IsCreditor": True})
    assert contact["IsDebitor"] is False
    assert contact["IsCreditor"] is False


def test_read_only_product_totals_are_ignored(api: httpx.Client) -> None:
    product = create_product(api, {**PRODUCT, "BaseAmountValue": 10, "Quantity": 2, "TotalAmount": 999})
    assert product["TotalAmount"] == 20


def test_read_only_product_guid_on_create_is_ignored(api: httpx.Client) -> None:
    chosen = "11111111-2222-4333-8444-555555555555"
    response = api.post(PRODUCTS, json={**PRODUCT, "ProductGuid": chosen})
    assert response.status_code == 200, response.text
    assert response.json()["ProductGuid"] != chosen


def test_put_of_a_whole_read_model_ignores_its_read_only_properties(api: httpx.Client, clock: Clock) -> None:
    guid = api.post(CONTACTS, json={"Name": "Acme ApS", "CountryKey": "DK"}).json()["ContactGuid"]
    clock.advance(60)
    document = get_contact(api, guid)
    document.update(Name="Acme Nord ApS", CreatedAt="1999-01-01T00:00:00", IsDebitor=True)
    response = api.put(f"/v2/{ORG}/contacts/{guid}", json=document)
    assert response.status_code == 200, response.text
    contact = get_contact(api, guid)
    assert contact["Name"] == "Acme Nord ApS"
    assert contact["ContactGuid"] == guid
    assert contact["CreatedAt"] == "2026-03-02T09:30:00"
    assert contact["UpdatedAt"] == "2026-03-02T09:31:00"
    assert contact["IsDebitor"] is False


# -- null and blank ------------------------------------------------------------


def test_null_optional_property_is_stored_as_null(api: httpx.Client) -> None:
    contact = create_contact(api, {"Name": "Acme ApS", "CountryKey": "DK", "Email": None, "Street": None})
    assert contact["Email"] is None
    assert contact["Street"] is None


def test_null_bool_means_not_supplied_and_binds_false(api: httpx.Client) -> None:
    contact = create_contact(api, {"Name": "Acme ApS", "CountryKey": "DK", "IsPerson": None, "UseCvr": None})
    assert contact["IsPerson"] is False
    assert contact["UseCvr"] is False


def test_null_payment_condition_means_not_supplied_and_gets_the_default(api: httpx.Client) -> None:
    contact = create_contact(
        api,
        {"Name": "Acme ApS", "CountryKey": "DK", "PaymentConditionType": None, "PaymentConditionNumberOfDays": None},
    )
    assert contact["PaymentConditionType"] == "Netto"
    assert contact["PaymentConditionNumberOfDays"] == 8


def test_null_required_property_is_missing_and_400_code_42(api: httpx.Client) -> None:
    refused(api.post(CONTACTS, json={"Name": None, "CountryKey": "DK"}), "Name")


def test_null_product_number_fields_bind_zero(api: httpx.Client) -> None:
    product = create_product(api, {**PRODUCT, "BaseAmountValue": None})
    assert product["BaseAmountValue"] == 0


def test_empty_contact_guid_means_not_supplied_and_a_new_guid_is_made(api: httpx.Client) -> None:
    response = api.post(CONTACTS, json={"Name": "Acme ApS", "CountryKey": "DK", "ContactGuid": ""})
    assert response.status_code == 200, response.text
    guid = response.json()["ContactGuid"]
    assert str(UUID(guid)) == guid
    assert get_contact(api, guid)["Name"] == "Acme ApS"


def test_null_contact_guid_means_not_supplied_and_a_new_guid_is_made(api: httpx.Client) -> None:
    response = api.post(CONTACTS, json={"Name": "Acme ApS", "CountryKey": "DK", "ContactGuid": None})
    assert response.status_code == 200, response.text
    assert str(UUID(response.json()["ContactGuid"])) == response.json()["ContactGuid"]


def test_two_creates_with_empty_contact_guid_get_different_guids(api: httpx.Client) -> None:
    body = {"Name": "Acme ApS", "CountryKey": "DK", "ContactGuid": ""}
    first = api.post(CONTACTS, json=body).json()["ContactGuid"]
    second = api.post(CONTACTS, json=body).json()["ContactGuid"]
    assert first != second


# -- client-chosen ContactGuid -------------------------------------------------


def test_client_chosen_contact_guid_is_used(api: httpx.Client) -> None:
    chosen = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
    response = api.post(CONTACTS, json={"Name": "Acme ApS", "CountryKey": "DK", "ContactGuid": chosen})
    assert response.status_code == 200, response.text
    assert response.json() == {"ContactGuid": chosen}
    assert get_contact(api, chosen)["ContactGuid"] == chosen


def test_client_chosen_upper_case_contact_guid_comes_back_lower_case(api: httpx.Client) -> None:
    chosen = "3F2504E0-4F89-41D3-9A0C-0305E82C3301"
    response = api.post(CONTACTS, json={"Name": "Acme ApS", "CountryKey": "DK", "contactguid": chosen})
    assert response.status_code == 200, response.text
    assert response.json()["ContactGuid"] == chosen.lower()


def test_contact_guid_that_is_not_a_guid_is_400_code_42(api: httpx.Client) -> None:
    refused(api.post(CONTACTS, json={"Name": "Acme ApS", "CountryKey": "DK", "ContactGuid": "abc"}), "ContactGuid")


# -- numeric strings -----------------------------------------------------------


def test_account_number_sent_as_a_string_is_coerced(api: httpx.Client) -> None:
    product = create_product(api, {**PRODUCT, "AccountNumber": "1000"})
    assert product["AccountNumber"] == 1000


def test_base_amount_value_sent_as_a_string_is_coerced(api: httpx.Client) -> None:
    product = create_product(api, {**PRODUCT, "BaseAmountValue": "12.5"})
    assert product["BaseAmountValue"] == 12.5
    assert product["TotalAmount"] == 12.5


def test_quantity_sent_as_a_string_is_coerced(api: httpx.Client) -> None:
    product = create_product(api, {**PRODUCT, "BaseAmountValue": 10, "Quantity": "3"})
    assert product["Quantity"] == 3
    assert product["TotalAmount"] == 30


def test_payment_days_sent_as_a_string_are_coerced(api: httpx.Client) -> None:
    contact = create_contact(
        api,
        {"Name": "Acme ApS", "CountryKey": "DK", "PaymentConditionType": "Netto", "PaymentConditionNumberOfDays": "14"},
    )
    assert contact["PaymentConditionNumberOfDays"] == 14


# -- wrong types ---------------------------------------------------------------


def test_quantity_that_is_not_a_number_is_400_code_42_naming_quantity(api: httpx.Client) -> None:
    body = refused(api.post(PRODUCTS, json={**PRODUCT, "Quantity": "lots"}), "Quantity")
    assert body["message"] == "Validation Error"


def test_is_person_that_is_not_a_bool_is_400_code_42_naming_is_person(api: httpx.Client) -> None:
    refused(api.post(CONTACTS, json={"Name": "Acme ApS", "CountryKey": "DK", "IsPerson": "maybe"}), "IsPerson")


def test_is_person_yes_is_not_a_dotnet_bool_and_is_400_code_42(api: httpx.Client) -> None:
    # .NET reads only true/false (any casing) as a bool; "yes", "on", "t" fail to bind.
    refused(api.post(CONTACTS, json={"Name": "Acme ApS", "CountryKey": "DK", "IsPerson": "yes"}), "IsPerson")


def test_json_true_for_a_number_is_400_code_42_naming_it(api: httpx.Client) -> None:
    # .NET does not read a JSON boolean as a double.
    refused(api.post(PRODUCTS, json={**PRODUCT, "Quantity": True}), "Quantity")


def test_account_number_that_is_not_a_number_is_400_code_42_naming_it(api: httpx.Client) -> None:
    refused(api.post(PRODUCTS, json={**PRODUCT, "AccountNumber": "abc"}), "AccountNumber")


def test_fractional_account_number_is_400_code_42(api: httpx.Client) -> None:
    refused(api.post(PRODUCTS, json={**PRODUCT, "AccountNumber": 1000.5}), "AccountNumber")


def test_object_for_a_string_property_is_400_code_42_naming_it(api: httpx.Client) -> None:
    refused(api.post(CONTACTS, json={"Name": {"first": "Acme"}, "CountryKey": "DK"}), "Name")


def test_wrong_type_under_a_lower_case_name_is_reported_under_dineros_name(api: httpx.Client) -> None:
    refused(api.post(PRODUCTS, json={**PRODUCT, "quantity": "lots"}), "Quantity")


# -- required properties -------------------------------------------------------


def test_contact_without_name_is_400_code_42_naming_name(api: httpx.Client) -> None:
    refused(api.post(CONTACTS, json={"CountryKey": "DK"}), "Name")


def test_contact_with_empty_name_is_400_code_42_naming_name(api: httpx.Client) -> None:
    refused(api.post(CONTACTS, json={"Name": "", "CountryKey": "DK"}), "Name")


def test_contact_without_country_key_is_400_code_42_naming_country_key(api: httpx.Client) -> None:
    refused(api.post(CONTACTS, json={"Name": "Acme ApS"}), "CountryKey")


def test_empty_contact_object_names_every_missing_required_property(api: httpx.Client) -> None:
    refused(api.post(CONTACTS, json={}), "Name", "CountryKey")


def test_product_without_unit_is_400_code_42_naming_unit(api: httpx.Client) -> None:
    body = {key: value for key, value in PRODUCT.items() if key != "Unit"}
    refused(api.post(PRODUCTS, json=body), "Unit")


def test_product_without_name_is_allowed(api: httpx.Client) -> None:
    body = {key: value for key, value in PRODUCT.items() if key != "Name"}
    assert create_product(api, body)["Name"] is None


def test_contact_without_the_three_bools_binds_them_false(api: httpx.Client) -> None:
    contact = create_contact(api, {"Name": "Acme ApS", "CountryKey": "DK"})
    assert (contact["IsPerson"], contact["IsMember"], contact["UseCvr"]) == (False, False, False)


# -- bodies that are not an object ---------------------------------------------


def test_body_that_is_not_json_is_400_code_42(api: httpx.Client) -> None:
    response = api.post(CONTACTS, content=b"Name=Acme", headers={"content-type": "application/json"})
    dinero_error(response, 400, 42)


def test_truncated_json_body_is_400_code_42(api: httpx.Client) -> None:
    response = api.post(CONTACTS, content=b'{"Name": "Acme"', headers={"content-type": "application/json"})
    dinero_error(response, 400, 42)


def test_body_that_is_a_json_array_is_400_code_42(api: httpx.Client) -> None:
    dinero_error(api.post(CONTACTS, json=[{"Name": "Acme ApS", "CountryKey": "DK"}]), 400, 42)


def test_body_that_is_a_json_string_is_400_code_42(api: httpx.Client) -> None:
    dinero_error(api.post(CONTACTS, json="Acme ApS"), 400, 42)


def test_empty_body_on_contact_create_is_400_code_42(api: httpx.Client) -> None:
    response = api.post(CONTACTS, content=b"", headers={"content-type": "application/json"})
    dinero_error(response, 400, 42)


def test_empty_body_on_product_create_is_400_code_42(api: httpx.Client) -> None:
    response = api.post(PRODUCTS, content=b"", headers={"content-type": "application/json"})
    dinero_error(response, 400, 42)


def test_json_null_body_is_400_code_42(api: httpx.Client) -> None:
    response = api.post(CONTACTS, content=b"null", headers={"content-type": "application/json"})
    dinero_error(response, 400, 42)


# -- value rules ---------------------------------------------------------------


def test_external_reference_of_128_characters_is_accepted(api: httpx.Client) -> None:
    contact = create_contact(api, {"Name": "Acme ApS", "CountryKey": "DK", "ExternalReference": "x" * 128})
    assert contact["ExternalReference"] == "x" * 128


def test_external_reference_over_128_characters_is_400_code_42(api: httpx.Client) -> None:
    body = {"Name": "Acme ApS", "CountryKey": "DK", "ExternalReference": "x" * 129}
    refused(api.post(CONTACTS, json=body), "ExternalReference")


def test_product_external_reference_over_128_characters_is_400_code_42(api: httpx.Client) -> None:
    refused(api.post(PRODUCTS, json={**PRODUCT, "ExternalReference": "x" * 129}), "ExternalReference")


def test_product_comment_over_128_characters_is_400_code_42(api: httpx.Client) -> None:
    refused(api.post(PRODUCTS, json={**PRODUCT, "Comment": "x" * 129}), "Comment")


def test_a_product_accepted_with_a_huge_amount_can_be_read_back(api: httpx.Client) -> None:
    """Whatever a create accepts, a GET must be able to answer (or the create is refused)."""
    response = api.post(PRODUCTS, json={**PRODUCT, "BaseAmountValue": 1e30})
    if response.status_code == 200:
        fetched = api.get(f"{PRODUCTS}/{response.json()['ProductGuid']}")
        assert fetched.status_code == 200, fetched.text
        assert fetched.json()["BaseAmountValue"] == 1e30
    else:
        refused(response, "BaseAmountValue")


def test_a_product_accepted_with_quantity_nan_reads_back_as_valid_json(api: httpx.Client) -> None:
    """JSON has no NaN; a value that cannot be written as JSON must be refused at create."""
    response = api.post(PRODUCTS, json={**PRODUCT, "Quantity": "NaN"})
    if response.status_code == 200:
        fetched = api.get(f"{PRODUCTS}/{response.json()['ProductGuid']}")
        assert fetched.status_code == 200, fetched.text
        json.loads(fetched.text, parse_constant=_not_json)
    else:
        refused(response, "Quantity")


def _not_json(constant: str) -> None:
    raise AssertionError(f"{constant} is not valid JSON")


def test_unknown_country_key_is_400_code_42_naming_country_key(api: httpx.Client) -> None:
    refused(api.post(CONTACTS, json={"Name": "Acme ApS", "CountryKey": "XX"}), "CountryKey")


def test_unknown_unit_is_400_code_42_naming_unit(api: httpx.Client) -> None:
    refused(api.post(PRODUCTS, json={**PRODUCT, "Unit": "bananas"}), "Unit")


# -- nothing written on error --------------------------------------------------


def test_failed_contact_create_writes_nothing(api: httpx.Client) -> None:
    api.post(CONTACTS, json={"Name": "Kept", "CountryKey": "DK"})
    before = api.get(f"/v2/{ORG}/contacts", params={"fields": "Name,ContactGuid"}).json()
    refused(api.post(CONTACTS, json={"Name": "Broken", "CountryKey": "DK", "IsPerson": "maybe"}), "IsPerson")
    after = api.get(f"/v2/{ORG}/contacts", params={"fields": "Name,ContactGuid"}).json()
    assert after == before
    assert contact_count(api) == 1


def test_failed_contact_create_with_a_chosen_guid_does_not_take_the_guid(api: httpx.Client) -> None:
    chosen = "3f2504e0-4f89-41d3-9a0c-0305e82c3301"
    refused(api.post(CONTACTS, json={"Name": "Acme ApS", "CountryKey": "XX", "ContactGuid": chosen}), "CountryKey")
    assert api.get(f"{CONTACTS}/{chosen}").status_code == 404
    response = api.post(CONTACTS, json={"Name": "Acme ApS", "CountryKey": "DK", "ContactGuid": chosen})
    assert response.status_code == 200, response.text


def test_failed_product_create_writes_nothing(api: httpx.Client) -> None:
    create_product(api, PRODUCT)
    refused(api.post(PRODUCTS, json={**PRODUCT, "Unit": "bananas"}), "Unit")
    assert product_count(api) == 1


def test_product_with_an_account_not_in_the_chart_writes_nothing(api: httpx.Client) -> None:
    # Which code Dinero gives for an unknown account is not documented; only the refusal is checked.
    response = api.post(PRODUCTS, json={**PRODUCT, "AccountNumber": 12345})
    assert response.status_code == 400, response.text
    assert product_count(api) == 0


def test_failed_update_leaves_the_contact_unchanged(api: httpx.Client) -> None:
    guid = api.post(CONTACTS, json={"Name": "Acme ApS", "CountryKey": "DK"}).json()["ContactGuid"]
    before = get_contact(api, guid)
    refused(api.put(f"/v2/{ORG}/contacts/{guid}", json={"Name": "Renamed", "CountryKey": "XX"}), "CountryKey")
    assert get_contact(api, guid) == before


# -- "" for an optional property ----------------------------------------------------------


def test_an_empty_string_for_an_optional_property_is_not_supplied(api: httpx.Client) -> None:
    """A client that defaults every string to "" (Newtonsoft binds "" to a nullable as null)."""
    contact = create_contact(api, {"Name": "Acme ApS", "CountryKey": "DK", "PaymentConditionType": "", "Email": ""})
    assert (contact["PaymentConditionType"], contact["PaymentConditionNumberOfDays"], contact["Email"]) == (
        "Netto", 8, None,
    )


def test_an_empty_string_for_an_optional_number_or_guid_is_not_supplied(api: httpx.Client) -> None:
    contact = create_contact(api, {"Name": "Acme ApS", "CountryKey": "DK"})["ContactGuid"]
    body = {"ContactGuid": contact, "Currency": "", "Date": "", "PaymentConditionNumberOfDays": "",
            "ProductLines": [{"Description": "Rådgivning", "Quantity": 1, "AccountNumber": 1000,
                              "BaseAmountValue": 100, "Unit": "hours", "ProductGuid": "", "Discount": ""}]}
    response = api.post(f"/v1/{ORG}/invoices", json=body)
    assert response.status_code == 200, response.text
    invoice = api.get(f"/v1/{ORG}/invoices/{response.json()['Guid']}").json()
    assert (invoice["Currency"], invoice["Date"]) == ("DKK", "2026-03-02")


def test_an_empty_string_for_a_required_property_is_still_refused(api: httpx.Client) -> None:
    body = dinero_error(api.post(CONTACTS, json={"Name": "", "CountryKey": "DK"}), 400, 42)
    assert "Name" in body["validationErrors"]
