"""fake_dinero.contracts.strategies: every body it draws is one the fake accepts and echoes,
every queryFilter one the list endpoints accept and read as written.

Each example gets a fresh fake (``fresh_dinero``, about a millisecond), so a body
that carries its own ContactGuid never meets one drawn before.
"""

from __future__ import annotations

import re
from contextlib import AbstractContextManager
from datetime import date
from typing import Annotated, Any
from uuid import UUID

import httpx
import pytest
from hypothesis import find, given, settings
from hypothesis import strategies as st
from pydantic import Field, StringConstraints

from fake_dinero import Dinero
from fake_dinero.contracts.strategies import (
    CASINGS,
    contact_bodies,
    contact_note_bodies,
    contact_query_filters,
    model_bodies,
    product_bodies,
    product_query_filters,
    query_filter_conditions,
    query_filters,
    recase,
    render_query_filter,
    sales_accounts,
)
from fake_dinero.models import DineroModel
from fake_dinero.resources.contacts import ContactCreateModel, ContactUpdateModel
from fake_dinero.resources.products import UNITS, ProductWriteModel

from .strategy_calls import assert_json_ready, fresh, ok
from .strategy_calls import posted as post_body
from .support import ORG

CONTACTS = f"/v1/{ORG}/contacts"
CONTACTS_V2 = f"/v2/{ORG}/contacts"
PRODUCTS = f"/v1/{ORG}/products"

examples = settings(max_examples=25, deadline=None, database=None)


def fresh_api() -> AbstractContextManager[tuple[Dinero, httpx.Client]]:
    """A client logged in to a new demo organization (no rate limit, no contacts)."""
    return fresh(demo_contact=False)


def by_model_name(body: dict[str, Any], model: type[DineroModel]) -> dict[str, Any]:
    """The properties the body supplies, under the model's own names (binding is
    case-insensitive; ``null``, and ``""`` for an optional property, supply nothing)."""
    fields = {name.lower(): (name, field) for name, field in model.model_fields.items()}
    supplied = {}
    for key, value in body.items():
        name, field = fields.get(key.lower(), (None, None))
        if name is None or value is None or (value == "" and field is not None and not field.is_required()):
            continue
        supplied[name] = value
    return supplied


def expected_contact(body: dict[str, Any]) -> dict[str, Any]:
    """What GET returns for a contact written with ``body``: what was sent, the
    rest cleared (strings null, bools false), Netto 8 days unless told otherwise."""
    sent = by_model_name(body, ContactUpdateModel)
    expected = {name: sent.get(name, field.default) for name, field in ContactUpdateModel.model_fields.items()}
    expected["PaymentConditionType"] = sent.get("PaymentConditionType", "Netto")
    if expected["PaymentConditionType"] == "NettoCash":
        expected["PaymentConditionNumberOfDays"] = None
    elif "PaymentConditionNumberOfDays" not in sent:
        expected["PaymentConditionNumberOfDays"] = 8
    return expected


def expected_product(body: dict[str, Any]) -> dict[str, Any]:
    sent = by_model_name(body, ProductWriteModel)
    expected = {name: sent.get(name, field.default) for name, field in ProductWriteModel.model_fields.items()}
    expected["Unit"] = {unit.lower(): unit for unit in UNITS}[sent["Unit"].lower()]
    return expected


def posted(client: httpx.Client, path: str, body: dict[str, Any]) -> str:
    (guid,) = post_body(client, path, body).values()
    return str(guid)


def read_back(client: httpx.Client, path: str, expected: dict[str, Any]) -> None:
    document = ok(client.get(path))
    assert {name: document[name] for name in expected} == expected


# -- bodies --------------------------------------------------------------------


@pytest.mark.parametrize("casing", CASINGS)
@examples
@given(data=st.data())
def test_contact_bodies_are_created_and_read_back(casing: str, data: st.DataObject) -> None:
    body = data.draw(contact_bodies(casing=casing), label="body")
    with fresh_api() as (_, client):
        guid = posted(client, CONTACTS, body)
        sent_guid = by_model_name(body, ContactCreateModel).get("ContactGuid")
        assert sent_guid in (None, guid)
        read_back(client, f"{CONTACTS}/{guid}", expected_contact(body))


