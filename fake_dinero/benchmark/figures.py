"""One measured figure of the summary table, with the yardstick it is compared to."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """One line of the summary table: what was measured, in which unit, next to the
    yardstick measured in the same run (when there is one) and the goal it is held to."""

    group: str
    """The part of the table: ``live server``, ``in-process``, ``scale`` or ``start``."""
    name: str
    value: float
    unit: str
    """``req/s``, ``ms``, ``us``, ``MB``, ``s`` or empty for a plain ratio."""
    reference: float | None = None
    """The yardstick's value, in the same unit, measured in the same run."""
    reference_name: str = ""
    goal: str = ""
    """The goal in words, e.g. ``>= 50% of bare Starlette`` or ``<= 2 ms``; empty: none."""
    met: bool | None = None
    """Whether the goal is met; None when there is no goal."""
