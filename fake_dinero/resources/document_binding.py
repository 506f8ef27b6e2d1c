"""Binding a sales document's body: what a create, update or fetch describes.

Lines are resolved against the organization's products and chart of
accounts, the contact fills name, address and payment terms, and every
problem is collected so one 400 names them all.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .. import seed_data
from ..domain.chart import entry_account
from ..domain.dates import parse_date, today
from ..domain.documents import (
    DOCUMENT_NAMES,
    DOCUMENT_WORDS,
    SALES,
    DocumentData,
    DocumentLine,
    Kind,
)
from ..errors import NO_DOCUMENT_LINES, DineroError, validation_error
from ..formats import shown
from ..pricing import LATEST_PAYMENT_DATE, payment_date_fits
from ..world import Organization
from .contacts import CONTACTS, DEFAULT_PAYMENT_DAYS, PAYMENT_CONDITIONS
from .document_models import InvoiceLinesCreateModel
from .products import PRODUCTS, UNITS

LANGUAGES = {"da-dk": "da-DK", "en-gb": "en-GB"}
LINE_TYPES = {"product": "Product", "text": "Text"}
CONDITIONS = {**PAYMENT_CONDITIONS, "paid": "Paid"}
_UNITS = {unit.lower(): unit for unit in UNITS}


def bind_document(organization: Organization, kind: Kind, model: Any, base: DocumentData | None = None) -> DocumentData:
    """The document a create, update or fetch body describes (400 when it does not add up).

    ``base`` is the draft being updated: its state (number, history) is kept.
    """
    problems: dict[str, str] = {}
    currency = (model.Currency or "DKK").upper()
    rates = {key: value for key, value in seed_data.load("exchange_rates").items() if not key.startswith("_")}
    if currency not in rates:
        problems["Currency"] = f"'{shown(model.Currency)}' is not a currency Dinero knows. Use e.g. DKK, EUR, USD, SEK."
    language = LANGUAGES.get((model.Language or "da-DK").lower())
    if language is None:
        problems["Language"] = f"'{shown(model.Language)}' is not a language. Use da-DK or en-GB."
    contact = _contact(organization, model.ContactGuid, problems)
    if not model.ProductLines:
        what = DOCUMENT_WORDS[kind]
        raise DineroError(
            400, NO_DOCUMENT_LINES, f"{what.capitalize()}s must have at least one {what} line",
            {"ProductLines": f"Add at least one line to the {what}."},
        )
    lines = [
        _bind_line(organization, line, f"ProductLines[{index}]", problems)
        for index, line in enumerate(model.ProductLines)
    ]
    issued = parse_date(model.Date, "Date") if model.Date else today(organization)
    terms = _payment_terms(model, contact, issued, problems) if kind == "Invoice" else {}
    credit_note_for = getattr(model, "CreditNoteFor", None)
    if credit_note_for is not None:
        _credited_invoice(organization, str(credit_note_for), problems)
    if problems:
        raise validation_error(problems)
    language = language or "da-DK"
    fields = dict(
        Kind=kind,
        ContactGuid=str(model.ContactGuid) if model.ContactGuid else None,
        ContactName=contact.Name if contact else None,
        Address=model.Address if model.Address is not None else contact_address(contact),
        ShowLinesInclVat=bool(model.ShowLinesInclVat),
        InvoiceTemplateId=str(model.InvoiceTemplateId) if model.InvoiceTemplateId else None,
        Currency=currency,
        ExchangeRate=rates[currency],
        Language=language,
        ExternalReference=model.ExternalReference,
        Description=model.Description or DOCUMENT_NAMES[(kind, language)],
        Comment=model.Comment,
        Date=issued,
        ProductLines=lines,
        CreditNoteFor=str(credit_note_for) if credit_note_for else None,
        **terms,
    )
    if base is None:
        return DocumentData(**fields)
    # Validated (not model_copy) so the client's numbers are stored as Decimal.
    return DocumentData.model_validate({**dict(base), **fields})


def _contact(organization: Organization, guid: Any, problems: dict[str, str]) -> Any:
    if guid is None:
        return None
    row = organization.table(CONTACTS).get(str(guid))
    if row is None or row.deleted:
        # Dinero's answer for an unknown contact in a body is unknown; a
        # validation error naming the property is chosen.
        state = "is deleted" if row is not None else "does not exist"
        problems["ContactGuid"] = f"The contact '{guid}' {state}."
        return None
    return row.data


def contact_address(contact: Any) -> str | None:
    """Dinero fills the address from the contact: street, then zip and city."""
    if contact is None:
        return None
    city = " ".join(part for part in (contact.ZipCode, contact.City) if part)
    return "\n".join(part for part in (contact.Street, city) if part) or None


def _bind_line(
    organization: Organization, line: InvoiceLinesCreateModel, where: str, problems: dict[str, str]
) -> DocumentLine:
    """A line with its type settled and, for a product line, the product's values
    filled in where the client left them out (0 or null)."""
    line_type = LINE_TYPES.get((line.LineType or "Product").lower())
    if line_type is None:
        problems[f"{where}.LineType"] = f"'{shown(line.LineType)}' is not a line type. Use Product or Text."
        return DocumentLine(**line.model_dump(mode="json"))
    if line_type == "Text":
        if not line.Description:
            problems[f"{where}.Description"] = "A text line needs a Description."
        return DocumentLine(
            Description=line.Description, Comments=line.Comments, LineType="Text", AccountNumber=line.AccountNumber
        )
    values = line.model_dump(mode="json")
    if line.ProductGuid is not None:
        product = organization.table(PRODUCTS).get(str(line.ProductGuid))
        if product is None or product.deleted:
            problems[f"{where}.ProductGuid"] = f"The product '{line.ProductGuid}' does not exist or is deleted."
            return DocumentLine(**values)
        data = product.data
        values["Description"] = line.Description or data.Name
        values["Unit"] = line.Unit or data.Unit
        values["AccountNumber"] = line.AccountNumber or data.AccountNumber
        values["BaseAmountValue"] = line.BaseAmountValue or data.BaseAmountValue
        values["Quantity"] = line.Quantity or data.Quantity or 1.0
    if not values["Description"]:
        problems[f"{where}.Description"] = "A product line needs a Description or a ProductGuid."
    unit = _UNITS.get((values["Unit"] or "").lower())
    if unit is None:
        problems[f"{where}.Unit"] = f"'{shown(values['Unit'] or '')}' is not a unit. Use one of: {', '.join(UNITS)}."
    if entry_account(organization, values["AccountNumber"]) is None:
        problems[f"{where}.AccountNumber"] = (
            f"Account {values['AccountNumber']} is not in the organization's chart of accounts."
        )
    if not 0 <= values["Discount"] <= 100:
        problems[f"{where}.Discount"] = "Discount is a percentage between 0 and 100."
    values.update(Unit=unit, LineType="Product")
    return DocumentLine(**values)


def _payment_terms(model: Any, contact: Any, issued: date, problems: dict[str, str]) -> dict[str, Any]:
    """Invoice terms: the body's, else the contact's, else Netto 8 days.
    NettoCash and Paid have no number of days. Terms whose payment date falls
    outside the dates the fake takes are refused (a stored invoice must always
    render its PaymentDate)."""
    kind, days = model.PaymentConditionType, model.PaymentConditionNumberOfDays
    inherited = kind is None and days is None and contact is not None
    if inherited:
        kind, days = contact.PaymentConditionType, contact.PaymentConditionNumberOfDays
    condition = CONDITIONS.get((kind or "Netto").lower())
    if condition is None:
        problems["PaymentConditionType"] = (
            f"'{shown(kind)}' is not a payment condition. Use Netto, NettoCash, CurrentMonthOut or Paid."
        )
        condition = "Netto"
    if condition in ("NettoCash", "Paid"):
        days = None
    elif days is None:
        days = DEFAULT_PAYMENT_DAYS
    elif days < 0:
        problems["PaymentConditionNumberOfDays"] = "The number of days cannot be negative."
    else:
        _check_payment_date(issued, condition, days, inherited, problems)
    return dict(
        PaymentConditionType=condition,
        PaymentConditionNumberOfDays=days,
        ReminderFee=model.ReminderFee,
        ReminderInterestRate=model.ReminderInterestRate,
        IsMobilePayInvoiceEnabled=bool(model.IsMobilePayInvoiceEnabled),
        IsPensoPayEnabled=bool(model.IsPensoPayEnabled),
    )


def _check_payment_date(issued: date, condition: str, days: int, inherited: bool, problems: dict[str, str]) -> None:
    if payment_date_fits(issued, condition, days):
        return
    whose = "The contact's PaymentConditionNumberOfDays" if inherited else "PaymentConditionNumberOfDays"
    fix = (
        "give the invoice its own PaymentConditionNumberOfDays, or fewer days on the contact"
        if inherited
        else "use fewer days"
    )
    problems["PaymentConditionNumberOfDays"] = (
        f"{whose}, {days}, puts the payment date of an invoice dated {issued.isoformat()} after "
        f"{LATEST_PAYMENT_DATE.isoformat()}, the last a payment date can be; {fix}."
    )


def _credited_invoice(organization: Organization, guid: str, problems: dict[str, str]) -> None:
    row = organization.table(SALES).get(guid)
    if row is None or row.data.Kind != "Invoice" or row.deleted:
        problems["CreditNoteFor"] = f"'{guid}' is not an invoice of this organization."
    elif not row.data.booked:
        problems["CreditNoteFor"] = "Only a booked invoice can be credited."
