"""Hostile inputs for the "no 500 from any input" property tests, and the checks on the answers.

A hostile call is any operation of the route table with its path parameters, query and
body drawn from values that broke the fake before: Unicode digits and non-Latin-1 text in
ids, int32 edges and beyond, numbers JSON can write but no .NET type holds (``1e309``),
dates at the ends of the calendar and UTC offsets of ±14 hours, bodies nested 10,000
deep, the wrong JSON type at the top level, huge strings. Every answer must be below 500,
and a 4xx that is Dinero's error body must have its five keys and a message.

``Scene`` holds real ids (a contact, booked and draft documents, payments, a reminder,
vouchers, a file) so hostile values also reach the handlers' later checks, not only
their 404s.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any, get_args
from urllib.parse import quote, urlencode

import httpx
from hypothesis import strategies as st
from pydantic import BaseModel

from fake_dinero.route_table import ROUTE_TABLE
from fake_dinero.routing import Operation

from . import file_calls, purchase_calls, reminder_calls
from .ledger_item_calls import add as add_ledger_item
from .manual_voucher_calls import create as create_manual_voucher
from .sales_calls import CREDIT_NOTES, INVOICES, book, create_invoice, customer, pay
from .support import ORG

INT32_MAX = 2**31 - 1

# -- values ------------------------------------------------------------------------


@dataclass(frozen=True)
class Raw:
    """A JSON token written as it is (``1e309``, ``NaN``): what ``json.dumps`` cannot write."""

    token: str


HUGE = "x" * 100_000
NON_LATIN_1 = "漢字 Ωμέγα 😀 \u202eevil\u202c ø"
UNICODE_DIGITS = ("²", "١٢٣٤٥٦", "１２３４５６", "߁߂߃")
"""Characters Python calls digits (``isdigit``) and .NET does not: superscript,
Arabic-Indic, full-width, N'Ko."""
INT32_EDGES = (INT32_MAX, INT32_MAX + 1, -(2**31), -(2**31) - 1, 2**63, -(2**63) - 1, 2**40)
NUMBERS: tuple[Any, ...] = (
    *INT32_EDGES,
    Raw("1e309"),
    Raw("-1e309"),
    Raw("NaN"),
    Raw("Infinity"),
    "NaN",
    "Infinity",
    "1e309",
    str(2**31),
    "9" * 5000,
    1e12,
    1e15,
    -1e308,
    5e-324,
    0.005,
    -0.0,
)
DATES = (
    "0001-01-01",
    "1899-12-31",
    "1900-01-01",
    "9998-12-31",
    "9999-12-31",
    "2026-02-29",
    "9999-12-31T23:59:59-14:00",
    "0001-01-01T00:00:00+14:00",
    "9998-12-31T23:59:59-14:00",
    "1900-01-01T00:00:00+14:00",
    "2026-03-02T09:30:00+14:00",
    "2026-03-02T09:30:00-14:00",
    "2026-03-02T09:30:00+15:00",
    "٢٠٢٦-٠٣-٠٢",
    "2026-W10-1",
    "20260302",
)
TEXTS = (
    *UNICODE_DIGITS,
    NON_LATIN_1,
    HUGE,
    "",
    " ",
    "\x00",
    "' or 1=1; --",
    "Name eq 'x",
    "%00",
    "../../etc/passwd",
    "null",
    "true",
    "[]",
)
IDS = (
    *UNICODE_DIGITS,
    "1" * 5000,
    str(INT32_MAX),
    str(INT32_MAX + 1),
    str(-(2**31) - 1),
    str(2**63),
    "NaN",
    "1e309",
    NON_LATIN_1,
    "x" * 5000,
    "00000000-0000-0000-0000-000000000000",
    "{00000000-0000-0000-0000-000000000000}",
    "ÆØÅ",
    "-1",
    "0",
)

DEEP_ARRAY = b"[" * 10_000 + b"]" * 10_000
DEEP_OBJECT = b'{"a":' * 10_000 + b"1" + b"}" * 10_000
WRONG_TOP_LEVEL = (b"[]", b"[{}]", b"[[]]", b"[null]", b"1", b"-1e309", b"null", b'"text"', b"true", b"{}")


