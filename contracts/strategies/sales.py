"""Sales documents (invoices, credit notes, trade offers), their lines, and payments."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Literal

from hypothesis import strategies as st

from fake_dinero import seed_data

from ._common import (
    DEMO_CONTACT_GUID,
    Casing,
    Strategy,
    Years,
    accounting_dates,
    amounts,
    cased,
    common_currencies,
    deposit_accounts,
    guids,
    labelled,
    numbers_of,
    percents,
    quantities,
    references,
    sales_accounts,
    sometimes,
    text,
    weighted,
    without_none,
)
from .contacts import units

Kind = Literal["Invoice", "CreditNote", "TradeOffer"]

_TERMS = ("Netto", "NettoCash", "CurrentMonthOut", "Paid")
"""The payment conditions an invoice takes (``Paid``: paid already, e.g. in a shop)."""


def _line_types(kind: str) -> Strategy[str | None]:
    """``LineType`` as clients send it: mostly left out, sometimes spelled out in any case."""
    return weighted(st.none(), st.none(), st.sampled_from([kind, kind.lower(), kind.upper()]))


def _product_line(accounts: Sequence[int]) -> Strategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {
            "Description": text(1, 60),
            "Quantity": quantities(),
            "Unit": units(),
            "AccountNumber": st.sampled_from(accounts),
            "BaseAmountValue": amounts(0, 100_000),
        },
        optional={"Discount": percents(), "Comments": sometimes(text(0, 60)), "LineType": _line_types("Product")},
    ).map(without_none)


def _catalogue_line(products: Strategy[str | None], accounts: Sequence[int]) -> Strategy[dict[str, Any]]:
    """A line of a product: what the line leaves out (0 or null) the product fills in."""
    return st.fixed_dictionaries(
        {"ProductGuid": products, "Description": text(1, 60)},
        optional={
            "Quantity": quantities(),
            "Unit": units(),
            "AccountNumber": st.sampled_from(accounts),
            "BaseAmountValue": amounts(0, 100_000),
            "Discount": percents(),
        },
    )


def _text_line() -> Strategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"LineType": st.sampled_from(["Text", "text"]), "Description": text(1, 80)},
        optional={"Comments": text(0, 60)},
    )


@labelled
def product_lines(
    accounts: Iterable[int | Mapping[str, Any]] | None = None,
    *,
    product_guids: str | Sequence[str] | Strategy[str] | None = None,
    text_lines: bool = True,
    max_lines: int = 4,
    casing: Casing = "pascal",
) -> Strategy[list[dict[str, Any]]]:
    """The ``ProductLines`` of a sales document: 1 to ``max_lines`` lines, at least one
    priced. A priced line has a description, a quantity, one of Dinero's units, an
    account from ``accounts`` (numbers or chart rows; default ``sales_accounts()``; the
    line's VAT is the account's VAT code, as Dinero prices it) and a price excl. VAT,
    sometimes a discount in percent. With ``text_lines`` some lines are text only
    (``LineType: Text``). ``product_guids`` (existing products) adds lines that name a
    product and leave some values for Dinero to fill in from it.
    """
    chosen = sales_accounts() if accounts is None else numbers_of(accounts, "product_lines")
    priced = _product_line(chosen)
    if product_guids is not None:
        priced = weighted(priced, priced, _catalogue_line(guids(product_guids), chosen))
    other = weighted(priced, priced, _text_line()) if text_lines else priced
    lines = st.tuples(priced, st.lists(other, max_size=max(0, max_lines - 1)), st.integers(0, max_lines)).map(
        lambda drawn: _insert(drawn[1], drawn[2], drawn[0])
    )
    return cased(lines, casing)


def _insert(lines: list[dict[str, Any]], at: int, line: dict[str, Any]) -> list[dict[str, Any]]:
    return [*lines[:at], line, *lines[at:]]


def _languages() -> Strategy[str]:
    return weighted(st.just("da-DK"), st.just("en-GB"), st.sampled_from(["da-dk", "en-gb", "EN-GB"]))


def _addresses() -> Strategy[str]:
    return st.tuples(text(1, 40), text(1, 10), text(1, 30)).map(lambda parts: f"{parts[0]}\n{parts[1]} {parts[2]}")


def _document_bodies(
    kind: Kind,
    *,
    contact_guid: Any,
    accounts: Iterable[int | Mapping[str, Any]] | None,
    product_guids: Any,
    years: Years | None,
    casing: Casing | None,
    with_guid: bool,
    timestamp: str | None,
    credit_note_for: str | None = None,
) -> Strategy[dict[str, Any]]:
    lines = product_lines(accounts, product_guids=product_guids)
    fixed: dict[str, Strategy[Any]] = {"ProductLines": lines}
    contacts = guids(contact_guid)
    if kind == "TradeOffer":
        if contact_guid is None:
            raise ValueError("a trade offer needs a contact_guid")
        fixed["ContactGuid"] = contacts
    elif contact_guid is not None:
        fixed["ContactGuid"] = contacts
    if timestamp is not None:
        fixed["Timestamp"] = st.just(timestamp)
    elif with_guid:
        fixed["Guid"] = st.uuids(version=4).map(str)
    if credit_note_for is not None:
        fixed["CreditNoteFor"] = st.just(str(credit_note_for))
    optional: dict[str, Strategy[Any]] = {
        "ShowLinesInclVat": st.booleans(),
        "Currency": sometimes(common_currencies()),
        "Language": sometimes(_languages()),
        "ExternalReference": sometimes(references()),
        "Description": sometimes(text(1, 60)),
        "Comment": sometimes(text(0, 120)),
        "Date": sometimes(accounting_dates(years)),
        "Address": sometimes(_addresses()),
    }
    if kind == "Invoice":
        optional.update(
            PaymentConditionType=sometimes(st.sampled_from(_TERMS)),
            PaymentConditionNumberOfDays=sometimes(st.integers(0, 60)),
            ReminderFee=sometimes(percents()),
            ReminderInterestRate=sometimes(percents()),
            # Dinero enables these only where MobilePay or PensoPay is set up (the fake
            # shows CanEnable... false), so a body that is surely accepted leaves them off.
            IsMobilePayInvoiceEnabled=st.just(False),
            IsPensoPayEnabled=st.just(False),
        )
    return cased(st.fixed_dictionaries(fixed, optional=optional), casing)


@labelled
def invoice_bodies(
    *,
    contact_guid: str | Sequence[str] | Strategy[str] | None = DEMO_CONTACT_GUID,
    accounts: Iterable[int | Mapping[str, Any]] | None = None,
    product_guids: str | Sequence[str] | Strategy[str] | None = None,
    years: Years | None = None,
    casing: Casing | None = "pascal",
    with_guid: bool = False,
    timestamp: str | None = None,
) -> Strategy[dict[str, Any]]:
    """Bodies for ``POST /v1/{org}/invoices`` (a draft) that Dinero accepts, and books.

    ``contact_guid`` must name a contact of the organization: by default
    ``DEMO_CONTACT_GUID``, which ``add_demo_contact(dinero)`` creates, so in a test::

        @given(body=invoice_bodies())
        def test_my_client_sends_any_invoice(fresh_dinero, body):
            with fresh_dinero() as dinero:
                add_demo_contact(dinero)
                ...

    Pass your own GUID (or several, or a strategy of them) for contacts your test
    makes with a fixed ``ContactGuid``, or ``None`` for drafts without a contact
    (Dinero accepts them; booking one needs a contact).

    Lines come from ``product_lines(accounts, product_guids=...)``. ``Date``, when
    sent, is within ``years`` (default ``demo_years()``, those of a fresh demo
    organization on the wall clock; pass the fake's years when it starts at
    another ``clock_start``). ``Currency`` is one Dinero knows, mostly DKK;
    payment terms are Dinero's. ``casing`` spells every property name (``None``:
    any casing, drawn per body). ``with_guid`` sends a client-chosen ``Guid``
    (a random one: two drawn bodies may share it, which Dinero refuses the second
    time). ``timestamp`` makes it a body for ``PUT /v1.2/{org}/invoices/{guid}``:
    the draft's current ``TimeStamp``, known once the draft exists, so draw it
    inside the test (``data.draw(invoice_bodies(timestamp=...))``).
    """
    return _document_bodies(
        "Invoice", contact_guid=contact_guid, accounts=accounts, product_guids=product_guids, years=years,
        casing=casing, with_guid=with_guid, timestamp=timestamp,
    )


@labelled
def credit_note_bodies(
    *,
    contact_guid: str | Sequence[str] | Strategy[str] | None = DEMO_CONTACT_GUID,
    credit_note_for: str | None = None,
    accounts: Iterable[int | Mapping[str, Any]] | None = None,
    product_guids: str | Sequence[str] | Strategy[str] | None = None,
    years: Years | None = None,
    casing: Casing | None = "pascal",
    with_guid: bool = False,
    timestamp: str | None = None,
) -> Strategy[dict[str, Any]]:
    """Bodies for ``POST /v1/{org}/sales/creditnotes`` (a draft) that Dinero accepts.

    As ``invoice_bodies`` (no payment terms). ``credit_note_for`` is the Guid of a
    booked invoice the credit note is for; left out, the credit note stands alone.
    ``timestamp`` makes it a body for ``PUT /v1.2/{org}/sales/creditnotes/{guid}``.
    """
    return _document_bodies(
        "CreditNote", contact_guid=contact_guid, accounts=accounts, product_guids=product_guids, years=years,
        casing=casing, with_guid=with_guid, timestamp=timestamp, credit_note_for=credit_note_for,
    )


@labelled
def trade_offer_bodies(
    *,
    contact_guid: str | Sequence[str] | Strategy[str] = DEMO_CONTACT_GUID,
    accounts: Iterable[int | Mapping[str, Any]] | None = None,
    product_guids: str | Sequence[str] | Strategy[str] | None = None,
    years: Years | None = None,
    casing: Casing | None = "pascal",
    with_guid: bool = False,
    timestamp: str | None = None,
) -> Strategy[dict[str, Any]]:
    """Bodies for ``POST /v1/{org}/tradeoffers`` that Dinero accepts: as
    ``credit_note_bodies``, with the contact required. ``timestamp`` makes it a body
    for ``PUT /v1.2/{org}/tradeoffers/{guid}``."""
    return _document_bodies(
        "TradeOffer", contact_guid=contact_guid, accounts=accounts, product_guids=product_guids, years=years,
        casing=casing, with_guid=with_guid, timestamp=timestamp,
    )


# -- payments ---------------------------------------------------------------------


def _rates() -> dict[str, Decimal]:
    return {key: Decimal(str(value)) for key, value in seed_data.load("exchange_rates").items() if key[0] != "_"}


def _timestamp_of(document: Mapping[str, Any], what: str) -> str:
    stamp = document.get("TimeStamp") or document.get("Timestamp")
    if not stamp:
        raise ValueError(f"{what} needs the document as Dinero answers it (GET), with its TimeStamp")
    return str(stamp)


def settled_amounts(total: float | None, rate: Decimal) -> Strategy[tuple[float, float]]:
    """(``Amount`` in DKK, the amount in the document's currency): the whole total,
    part of it, or more (an overpayment), never 0. ``rate``: DKK per 100 units."""
    if total is not None and total > 0:
        whole = Decimal(str(total))
        foreign = weighted(
            st.just(whole), st.just(whole), amounts(Decimal("0.01"), whole), amounts(whole, whole * 2)
        )
    else:
        foreign = amounts(Decimal("0.01"), 10_000).map(lambda value: Decimal(str(value)))
    return foreign.map(lambda value: (float(max(Decimal("0.01"), round(Decimal(str(value)) * rate / 100, 2))),
                                      float(value)))


def _payment_bodies(
    timestamp: str,
    currency: str,
    total: float | None,
    deposits: Iterable[int] | None,
    years: Years | None,
    casing: Casing | None,
) -> Strategy[dict[str, Any]]:
    rates = _rates()
    rate = rates.get(currency.upper(), Decimal(100))
    accounts = deposit_accounts() if deposits is None else numbers_of(deposits, "payments")

    foreign_currency = currency.upper() != "DKK"

    def body(drawn: tuple[tuple[float, float], int, str, dict[str, Any]]) -> dict[str, Any]:
        (dkk, foreign), deposit, description, optional = drawn
        paid: dict[str, Any] = {
            "Timestamp": timestamp, "DepositAccountNumber": deposit, "Amount": dkk, "Description": description,
        }
        if foreign_currency:
            paid["AmountInForeignCurrency"] = foreign
        return {**paid, **optional}

    optional = st.fixed_dictionaries({}, optional={
        "PaymentDate": sometimes(accounting_dates(years)),
        "ExternalReference": sometimes(references()),
        "RemainderIsFee": st.booleans(),
    })
    drawn = st.tuples(settled_amounts(total, rate), st.sampled_from(accounts), text(1, 60), optional)
    return cased(drawn.map(body), casing)


@labelled
def payment_bodies(
    document: Mapping[str, Any],
    *,
    deposits: Iterable[int] | None = None,
    years: Years | None = None,
    casing: Casing | None = "pascal",
) -> Strategy[dict[str, Any]]:
    """Bodies for paying a booked invoice (``POST /v1/{org}/invoices/{guid}/payments``)
    or refunding a booked credit note (``.../sales/creditnotes/{guid}/payments``).

    ``document`` is the invoice or credit note as Dinero answers it (``GET``, or the
    answer of ``book``): its ``TimeStamp`` goes in the body (Dinero wants the current
    one), its ``Currency`` decides whether ``AmountInForeignCurrency`` is sent, and
    its ``TotalInclVat`` how much is paid: all of it, part of it or more. A document
    exists only inside a test, so draw the body there::

        @given(data=st.data())
        def test_pays(fresh_dinero, data):
            ...
            body = data.draw(payment_bodies(invoice))

    ``Amount`` is in DKK (at the fake's fixed rate for another currency), never 0;
    ``DepositAccountNumber`` one of ``deposits`` (default: the demo
    organization's); ``PaymentDate``, when sent, within ``years``.
    """
    currency = str(document.get("Currency") or "DKK")
    total = document.get("TotalInclVat")
    return _payment_bodies(
        _timestamp_of(document, "payment_bodies"), currency, total, deposits, years, casing
    )
