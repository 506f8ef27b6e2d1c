"""Trade offers (reference §4.8, §6.3): drafts that are never booked.

An offer is numbered when made (its own series), may be changed while it is
a Draft, printed as PDF in any status, and turned into a draft invoice with
``generate-invoice``, which marks it Invoiced. Its mails live in ``mailouts``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..call import Call
from ..domain import sales
from ..domain.documents import (
    TRADE_OFFERS,
    require_kind,
)
from ..domain.versions import check_timestamp, timestamp_of
from ..errors import validation_error
from ..listing import ListRules, collection_of, list_page
from ..routing import Routes
from ..store import Record, Table
from . import voucher_flow as flow
from .document_binding import bind_document
from .document_models import (
    CreatedResponseModel,
    TimestampObject,
    TradeOfferCreateFetchModel,
    TradeOfferCreateModel,
    TradeOfferFetchReadModel,
    TradeOfferReadModel,
    TradeOfferUpdateModel,
    UpdatedResponseModel,
)

routes = Routes(tag="Trade offers")

STATUSES = ("Draft", "Invoiced", "CustomerAccepted", "CustomerDeclined", "UserAccepted", "UserDeclined")
"""Dinero's statuses of an offer, in the order its document lists them (``sort=Status`` uses it)."""
_STATUS_RANK = {status: rank for rank, status in enumerate(STATUSES)}
CHANGEABLE = ("Draft",)
"""Dinero's document: an accepted or declined offer "should not" be updated; an invoiced one
neither, as the invoice was made from it. Dinero's answer is unknown; 400/42 is chosen."""
DELETABLE = ("Draft", "CustomerDeclined", "UserDeclined")
"""Dinero's document: accepted offers "should not" be deleted; an invoiced offer is treated
as accepted. Dinero's answer is unknown; 400/42 is chosen."""
def _text_key(name: str) -> Callable[[Mapping[str, Any]], Any]:
    return lambda document: (document.get(name) or "").lower()


LIST_TRADE_OFFERS = ListRules(
    default_fields="guid,contactName,date,description",
    filterable=(
        "ExternalReference", "ContactName", "Address", "Comment", "Description", "HasGeneratedAnyVouchers",
        "Currency", "Date", "Number",
    ),
    # Which properties Dinero searches is unknown; the sales lists' choice is followed.
    free_text=("Number", "ContactName", "Description", "TotalInclVat"),
    sorts=(
        ("TradeOfferNumber", lambda document: document["Number"]),
        ("TradeOfferDate", lambda document: document.get("Date") or ""),
        ("Status", lambda document: _STATUS_RANK.get(document.get("Status") or "", len(STATUSES))),
        ("ContactName", _text_key("ContactName")),
    ),
    default_sort="TradeOfferNumber",
)


def _table(call: Call) -> Table:
    return call.organization.table(TRADE_OFFERS)


def _offer(call: Call, table: Table) -> Record:
    """The offer in the path, for a change (404 when missing, 400/65 when deleted)."""
    return require_kind(table, call.guid("guid"), "TradeOffer", live=True)


def _require_status(row: Record, allowed: tuple[str, ...], action: str, hint: str) -> None:
    status = row.data.Status
    if status not in allowed:
        raise validation_error({"Status": f"The trade offer is {status} and cannot be {action}. {hint}"})


@routes.get("/v1/{organizationId}/tradeoffers", response=collection_of(TradeOfferReadModel), query=LIST_TRADE_OFFERS)
def list_trade_offers(call: Call) -> dict[str, Any]:
    """Newest number first by default; ``sort`` takes TradeOfferNumber, TradeOfferDate, Status, ContactName."""
    return list_page(call, _table(call), LIST_TRADE_OFFERS)


@routes.post("/v1/{organizationId}/tradeoffers", body=TradeOfferCreateModel, response=CreatedResponseModel)
def create_trade_offer(call: Call) -> CreatedResponseModel:
    """A Draft with the next offer number; ContactGuid is required."""
    return flow.create_draft(call, _table(call), "TradeOffer", TradeOfferCreateModel)


@routes.post(
    "/v1/{organizationId}/tradeoffers/fetch", body=TradeOfferCreateFetchModel, response=TradeOfferFetchReadModel
)
def fetch_trade_offer(call: Call) -> Any:
    """Totals and lines of an offer body, without saving it."""
    return flow.fetch_preview(call, "TradeOffer", TradeOfferCreateFetchModel, TradeOfferFetchReadModel)


@routes.get("/v1/{organizationId}/tradeoffers/{guid}", response=TradeOfferReadModel, pdf=True)
def get_trade_offer(call: Call) -> Any:
    """JSON, or with ``Accept: application/octet-stream`` the PDF (in any status)."""
    return flow.read_json_or_pdf(call, _table(call), "TradeOffer", TradeOfferReadModel)


@routes.put("/v1.2/{organizationId}/tradeoffers/{guid}", body=TradeOfferUpdateModel, response=UpdatedResponseModel)
def update_trade_offer(call: Call) -> UpdatedResponseModel:
    """Replaces a Draft offer, keeping its number; the Timestamp must be current (else 400/58)."""
    table = _table(call)
    row = _offer(call, table)
    body = call.body(TradeOfferUpdateModel)
    check_timestamp(row, body.Timestamp)
    _require_status(row, CHANGEABLE, "changed", "Make a new trade offer instead.")
    row = table.update(row, bind_document(call.organization, "TradeOffer", body, base=row.data))
    return UpdatedResponseModel(Guid=row.key, TimeStamp=timestamp_of(row))


@routes.delete("/v1/{organizationId}/tradeoffers/{guid}", body=TimestampObject, body_optional=True)
def delete_trade_offer(call: Call) -> None:
    """A soft delete that keeps DeletedAt; an invoiced or accepted offer is kept."""
    table = _table(call)
    row = _offer(call, table)
    check_timestamp(row, call.optional_timestamp())
    _require_status(row, DELETABLE, "deleted", "An accepted trade offer is kept as the record of the agreement.")
    table.delete(row)


@routes.post(
    "/v1/{organizationId}/tradeoffers/{guid}/generate-invoice", body=TimestampObject, body_optional=True,
    response=CreatedResponseModel,
)
def generate_invoice(call: Call) -> CreatedResponseModel:
    """A draft invoice with the offer's contact, lines and texts, dated today, on the
    contact's payment terms; the offer turns Invoiced and gets a new TimeStamp.
    May be repeated: each call makes another invoice (Dinero does not say it refuses)."""
    created = sales.invoice_trade_offer(call.organization, call.guid("guid"), call.optional_timestamp())
    return CreatedResponseModel(Guid=created.key, TimeStamp=timestamp_of(created))
