"""Organizations and countries: the calls that need no organization in the path."""

from __future__ import annotations

from functools import cache
from typing import Any

from .. import seed_data
from ..call import Call
from ..listing import project, resolve_fields
from ..models import DineroModel
from ..routing import QueryParam, Routes
from ..world import Organization

routes = Routes()


class OrganizationReadModel(DineroModel):
    Name: str | None = None
    Id: int | None = None
    Type: str | None = None
    IsPro: bool | None = None
    IsPayingPro: bool | None = None
    IsVatFree: bool
    Email: str | None = None
    Phone: str | None = None
    Street: str | None = None
    City: str | None = None
    ZipCode: str | None = None
    AttPerson: str | None = None
    IsTaxFreeUnion: bool
    VatNumber: str | None = None
    CountryKey: str | None = None
    Website: str | None = None


class SubscriptionReadModel(DineroModel):
    HasPro: bool
    HasPayingPro: bool
    HasStarterPlus: bool
    HasTotal: bool
    HasYfs: bool


class OrganizationReadModelV2(DineroModel):
    Name: str | None = None
    Id: int
    CompanyTypeKey: str | None = None
    IsVatFree: bool
    Email: str | None = None
    Phone: str | None = None
    Street: str | None = None
    City: str | None = None
    ZipCode: str | None = None
    AttPerson: str | None = None
    IsTaxFreeUnion: bool
    VatNumber: str | None = None
    CountryKey: str | None = None
    Website: str | None = None
    RoleKey: str | None = None
    Subscription: SubscriptionReadModel


class CountryModel(DineroModel):
    Key: str
    DanishName: str
    EnglishName: str


_V1_FIELDS = {name.lower(): name for name in OrganizationReadModel.model_fields}


def _reachable(call: Call) -> list[Organization]:
    """The organizations the caller's token reaches: a legacy token reaches one, a
    Visma Connect token its user's."""
    assert call.grant is not None
    organizations = call.world.organizations
    return [organizations[org_id] for org_id in call.world.reach(call.grant) if org_id in organizations]


@routes.get(
    "/v1/organizations",
    needs_pro=False,
    tag="ListOrganizations",
    response=list[OrganizationReadModel],
    query=(QueryParam("fields", default="id,name,isPro"),),
)
def list_organizations(call: Call) -> list[dict[str, Any]]:
    """Works for organizations without Pro: clients use it to check ``IsPro``."""
    fields = resolve_fields(call.query("fields") or "id,name,isPro", _V1_FIELDS)
    return [
        project(OrganizationReadModel.model_validate(org.profile).model_dump(mode="json"), fields)
        for org in _reachable(call)
    ]


@routes.get("/v1.1/organizations", needs_pro=False, tag="ListOrganizations", response=list[OrganizationReadModelV2])
def list_organizations_v2(call: Call) -> list[dict[str, Any]]:
    return [
        OrganizationReadModelV2.model_validate(org.profile).model_dump(mode="json")
        for org in _reachable(call)
    ]


@routes.get("/v1/countries", tag="Countries", response=list[CountryModel])
def list_countries(call: Call) -> list[dict[str, Any]]:
    return _countries()


@cache
def _countries() -> list[dict[str, Any]]:
    return [CountryModel.model_validate(row).model_dump(mode="json") for row in seed_data.load("countries")]
