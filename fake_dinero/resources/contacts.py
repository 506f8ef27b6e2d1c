"""Contacts and their notes (reference §4.3, §5.4, §6.8).

Deleting a contact is a soft delete: it keeps ``DeletedAt``, still answers a
GET, shows in ``deletedOnly`` and ``changesSince`` lists, and can be restored.
"""

from __future__ import annotations

import sys
from datetime import datetime
from typing import Annotated, Any

from pydantic import StringConstraints, field_validator, model_validator

from .. import seed_data
from ..call import Call
from ..domain.ledger import party
from ..errors import not_found, validation_error
from ..formats import shown
from ..listing import ListRules, collection_of, list_page
from ..models import Bool, DineroDateTime, DineroModel, Guid, Int, OptionalGuid
from ..routing import Routes
from ..store import Collection, Record
from ..world import Organization

routes = Routes(tag="Contacts")

Text128 = Annotated[str, StringConstraints(max_length=128)]
Required = Annotated[str, StringConstraints(min_length=1)]

PAYMENT_CONDITIONS = {
    "netto": "Netto",
    "nettocash": "NettoCash",
    "currentmonthout": "CurrentMonthOut",
    # dinero-go sends this spelling; accepted, rendered as Dinero's own.
    "currentmonthnettoout": "CurrentMonthOut",
}
DEFAULT_PAYMENT_DAYS = 8  # Dinero's default condition, "Netto 8 dage" [INF]
INVOICE_LANGUAGES = ("da", "en", "de", "sv", "no")


class ContactFields(DineroModel):
    """The properties a client writes (ContactUpdateModel).

    The .NET model's bools are value types, so a body that leaves them out
    binds them to false instead of failing; Dinero's own older clients rely
    on that (reference §5.4).
    """

    ExternalReference: Text128 | None = None
    Name: Required
    Street: str | None = None
    ZipCode: str | None = None
    City: str | None = None
    CountryKey: Required
    Phone: str | None = None
    Email: str | None = None
    Webpage: str | None = None
    AttPerson: str | None = None
    VatNumber: str | None = None
    EanNumber: str | None = None
    SENumber: str | None = None
    PNumber: str | None = None
    PaymentConditionType: str | None = None
    PaymentConditionNumberOfDays: Int | None = None
    IsPerson: Bool = False
    IsMember: Bool = False
    MemberNumber: str | None = None
    UseCvr: Bool = False
    CompanyTypeKey: str | None = None
    InvoiceMailOutOptionKey: str | None = None
    PreferredInvoiceLanguageKey: str | None = None
    PreferredInvoiceCurrencyKey: str | None = None

    @field_validator("CountryKey")
    @classmethod
    def _known_country(cls, key: str) -> str:
        if key.upper() not in seed_data.countries_by_key():
            raise ValueError(f"'{shown(key)}' is not a country key. Use a two-letter ISO code such as DK, DE or SE.")
        return sys.intern(key.upper())  # one "DK" for every contact, not one each

    @field_validator("PaymentConditionType")
    @classmethod
    def _known_condition(cls, kind: str | None) -> str | None:
        if kind is None:
            return None
        try:
            return PAYMENT_CONDITIONS[kind.lower()]
        except KeyError:
            reason = f"'{shown(kind)}' is not a payment condition. Use Netto, NettoCash or CurrentMonthOut."
            raise ValueError(reason) from None

    @field_validator("PreferredInvoiceLanguageKey")
    @classmethod
    def _known_language(cls, language: str | None) -> str | None:
        if language is not None and language.lower() not in INVOICE_LANGUAGES:
            known = ", ".join(INVOICE_LANGUAGES)
            raise ValueError(f"'{shown(language)}' is not an invoice language. Use one of {known}.")
        return sys.intern(language.lower()) if language else None

    @model_validator(mode="after")
    def _payment_days(self) -> ContactFields:
        """Cash payment has no days; otherwise a missing condition is Netto 8 days."""
        if self.PaymentConditionType is None:
            self.PaymentConditionType = "Netto"
        if self.PaymentConditionType == "NettoCash":
            self.PaymentConditionNumberOfDays = None
        elif self.PaymentConditionNumberOfDays is None:
            self.PaymentConditionNumberOfDays = DEFAULT_PAYMENT_DAYS
        return self


class _ChosenContactGuid(DineroModel):
    ContactGuid: OptionalGuid = None


