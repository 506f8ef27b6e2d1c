"""The in-process figures in detail: a fixture's set-up and reset, one GET through the
fake next to the same GET from a canned respx route (the cheapest mock there is),
what ``serve``'s request log adds to each answer, and what one hypothesis example
with a fresh fake costs."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import httpx
import respx

from .timing import best_of

if TYPE_CHECKING:
    from fake_dinero import FakeDinero


def call_lines(calls: int) -> list[str]:
    """Fixture set-up, reset, and a GET through the fake next to a canned one
    (set-up and reset repeated fewer times when ``calls`` is under 2000 and 1000)."""
    from fake_dinero import FakeDinero, Settings, World
    from fake_dinero.auth import issue_legacy_token
    from fake_dinero.inprocess import InProcessDinero
    from fake_dinero.resources.contacts import CONTACTS

    def build() -> FakeDinero:
        return FakeDinero(World.with_demo(settings=Settings(rate_limit=None), contacts=5, products=5))

    fake = build()
    setup = best_of(5, max(1, min(50, calls // 40)), lambda: InProcessDinero(build()).start().stop())
    reset = best_of(5, max(1, min(1000, calls // 2)), fake.control.reset)

    grant = issue_legacy_token(fake.world, 123456, fake.world.clients["fake-dinero-client"])
    headers = {"Authorization": f"Bearer {grant.token}"}
    guid = next(iter(fake.world.organizations[123456].table(CONTACTS))).key
    url = f"https://api.dinero.dk/v1/123456/contacts/{guid}"

    log_cost, deliver_alone = request_log_cost(fake, url.removeprefix("https://api.dinero.dk"), headers, calls)
    fresh, example = given_example_cost(max(1, min(500, calls // 4)))

    with httpx.Client() as client:
        with InProcessDinero(fake):
            body = client.get(url, headers=headers).content
            through_fake = best_of(5, calls, lambda: client.get(url, headers=headers))
        with respx.mock(assert_all_called=False) as router:
            router.get(url).mock(return_value=httpx.Response(200, content=body))
            canned = best_of(5, calls, lambda: client.get(url, headers=headers))

    return [
        f"fixture set-up (build fake + start respx):     {setup * 1000:8.3f} ms",
        f"reset to the seeded state:                     {reset * 1000:8.4f} ms",
        f"GET contact through the in-process fake:       {through_fake * 1e6:8.1f} us",
        f"same GET from a canned respx route:            {canned * 1e6:8.1f} us",
        f"ratio fake / canned:                           {through_fake / canned:8.2f}",
        f"request log (serve), added per request:        {log_cost * 1e6:8.1f} us   "
        f"deliver alone: {deliver_alone * 1e6:.1f} us (text lines to memory through serve's writer thread)",
        f"@given example's fresh fake (fresh_dinero):    {fresh * 1e6:8.1f} us   (reset + start and stop the doors)",
        f"@given example, fresh fake + token + POST:     {example * 1e6:8.1f} us   "
        f"{1 / example:,.0f} examples a second (a contact created in a clean fake)",
    ]


def given_example_cost(runs: int) -> tuple[float, float]:
    """Seconds of one hypothesis example's clean fake (``with fresh_dinero():`` and
    nothing in it), and of an example that logs in and creates a contact in it."""
    from fake_dinero.pytest_plugin.handle import fresh_dinero

    contact = {"Name": "Kunde ApS", "CountryKey": "DK"}

    def empty() -> None:
        with fresh_dinero():
            pass

    def example(client: httpx.Client) -> None:
        with fresh_dinero() as dinero:
            client.post(dinero.url("/v1/{org}/contacts"), json=contact, headers=dinero.headers())

    with httpx.Client() as client:
        example(client)  # builds the reused fake once
        return best_of(5, runs, empty), best_of(5, runs, lambda: example(client))


def request_log_cost(fake: FakeDinero, path: str, headers: dict[str, str], calls: int) -> tuple[float, float]:
    """Seconds ``serve``'s request log adds to one answer, and the seconds of the answer
    alone: ``deliver`` with and without the log, as the Starlette door calls them, its
    lines going to an in-memory stream through the writer thread ``serve`` uses."""
    from fake_dinero.http import ApiRequest
    from fake_dinero.request_log import ConsoleWriter, RequestLog

    request = ApiRequest("GET", path, headers={name.lower(): value for name, value in headers.items()})
    writer = ConsoleWriter(io.StringIO(), capacity=0)
    log = RequestLog(writer)

    def logged() -> None:
        journal = fake.journal
        journaled = len(journal)
        delivery = fake.deliver(request)
        entry = journal.entries[-1] if len(journal) > journaled else None
        log.answered(request, delivery.response, entry, now=fake.world.clock.now)

    try:
        alone = best_of(5, calls, lambda: fake.deliver(request))
        with_log = best_of(5, calls, logged)
    finally:
        writer.close()
        fake.journal.clear()
    return max(0.0, with_log - alone), alone
