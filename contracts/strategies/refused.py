"""Bodies Dinero refuses, each with the status and error code it answers.

Each strategy draws a body its positive twin would draw and breaks one thing
in it (a missing or mistyped property, an account outside the chart, lines
that do not balance, a date in no accounting year...), so the refusal has
exactly one cause and one answer. Some flaws pass the draft and are refused
when it is booked (Dinero keeps drafts loose): ``Refused.stage`` says which.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from hypothesis import strategies as st

from fake_dinero import seed_data

from ._common import (
    DEMO_CONTACT_GUID,
    Casing,
    Strategy,
    Years,
    _spans,
    account_vat_codes,
    amounts,
    balance_accounts,
    cased,
    currencies,
    labelled,
    sales_accounts,
    text,
    vat_codes,
)
from .books import ledger_item_bodies, manual_voucher_bodies
from .contacts import contact_bodies, product_bodies
from .purchases import purchase_voucher_bodies
from .sales import invoice_bodies, payment_bodies

Stage = Literal["create", "book"]

VALIDATION, NO_LINES, NO_YEAR, TIMESTAMP, UNKNOWN_ACCOUNT, UNKNOWN_BALANCING = 42, 45, 47, 58, 77, 86
SAME_DATE, SAME_FILE, SAME_ID, SAME_VERSION = 75, 76, 78, 87


@dataclass(frozen=True)
class Refused:
    """A body Dinero refuses, and how: ``status`` and the ``code`` of its error body.

    ``stage`` ``"create"``: the POST of the body is refused. ``"book"``: the draft
    is made (200) and booking it is refused, as Dinero checks only then (for
    payments the POST is the only stage). ``why`` says what is wrong, for messages;
    ``flaw`` names the kind of flaw (the names ``REFUSALS`` lists, which the
    strategies' ``only=`` takes).
    """

    body: Any
    status: int
    code: int
    why: str
    stage: Stage = "create"
    flaw: str = ""


Change = Callable[[Any], Strategy[Any]]
"""A valid PascalCase body -> bodies with one flaw."""


@dataclass(frozen=True)
class _Flaw:
    name: str
    why: str
    code: int
    change: Change
    stage: Stage = "create"
    status: int = 400


def _chosen(flaws: Sequence[_Flaw], only: Iterable[str] | None, what: str) -> list[_Flaw]:
    """The flaws ``only`` names (all when ``None``); an unknown name is a ValueError naming the known."""
    if only is None:
        return list(flaws)
    wanted = {only} if isinstance(only, str) else set(only)
    unknown = wanted - {flaw.name for flaw in flaws}
    if unknown:
        raise ValueError(f"{what} has no flaw {', '.join(sorted(unknown))}; it has {', '.join(REFUSALS[what])}")
    return [flaw for flaw in flaws if flaw.name in wanted]


def _refusals(valid: Strategy[Any], flaws: Sequence[_Flaw], casing: Casing | None) -> Strategy[Refused]:
    def broken(pair: tuple[Any, _Flaw]) -> Strategy[Refused]:
        body, flaw = pair
        return cased(flaw.change(body), casing).map(
            lambda bad: Refused(bad, flaw.status, flaw.code, flaw.why, flaw.stage, flaw.name)
        )

    if not flaws:
        raise ValueError("no flaw to draw")
    return st.tuples(valid, st.sampled_from(list(flaws))).flatmap(broken)


# -- changes -------------------------------------------------------------------


def _set(name: str, values: Strategy[Any]) -> Change:
    return lambda body: values.map(lambda value: {**body, name: value})


def _update(**values: Strategy[Any]) -> Change:
    return lambda body: st.fixed_dictionaries(values).map(lambda chosen: {**body, **chosen})


def _drop(*names: str) -> Change:
    return lambda body: st.just({key: value for key, value in body.items() if key not in names})


def _instead(values: Strategy[Any]) -> Change:
    return lambda body: values


def _on_line(
    name: str, values: Strategy[Any], key: str = "Lines", where: Callable[[dict[str, Any]], bool] = lambda _: True
) -> Change:
    """Set ``name`` (``None``: remove it) on one line of ``body[key]`` that ``where`` picks."""

    def change(body: dict[str, Any]) -> Strategy[dict[str, Any]]:
        lines = body[key]
        indexes = [index for index, line in enumerate(lines) if where(line)]

        def edit(pair: tuple[int, Any]) -> dict[str, Any]:
            index, value = pair
            line = {k: v for k, v in lines[index].items() if k != name}
            if value is not None:
                line[name] = value
            return {**body, key: [*lines[:index], line, *lines[index + 1:]]}

        return st.tuples(st.sampled_from(indexes), values).map(edit)

    return change


def _add_line(line: Strategy[dict[str, Any]], key: str = "Lines") -> Change:
    return lambda body: line.map(lambda extra: {**body, key: [*body[key], extra]})


def _priced(line: dict[str, Any]) -> bool:
    return str(line.get("LineType") or "product").lower() != "text"


def _has(name: str) -> Callable[[dict[str, Any]], bool]:
    return lambda line: line.get(name) is not None


# -- values --------------------------------------------------------------------

NOT_NUMBERS = st.sampled_from(["many", "ten", "1,5", "12 kr", "n/a", True, False, [1], {"value": 1}])
NOT_INTEGERS = st.sampled_from(["eight", "8.5", 8.5, "1e3", True, [8]])
NOT_GUIDS = st.sampled_from(["123", "not-a-guid", "1234-5678", "{guid}", "00000000-0000-0000-0000-00000000000g", 42])
NOT_BOOLS = st.sampled_from(["yes", "maybe", "ja", [], {"value": True}])
NOT_DATES = st.sampled_from(["31-12-2026", "2026-13-01", "2026-02-30", "01/03/2026", "i morgen", "next friday"])
NOT_OBJECTS = st.sampled_from([[], "body", 42, True])
TOO_LONG = text(129, 140).filter(lambda value: len(value) > 128)
NOT_VAT_CODES = st.sampled_from(["U99", "MOMS", "25%", "I26", "X"]).filter(lambda code: code.upper() not in
                                                                           {c.upper() for c in vat_codes()})
STALE = st.text("0123456789ABCDEF", min_size=16, max_size=16)


def _unknown_accounts() -> Strategy[int]:
    known = set(account_vat_codes())
    return st.integers(1, 99_999).filter(lambda number: number not in known)


def _unknown_guids(*taken: str) -> Strategy[str]:
    return st.uuids(version=4).map(str).filter(lambda guid: guid not in taken)


def _not_deposit_accounts() -> Strategy[int]:
    deposits = {row["AccountNumber"] for row in seed_data.load("deposit_accounts")}
    return st.one_of(st.sampled_from(sales_accounts()), st.integers(1, 99_999)).filter(
        lambda number: number not in deposits
    )


def _unknown_currencies() -> Strategy[str]:
    known = set(currencies())
    return st.sampled_from(["XYZ", "DKR", "KR", "EURO", "€", "Danish kroner"]).filter(
        lambda key: key.upper() not in known
    )


def _outside_years(years: Years | None) -> Strategy[str]:
    """Dates in no accounting year and not in the year right after the last (which
    booking would create): years before the first, or two and more after the last."""
    spans = _spans(years)
    first, last = min(span[0] for span in spans), max(span[1] for span in spans)
    before = st.dates(date(first.year - 10, 1, 1), date(first.year - 1, 12, 31)).filter(lambda day: day < first)
    after = st.dates(date(last.year + 2, 1, 1), date(last.year + 6, 12, 31))
    return st.one_of(before, after).map(date.isoformat)


# -- contacts and products -------------------------------------------------------


def _contact_flaws() -> list[_Flaw]:
    return [
        _Flaw("no_name", "Name is required", VALIDATION, _drop("Name")),
        _Flaw("empty_name", "Name may not be empty", VALIDATION, _set("Name", st.just(""))),
        _Flaw("no_country", "CountryKey is required", VALIDATION, _drop("CountryKey")),
        _Flaw("unknown_country", "CountryKey is not a country", VALIDATION,
              _set("CountryKey", st.sampled_from(["XX", "Danmark", "DNK", "Q1", "ZZ"]))),
        _Flaw("unknown_payment_condition", "PaymentConditionType is not one of Dinero's", VALIDATION,
              _set("PaymentConditionType", st.sampled_from(["Kontant", "Net", "30days", "Cash"]))),
        _Flaw("unknown_language", "PreferredInvoiceLanguageKey is not an invoice language", VALIDATION,
              _set("PreferredInvoiceLanguageKey", st.sampled_from(["fr", "da-DK", "english", "es"]))),
        _Flaw("not_a_bool", "IsPerson is not a boolean", VALIDATION, _set("IsPerson", NOT_BOOLS)),
        _Flaw("not_an_integer", "PaymentConditionNumberOfDays is not a whole number", VALIDATION,
              _set("PaymentConditionNumberOfDays", NOT_INTEGERS)),
        _Flaw("not_a_guid", "ContactGuid is not a GUID", VALIDATION, _set("ContactGuid", NOT_GUIDS)),
        _Flaw("too_long", "ExternalReference is over 128 characters", VALIDATION, _set("ExternalReference", TOO_LONG)),
        _Flaw("not_an_object", "the body is not a JSON object", VALIDATION, _instead(NOT_OBJECTS)),
    ]


@labelled
def refused_contact_bodies(*, only: Iterable[str] | None = None, casing: Casing | None = "pascal") -> Strategy[Refused]:
    """Bodies for ``POST /v1/{org}/contacts`` Dinero refuses with 400 and code 42: no
    ``Name`` or ``CountryKey`` (or an empty one), an unknown country, payment
    condition or invoice language, a property of the wrong type, an
    ``ExternalReference`` over 128 characters, a body that is not an object.
    ``only`` draws only the flaws it names (``REFUSALS["refused_contact_bodies"]``)."""
    flaws = _chosen(_contact_flaws(), only, "refused_contact_bodies")
    return _refusals(contact_bodies(with_guid=False), flaws, casing)


def _product_flaws() -> list[_Flaw]:
    return [
        _Flaw("no_unit", "Unit is required", VALIDATION, _drop("Unit")),
        _Flaw("unknown_unit", "Unit is not one of Dinero's units", VALIDATION,
              _set("Unit", st.sampled_from(["stk", "pcs", "timer", "hour", "kg"]))),
        _Flaw("unknown_account", "AccountNumber is not in the chart of accounts", VALIDATION,
              _set("AccountNumber", _unknown_accounts())),
        _Flaw("no_account", "AccountNumber left out binds 0, no account", VALIDATION, _drop("AccountNumber")),
        _Flaw("not_a_number", "BaseAmountValue is not a number", VALIDATION, _set("BaseAmountValue", NOT_NUMBERS)),
        _Flaw("too_large", "BaseAmountValue is beyond a trillion", VALIDATION,
              _set("BaseAmountValue", st.sampled_from([1e13, -5e12, 1e15]))),
        _Flaw("not_an_object", "the body is not a JSON object", VALIDATION, _instead(NOT_OBJECTS)),
    ]


@labelled
def refused_product_bodies(*, only: Iterable[str] | None = None, casing: Casing | None = "pascal") -> Strategy[Refused]:
    """Bodies for ``POST /v1/{org}/products`` Dinero refuses with 400 and code 42: no or
    an unknown ``Unit``, an ``AccountNumber`` outside the chart (or none, which binds
    0), a price that is no number or beyond a trillion. ``only``: see ``REFUSALS``."""
    return _refusals(product_bodies(), _chosen(_product_flaws(), only, "refused_product_bodies"), casing)


# -- sales -------------------------------------------------------------------------


def _invoice_flaws(contact_guid: str, years: Years | None) -> list[_Flaw]:
    priced = _priced
    return [
        _Flaw("unknown_account", "a line's AccountNumber is not in the chart of accounts", VALIDATION,
              _on_line("AccountNumber", _unknown_accounts(), "ProductLines", priced)),
        _Flaw("unknown_unit", "a line's Unit is not one of Dinero's units", VALIDATION,
              _on_line("Unit", st.sampled_from(["stk", "pcs", "timer", "styk"]), "ProductLines", priced)),
        _Flaw("no_description", "a product line needs a Description", VALIDATION,
              _on_line("Description", st.none(), "ProductLines", priced)),
        _Flaw("discount_out_of_range", "a line's Discount is a percentage from 0 to 100", VALIDATION,
              _on_line("Discount", st.one_of(amounts(100.01, 1000), amounts(0.01, 100).map(lambda x: -x)),
                       "ProductLines", priced)),
        _Flaw("not_a_number", "a line's Quantity is not a number", VALIDATION,
              _on_line("Quantity", NOT_NUMBERS, "ProductLines", priced)),
        _Flaw("unknown_line_type", "a line's LineType is not Product or Text", VALIDATION,
              _on_line("LineType", st.sampled_from(["Discount", "Service", "Note"]), "ProductLines", priced)),
        _Flaw("no_lines", "ProductLines is required", VALIDATION, _drop("ProductLines")),
        _Flaw("lines_not_a_list", "ProductLines is not a list", VALIDATION,
              _set("ProductLines", st.sampled_from(["lines", 1, {}]))),
        _Flaw("empty_lines", "an invoice needs at least one line", NO_LINES, _set("ProductLines", st.just([]))),
        _Flaw("unknown_currency", "Currency is not one Dinero knows", VALIDATION,
              _set("Currency", _unknown_currencies())),
        _Flaw("unknown_language", "Language is not da-DK or en-GB", VALIDATION,
              _set("Language", st.sampled_from(["de-DE", "da", "english", "sv-SE"]))),
        _Flaw("unknown_payment_condition", "PaymentConditionType is not one of Dinero's", VALIDATION,
              _set("PaymentConditionType", st.sampled_from(["Kontant", "Net", "30days"]))),
        _Flaw("negative_days", "PaymentConditionNumberOfDays is negative", VALIDATION,
              _update(PaymentConditionType=st.just("Netto"), PaymentConditionNumberOfDays=st.integers(-60, -1))),
        _Flaw("reminder_fee_out_of_range", "ReminderFee is a percentage up to 100", VALIDATION,
              _set("ReminderFee", amounts(100.01, 10_000))),
        _Flaw("unknown_contact", "ContactGuid names no contact", VALIDATION,
              _set("ContactGuid", _unknown_guids(contact_guid))),
        _Flaw("not_a_guid", "ContactGuid is not a GUID", VALIDATION, _set("ContactGuid", NOT_GUIDS)),
        _Flaw("not_a_date", "Date is not a date", VALIDATION, _set("Date", NOT_DATES)),
        _Flaw("too_long", "ExternalReference is over 128 characters", VALIDATION, _set("ExternalReference", TOO_LONG)),
        _Flaw("not_an_object", "the body is not a JSON object", VALIDATION, _instead(NOT_OBJECTS)),
        _Flaw("book_without_contact", "a document needs a contact to be booked", VALIDATION,
              _drop("ContactGuid"), "book"),
        _Flaw("book_outside_years", "the Date is in no accounting year", NO_YEAR,
              _set("Date", _outside_years(years)), "book"),
    ]


@labelled
def refused_invoice_bodies(
    *,
    contact_guid: str = DEMO_CONTACT_GUID,
    years: Years | None = None,
    only: Iterable[str] | None = None,
    casing: Casing | None = "pascal",
) -> Strategy[Refused]:
    """Bodies for ``POST /v1/{org}/invoices`` Dinero refuses: on create with 400/42 (a
    line on an account outside the chart, an unknown unit, a product line without a
    description, a discount outside 0-100, a mistyped quantity, an unknown line type,
    currency, language, payment condition or contact, a malformed date or GUID, no
    ``ProductLines``), 400/45 for an empty ``ProductLines``; when the draft is booked
    with 400/42 (no contact) or 400/47 (a date in no accounting year, see ``years``).
    ``contact_guid`` is an existing contact (default ``DEMO_CONTACT_GUID``). ``only``
    draws only the flaws it names (``REFUSALS["refused_invoice_bodies"]``)."""
    flaws = _chosen(_invoice_flaws(contact_guid, years), only, "refused_invoice_bodies")
    return _refusals(invoice_bodies(contact_guid=contact_guid, years=years), flaws, casing)


def _payment_flaws(current: str, foreign: bool, years: Years | None) -> list[_Flaw]:
    flaws = [
        _Flaw("stale_timestamp", "the Timestamp is not the document's current one", TIMESTAMP,
              _set("Timestamp", STALE.filter(lambda stamp: stamp != current))),
        _Flaw("no_timestamp", "Timestamp is required", VALIDATION, _drop("Timestamp")),
        _Flaw("zero_amount", "Amount may not be 0", VALIDATION, _set("Amount", st.sampled_from([0, 0.0, "0"]))),
        _Flaw("not_a_number", "Amount is not a number", VALIDATION, _set("Amount", NOT_NUMBERS)),
        _Flaw("not_a_deposit_account", "DepositAccountNumber is not a deposit account", VALIDATION,
              _set("DepositAccountNumber", _not_deposit_accounts())),
        _Flaw("no_description", "Description is required", VALIDATION, _drop("Description")),
        _Flaw("empty_description", "Description may not be empty", VALIDATION, _set("Description", st.just(""))),
        _Flaw("not_a_date", "PaymentDate is not a date", VALIDATION, _set("PaymentDate", NOT_DATES)),
        _Flaw("outside_years", "the PaymentDate is in no accounting year", NO_YEAR,
              _set("PaymentDate", _outside_years(years))),
    ]
    if foreign:
        flaws.append(_Flaw("no_foreign_amount",
                           "a payment of a document in another currency needs AmountInForeignCurrency",
                           VALIDATION, _drop("AmountInForeignCurrency")))
    return flaws


@labelled
def refused_payment_bodies(
    document: Mapping[str, Any],
    *,
    years: Years | None = None,
    only: Iterable[str] | None = None,
    casing: Casing | None = "pascal",
) -> Strategy[Refused]:
    """Bodies for paying the booked invoice (or refunding the booked credit note)
    ``document`` (as Dinero answers it) that Dinero refuses: 400/58 for a Timestamp
    that is not the current one; 400/47 for a PaymentDate in no accounting year;
    400/42 for an Amount of 0 or no number, a DepositAccountNumber that is no deposit
    account, no Description, no Timestamp, a malformed PaymentDate, and (for a
    document in another currency) no AmountInForeignCurrency. ``only``: see ``REFUSALS``."""
    current = str(document.get("TimeStamp") or document.get("Timestamp") or "").upper()
    foreign = str(document.get("Currency") or "DKK").upper() != "DKK"
    flaws = _chosen(_payment_flaws(current, foreign, years), only, "refused_payment_bodies")
    return _refusals(payment_bodies(document, years=years), flaws, casing)


# -- the books -------------------------------------------------------------------


def _one_sided(accounts: list[int]) -> Strategy[dict[str, Any]]:
    return st.fixed_dictionaries(
        {"AccountNumber": st.sampled_from(accounts), "Amount": amounts(0.01, 10_000)}
    )


def _manual_voucher_flaws(years: Years | None) -> list[_Flaw]:
    return [
        _Flaw("unknown_account", "a line's AccountNumber is not in the chart of accounts", UNKNOWN_ACCOUNT,
              _on_line("AccountNumber", _unknown_accounts())),
        _Flaw("unknown_balancing_account", "a line's BalancingAccountNumber is not in the chart of accounts",
              UNKNOWN_ACCOUNT, _on_line("BalancingAccountNumber", _unknown_accounts())),
        _Flaw("unknown_vat_code", "a line's AccountVatCode is not a VAT code", VALIDATION,
              _on_line("AccountVatCode", NOT_VAT_CODES, where=_has("AccountNumber"))),
        _Flaw("not_a_number", "a line's Amount is not a number", VALIDATION, _on_line("Amount", NOT_NUMBERS)),
        _Flaw("no_amount", "a line's Amount is required", VALIDATION, _on_line("Amount", st.none())),
        _Flaw("not_a_date", "VoucherDate is not a date", VALIDATION, _set("VoucherDate", NOT_DATES)),
        _Flaw("unbalanced", "the lines do not balance", VALIDATION,
              _add_line(_one_sided(balance_accounts())), "book"),
        _Flaw("no_lines", "a voucher needs lines to be booked", VALIDATION,
              _instead(st.sampled_from([{"Lines": []}, {}, {"Lines": None}])), "book"),
        _Flaw("line_without_account", "a line needs an account on one side at least", VALIDATION,
              _add_line(st.fixed_dictionaries({"Amount": amounts(0.01, 1000)})), "book"),
        _Flaw("book_outside_years", "the VoucherDate is in no accounting year", NO_YEAR,
              _set("VoucherDate", _outside_years(years)), "book"),
    ]


@labelled
def refused_manual_voucher_bodies(
    *, years: Years | None = None, only: Iterable[str] | None = None, casing: Casing | None = "pascal"
) -> Strategy[Refused]:
    """Bodies for ``POST /v1/{org}/vouchers/manuel`` Dinero refuses: on create with
    400/77 (an account outside the chart) or 400/42 (an unknown VAT code, an Amount
    that is no number or missing, a malformed date); when the draft is booked with
    400/42 (lines that do not balance, no lines, a line with no account) or 400/47
    (a date in no accounting year, see ``years``). ``only``: see ``REFUSALS``."""
    flaws = _chosen(_manual_voucher_flaws(years), only, "refused_manual_voucher_bodies")
    return _refusals(manual_voucher_bodies(years=years), flaws, casing)


def _item_change(change: Change) -> Change:
    """A change of the first item of a ledger-item body."""
    return lambda items: change(items[0]).map(lambda item: [item, *items[1:]])


def _numbered_pair(**second: Strategy[Any]) -> Change:
    """The first item twice, sharing a VoucherNumber, the second with what ``second`` sets."""

    def change(items: list[dict[str, Any]]) -> Strategy[list[dict[str, Any]]]:
        first = items[0]
        return st.tuples(st.integers(1, 1_000_000), st.fixed_dictionaries(second)).map(
            lambda drawn: [
                {**first, "VoucherNumber": drawn[0]},
                {**first, **drawn[1], "VoucherNumber": drawn[0]},
                *items[1:],
            ]
        )

    return change


def _ledger_item_flaws() -> list[_Flaw]:
    return [
        _Flaw("unknown_account", "a line's AccountNumber is not in the chart of accounts", UNKNOWN_ACCOUNT,
              _item_change(_on_line("AccountNumber", _unknown_accounts()))),
        _Flaw("unknown_balancing_account", "a line's BalancingAccountNumber is not in the chart of accounts",
              UNKNOWN_BALANCING,
              _item_change(_on_line("BalancingAccountNumber", _unknown_accounts(),
                                    where=_has("BalancingAccountNumber")))),
        _Flaw("unbalanced", "the lines do not balance", VALIDATION,
              _item_change(_add_line(_one_sided(balance_accounts())))),
        _Flaw("no_amount", "a line needs an Amount", VALIDATION, _item_change(_on_line("Amount", st.none()))),
        _Flaw("line_without_account", "a line needs an account", VALIDATION,
              _item_change(_add_line(st.fixed_dictionaries({"Amount": amounts(0.01, 1000)})))),
        _Flaw("unknown_vat_code", "a line's AccountVatCode is not a VAT code", VALIDATION,
              _item_change(_on_line("AccountVatCode", NOT_VAT_CODES, where=_has("AccountNumber")))),
        _Flaw("voucher_number_below_1", "a VoucherNumber is 1 or more", VALIDATION,
              _item_change(_set("VoucherNumber", st.integers(-1000, 0)))),
        _Flaw("not_a_list", "the body is a list of items, even for one", VALIDATION, lambda items: st.just(items[0])),
        _Flaw("empty_list", "the body holds no items", VALIDATION, _instead(st.just([]))),
        _Flaw("same_number_other_date", "items sharing a VoucherNumber must share the VoucherDate", SAME_DATE,
              _numbered_pair(VoucherDate=st.sampled_from(["1999-01-01", "1999-06-30"]))),
        _Flaw("same_number_other_file", "items sharing a VoucherNumber must share the FileGuid", SAME_FILE,
              _numbered_pair(FileGuid=st.uuids(version=4).map(str))),
        _Flaw("same_number_other_id", "items sharing a VoucherNumber must share the Id", SAME_ID,
              _numbered_pair(Id=st.uuids(version=4).map(str))),
        _Flaw("same_number_other_version", "items sharing a VoucherNumber must share the Version", SAME_VERSION,
              _numbered_pair(Version=st.text(string.ascii_letters, min_size=12, max_size=12))),
    ]


@labelled
def refused_ledger_item_bodies(
    *, years: Years | None = None, only: Iterable[str] | None = None, casing: Casing | None = "pascal"
) -> Strategy[Refused]:
    """Bodies for ``POST /v1.2/{org}/ledgeritems`` Dinero refuses: 400/77 (an account
    outside the chart), 400/86 (a balancing account outside it), 400/42 (lines that do
    not balance, a line without an Amount or without any account, an unknown VAT code,
    a VoucherNumber under 1, a single object or an empty array instead of a list of
    items), and for items that share a VoucherNumber but not their VoucherDate
    (400/75), FileGuid (400/76), Id (400/78) or Version (400/87). ``only``: see ``REFUSALS``."""
    flaws = _chosen(_ledger_item_flaws(), only, "refused_ledger_item_bodies")
    return _refusals(ledger_item_bodies(years=years), flaws, casing)


# -- purchases -------------------------------------------------------------------


def _purchase_flaws(years: Years | None) -> tuple[list[_Flaw], list[_Flaw], list[_Flaw]]:
    """The flaws of any purchase, of a cash one, of a credit one."""
    sales_codes = st.sampled_from(["U25", "UEUV", "UVY"])
    either = [
        _Flaw("unknown_account", "a line's AccountNumber is not in the chart of accounts", UNKNOWN_ACCOUNT,
              _on_line("AccountNumber", _unknown_accounts())),
        _Flaw("empty_vat_code", "a line's VatCode may not be empty (leave it out for the account's own)", VALIDATION,
              _on_line("VatCode", st.just(""))),
        _Flaw("unknown_vat_code", "a line's VatCode is not a VAT code", VALIDATION, _on_line("VatCode", NOT_VAT_CODES)),
        _Flaw("not_a_number", "a line's Amount is not a number", VALIDATION, _on_line("Amount", NOT_NUMBERS)),
        _Flaw("no_purchase_type", "PurchaseType is required", VALIDATION, _drop("PurchaseType")),
        _Flaw("unknown_purchase_type", "PurchaseType is cash or credit", VALIDATION,
              _set("PurchaseType", st.sampled_from(["debit", "invoice", "kontant"]))),
        _Flaw("unknown_currency", "CurrencyKey is not one Dinero knows", VALIDATION,
              _set("CurrencyKey", _unknown_currencies())),
        _Flaw("not_a_date", "VoucherDate is not a date", VALIDATION, _set("VoucherDate", NOT_DATES)),
        _Flaw("book_sales_vat_code", "a purchase line takes a purchase VAT code, not a sales code", VALIDATION,
              _on_line("VatCode", sales_codes), "book"),
        _Flaw("book_balance_sheet_account", "a purchase books on result accounts, not balance-sheet accounts",
              VALIDATION, _on_line("AccountNumber", st.sampled_from(balance_accounts())), "book"),
        _Flaw("book_line_without_account", "a line needs an AccountNumber to be booked", VALIDATION,
              _on_line("AccountNumber", st.none()), "book"),
        _Flaw("book_outside_years", "the VoucherDate is in no accounting year", NO_YEAR,
              _set("VoucherDate", _outside_years(years)), "book"),
    ]
    cash = [
        _Flaw("cash_with_payment_date", "a cash purchase has no PaymentDate", VALIDATION,
              _set("PaymentDate", st.just("2026-03-01"))),
        _Flaw("cash_in_foreign_currency", "a cash purchase is in DKK", VALIDATION,
              _set("CurrencyKey", st.sampled_from(["EUR", "USD", "SEK"]))),
        _Flaw("not_a_deposit_account", "DepositAccountNumber is not a deposit account", VALIDATION,
              _set("DepositAccountNumber", _not_deposit_accounts())),
        _Flaw("unknown_region", "RegionKey is DK, EU or World", VALIDATION,
              _set("RegionKey", st.sampled_from(["Asia", "DE", "Norden"]))),
        _Flaw("book_cash_without_deposit_account", "a cash purchase needs its DepositAccountNumber to be booked",
              VALIDATION, _drop("DepositAccountNumber"), "book"),
        _Flaw("book_codes_outside_region", "the lines' VAT codes must fit the RegionKey", VALIDATION,
              lambda body: _on_line("VatCode", st.sampled_from(["I25", "IVV"]))({**body, "RegionKey": "EU"}), "book"),
    ]
    credit = [
        _Flaw("unknown_contact", "ContactGuid names no contact", VALIDATION,
              _set("ContactGuid", _unknown_guids(DEMO_CONTACT_GUID))),
        _Flaw("book_credit_without_contact", "a credit purchase needs its supplier to be booked", VALIDATION,
              _drop("ContactGuid"), "book"),
        _Flaw("book_credit_without_payment_date", "a credit purchase needs a PaymentDate to be booked", VALIDATION,
              _drop("PaymentDate"), "book"),
    ]
    return either, cash, credit


@labelled
def refused_purchase_voucher_bodies(
    *,
    contact_guid: str = DEMO_CONTACT_GUID,
    years: Years | None = None,
    only: Iterable[str] | None = None,
    casing: Casing | None = "pascal",
) -> Strategy[Refused]:
    """Bodies for ``POST /v1.2/{org}/vouchers/purchase`` Dinero refuses: on create with
    400/77 (a line's account outside the chart) or 400/42 (no or an unknown
    PurchaseType, an empty or unknown VatCode, an unknown currency, supplier or
    region, a cash purchase with a PaymentDate, in another currency than DKK or
    from an account that is no deposit account); when the draft is booked with
    400/42 (a sales VAT code, a balance-sheet account or no account on a line, a
    credit purchase without supplier or PaymentDate, a cash purchase without its
    deposit account, or with VAT codes that do not fit its region) or 400/47 (a
    VoucherDate in no accounting year, see ``years``). ``only``: see ``REFUSALS``."""
    either, cash_only, credit_only = _purchase_flaws(years)
    every = [*either, *cash_only, *credit_only]
    chosen = {flaw.name for flaw in _chosen(every, only, "refused_purchase_voucher_bodies")}
    branches = []
    for kind, own in (("cash", cash_only), ("credit", credit_only)):
        flaws = [flaw for flaw in [*either, *own] if flaw.name in chosen]
        if flaws:
            valid = purchase_voucher_bodies(kind, contact_guid=contact_guid, years=years)  # type: ignore[arg-type]
            if kind == "credit":
                flaws = [_contact_aware(flaw, contact_guid) for flaw in flaws]
            branches.append(_refusals(valid, flaws, casing))
    return st.one_of(branches)


def _contact_aware(flaw: _Flaw, contact_guid: str) -> _Flaw:
    """The unknown-contact flaw never draws the contact that exists."""
    if flaw.name != "unknown_contact":
        return flaw
    return _Flaw(flaw.name, flaw.why, flaw.code, _set("ContactGuid", _unknown_guids(contact_guid)), flaw.stage)


REFUSALS: dict[str, tuple[str, ...]] = {
    "refused_contact_bodies": tuple(flaw.name for flaw in _contact_flaws()),
    "refused_product_bodies": tuple(flaw.name for flaw in _product_flaws()),
    "refused_invoice_bodies": tuple(flaw.name for flaw in _invoice_flaws(DEMO_CONTACT_GUID, None)),
    "refused_payment_bodies": tuple(flaw.name for flaw in _payment_flaws("", True, None)),
    "refused_manual_voucher_bodies": tuple(flaw.name for flaw in _manual_voucher_flaws(None)),
    "refused_ledger_item_bodies": tuple(flaw.name for flaw in _ledger_item_flaws()),
    "refused_purchase_voucher_bodies": tuple(flaw.name for group in _purchase_flaws(None) for flaw in group),
}
"""The flaws each ``refused_*`` strategy draws, by name (what ``only=`` takes and
``Refused.flaw`` says). ``refused_payment_bodies`` draws ``no_foreign_amount`` only
for a document in another currency than DKK."""
