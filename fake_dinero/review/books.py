"""Books: files uploaded and never used, ledger items posted concurrently, and two honest
heuristics about the endpoint a booking went through."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from ..domain.chart import CREDITORS, DEPOSIT_RANGE, PURCHASE_RANGE
from ..errors import LEDGER_BUSY
from . import operations
from .catalogue import EXPENSE_AS_MANUAL, LEDGER_CONCURRENT, OWN_INVOICE, UNUSED_FILE
from .model import Evidence, Exchange, Finding, clock_time, evidence_of, finding
from .thresholds import Thresholds

UPLOADS = frozenset({"/v1/{organizationId}/files", "/v1/{organizationId}/files/attachment"})
LEDGER_POST = "/v1.2/{organizationId}/ledgeritems"
MANUAL_VOUCHERS = frozenset({"/v1/{organizationId}/vouchers/manuel", "/v1/{organizationId}/vouchers/manuel/{guid}"})
BOOK_INVOICE = "/v1/{organizationId}/invoices/{guid}/book"
PAY_INVOICE = "/v1/{organizationId}/invoices/{guid}/payments"
SEND_INVOICE = ("/email", "/e-invoice")
"""What an invoice operation's path holds when Dinero sends the invoice (e-mail, e-invoice)."""


def _template(call: Exchange) -> str | None:
    operation = operations.operation_of(call.method, call.path)
    return operation.path if operation is not None else None


def _uploaded_guid(call: Exchange) -> str | None:
    if call.method != "POST" or not call.ok or _template(call) not in UPLOADS:
        return None
    answer = call.response_body
    guid = answer.get("FileGuid") if isinstance(answer, dict) else None
    return guid if isinstance(guid, str) and guid else None


def unused_files(calls: Sequence[Exchange], thresholds: Thresholds) -> list[Finding]:
    """Uploads whose FileGuid no later write (its path, query or body) mentions by the end."""
    uploads = [(call, guid.lower()) for call in calls if (guid := _uploaded_guid(call)) is not None]
    if not uploads:
        return []
    writes = [(call.index, f"{call.path}?{call.query} {call.body_text}".lower())
              for call in calls if call.method != "GET" and not call.is_token_call]
    unused: dict[int | None, list[tuple[Exchange, str]]] = defaultdict(list)
    for upload, guid in uploads:
        if not any(index > upload.index and guid in text for index, text in writes):
            unused[upload.organization_id].append((upload, guid))
    findings = []
    for organization, files in unused.items():
        evidence = [Evidence(call.at, call.line(), f"FileGuid {guid}, never referred to afterwards")
                    for call, guid in files]
        summary = f"{len(files)} file(s) uploaded to organization {organization} and never attached to anything"
        findings.append(finding(UNUSED_FILE, summary, evidence, len(files), thresholds.max_evidence,
                                organization_id=organization))
    return findings


def concurrent_ledger_posts(calls: Sequence[Exchange], thresholds: Thresholds) -> list[Finding]:
    """Ledger-item posts refused with code 70, and posts for one organization closer together
    than ``ledger_post_gap_seconds``; an error when Dinero refused one, else a warning."""
    posts: dict[int | None, list[Exchange]] = defaultdict(list)
    for call in calls:
        if call.method == "POST" and _template(call) == LEDGER_POST:
            posts[call.organization_id].append(call)
    findings = []
    for organization, mine in posts.items():
        evidence: list[Evidence] = []
        refused = [call for call in mine if call.status == 400 and call.code == LEDGER_BUSY]
        evidence += [Evidence(call.at, call.line(), "refused: another post for the organization was in progress")
                     for call in refused]
        accepted = [call for call in mine if call.ok]
        close = 0
        for before, after in zip(accepted, accepted[1:], strict=False):
            gap = (after.at - before.at).total_seconds()
            if gap < thresholds.ledger_post_gap_seconds:
                close += 1
                note = f"{gap:g} s after the post at {clock_time(before.at)}"
                evidence.append(Evidence(after.at, after.line(), note))
        if not evidence:
            continue
        evidence.sort(key=lambda item: item.at)
        summary = (f"ledger items for organization {organization}: {len(refused)} post(s) refused with code 70, "
                   f"{close} post(s) within {thresholds.ledger_post_gap_seconds:g} s of the previous one")
        findings.append(finding(LEDGER_CONCURRENT, summary, evidence, len(refused) + close, thresholds.max_evidence,
                                severity="error" if refused else "warning", organization_id=organization))
    return findings