class ContactCreateModel(ContactFields, _ChosenContactGuid):
    """ContactGuid first, as in Dinero's model."""


class ContactUpdateModel(ContactFields):
    pass


class _ContactReadOnly(DineroModel):
    ContactGuid: Guid
    CreatedAt: DineroDateTime | None = None
    UpdatedAt: DineroDateTime | None = None
    DeletedAt: DineroDateTime | None = None
    IsDebitor: bool
    IsCreditor: bool
    CompanyStatus: str | None = None
    VatRegionKey: str | None = None


class ContactReadModel(ContactFields, _ContactReadOnly):
    """The read-only properties come first, in Dinero's order (pydantic takes the
    fields of the last base first)."""


class ContactCreatedResult(DineroModel):
    ContactGuid: Guid


def _render_contact(organization: Organization, row: Record) -> ContactReadModel:
    fields: ContactFields = row.data
    roles = party(organization, row.key)
    return ContactReadModel(
        **fields.model_dump(exclude={"ContactGuid"}),
        ContactGuid=row.key,
        CreatedAt=row.created_at,
        UpdatedAt=row.updated_at,
        DeletedAt=row.deleted_at,
        # A contact becomes a debtor (creditor) once something is booked on it as one.
        IsDebitor=roles.IsDebitor,
        IsCreditor=roles.IsCreditor,
        VatRegionKey=seed_data.countries_by_key()[fields.CountryKey]["VatRegionKey"],
    )


CONTACTS = Collection("contacts", ContactReadModel, _render_contact, data_model=ContactCreateModel)

_LIST_FIELDS = dict(
    default_fields="name,contactGuid",
    filterable=("ExternalReference", "Name", "Email", "VatNumber", "EanNumber", "IsPerson", "Phone"),
)
LIST_V1 = ListRules(**_LIST_FIELDS)
LIST_V2 = ListRules(**_LIST_FIELDS, deleted_only_false_means_all=True)


@routes.get("/v1/{organizationId}/contacts", response=collection_of(ContactReadModel), query=LIST_V1)
def list_contacts(call: Call) -> dict[str, Any]:
    """``deletedOnly=false`` (the default) lists only contacts that are not deleted."""
    return list_page(call, call.organization.table(CONTACTS), LIST_V1)


@routes.get("/v2/{organizationId}/contacts", response=collection_of(ContactReadModel), query=LIST_V2)
def list_contacts_v2(call: Call) -> dict[str, Any]:
    """``deletedOnly=false`` (the default) lists deleted and not deleted contacts."""
    return list_page(call, call.organization.table(CONTACTS), LIST_V2)


@routes.post("/v1/{organizationId}/contacts", body=ContactCreateModel, response=ContactCreatedResult)
def create_contact(call: Call) -> ContactCreatedResult:
    """A client may choose the ContactGuid; one already in use is refused
    (Dinero's answer is unknown; 400 with code 42 is chosen)."""
    model = call.body(ContactCreateModel)
    table = call.organization.table(CONTACTS)
    key = str(model.ContactGuid) if model.ContactGuid else call.world.new_guid()
    if table.get(key) is not None:
        raise validation_error({"ContactGuid": f"A contact with ContactGuid '{key}' already exists."})
    table.insert(key, model)
    return ContactCreatedResult(ContactGuid=key)


@routes.get("/v1/{organizationId}/contacts/{guid}", response=ContactReadModel)
def get_contact(call: Call) -> dict[str, Any]:
    """Deleted contacts are returned too, with ``DeletedAt`` set."""
    table = call.organization.table(CONTACTS)
    return table.document(table.require(call.guid("guid"), "ContactGuid"))


@routes.put("/v1/{organizationId}/contacts/{guid}", body=ContactUpdateModel)
@routes.put("/v2/{organizationId}/contacts/{guid}", body=ContactUpdateModel)
def update_contact(call: Call) -> None:
    """A full replace: properties left out are cleared."""
    table = call.organization.table(CONTACTS)
    row = table.require_live(call.guid("guid"), "ContactGuid")
    table.update(row, call.body(ContactUpdateModel))


@routes.delete("/v1/{organizationId}/contacts/{guid}")
def delete_contact(call: Call) -> None:
    table = call.organization.table(CONTACTS)
    table.delete(table.require_live(call.guid("guid"), "ContactGuid"))


