"""The soak: memory before, halfway and after many calls into one fake (``--soak N``)."""

from __future__ import annotations

import gc
import time

from .timing import resident_bytes


def soak_lines(requests: int) -> list[str]:
    """Memory before, halfway and after ``requests`` calls into one fake in-process: reads
    with a token, calls without one and calls to paths Dinero does not have, each journaled.
    What the fake keeps per call is bounded, so the figures stay flat."""
    from fake_dinero import FakeDinero, Settings, World
    from fake_dinero.auth import issue_legacy_token
    from fake_dinero.http import ApiRequest

    fake = FakeDinero(World.with_demo(settings=Settings(rate_limit=None), contacts=5, products=5))
    token = issue_legacy_token(fake.world, 123456, fake.world.clients["fake-dinero-client"]).token
    bearer = {"authorization": f"Bearer {token}"}
    calls = [
        ApiRequest("GET", "/v1/123456/contacts", headers=bearer),
        ApiRequest("GET", "/v1/123456/products", query_string="pageSize=2", headers=bearer),
        ApiRequest("GET", "/v1/123456/contacts"),
        ApiRequest("GET", "/v1/123456/contactz", headers=bearer),
    ]
    gc.collect()
    marks = [resident_bytes()]
    started = time.perf_counter()
    for index in range(requests):
        fake.deliver(calls[index % len(calls)])
        if index + 1 == requests // 2:
            gc.collect()
            marks.append(resident_bytes())
    seconds = time.perf_counter() - started
    gc.collect()
    marks.append(resident_bytes())
    start, half, end = (mark / 2**20 for mark in marks)
    return [
        f"soak: {requests:,} calls in-process in {seconds:.1f} s, journal {len(list(fake.journal))} kept",
        f"resident memory at start:                      {start:8.1f} MB",
        f"resident memory halfway:                       {half:8.1f} MB",
        f"resident memory at the end:                    {end:8.1f} MB   end / halfway: {end / half:.3f}",
    ]
