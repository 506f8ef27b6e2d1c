"""The in-process mix: what the ``dinero`` fixture's path (``InProcessDinero``, respx)
costs a client, next to the same calls answered by canned respx routes.

Per 10 calls: 5 GET of one contact, 3 GET of a page of 100 contacts, 2 POST of a
1 KB contact, against the demo organization with 200 contacts. The canned routes
answer the same URLs with the bodies the fake gave, so both sides go through
httpx and respx and differ only in who makes the answer. The fake is reset to
its seeded state before each timed run, so the POSTs do not pile up.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import httpx
import respx

from .figures import Figure
from .timing import ORG, bearer, best_of, best_of_async, demo_fake

if TYPE_CHECKING:
    from fake_dinero import FakeDinero

GROUP = "in-process"
SEEDED = 200
GOAL = 1.3
"""At most this many times the canned routes' time."""
ORDER = "GLGPGLGPGL"
"""One round of the mix: G a contact, L a page of 100, P a POST (5, 3 and 2 of 10)."""
BASE = f"https://api.dinero.dk/v1/{ORG}"
PAGE_URL = f"{BASE}/contacts?page=0&pageSize=100"
CREATE_URL = f"{BASE}/contacts"


def kilobyte_contact() -> dict[str, object]:
    """A contact whose JSON is about 1 KB: every text field a client would fill, filled."""
    return {
        "ExternalReference": "crm-" + "7" * 60,
        "Name": "Andersen & Søn Tømrer- og Snedkerforretning ApS, afdeling Nordjylland",
        "Street": "Vesterbrogade 123, 4. tv., baghuset, indgang fra gården ved cykelkælderen",
        "ZipCode": "9000",
        "City": "Aalborg",
        "CountryKey": "DK",
        "Phone": "+45 98 12 34 56",
        "Email": "bogholderi.nordjylland@andersen-og-soen-toemrer.example.dk",
        "Webpage": "https://www.andersen-og-soen-toemrer.example.dk/afdelinger/nordjylland/kontakt",
        "AttPerson": "Mette Kirstine Andersen, bogholder og kontorleder",
        "VatNumber": "DK12345678",
        "EanNumber": "5790001234567",
        "SENumber": "12345678",
        "PNumber": "1012345678",
        "PaymentConditionType": "Netto",
        "PaymentConditionNumberOfDays": 14,
        "IsPerson": False,
        "IsMember": True,
        "MemberNumber": "M-" + "4" * 120,
        "UseCvr": False,
        "CompanyTypeKey": "ApS",
        "InvoiceMailOutOptionKey": "VAN",
        "PreferredInvoiceLanguageKey": "da",
    }


class _Mix:
    """The three calls of the mix, with their URLs and the bodies the fake gave them."""

    def __init__(self, fake: FakeDinero) -> None:
        from fake_dinero.resources.contacts import CONTACTS

        organization = fake.world.organizations[ORG]
        guid = next(iter(organization.table(CONTACTS))).key
        self.contact_url = f"{BASE}/contacts/{guid}"
        self.headers = {"Authorization": bearer(fake)["authorization"]}
        self.body = json.dumps(kilobyte_contact()).encode()

    def sync_round(self, client: httpx.Client) -> Callable[[], None]:
        headers, post_headers = self.headers, {**self.headers, "Content-Type": "application/json"}

        def round_() -> None:
            for call in ORDER:
                if call == "G":
                    response = client.get(self.contact_url, headers=headers)
                elif call == "L":
                    response = client.get(PAGE_URL, headers=headers)
                else:
                    response = client.post(CREATE_URL, content=self.body, headers=post_headers)
                if response.status_code != 200:
                    raise RuntimeError(f"{call} answered {response.status_code}: {response.text}")

        return round_

    def async_round(self, client: httpx.AsyncClient) -> Callable[[], Awaitable[None]]:
        headers, post_headers = self.headers, {**self.headers, "Content-Type": "application/json"}

        async def round_() -> None:
            for call in ORDER:
                if call == "G":
                    response = await client.get(self.contact_url, headers=headers)
                elif call == "L":
                    response = await client.get(PAGE_URL, headers=headers)
                else:
                    response = await client.post(CREATE_URL, content=self.body, headers=post_headers)
                if response.status_code != 200:
                    raise RuntimeError(f"{call} answered {response.status_code}: {response.text}")

        return round_

    def canned(self, fake: FakeDinero) -> respx.MockRouter:
        """respx routes answering the mix's URLs with what the fake answers them."""
        from fake_dinero.inprocess import InProcessDinero

        with httpx.Client() as client, InProcessDinero(fake):
            answers = [
                client.get(self.contact_url, headers=self.headers),
                client.get(PAGE_URL, headers=self.headers),
                client.post(CREATE_URL, content=self.body, headers=self.headers),
            ]
        for answer in answers:
            if answer.status_code != 200:
                raise RuntimeError(f"{answer.request.url} answered {answer.status_code}: {answer.text}")
        contact, page, created = (answer.content for answer in answers)
        fake.control.reset()
        router = respx.mock(assert_all_called=True, assert_all_mocked=True)
        json_type = {"content-type": "application/json; charset=utf-8"}
        router.get(self.contact_url).mock(return_value=httpx.Response(200, content=contact, headers=json_type))
        router.get(PAGE_URL).mock(return_value=httpx.Response(200, content=page, headers=json_type))
        router.post(CREATE_URL).mock(return_value=httpx.Response(200, content=created, headers=json_type))
        return router


def mix_figures(rounds: int, repeats: int = 5) -> list[Figure]:
    """Microseconds per call of the mix, sync and async, through the fake and canned
    (``rounds`` rounds of 10 calls per timed run, the best of ``repeats`` runs)."""
    from fake_dinero.inprocess import InProcessDinero

    fake = demo_fake(contacts=SEEDED)
    mix = _Mix(fake)
    fake.control.set_baseline()  # with the token, so a reset keeps it
    router = mix.canned(fake)
    reset = fake.control.reset
    calls = rounds * len(ORDER)

    with httpx.Client() as client:
        round_ = mix.sync_round(client)
        with InProcessDinero(fake):
            sync_fake = best_of(repeats, rounds, round_, before=reset) * rounds / calls
        with router:
            sync_canned = best_of(repeats, rounds, round_) * rounds / calls

    async def async_runs() -> tuple[float, float]:
        async with httpx.AsyncClient() as client:
            round_ = mix.async_round(client)
            with InProcessDinero(fake):
                through_fake = await best_of_async(repeats, rounds, round_, before=reset)
            with router:
                canned = await best_of_async(repeats, rounds, round_)
        return through_fake * rounds / calls, canned * rounds / calls

    async_fake, async_canned = asyncio.run(async_runs())
    return [
        _figure("sync (httpx.Client)", sync_fake, sync_canned),
        _figure("async (httpx.AsyncClient)", async_fake, async_canned),
    ]


def _figure(client: str, through_fake: float, canned: float) -> Figure:
    ratio = through_fake / canned
    return Figure(
        GROUP, f"mix per call, {client}", through_fake * 1e6, "us", canned * 1e6, "canned respx routes",
        f"<= {GOAL}x canned", ratio <= GOAL,
    )  # fmt: skip