@routes.post("/v1/{organizationId}/contacts/{guid}/restore")
def restore_contact(call: Call) -> None:
    """Restoring a contact that is not deleted changes nothing."""
    table = call.organization.table(CONTACTS)
    row = table.require(call.guid("guid"), "ContactGuid")
    if row.deleted:
        table.restore(row)


# -- notes -----------------------------------------------------------------


class ContactNoteWriteModel(DineroModel):
    """ContactNoteCreateModel and ContactNoteUpdateModel (the same shape)."""

    Text: Required


class ContactNoteCreateModel(ContactNoteWriteModel):
    pass


class ContactNoteUpdateModel(ContactNoteWriteModel):
    pass


class ContactNoteReadModel(DineroModel):
    Id: Guid
    NoteDate: DineroDateTime
    AuthorName: str | None = None
    AuthorEmail: str | None = None
    CreatedAt: DineroDateTime | None = None
    UpdatedAt: DineroDateTime | None = None
    DeletedAt: DineroDateTime | None = None
    Text: Required


def _render_note(organization: Organization, row: Record) -> ContactNoteReadModel:
    # The author is the organization's user; a legacy API-key token has no
    # user of its own, so the organization's contact person stands in [INF].
    return ContactNoteReadModel(
        Id=row.key,
        NoteDate=row.created_at,
        AuthorName=organization.profile.get("AttPerson"),
        AuthorEmail=organization.profile.get("Email"),
        CreatedAt=row.created_at,
        UpdatedAt=row.updated_at,
        DeletedAt=row.deleted_at,
        Text=row.data.Text,
    )


def _by_note_date(row: Record) -> tuple[datetime, int]:
    return (row.created_at, row.seq)


NOTES = Collection(
    "contact_notes", ContactNoteReadModel, _render_note, data_model=ContactNoteWriteModel, order=_by_note_date
)
LIST_NOTES = ListRules(default_fields="Id,NoteDate,Text", changes_since=False)


def _note(call: Call, *, live: bool) -> tuple[Any, Record]:
    contact = call.organization.table(CONTACTS).require(call.guid("contactGuid"), "ContactGuid")
    notes = call.organization.table(NOTES)
    key = call.guid("noteGuid")
    row = notes.require_live(key, "NoteGuid") if live else notes.require(key, "NoteGuid")
    if row.parent != contact.key:
        raise not_found("NoteGuid", key)
    return notes, row


@routes.get(
    "/v1/{organizationId}/contacts/{contactGuid}/notes", response=collection_of(ContactNoteReadModel), query=LIST_NOTES
)
def list_contact_notes(call: Call) -> dict[str, Any]:
    contact = call.organization.table(CONTACTS).require(call.guid("contactGuid"), "ContactGuid")
    return list_page(call, call.organization.table(NOTES), LIST_NOTES, parent=contact.key)


@routes.post(
    "/v1/{organizationId}/contacts/{contactGuid}/notes", body=ContactNoteCreateModel, response=ContactCreatedResult
)
def create_contact_note(call: Call) -> ContactCreatedResult:
    """Dinero's document says this returns ``ContactCreatedResult``; its
    ``ContactGuid`` carries the new note's id, the only useful reading [UNK]."""
    contact = call.organization.table(CONTACTS).require_live(call.guid("contactGuid"), "ContactGuid")
    model = call.body(ContactNoteCreateModel)
    key = call.world.new_guid()
    call.organization.table(NOTES).insert(key, model, parent=contact.key)
    return ContactCreatedResult(ContactGuid=key)


@routes.get("/v1/{organizationId}/contacts/{contactGuid}/notes/{noteGuid}", response=ContactNoteReadModel)
def get_contact_note(call: Call) -> dict[str, Any]:
    notes, row = _note(call, live=False)
    return notes.document(row)


@routes.put("/v1/{organizationId}/contacts/{contactGuid}/notes/{noteGuid}", body=ContactNoteUpdateModel)
def update_contact_note(call: Call) -> None:
    notes, row = _note(call, live=True)
    notes.update(row, call.body(ContactNoteUpdateModel))


@routes.delete("/v1/{organizationId}/contacts/{contactGuid}/notes/{noteGuid}")
def delete_contact_note(call: Call) -> None:
    notes, row = _note(call, live=True)
    notes.delete(row)
