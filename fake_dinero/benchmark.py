"""How fast the fake is, measured in one run: ``python -m fake_dinero.benchmark``.

Reports import time, the set-up and reset of a fake as the pytest fixtures
do them, and the per-call cost of a GET through the in-process fake next to
the same GET answered by a canned respx route (the cheapest mock there is).
A benchmark, not a test: it prints numbers and asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

import httpx
import respx


def _best_of(repeats: int, number: int, action: Callable[[], object]) -> float:
    """Seconds per call: the best of ``repeats`` runs of ``number`` calls (least disturbed)."""
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(number):
            action()
        timings.append((time.perf_counter() - start) / number)
    return min(timings)


def import_seconds(runs: int = 5) -> float:
    """Median extra seconds ``import fake_dinero`` adds to a bare interpreter start."""

    def run(code: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        return time.perf_counter() - start

    bare = statistics.median(run("pass") for _ in range(runs))
    loaded = statistics.median(run("import fake_dinero, fake_dinero.inprocess") for _ in range(runs))
    return loaded - bare


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=2000, help="calls per timing run")
    args = parser.parse_args(argv)

    from fake_dinero import FakeDinero, Settings, World
    from fake_dinero.auth import issue_legacy_token
    from fake_dinero.inprocess import InProcessDinero
    from fake_dinero.resources.contacts import CONTACTS

    def build() -> FakeDinero:
        return FakeDinero(World.with_demo(settings=Settings(rate_limit=None), contacts=5, products=5))

    fake = build()
    setup = _best_of(5, 50, lambda: InProcessDinero(build()).start().stop())
    reset = _best_of(5, 1000, fake.control.reset)

    grant = issue_legacy_token(fake.world, 123456, fake.world.clients["fake-dinero-client"])
    headers = {"Authorization": f"Bearer {grant.token}"}
    guid = next(iter(fake.world.organizations[123456].table(CONTACTS))).key
    url = f"https://api.dinero.dk/v1/123456/contacts/{guid}"

    with httpx.Client() as client:
        with InProcessDinero(fake):
            body = client.get(url, headers=headers).content
            through_fake = _best_of(5, args.calls, lambda: client.get(url, headers=headers))
        with respx.mock(assert_all_called=False) as router:
            router.get(url).mock(return_value=httpx.Response(200, content=body))
            canned = _best_of(5, args.calls, lambda: client.get(url, headers=headers))

    print(f"import fake_dinero (over a bare interpreter): {import_seconds() * 1000:8.1f} ms")
    print(f"fixture set-up (build fake + start respx):     {setup * 1000:8.3f} ms")
    print(f"reset to the seeded state:                     {reset * 1000:8.4f} ms")
    print(f"GET contact through the in-process fake:       {through_fake * 1e6:8.1f} us")
    print(f"same GET from a canned respx route:            {canned * 1e6:8.1f} us")
    print(f"ratio fake / canned:                           {through_fake / canned:8.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
