"""The money path of ``fake-dinero contract --allow-writes``: what an integration does with money.

One tagged customer; an invoice drafted for it (a line on account 1000, in DKK), read, updated
with its TimeStamp, booked, read booked, paid in full, read paid; a credit note for that invoice
(``CreditNoteFor``, as Dinero's document names it), booked and refunded; a manual voucher and a
cash purchase voucher, each booked; then the day's entries. Each step is held to Dinero's
document (the shape) and to the behaviour a client relies on: the status, that the Guid and
TimeStamp an answer returns are the ones the next step reads and sends, that booking numbers a
document, that paying the whole total makes an invoice Paid, and that every booked document
shows up in the entries, balanced.

What stays behind on a real organization, and why: Danish bookkeeping law, and Dinero with it,
never deletes a booked voucher. A run that gets through leaves these, each tagged
ExternalReference ``fake-dinero-contract:<run id>`` and with the run id in every line and
payment description, and lists them as kept:

- the invoice, booked and paid, and the credit note that credits all of it, booked and refunded,
  so sales, VAT, the debtor and the bank net to zero;
- the manual voucher and the purchase voucher, booked and then deleted, which in Dinero adds
  offsetting entries instead of removing anything, so their accounts net to zero too;
- the entries all of these booked on the day of the run; and the customer, should Dinero refuse
  to delete a contact its booked documents name (the fake deletes it, softly, as any contact).

Drafts a failed step leaves behind (nothing booked yet) are deleted, and so is the customer.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .checks import Check, Result

if TYPE_CHECKING:
    from .suite import ContractSuite

INVOICE = "/v1/{organizationId}/invoices/{guid}"
CREDIT_NOTE = "/v1/{organizationId}/sales/creditnotes/{guid}"
MANUAL_VOUCHER = "/v1/{organizationId}/vouchers/manuel/{guid}"
PURCHASE_VOUCHER = "/v1/{organizationId}/vouchers/purchase/{guid}"
CONTACT = "/v1/{organizationId}/contacts/{guid}"
STEPS = {
    "create customer": ("POST", "/v1/{organizationId}/contacts"),
    "create invoice": ("POST", "/v1/{organizationId}/invoices"),
    "read invoice draft": ("GET", INVOICE),
    "update invoice": ("PUT", "/v1.2/{organizationId}/invoices/{guid}"),
    "read updated invoice": ("GET", INVOICE),
    "book invoice": ("POST", INVOICE + "/book"),
    "read booked invoice": ("GET", INVOICE),
    "pay invoice": ("POST", INVOICE + "/payments"),
    "read paid invoice": ("GET", INVOICE),
    "create credit note": ("POST", "/v1/{organizationId}/sales/creditnotes"),
    "read credit note draft": ("GET", CREDIT_NOTE),
    "book credit note": ("POST", CREDIT_NOTE + "/book"),
    "refund credit note": ("POST", CREDIT_NOTE + "/payments"),
    "create manual voucher": ("POST", "/v1/{organizationId}/vouchers/manuel"),
    "book manual voucher": ("POST", MANUAL_VOUCHER + "/book"),
    "create purchase voucher": ("POST", "/v1.2/{organizationId}/vouchers/purchase"),
    "book purchase voucher": ("POST", PURCHASE_VOUCHER + "/book"),
    "entries of the day": ("GET", "/v1/{organizationId}/entries"),
    "reverse purchase voucher": ("DELETE", PURCHASE_VOUCHER),
    "reverse manual voucher": ("DELETE", MANUAL_VOUCHER),
    "delete customer": ("DELETE", CONTACT),
}
"""The steps of the money path, in the order a passing run makes them, as Dinero's document names them."""
DRAFTS = {"invoice": INVOICE, "credit note": CREDIT_NOTE, "manual voucher": MANUAL_VOUCHER,
          "purchase voucher": PURCHASE_VOUCHER}
"""Where a draft a failed step left behind is deleted (each DELETE takes the draft's Timestamp)."""
CONTACT_REFUSALS = (400,)
"""Unknown whether Dinero deletes a contact its booked documents name; a refusal in its error body is
allowed (the contact is then listed as kept). The fake deletes it, softly, as any contact."""

SALES_ACCOUNT = 1000
"""Salg af varer/ydelser m/moms in Dinero's standard chart (U25)."""
BANK_ACCOUNT = 55000
"""Bank: Dinero's deposit accounts are 55000-55999."""
PURCHASE_ACCOUNT = 2000
"""The first of Dinero's purchase accounts (2000-9399); I25 in the standard chart."""
LINE_AMOUNT = 100.0
"""DKK excl. VAT per unit of the invoice's line; the update doubles the quantity."""


