"""Files: the organization's file archive (receipts, invoices from suppliers).

A client uploads a PDF or image (at most 6 MB) and gets a ``FileGuid`` it can
put on a voucher or ledger item, or bind to a sales document as an attachment.
Uploads to ``/files`` enter the archive (``GET /files`` lists them); uploads
to ``/files/attachment`` do not, and serve only as sales-document attachments.

The bytes are stored once per content: ``FILE_CONTENTS`` holds them keyed by
their SHA-256 and a file's row names the hash. Records are shared by
snapshots and reset, so keeping megabytes of uploads costs a reset nothing,
and a snapshot file carries each content once (base64).

Whether a file is "Used" is not stored: it is read from the rows that name
it (``LINK_SOURCES``), once per state of the organization.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, PlainSerializer

from ..errors import (
    FILE_NAME_WITHOUT_TYPE,
    FILE_TYPE_NOT_ALLOWED,
    LIMIT_EXCEEDED,
    DineroError,
)
from ..formats import render_datetime, shown
from ..models import DineroDateTime, DineroModel, Guid
from ..store import Collection, Record
from .memo import cached

if TYPE_CHECKING:
    from ..world import Organization, World

MAX_FILE_BYTES = 6 * 1024 * 1024
"""Dinero's limit: "If the file size is above 6 MB" the upload is refused."""

CONTENT_TYPES: Mapping[str, str] = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
}
"""The extensions Dinero takes ("Accepts a posted image/pdf") and the type each is served as."""

FILE_GUID = "FileGuid"
"""How errors name the file a request points at."""

_TOKEN_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
_TOKEN_LENGTH = 32
_TOKEN_BITS = 165
"""36**32 > 2**165: a 165-bit draw always fits in 32 base-36 digits."""


# -- stored data ---------------------------------------------------------------------


def _from_base64(value: Any) -> Any:
    """A snapshot file carries bytes as base64 text; bytes in Python pass as they are."""
    return base64.b64decode(value, validate=True) if isinstance(value, str) else value


def _to_base64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")


StoredBytes = Annotated[
    bytes,
    BeforeValidator(_from_base64),
    PlainSerializer(_to_base64, return_type=str, when_used="json"),
]
"""Bytes kept in a row: raw in memory, base64 in a snapshot file."""


class FileData(BaseModel):
    Name: str
    Extension: str
    """Lower-case, without the dot."""
    Size: int
    Sha256: str
    """The key of the file's bytes in ``FILE_CONTENTS``."""
    Archived: bool = True
    """In the file archive (uploaded to ``/files``); False for ``/files/attachment``."""
    NumberOfPages: int | None = None


class FileContentData(BaseModel):
    Content: StoredBytes


# -- read models ---------------------------------------------------------------------


class FileSavedReadModel(DineroModel):
    FileGuid: str | None = None


class FileLinkReadModel(DineroModel):
    VoucherId: int = Field(json_schema_extra={"format": "int32"})
    VoucherGuid: Guid
    LinkedAt: str | None = None


class FilteredFileReadModel(DineroModel):
    FileGuid: str | None = None
    Name: str | None = None
    Extension: str | None = None
    Size: int = Field(json_schema_extra={"format": "int64"})
    UploadedAt: DineroDateTime
    Note: str | None = None
    NumberOfPages: int | None = Field(default=None, json_schema_extra={"format": "int32"})
    Linked: list[FileLinkReadModel] | None = None
    UploadedBy: str | None = None


@dataclass(frozen=True)
class Link:
    """A row that names a file: the voucher (or document) and when it last changed."""

    voucher_id: int
    voucher_guid: str
    linked_at: datetime


def _render(organization: Organization, row: Record) -> FilteredFileReadModel:
    data: FileData = row.data
    return FilteredFileReadModel(
        FileGuid=row.key,
        Name=data.Name,
        Extension=data.Extension,
        Size=data.Size,
        UploadedAt=row.created_at,
        Note=None,
        NumberOfPages=data.NumberOfPages,
        Linked=[
            FileLinkReadModel(
                VoucherId=link.voucher_id,
                VoucherGuid=link.voucher_guid,  # type: ignore[arg-type]
                LinkedAt=render_datetime(link.linked_at),
            )
            for link in links_of(organization, row.key)
        ],
        # Unknown what Dinero shows for an upload through the API; the fake knows no
        # user's name for a legacy token, so it shows none.
        UploadedBy=None,
    )


def _as_stored(organization: Organization, row: Record) -> BaseModel:
    return row.data  # type: ignore[no-any-return]


