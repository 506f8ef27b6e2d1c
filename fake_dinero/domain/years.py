"""Accounting years: which year a date is booked in, and when a new one begins.

A new organization has the previous and the current calendar year (by the
fake's clock). Dinero's document says a year is created "by simply booking a
voucher in the next possible accounting year", so booking on a date in the
year right after the last creates it; any other date outside every year is
refused with 400 and code 47.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel

from ..errors import DATE_RANGE_SPANS_YEARS, END_BEFORE_START, NO_ACCOUNTING_YEAR, DineroError
from ..formats import shown
from ..models import DineroModel
from ..store import Collection, Record

if TYPE_CHECKING:
    from ..world import Organization


SalarySumTaxState = Literal["None", "OnlySalarySum", "MixedActivities"]
"""Lønsum (salary-sum tax): whether the organization pays it."""


class AccountingYearReadModel(DineroModel):
    Name: str | None = None
    FromDate: str | None = None
    ToDate: str | None = None
    SalarySumTaxStateEnum: SalarySumTaxState


class AccountingYearData(BaseModel):
    Name: str
    FromDate: date
    ToDate: date
    SalarySumTaxStateEnum: SalarySumTaxState = "None"

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.FromDate <= day <= self.ToDate


def _render(organization: Organization, row: Record) -> AccountingYearReadModel:
    data: AccountingYearData = row.data
    return AccountingYearReadModel(
        Name=data.Name,
        FromDate=data.FromDate.isoformat(),
        ToDate=data.ToDate.isoformat(),
        SalarySumTaxStateEnum=data.SalarySumTaxStateEnum,
    )


ACCOUNTING_YEARS = Collection(
    "accounting_years",
    AccountingYearReadModel,
    _render,
    data_model=AccountingYearData,
    order=lambda row: row.data.FromDate,
)


def calendar_year(year: int) -> AccountingYearData:
    return AccountingYearData(Name=str(year), FromDate=date(year, 1, 1), ToDate=date(year, 12, 31))


def seed_years(organization: Organization, today: date) -> None:
    """The previous and the current calendar year, as a demo organization in use has."""
    table = organization.table(ACCOUNTING_YEARS)
    for year in (today.year - 1, today.year):
        data = calendar_year(year)
        table.insert(data.Name, data)


def years(organization: Organization) -> list[AccountingYearData]:
    """The organization's accounting years, oldest first."""
    return [row.data for row in organization.table(ACCOUNTING_YEARS).records()]


def year_of(organization: Organization, day: date) -> AccountingYearData | None:
    """The accounting year ``day`` falls in, if any."""
    return next((year for year in years(organization) if day in year), None)


def year_named(organization: Organization, name: str) -> AccountingYearData:
    """The year a report's path names (its ``Name``, e.g. ``2026``); 400/47 when there is none."""
    row = organization.table(ACCOUNTING_YEARS).get(name.strip())
    if row is None:
        names = ", ".join(year.Name for year in years(organization))
        raise DineroError(
            400, NO_ACCOUNTING_YEAR, "No such accounting year",
            {"accountingYear": f"'{shown(name)}' is not an accounting year of the organization; its years: {names}."},
        )
    return row.data  # type: ignore[no-any-return]


def year_for_booking(organization: Organization, day: date) -> AccountingYearData:
    """The year a voucher dated ``day`` is booked in, creating the next year when
    ``day`` falls in it; 400 with code 47 for a date outside every year."""
    found = year_of(organization, day)
    if found is not None:
        return found
    known = years(organization)
    last = known[-1] if known else None
    if last is not None and last.ToDate < day:
        following = _year_after(last)
        if day in following:
            organization.table(ACCOUNTING_YEARS).insert(following.Name, following)
            return following
    span = f"{known[0].FromDate} to {known[-1].ToDate}" if known else "none"
    raise DineroError(
        400, NO_ACCOUNTING_YEAR, "The date is not in an accounting year",
        {"Date": f"{day} is in no accounting year of the organization (they cover {span}); "
                 "a voucher may be booked in those or in the year right after the last."},
        danish_message="Datoen ligger ikke i et regnskabsår.",
    )


def _year_after(year: AccountingYearData) -> AccountingYearData:
    """The year that follows ``year``: as long, starting the day after it ends."""
    start = year.ToDate + timedelta(days=1)
    if start.month == 1 and start.day == 1:
        return calendar_year(start.year)
    end = start.replace(year=start.year + 1) - timedelta(days=1)
    return AccountingYearData(Name=f"{start.year}/{end.year}", FromDate=start, ToDate=end)


def year_of_range(organization: Organization, start: date, end: date, names: tuple[str, str]) -> AccountingYearData:
    """The one accounting year a date range lies in: 400/83 when it ends before it
    starts, 400/82 when it spans two years, 400/47 when it is in none."""
    first, last = names
    if end < start:
        raise DineroError(
            400, END_BEFORE_START, "The period ends before it starts",
            {last: f"{last} ({end}) is before {first} ({start})."},
        )
    year = year_of(organization, start)
    if year is None:
        raise DineroError(
            400, NO_ACCOUNTING_YEAR, "The date is not in an accounting year",
            {first: f"{start} is in no accounting year of the organization."},
        )
    if end not in year:
        raise DineroError(
            400, DATE_RANGE_SPANS_YEARS, "The period spans more than one accounting year",
            {last: f"{first} and {last} must lie in one accounting year; {year.Name} ends {year.ToDate}."},
        )
    return year
