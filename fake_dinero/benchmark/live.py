"""The live-server figures: ``fake-dinero serve`` and the ``dinero_server`` fixture's
server under a fixed request mix, next to a bare Starlette app on the same server stack."""

from __future__ import annotations

from .figures import Figure

GROUP = "live server"


def live_figures(*, seconds: float, contacts: int = 200, concurrency: tuple[int, ...] = (32, 1)) -> list[Figure]:
    """The live-server figures, each ``seconds`` of load per run (a first version: none yet)."""
    return []
