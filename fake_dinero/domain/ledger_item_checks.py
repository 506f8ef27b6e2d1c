"""What a post or change of ledger items must satisfy before anything is stored: the
rules on lines, accounts and VAT codes, and on items that share a voucher number."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from ..errors import (
    SAME_VOUCHER_DATE,
    SAME_VOUCHER_FILE,
    SAME_VOUCHER_ID,
    SAME_VOUCHER_VERSION,
    UNKNOWN_ACCOUNT,
    UNKNOWN_DEPOSIT_ACCOUNT,
    DineroError,
    validation_error,
)
from ..formats import money, shown
from ..store import Record
from .chart import CREDITORS, DEBTORS, is_account, is_vat_code, vat_type
from .dates import parse_date
from .ledger import voucher_entries
from .vat import Posting, line_postings, resolve_vat_code

if TYPE_CHECKING:
    from ..world import Organization
from .ledger_item_models import (
    INT32_MAX,
    LedgerItemData,
    LedgerItemLineModelV2,
    LedgerItemModelV2,
    LedgerLineData,
    unbooked_rows,
    version_of,
)


@dataclass
class Draft:
    """One item of a request, with the values it will have once written."""

    index: int
    item: LedgerItemModelV2
    id: str | None
    version: str | None
    number: int | None
    day: date
    file_guid: str | None
    existing: Record | None


@dataclass
class Group:
    """The items of a request that make one ledger item (those sharing a voucher number)."""

    drafts: list[Draft] = field(default_factory=list)

    @property
    def first(self) -> Draft:
        return self.drafts[0]

    @property
    def id(self) -> str | None:
        return self.first.id

    @property
    def number(self) -> int | None:
        return self.first.number


def draft_of(index: int, item: LedgerItemModelV2, existing: Record | None, today: date) -> Draft:
    """The values ``item`` will have: on an existing item, left-out ones are kept."""
    old: LedgerItemData | None = existing.data if existing is not None else None
    number = item.VoucherNumber if item.VoucherNumber is not None else (old.VoucherNumber if old else None)
    if number is not None and not 1 <= number <= INT32_MAX:
        raise validation_error(
            {f"[{index}].VoucherNumber": f"A voucher number is from 1 to {INT32_MAX}; leave it out to get the next."}
        )
    if item.VoucherDate is not None:
        day = parse_date(item.VoucherDate, f"[{index}].VoucherDate")
    else:
        day = old.VoucherDate if old else today
    file_guid = (item.FileGuid or None) if item.FileGuid is not None else (old.FileGuid if old else None)
    version = item.Version.strip() if item.Version is not None else None
    return Draft(index, item, str(item.Id) if item.Id else None, version, number, day, file_guid, existing)


def groups_of(drafts: list[Draft]) -> list[Group]:
    """Join the items that share a voucher number; they must agree on date (75),
    file (76), Id (78) and Version (87)."""
    groups: list[Group] = []
    by_number: dict[int, Group] = {}
    for draft in drafts:
        if draft.number is None:
            groups.append(Group([draft]))
            continue
        group = by_number.get(draft.number)
        if group is None:
            group = by_number[draft.number] = Group()
            groups.append(group)
        else:
            require_same(draft, group.first.day, group.first.file_guid, group.first.id, group.first.version,
                          f"item [{group.first.index}]")
        group.drafts.append(draft)
    return groups


def require_same(
    draft: Draft, day: date, file_guid: str | None, key: str | None, version: str | None, other: str
) -> None:
    where, number = f"[{draft.index}]", draft.number
    if draft.day != day:
        raise DineroError(
            400, SAME_VOUCHER_DATE, "Ledger items with the same voucher number must have the same date",
            {f"{where}.VoucherDate": f"Voucher {number} is dated {day} on {other}, not {draft.day}."},
        )
    if draft.file_guid != file_guid:
        raise DineroError(
            400, SAME_VOUCHER_FILE, "Ledger items with the same voucher number must have the same file",
            {f"{where}.FileGuid": f"Voucher {number} has FileGuid {file_guid!r} on {other}, not {draft.file_guid!r}."},
        )
    if draft.id != key:
        raise DineroError(
            400, SAME_VOUCHER_ID, "Ledger items with the same voucher number must have the same id",
            {f"{where}.Id": f"Voucher {number} is ledger item {key or '(a new one)'} on {other}, "
                            f"not {draft.id or '(a new one)'}; use another VoucherNumber or that Id."},
        )
    if draft.version != version:
        raise DineroError(
            400, SAME_VOUCHER_VERSION, "Ledger items with the same voucher number must have the same version",
            {f"{where}.Version": f"Voucher {number} has Version {version!r} on {other}, not {draft.version!r}."},
        )


def check_against_ledger(organization: Organization, groups: list[Group], writing: set[str]) -> None:
    """A voucher number held by an unbooked item in the ledger (other than those being
    written) is that item's: a new item with it must agree with it as if sent with it."""
    numbered = {group.number: group for group in groups if group.number is not None}
    if not numbered:
        return
    for row in unbooked_rows(organization):
        data: LedgerItemData = row.data
        group = numbered.get(data.VoucherNumber)  # type: ignore[arg-type]
        if group is None or row.key in writing:
            continue
        require_same(group.first, data.VoucherDate, data.FileGuid, row.key, version_of(row),
                      f"ledger item {row.key} in the ledger")


