"""Attachments: files bound to a sales document, sent along with it.

Invoices, credit notes and trade offers can carry attachments (terms of sale,
a specification): a file from the archive or one uploaded to
``/files/attachment``, bound under a name. An organization can also have
default attachments per document type, which one call binds to a document.
Dinero sets those defaults in its web app only (no API), so the fake offers
``set_default_attachments`` for tests and seeding.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from ..errors import NOT_FOUND, DineroError, validation_error
from ..formats import shown
from ..models import DineroModel, Guid
from ..store import Collection, Record, Table
from .documents import SALES, TRADE_OFFERS, Kind, require_kind
from .files import FILE_GUID, require_file

if TYPE_CHECKING:
    from ..world import Organization

DOCUMENT_GUID = "documentGuid"
DOCUMENT_TYPES: dict[str, Kind] = {"invoice": "Invoice", "tradeoffer": "TradeOffer", "creditnote": "CreditNote"}
"""The document types that take attachments, by lower-case name (ASP.NET binds enums
case-insensitively)."""


class AttachmentData(BaseModel):
    DocumentId: str
    FileGuid: str
    FileName: str


class DefaultAttachment(BaseModel):
    FileGuid: str
    FileName: str


class DefaultAttachmentsData(BaseModel):
    Files: list[DefaultAttachment] = Field(default_factory=list)


class DocumentAttachmentReadModel(DineroModel):
    OrganizationId: int = Field(json_schema_extra={"format": "int32"})
    DocumentId: Guid
    FileGuid: str | None = None
    FileName: str | None = None


def _render(organization: Organization, row: Record) -> DocumentAttachmentReadModel:
    data: AttachmentData = row.data
    return DocumentAttachmentReadModel(
        OrganizationId=organization.id,
        DocumentId=data.DocumentId,  # type: ignore[arg-type]
        FileGuid=data.FileGuid,
        FileName=data.FileName,
    )


def _as_stored(organization: Organization, row: Record) -> BaseModel:
    return row.data  # type: ignore[no-any-return]


ATTACHMENTS = Collection("attachments", DocumentAttachmentReadModel, _render, data_model=AttachmentData)
"""One row per (document, file), keyed ``documentGuid/fileGuid`` under the document;
unbinding soft-deletes it."""
DEFAULT_ATTACHMENTS = Collection(
    "default_attachments", DefaultAttachmentsData, _as_stored, data_model=DefaultAttachmentsData
)
"""One row per document type (``Invoice``, ``TradeOffer``, ``CreditNote``)."""


def _key(document_guid: str, file_guid: str) -> str:
    return f"{document_guid}/{file_guid}"


def find_document(organization: Organization, document_guid: str, *, live: bool = False) -> Record:
    """An invoice, credit note or trade offer by its Guid (404/40 when none is;
    400/65 when ``live`` and it is deleted)."""
    for collection in (SALES, TRADE_OFFERS):
        table = organization.table(collection)
        if table.get(document_guid) is not None:
            require = table.require_live if live else table.require
            return require(document_guid, DOCUMENT_GUID)
    return organization.table(SALES).require(document_guid, DOCUMENT_GUID)


def document_number(organization: Organization, document_guid: str) -> int | None:
    """The document's number (None for a draft invoice or credit note, or a missing document)."""
    for collection in (SALES, TRADE_OFFERS):
        row = organization.table(collection).get(document_guid)
        if row is not None:
            return row.data.Number  # type: ignore[no-any-return]
    return None


def attachments(organization: Organization, document_guid: str) -> list[Record]:
    """The files bound to the document, in the order they were first bound."""
    find_document(organization, document_guid)
    return [row for row in organization.table(ATTACHMENTS).records(document_guid) if not row.deleted]


def bind(organization: Organization, document_guid: str, file_guid: str, file_name: str) -> Record:
    """Bind a file to a document under ``file_name``.

    Binding a bound file again is a 200 that keeps one attachment (Dinero's answer is
    unknown; a repeated call changing nothing is what a retrying client needs); the
    name of the last call wins.
    """
    find_document(organization, document_guid, live=True)
    file_guid = require_file(organization, file_guid).key
    data = AttachmentData(DocumentId=document_guid, FileGuid=file_guid, FileName=file_name)
    table = organization.table(ATTACHMENTS)
    row = table.get(_key(document_guid, file_guid))
    if row is None:
        return table.insert(_key(document_guid, file_guid), data, parent=document_guid)
    if row.data != data:
        row = table.update(row, data)
    return table.restore(row) if row.deleted else row


def unbind(organization: Organization, document_guid: str, file_guid: str) -> None:
    """Remove a file from a document (404/40 when it is not bound to it)."""
    find_document(organization, document_guid, live=True)
    table = organization.table(ATTACHMENTS)
    row = table.get(_key(document_guid, file_guid.strip().lower()))
    if row is None or row.deleted:
        raise DineroError(
            404, NOT_FOUND, "Not found",
            {FILE_GUID: f"The file '{shown(file_guid)}' is not attached to the document '{document_guid}'."},
        )
    table.delete(row)


def document_kind(document_type: str) -> Kind:
    """Dinero's document type by name (400/42 for one that takes no attachments)."""
    kind = DOCUMENT_TYPES.get(document_type.strip().lower())
    if kind is None:
        raise validation_error(
            {"documentType": f"'{shown(document_type)}' is not a document type; use Invoice, TradeOffer or CreditNote."}
        )
    return kind


def bind_defaults(organization: Organization, document_guid: str, document_type: str) -> list[Record]:
    """Bind the organization's default attachments for ``document_type`` to the document,
    which must be of that type (404/40 otherwise). None set: nothing is bound."""
    kind = document_kind(document_type)
    table: Table = organization.table(TRADE_OFFERS if kind == "TradeOffer" else SALES)
    require_kind(table, document_guid, kind, live=True)
    row = organization.table(DEFAULT_ATTACHMENTS).get(kind)
    defaults: list[DefaultAttachment] = row.data.Files if row is not None else []
    return [bind(organization, document_guid, default.FileGuid, default.FileName) for default in defaults]


def set_default_attachments(
    organization: Organization, document_type: str, files: Sequence[str | tuple[str, str]]
) -> None:
    """Set the files ``bind/default`` binds to documents of ``document_type`` (what Dinero's
    web app does in its settings). Each file is a FileGuid (bound under the file's own
    name) or a ``(FileGuid, FileName)`` pair; an empty list clears the defaults."""
    kind = document_kind(document_type)
    defaults = []
    for entry in files:
        guid, name = (entry, None) if isinstance(entry, str) else entry
        row = require_file(organization, guid)
        defaults.append(DefaultAttachment(FileGuid=row.key, FileName=name or row.data.Name))
    table = organization.table(DEFAULT_ATTACHMENTS)
    data = DefaultAttachmentsData(Files=defaults)
    row = table.get(kind)
    if row is None:
        table.insert(kind, data)
    else:
        table.update(row, data)
