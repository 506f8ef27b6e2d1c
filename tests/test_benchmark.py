"""The benchmark runs end to end at a tiny size and prints every figure it promises.

It measures, so no figure is checked for its value: only that each is named
and has a number.
"""

from __future__ import annotations

import re

import pytest

from fake_dinero import benchmark

FIGURES = (
    "import fake_dinero (over a bare interpreter)",
    "fixture set-up (build fake + start respx)",
    "reset to the seeded state",
    "GET contact through the in-process fake",
    "same GET from a canned respx route",
    "ratio fake / canned",
    "request log (serve), added per request",
    "@given example's fresh fake (fresh_dinero)",
    "@given example, fresh fake + token + POST",
    "create+book+pay 5 invoices over the API",
    "the same through the domain (no HTTP)",
    "ratio API / domain",
    "per invoice over the API, first 2",
    "of which the cyclic GC, first 2",
    "create draft over the API, first 2",
    "book over the API, first 2",
    "pay over the API, first 2",
    "create draft in the domain, first 2",
    "book in the domain, first 2",
    "pay in the domain, first 2",
    "GET draft (previews its number), 0 booked",
    "GET draft (previews its number), 5 booked",
    "ratio 5 booked / 0 booked",
    "saldo 2026, cold (first call after a booking)",
    "saldo 2026, warm (the same call again)",
    "ratio cold / warm",
    "entries 2026 (the whole year), first call",
    "entries 2026 (the whole year), again",
    "ratio first / again",
    "entries of one day (2026-02-04)",
    "entries/changes of a 31-day window",
)


def test_a_tiny_run_prints_every_figure_once_with_a_number(capsys: pytest.CaptureFixture[str]) -> None:
    assert benchmark.main(["--invoices", "5", "--calls", "5", "--import-runs", "1"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[9].startswith("the books: 5 invoices"), "\n".join(table)
    for figure in FIGURES:
        lines = [line for line in table if line.strip().startswith(figure + ":")]
        assert len(lines) == 1, f"{figure!r} is not printed once:\n" + "\n".join(table)
        assert re.search(r":\s+-?\d+\.\d+( (ms|us|s))?(\s|$)", lines[0]), lines[0]
