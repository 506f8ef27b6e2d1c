"""A year of trade, as a small Danish company would have it (the ``year`` scenario).

``book_year`` books invoices (a few in EUR) and their payments, credit notes, rent
and salaries as manual vouchers, a few expenses through the ledger (kassekladde)
and goods bought on credit from a wholesaler. Everything is booked through the
domain layer, so the entries, reports, lists and changes show it as if a client
had made it over the API.

The booking modules are imported where the year uses them: the control plane
imports this module while the resources load, and importing them from here
would load them earlier than the rest of the fake does.
"""

from __future__ import annotations

import calendar
import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta, timezone
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from . import seed_data
from .domain import ledger
from .domain.years import years
from .errors import validation_error
from .formats import money
from .resources.contacts import CONTACTS, ContactCreateModel
from .resources.products import PRODUCTS
from .seeding import add_contacts, add_products, faker_for
from .world import Organization

if TYPE_CHECKING:
    from faker import Faker

    from .domain.documents import DocumentData, PaymentValues

YEAR_CUSTOMERS = 12
"""Danish customers the year sells to."""
YEAR_FOREIGN_CUSTOMERS = 2
"""German customers, invoiced in EUR without Danish VAT (EU services, account 1200)."""
YEAR_PRODUCTS = 8
INVOICES_PER_MONTH = (3, 5)
"""The fewest and most invoices a month: about 48 a year."""
FOREIGN_SHARE = 0.12
"""About one invoice in eight goes to a German customer, in EUR."""

BANK = 55000
SHARE_CAPITAL = 60000
RENT_ACCOUNT = 5000
SALARY_ACCOUNT = 3000
EU_SERVICES_ACCOUNT = 1200
OPENING_CAPITAL = Decimal("200000.00")
MONTHLY_RENT = Decimal("12500.00")
"""Including VAT: I25 takes the VAT out to Købsmoms."""
MONTHLY_SALARIES = Decimal("38000.00")

SUPPLIER_NAME = "Grossisten A/S"
"""The wholesaler the year buys goods from on credit, once a month."""
GOODS_ACCOUNT = 2000
SUPPLIER_DAYS = 14
"""A supplier invoice is due this many days after it is dated, and paid on the day."""
PURCHASE_RANGE_DKK = (4000, 15000)
"""The least and most a monthly purchase of goods costs, incl. VAT."""

LEDGER_EXPENSES = (
    (2, "Annoncer, Facebook", 4000, Decimal("2495.00")),
    (4, "Kontorartikler", 7200, Decimal("1137.50")),
    (6, "Internet og webhotel", 7300, Decimal("1875.00")),
    (8, "Telefoni", 7240, Decimal("749.00")),
    (10, "Revisor, årsregnskab", 7005, Decimal("9375.00")),
    (12, "Bankgebyrer", 7220, Decimal("420.00")),
)
"""The previous year's expenses booked through the ledger: (month, text, account, amount
incl. VAT from the bank), each on the account's own VAT code."""

_MONTHS = (
    "januar", "februar", "marts", "april", "maj", "juni",
    "juli", "august", "september", "oktober", "november", "december",
)
_WORDS = {"Invoice": "faktura", "CreditNote": "kreditnota"}
_GERMAN_CITIES = (("20095", "Hamburg"), ("10115", "Berlin"), ("80331", "München"), ("50667", "Köln"))

YEAR_COUNTS = (
    "contacts", "products", "invoices", "creditNotes", "payments", "manualVouchers", "ledgerItems", "purchases",
    "purchasePayments", "entries",
)
"""What ``book_year`` reports it made, in this order."""