def dump(document: Any) -> bytes:
    """``document`` as JSON, with each ``Raw`` as its token."""
    tokens: dict[str, str] = {}

    def encode(value: Any) -> Any:
        if isinstance(value, Raw):
            marker = f"@@raw{len(tokens)}@@"
            tokens[marker] = value.token
            return marker
        raise TypeError(value)

    text = json.dumps(document, default=encode, ensure_ascii=False)
    for marker, token in tokens.items():
        text = text.replace(json.dumps(marker), token)
    return text.encode()


QUERY_VALUES = tuple(
    text[:10_000]  # a URL's query holds 64 KiB at most, percent-encoding included
    for text in (*DATES, *TEXTS, *(str(n.token if isinstance(n, Raw) else n) for n in NUMBERS))
)

scalars = st.sampled_from((*NUMBERS, *DATES, *TEXTS, True, None, [], {}))
"""Any one hostile JSON value."""

json_values = st.recursive(
    scalars, lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.text(max_size=3), inner, max_size=2),
    max_leaves=4,
)
"""Hostile values, alone or in small arrays and objects."""


# -- the scene: real ids -------------------------------------------------------------


@dataclass
class Scene:
    """Real ids in the demo organization, by the kind of thing they name."""

    ids: dict[str, str] = field(default_factory=dict)

    def real(self, op: Operation, param: str) -> str | None:
        """The real id for ``param`` of ``op``, if the scene has one of that kind."""
        return self.ids.get(_kind_of(op, param))


def build_scene(api: httpx.Client) -> Scene:
    """Create one of everything an id in a path can name, through the API."""
    ids: dict[str, str] = {}
    contact = customer(api, EanNumber=reminder_calls.VALID_EAN, AttPerson="Anna")
    ids["contact"] = contact
    note = api.post(f"/v1/{ORG}/contacts/{contact}/notes", json={"Text": "Ring tilbage"})
    ids["note"] = note.json().get("ContactNoteGuid", "") if note.status_code == 200 else ""
    ids["product"] = api.post(
        f"/v1/{ORG}/products",
        json={"Name": "Ting", "BaseAmountValue": 100, "Quantity": 1, "AccountNumber": 1000, "Unit": "parts"},
    ).json()["ProductGuid"]
    ids["draft_invoice"] = create_invoice(api, contact)["Guid"]
    invoice = create_invoice(api, contact, Date="2026-01-02")["Guid"]
    book(api, f"{INVOICES}/{invoice}")
    ids["invoice"] = invoice
    paid = pay(api, f"{INVOICES}/{invoice}", 100)
    ids["invoice_payment"] = paid.json().get("Guid", "") if paid.status_code == 200 else ""
    reminder = reminder_calls.add(api, invoice, date="2026-03-02")
    ids["reminder"] = str(reminder.json()["Id"]) if reminder.status_code == 200 else "1"
    note_body = {"ContactGuid": contact, "ProductLines": [{"Description": "Retur", "Quantity": 1, "Unit": "parts",
                                                          "AccountNumber": 1000, "BaseAmountValue": 100}],
                 "CreditNoteFor": invoice}
    credit_note = api.post(CREDIT_NOTES, json=note_body).json()["Guid"]
    book(api, f"{CREDIT_NOTES}/{credit_note}")
    ids["credit_note"] = credit_note
    offer = api.post(f"/v1/{ORG}/tradeoffers", json={"ContactGuid": contact, "ProductLines": note_body["ProductLines"]})
    ids["trade_offer"] = offer.json()["Guid"]
    ids["manual_voucher"] = create_manual_voucher(api)["Guid"]
    purchase = purchase_calls.book(api, purchase_calls.credit(api))
    ids["purchase"] = purchase["Guid"]
    paid_purchase = purchase_calls.pay(api, purchase_calls.get(api, purchase["Guid"]), 100)
    ids["purchase_payment"] = str(paid_purchase.get("Guid") or paid_purchase.get("PaymentGuid") or "")
    ids["purchase_credit_note"] = purchase_calls.credit_note_created(api).json()["Guid"]
    file_guid = file_calls.upload(api)
    ids["file"] = file_guid
    ids["ledger_item"] = add_ledger_item(api)["Id"]
    ids["year"] = "2026"
    ids["document_type"] = "Invoice"
    ids["file_name"] = "kvittering.pdf"
    ids["timestamp"] = purchase_calls.get(api, purchase["Guid"])["Timestamp"]
    ids["organization"] = str(ORG)
    return Scene({kind: value for kind, value in ids.items() if value})