FILES = Collection("files", FilteredFileReadModel, _render, data_model=FileData)
"""Every uploaded file by FileGuid, archived or attachment-only. Its cached document
would not see links change, so files are rendered with ``render_file``."""
FILE_CONTENTS = Collection("file_contents", FileContentData, _as_stored, data_model=FileContentData)
"""Uploaded bytes by SHA-256, stored once however often they are uploaded."""


def render_file(organization: Organization, row: Record) -> dict[str, Any]:
    return _render(organization, row).model_dump(mode="json")


# -- links: which rows name a file ---------------------------------------------------------


def _row_key(organization: Organization, row: Record) -> str:
    return row.key


@dataclass(frozen=True)
class LinkSource:
    """A table whose rows may name a file, and how to read one of its rows.

    ``collection`` is a function so sources can name tables of modules that import
    this one. ``voucher_id`` is the number the voucher shows (Dinero's VoucherId is an
    int32 and no voucher has another numeric id; a draft without a number shows 0).
    """

    collection: Callable[[], Collection]
    file_guid: Callable[[Record], str | None]
    voucher_id: Callable[[Organization, Record], int | None]
    voucher_guid: Callable[[Organization, Record], str] = _row_key


def _manual_vouchers() -> Collection:
    from .manual_vouchers import MANUAL_VOUCHERS

    return MANUAL_VOUCHERS


def _ledger_items() -> Collection:
    from .ledger_item_models import LEDGER_ITEMS

    return LEDGER_ITEMS


def _purchase_vouchers() -> Collection:
    from .purchases import PURCHASE_VOUCHERS

    return PURCHASE_VOUCHERS


def _purchase_credit_notes() -> Collection:
    from .purchase_credit_notes import PURCHASE_CREDIT_NOTES

    return PURCHASE_CREDIT_NOTES


def _attachments() -> Collection:
    from .attachments import ATTACHMENTS

    return ATTACHMENTS


def _attached_document_number(organization: Organization, row: Record) -> int | None:
    from .attachments import document_number

    return document_number(organization, row.data.DocumentId)


LINK_SOURCES: list[LinkSource] = [
    LinkSource(_manual_vouchers, lambda row: row.data.FileGuid, lambda org, row: row.data.VoucherNumber),
    LinkSource(
        _ledger_items,
        lambda row: row.data.FileGuid,
        lambda org, row: row.data.BookedNumber if row.data.BookedNumber is not None else row.data.VoucherNumber,
    ),
    LinkSource(_purchase_vouchers, lambda row: row.data.FileGuid, lambda org, row: row.data.VoucherNumber),
    LinkSource(_purchase_credit_notes, lambda row: row.data.FileGuid, lambda org, row: row.data.CreditNoteNumber),
    LinkSource(
        _attachments,
        lambda row: row.data.FileGuid,
        _attached_document_number,
        voucher_guid=lambda org, row: row.data.DocumentId,
    ),
]
"""Every kind of row that refers to a file. A new kind of voucher with a FileGuid adds
its entry here, and the archive's ``Linked`` and ``fileStatus`` see it."""

_INT32_MAX = 2**31 - 1


def _link_index(organization: Organization) -> dict[str, list[Link]]:
    index: dict[str, list[Link]] = {}
    for source in LINK_SOURCES:
        table = organization.tables.get(source.collection().name)
        if table is None:
            continue
        for row in table:
            guid = source.file_guid(row)
            if row.deleted or not guid:
                continue
            number = source.voucher_id(organization, row) or 0
            index.setdefault(guid.strip().lower(), []).append(
                Link(number if number <= _INT32_MAX else 0, source.voucher_guid(organization, row), row.updated_at)
            )
    for links in index.values():
        links.sort(key=lambda link: link.linked_at)
    return index


def link_index(organization: Organization) -> Mapping[str, list[Link]]:
    """The rows naming each file, oldest change first, by FileGuid (lower-case);
    scanned once per state of the organization."""
    return cached(organization, "file-links", lambda: _link_index(organization))


def links_of(organization: Organization, file_guid: str) -> list[Link]:
    return link_index(organization).get(file_guid.strip().lower(), [])


# -- rules ---------------------------------------------------------------------------


def new_file_guid(world: World) -> str:
    """A 32-character lower-case alphanumeric token, Dinero's FileGuid form
    (``web0crmck5v0ndcx3313g6zn61tc7wgc``), drawn from the world's seeded source."""
    number = world.random.getrandbits(_TOKEN_BITS)
    digits = []
    for _ in range(_TOKEN_LENGTH):
        number, digit = divmod(number, len(_TOKEN_ALPHABET))
        digits.append(_TOKEN_ALPHABET[digit])
    return "".join(reversed(digits))