@functools.cache
def plan() -> list[Check]:
    """Every step a passing run makes, held to its documented 200 answer."""
    return [Check.documented(name, method, path, CONTACT_REFUSALS if name == "delete customer" else ())
            for name, (method, path) in STEPS.items()]


def step(name: str) -> Check:
    return next(check for check in plan() if check.name == name)


@dataclass
class Written:
    """A document the path wrote: enough to delete its draft, or to say what stays behind."""

    what: str
    guid: str
    stamp: Any
    """Its latest TimeStamp (Timestamp on vouchers): every change answers a new one."""
    number: Any = None
    booked: bool = False
    settled: bool = False
    """Paid in full (an invoice) or refunded (a credit note)."""


def _money(value: Any) -> Decimal | None:
    return Decimal(str(value)) if isinstance(value, int | float) and not isinstance(value, bool) else None


class MoneyPath:
    """One walk of the money path for a suite; its results go into the suite's."""

    def __init__(self, suite: ContractSuite) -> None:
        self.suite = suite
        self.written: list[Written] = []
        self.day: str | None = None
        """The date the documents are booked on: the invoice's, as the server gives it."""

    def call(self, name: str, body: Any = None, **options: Any) -> Result:
        return self.suite.call(step(name), body=body, **options)

    @property
    def description(self) -> str:
        return f"fake-dinero contract {self.suite.run_id}"

    def walk(self) -> None:
        """Every story; the clean-up runs even when a step fails or errs."""
        customer = self.call("create customer", self.suite.contact_body(" customer")).get("ContactGuid")
        try:
            if customer:
                self.invoice_life(customer)
            self.manual_voucher()
            self.purchase_voucher()
            self.entries()
        finally:
            self.clean_up(customer)

    def _created(self, what: str, result: Result, stamp_key: str) -> Written | None:
        """The document a create answered, when its Guid came back: the next step reads it by that Guid."""
        guid = result.get("Guid")
        if not (result.answered and guid):
            return None
        written = Written(what, guid, result.get(stamp_key))
        self.written.append(written)
        return written

    def _line(self, quantity: float) -> dict[str, Any]:
        return {"Description": self.description, "Quantity": quantity, "Unit": "parts",
                "AccountNumber": SALES_ACCOUNT, "BaseAmountValue": LINE_AMOUNT}

    def _sale(self, customer: str, quantity: float, **fields: Any) -> dict[str, Any]:
        return {"ContactGuid": customer, "Currency": "DKK", "ExternalReference": self.suite.tag,
                "Comment": self.description, "ProductLines": [self._line(quantity)], **fields}

    def _payment(self, stamp: Any, amount: Any, what: str) -> dict[str, Any]:
        return {"Timestamp": stamp, "DepositAccountNumber": BANK_ACCOUNT, "Amount": amount,
                "Description": f"{self.description} {what}", "RemainderIsFee": False,
                "ExternalReference": self.suite.tag}

    def invoice_life(self, customer: str) -> None:
        invoice = self._created("invoice", self.call("create invoice", self._sale(customer, 1)), "TimeStamp")
        if invoice is None:
            return
        draft = self._read("read invoice draft", invoice, "the create")
        draft.expect("Status", "Draft", "for an invoice not yet booked")
        draft.expect("ContactGuid", customer, "(the customer it was created for)")
        _totals(draft, LINE_AMOUNT)
        self.day = draft.get("Date") if isinstance(draft.get("Date"), str) else None
        if not (draft.answered and draft.get("TimeStamp")):
            return
        update = self.call("update invoice", {**self._sale(customer, 2), "Timestamp": draft.get("TimeStamp")},
                           guid=invoice.guid)
        if not self._changed(update, invoice, "TimeStamp", "the update"):
            return
        _totals(self._read("read updated invoice", invoice, "the update"), 2 * LINE_AMOUNT)
        if self._booked(self.call("book invoice", {"Timestamp": invoice.stamp}, guid=invoice.guid), invoice,
                        "TimeStamp", "Number"):
            self.payment(invoice)
            self.credit_note(invoice, customer)

    def payment(self, invoice: Written) -> None:
        """Pay the booked invoice's whole TotalInclVat: it is Paid then."""
        booked = self._read("read booked invoice", invoice, "the booking")
        booked.expect("Status", "Booked", "after the booking")
        booked.expect("Number", invoice.number, "(the Number the booking gave)")
        booked.expect("PaymentStatus", "Booked", "for a booked invoice not yet paid")
        total = booked.get("TotalInclVat")
        if not booked.answered or _money(total) is None:
            return
        paid = self.call("pay invoice", self._payment(invoice.stamp, total, "payment"), guid=invoice.guid)
        if not (paid.answered and paid.get("Guid")):
            return
        invoice.settled = True
        self.call("read paid invoice", guid=invoice.guid).expect(
            "PaymentStatus", "Paid", "after a payment of the whole TotalInclVat")

    def credit_note(self, invoice: Written, customer: str) -> None:
        created = self.call("create credit note", self._sale(customer, 2, CreditNoteFor=invoice.guid))
        note = self._created("credit note", created, "TimeStamp")
        if note is None:
            return
        draft = self._read("read credit note draft", note, "the create")
        draft.expect("CreditNoteFor", invoice.guid, "(the invoice it credits)")
        draft.expect("Status", "Draft", "for a credit note not yet booked")
        booked = self.call("book credit note", {"Timestamp": note.stamp}, guid=note.guid)
        total = booked.get("TotalInclVat")
        # Refunded only what was paid: an unpaid invoice and its credit note net to zero by themselves.
        if self._booked(booked, note, "TimeStamp", "Number") and invoice.settled and _money(total) is not None:
            refund = self.call("refund credit note", self._payment(note.stamp, total, "refund"), guid=note.guid)
            note.settled = refund.answered and bool(refund.get("Guid"))

    def manual_voucher(self) -> None:
        line = {"Description": self.description, "Amount": LINE_AMOUNT, "AccountNumber": BANK_ACCOUNT,
                "BalancingAccountNumber": SALES_ACCOUNT, "BalancingAccountVatCode": "U25"}
        body = {"ExternalReference": self.suite.tag, "Lines": [line], **self._dated("VoucherDate")}
        created = self.call("create manual voucher", body)
        created.expect("Status", "Draft", "for a voucher not yet booked")
        voucher = self._created("manual voucher", created, "Timestamp")
        if voucher is not None:
            self.day = self.day or created.get("VoucherDate")
            self._booked(self.call("book manual voucher", {"Timestamp": voucher.stamp}, guid=voucher.guid), voucher,
                         "Timestamp", "VoucherNumber")

    def purchase_voucher(self) -> None:
        line = {"Description": self.description, "Amount": LINE_AMOUNT * 1.25, "AccountNumber": PURCHASE_ACCOUNT}
        body = {"PurchaseType": "cash", "DepositAccountNumber": BANK_ACCOUNT, "ExternalReference": self.suite.tag,
                "Lines": [line], **self._dated("VoucherDate")}
        created = self.call("create purchase voucher", body)
        created.expect("Status", "Draft", "for a voucher not yet booked")
        voucher = self._created("purchase voucher", created, "Timestamp")
        if voucher is not None:
            self.day = self.day or created.get("VoucherDate")
            # Dinero's status lists say a booked cash purchase is Paid; either way it is no draft now.
            self._booked(self.call("book purchase voucher", {"Timestamp": voucher.stamp}, guid=voucher.guid), voucher,
                         "Timestamp", "VoucherNumber", statuses=("Paid", "Booked"))

    def _dated(self, key: str) -> dict[str, str]:
        return {key: self.day} if self.day else {}

    def _read(self, name: str, written: Written, by: str) -> Result:
        """Read a document back: it must carry the Guid it was asked by and the TimeStamp ``by`` answered."""
        read = self.call(name, guid=written.guid)
        read.expect("Guid", written.guid, "(the Guid it was read by)")
        if written.stamp is not None:
            read.expect("TimeStamp", written.stamp, f"(the TimeStamp {by} answered)")
        return read

    def _changed(self, result: Result, written: Written, stamp_key: str, by: str) -> bool:
        """A change answered the document's Guid and a new TimeStamp, which the next step must send."""
        result.expect("Guid", written.guid, "(the Guid it was changed by)")
        stamp = result.get(stamp_key)
        new = result.expect_that(stamp_key, lambda value: bool(value) and value != written.stamp,
                                 f"a new {stamp_key} after {by} (the old one is stale now)")
        if not (result.answered and new):
            return False
        written.stamp = stamp
        return True

    def _booked(self, result: Result, written: Written, stamp_key: str, number_key: str,
                statuses: tuple[str, ...] = ("Booked",)) -> bool:
        """A booking answered the booked document: numbered, and with a new TimeStamp for the next step.

        An answered booking booked the document even when the answer is wrong: it is kept, never deleted.
        """
        if not result.answered:
            return False
        written.booked = True
        result.expect_that("Status", lambda value: value in statuses, " or ".join(map(repr, statuses)))
        result.expect_that(number_key, lambda value: isinstance(value, int) and value > 0,
                           "a number given by the booking")
        written.number = result.get(number_key)
        return self._changed(result, written, stamp_key, "the booking")

    def _delete_draft(self, written: Written) -> None:
        """Read the draft's current TimeStamp first: the step that failed may have left a stale one."""
        path, where = DRAFTS[written.what], {"guid": written.guid}
        read = self.suite.call(Check.documented(f"read {written.what} draft to delete it", "GET", path), **where)
        stamp = read.get("TimeStamp") or read.get("Timestamp") or written.stamp
        deleting = Check.documented(f"delete {written.what} draft", "DELETE", path)
        if not self.suite.call(deleting, body={"Timestamp": stamp}, **where).passed:
            self.suite.leftovers.append(f"{written.what} draft {written.guid}")

    def entries(self) -> None:
        """The day's entries hold every booked document's, and each document's balance."""
        booked = [written for written in self.written if written.booked]
        if not (self.day and booked):
            return
        query = (("fromDate", self.day), ("toDate", self.day), ("includePrimo", "false"))
        result = self.suite.call(dataclasses.replace(step("entries of the day"), query=query))
        if not (result.answered and isinstance(result.body, list)):
            return
        for written in booked:
            _booked_entries(result, written)

    def clean_up(self, customer: str | None) -> None:
        """Delete every draft, reverse the booked vouchers, then delete the customer; list what stays."""
        kept = []
        for written in reversed(self.written):
            where, name = {"guid": written.guid}, f"{written.what} {written.number} ({written.guid})"
            if not written.booked:
                self._delete_draft(written)
            elif written.what in ("manual voucher", "purchase voucher"):
                reversal = self.call(f"reverse {written.what}", {"Timestamp": written.stamp}, **where)
                kept.append(f"{name}, booked and " + ("deleted, so offset" if reversal.passed else "NOT offset")
                            + ": Dinero never deletes a booked voucher")
            else:
                settled = {"invoice": " and paid", "credit note": " and refunded"}[written.what]
                kept.append(f"{name}, booked{settled if written.settled else ''}: Dinero never deletes a booked "
                            "voucher")
        self.suite.kept.extend(reversed(kept))
        if customer:
            deleted = self.call("delete customer", guid=customer)
            if deleted.passed and deleted.status != 200:
                self.suite.kept.append(f"contact {customer}: Dinero refused to delete it ({deleted.get('message')})")
            elif not deleted.passed:
                self.suite.leftovers.append(f"contact {customer}")


