"""The sales list, its filters, sales settings and invoice templates (reference §4.7, §5.8).

The invoice, credit note and sales lists share one set of rules, declared
here: ``statusFilter``, ``startDate``/``endDate`` and ``sort``/``sortOrder``
on top of the common list rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Literal

from ..call import Call
from ..domain.chart import default_sales_account
from ..domain.dates import parse_date
from ..domain.documents import (
    SALES,
)
from ..errors import validation_error
from ..formats import shown
from ..listing import ListRules, collection_of, list_page
from ..models import DineroModel, Guid
from ..routing import QueryParam, Routes
from ..store import Record
from .contacts import DEFAULT_PAYMENT_DAYS
from .document_models import SalesVoucherReadListModel

routes = Routes(tag="Sales")

STATUSES = ("Draft", "Overdue", "Booked", "OverPaid", "Paid")
"""Every payment status, in the order ``sort=Status`` always uses (Dinero's document)."""
_STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}
_STATUS_NAMES = {status.lower(): status for status in STATUSES}


def _text_key(name: str) -> Callable[[Mapping[str, Any]], Any]:
    return lambda document: (document.get(name) or "").lower()


_SORTS = (
    ("VoucherNumber", lambda document: document["Number"]),
    ("VoucherDate", lambda document: document.get("Date") or ""),
    ("Status", lambda document: _STATUS_RANK.get(document.get("Status") or "", len(STATUSES))),
    ("Contact", _text_key("ContactName")),
)


def sales_list_rules(default_fields: str) -> ListRules:
    return ListRules(
        default_fields=default_fields,
        filterable=("ExternalReference", "ContactGuid", "Description"),
        free_text=("Number", "ContactName", "Description", "TotalInclVat"),
        sorts=_SORTS,
        default_sort="VoucherNumber,VoucherDate",
        fixed_order=("Status",),
        extra_query=(QueryParam("startDate"), QueryParam("endDate"), QueryParam("statusFilter")),
    )


def sales_page(call: Call, rules: ListRules, kinds: tuple[str, ...]) -> dict[str, Any]:
    """A page of invoices and/or credit notes with the sales filters applied."""
    table = call.organization.table(SALES)
    statuses = _status_filter(call)
    period = _period(call)

    def wanted(row: Record) -> bool:
        if row.data.Kind not in kinds:
            return False
        if period is not None and row.data.booked and not period[0] <= row.data.Date.isoformat() <= period[1]:
            return False
        return statuses is None or table.document(row)["Status"] in statuses

    return list_page(call, table, rules, where=wanted)


def _status_filter(call: Call) -> set[str] | None:
    raw = call.query("statusFilter")
    if raw is None:
        return None
    chosen = set()
    for name in raw.split(","):
        if not name.strip():
            continue
        status = _STATUS_NAMES.get(name.strip().lower())
        if status is None:
            raise validation_error(
                {"statusFilter": f"'{shown(name.strip())}' is not a status. Use any of: {', '.join(STATUSES)}."}
            )
        chosen.add(status)
    return chosen or None


def _period(call: Call) -> tuple[str, str] | None:
    """``startDate`` and ``endDate`` go together (Dinero's document); drafts are
    never filtered by them."""
    start, end = call.query("startDate"), call.query("endDate")
    if start is None and end is None:
        return None
    if start is None or end is None:
        missing = "startDate" if start is None else "endDate"
        raise validation_error({missing: "startDate and endDate must be given together."})
    first, last = parse_date(start, "startDate"), parse_date(end, "endDate")
    if first > last:
        raise validation_error({"endDate": "endDate is before startDate."})
    return first.isoformat(), last.isoformat()


LIST_SALES = sales_list_rules("Guid,ContactName,Date,Description,Type")


@routes.get("/v1/{organizationId}/sales", response=collection_of(SalesVoucherReadListModel), query=LIST_SALES)
def list_sales(call: Call) -> dict[str, Any]:
    """Invoices and credit notes together; ``Type`` tells them apart."""
    return sales_page(call, LIST_SALES, ("Invoice", "CreditNote"))


class SalesVoucherSetttingsModel(DineroModel):
    """Sic: three t's, as in Dinero's document."""

    LinesInclVat: bool
    FikCode: str | None = None
    UseFikCode: bool
    DefaultAccountNumber: int
    InvoiceTemplateId: Guid | None = None
    AddVoucherAsPdfAttachment: bool
    ReminderFee: float
    ReminderInterestRate: float
    TrustPilotEmail: str | None = None
    PaymentConditionNumberOfDays: int
    PaymentConditionType: str | None = None


DEFAULT_TEMPLATE_ID = "6b4e3a1c-57f2-4a0e-9d2b-3c8f0e1a7d55"
"""The id of the one invoice template every organization of the fake has."""
DEFAULT_REMINDER_FEE = 100.0
"""The Danish statutory maximum reminder fee (rentelovens § 9 b), Dinero's default [INF]."""
DEFAULT_INTEREST_RATE = 0.7
"""Monthly interest on overdue invoices, in percent [INF]."""


@routes.get("/v1/{organizationId}/sales/settings", response=SalesVoucherSetttingsModel)
def get_sales_settings(call: Call) -> SalesVoucherSetttingsModel:
    """The organization's invoice defaults, which the fake's documents follow:
    lines excl. VAT, account 1000, Netto 8 days."""
    default_account = default_sales_account(call.organization)
    return SalesVoucherSetttingsModel(
        LinesInclVat=False,
        UseFikCode=False,
        DefaultAccountNumber=default_account,
        InvoiceTemplateId=DEFAULT_TEMPLATE_ID,
        AddVoucherAsPdfAttachment=True,
        ReminderFee=DEFAULT_REMINDER_FEE,
        ReminderInterestRate=DEFAULT_INTEREST_RATE,
        PaymentConditionNumberOfDays=DEFAULT_PAYMENT_DAYS,
        PaymentConditionType="Netto",
    )


class InvoiceTemplateModel(DineroModel):
    Id: Guid
    Name: str | None = None
    IsDefault: bool
    Theme: Literal["DineroStarter", "Standard", "Massive", "TopImage", "BackgroundImage", "Box"]
    PrimaryColor: str | None = None
    SecondaryColor: str | None = None
    AddressPlacement: Literal["Right", "Left"]
    Font: str | None = None
    LogoType: Literal["Image", "Letters"]
    LogoText: str | None = None
    LogoFileGuid: str | None = None
    MaxImageWidthMm: int
    ShowCompanyInfo: bool
    ShowPaymentConditions: bool
    ShowLogo: bool
    ShowLineQuantity: bool
    ShowLineUnit: bool
    ImageFileUploadGuid: str | None = None
    ImageTextColor: str | None = None


@routes.get("/v1/{organizationId}/invoices/templates", response=list[InvoiceTemplateModel], tag="Invoices")
def list_invoice_templates(call: Call) -> list[InvoiceTemplateModel]:
    """One default template. Enums are strings, as Dinero's document says (dinero-go reads ints)."""
    return [
        InvoiceTemplateModel(
            Id=DEFAULT_TEMPLATE_ID,
            Name="Standard",
            IsDefault=True,
            Theme="Standard",
            PrimaryColor="#1F3A5F",
            SecondaryColor="#E8EEF5",
            AddressPlacement="Right",
            Font="Helvetica",
            LogoType="Letters",
            LogoText=call.organization.profile.get("Name"),
            MaxImageWidthMm=60,
            ShowCompanyInfo=True,
            ShowPaymentConditions=True,
            ShowLogo=True,
            ShowLineQuantity=True,
            ShowLineUnit=True,
        )
    ]
