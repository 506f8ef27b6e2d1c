"""The served contract: an OpenAPI 3.1 document generated from the route table and models."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import jsonschema_rs
import pytest

from fake_dinero.contracts import upstream
from fake_dinero.contracts.openapi import main as write_openapi
from fake_dinero.contracts.openapi import operations, served_document
from fake_dinero.route_table import ROUTE_TABLE

from .support import ORG


@pytest.fixture(scope="module")
def document() -> dict:
    return served_document()


def validate(document: dict, schema_name: str, instance: object) -> None:
    schema = {"$ref": f"#/components/schemas/{schema_name}", "components": document["components"]}
    jsonschema_rs.validator_for(schema).validate(instance)


def test_the_document_is_served_without_a_token(anonymous: httpx.Client) -> None:
    response = anonymous.get("/openapi.json")
    assert response.status_code == 200
    assert response.json()["openapi"] == "3.1.0"


def test_every_operation_of_the_route_table_is_in_the_document(document: dict) -> None:
    assert set(operations(document)) == {op.key for op in ROUTE_TABLE.operations}


def test_dinero_operations_keep_dineros_paths_and_model_names(document: dict) -> None:
    contacts = document["paths"]["/v1/{organizationId}/contacts"]
    assert contacts["get"]["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ContactReadModelDineroCollection"
    }
    assert contacts["post"]["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ContactCreateModel"
    }


def test_required_properties_are_the_non_nullable_ones_as_in_dineros_document(document: dict) -> None:
    for name in ("ContactReadModel", "ContactCreateModel", "ProductReadModel", "OrganizationReadModelV2"):
        assert document["components"]["schemas"][name]["required"] == sorted(upstream.schema(name)["required"]), name


def test_nullable_properties_use_a_type_list(document: dict) -> None:
    street = document["components"]["schemas"]["ContactReadModel"]["properties"]["Street"]
    assert street == {"type": ["null", "string"]}


def test_list_endpoints_document_dineros_query_parameters(document: dict) -> None:
    parameters = document["paths"]["/v1/{organizationId}/products"]["get"]["parameters"]
    names = [p["name"] for p in parameters if p["in"] == "query"]
    assert names == ["fields", "freeTextSearch", "queryFilter", "changesSince", "deletedOnly", "page", "pageSize"]


def test_the_error_body_and_security_schemes_are_documented(document: dict) -> None:
    assert set(document["components"]["schemas"]["DineroError"]["properties"]) == {
        "code",
        "message",
        "validationErrors",
        "languageSpecificMessages",
        "errorMessageList",
    }
    assert set(document["components"]["securitySchemes"]["OAuth2"]["flows"]) == {"authorizationCode", "password"}


def test_the_control_plane_has_its_own_tag(document: dict) -> None:
    assert document["paths"]["/_fake/reset"]["post"]["tags"] == ["Control plane (fake only)"]
    assert document["paths"]["/_fake/reset"]["post"]["security"] == []


def test_write_operations_ask_for_the_write_scope(document: dict) -> None:
    assert document["paths"]["/v1/{organizationId}/contacts"]["post"]["security"] == [
        {"OAuth2": ["dineropublicapi:write"]}
    ]


def test_real_answers_match_their_documented_schemas(api: httpx.Client, document: dict) -> None:
    guid = api.post(f"/v1/{ORG}/contacts", json={"Name": "Skema ApS", "CountryKey": "DK"}).json()["ContactGuid"]
    product = api.post(
        f"/v1/{ORG}/products",
        json={"Name": "Kaffe", "BaseAmountValue": 10, "Quantity": 1, "AccountNumber": 1000, "Unit": "parts"},
    ).json()["ProductGuid"]
    fields = ",".join(upstream.schema("ContactReadModel")["properties"])
    validate(document, "ContactReadModel", api.get(f"/v1/{ORG}/contacts/{guid}").json())
    validate(document, "ProductReadModel", api.get(f"/v1/{ORG}/products/{product}").json())
    listed = api.get(f"/v1/{ORG}/contacts", params={"fields": fields}).json()
    validate(document, "ContactReadModelDineroCollection", listed)


def test_the_command_writes_the_served_document(tmp_path: Path) -> None:
    assert write_openapi(["-o", str(tmp_path / "openapi.json")]) == 0
    assert json.loads((tmp_path / "openapi.json").read_text(encoding="utf-8")) == served_document()


def test_fake_dinero_openapi_is_the_same_command(tmp_path: Path) -> None:
    from fake_dinero.cli import main

    assert main(["openapi", "--output", str(tmp_path / "doc.json")]) == 0
    assert json.loads((tmp_path / "doc.json").read_text(encoding="utf-8"))["info"]["title"] == "fake-dinero"


def test_models_list_their_properties_in_dineros_order(document: dict) -> None:
    dinero = upstream.load()["components"]["schemas"]
    for name, schema in document["components"]["schemas"].items():
        if name in dinero:
            assert list(schema.get("properties", {})) == list(dinero[name].get("properties", {})), name
