"""The benchmark runs end to end in its quick mode and prints every figure it promises.

It measures, so no figure is checked for its value: only that each is named once
and has a number. One test, so a parallel run makes the quick run once.
"""

from __future__ import annotations

import re

import pytest

from fake_dinero import benchmark

GROUPS = ("live server", "in-process", "scale", "start")
SUMMARY = (
    r"mix per call, sync \(httpx\.Client\)",
    r"mix per call, async \(httpx\.AsyncClient\)",
    r"first page of 100, [\d,]+ contacts",
    r"last page of 100, [\d,]+ contacts",
    r"queryFilter Name eq, [\d,]+ contacts",
    r"queryFilter Name contains, [\d,]+ contacts",
    r"changesSince, \d+ changed of [\d,]+ contacts",
    r"reset to the seeded state after [\d,]+ contacts added",
    r"then freeing the [\d,]+ contacts the reset let go of",
    r"entries of a year, [\d,]+ entries, first call",
    r"entries of a year, [\d,]+ entries, again",
    r"saldo report over [\d,]+ entries, after a booking",
    r"saldo report over [\d,]+ entries, again",
    r"memory added by [\d,]+ contacts, each read once",
    r"memory of one process holding [\d,]+ entities \(scaled down from 1,000,000\)",
    r"import fake_dinero \(over a bare interpreter, \.pyc warm\)",
    r"import fake_dinero\.inprocess \(over a bare interpreter, \.pyc warm\)",
    r"from fake_dinero import FakeDinero \(over a bare interpreter, \.pyc warm\)",
    r"fake-dinero serve, launch to first answer \(\.pyc warm\)",
)
DETAILS = (
    "fixture set-up (build fake + start respx)",
    "reset to the seeded state",
    "GET contact through the in-process fake",
    "same GET from a canned respx route",
    "ratio fake / canned",
    "request log (serve), added per request",
    "@given example's fresh fake (fresh_dinero)",
    "@given example, fresh fake + token + POST",
    "create+book+pay 20 invoices over the API",
    "the same through the domain (no HTTP)",
    "ratio API / domain",
    "per invoice over the API, first 10",
    "of which the cyclic GC, first 10",
    "create draft over the API, first 10",
    "book over the API, first 10",
    "pay over the API, first 10",
    "create draft in the domain, first 10",
    "book in the domain, first 10",
    "pay in the domain, first 10",
    "GET draft (previews its number), 0 booked",
    "GET draft (previews its number), 20 booked",
    "ratio 20 booked / 0 booked",
    "saldo 2026, cold (first call after a booking)",
    "saldo 2026, warm (the same call again)",
    "ratio cold / warm",
    "entries 2026 (the whole year), first call",
    "entries 2026 (the whole year), again",
    "ratio first / again",
    "entries of one day (2026-02-04)",
    "entries/changes of a 31-day window",
)
NUMBER = r"-?[\d,]+(\.\d+)?( (us|ms|s|MB|req/s))?"


def _rows(printed: list[str]) -> list[list[str]]:
    """The summary table's rows, as cells (the header and the rule left out)."""
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in printed if line.startswith("| ")]
    return rows[1:]


def test_a_quick_run_prints_the_table_then_every_figure_once_with_a_number(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert benchmark.main(["--quick"]) == 0
    printed = capsys.readouterr().out.splitlines()
    everything = "\n".join(printed)
    assert printed[0].startswith("Measured ") and " cores, Python " in printed[0], printed[0]
    assert printed[2] == "| group | figure | fake-dinero | yardstick | ratio | goal | met |", everything
    rows = _rows(printed)
    assert {row[0] for row in rows} == set(GROUPS), everything
    for row in rows:
        assert len(row) == 7 and re.fullmatch(NUMBER, row[2]) and row[6] in ("", "yes", "**no**"), row
    for figure in SUMMARY:
        named = [row for row in rows if re.fullmatch(figure, row[1])]
        assert len(named) == 1, f"{figure!r} is not in the table once:\n{everything}"
    for figure in DETAILS:
        lines = [line for line in printed if line.strip().startswith(figure + ":")]
        assert len(lines) == 1, f"{figure!r} is not printed once:\n{everything}"
        assert re.search(r":\s+-?\d+\.\d+( (ms|us|s))?(\s|$)", lines[0]), lines[0]
