"""Products (reference §4.4, §5.5): priced items that invoices can use."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import StringConstraints, field_validator

from ..call import Call
from ..domain.chart import account_vat_rate, entry_account
from ..errors import validation_error
from ..formats import money_json, shown
from ..listing import ListRules, collection_of, list_page
from ..models import Amount, DineroDateTime, DineroModel, Guid, Int, Money
from ..routing import Routes
from ..store import Collection, Record
from ..world import Organization

routes = Routes(tag="Products")

Text128 = Annotated[str, StringConstraints(max_length=128)]

UNITS = (
    "hours", "parts", "km", "day", "week", "month", "kilogram", "cubicMetre", "set", "litre",
    "box", "case", "carton", "metre", "package", "shipment", "squareMetre", "session", "tonne",
)
_UNITS_BY_LOWER = {unit.lower(): unit for unit in UNITS}


class ProductWriteModel(DineroModel):
    """ProductCreateModel and ProductUpdateModel (the same shape).

    ``BaseAmountValue`` and ``Quantity`` are .NET doubles, so leaving them out
    binds 0; ``AccountNumber`` left out binds 0 and then names no account.
    """

    ProductNumber: str | None = None
    Name: str | None = None
    BaseAmountValue: Amount = 0.0
    Quantity: Amount = 0.0
    AccountNumber: Int = 0
    Unit: Annotated[str, StringConstraints(min_length=1)]
    ExternalReference: Text128 | None = None
    Comment: Text128 | None = None

    @field_validator("Unit")
    @classmethod
    def _known_unit(cls, unit: str) -> str:
        try:
            return _UNITS_BY_LOWER[unit.lower()]
        except KeyError:
            raise ValueError(f"'{shown(unit)}' is not a unit. Use one of: {', '.join(UNITS)}.") from None


class ProductData(ProductWriteModel):
    """A stored product: the written fields, with its amounts exact."""

    BaseAmountValue: Money = Decimal(0)
    Quantity: Money = Decimal(0)


class ProductCreateModel(ProductWriteModel):
    pass


class ProductUpdateModel(ProductWriteModel):
    pass


class _ProductReadOnly(DineroModel):
    CreatedAt: DineroDateTime
    UpdatedAt: DineroDateTime
    DeletedAt: DineroDateTime | None = None
    ProductGuid: Guid
    BaseAmountValueInclVat: float
    TotalAmount: float
    TotalAmountInclVat: float


class ProductReadModel(ProductWriteModel, _ProductReadOnly):
    """The read-only properties come first, in Dinero's order (pydantic takes the
    fields of the last base first)."""


class ProductCreatedResult(DineroModel):
    ProductGuid: Guid


def _render_product(organization: Organization, row: Record) -> ProductReadModel:
    """Prices incl. VAT use the VAT code of the product's sales account."""
    product: ProductData = row.data
    rate = account_vat_rate(organization, product.AccountNumber)
    base, quantity = product.BaseAmountValue, product.Quantity
    incl_vat = base * (1 + rate)
    return ProductReadModel(
        **product.model_dump(),
        CreatedAt=row.created_at,
        UpdatedAt=row.updated_at,
        DeletedAt=row.deleted_at,
        ProductGuid=row.key,
        BaseAmountValueInclVat=money_json(incl_vat),
        TotalAmount=money_json(base * quantity),
        TotalAmountInclVat=money_json(incl_vat * quantity),
    )


def _by_updated_at(row: Record) -> tuple[Any, int]:
    return (row.updated_at, row.seq)


PRODUCTS = Collection(
    "products", ProductReadModel, _render_product, data_model=ProductData, order=_by_updated_at
)
LIST_PRODUCTS = ListRules(
    default_fields="Name,ProductGuid",
    filterable=("Name", "ProductNumber", "ExternalReference"),
    free_text=("Name", "ProductNumber"),
)


def _bind_product(call: Call, model: type[ProductWriteModel]) -> ProductData:
    """The body, with its account checked against the organization's chart.

    Dinero's error for an unknown account is unknown; 400 with code 42
    naming AccountNumber is chosen.
    """
    product = call.body(model)
    if entry_account(call.organization, product.AccountNumber) is None:
        raise validation_error(
            {"AccountNumber": f"Account {product.AccountNumber} is not in the organization's chart of accounts."}
        )
    return ProductData.model_validate(product.model_dump())


@routes.get("/v1/{organizationId}/products", response=collection_of(ProductReadModel), query=LIST_PRODUCTS)
def list_products(call: Call) -> dict[str, Any]:
    """Ordered by UpdatedAt, as Dinero documents."""
    return list_page(call, call.organization.table(PRODUCTS), LIST_PRODUCTS)


@routes.post("/v1/{organizationId}/products", body=ProductCreateModel, response=ProductCreatedResult)
def create_product(call: Call) -> ProductCreatedResult:
    product = _bind_product(call, ProductCreateModel)
    key = call.world.new_guid()
    call.organization.table(PRODUCTS).insert(key, product)
    return ProductCreatedResult(ProductGuid=key)


@routes.get("/v1/{organizationId}/products/{guid}", response=ProductReadModel)
def get_product(call: Call) -> dict[str, Any]:
    table = call.organization.table(PRODUCTS)
    return table.document(table.require(call.guid("guid"), "ProductGuid"))


@routes.put("/v1/{organizationId}/products/{guid}", body=ProductUpdateModel)
def update_product(call: Call) -> None:
    table = call.organization.table(PRODUCTS)
    row = table.require_live(call.guid("guid"), "ProductGuid")
    table.update(row, _bind_product(call, ProductUpdateModel))


@routes.delete("/v1/{organizationId}/products/{guid}")
def delete_product(call: Call) -> None:
    table = call.organization.table(PRODUCTS)
    table.delete(table.require_live(call.guid("guid"), "ProductGuid"))
