"""Organizations and countries: Dinero's organization-less routes (reference §4.1)."""

from __future__ import annotations

import httpx

from fake_dinero.contracts import upstream


def test_organizations_default_to_id_name_and_is_pro_in_lower_camel(api: httpx.Client) -> None:
    assert api.get("/v1/organizations").json() == [{"id": 123456, "name": "Demo Regnskab ApS", "isPro": True}]


def test_organization_fields_echo_the_callers_casing(api: httpx.Client) -> None:
    response = api.get("/v1/organizations", params={"fields": "NAME,vatNumber,IsVatFree"})
    assert response.json() == [{"NAME": "Demo Regnskab ApS", "vatNumber": "DK12345678", "IsVatFree": False}]


def test_organization_fields_can_name_every_read_model_property(api: httpx.Client) -> None:
    properties = list(upstream.schema("OrganizationReadModel")["properties"])
    organization = api.get("/v1/organizations", params={"fields": ",".join(properties)}).json()[0]
    assert list(organization) == properties


def test_organizations_v1_1_carry_the_subscription(api: httpx.Client) -> None:
    organization = api.get("/v1.1/organizations").json()[0]
    assert set(organization) == set(upstream.schema("OrganizationReadModelV2")["properties"])
    assert organization["Subscription"]["HasPro"] is True


def test_countries_list_key_and_names_in_danish_and_english(api: httpx.Client) -> None:
    countries = {country["Key"]: country for country in api.get("/v1/countries").json()}
    assert countries["DK"] == {"Key": "DK", "DanishName": "Danmark", "EnglishName": "Denmark"}
    assert countries["DE"]["DanishName"] == "Tyskland"
    assert len(countries) > 200
