"""Files: upload (to the archive or as an attachment only), list the archive, download.

Uploads are ``multipart/form-data`` with one file part. Real clients name that
part differently: Dinero's document ``file``, its best-practice page ``image``
(with the name in a ``fileName`` query), the Hexio .NET client not at all (a
part with only a ``filename``). The fake takes the first part that carries a
file name, whatever the part is called.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, unquote

from python_multipart import MultipartParser
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import parse_options_header

from ..call import Call
from ..domain import files
from ..domain.files import FILE_STATUSES, FileSavedReadModel, FilteredFileReadModel
from ..errors import NOT_MULTIPART, DineroError, validation_error
from ..formats import content_disposition, shown
from ..http import ApiResponse
from ..listing import page_window
from ..routing import QueryParam, Routes

routes = Routes(tag="Files")

PATH = "/v1/{organizationId}/files"
UPLOAD_ANSWERS = (400, 401, 403, 404, 413, 429)
"""413: a file over 6 MB."""
DOWNLOAD_TYPES = tuple(sorted(set(files.CONTENT_TYPES.values())))
DEFAULT_PAGE_SIZE = 1000
"""Dinero's document: the file list's pageSize defaults to 1000 (other lists: 100)."""


# -- multipart -----------------------------------------------------------------------


@dataclass
class _Part:
    headers: dict[str, bytes] = field(default_factory=dict)
    data: bytearray = field(default_factory=bytearray)

    def disposition(self) -> dict[str, str]:
        """The Content-Disposition's parameters (``name``, ``filename``), UTF-8 decoded;
        ``filename*`` (RFC 5987, which .NET clients add) wins over ``filename``."""
        raw = self.headers.get("content-disposition", b"")
        _, options = parse_options_header(raw.decode("latin-1"))
        found = {key.decode("latin-1").lower(): _text(value) for key, value in options.items()}
        extended = re.search(rb"filename\*\s*=\s*([^;]+)", raw, re.IGNORECASE)
        if extended:
            charset, _, rest = extended.group(1).strip().strip(b'"').partition(b"'")
            _, _, encoded = rest.partition(b"'")
            found["filename"] = unquote(encoded.decode("latin-1"), encoding=charset.decode("latin-1") or "utf-8",
                                        errors="replace")
        return found


def _text(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("latin-1")


def _parts(body: bytes, boundary: bytes) -> list[_Part]:
    """The complete parts of a multipart body (a part cut off before its closing boundary is left out)."""
    parts: list[_Part] = []
    current = _Part()
    header_name, header_value = bytearray(), bytearray()

    def begin() -> None:
        nonlocal current
        current = _Part()

    def on_header_field(data: bytes, start: int, end: int) -> None:
        header_name.extend(data[start:end])

    def on_header_value(data: bytes, start: int, end: int) -> None:
        header_value.extend(data[start:end])

    def on_header_end() -> None:
        current.headers[header_name.decode("latin-1").strip().lower()] = bytes(header_value).strip()
        header_name.clear()
        header_value.clear()

    def on_part_data(data: bytes, start: int, end: int) -> None:
        current.data.extend(data[start:end])

    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": begin,
            "on_header_field": on_header_field,
            "on_header_value": on_header_value,
            "on_header_end": on_header_end,
            "on_part_data": on_part_data,
            "on_part_end": lambda: parts.append(current),
        },
    )
    parser.write(body)
    parser.finalize()
    return parts


def _not_multipart(reason: str) -> DineroError:
    return DineroError(400, NOT_MULTIPART, "The request is not multipart/form-data", {"file": reason})


def uploaded_file(call: Call) -> tuple[str, bytes]:
    """The name and bytes of the request's file part (400/69 when there is none).

    The name is the ``fileName`` query when given (the way Dinero's best-practice page
    names an upload), else the part's file name: a client naming the file in the query
    does so on purpose, while a part's file name is often a library's placeholder.
    Any ``multipart/*`` type is read: Dinero's document itself writes ``multipart/formdata``.
    """
    media, options = parse_options_header(call.request.header("content-type") or "")
    boundary = options.get(b"boundary")
    if not media.startswith(b"multipart/") or not boundary:
        raise _not_multipart(
            "Upload the file as multipart/form-data (Content-Type: multipart/form-data; boundary=...) "
            "with one file part, e.g. name=\"file\"; filename=\"receipt.pdf\"."
        )
    try:
        parts = _parts(call.request.body, boundary)
    except (FormParserError, ValueError):
        raise _not_multipart("The multipart body could not be read; check its boundaries.") from None
    query_name = call.query("fileName")
    named = [(part, part.disposition().get("filename")) for part in parts]
    chosen = next(((part, name) for part, name in named if name is not None), None)
    if chosen is None and query_name is not None and parts:
        chosen = (parts[0], None)
    if chosen is None:
        raise _not_multipart(
            "The body has no file part: send the file in a part with a filename, "
            "e.g. Content-Disposition: form-data; name=\"file\"; filename=\"receipt.pdf\"."
        )
    part, part_name = chosen
    return query_name or part_name or "", bytes(part.data)


# -- operations ----------------------------------------------------------------------


@routes.post(PATH, response=FileSavedReadModel, answers=UPLOAD_ANSWERS, multipart=("file",))
def upload_file(call: Call) -> FileSavedReadModel:
    """Multipart, one file part (any part name; the ``fileName`` query names the file when
    given). PDF, JPEG, JPG, PNG or GIF (400/67; no extension 400/68), at most 6 MB
    (413/43); not multipart 400/69. The file enters the archive."""
    name, content = uploaded_file(call)
    row = files.upload(call.organization, name, content, archived=True)
    return FileSavedReadModel(FileGuid=row.key)


@routes.post(PATH + "/attachment", response=FileSavedReadModel, answers=UPLOAD_ANSWERS, multipart=("file",))
def upload_attachment_file(call: Call) -> FileSavedReadModel:
    """As an upload to the archive, but the file stays out of it: only attachments use it."""
    name, content = uploaded_file(call)
    row = files.upload(call.organization, name, content, archived=False)
    return FileSavedReadModel(FileGuid=row.key)


_EXTENSION_NAME = re.compile(r"^extensions(\[\d*\])?$", re.IGNORECASE)
_DAY = re.compile(r"^\s*([0-9]{4})[/-]([0-9]{1,2})[/-]([0-9]{1,2})\s*$")


def _extensions(call: Call) -> list[str]:
    """``extensions=pdf,png``, repeated ``extensions=pdf&extensions=png``, or PHP's
    ``extensions[0]=pdf&extensions[1]=png``: all of them, comma lists split."""
    found = []
    for name, value in parse_qsl(call.request.query_string, keep_blank_values=True):
        if _EXTENSION_NAME.match(name):
            found += [part for part in value.split(",") if part.strip()]
    return found


def _day(call: Call, name: str) -> date | None:
    """A ``yyyy/MM/dd`` date (Dinero's document), or ``yyyy-MM-dd``; 400/42 otherwise."""
    raw = call.query(name)
    if raw is None:
        return None
    match = _DAY.match(raw)
    try:
        if match is None:
            raise ValueError(raw)
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise validation_error({name: f"'{shown(raw)}' is not a date. Use yyyy/MM/dd, e.g. 2026/03/02."}) from None


def _file_status(call: Call) -> str:
    """All, Used or Unused by name (any case), or the enum's number as PHP sends it."""
    raw = call.query("fileStatus")
    if raw is None:
        return "All"
    text = raw.strip()
    if text in {str(number) for number in range(len(FILE_STATUSES))}:
        return FILE_STATUSES[int(text)]
    for status in FILE_STATUSES:
        if status.lower() == text.lower():
            return status
    raise validation_error({"fileStatus": f"'{shown(raw)}' is not a file status. Use All, Used or Unused."})


@routes.get(
    PATH,
    response=list[FilteredFileReadModel],
    query=(
        QueryParam("extensions", "array"),
        QueryParam("uploadedBefore"),
        QueryParam("uploadedAfter"),
        QueryParam("fileStatus", default="All", enum=FILE_STATUSES),
        QueryParam("page", "integer", 0, "int32"),
        QueryParam("pageSize", "integer", DEFAULT_PAGE_SIZE, "int32"),
    ),
)
def list_files(call: Call) -> list[dict[str, Any]]:
    """The archive, newest upload first (attachment-only uploads are not in it). A plain
    array, not a paged envelope. Dates are inclusive days in UTC; a file is Used once a
    voucher, ledger item or document attachment names it."""
    page, page_size = page_window(call, DEFAULT_PAGE_SIZE)
    rows = files.archived_files(
        call.organization,
        extensions=_extensions(call),
        uploaded_after=_day(call, "uploadedAfter"),
        uploaded_before=_day(call, "uploadedBefore"),
        status=_file_status(call),
    )
    start = page * page_size
    return [files.render_file(call.organization, row) for row in rows[start : start + page_size]]


@routes.get(PATH + "/{fileGuid}", binary=DOWNLOAD_TYPES)
def download_file(call: Call) -> ApiResponse:
    """The bytes as uploaded, typed by extension (application/pdf, image/jpeg, image/png,
    image/gif), with the file's name in Content-Disposition."""
    data, content = files.file_content(call.organization, call.params["fileGuid"])
    headers = {"content-type": files.content_type(data), "content-disposition": content_disposition(data.Name)}
    return ApiResponse(200, content, headers)