_KIND_AFTER = {
    "contacts": "contact",
    "notes": "note",
    "products": "product",
    "invoices": "invoice",
    "tradeoffers": "trade_offer",
    "state-of-account": "contact",
    "manuel": "manual_voucher",
    "purchase": "purchase",
    "purchase-vouchers": "purchase",
    "fileguid": "file",
    "files": "file",
    "sms": "invoice",
    "reminders": "reminder",
    "attachments": "invoice",
    "default": "invoice",
}


def _kind_of(op: Operation, param: str) -> str:
    """What a path parameter names, from the literal segment before it."""
    special = {
        "organizationId": "organization",
        "accountingYear": "year",
        "documentType": "document_type",
        "fileName": "file_name",
        "fileGuid": "file",
        "timestamp": "timestamp",
    }
    if param in special:
        return special[param]
    parts = op.path.strip("/").split("/")
    index = parts.index("{" + param + "}")
    before = parts[index - 1].lower()
    if param in ("paymentGuid", "paymentId"):
        return "purchase_payment" if "purchase" in op.path else "invoice_payment"
    if before == "creditnotes":
        return "purchase_credit_note" if "purchase" in op.path else "credit_note"
    if before == "attachments" or (param == "documentGuid"):
        return "invoice"
    return _KIND_AFTER.get(before, "invoice")


# -- calls ---------------------------------------------------------------------------


@dataclass(frozen=True)
class HostileCall:
    """One request: an operation with hostile or real values filled in."""

    op: Operation
    path: str
    query: str
    body: bytes
    headers: dict[str, str]

    def __repr__(self) -> str:  # hypothesis shows this when an example fails
        body = self.body if len(self.body) <= 200 else self.body[:200] + b"..."
        query = self.query if len(self.query) <= 200 else self.query[:200] + "..."
        return f"{self.op.method} {self.path[:300]}?{query} body={body!r}"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))

    def send(self, client: httpx.Client) -> httpx.Response:
        url = httpx.URL(self.path, query=self.query.encode())
        return client.request(self.op.method, url, content=self.body, headers=self.headers)


OPERATIONS = tuple(ROUTE_TABLE.operations)


def _path_value(scene: Scene, op: Operation, param: str) -> st.SearchStrategy[str]:
    real = scene.real(op, param)
    hostile = st.sampled_from(IDS)
    if real is None:
        return hostile
    weight = [real] * 3 if param == "organizationId" else [real]
    return st.sampled_from(weight) | hostile


def _query(op: Operation) -> st.SearchStrategy[list[tuple[str, str]]]:
    names = [param.name for param in op.query] or ["changesSince", "page"]
    value = st.sampled_from(QUERY_VALUES)
    return st.lists(st.tuples(st.sampled_from(names), value), max_size=3)


def _model_of(annotation: Any) -> type[BaseModel] | None:
    """The pydantic model inside an annotation (``list[Line] | None`` -> ``Line``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def shaped(model: type[BaseModel], depth: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    """Bodies with ``model``'s property names and hostile values (nested models as lists of one)."""
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for name, info in model.model_fields.items():
        nested = _model_of(info.annotation) if depth < 2 else None
        values: st.SearchStrategy[Any] = json_values
        if nested is not None:
            values = st.lists(shaped(nested, depth + 1), min_size=1, max_size=1) | json_values
        optional[name] = values
    return st.fixed_dictionaries({}, optional=optional)


def _body(op: Operation) -> st.SearchStrategy[bytes]:
    if op.method == "GET":
        return st.just(b"")
    raw = st.sampled_from((DEEP_ARRAY, DEEP_OBJECT, *WRONG_TOP_LEVEL, b"", b"{", b"\xff\xfe"))
    model = _model_of(op.body) if op.body is not None else None
    if model is None:
        return raw | json_values.map(dump)
    documents = shaped(model)
    if op.body is list or getattr(op.body, "__origin__", None) is list:
        return raw | st.lists(documents, max_size=2).map(dump)
    return raw | documents.map(dump) | st.lists(documents, max_size=1).map(dump)