def _looks_like_expense(body: Any) -> bool:
    if not isinstance(body, dict) or not body.get("FileGuid") or not isinstance(body.get("Lines"), list):
        return False
    for line in body["Lines"]:
        if not isinstance(line, dict):
            continue
        account, balancing = line.get("AccountNumber"), line.get("BalancingAccountNumber")
        vat = str(line.get("AccountVatCode") or "").upper()
        paid_from = isinstance(balancing, int) and (balancing in DEPOSIT_RANGE or balancing == CREDITORS)
        if isinstance(account, int) and account in PURCHASE_RANGE and (paid_from or vat.startswith("I")):
            return True
    return False


def expenses_as_manual_vouchers(calls: Sequence[Exchange], thresholds: Thresholds) -> list[Finding]:
    """Heuristic: a manual voucher with a file whose line books an expense account against a
    bank or creditor account, or with incoming VAT."""
    found: dict[int | None, list[Exchange]] = defaultdict(list)
    for call in calls:
        if call.method in ("POST", "PUT") and call.ok and _template(call) in MANUAL_VOUCHERS:
            if _looks_like_expense(call.request_body):
                found[call.organization_id].append(call)
    return [
        finding(EXPENSE_AS_MANUAL, f"{len(vouchers)} manual voucher(s) for organization {organization} book an "
                                   "expense with a file: is this a purchase voucher?",
                evidence_of(vouchers, "an expense account paid from a bank or creditor account (or with incoming "
                                      "VAT), with a FileGuid"),
                len(vouchers), thresholds.max_evidence, organization_id=organization)
        for organization, vouchers in found.items()
    ]


def _money(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value is not None and not isinstance(value, bool) else None
    except InvalidOperation:
        return None


def _invoice_guid(path: str) -> str:
    """The ``{guid}`` of ``/v1/{organizationId}/invoices/{guid}/...``."""
    return path.strip("/").split("/")[3].lower()


def own_invoices(calls: Sequence[Exchange], thresholds: Thresholds) -> list[Finding]:
    """Heuristic: an invoice booked, never sent from Dinero, and paid in full on its own date
    within ``instant_payment_seconds`` of booking, for an organization the integration uploads files to."""
    uploading = {call.organization_id for call in calls if _uploaded_guid(call) is not None}
    booked: dict[str, tuple[Exchange, Decimal | None, str]] = {}
    sent: set[str] = set()
    paid: dict[int | None, list[tuple[Exchange, Exchange]]] = defaultdict(list)
    for call in calls:
        template = _template(call)
        if not call.ok or call.method != "POST" or template is None or "/invoices/{guid}" not in template:
            continue
        guid = _invoice_guid(call.path)
        if template == BOOK_INVOICE and isinstance(call.response_body, dict):
            answer = call.response_body
            booked[guid] = (call, _money(answer.get("TotalInclVat")), str(answer.get("Date") or "")[:10])
        elif any(part in template for part in SEND_INVOICE):
            sent.add(guid)
        elif template == PAY_INVOICE and guid in booked and isinstance(call.request_body, dict):
            book, total, date = booked[guid]
            body = call.request_body
            on = str(body.get("PaymentDate") or call.at.date().isoformat())[:10]
            soon = (call.at - book.at).total_seconds() <= thresholds.instant_payment_seconds
            if soon and total is not None and _money(body.get("Amount")) == total and on == date:
                paid[call.organization_id].append((book, call))
    findings = []
    for organization, pairs in paid.items():
        pairs = [(book, payment) for book, payment in pairs if _invoice_guid(book.path) not in sent]
        if organization not in uploading or not pairs:
            continue
        evidence: list[Evidence] = []
        for book, payment in pairs:
            evidence.append(Evidence(book.at, book.line(), "booked, never sent from Dinero"))
            evidence.append(Evidence(payment.at, payment.line(), "paid in full on the invoice's date"))
        summary = (f"{len(pairs)} invoice(s) of organization {organization} booked and paid in full at once by an "
                   "integration that uploads files: invoiced outside Dinero?")
        findings.append(finding(OWN_INVOICE, summary, evidence, len(pairs), thresholds.max_evidence,
                                organization_id=organization))
    return findings


CHECKS = (unused_files, concurrent_ledger_posts, expenses_as_manual_vouchers, own_invoices)
