"""Purchase vouchers (købsbilag): create, read, change, book, delete, and the looks before.

The rules are in ``domain.purchases``; these handlers bind the body, call them
and render. ``AccountTagName`` is kept only where Dinero's document says it is
supported (the v1.2 create and the v1.1 update); elsewhere it is dropped.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import ConfigDict, StringConstraints

from ..call import Call
from ..domain import purchase_credit_notes as credit_notes
from ..domain import purchases
from ..domain.dates import parse_date
from ..domain.purchase_lines import PurchaseLine
from ..domain.purchases import (
    PURCHASE_VOUCHERS,
    PurchaseValues,
    PurchaseVoucherFetchReadModel,
    PurchaseVoucherReadModelV2,
    SimilarPurchaseVoucherReadModel,
)
from ..domain.versions import timestamp_of
from ..formats import money
from ..models import EMPTY_IS_A_VALUE, Amount, DineroModel, Guid, Int, OptionalGuid
from ..routing import Routes
from ..store import Record
from .document_models import BookModel, CreatedResponseModel, TimestampObject

routes = Routes(tag="PurchaseVouchers")

Text128 = Annotated[str, StringConstraints(max_length=128)]

PATH = "/v1/{organizationId}/vouchers/purchase"
ONE = PATH + "/{guid}"


class PurchaseVoucherLineCreateModel(DineroModel):
    AccountNumber: Int | None = None
    Description: str | None = None
    Amount: Amount
    VatCode: Annotated[str | None, EMPTY_IS_A_VALUE] = None
    """``""`` is refused, not the account's own code (Dinero's agent guide: null gives the
    account's code, "none" no VAT, "" a validation error)."""
    AccountTagName: str | None = None
    SynonymWithMostWeight: str | None = None
    TagId: OptionalGuid = None
    TagVersion: Int | None = None


class PurchaseVoucherCreateModelV2(DineroModel):
    Lines: list[PurchaseVoucherLineCreateModel] | None = None
    VoucherDate: str | None = None
    DepositAccountNumber: Int | None = None
    RegionKey: str | None = None
    FileGuid: str | None = None
    ContactGuid: OptionalGuid = None
    PaymentDate: str | None = None
    PurchaseType: str
    CurrencyKey: str | None = None
    ExternalReference: Text128 | None = None


def _contact_guid_required(schema: dict[str, Any]) -> None:
    schema["properties"]["ContactGuid"] = {"type": "string", "format": "uuid"}
    schema.setdefault("required", []).append("ContactGuid")


class PurchaseVoucherUpdateModel(DineroModel):
    # Dinero's model marks ContactGuid required, on a non-nullable Guid: .NET's
    # [Required] never fails on a value type, so a cash purchase's update may leave
    # it out. The fake states the document's required list and binds as .NET does.
    model_config = ConfigDict(json_schema_extra=_contact_guid_required)

    Lines: list[PurchaseVoucherLineCreateModel]
    VoucherDate: str
    Timestamp: str
    DepositAccountNumber: Int | None = None
    RegionKey: str | None = None
    FileGuid: str | None = None
    ContactGuid: OptionalGuid = None
    PaymentDate: str | None = None
    PurchaseType: str
    CurrencyKey: str | None = None
    ExternalReference: Text128 | None = None


class CreditNoteForPurchaseVoucherRequest(DineroModel):
    Timestamp: TimestampObject
    VoucherDate: str | None = None
    FileGuid: str | None = None


def purchase_lines(lines: list[PurchaseVoucherLineCreateModel] | None) -> list[PurchaseLine]:
    return [
        PurchaseLine(
            AccountNumber=line.AccountNumber,
            Description=line.Description,
            Amount=money(line.Amount),
            VatCode=line.VatCode,
            AccountTagName=line.AccountTagName,
            SynonymWithMostWeight=line.SynonymWithMostWeight,
            TagId=str(line.TagId) if line.TagId else None,
            TagVersion=line.TagVersion,
        )
        for line in lines or []
    ]


def _values(body: PurchaseVoucherCreateModelV2 | PurchaseVoucherUpdateModel) -> PurchaseValues:
    return PurchaseValues(
        purchase_type=body.PurchaseType,
        lines=purchase_lines(body.Lines),
        voucher_date=parse_date(body.VoucherDate, "VoucherDate") if body.VoucherDate else None,
        payment_date=parse_date(body.PaymentDate, "PaymentDate") if body.PaymentDate else None,
        deposit_account=body.DepositAccountNumber,
        region_key=body.RegionKey,
        file_guid=body.FileGuid,
        contact_guid=str(body.ContactGuid) if body.ContactGuid else None,
        currency_key=body.CurrencyKey,
        external_reference=body.ExternalReference,
    )


def _rendered(call: Call, row: Record) -> dict[str, Any]:
    return call.organization.table(PURCHASE_VOUCHERS).document(row)