def extension_of(name: str) -> str:
    """The lower-case extension of a file name, without the dot ("" when there is none)."""
    stem, dot, extension = name.rpartition(".")
    return extension.strip().lower() if dot else ""


def base_name(name: str) -> str:
    """A file name without the folders some clients send (``C:\\scans\\receipt.pdf``)."""
    return re.split(r"[\\/]", name.strip())[-1].strip()


_PDF_PAGE = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")


def _number_of_pages(extension: str, content: bytes) -> int | None:
    """Pages of a PDF (its page objects counted), 1 for an image; None when unknown."""
    if extension != "pdf":
        return 1
    pages = len(_PDF_PAGE.findall(content))
    return pages or None


def upload(organization: Organization, name: str, content: bytes, *, archived: bool = True) -> Record:
    """Store an upload and return its row.

    Refused: more than 6 MB (413 with code 43: Dinero's error page gives 413 for
    this, its OpenAPI document 400; 413 says what happened), a name without an
    extension (400/68), an extension other than PDF, JPEG, JPG, PNG or GIF (400/67).
    """
    if len(content) > MAX_FILE_BYTES:
        raise DineroError(
            413,
            LIMIT_EXCEEDED,
            "Limit Exceeded",
            {"file": f"The file is {len(content)} bytes; a file may be at most {MAX_FILE_BYTES} bytes (6 MB)."},
        )
    name = base_name(name)
    extension = extension_of(name)
    if not extension:
        raise DineroError(
            400,
            FILE_NAME_WITHOUT_TYPE,
            "The file name has no file type",
            {"fileName": f"'{shown(name)}' has no extension; name the file with its type, e.g. receipt.pdf."},
        )
    if extension not in CONTENT_TYPES:
        allowed = ", ".join(sorted({kind.upper() for kind in CONTENT_TYPES}))
        raise DineroError(
            400,
            FILE_TYPE_NOT_ALLOWED,
            "The file type is not allowed",
            {"fileName": f"'.{extension}' files cannot be uploaded; upload one of: {allowed}."},
        )
    digest = hashlib.sha256(content).hexdigest()
    contents = organization.table(FILE_CONTENTS)
    if contents.get(digest) is None:
        contents.insert(digest, FileContentData(Content=content))
    data = FileData(
        Name=name,
        Extension=extension,
        Size=len(content),
        Sha256=digest,
        Archived=archived,
        NumberOfPages=_number_of_pages(extension, content),
    )
    return organization.table(FILES).insert(new_file_guid(organization.world), data)


def require_file(organization: Organization, file_guid: str) -> Record:
    """The file's row, archived or not (404/40 when there is none)."""
    return organization.table(FILES).require(file_guid.strip().lower(), FILE_GUID)


def file_content(organization: Organization, file_guid: str) -> tuple[FileData, bytes]:
    row = require_file(organization, file_guid)
    content = organization.table(FILE_CONTENTS).require(row.data.Sha256, "FileContent")
    return row.data, content.data.Content


def content_type(data: FileData) -> str:
    return CONTENT_TYPES.get(data.Extension, "application/octet-stream")


FILE_STATUSES = ("All", "Unused", "Used")
"""Dinero's FileStatus enum, in its order (PHP clients send the index)."""


def archived_files(
    organization: Organization,
    *,
    extensions: Iterable[str] = (),
    uploaded_after: date | None = None,
    uploaded_before: date | None = None,
    status: str = "All",
) -> list[Record]:
    """The archive's files that pass the filters, newest upload first.

    Dinero's document does not say whether the dates are inclusive; the fake keeps a
    file uploaded on either day named (both ends inclusive, by the UTC date of the
    upload), so ``uploadedAfter=uploadedBefore=D`` lists the files of day D.
    """
    wanted = {extension.strip().lstrip(".").lower() for extension in extensions if extension.strip()}
    links = link_index(organization)
    rows = []
    for row in organization.table(FILES):
        data: FileData = row.data
        if not data.Archived or row.deleted:
            continue
        if wanted and data.Extension not in wanted:
            continue
        day = row.created_at.astimezone(timezone.utc).date()
        if uploaded_after is not None and day < uploaded_after:
            continue
        if uploaded_before is not None and day > uploaded_before:
            continue
        if status != "All" and (row.key in links) != (status == "Used"):
            continue
        rows.append(row)
    rows.sort(key=lambda row: (row.created_at, row.seq), reverse=True)
    return rows
