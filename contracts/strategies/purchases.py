"""Purchases: purchase vouchers (cash and credit), purchase credit notes, and the
payments of credit purchases and refunds of standalone credit notes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

from hypothesis import strategies as st

from ._common import (
    DEMO_CONTACT_GUID,
    Casing,
    Strategy,
    Years,
    account_vat_codes,
    accounting_dates,
    amounts,
    cased,
    common_currencies,
    days_in,
    deposit_accounts,
    guids,
    labelled,
    numbers_of,
    purchase_accounts,
    references,
    sometimes,
    text,
    weighted,
)
from .sales import _payment_bodies, _timestamp_of

Region = Literal["DK", "EU", "World"]

REGION_CODES: dict[str, tuple[str, ...]] = {
    "DK": ("I25", "REP", "HREP", "OBPK", "none"),
    "EU": ("IEUV", "IEUY", "none"),
    "World": ("IVV", "IVY", "none"),
}
"""The VAT codes a purchase line bought in each region takes (Dinero's guide: the
region of a cash purchase must match its lines' codes)."""
_ABROAD = {code for region in ("EU", "World") for code in REGION_CODES[region]} - {"none"}


@labelled
def purchase_lines(
    accounts: Iterable[int | Mapping[str, Any]] | None = None,
    *,
    region: Region | None = "DK",
    max_lines: int = 4,
    max_amount: float | Decimal = 50_000,
    casing: Casing = "pascal",
) -> Strategy[list[dict[str, Any]]]:
    """1 to ``max_lines`` lines of a purchase or purchase credit note: an expense account
    from ``accounts`` (default ``purchase_accounts()``), what was paid for it VAT
    included (``Amount``), sometimes a description, and a VAT code that fits
    ``region``: left out (the account's own, when that fits), ``"none"``, or one of
    ``REGION_CODES[region]``. ``region=None``: any purchase code, as a credit
    purchase (which has no region) may have. Each line costs up to ``max_amount``."""
    chosen = purchase_accounts() if accounts is None else numbers_of(accounts, "purchase_lines")
    own = account_vat_codes()
    codes = tuple(sorted({code for values in REGION_CODES.values() for code in values})) if region is None \
        else REGION_CODES[region]

    def fits(account: int) -> bool:
        code = own.get(account)
        return region is None or not code or (region == "DK" and code not in _ABROAD) or code in codes

    def line(drawn: tuple[int, float, bool, str, str | None]) -> dict[str, Any]:
        account, amount, own_code, code, description = drawn
        body: dict[str, Any] = {"AccountNumber": account, "Amount": amount}
        if not (own_code and fits(account)):
            body["VatCode"] = code
        if description is not None:
            body["Description"] = description
        return body

    one = st.tuples(
        st.sampled_from(chosen), amounts(Decimal("0.01"), max_amount), st.booleans(), st.sampled_from(codes),
        weighted(st.none(), sometimes(text(0, 60))),
    ).map(line)
    return cased(st.lists(one, min_size=1, max_size=max_lines), casing)


def _purchase_types(kind: str) -> Strategy[str]:
    return weighted(st.just(kind), st.just(kind), st.sampled_from([kind.capitalize(), kind.upper()]))


def _regions(region: str) -> Strategy[str]:
    return weighted(st.just(region), st.sampled_from([region.lower(), region.upper()]))


@labelled
def purchase_voucher_bodies(
    purchase_type: Literal["cash", "credit"] | None = None,
    *,
    contact_guid: str | Sequence[str] | Strategy[str] = DEMO_CONTACT_GUID,
    accounts: Iterable[int | Mapping[str, Any]] | None = None,
    deposits: Iterable[int] | None = None,
    years: Years | None = None,
    casing: Casing | None = "pascal",
    timestamp: str | None = None,
) -> Strategy[dict[str, Any]]:
    """Bodies for ``POST /v1.2/{org}/vouchers/purchase`` (and v1.1) that Dinero accepts,
    and books. ``purchase_type`` ``"cash"`` or ``"credit"``; ``None`` draws either.

    A **cash** purchase was paid from a deposit account (``DepositAccountNumber``, one
    of ``deposits``, default the demo organization's), is in DKK, has no
    ``PaymentDate``, and sometimes a ``RegionKey`` (DK, EU or World) its lines' VAT
    codes fit. A **credit** purchase is owed to the supplier ``contact_guid`` (default
    ``DEMO_CONTACT_GUID``, which ``add_demo_contact(dinero)`` creates) by its
    ``PaymentDate`` (0 to 60 days after its date), in any currency Dinero knows. Lines from ``purchase_lines``;
    dates within ``years`` (default ``demo_years()``). ``timestamp`` (the draft's
    current ``Timestamp``) makes it a body for ``PUT /v1/{org}/vouchers/purchase/{guid}``,
    which also needs ``VoucherDate``.
    """
    if purchase_type is None:
        return st.sampled_from(["cash", "credit"]).flatmap(
            lambda kind: purchase_voucher_bodies(
                kind,  # type: ignore[arg-type]
                contact_guid=contact_guid, accounts=accounts, deposits=deposits, years=years,
                casing=casing, timestamp=timestamp,
            )
        )
    if purchase_type not in ("cash", "credit"):
        raise ValueError(f"purchase_type is cash, credit or None; it was {purchase_type!r}")
    dates = accounting_dates(years)
    fixed: dict[str, Strategy[Any]] = {"PurchaseType": _purchase_types(purchase_type)}
    optional: dict[str, Strategy[Any]] = {"ExternalReference": sometimes(references())}
    if timestamp is not None:
        fixed.update(Timestamp=st.just(timestamp), VoucherDate=dates)
    else:
        optional["VoucherDate"] = sometimes(dates)
    if purchase_type == "cash":
        banks = deposit_accounts() if deposits is None else numbers_of(deposits, "purchases")
        fixed["DepositAccountNumber"] = st.sampled_from(banks)
        regions: list[Region | None] = [None, "DK", "EU", "World"]
        body = weighted(*(
            st.fixed_dictionaries(
                {
                    **fixed,
                    "Lines": purchase_lines(accounts, region=region or "DK"),
                    **({"RegionKey": _regions(region)} if region else {}),
                },
                optional=optional,
            )
            for region in regions
        ))
    else:
        fixed.update(ContactGuid=guids(contact_guid), Lines=purchase_lines(accounts, region=None))
        optional["CurrencyKey"] = sometimes(common_currencies())
        body = st.tuples(st.fixed_dictionaries(fixed, optional=optional), days_in(years), st.integers(0, 60)).map(
            _due_after
        )
    return cased(body, casing)


def _due_after(drawn: tuple[dict[str, Any], date, int]) -> dict[str, Any]:
    """A credit purchase falls due ``days`` after its date (the drawn one when it sends none)."""
    body, day, days = drawn
    sent = body.get("VoucherDate")
    issued = date.fromisoformat(sent[:10]) if sent else day
    return {**body, "PaymentDate": (issued + timedelta(days=days)).isoformat()}


@labelled
def purchase_credit_note_bodies(
    *,
    contact_guid: str | Sequence[str] | Strategy[str] | None = DEMO_CONTACT_GUID,
    credit_note_for: str | Mapping[str, Any] | None = None,
    max_total: float | None = None,
    accounts: Iterable[int | Mapping[str, Any]] | None = None,
    years: Years | None = None,
    casing: Casing | None = "pascal",
    with_guid: bool = False,
    timestamp: str | None = None,
) -> Strategy[dict[str, Any]]:
    """Bodies for ``POST /v1/{org}/vouchers/purchase/creditnotes`` that Dinero accepts,
    and books: ``purchase_lines`` (Danish codes), the supplier ``contact_guid``
    (``None``: none sent), sometimes a ``Date`` within ``years`` and a ``Currency``.

    ``credit_note_for`` is the booked purchase the credit note is for, best as Dinero
    answers it (``GET``): no ``Currency`` is sent then (it takes the purchase's, the
    only one Dinero accepts), and the lines cost at most the purchase's total, as
    Dinero books no credit note for a credit purchase above what it still owes.
    Given only its Guid, pass what it still owes as ``max_total``.
    ``with_guid`` sends a client-chosen ``Guid``; ``timestamp`` makes it a body for
    ``PUT .../creditnotes/{guid}``.
    """
    max_lines, per_line = 4, Decimal(25_000)
    if isinstance(credit_note_for, Mapping):
        max_total = _total(credit_note_for) if max_total is None else max_total
        credit_note_for = str(credit_note_for["Guid"])
    if max_total is not None:
        cap = Decimal(str(max_total))
        if cap < Decimal("0.01"):
            raise ValueError(f"nothing is left to credit (max_total {max_total})")
        per_line = (cap / max_lines).quantize(Decimal("0.01"), rounding="ROUND_FLOOR")
        if per_line < Decimal("0.01"):
            max_lines, per_line = 1, cap.quantize(Decimal("0.01"), rounding="ROUND_FLOOR")
    fixed: dict[str, Strategy[Any]] = {
        "Lines": purchase_lines(accounts, region="DK", max_lines=max_lines, max_amount=per_line)
    }
    optional: dict[str, Strategy[Any]] = {"Date": sometimes(accounting_dates(years))}
    if contact_guid is not None:
        fixed["ContactGuid"] = guids(contact_guid)
    if credit_note_for is not None:
        fixed["CreditNoteFor"] = st.just(str(credit_note_for))
    else:
        optional["Currency"] = sometimes(common_currencies())
    if timestamp is not None:
        fixed["Timestamp"] = st.just(timestamp)
    elif with_guid:
        fixed["Guid"] = st.uuids(version=4).map(str)
    return cased(st.fixed_dictionaries(fixed, optional=optional), casing)


def _total(document: Mapping[str, Any]) -> float | None:
    totals = document.get("VoucherTotals") or document.get("Totals") or []
    return next((entry.get("Total") for entry in totals if entry.get("Type") == "Total"), None)


@labelled
def purchase_payment_bodies(
    document: Mapping[str, Any],
    *,
    deposits: Iterable[int] | None = None,
    years: Years | None = None,
    casing: Casing | None = "pascal",
) -> Strategy[dict[str, Any]]:
    """Bodies for ``POST /v1/{org}/purchase-vouchers/{id}/payments``: paying a booked
    credit purchase, or the supplier's refund of a booked standalone purchase credit
    note. ``document`` is the purchase (or credit note) as Dinero answers it (``GET``):
    its ``Timestamp`` goes in the body, its currency decides whether
    ``AmountInForeignCurrency`` is sent, its total how much is paid (all, part or
    more). As ``payment_bodies`` otherwise."""
    currency = str(document.get("CurrencyKey") or document.get("Currency") or "DKK")
    return _payment_bodies(
        _timestamp_of(document, "purchase_payment_bodies"), currency, _total(document), deposits, years,
        casing,
    )