def _create(call: Call, keep_tags: bool) -> dict[str, Any]:
    body = call.body(PurchaseVoucherCreateModelV2)
    return _rendered(call, purchases.create_purchase_voucher(call.organization, _values(body), keep_tags))


@routes.post("/v1.1/{organizationId}/vouchers/purchase", body=PurchaseVoucherCreateModelV2,
             response=PurchaseVoucherReadModelV2)
def create_purchase_voucher(call: Call) -> dict[str, Any]:
    """A draft: no number, no entries. Does not support AccountTagName."""
    return _create(call, keep_tags=False)


@routes.post("/v1.2/{organizationId}/vouchers/purchase", body=PurchaseVoucherCreateModelV2,
             response=PurchaseVoucherReadModelV2)
def create_purchase_voucher_v2(call: Call) -> dict[str, Any]:
    """A draft: no number, no entries. Supports AccountTagName."""
    return _create(call, keep_tags=True)


@routes.post(PATH + "/fetch", body=PurchaseVoucherCreateModelV2, response=PurchaseVoucherFetchReadModel)
def get_purchase_totals(call: Call) -> PurchaseVoucherFetchReadModel:
    """The purchase a body describes, with its totals; nothing is stored."""
    return purchases.preview(call.organization, _values(call.body(PurchaseVoucherCreateModelV2)))


@routes.post(PATH + "/similar", body=PurchaseVoucherCreateModelV2, response=SimilarPurchaseVoucherReadModel)
def get_similar_purchase(call: Call) -> SimilarPurchaseVoucherReadModel:
    """A purchase with the same date, total and supplier, or the same file, if there is one."""
    return purchases.similar(call.organization, _values(call.body(PurchaseVoucherCreateModelV2)))


@routes.get(ONE, response=PurchaseVoucherReadModelV2)
def get_purchase_voucher(call: Call) -> dict[str, Any]:
    """There is no list of purchases; entries name their voucher's Guid."""
    return _rendered(call, purchases.purchase_voucher(call.organization, call.guid("guid")))


def _update(call: Call, keep_tags: bool) -> dict[str, Any]:
    guid = call.guid("guid")
    body = call.body(PurchaseVoucherUpdateModel)
    row = purchases.update_purchase_voucher(call.organization, guid, body.Timestamp, _values(body), keep_tags)
    return _rendered(call, row)


@routes.put(ONE, body=PurchaseVoucherUpdateModel, response=PurchaseVoucherReadModelV2)
def update_purchase_voucher(call: Call) -> dict[str, Any]:
    """Drafts only, with the current Timestamp. Does not support AccountTagName."""
    return _update(call, keep_tags=False)


@routes.put("/v1.1/{organizationId}/vouchers/purchase/{guid}", body=PurchaseVoucherUpdateModel,
            response=PurchaseVoucherReadModelV2)
def update_purchase_voucher_with_tag_names(call: Call) -> dict[str, Any]:
    """Drafts only, with the current Timestamp. Supports AccountTagName."""
    return _update(call, keep_tags=True)


@routes.delete(ONE, body=TimestampObject)
def delete_purchase_voucher(call: Call) -> None:
    """A draft is removed; a booked purchase's entries are reversed. A body is required
    (an empty one was refused with 400, observed on Dinero); the Timestamp in it is
    optional, as Dinero's document says, and checked when given."""
    guid = call.guid("guid")
    purchases.delete_purchase_voucher(call.organization, guid, call.body(TimestampObject).Timestamp)


@routes.get(PATH + "/fileguid/{fileGuid}", response=list[Guid])
def get_purchase_drafts_by_file(call: Call) -> list[str]:
    """The Guids of purchase drafts whose file is ``fileGuid`` (an empty list when none)."""
    return purchases.drafts_with_file(call.organization, call.params["fileGuid"].strip())


@routes.post(ONE + "/book", body=BookModel, response=PurchaseVoucherReadModelV2)
def book_purchase_voucher(call: Call) -> dict[str, Any]:
    """Number the purchase and post it; cash turns Paid, credit Booked until paid."""
    guid = call.guid("guid")
    body = call.body(BookModel)
    return _rendered(call, purchases.book_purchase_voucher(call.organization, guid, body.Timestamp, body.Number))


@routes.post(ONE + "/generate-creditnote", body=CreditNoteForPurchaseVoucherRequest, response=CreatedResponseModel)
def generate_purchase_credit_note(call: Call) -> CreatedResponseModel:
    """A credit note draft for all of a booked purchase. The Timestamp is an object
    (``{"Timestamp": {"Timestamp": "..."}}``), as Dinero's document has it."""
    guid = call.guid("guid")
    body = call.body(CreditNoteForPurchaseVoucherRequest)
    on = parse_date(body.VoucherDate, "VoucherDate") if body.VoucherDate else None
    row = credit_notes.generate_credit_note(call.organization, guid, body.Timestamp.Timestamp, on, body.FileGuid)
    return CreatedResponseModel(Guid=row.key, TimeStamp=timestamp_of(row))  # type: ignore[arg-type]
