"""The books: manual vouchers (finansbilag) and ledger items (kassekladde), whose
lines move an amount from a balancing account to an account and always balance."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from ._common import (
    Casing,
    Strategy,
    Years,
    account_vat_codes,
    accounting_dates,
    amounts,
    balance_accounts,
    cased,
    deposit_accounts,
    labelled,
    numbers_of,
    purchase_accounts,
    references,
    sales_accounts,
    sometimes,
    text,
    weighted,
)

PURCHASE_CODES = ("I25", "REP", "HREP")
"""Danish purchase VAT codes an expense line may name instead of its account's own."""


def _signed() -> Strategy[float]:
    """A line's Amount: mostly positive, now and then negative (a correction)."""
    positive = amounts(Decimal("0.01"), 100_000)
    return weighted(positive, positive, positive, positive.map(lambda amount: -amount))


def _sale(deposits: list[int], sales: list[int]) -> Strategy[dict[str, Any]]:
    """Money into a deposit account from a sales account; VAT on top by the sales
    account's own code (named, or left for Dinero to take from the account)."""
    own = account_vat_codes()

    def line(drawn: tuple[int, int, float, bool]) -> dict[str, Any]:
        deposit, sales_account, amount, named = drawn
        body: dict[str, Any] = {"AccountNumber": deposit, "BalancingAccountNumber": sales_account, "Amount": amount}
        if named and own.get(sales_account):
            body["BalancingAccountVatCode"] = own[sales_account]
        return body

    return st.tuples(st.sampled_from(deposits), st.sampled_from(sales), _signed(), st.booleans()).map(line)


def _expense(deposits: list[int], expenses: list[int]) -> Strategy[dict[str, Any]]:
    """An expense paid from a deposit account, VAT included in the amount: the
    account's own code, a Danish purchase code, or none."""
    return st.fixed_dictionaries(
        {
            "AccountNumber": st.sampled_from(expenses),
            "BalancingAccountNumber": st.sampled_from(deposits),
            "Amount": _signed(),
        },
        optional={"AccountVatCode": st.sampled_from(PURCHASE_CODES + ("none",))},
    )


def _transfer(accounts: list[int]) -> Strategy[dict[str, Any]]:
    """Between two balance-sheet accounts without VAT (bank to savings, a loan...)."""
    pair = st.lists(st.sampled_from(accounts), min_size=2, max_size=2, unique=True)
    return st.tuples(pair, _signed()).map(
        lambda drawn: {"AccountNumber": drawn[0][0], "BalancingAccountNumber": drawn[0][1], "Amount": drawn[1]}
    )


def _one_sided_pair(accounts: list[int]) -> Strategy[list[dict[str, Any]]]:
    """Two lines of one side each that balance each other: ``Amount`` onto one account,
    the same off another (accounts without VAT, so nothing is added)."""
    pair = st.lists(st.sampled_from(accounts), min_size=2, max_size=2, unique=True)
    return st.tuples(pair, _signed()).map(
        lambda drawn: [
            {"AccountNumber": drawn[0][0], "Amount": drawn[1]},
            {"BalancingAccountNumber": drawn[0][1], "Amount": drawn[1]},
        ]
    )


@labelled
def balanced_lines(
    *,
    deposits: Iterable[int] | None = None,
    max_lines: int = 4,
    casing: Casing = "pascal",
) -> Strategy[list[dict[str, Any]]]:
    """Lines of a manual voucher or a ledger item that balance, VAT included: cash
    sales (a deposit account from a sales account, the sales account's VAT code),
    expenses (an expense account from a deposit account, a purchase VAT code or
    none), transfers between balance-sheet accounts, and pairs of one-sided lines
    that make up for each other. Accounts are the demo chart's, money moves through
    ``deposits`` (default: the demo deposit accounts); 1 to ``max_lines`` entries (a
    pair counts as one)."""
    banks = deposit_accounts() if deposits is None else numbers_of(deposits, "balanced_lines")
    others = set(deposit_accounts()) - set(banks)
    sales, expenses = sales_accounts(), purchase_accounts()
    balance = sorted({*banks, *(account for account in balance_accounts() if account not in others)})
    single = weighted(_sale(banks, sales), _expense(banks, expenses), _transfer(balance)).map(
        lambda line: [line]
    )
    entry = weighted(single, single, single, _one_sided_pair(balance))
    lines = st.lists(_entry_described(entry), min_size=1, max_size=max_lines).map(
        lambda entries: [line for group in entries for line in group]
    )
    return cased(lines, casing)


def _entry_described(entry: Strategy[list[dict[str, Any]]]) -> Strategy[list[dict[str, Any]]]:
    """The lines of an entry (one or two), each sometimes with a Description."""
    texts = st.lists(sometimes(text(0, 60)), min_size=2, max_size=2)
    return st.tuples(entry, texts).map(
        lambda drawn: [
            line if said is None else {"Description": said, **line} for line, said in zip(*drawn, strict=False)
        ]
    )


@labelled
def manual_voucher_bodies(
    *,
    years: Years | None = None,
    casing: Casing | None = "pascal",
    max_lines: int = 4,
    timestamp: str | None = None,
) -> Strategy[dict[str, Any]]:
    """Bodies for ``POST /v1/{org}/vouchers/manuel`` that Dinero accepts, and books.

    ``Lines`` from ``balanced_lines``; ``VoucherDate``, when sent, within ``years``
    (default ``demo_years()``; left out, Dinero dates the voucher today);
    sometimes an ``ExternalReference``. ``timestamp`` (the draft's current
    ``Timestamp``) makes it a body for ``PUT .../vouchers/manuel/{guid}``.
    """
    fixed: dict[str, Strategy[Any]] = {"Lines": balanced_lines(max_lines=max_lines)}
    if timestamp is not None:
        fixed["Timestamp"] = st.just(timestamp)
    optional = {"VoucherDate": sometimes(accounting_dates(years)), "ExternalReference": sometimes(references())}
    return cased(st.fixed_dictionaries(fixed, optional=optional), casing)


@labelled
def ledger_item_bodies(
    *,
    years: Years | None = None,
    casing: Casing | None = "pascal",
    max_items: int = 3,
    max_lines: int = 3,
) -> Strategy[list[dict[str, Any]]]:
    """Bodies for ``POST /v1.2/{org}/ledgeritems``: a JSON array of 1 to ``max_items``
    items (Dinero answers one item's ``{Id, Version}``, or an array of them for
    several), each with ``balanced_lines`` and sometimes a ``VoucherDate`` within
    ``years``. No ``Id``, ``VoucherNumber`` or ``FileGuid``: Dinero chooses them.

    Dinero refuses a second post for the organization while it still works on
    the first (400/70; the fake: within ``Settings.ledger_post_seconds`` of the
    fake's clock), so a test that posts twice moves the clock between posts
    (``dinero.advance(1)``).
    """
    item = st.fixed_dictionaries(
        {"Lines": balanced_lines(max_lines=max_lines)},
        optional={"VoucherDate": sometimes(accounting_dates(years))},
    )
    return cased(st.lists(item, min_size=1, max_size=max_items), casing)
