"""The arithmetic of a sales document: line amounts, VAT, totals, due dates.

Pure functions over ``Decimal`` so invoices, credit notes, trade offers and
their ``fetch`` previews compute the same numbers the same way. Dinero's
exact rounding is unknown (reference §9); the fake rounds as Danish
invoices do:

- a line's amount excl. VAT is rounded to øre (half away from zero);
- with prices excl. VAT (``ShowLinesInclVat`` false) the VAT is computed
  once per VAT rate on the sum of the lines at that rate;
- with prices incl. VAT the lines' amounts incl. VAT are what the customer
  sees, so they are summed and the VAT is taken out of each rate's sum.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .formats import money

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class PricedLine:
    """A product line with its amounts; text lines are never priced."""

    rate: Decimal
    """The VAT rate of the line's account, as a fraction (0.25)."""
    unit_excl_vat: Decimal
    unit_incl_vat: Decimal
    total_excl_vat: Decimal
    total_incl_vat: Decimal


def price_line(base_amount: Decimal, quantity: Decimal, discount: Decimal, rate: Decimal, incl_vat: bool) -> PricedLine:
    """One line. ``base_amount`` is the unit price as the client gave it:
    incl. VAT when the document shows lines incl. VAT, else excl. VAT."""
    factor = (HUNDRED - discount) / HUNDRED
    if incl_vat:
        unit_incl = base_amount
        unit_excl = base_amount / (1 + rate)
        total_incl = money(unit_incl * quantity * factor)
        total_excl = money(total_incl / (1 + rate))
    else:
        unit_excl = base_amount
        unit_incl = base_amount * (1 + rate)
        total_excl = money(unit_excl * quantity * factor)
        total_incl = money(total_excl * (1 + rate))
    return PricedLine(rate, unit_excl, unit_incl, total_excl, total_incl)


@dataclass(frozen=True)
class Totals:
    excl_vat: Decimal
    vat: Decimal
    incl_vat: Decimal
    vatable: Decimal
    """Amount excl. VAT of the lines that carry VAT."""
    non_vatable: Decimal


def totals(lines: Iterable[PricedLine], incl_vat: bool) -> Totals:
    by_rate: dict[Decimal, list[PricedLine]] = {}
    for line in lines:
        by_rate.setdefault(line.rate, []).append(line)
    excl_total = vat_total = Decimal(0)
    vatable = non_vatable = Decimal(0)
    for rate, group in by_rate.items():
        if incl_vat:
            incl = sum((line.total_incl_vat for line in group), Decimal(0))
            excl = money(incl / (1 + rate))
            vat = incl - excl
        else:
            excl = sum((line.total_excl_vat for line in group), Decimal(0))
            vat = money(excl * rate)
        excl_total += excl
        vat_total += vat
        if rate:
            vatable += excl
        else:
            non_vatable += excl
    return Totals(
        money(excl_total), money(vat_total), money(excl_total + vat_total), money(vatable), money(non_vatable)
    )


def payment_date(issued: date, condition: str, days: int | None) -> date:
    """The due date of an invoice (reference §9 leaves the rules unknown).

    Netto: ``days`` after the invoice date. CurrentMonthOut ("løbende måned"):
    ``days`` after the last day of the invoice's month. NettoCash and Paid:
    due on the invoice date.
    """
    if condition == "Netto":
        return issued + timedelta(days=days or 0)
    if condition == "CurrentMonthOut":
        last = calendar.monthrange(issued.year, issued.month)[1]
        return issued.replace(day=last) + timedelta(days=days or 0)
    return issued


LATEST_PAYMENT_DATE = date.max - timedelta(days=1)
"""The last payment date an invoice may have: the day after it, when the invoice turns
Overdue, is the last day a date can hold."""


def payment_date_fits(issued: date, condition: str, days: int | None) -> bool:
    """Whether the payment date of these terms is ``LATEST_PAYMENT_DATE`` or earlier, so
    a stored invoice can always render it and the day it turns Overdue."""
    try:
        return payment_date(issued, condition, days) <= LATEST_PAYMENT_DATE
    except OverflowError:
        return False


def in_dkk(amount: Decimal, exchange_rate: Decimal) -> Decimal:
    """An amount in DKK; ``exchange_rate`` is DKK per 100 units, as Dinero states it."""
    return money(amount * exchange_rate / HUNDRED)
