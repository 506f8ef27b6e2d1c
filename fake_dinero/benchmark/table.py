"""How the figures are printed: one Markdown table (group | figure | fake-dinero |
yardstick | ratio | goal | met) under a line naming the machine and the date, ready
to paste into the README; the detailed lines follow it."""

from __future__ import annotations

import platform
from collections.abc import Iterable
from datetime import datetime, timezone
from importlib import metadata

from .figures import Figure

COLUMNS = ("group", "figure", "fake-dinero", "yardstick", "ratio", "goal", "met")


def _cpu() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _cores() -> int:
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _version(distribution: str) -> str | None:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def machine_line(now: datetime | None = None) -> str:
    """The machine, interpreter and date the figures were measured on."""
    moment = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC")
    parts = [
        _cpu(), f"{_cores()} cores", f"Python {platform.python_version()} ({platform.python_implementation()})",
        platform.platform(terse=True),
    ]  # fmt: skip
    for distribution in ("fake-dinero", "uvloop", "httptools"):
        version = _version(distribution)
        if version is not None:
            parts.append(f"{distribution} {version}")
    return f"Measured {moment} on " + ", ".join(parts) + "."


def number(value: float, unit: str) -> str:
    """A value with as many places as its size deserves, and its unit."""
    if unit == "req/s" or float(value).is_integer():
        text = f"{value:,.0f}"
    elif abs(value) >= 100:
        text = f"{value:,.0f}"
    elif abs(value) >= 10:
        text = f"{value:.1f}"
    elif abs(value) >= 1:
        text = f"{value:.2f}"
    else:
        text = f"{value:.3f}"
    return f"{text} {unit}".strip()


def _cells(figure: Figure) -> tuple[str, ...]:
    yardstick = ratio = ""
    if figure.reference is not None:
        named = f" ({figure.reference_name})" if figure.reference_name else ""
        yardstick = number(figure.reference, figure.unit) + named
        ratio = f"{figure.value / figure.reference:.2f}x" if figure.reference else "-"
    met = "" if figure.met is None else ("yes" if figure.met else "**no**")
    return (figure.group, figure.name, number(figure.value, figure.unit), yardstick, ratio, figure.goal, met)


def summary(figures: Iterable[Figure], notes: Iterable[str] = ()) -> list[str]:
    """The Markdown table of ``figures``, in the order given, after the machine line;
    ``notes`` (parts not measured, and why) follow it."""
    lines = [machine_line(), "", "| " + " | ".join(COLUMNS) + " |", "|" + "|".join("---" for _ in COLUMNS) + "|"]
    lines += ["| " + " | ".join(cell.replace("|", "/") for cell in _cells(figure)) + " |" for figure in figures]
    lines += [f"- {note}" for note in notes]
    return lines


def detail(label: str, figure: str, note: str = "") -> str:
    """One detailed line: the label, a figure with its unit, and a note."""
    return f"{label + ':':<47}{figure}" + (f"   {note}" if note else "")


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.3f} ms"


def us(seconds: float) -> str:
    return f"{seconds * 1e6:8.1f} us"


def ratio(value: float) -> str:
    return f"{value:8.2f}"


