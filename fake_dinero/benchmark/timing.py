"""What every part of the benchmark measures with: best-of timings, resident memory,
and the demo fake with a token, built as the fixtures build it."""

from __future__ import annotations

import os
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fake_dinero import FakeDinero

ORG = 123456
"""The demo organization's id."""
START = datetime(2026, 1, 5, 9, 0, tzinfo=timezone.utc)
"""Where the fake's clock stands for the figures that freeze it: early in the year 2026."""


def best_of(
    repeats: int, number: int, action: Callable[[], object], before: Callable[[], object] | None = None
) -> float:
    """Seconds per call: the best of ``repeats`` runs of ``number`` calls (least disturbed:
    the machine is shared, so the fastest run is the one nothing else got in the way of).
    ``before`` runs ahead of each run, untimed."""
    timings = []
    for _ in range(max(1, repeats)):
        if before is not None:
            before()
        start = time.perf_counter()
        for _ in range(number):
            action()
        timings.append((time.perf_counter() - start) / number)
    return min(timings)


async def best_of_async(
    repeats: int, number: int, action: Callable[[], Awaitable[object]], before: Callable[[], object] | None = None
) -> float:
    """``best_of`` for a coroutine function, awaited in the running event loop."""
    timings = []
    for _ in range(max(1, repeats)):
        if before is not None:
            before()
        start = time.perf_counter()
        for _ in range(number):
            await action()
        timings.append((time.perf_counter() - start) / number)
    return min(timings)


def once(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def resident_bytes() -> int:
    """This process's resident memory now (Linux's /proc), or its peak where there is no /proc."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def demo_fake(*, contacts: int = 0, products: int = 0, frozen: bool = False) -> FakeDinero:
    """The demo organization without a rate limit (a benchmark would only measure 429s),
    its clock frozen at ``START`` when asked, with tokens that outlive any move of it."""
    from fake_dinero import Clock, FakeDinero, Settings, World

    settings = Settings(rate_limit=None, ledger_post_seconds=0, token_lifetime_seconds=400 * 86400)
    clock = Clock(START) if frozen else None
    return FakeDinero(World.with_demo(clock=clock, settings=settings, contacts=contacts, products=products))


def bearer(fake: FakeDinero) -> dict[str, str]:
    """Lower-case headers with a legacy token of the demo organization (what ``deliver`` takes)."""
    from fake_dinero.auth import issue_legacy_token

    grant = issue_legacy_token(fake.world, ORG, fake.world.clients["fake-dinero-client"])
    return {"authorization": f"Bearer {grant.token}"}