def book_year(organization: Organization) -> dict[str, int]:
    """Book the previous calendar year in full and the current one up to the
    clock's date: customers and products, invoices on dates spread over each
    month (most paid on time, some partly, one with the remainder written off,
    one never; a few credited), rent and salaries every month as manual
    vouchers, the share capital on the first day, a handful of expenses through
    the ledger, and goods bought on credit from a wholesaler every month, paid
    when due (the last one may still be owed). The clock is not moved: dates are
    the vouchers' own.

    The previous year is booked in full so its reports (result, balance,
    saldo) show a whole year and the current year opens with its primo.

    The same world seed and the same state before give the same data and ids;
    the customers come from a Faker stream of their own, so a ``demo`` seed
    before this one gives other names. Returns counts of what was made.
    """
    first = require_year_possible(organization)
    today = _today(organization)
    fake = faker_for(organization, f"year:{len(organization.table(CONTACTS))}")
    entries_before = _entry_count(organization)
    customers = add_contacts(organization, fake, YEAR_CUSTOMERS)
    foreign = [
        organization.table(CONTACTS).insert(organization.world.new_guid(), _german_contact(fake)).key
        for _ in range(YEAR_FOREIGN_CUSTOMERS)
    ]
    products = add_products(organization, fake, YEAR_PRODUCTS, len(organization.table(PRODUCTS)) + 1)
    supplier = organization.table(CONTACTS).insert(organization.world.new_guid(), _supplier()).key
    year = _Year(organization, fake, today, customers, foreign, products, supplier)
    year.plan(first)
    year.run()
    counts = Counter(year.counts)
    counts.update(contacts=len(customers) + len(foreign) + 1, products=len(products))
    counts["entries"] = _entry_count(organization) - entries_before
    return {name: counts[name] for name in YEAR_COUNTS}


def _purchases_random(organization: Organization, day: date) -> random.Random:
    return random.Random(f"{organization.world.seed}:purchases:{day.isoformat()}")


def _today(organization: Organization) -> date:
    return organization.clock.now().astimezone(timezone.utc).date()


def require_year_possible(organization: Organization) -> date:
    """The first day ``book_year`` books (1 January of the previous year), or 400/42
    before anything is written when that day cannot be booked: it must lie in an
    accounting year or begin the one after the last (as a new organization has it)."""
    first = date(_today(organization).year - 1, 1, 1)
    known = years(organization)
    if any(first in year for year in known) or (known and known[-1].ToDate + timedelta(days=1) == first):
        return first
    span = f"{known[0].FromDate} to {known[-1].ToDate}" if known else "none"
    raise validation_error(
        {"scenario": f"The year scenario books from {first}, which is in no accounting year of the "
                     f"organization (they cover {span}); set the clock into the year after one of them."}
    )


def _entry_count(organization: Organization) -> int:
    ledger.settle(organization)
    return len(organization.table(ledger.ENTRIES))


def _supplier() -> ContactCreateModel:
    return ContactCreateModel.model_validate({
        "Name": SUPPLIER_NAME, "CountryKey": "DK", "IsPerson": False, "Street": "Industrivej 12",
        "ZipCode": "2600", "City": "Glostrup", "VatNumber": "DK12345674", "Email": "faktura@grossisten.dk",
    })


def _german_contact(fake: Faker) -> ContactCreateModel:
    zip_code, city = fake.random.choice(_GERMAN_CITIES)
    return ContactCreateModel(
        Name=f"{fake.last_name()} GmbH",
        Street=f"{fake.last_name()}straße {fake.random.randint(1, 120)}",
        ZipCode=zip_code,
        City=city,
        CountryKey="DE",
        Email=fake.email(),
        VatNumber=f"DE{fake.random_number(digits=9, fix_len=True)}",
        PaymentConditionType="Netto",
        PaymentConditionNumberOfDays=30,
        PreferredInvoiceLanguageKey="en",
    )


@dataclass
class _Invoice:
    """One planned invoice and what happens to it after booking."""

    day: date
    contact: str
    foreign: bool
    lines: list[tuple[str, int]]
    """(product key, quantity)."""
    fate: str = "paid"
    """paid, partly, written_off, unpaid, credited (in full, never paid) or returned
    (paid, then one item credited and refunded)."""
    key: str = ""