@st.composite
def hostile_calls(draw: st.DrawFn, scene: Scene, operations: tuple[Operation, ...] = OPERATIONS) -> HostileCall:
    """Any operation, with each path parameter real or hostile, a hostile query and body."""
    op = draw(st.sampled_from(operations))
    path = op.path
    for param in op.params:
        value = draw(_path_value(scene, op, param))
        path = path.replace("{" + param + "}", quote(value, safe=""))
    body = draw(_body(op))
    headers = {"content-type": "application/json"} if body else {}
    if op.pdf and draw(st.booleans()):
        headers["accept"] = "application/octet-stream"
    return HostileCall(op, path, urlencode(draw(_query(op))), body, headers)


# -- the checks ----------------------------------------------------------------------

DINERO_ERROR_KEYS = {"code", "message", "validationErrors", "languageSpecificMessages", "errorMessageList"}
LONGEST_MESSAGE = 2_000
"""A message longer than this quotes the input back instead of saying what is wrong."""


def check_answer(response: httpx.Response, what: object) -> None:
    """No 5xx; a 4xx in Dinero's error body has all five keys and messages a person can read."""
    assert response.status_code < 500, f"{what} -> {response.status_code} {response.text[:500]}"
    if response.status_code < 400 or "json" not in response.headers.get("content-type", ""):
        return
    body = response.json()
    if not isinstance(body, dict) or "code" not in body:
        return  # ASP.NET's bare {"message"} (401, 405), or OAuth's {"error"}
    assert set(body) == DINERO_ERROR_KEYS, f"{what} -> {body}"
    assert isinstance(body["code"], int), f"{what} -> {body}"
    danish, english = body["languageSpecificMessages"]
    assert english["message"] == body["errorMessageList"][0]["Message"], f"{what} -> {body}"
    for text in (body["message"], danish["message"], *body["validationErrors"].values()):
        assert isinstance(text, str) and text.strip(), f"{what} -> {body}"
        assert len(text) <= LONGEST_MESSAGE, f"{what} -> a {len(text)}-character message: {text[:300]}..."



# -- store, then read back -------------------------------------------------------------

STORED_TEXT = "y" * 20_000
"""A long string that is stored and rendered (lists, PDFs), not only refused."""
EDGE_VALUES: tuple[Any, ...] = (
    *NUMBERS,
    *DATES,
    *(text for text in TEXTS if text is not HUGE),
    STORED_TEXT,
    "9998-12-31",
    "1900-01-01",
    INT32_MAX,
    -(2**31),
    1e12,
    -1e12,
    999_999_999_999.995,
    0.0049,
    100,
    101,
    -1,
)


@dataclass(frozen=True)
class Creation:
    """What a two-step case creates: a valid body of ``kind`` with one property set to an edge value."""

    kind: str
    path: str
    body: Any
    where: str

    def __repr__(self) -> str:
        text = dump(self.body).decode()
        return f"{self.kind} with {self.where} -> POST {self.path} {text[:300]}"

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        printer.text(repr(self))


def _sales_line() -> dict[str, Any]:
    return {"Description": "Rådgivning", "Quantity": 2, "Unit": "hours", "AccountNumber": 1000, "BaseAmountValue": 500}


