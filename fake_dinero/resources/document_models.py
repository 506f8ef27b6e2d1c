"""The models of Dinero's sales documents (reference §5.6), in Dinero's property order.

Invoices, credit notes and trade offers share most of their properties; a
model here is put together from parts so each part is written once. Pydantic
lists the fields of the *last* base first, so ``class M(Tail, Head)`` reads
Head's properties, then Tail's, as Dinero's document does.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from ..models import Amount, Bool, DineroDateTime, DineroModel, Guid, Int, OptionalGuid

Text128 = Annotated[str, StringConstraints(max_length=128)]
Percent = Annotated[float, Field(ge=0, le=100, json_schema_extra={"format": "double"})]


# -- lines -------------------------------------------------------------------


class InvoiceLinesCreateModel(DineroModel):
    """A document line as a client writes it.

    ``BaseAmountValue``, ``Quantity``, ``AccountNumber`` and ``Discount`` are
    .NET value types: left out they bind 0, as Dinero's own clients rely on
    for ``Discount`` (reference §5.6 [INF]).
    """

    BaseAmountValue: Amount = 0.0
    ProductGuid: OptionalGuid = None
    Description: str | None = None
    Comments: str | None = None
    Quantity: Amount = 0.0
    AccountNumber: Int = 0
    Unit: str | None = None
    Discount: Amount = 0.0
    LineType: str | None = None


class TradeOfferLineCreateModel(InvoiceLinesCreateModel):
    pass


class _LineAmounts(DineroModel):
    AccountName: str | None = None
    BaseAmountValue: float
    BaseAmountValueInclVat: float
    TotalAmount: float
    TotalAmountInclVat: float


class _LineRest(DineroModel):
    ProductGuid: Guid | None = None
    Description: str | None = None
    Comments: str | None = None
    Quantity: float
    AccountNumber: int
    Unit: str | None = None
    Discount: float
    LineType: str | None = None


class InvoiceLinesReadModel(_LineRest, _LineAmounts):
    pass


class TradeOfferLineReadModel(_LineRest, _LineAmounts):
    pass


class TotalLine(DineroModel):
    Type: str | None = None
    TotalAmount: float
    Position: int | None = None
    Label: str | None = None


# -- what a client writes ------------------------------------------------------


class _DocumentWrite(DineroModel):
    ContactGuid: OptionalGuid = None
    Guid: OptionalGuid = None
    ShowLinesInclVat: Bool | None = None
    InvoiceTemplateId: OptionalGuid = None
    Currency: str | None = None
    Language: str | None = None
    ExternalReference: Text128 | None = None
    Description: str | None = None
    Comment: str | None = None
    Date: str | None = None
    ProductLines: list[InvoiceLinesCreateModel]
    Address: str | None = None


class _InvoiceTerms(DineroModel):
    PaymentConditionNumberOfDays: Int | None = None
    PaymentConditionType: str | None = None
    ReminderFee: Percent | None = None
    ReminderInterestRate: Percent | None = None
    IsMobilePayInvoiceEnabled: Bool | None = None
    IsPensoPayEnabled: Bool | None = None


class _CreditNoteFor(DineroModel):
    CreditNoteFor: OptionalGuid = None


class _Timestamp(DineroModel):
    Timestamp: str


class InvoiceCreateModel(_DocumentWrite, _InvoiceTerms):
    pass


class InvoiceCreateFetchModel(_DocumentWrite, _InvoiceTerms):
    pass


class InvoiceUpdateModel(_DocumentWrite, _InvoiceTerms, _Timestamp):
    pass


class SalesCreditNoteCreateModel(_DocumentWrite, _CreditNoteFor):
    pass


class SalesCreditNoteCreateFetchModel(_DocumentWrite, _CreditNoteFor):
    pass


class SalesCreditNoteUpdateModel(_DocumentWrite, _CreditNoteFor, _Timestamp):
    pass


class _TradeOfferWrite(_DocumentWrite):
    ProductLines: list[TradeOfferLineCreateModel]


class _TradeOfferContact(DineroModel):
    ContactGuid: Guid


class TradeOfferCreateModel(_TradeOfferWrite, _TradeOfferContact):
    ContactGuid: Guid


class TradeOfferCreateFetchModel(_TradeOfferWrite):
    pass


class TradeOfferUpdateModel(_TradeOfferWrite, _TradeOfferContact, _Timestamp):
    ContactGuid: Guid


# -- what Dinero answers ---------------------------------------------------------


class _DocumentBody(DineroModel):
    """The tail every read and fetch model ends with."""

    Number: int = Field(json_schema_extra={"format": "int64"})
    ContactName: str | None = None
    ShowLinesInclVat: bool
    TotalExclVat: float
    TotalVatableAmount: float
    TotalInclVat: float
    TotalNonVatableAmount: float
    TotalVat: float
    TotalLines: list[TotalLine] | None = None
    InvoiceTemplateId: Guid | None = None
    Currency: str | None = None
    Language: str | None = None
    ExternalReference: str | None = None
    Description: str | None = None
    Comment: str | None = None
    Date: str | None = None
    ProductLines: list[InvoiceLinesReadModel]
    Address: str | None = None


class _TradeOfferBody(_DocumentBody):
    ProductLines: list[TradeOfferLineReadModel]


class _Identity(DineroModel):
    Guid: Guid
    TimeStamp: str | None = None
    CreatedAt: DineroDateTime | None = None
    UpdatedAt: DineroDateTime | None = None
    DeletedAt: DineroDateTime | None = None


class _Contact(DineroModel):
    ContactGuid: Guid | None = None


class _InvoiceState(DineroModel):
    PaymentDate: str | None = None
    PaymentStatus: str | None = None
    PaymentConditionNumberOfDays: int
    PaymentConditionType: str | None = None
    FikCode: str | None = None
    DepositAccountNumber: int | None = None
    MailOutStatus: str | None = None
    LatestMailOutType: str | None = None
    IsSentToDebtCollection: bool
    IsMobilePayInvoiceEnabled: bool
    IsPensoPayEnabled: bool
    Status: str | None = None


class InvoiceReadModel(_DocumentBody, _Identity, _Contact, _InvoiceState):
    pass


class _InvoiceFetchState(DineroModel):
    PaymentDate: str | None = None
    PaymentConditionNumberOfDays: int
    PaymentConditionType: str | None = None
    CanEnableMobilePayInvoice: bool
    CanEnablePensoPay: bool


class InvoiceFetchReadModel(_DocumentBody, _Contact, _InvoiceFetchState):
    pass


class _CreditNoteState(DineroModel):
    CreditNoteFor: Guid | None = None
    MailOutStatus: str | None = None
    LatestMailOutType: str | None = None
    PaymentStatus: str | None = None
    Status: str | None = None


class SalesCreditNoteReadModel(_DocumentBody, _Identity, _Contact, _CreditNoteState):
    pass


class SalesCreditNoteFetchReadModel(_DocumentBody, _Contact, _CreditNoteFor):
    pass


class TradeOfferHistoryReadModel(DineroModel):
    Status: str | None = None
    UpdatedAt: DineroDateTime
    TradeOfferEmailSentAt: DineroDateTime | None = None
    ConfirmationEmailSentAt: DineroDateTime | None = None
    TotalInclVat: float | None = None
    Currency: str | None = None


class _TradeOfferState(DineroModel):
    HasGeneratedAnyVouchers: bool
    ContactGuid: Guid
    Status: str | None = None
    MailOutStatus: str | None = None
    LatestMailOutType: str | None = None
    GeneratedVouchers: list[Guid] | None = None
    History: list[TradeOfferHistoryReadModel] | None = None


class TradeOfferReadModel(_TradeOfferBody, _Identity, _TradeOfferState):
    pass


class TradeOfferFetchReadModel(_TradeOfferBody, _Contact):
    pass


class SalesVoucherReadListModel(DineroModel):
    """A row of the invoice, credit note and sales lists; ``Status`` is the payment status."""

    Number: int = Field(json_schema_extra={"format": "int64"})
    Guid: Guid
    ExternalReference: str | None = None
    Date: str | None = None
    PaymentDate: str | None = None
    Description: str | None = None
    Status: str | None = None
    Type: str | None = None
    ContactName: str | None = None
    ContactGuid: Guid | None = None
    TotalInclVat: float
    TotalExclVat: float
    TotalInclVatInDkk: float
    TotalExclVatInDkk: float
    MailOutStatus: str | None = None
    LatestMailOutType: str | None = None
    Currency: str | None = None
    CreatedAt: DineroDateTime | None = None
    UpdatedAt: DineroDateTime | None = None
    DeletedAt: DineroDateTime | None = None


class CreatedResponseModel(DineroModel):
    Guid: Guid
    TimeStamp: str | None = None


class UpdatedResponseModel(CreatedResponseModel):
    pass


class BookModel(DineroModel):
    Number: Int | None = Field(default=None, json_schema_extra={"format": "int64"})
    Timestamp: str


class TimestampObject(DineroModel):
    Timestamp: str | None = None


class RequiredTimestampObject(DineroModel):
    Timestamp: str
