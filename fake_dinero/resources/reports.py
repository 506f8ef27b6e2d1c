"""Reports for a whole accounting year: saldo, result, balance and primo
(reference §4.14). Plain arrays of {AccountName, AccountNumber, Amount}; the
folds are in ``domain.reports``."""

from __future__ import annotations

from ..call import Call
from ..domain.reports import ReportKind, ReportLine, ReportOptions, report
from ..domain.years import year_named
from ..formats import money_json
from ..models import DineroModel
from ..routing import QueryParam, Routes

routes = Routes(tag="Reports")

BASE = "/v1/{organizationId}/{accountingYear}/reports"


class SaldoBalanceReportApiModel(DineroModel):
    AccountName: str | None = None
    AccountNumber: int
    Amount: float


class ResultReportApiModel(DineroModel):
    AccountName: str | None = None
    AccountNumber: int
    Amount: float


class BalanceReportApiModel(DineroModel):
    AccountName: str | None = None
    AccountNumber: int
    Amount: float


class PrimoBalanceApiModel(DineroModel):
    AccountName: str | None = None
    AccountNumber: int
    Amount: float


ReportModel = type[SaldoBalanceReportApiModel | ResultReportApiModel | BalanceReportApiModel | PrimoBalanceApiModel]

SHOW_ZERO = QueryParam("showZeroAccount", "boolean")
SHOW_NUMBER = QueryParam("showAccountNo", "boolean")
SUMMARY = QueryParam("includeSummaryAccount", "boolean", True)
LEDGER = QueryParam("includeLedgerEntries", "boolean", False)
VAT_TYPE = QueryParam("showVatType", "boolean", False)


def _options(call: Call, ledger_entries: bool) -> ReportOptions:
    """The query as options. ``includeSummeryAccount`` (a spelling a public client sends)
    counts when ``includeSummaryAccount`` is absent; the demo chart has no summary
    accounts, so either changes nothing."""
    summary = call.query_bool("includeSummeryAccount", True)
    return ReportOptions(
        show_zero_accounts=call.query_bool("showZeroAccount", False),
        show_account_numbers=call.query_bool("showAccountNo", False),
        include_summary_accounts=call.query_bool("includeSummaryAccount", summary),
        include_ledger_entries=ledger_entries and call.query_bool("includeLedgerEntries", False),
        show_vat_type=call.query_bool("showVatType", False),
    )


def _report(call: Call, kind: ReportKind, model: ReportModel) -> list[dict[str, object]]:
    options = _options(call, ledger_entries=kind != "primo")
    year = year_named(call.organization, call.params["accountingYear"])
    return [_line(model, line) for line in report(call.organization, year, kind, options)]


def _line(model: ReportModel, line: ReportLine) -> dict[str, object]:
    return model(
        AccountName=line.account_name, AccountNumber=line.account_number, Amount=money_json(line.amount)
    ).model_dump(mode="json")


@routes.get(
    BASE + "/saldo",
    response=list[SaldoBalanceReportApiModel],
    query=(SHOW_ZERO, SHOW_NUMBER, SUMMARY, LEDGER, VAT_TYPE),
)
def get_saldo_balance_report(call: Call) -> list[dict[str, object]]:
    """Every account of the year: result accounts their movement, balance-sheet accounts
    their opening balance plus movement; it sums to zero. Amounts keep the ledger's sign
    (debit positive, income negative). accountingYear is the year's Name (e.g. 2026);
    unknown: 400/47. showAccountNo prefixes AccountName with the number, showVatType
    appends the account's VAT code in parentheses; includeLedgerEntries also counts
    ledger items not yet booked."""
    return _report(call, "saldo", SaldoBalanceReportApiModel)


@routes.get(
    BASE + "/result",
    response=list[ResultReportApiModel],
    query=(SHOW_ZERO, SHOW_NUMBER, LEDGER, VAT_TYPE, SUMMARY),
)
def get_result_report(call: Call) -> list[dict[str, object]]:
    """The income and expense accounts (below 50000): the year's movement, as the saldo shows them."""
    return _report(call, "result", ResultReportApiModel)


@routes.get(
    BASE + "/primo",
    response=list[PrimoBalanceApiModel],
    query=(SHOW_ZERO, SHOW_NUMBER, SUMMARY, VAT_TYPE),
)
def get_primo_balance_report(call: Call) -> list[dict[str, object]]:
    """The balance the year opens with: the balance-sheet accounts at the end of the years
    before, with their result carried to 60020 (Overført resultat); it sums to zero."""
    return _report(call, "primo", PrimoBalanceApiModel)


@routes.get(
    BASE + "/balance",
    response=list[BalanceReportApiModel],
    query=(SHOW_ZERO, SHOW_NUMBER, LEDGER, VAT_TYPE, SUMMARY),
)
def get_balance_report(call: Call) -> list[dict[str, object]]:
    """The balance-sheet accounts (50000 and up): opening balance plus the year's movement.
    The year's own result is not put on 60020 until the next year's primo, so the balance
    sums to minus the year's result, and result plus balance is the saldo."""
    return _report(call, "balance", BalanceReportApiModel)
