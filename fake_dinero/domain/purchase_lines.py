"""What purchase vouchers and purchase credit notes share: their lines and totals.

A purchase line's ``Amount`` is what was paid for it, VAT included ("The amount
of money paid", Dinero's document). Its VAT comes from the line's ``VatCode``,
or the account's own when none is given; ``"none"`` means no VAT. A
reverse-charge code (goods or services bought abroad) computes the VAT on top
of ``Amount`` and books it as both deductible and due, as ``vat.line_postings``
does for every voucher, so what is owed to the supplier stays ``Amount``.

Lines are kept as the client gave them (amounts rounded to øre, VAT codes spelled
as the VAT types spell them); the rules that only booking needs (an account on
every line, a purchase VAT code, the region) are checked when booking.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import BaseModel

from .. import seed_data
from ..errors import UNKNOWN_ACCOUNT, DineroError, validation_error
from ..formats import money, money_json, shown
from ..models import DineroModel, Guid, Money
from ..pricing import in_dkk
from .chart import FIRST_BALANCE_ACCOUNT, VAT_TYPES, is_account, is_vat_code, vat_rate
from .vat import REVERSE_CHARGE, Posting, is_sales_code, line_postings, resolve_vat_code

if TYPE_CHECKING:
    from ..world import Organization

REGIONS = {"dk": "DK", "eu": "EU", "world": "World"}
EU_CODES = {"IEUV", "IEUY"}
WORLD_CODES = {"IVV", "IVY"}


class PurchaseLine(BaseModel):
    """A stored line: the client's values, the VAT code as given (None: the account's own)."""

    AccountNumber: int | None = None
    Description: str | None = None
    Amount: Money
    VatCode: str | None = None
    AccountTagName: str | None = None
    SynonymWithMostWeight: str | None = None
    TagId: str | None = None
    TagVersion: int | None = None


class PurchaseVoucherLineReadModel(DineroModel):
    Description: str | None = None
    VatCode: str | None = None
    AccountNumber: int | None = None
    AmountExclVatValue: float
    AmountInclVatValue: float
    VatAmountValue: float
    AccountTagName: str | None = None
    AccountWeightTagId: Guid | None = None
    AccountWeightTagVersion: int | None = None
    AccountTagSynonym: str | None = None


class PurchaseVoucherTotalReadModel(DineroModel):
    Label: str | None = None
    Total: float
    Type: str | None = None
    Position: int


@dataclass(frozen=True)
class LineAmounts:
    excl: Decimal
    vat: Decimal
    incl: Decimal
    owed: Decimal
    """What the supplier is paid for the line: ``Amount`` (reverse-charge VAT is not paid to them)."""


# -- currencies -------------------------------------------------------------------


def exchange_rates() -> dict[str, Decimal]:
    """DKK per 100 units of each currency Dinero knows (the seed data's rates)."""
    return {
        key: Decimal(str(value)) for key, value in seed_data.load("exchange_rates").items() if not key.startswith("_")
    }


def currency_of(given: str | None, problems: dict[str, str], name: str) -> str:
    """A currency key in Dinero's spelling (DKK when none is given)."""
    currency = (given or "DKK").strip().upper()
    if currency not in exchange_rates():
        problems[name] = f"'{shown(given)}' is not a currency Dinero knows. Use e.g. DKK, EUR, USD, SEK."
        return "DKK"
    return currency


def to_dkk(amount: Decimal, currency: str) -> Decimal:
    return amount if currency == "DKK" else in_dkk(amount, exchange_rates()[currency])


# -- storing lines ----------------------------------------------------------------


def stored_lines(
    organization: Organization, lines: Sequence[PurchaseLine], keep_tags: bool, where: str = "Lines"
) -> list[PurchaseLine]:
    """The lines as kept. Every account named must be in the chart (400/77) and every
    VAT code given must exist or be "none" (400/42); an empty VatCode is refused
    (Dinero's agent guide: ``""`` is a validation error, leave it out instead).
    Without ``keep_tags`` (the operations that "do not support AccountTagName") the
    tag fields are dropped."""
    unknown: dict[str, str] = {}
    problems: dict[str, str] = {}
    kept = []
    for index, line in enumerate(lines):
        at = f"{where}[{index}]"
        if line.AccountNumber is not None and not is_account(organization, line.AccountNumber):
            unknown[f"{at}.AccountNumber"] = (
                f"Account {line.AccountNumber} is not in the organization's chart of accounts; "
                "see GET accounts/purchase."
            )
        code = line.VatCode
        if code is not None and (not code.strip() or not is_vat_code(organization, code)):
            problems[f"{at}.VatCode"] = (
                f"'{shown(code)}' is not a VAT code; use one of GET vatTypes (e.g. I25), \"none\" for no VAT, "
                "or leave it out for the account's own."
            )
        update: dict[str, object] = {"Amount": money(line.Amount), "VatCode": _spelled(organization, code)}
        if not keep_tags:
            update.update(AccountTagName=None, SynonymWithMostWeight=None, TagId=None, TagVersion=None)
        kept.append(line.model_copy(update=update))
    if unknown:
        raise DineroError(400, UNKNOWN_ACCOUNT, "Unknown account", unknown)
    if problems:
        raise validation_error(problems)
    return kept


def _spelled(organization: Organization, code: str | None) -> str | None:
    if code is None:
        return None
    row = organization.table(VAT_TYPES).get(code.upper())
    return row.data.VatCode if row is not None else code


def line_code(organization: Organization, line: PurchaseLine) -> str | None:
    """The VAT code the line books with: the one given, or its account's own (None: no VAT)."""
    if line.AccountNumber is None and line.VatCode is None:
        return None
    code = resolve_vat_code(organization, line.AccountNumber or 0, line.VatCode)
    return None if code is None or code.lower() == "none" else code


def line_amounts(organization: Organization, line: PurchaseLine) -> LineAmounts:
    amount = money(line.Amount)
    code = line_code(organization, line)
    if code is None:
        return LineAmounts(amount, Decimal(0), amount, amount)
    rate = vat_rate(organization, code)
    if code.upper() in REVERSE_CHARGE:
        vat = money(amount * rate)
        return LineAmounts(amount, vat, amount + vat, amount)
    net = money(amount / (1 + rate))
    return LineAmounts(net, amount - net, amount, amount)


def render_lines(organization: Organization, lines: Sequence[PurchaseLine]) -> list[PurchaseVoucherLineReadModel]:
    rendered = []
    for line in lines:
        amounts = line_amounts(organization, line)
        code = line_code(organization, line)
        rendered.append(
            PurchaseVoucherLineReadModel(
                Description=line.Description,
                VatCode=code,
                AccountNumber=line.AccountNumber,
                AmountExclVatValue=money_json(amounts.excl),
                AmountInclVatValue=money_json(amounts.incl),
                VatAmountValue=money_json(amounts.vat),
                AccountTagName=line.AccountTagName,
                AccountWeightTagId=line.TagId,  # type: ignore[arg-type]
                AccountWeightTagVersion=line.TagVersion,
                AccountTagSynonym=line.SynonymWithMostWeight,
            )
        )
    return rendered


def total_owed(organization: Organization, lines: Sequence[PurchaseLine]) -> Decimal:
    """What the lines cost, in their currency: the sum of their amounts."""
    return sum((line_amounts(organization, line).owed for line in lines), Decimal(0))


def render_totals(
    organization: Organization, lines: Sequence[PurchaseLine], currency: str
) -> list[PurchaseVoucherTotalReadModel]:
    """Subtotal, VAT and total, in the voucher's currency (a live EUR voucher shows
    "Total EUR" with the EUR amount, although the document says DKK). The labels are
    the Danish ones Dinero's screens use; Dinero's own are unknown. The reverse-charge
    VAT is not paid to the supplier, so it is not in the total."""
    owed = total_owed(organization, lines)
    paid_vat = sum(
        (
            line_amounts(organization, line).vat
            for line in lines
            if (line_code(organization, line) or "").upper() not in REVERSE_CHARGE
        ),
        Decimal(0),
    )
    return [
        PurchaseVoucherTotalReadModel(Label="Subtotal", Total=money_json(owed - paid_vat), Type="SubTotal", Position=0),
        PurchaseVoucherTotalReadModel(Label="Moms", Total=money_json(paid_vat), Type="Vat", Position=1),
        PurchaseVoucherTotalReadModel(Label=f"Total {currency}", Total=money_json(owed), Type="Total", Position=2),
    ]


# -- booking ----------------------------------------------------------------------------


def check_bookable(
    organization: Organization, lines: Sequence[PurchaseLine], region: str | None = None, what: str = "purchase"
) -> None:
    """What booking needs of the lines, beyond what a draft is checked for (400/42):
    at least one line, an account on each, a result account (a balance-sheet
    account belongs on a manual voucher, as Dinero's guide says), a purchase VAT
    code (a sales code belongs on an invoice), and VAT codes that fit the region
    of a cash purchase (Dinero's guide: the region must match the lines' codes)."""
    if not lines:
        raise validation_error({"Lines": f"A {what} needs at least one line before it can be booked."})
    problems: dict[str, str] = {}
    for index, line in enumerate(lines):
        at = f"Lines[{index}]"
        if line.AccountNumber is None:
            problems[f"{at}.AccountNumber"] = "A line needs an AccountNumber to be booked; see GET accounts/purchase."
            continue
        if line.AccountNumber >= FIRST_BALANCE_ACCOUNT:
            problems[f"{at}.AccountNumber"] = (
                f"Account {line.AccountNumber} is a balance-sheet account; a purchase books on result accounts "
                "(GET accounts/purchase). Use a manual voucher for balance-sheet postings."
            )
        code = (line_code(organization, line) or "").upper()
        if code and is_sales_code(code):
            problems[f"{at}.VatCode"] = f"{code} is a sales VAT code; a purchase line takes a purchase code (e.g. I25)."
        elif region is not None and not _fits_region(code, region):
            problems[f"{at}.VatCode"] = _region_hint(code, region)
    if problems:
        raise validation_error(problems)


def _fits_region(code: str, region: str) -> bool:
    if not code:
        return True
    if region == "EU":
        return code in EU_CODES
    if region == "World":
        return code in WORLD_CODES
    return code not in EU_CODES | WORLD_CODES


def _region_hint(code: str, region: str) -> str:
    wanted = {"EU": "IEUV or IEUY", "World": "IVV or IVY"}.get(region, "a Danish purchase code such as I25")
    return f"{code} does not fit RegionKey {region}; a line bought in {region} uses {wanted} (or \"none\")."


def purchase_postings(
    organization: Organization,
    lines: Sequence[PurchaseLine],
    paid_from: int,
    currency: str,
    contact_guid: str | None,
    sign: Decimal = Decimal(1),
) -> list[Posting]:
    """Each line's cost on its account and its VAT on the VAT accounts, against
    ``paid_from`` (the deposit account of a cash purchase, Kreditorer for a credit
    purchase). A credit note books the same with ``sign`` -1. Amounts in another
    currency are booked in DKK at the currency's rate."""
    postings: list[Posting] = []
    for line in lines:
        assert line.AccountNumber is not None  # check_bookable ran first
        amount = sign * to_dkk(money(line.Amount), currency)
        code = line_code(organization, line)
        for posting in line_postings(
            organization, amount, line.AccountNumber, paid_from, code, None, line.Description
        ):
            on_party = posting.account == paid_from and contact_guid is not None
            postings.append(posting if not on_party else Posting(
                posting.account, posting.amount, posting.description, posting.vat_code, contact_guid
            ))
    return postings