@examples
@given(
    first=contact_bodies(with_guid=False),
    update=contact_bodies(update=True, casing="camel"),
    path=st.sampled_from([CONTACTS, CONTACTS_V2]),
)
def test_contact_update_bodies_replace_the_contact(first: dict, update: dict, path: str) -> None:
    assert not {key.lower() for key in update} & {"contactguid"}
    with fresh_api() as (_, client):
        guid = posted(client, CONTACTS, first)
        assert_json_ready(update)
        ok(client.put(f"{path}/{guid}", json=update))
        read_back(client, f"{CONTACTS}/{guid}", expected_contact(update))


def test_with_guid_true_always_sends_one_and_false_never() -> None:
    @settings(max_examples=15, database=None)
    @given(always=contact_bodies(with_guid=True, casing="lower"), never=contact_bodies(with_guid=False))
    def check(always: dict, never: dict) -> None:
        assert UUID(always["contactguid"]).version == 4
        assert "ContactGuid" not in never

    check()


@examples
@given(note=contact_note_bodies(), edit=contact_note_bodies(casing="lower"))
def test_note_bodies_are_created_updated_and_read_back(note: dict, edit: dict) -> None:
    with fresh_api() as (_, client):
        contact = posted(client, CONTACTS, {"Name": "Noter ApS", "CountryKey": "DK"})
        notes = f"{CONTACTS}/{contact}/notes"
        guid = posted(client, notes, note)
        assert ok(client.get(f"{notes}/{guid}"))["Text"] == note["Text"]
        ok(client.put(f"{notes}/{guid}", json=edit))
        assert ok(client.get(f"{notes}/{guid}"))["Text"] == edit["text"]


@pytest.mark.parametrize("casing", CASINGS)
@examples
@given(data=st.data())
def test_product_bodies_are_created_updated_and_read_back(casing: str, data: st.DataObject) -> None:
    body = data.draw(product_bodies(casing=casing), label="body")
    update = data.draw(product_bodies(casing=casing), label="update")
    with fresh_api() as (_, client):
        guid = posted(client, PRODUCTS, body)
        read_back(client, f"{PRODUCTS}/{guid}", expected_product(body))
        assert_json_ready(update)
        ok(client.put(f"{PRODUCTS}/{guid}", json=update))
        read_back(client, f"{PRODUCTS}/{guid}", expected_product(update))


def test_product_accounts_default_to_the_charts_sales_accounts_and_can_be_chosen() -> None:
    assert 1000 in sales_accounts() and 2000 not in sales_accounts()
    chart_row = {"AccountNumber": 1050, "Name": "Salg af varer/ydelser u/moms"}

    @settings(max_examples=20, database=None)
    @given(default=product_bodies(), chosen=product_bodies([1350, chart_row]))
    def check(default: dict, chosen: dict) -> None:
        assert default["AccountNumber"] in sales_accounts()
        assert chosen["AccountNumber"] in (1350, 1050)

    check()
    with pytest.raises(ValueError):
        product_bodies([])


# -- query filters -------------------------------------------------------------


@examples
@given(contacts=contact_query_filters(), products=product_query_filters())
def test_query_filters_are_accepted_by_the_list_endpoints(contacts: str, products: str) -> None:
    with fresh_api() as (_, client):
        for path in (CONTACTS, CONTACTS_V2):
            ok(client.get(path, params={"queryFilter": contacts}))
        ok(client.get(PRODUCTS, params={"queryFilter": products}))


@examples
@given(conditions=query_filter_conditions(["Name"], max_conditions=1))
def test_a_filter_value_reaches_the_fake_as_written(conditions: list) -> None:
    """The value of ``Name eq '<v>'`` is exactly v: quotes and semicolons survive."""
    ((_, operator, value),) = conditions
    name = value or "tom"
    with fresh_api() as (_, client):
        wanted = posted(client, CONTACTS, {"Name": name, "CountryKey": "DK"})
        posted(client, CONTACTS, {"Name": name + " (kopi)" if operator == "eq" else "\u2603", "CountryKey": "DK"})
        query = render_query_filter([("Name", operator, name)])
        found = ok(client.get(CONTACTS, params={"queryFilter": query, "fields": "ContactGuid"}))["Collection"]
        assert [item["ContactGuid"] for item in found] == [wanted]