@dataclass
class _Year:
    """The books of one ``book_year`` call: a plan of dated events, run in date order."""

    organization: Organization
    fake: Faker
    today: date
    customers: list[str]
    foreign: list[str]
    products: list[str]
    supplier: str
    counts: Counter[str] = field(default_factory=Counter)
    _events: list[tuple[date, int, Callable[[], None]]] = field(default_factory=list)
    _order: itertools.count[int] = field(default_factory=itertools.count)

    @property
    def random(self) -> Any:
        return self.fake.random

    def at(self, day: date, action: Callable[[], None]) -> None:
        """Do ``action`` on ``day``, after what is planned earlier or already for that day;
        a day after the clock's date has not come yet and is left out."""
        if day <= self.today:
            heapq.heappush(self._events, (day, next(self._order), action))

    def run(self) -> None:
        while self._events:
            _, _, action = heapq.heappop(self._events)
            action()

    # -- the plan ---------------------------------------------------------------------

    def plan(self, first: date) -> None:
        self.at(first, lambda: self._opening_capital(first))
        invoices: list[_Invoice] = []
        month = first
        while month <= self.today:
            invoices += self._month(month)
            month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
        for month_number, text, account, amount in LEDGER_EXPENSES:
            day = date(first.year, month_number, self.random.randint(5, 25))
            self.at(day, lambda day=day, text=text, account=account, amount=amount: self._expense(
                day, text, account, amount))
        self._choose_fates([invoice for invoice in invoices if invoice.day.year == first.year and not invoice.foreign])
        for invoice in invoices:
            self.at(invoice.day, lambda invoice=invoice: self._book_invoice(invoice))

    def _month(self, first: date) -> list[_Invoice]:
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        name = f"{_MONTHS[first.month - 1]} {first.year}"
        self.at(first, lambda: self._manual(first, f"Husleje {name}", RENT_ACCOUNT, "I25", MONTHLY_RENT))
        self.at(last, lambda: self._manual(last, f"Løn {name}", SALARY_ACCOUNT, "none", MONTHLY_SALARIES))
        count = self.random.randint(*INVOICES_PER_MONTH)
        days = sorted(self.random.randint(1, last.day) for _ in range(count))
        bought = first.replace(day=10)
        self.at(bought, lambda: self._purchase(bought))
        return [self._invoice(first.replace(day=day)) for day in days]

    def _invoice(self, day: date) -> _Invoice:
        foreign = self.random.random() < FOREIGN_SHARE
        contact = self.random.choice(self.foreign if foreign else self.customers)
        count = self.random.choice((1, 1, 2, 2, 3))
        lines = [(product, self.random.randint(1, 8)) for product in self.random.sample(self.products, count)]
        return _Invoice(day, contact, foreign, lines)

    def _choose_fates(self, candidates: list[_Invoice]) -> None:
        """Among the previous year's DKK invoices before December (so what follows them
        falls in the books too): two credited, one returned, three partly paid, one
        with its remainder written off, one never paid. The rest are paid."""
        early = [invoice for invoice in candidates if invoice.day.month < 12]
        fates = ["credited"] * 2 + ["returned"] + ["partly"] * 3 + ["written_off", "unpaid"]
        for invoice, fate in zip(self.random.sample(early, min(len(fates), len(early))), fates, strict=False):
            invoice.fate = fate

    # -- the events -------------------------------------------------------------------

    def _opening_capital(self, day: date) -> None:
        """The owners pay in the share capital: the bank balance the year starts from."""
        self._manual(day, "Indskud af selskabskapital", BANK, "none", OPENING_CAPITAL, balancing=SHARE_CAPITAL)

    def _manual(
        self, day: date, text: str, account: int, vat_code: str, amount: Decimal, balancing: int = BANK
    ) -> None:
        from .domain.manual_vouchers import ManualVoucherLine, book_manual_voucher, create_manual_voucher

        line = ManualVoucherLine(
            Description=text, AccountNumber=account, AccountVatCode=vat_code,
            BalancingAccountNumber=balancing, BalancingAccountVatCode="none", Amount=amount,
        )
        draft = create_manual_voucher(self.organization, day, [line])
        book_manual_voucher(self.organization, draft.key, None)
        self.counts["manualVouchers"] += 1

    def _purchase(self, day: date) -> None:
        """Goods bought on credit from the wholesaler, booked, and paid from the bank on
        the day they are due (if that day has come)."""
        from .domain.documents import PaymentValues
        from .domain.purchase_lines import PurchaseLine
        from .domain.purchases import PurchaseValues, book_purchase_voucher, create_purchase_voucher

        # A stream of its own (by the day), so the invoices' draws stay as they were.
        cost = Decimal(_purchases_random(self.organization, day).randint(*PURCHASE_RANGE_DKK))
        due = day + timedelta(days=SUPPLIER_DAYS)
        line = PurchaseLine(Description=f"Varekøb {_MONTHS[day.month - 1]}", AccountNumber=GOODS_ACCOUNT, Amount=cost)
        values = PurchaseValues("credit", [line], day, due, contact_guid=self.supplier)
        draft = create_purchase_voucher(self.organization, values)
        booked = book_purchase_voucher(self.organization, draft.key, None)
        self.counts["purchases"] += 1
        text = f"Betaling købsbilag {booked.data.VoucherNumber}, {SUPPLIER_NAME}"
        payment = PaymentValues(BANK, cost, text, payment_date=due)
        self.at(due, lambda: self._pay_purchase(booked.key, payment))

    def _pay_purchase(self, key: str, payment: PaymentValues) -> None:
        from .domain.purchase_payments import add_payment

        add_payment(self.organization, key, None, payment)
        self.counts["purchasePayments"] += 1

    def _expense(self, day: date, text: str, account: int, amount: Decimal) -> None:
        """An expense paid from the bank, through the ledger: added, sent to booking and
        polled once, which (as for a client that polls the status) books it at the next
        look, with no wait on the clock."""
        from .domain.ledger_item_models import LEDGER_ITEMS, LedgerItemModelV2
        from .domain.ledger_items import add_items, book_items, item_statuses

        item = LedgerItemModelV2.model_validate({
            "VoucherDate": day.isoformat(),
            "Lines": [{"Description": text, "Amount": str(amount), "AccountNumber": account,
                       "BalancingAccountNumber": BANK}],
        })
        (row,) = add_items(self.organization, [item], api_post=False)
        book_items(self.organization, [(row.key, None)])
        item_statuses(self.organization, [row.key])
        ledger.settle(self.organization)
        booked = self.organization.table(LEDGER_ITEMS).get(row.key)
        if booked is None or booked.data.Status != "Booked":  # pragma: no cover - a bug in the plan
            raise RuntimeError(f"ledger item {row.key} was not booked: {booked and booked.data.BookingError}")
        self.counts["ledgerItems"] += 1

    def _book_invoice(self, invoice: _Invoice) -> None:
        from .domain.sales import book_document, create_document
        from .resources.document_binding import bind_document
        from .resources.document_models import InvoiceCreateModel

        lines = [self._line(product, quantity, invoice.foreign) for product, quantity in invoice.lines]
        body: dict[str, Any] = {"ContactGuid": invoice.contact, "Date": invoice.day.isoformat(), "ProductLines": lines}
        if invoice.foreign:
            body.update(Currency="EUR", Language="en-GB")
        data = bind_document(self.organization, "Invoice", InvoiceCreateModel.model_validate(body))
        invoice.key = create_document(self.organization, data).key
        booked = book_document(self.organization, "Invoice", invoice.key, None)
        self.counts["invoices"] += 1
        self._follow_up(invoice, booked.data)

    def _line(self, product: str, quantity: int, foreign: bool) -> dict[str, Any]:
        line: dict[str, Any] = {"ProductGuid": product, "Quantity": quantity}
        if foreign:
            # The product's price is in DKK; a German customer is invoiced in EUR
            # without Danish VAT (EU services, reverse charge at the buyer's).
            price = self.organization.table(PRODUCTS).require(product, "ProductGuid").data.BaseAmountValue
            rate = Decimal(str(seed_data.load("exchange_rates")["EUR"]))
            line.update(BaseAmountValue=str(money(price * 100 / rate)), AccountNumber=EU_SERVICES_ACCOUNT)
        return line

    def _follow_up(self, invoice: _Invoice, data: DocumentData) -> None:
        """Plan what happens to a booked invoice: its payment, or its credit note."""
        from .domain.documents import amount_owed

        assert data.due is not None
        owed = amount_owed(self.organization, data)
        paid_on = max(invoice.day, data.due + timedelta(days=self.random.randint(-4, 9)))
        fate = invoice.fate
        if fate == "credited":
            credited_on = invoice.day + timedelta(days=self.random.randint(3, 12))
            self.at(credited_on, lambda: self._credit(invoice, credited_on, data.ProductLines, refund=False))
        elif fate == "unpaid":
            return
        elif fate == "partly":
            part = money(owed * Decimal(self.random.randint(30, 70)) / 100).to_integral_value()
            self.at(paid_on, lambda: self._pay("Invoice", invoice.key, paid_on, part, "Delbetaling"))
        elif fate == "written_off":
            short = money(Decimal(self.random.randint(1250, 9500)) / 100)
            self.at(paid_on, lambda: self._pay("Invoice", invoice.key, paid_on, owed - short, "Indbetaling",
                                               remainder_is_fee=True))
        else:
            self.at(paid_on, lambda: self._pay("Invoice", invoice.key, paid_on, owed, "Indbetaling"))
            if fate == "returned":
                returned_on = paid_on + timedelta(days=self.random.randint(5, 15))
                line = data.ProductLines[0].model_copy(update={"Quantity": Decimal(1)})
                self.at(returned_on, lambda: self._credit(invoice, returned_on, [line], refund=True))

    def _credit(self, invoice: _Invoice, day: date, lines: list[Any], *, refund: bool) -> None:
        """A credit note for ``lines`` of the invoice; with ``refund`` the money goes back
        a few days later."""
        from .domain.documents import amount_owed
        from .domain.sales import book_document, create_document
        from .resources.document_binding import bind_document
        from .resources.document_models import SalesCreditNoteCreateModel

        body = {
            "ContactGuid": invoice.contact,
            "Date": day.isoformat(),
            "CreditNoteFor": invoice.key,
            "ProductLines": [
                {"ProductGuid": line.ProductGuid, "Description": line.Description, "Quantity": str(line.Quantity),
                 "BaseAmountValue": str(line.BaseAmountValue), "AccountNumber": line.AccountNumber,
                 "Unit": line.Unit, "Discount": str(line.Discount)}
                for line in lines
            ],
        }
        data = bind_document(self.organization, "CreditNote", SalesCreditNoteCreateModel.model_validate(body))
        key = create_document(self.organization, data).key
        booked = book_document(self.organization, "CreditNote", key, None)
        self.counts["creditNotes"] += 1
        if refund:
            owed = amount_owed(self.organization, booked.data)
            refunded_on = day + timedelta(days=self.random.randint(2, 6))
            self.at(refunded_on, lambda: self._pay("CreditNote", key, refunded_on, owed, "Tilbagebetaling"))

    def _pay(
        self, kind: str, key: str, day: date, amount: Decimal, text: str, *, remainder_is_fee: bool = False
    ) -> None:
        """A payment into (a refund out of) the bank of ``amount`` in the document's currency."""
        from .domain.documents import SALES, PaymentValues
        from .domain.sales import add_payment
        from .pricing import in_dkk

        data: DocumentData = self.organization.table(SALES).require(key, "Guid").data
        foreign = data.Currency != "DKK"
        values = PaymentValues(
            deposit_account=BANK,
            amount=in_dkk(amount, data.ExchangeRate) if foreign else amount,
            amount_in_foreign_currency=amount if foreign else None,
            description=f"{text} {_WORDS[data.Kind]} {data.Number}, {data.ContactName}",
            payment_date=day,
            remainder_is_fee=remainder_is_fee,
        )
        add_payment(self.organization, kind, key, None, values)  # type: ignore[arg-type]
        self.counts["payments"] += 1
