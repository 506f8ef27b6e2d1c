"""Memory figures, each measured in a process of its own so nothing measured before
(freed arenas, caches) blurs them: ``python -m fake_dinero.benchmark.memory contacts N``
or ``... entities N``; prints one line of JSON.

``contacts``: the resident memory N contacts add to a fake once every one was read
(over the API, pages of 1000: rendered documents are cached, so this is what a test
that lists its contacts holds). ``entities``: the whole process's resident memory
with N entities in one organization: a quarter contacts, the rest invoices booked
and paid through the domain with their entries (5 each).
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys

from .building import YEAR_SPREAD, add_contacts, book_invoices
from .timing import ORG, bearer, demo_fake, resident_bytes

MB = 2**20


def contacts_added(count: int) -> dict[str, float]:
    from fake_dinero.http import ApiRequest

    fake = demo_fake(frozen=True)
    headers = bearer(fake)
    organization = fake.world.organizations[ORG]

    def page(number: int) -> ApiRequest:
        return ApiRequest("GET", f"/v1/{ORG}/contacts", query_string=f"page={number}&pageSize=1000", headers=headers)

    fake.deliver(page(0))  # every module a read needs is loaded before the first mark
    gc.collect()
    before = resident_bytes()
    add_contacts(organization, count)
    for number in range((count + 999) // 1000):
        response = fake.deliver(page(number)).response
        if response.status != 200:
            raise RuntimeError(f"page {number} answered {response.status}: {response.body[:300]!r}")
    fake.journal.clear()
    gc.collect()
    return {"mb": (resident_bytes() - before) / MB, "count": count}


def entities_held(count: int) -> dict[str, float]:
    from fake_dinero.domain.documents import SALES
    from fake_dinero.domain.ledger import ENTRIES
    from fake_dinero.resources.contacts import CONTACTS

    fake = demo_fake(frozen=True)
    organization = fake.world.organizations[ORG]
    contacts = count // 4
    customers = add_contacts(organization, contacts)
    book_invoices(organization, customers, (count - contacts) // 6, YEAR_SPREAD)
    held = sum(len(organization.table(collection)) for collection in (CONTACTS, SALES, ENTRIES))
    gc.collect()
    return {"mb": resident_bytes() / MB, "count": held}


def measure(kind: str, count: int) -> dict[str, float]:
    """Run one memory figure in a fresh interpreter and return what it printed."""
    finished = subprocess.run(
        [sys.executable, "-m", __name__, kind, str(count)], check=True, capture_output=True, text=True
    )
    return json.loads(finished.stdout.splitlines()[-1])  # type: ignore[no-any-return]


def main(argv: list[str]) -> int:
    kind, count = argv[0], int(argv[1])
    figure = contacts_added(count) if kind == "contacts" else entities_held(count)
    print(json.dumps(figure))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