def checked_lines(organization: Organization, group: Group) -> list[LedgerLineData]:
    """The group's lines, checked; on an existing item left-out Lines keep its own.
    A new line's ``Id`` is empty until the item is written."""
    sent = [(draft, draft.item.Lines) for draft in group.drafts if draft.item.Lines is not None]
    existing = group.first.existing
    if not sent and existing is not None:
        return list(existing.data.Lines)
    lines: list[LedgerLineData] = []
    seen: set[str] = set()
    for draft, given in sent:
        for position, line in enumerate(given or ()):
            where = f"[{draft.index}].Lines[{position}]"
            checked = check_line(organization, line, where)
            if checked.Id:
                if checked.Id in seen:
                    raise validation_error({f"{where}.Id": f"Line Id '{checked.Id}' is used twice in the item."})
                seen.add(checked.Id)
            lines.append(checked)
    first = group.first.index
    if not lines:
        raise validation_error({f"[{first}].Lines": "A ledger item needs at least one line."})
    total = sum((posting.amount for line in lines for posting in item_line_postings(organization, line)), Decimal(0))
    if total != 0:
        raise validation_error(
            {f"[{first}].Lines": f"The lines do not balance: their postings sum to {total}. Give each line a "
                                 "BalancingAccountNumber, or add lines that bring the sum to 0."}
        )
    return lines


