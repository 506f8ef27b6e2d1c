"""How fast the fake is: ``python -m fake_dinero.benchmark`` (``--quick`` for a short run).

Prints one Markdown table first (group | figure | fake-dinero | yardstick | ratio |
goal | met) with the machine it ran on: the live server next to a bare Starlette app
started the same way; the in-process mix next to canned respx routes; the scale
figures (100,000 contacts, a year of 100,000 entries, memory, reset); the start
figures. The detailed lines follow: a fixture's set-up and reset, one GET, the
request log, a hypothesis example, and the books at 1,000 invoices.

A benchmark, not a test: it prints numbers and asserts nothing. The machine may be
shared, so every timing is the best of several runs.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass

from .figures import Figure


@dataclass(frozen=True)
class Sizes:
    """How big and how long each part runs."""

    calls: int = 2000
    """Calls per timing run of the detailed in-process lines."""
    rounds: int = 200
    """Rounds of the in-process mix (10 calls each) per timing run."""
    repeats: int = 5
    """Runs per best-of timing."""
    contacts: int = 100_000
    entries: int = 100_000
    entities: int = 1_000_000
    invoices: int = 1000
    """Invoices of the detailed books lines."""
    seconds: float = 5.0
    """Seconds of each load run against the live server and the bare app."""
    import_runs: int = 5
    serve_runs: int = 3


QUICK = Sizes(
    calls=50, rounds=10, repeats=2, contacts=10_000, entries=10_000, entities=20_000, invoices=20, seconds=1.0,
    import_runs=1, serve_runs=1,
)  # fmt: skip


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m fake_dinero.benchmark", description=(__doc__ or "").splitlines()[0]
    )
    full = Sizes()
    parser.add_argument("--quick", action="store_true",
                        help="everything small and short (10,000 contacts, 1 s load runs): a smoke run")  # fmt: skip
    for name, text in (
        ("calls", "calls per timing run of the detailed in-process lines"),
        ("rounds", "rounds of the in-process mix (10 calls each) per timing run"),
        ("repeats", "runs per best-of timing"),
        ("contacts", "contacts of the scale figures"),
        ("entries", "entries of the year for the entries and saldo figures"),
        ("entities", "entities held in one process for the memory figure"),
        ("invoices", "invoices booked and paid for the detailed books lines"),
        ("import-runs", "interpreter starts per import timing"),
        ("serve-runs", "launches of fake-dinero serve"),
    ):
        parser.add_argument(f"--{name}", type=int, help=f"{text} (default {getattr(full, name.replace('-', '_')):,})")
    parser.add_argument("--seconds", type=float, help=f"seconds per live load run (default {full.seconds:g})")
    parser.add_argument("--soak", type=int, default=0, metavar="N",
                        help="only the soak test: memory over N calls into one fake (e.g. 1000000)")  # fmt: skip
    return parser


def _sizes(args: argparse.Namespace) -> Sizes:
    chosen = QUICK if args.quick else Sizes()
    given = {
        name: getattr(args, name)
        for name in ("calls", "rounds", "repeats", "contacts", "entries", "entities", "invoices", "seconds",
                     "import_runs", "serve_runs")  # fmt: skip
        if getattr(args, name) is not None
    }
    return Sizes(**{**chosen.__dict__, **given})


def _step(what: str, action: Callable[[], list[Figure]], figures: list[Figure]) -> None:
    """Measure one part, telling stderr how long it took (the table comes at the end)."""
    started = time.perf_counter()
    print(f"measuring {what}...", file=sys.stderr, flush=True)
    figures += action()
    gc.collect()  # what the part built is gone before the next one starts
    print(f"  {what}: {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)


def _live(sizes: Sizes, figures: list[Figure], notes: list[str]) -> None:
    """The live server's figures, from the module that drives it; a failure there is
    noted in the table and the rest is still measured."""
    try:
        from .live import live_figures

        _step("the live server", lambda: live_figures(seconds=sizes.seconds, contacts=200), figures)
    except Exception as error:  # noqa: BLE001 - the other parts are still worth printing
        traceback.print_exc(file=sys.stderr)
        notes.append(f"live server: not measured ({type(error).__name__}: {error})")


def measure(sizes: Sizes) -> tuple[list[Figure], list[str], list[str]]:
    """Every figure of the table, the notes under it, and the detailed lines."""
    from . import books, calls, inprocess, scale, start

    figures: list[Figure] = []
    notes: list[str] = []
    _live(sizes, figures, notes)
    _step("the in-process mix", lambda: inprocess.mix_figures(sizes.rounds, sizes.repeats), figures)
    _step(f"{sizes.contacts:,} contacts", lambda: scale.contact_figures(sizes.contacts, sizes.repeats), figures)
    _step(f"a year of {sizes.entries:,} entries", lambda: scale.books_figures(sizes.entries, sizes.repeats), figures)
    _step("memory", lambda: scale.memory_figures(sizes.contacts, sizes.entities), figures)
    _step("imports", lambda: start.import_figures(sizes.import_runs), figures)
    _step("serve's start", lambda: [start.serve_figure(sizes.serve_runs)], figures)
    print("measuring the detailed lines...", file=sys.stderr, flush=True)
    lines = calls.call_lines(sizes.calls)
    gc.collect()
    lines += books.books_table(max(sizes.invoices, 2), sizes.calls)
    return figures, notes, lines


def main(argv: list[str] | None = None) -> int:
    from . import table

    args = _parser().parse_args(argv)
    if args.soak:
        from .soak import soak_lines

        for line in soak_lines(args.soak):
            print(line, flush=True)
        return 0
    figures, notes, lines = measure(_sizes(args))
    if args.quick:
        notes.append("--quick: sizes and runs scaled down; not the figures to quote.")
    for line in [*table.summary(figures, notes), "", *lines]:
        print(line)
    return 0