def _templates(scene: Scene) -> dict[str, tuple[str, dict[str, Any], str]]:
    """Per kind: the create path, a body Dinero accepts, and where its lines are."""
    contact = scene.ids["contact"]
    purchase_line = {"Description": "Varer", "Amount": 1250, "AccountNumber": purchase_calls.GOODS}
    voucher_line = {"Description": "Salg", "Amount": 100, "AccountNumber": 55000, "BalancingAccountNumber": 1000,
                    "BalancingAccountVatCode": "U25"}
    return {
        "contact": (f"/v1/{ORG}/contacts", {"Name": "Kunde A/S", "CountryKey": "DK", "IsPerson": False}, ""),
        "product": (f"/v1/{ORG}/products", {"Name": "Ting", "BaseAmountValue": 100, "Quantity": 1,
                                             "AccountNumber": 1000, "Unit": "parts"}, ""),
        "invoice": (INVOICES, {"ContactGuid": contact, "Date": "2026-03-01", "ProductLines": [_sales_line()]},
                    "ProductLines"),
        "credit_note": (CREDIT_NOTES, {"ContactGuid": contact, "Date": "2026-03-01",
                                       "ProductLines": [_sales_line()]}, "ProductLines"),
        "trade_offer": (f"/v1/{ORG}/tradeoffers", {"ContactGuid": contact, "Date": "2026-03-01",
                                                   "ProductLines": [_sales_line()]}, "ProductLines"),
        "manual_voucher": (f"/v1/{ORG}/vouchers/manuel", {"VoucherDate": "2026-03-01", "Lines": [voucher_line]},
                           "Lines"),
        "purchase": (purchase_calls.CREATE_V12, {"PurchaseType": "credit", "ContactGuid": contact,
                                                 "VoucherDate": "2026-03-01", "PaymentDate": "2026-03-10",
                                                 "Lines": [purchase_line]}, "Lines"),
        "purchase_credit_note": (purchase_calls.CREDIT_NOTES, {"ContactGuid": contact, "Date": "2026-03-01",
                                                                "Lines": [purchase_line]}, "Lines"),
        "ledger_item": (f"/v1.2/{ORG}/ledgeritems", {"VoucherDate": "2026-03-01", "Lines": [voucher_line]}, "Lines"),
    }


_CREATE_MODELS = {
    (op.method, op.path): op.body for op in OPERATIONS if op.method == "POST" and op.body is not None
}


def _property_names(path: str, lines: str) -> tuple[list[str], list[str]]:
    """The create model's top-level property names and its lines' (from the route table)."""
    template_path = re.sub(rf"/{ORG}/", "/{organizationId}/", path)
    model = _model_of(_CREATE_MODELS[("POST", template_path)])
    assert model is not None, path
    line_model = _model_of(model.model_fields[lines].annotation) if lines else None
    return list(model.model_fields), list(line_model.model_fields) if line_model else []


@st.composite
def creations(draw: st.DrawFn, scene: Scene) -> Creation:
    """A body of any creatable kind, valid but for one property (top-level or a line's) set to an edge value."""
    templates = _templates(scene)
    kind = draw(st.sampled_from(sorted(templates)))
    path, body, lines = templates[kind]
    top, line_names = _property_names(path, lines)
    value = draw(st.sampled_from(EDGE_VALUES))
    body = json.loads(json.dumps(body))
    in_line = draw(st.booleans()) if line_names else False
    if in_line:
        name = draw(st.sampled_from(line_names))
        body[lines][0][name] = value
        where = f"{lines}[0].{name}={value!r:.40}"
    else:
        name = draw(st.sampled_from(top))
        body[name] = value
        where = f"{name}={value!r:.40}"
    return Creation(kind, path, [body] if kind == "ledger_item" else body, where)


PDF = {"accept": "application/octet-stream"}