def check_line(organization: Organization, line: LedgerItemLineModelV2, where: str) -> LedgerLineData:
    problems: dict[str, str] = {}
    if line.Amount is None:
        problems[f"{where}.Amount"] = "A line needs an Amount in DKK, e.g. -200.00."
    if line.IsPaymentForVoucherId is not None and line.AccountNumber is not None:
        problems[f"{where}.AccountNumber"] = (
            "A line paying a voucher (IsPaymentForVoucherId) cannot have an AccountNumber; leave it out."
        )
    if line.AccountNumber is None and line.BalancingAccountNumber is None and line.IsPaymentForVoucherId is None:
        problems[where] = "A line needs an AccountNumber, a BalancingAccountNumber or an IsPaymentForVoucherId."
    if problems:
        raise validation_error(problems)
    if line.AccountNumber is not None and not is_account(organization, line.AccountNumber):
        raise DineroError(
            400, UNKNOWN_ACCOUNT, "Unknown account",
            {f"{where}.AccountNumber": f"Account {line.AccountNumber} is not in the chart of accounts."},
        )
    if line.BalancingAccountNumber is not None and not is_account(organization, line.BalancingAccountNumber):
        raise DineroError(
            400, UNKNOWN_DEPOSIT_ACCOUNT, "Unknown balancing account",
            {f"{where}.BalancingAccountNumber": f"Account {line.BalancingAccountNumber} is not in the chart "
                                                "of accounts (it is usually a deposit account, e.g. 55000)."},
        )
    if line.IsPaymentForVoucherId is not None:
        payment_side(organization, str(line.IsPaymentForVoucherId), f"{where}.IsPaymentForVoucherId")
    balancing_code = line.BalancingAccountVatCode
    return LedgerLineData(
        Id=str(line.Id) if line.Id is not None else "",
        Description=line.Description,
        Amount=money(line.Amount),  # type: ignore[arg-type]
        AccountNumber=line.AccountNumber,
        AccountVatCode=line_vat_code(organization, line.AccountNumber, line.AccountVatCode, f"{where}.AccountVatCode"),
        BalancingAccountNumber=line.BalancingAccountNumber,
        BalancingAccountVatCode=line_vat_code(
            organization, line.BalancingAccountNumber, balancing_code, f"{where}.BalancingAccountVatCode"
        ),
        IsPaymentForVoucherId=str(line.IsPaymentForVoucherId) if line.IsPaymentForVoucherId else None,
    )


def line_vat_code(organization: Organization, account: int | None, given: str | None, where: str) -> str | None:
    """The code to keep for one side of a line (see ``LedgerLineData.AccountVatCode``).
    A code on a side without an account is dropped: there is nothing to book it on."""
    if account is None:
        return None
    if given is None:
        return resolve_vat_code(organization, account, None)
    if not is_vat_code(organization, given):
        raise validation_error({where: f"'{shown(given)}' is not a VAT code; use one of vatTypes, or \"none\"."})
    found = vat_type(organization, given)
    return found.VatCode if found is not None else "none"


def payment_side(organization: Organization, voucher_id: str, where: str) -> tuple[int, str | None]:
    """The account and contact a payment of a booked voucher books on: the voucher's
    debtor or creditor entry. Dinero's handling is unknown; this is
    chosen so that the payment settles what the voucher left owing."""
    for row in voucher_entries(organization, voucher_id):
        if not row.data.Reversal and row.data.AccountNumber in (DEBTORS, CREDITORS):
            return row.data.AccountNumber, row.data.ContactGuid
    raise validation_error(
        {
            where: f"'{shown(voucher_id)}' is no booked voucher with an amount owing "
            "(an invoice, credit note or purchase)."
        }
    )


def item_data(organization: Organization, group: Group, lines: list[LedgerLineData]) -> LedgerItemData:
    new_guid = organization.world.new_guid
    return LedgerItemData(
        VoucherNumber=group.number,
        VoucherDate=group.first.day,
        FileGuid=group.first.file_guid,
        Lines=[line if line.Id else line.model_copy(update={"Id": new_guid()}) for line in lines],
    )


def item_line_postings(organization: Organization, line: LedgerLineData) -> list[Posting]:
    """What one stored line posts (a payment line books on the paid voucher's debtor or creditor)."""
    account, account_code, contact = line.AccountNumber, line.AccountVatCode, None
    if line.IsPaymentForVoucherId is not None:
        account, contact = payment_side(organization, line.IsPaymentForVoucherId, "IsPaymentForVoucherId")
        account_code = "none"
    return line_postings(
        organization,
        line.Amount,
        account,
        line.BalancingAccountNumber,
        _resolved_code(organization, account, account_code),
        _resolved_code(organization, line.BalancingAccountNumber, line.BalancingAccountVatCode),
        line.Description,
        contact,
    )


def _resolved_code(organization: Organization, account: int | None, code: str | None) -> str | None:
    if account is None:
        return None
    return resolve_vat_code(organization, account, code) if code is not None else None
