"""Products, one operation's behaviour at a time (reference §4.4, §5.5).

List paging, ``fields``, ``queryFilter``, ``freeTextSearch``, ``changesSince``
and body binding details are covered elsewhere; lists appear here only where
a delete shows in them.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import httpx

from fake_dinero import Clock, seed_data
from fake_dinero.contracts import upstream

from .support import ORG, dinero_error

PRODUCTS = f"/v1/{ORG}/products"
UNKNOWN_GUID = "9a1b2c3d-4e5f-4a6b-8c7d-0e1f2a3b4c5d"
SALES_ACCOUNT_WITH_VAT = 1000  # "Salg af varer/ydelser m/moms", VAT code U25 (25 %)


def account_without_vat() -> int:
    """A sales account of the demo chart that carries no VAT code."""
    for account in seed_data.load("chart_of_accounts"):
        if account["Category"] == "Turnover" and account["VatCode"] in (None, "none"):
            return int(account["AccountNumber"])
    raise AssertionError("the demo chart of accounts has no turnover account without VAT")


def account_not_in_chart() -> int:
    numbers = {int(account["AccountNumber"]) for account in seed_data.load("chart_of_accounts")}
    missing = 4711
    assert missing not in numbers
    return missing


def product_body(**overrides: Any) -> dict[str, Any]:
    return {
        "ProductNumber": "0001",
        "Name": "Konsulenttime",
        "BaseAmountValue": 100.0,
        "Quantity": 1.0,
        "AccountNumber": SALES_ACCOUNT_WITH_VAT,
        "Unit": "hours",
        **overrides,
    }


def create_product(api: httpx.Client, **overrides: Any) -> str:
    response = api.post(PRODUCTS, json=product_body(**overrides))
    assert response.status_code == 200, response.text
    return response.json()["ProductGuid"]


def get_product(api: httpx.Client, guid: str) -> dict[str, Any]:
    response = api.get(f"{PRODUCTS}/{guid}")
    assert response.status_code == 200, response.text
    return response.json()


def listed_guids(api: httpx.Client, **params: str) -> list[str]:
    response = api.get(PRODUCTS, params=params)
    assert response.status_code == 200, response.text
    return [item["ProductGuid"] for item in response.json()["Collection"]]


# -- create and read ----------------------------------------------------------


def test_create_returns_only_the_new_product_guid(api: httpx.Client) -> None:
    response = api.post(PRODUCTS, json=product_body())
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"ProductGuid"}
    assert str(uuid.UUID(body["ProductGuid"])) == body["ProductGuid"]


def test_created_product_reads_back_with_every_property_of_dineros_read_model(api: httpx.Client) -> None:
    sent = product_body(
        ProductNumber="K-17",
        Name="Kaffebønner",
        BaseAmountValue=80.0,
        Quantity=2.0,
        Unit="kilogram",
        ExternalReference="WebShopID:42",
        Comment="Leveres fredag.",
    )
    guid = api.post(PRODUCTS, json=sent).json()["ProductGuid"]

    product = get_product(api, guid)

    assert set(product) == set(upstream.schema("ProductReadModel")["properties"])
    assert product["ProductGuid"] == guid
    for name, value in sent.items():
        assert product[name] == value, name
    assert product["CreatedAt"] == "2026-03-02T09:30:00"
    assert product["UpdatedAt"] == "2026-03-02T09:30:00"
    assert product["DeletedAt"] is None


def test_price_incl_vat_uses_the_vat_rate_of_the_products_account(api: httpx.Client) -> None:
    product = get_product(api, create_product(api, BaseAmountValue=100, AccountNumber=SALES_ACCOUNT_WITH_VAT))
    assert product["BaseAmountValue"] == 100.0
    assert product["BaseAmountValueInclVat"] == 125.0


def test_totals_are_base_times_quantity_rounded_to_two_decimals(api: httpx.Client) -> None:
    product = get_product(api, create_product(api, BaseAmountValue=33.333, Quantity=3))
    assert product["TotalAmount"] == 100.0  # 99.999
    assert product["BaseAmountValueInclVat"] == 41.67  # 41.66625
    assert product["TotalAmountInclVat"] == 125.0  # 33.333 * 1.25 * 3 = 124.99875
    for name in ("TotalAmount", "BaseAmountValueInclVat", "TotalAmountInclVat"):
        assert product[name] == round(product[name], 2), name


def test_account_without_vat_gives_prices_incl_vat_equal_to_base(api: httpx.Client) -> None:
    guid = create_product(api, BaseAmountValue=250.5, Quantity=4, AccountNumber=account_without_vat())
    product = get_product(api, guid)
    assert product["BaseAmountValueInclVat"] == 250.5
    assert product["TotalAmount"] == 1002.0
    assert product["TotalAmountInclVat"] == 1002.0


def test_unknown_account_number_is_400_code_42_naming_account_number(api: httpx.Client) -> None:
    response = api.post(PRODUCTS, json=product_body(AccountNumber=account_not_in_chart()))
    body = dinero_error(response, 400, 42)
    assert "AccountNumber" in body["validationErrors"]
    assert listed_guids(api) == []


def test_unit_is_matched_case_insensitively_and_rendered_in_dineros_casing(api: httpx.Client) -> None:
    product = get_product(api, create_product(api, Unit="CUBICMETRE"))
    assert product["Unit"] == "cubicMetre"


def test_unknown_unit_is_400_code_42_naming_unit(api: httpx.Client) -> None:
    body = dinero_error(api.post(PRODUCTS, json=product_body(Unit="furlong")), 400, 42)
    assert "Unit" in body["validationErrors"]


def test_get_of_unknown_product_is_404_code_40(api: httpx.Client) -> None:
    dinero_error(api.get(f"{PRODUCTS}/{UNKNOWN_GUID}"), 404, 40)


# -- update -------------------------------------------------------------------


def test_put_replaces_the_whole_product_and_moves_updated_at(api: httpx.Client, clock: Clock) -> None:
    guid = create_product(
        api, Name="Gammel vare", ExternalReference="ext-1", Comment="Gammel kommentar", ProductNumber="0001"
    )
    clock.advance(minutes=7)

    response = api.put(
        f"{PRODUCTS}/{guid}",
        json={"Name": "Ny vare", "BaseAmountValue": 40, "Quantity": 2, "AccountNumber": 1000, "Unit": "parts"},
    )

    assert response.status_code == 200, response.text
    assert response.content == b""
    product = get_product(api, guid)
    assert product["Name"] == "Ny vare"
    assert product["Unit"] == "parts"
    assert product["TotalAmount"] == 80.0
    assert product["TotalAmountInclVat"] == 100.0
    # Properties the PUT left out are cleared, not kept.
    assert product["ProductNumber"] is None
    assert product["ExternalReference"] is None
    assert product["Comment"] is None
    assert product["CreatedAt"] == "2026-03-02T09:30:00"
    assert product["UpdatedAt"] == "2026-03-02T09:37:00"


def test_put_of_unknown_product_is_404_code_40(api: httpx.Client) -> None:
    dinero_error(api.put(f"{PRODUCTS}/{UNKNOWN_GUID}", json=product_body()), 404, 40)


def test_put_on_a_deleted_product_is_400_code_65(api: httpx.Client) -> None:
    guid = create_product(api, Name="Udgået")
    api.delete(f"{PRODUCTS}/{guid}")
    dinero_error(api.put(f"{PRODUCTS}/{guid}", json=product_body(Name="Genopstået")), 400, 65)
    assert get_product(api, guid)["Name"] == "Udgået"


# -- delete -------------------------------------------------------------------


def test_delete_is_a_soft_delete_and_get_still_answers_with_deleted_at(api: httpx.Client, clock: Clock) -> None:
    guid = create_product(api, Name="Udgået vare")
    clock.advance(minutes=15)

    response = api.delete(f"{PRODUCTS}/{guid}")

    assert response.status_code == 200
    assert response.content == b""
    product = get_product(api, guid)
    assert product["Name"] == "Udgået vare"
    assert product["DeletedAt"] == "2026-03-02T09:45:00"


def test_deleted_product_leaves_the_default_list_and_shows_with_deleted_only(api: httpx.Client) -> None:
    kept = create_product(api, Name="Beholdes")
    gone = create_product(api, Name="Slettes")

    api.delete(f"{PRODUCTS}/{gone}")

    assert listed_guids(api) == [kept]
    assert listed_guids(api, deletedOnly="true") == [gone]


def test_deleting_a_deleted_product_again_is_400_code_65(api: httpx.Client) -> None:
    guid = create_product(api)
    assert api.delete(f"{PRODUCTS}/{guid}").status_code == 200
    dinero_error(api.delete(f"{PRODUCTS}/{guid}"), 400, 65)


def test_delete_of_unknown_product_is_404_code_40(api: httpx.Client) -> None:
    dinero_error(api.delete(f"{PRODUCTS}/{UNKNOWN_GUID}"), 404, 40)


def test_dinero_has_no_product_restore_route(api: httpx.Client) -> None:
    assert ("POST", "/v1/{organizationId}/products/{guid}/restore") not in upstream.operations()
    guid = create_product(api)
    api.delete(f"{PRODUCTS}/{guid}")

    response = api.post(f"{PRODUCTS}/{guid}/restore")

    assert response.status_code == 404
    assert get_product(api, guid)["DeletedAt"] is not None
    # An unknown route, not Dinero's JSON "not found" for an id.
    try:
        document = response.json()
    except json.JSONDecodeError:
        document = None
    assert not (isinstance(document, dict) and "code" in document)