def _totals(result: Result, excl_vat: float) -> None:
    """The document's totals: the lines' amount excl. VAT, and incl. VAT its VAT more."""
    result.expect_that("TotalExclVat", lambda value: _money(value) == Decimal(str(excl_vat)),
                       f"{excl_vat} (its line's quantity times BaseAmountValue)")
    excl, vat = _money(result.get("TotalExclVat")), _money(result.get("TotalVat"))
    if excl is not None and vat is not None:
        result.expect_that("TotalInclVat", lambda value: _money(value) == excl + vat, f"TotalExclVat + TotalVat = "
                           f"{excl + vat}")


def _booked_entries(result: Result, written: Written) -> None:
    """The document's entries are there and balance; a sale's is on the line's account, the amount excl. VAT."""
    mine = [entry for entry in result.body if isinstance(entry, dict) and entry.get("VoucherGuid") == written.guid]
    where = f"$[?(@.VoucherGuid=='{written.guid}')]"
    if not mine:
        result.problems.append(f"{where}: expected the entries of {written.what} {written.number}, booked on this "
                               "day; value: none")
        return
    amounts = [_money(entry.get("Amount")) or Decimal(0) for entry in mine]
    if sum(amounts) != 0:
        result.problems.append(f"{where}.Amount: expected entries that balance (sum 0); value: {sum(amounts)}")
    sign = {"invoice": -1, "credit note": 1}.get(written.what)
    if sign is not None:
        sales = sum(amount for entry, amount in zip(mine, amounts, strict=True)
                    if entry.get("AccountNumber") == SALES_ACCOUNT)
        expected = sign * Decimal(str(2 * LINE_AMOUNT))
        if sales != expected:
            result.problems.append(f"$[?(@.VoucherGuid=='{written.guid}' && @.AccountNumber=="
                                   f"{SALES_ACCOUNT})].Amount: expected {expected} in all (the line excl. VAT); "
                                   f"value: {sales}")