def read_back(api: httpx.Client, creation: Creation, answer: Any, scene: Scene) -> list[tuple[str, httpx.Response]]:
    """Every read that renders what ``creation`` stored: its lists, itself, its PDF, and
    once booked, the books (entries, reports, the contact's statement)."""
    base = f"/v1/{ORG}"
    reads: list[tuple[str, httpx.Response]] = []

    def get(path: str, **options: Any) -> httpx.Response:
        response = api.get(path, **options)
        reads.append((f"GET {path}", response))
        return response

    def post(path: str, body: Any) -> httpx.Response:
        response = api.post(path, content=dump(body), headers={"content-type": "application/json"})
        reads.append((f"POST {path}", response))
        return response

    guid = answer.get("Guid") or answer.get("ContactGuid") or answer.get("ProductGuid") or answer.get("Id") \
        if isinstance(answer, dict) else None
    kind = creation.kind
    if kind == "contact":
        get(f"{base}/contacts", params={"fields": "Name,PaymentConditionNumberOfDays,Email,CreatedAt"})
        get(f"/v2/{ORG}/contacts", params={"fields": "Name,Street,City"})
        get(f"{base}/contacts/{guid}")
        get(f"{base}/state-of-account/{guid}")
        get(f"{base}/state-of-account/{guid}/pdf")
        invoice = post(INVOICES, {"ContactGuid": guid, "ProductLines": [_sales_line()]})
        if invoice.status_code == 200:
            get(f"{INVOICES}/{invoice.json()['Guid']}")
            get(INVOICES)
        offer = post(f"{base}/tradeoffers", {"ContactGuid": guid, "ProductLines": [_sales_line()]})
        if offer.status_code == 200:
            offered = get(f"{base}/tradeoffers/{offer.json()['Guid']}").json()
            post(f"{base}/tradeoffers/{offer.json()['Guid']}/generate-invoice", {"Timestamp": offered["TimeStamp"]})
            get(INVOICES)
    elif kind == "product":
        get(f"{base}/products", params={"fields": "Name,BaseAmountValue,Quantity,Unit,AccountNumber"})
        get(f"{base}/products/{guid}")
        invoice = post(INVOICES, {"ContactGuid": scene.ids["contact"], "ProductLines": [{"ProductGuid": guid}]})
        if invoice.status_code == 200:
            get(f"{INVOICES}/{invoice.json()['Guid']}", headers=PDF)
    elif kind in ("invoice", "credit_note", "trade_offer"):
        path = {"invoice": INVOICES, "credit_note": CREDIT_NOTES, "trade_offer": f"{base}/tradeoffers"}[kind]
        get(path)
        get(f"{base}/sales")
        read = get(f"{path}/{guid}")
        get(f"{path}/{guid}", headers=PDF)
        if kind == "credit_note":
            get(f"{path}/{guid}/pdf")
        if read.status_code == 200 and kind != "trade_offer":
            post(f"{path}/{guid}/book", {"Timestamp": read.json()["TimeStamp"]})
            get(f"{path}/{guid}", headers=PDF)
            _books(get, scene)
        if kind == "invoice":
            get(f"/v2/{ORG}/invoices/{guid}/payments")
            get(f"{INVOICES}/{guid}/reminders/next")
            get(f"/v2/{ORG}/invoices/{guid}/email/template")
    elif kind in ("manual_voucher", "purchase", "purchase_credit_note"):
        path = {"manual_voucher": f"{base}/vouchers/manuel", "purchase": purchase_calls.PURCHASES,
                "purchase_credit_note": purchase_calls.CREDIT_NOTES}[kind]
        read = get(f"{path}/{guid}")
        if read.status_code == 200:
            post(f"{path}/{guid}/book", {"Timestamp": read.json()["Timestamp"]})
            get(f"{path}/{guid}")
            _books(get, scene)
        if kind == "purchase":
            get(purchase_calls.payments_path(str(guid)))
    elif kind == "ledger_item":
        items = answer if isinstance(answer, list) else [answer]
        refs = [{"Id": item["Id"], "Version": item["Version"]} for item in items if isinstance(item, dict)]
        post(f"{base}/ledgeritems/ledgers", [{"Id": ref["Id"]} for ref in refs])
        post(f"{base}/ledgeritems/book", refs)
        post(f"{base}/ledgeritems/status", [{"Id": ref["Id"]} for ref in refs])
        _books(get, scene)
    return reads


def _books(get: Any, scene: Scene) -> None:
    """The reads of the books a booked voucher shows in."""
    base = f"/v1/{ORG}"
    get(f"{base}/entries", params={"fromDate": "2026-01-01", "toDate": "2026-12-31"})
    get(f"{base}/entries/changes", params={"changesFrom": "2026-03-01T00:00:00Z", "changesTo": "2026-03-03T00:00:00Z"})
    for report in ("saldo", "result", "primo", "balance"):
        get(f"{base}/2026/reports/{report}", params={"includeLedgerEntries": "true"})
    get(f"{base}/state-of-account/{scene.ids['contact']}")
    get(f"{base}/state-of-account/{scene.ids['contact']}/pdf")
    get(f"{base}/sales")