def test_filters_hold_quotes_and_semicolons_inside_values_both_operators_and_bools() -> None:
    seen: set[str] = set()

    @settings(max_examples=100, database=None, derandomize=True)
    @given(conditions=query_filter_conditions(["Name", "Email"]), contacts=contact_query_filters())
    def collect(conditions: list, contacts: str) -> None:
        seen.update(";" for _, _, value in conditions if ";" in value)
        seen.update("'" for _, _, value in conditions if "'" in value)
        seen.update(operator for _, operator, _ in conditions)
        if len(conditions) > 1:
            seen.add("and")
        for bool_value in re.finditer(r"(?:^|;)IsPerson (?:eq|contains) '([^']*)'", contacts):
            seen.add(f"IsPerson {bool_value[1]}")

    collect()
    assert seen == {";", "'", "eq", "contains", "and", "IsPerson true", "IsPerson false"}
    assert render_query_filter([("Name", "eq", "O'Brien;x"), ("Email", "contains", "@")]) == (
        "Name eq 'O''Brien;x';Email contains '@'"
    )


def test_query_filters_need_a_field() -> None:
    with pytest.raises(ValueError):
        query_filters([])


# -- casing and model_bodies -------------------------------------------------------


@pytest.mark.parametrize(
    ("casing", "expected"),
    [
        ("pascal", ["ContactGuid", "SENumber", "PNumber", "EanNumber"]),
        ("camel", ["contactGuid", "seNumber", "pNumber", "eanNumber"]),
        ("lower", ["contactguid", "senumber", "pnumber", "eannumber"]),
    ],
)
def test_casings_spell_names_as_dotnet_and_other_clients_do(casing: str, expected: list[str]) -> None:
    body = {"ContactGuid": 1, "SENumber": 2, "PNumber": 3, "EanNumber": [{"EanNumber": 4}]}
    assert list(recase(body, casing)) == expected  # type: ignore[arg-type]
    assert list(recase(body, casing)[expected[-1]][0]) == expected[-1:]  # type: ignore[arg-type]


class LineLike(DineroModel):
    Description: Annotated[str, StringConstraints(min_length=1, max_length=40)]
    Quantity: Annotated[float, Field(ge=0, le=1000)]
    Discount: Annotated[int, Field(ge=0, le=100)] = 0


class InvoiceLike(DineroModel):
    """A model of our own with nested lines, a date and a GUID (model_bodies' own test)."""

    ContactGuid: UUID
    Date: date
    Comment: str | None = None
    ProductLines: Annotated[list[LineLike], Field(min_length=1, max_length=3)]


@settings(max_examples=25, database=None, deadline=None)
@given(body=model_bodies(InvoiceLike, casing="camel"))
def test_model_bodies_follow_nested_models_lists_dates_and_limits(body: dict) -> None:
    assert_json_ready(body)
    assert {"contactGuid", "date", "productLines"} <= set(body)
    invoice = InvoiceLike.model_validate(body)  # binds case-insensitively, nested too
    assert 1 <= len(invoice.ProductLines) <= 3
    assert all(0 <= line.Quantity <= 1000 and len(line.Description) <= 40 for line in invoice.ProductLines)
    assert all(set(line) <= {"description", "quantity", "discount"} for line in body["productLines"])


def test_model_bodies_refuse_what_they_cannot_derive() -> None:
    class Odd(DineroModel):
        Lookup: dict[str, int]

    with pytest.raises(TypeError, match="Odd.Lookup"):
        model_bodies(Odd)
    with pytest.raises(ValueError, match="Nope"):
        model_bodies(InvoiceLike, overrides={"Nope": st.just(1)})
    assert find(model_bodies(Odd, overrides={"Lookup": st.just({"a": 1})}), lambda body: True) == {"Lookup": {"a": 1}}
