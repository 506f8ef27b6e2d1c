"""How an amount on an account with a VAT code becomes postings.

A manual-voucher or ledger-item line moves ``Amount`` from its balancing
account to its account (debit the account, credit the balancing account);
either side may carry a VAT code, and the VAT goes to the VAT accounts:

- a sales code (U25, KUNS...): ``Amount`` excludes VAT ("exclude VAT when the
  VAT type is sale", Dinero's document); the VAT is added on top to Salgsmoms
  and the other side moves the gross amount;
- a purchase code (I25, REP, HREP...): ``Amount`` includes VAT; the VAT is
  taken out to Købsmoms;
- a reverse-charge purchase (EU or world, OBPK): ``Amount`` excludes VAT
  ("foreign to Denmark"); the VAT is both deductible (Købsmoms) and due
  (Moms af varer/ydelser fra udlandet), so it nets to zero;
- "none", or an account without a code: no VAT.

Amounts are rounded to øre per line, and every line's postings balance when
it has both sides, by construction.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from ..formats import money
from .chart import (
    GOODS_ABROAD_VAT,
    PURCHASE_VAT,
    SALES_VAT,
    SERVICES_ABROAD_VAT,
    account_vat_code,
    vat_type,
)

if TYPE_CHECKING:
    from ..world import Organization

REVERSE_CHARGE = {
    "IEUV": GOODS_ABROAD_VAT,
    "IVV": GOODS_ABROAD_VAT,
    "IEUY": SERVICES_ABROAD_VAT,
    "IVY": SERVICES_ABROAD_VAT,
    "OBPK": SERVICES_ABROAD_VAT,
}
"""Purchase codes whose VAT the buyer both pays and deducts, and where the VAT due goes."""
SALES_CODES = ("KUNS", "OBPS")
"""Sales codes that do not start with U."""


@dataclass(frozen=True)
class Posting:
    """One line of a posting: an amount on an account, debit positive, credit negative."""

    account: int
    amount: Decimal
    description: str | None = None
    vat_code: str | None = None
    contact_guid: str | None = None


def is_sales_code(code: str) -> bool:
    upper = code.upper()
    return upper.startswith("U") or upper in SALES_CODES


def resolve_vat_code(organization: Organization, account: int, given: str | None) -> str | None:
    """The code a line books with: the one given, "none" for none, or the account's own."""
    if given is None:
        given = account_vat_code(organization, account)
    found = vat_type(organization, given)
    return found.VatCode if found is not None else None


def line_postings(
    organization: Organization,
    amount: Decimal,
    account: int | None,
    balancing_account: int | None,
    account_vat_code: str | None = None,
    balancing_vat_code: str | None = None,
    description: str | None = None,
    contact_guid: str | None = None,
) -> list[Posting]:
    """The postings of one line (see the module's docstring). VAT codes are as
    resolved by ``resolve_vat_code``; a side without an account is left out."""
    amount = money(amount)
    sides = [
        (account, account_vat_code, Decimal(1)),
        (balancing_account, balancing_vat_code, Decimal(-1)),
    ]
    gross = amount
    for number, code, _ in sides:
        if number is not None and code and is_sales_code(code):
            gross = amount + money(amount * _rate(organization, code))
            break
    postings: list[Posting] = []
    for number, code, sign in sides:
        if number is None:
            continue
        posting = _side(organization, number, code, sign, amount, gross, description, contact_guid)
        postings.extend(posting)
    return postings


def _side(
    organization: Organization,
    number: int,
    code: str | None,
    sign: Decimal,
    amount: Decimal,
    gross: Decimal,
    description: str | None,
    contact_guid: str | None,
) -> list[Posting]:
    def on(account: int, value: Decimal, vat: str | None = None) -> Posting:
        return Posting(account, sign * value, description, vat, contact_guid)

    if not code:
        return [on(number, gross)]
    rate = _rate(organization, code)
    upper = code.upper()
    if is_sales_code(upper):
        return [on(number, gross - money(amount * rate), code), on(SALES_VAT, money(amount * rate), code)]
    if upper in REVERSE_CHARGE:
        vat = money(gross * rate)
        return [on(number, gross, code), on(PURCHASE_VAT, vat, code), on(REVERSE_CHARGE[upper], -vat, code)]
    net = money(gross / (1 + rate))
    return [on(number, net, code), on(PURCHASE_VAT, gross - net, code)]


def _rate(organization: Organization, code: str) -> Decimal:
    found = vat_type(organization, code)
    return found.VatRate if found is not None else Decimal(0)
