"""The test control plane from Python: ``fake.control.reset()``, ``.seed(...)``,
``.advance(...)``, ``.webhook_deliveries(...)``, ``.deliver_webhooks()`` and the rest.

The same operations answer over HTTP under ``/_fake/`` (``control_http``).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .domain import webhooks
from .errors import validation_error
from .formats import render_datetime
from .seeding import seed_organization
from .snapshot import WorldState, capture, export_world, import_world, restore, write_snapshot
from .year_of_trade import book_year, require_year_possible

if TYPE_CHECKING:
    from .fake import FakeDinero
    from .world import Organization

Result = TypeVar("Result")



@dataclass(frozen=True)
class Scenario:
    """A named seed: how many contacts and products it adds, and whether it books a year."""

    contacts: int = 0
    products: int = 0
    books_a_year: bool = False
    """Book the previous calendar year in full and the current one to the clock's date,
    with customers and products of its own (``year_of_trade.book_year``)."""


SCENARIOS: dict[str, Scenario] = {
    "empty": Scenario(),
    "demo": Scenario(contacts=5, products=5),
    "busy": Scenario(contacts=250, products=100),
    "year": Scenario(books_a_year=True),
}
"""Named seeds of Danish demo data (Faker ``da_DK``, from the world's seed)."""


def seed_scenario(
    organization: Organization, scenario: str | None = None, *, contacts: int = 0, products: int = 0
) -> dict[str, int]:
    """Seed ``scenario`` (KeyError when unknown) plus ``contacts`` and ``products`` more;
    the counts of what was made: contacts and products, and for a scenario that books
    a year also invoices, creditNotes, payments, manualVouchers, ledgerItems, purchases,
    purchasePayments and entries."""
    chosen = SCENARIOS[scenario] if scenario is not None else Scenario()
    counts = {"contacts": chosen.contacts + contacts, "products": chosen.products + products}
    if chosen.books_a_year:
        require_year_possible(organization)
    seed_organization(organization, **counts)
    if chosen.books_a_year:
        booked = book_year(organization)
        counts = {**booked, "contacts": counts["contacts"] + booked["contacts"],
                  "products": counts["products"] + booked["products"]}
    return counts


def _locked(method: Callable[..., Result]) -> Callable[..., Result]:
    """Run a control operation under the fake's lock, as a call is served: a reset from
    one thread never lands in the middle of another thread's call."""

    @functools.wraps(method)
    def locked(self: Control, *args: Any, **kwargs: Any) -> Result:
        with self.fake.lock:
            return method(self, *args, **kwargs)

    return locked


class Control:
    """Reset, seed, snapshots, clock and provisioning of one fake."""

    def __init__(self, fake: FakeDinero) -> None:
        self.fake = fake
        self._baseline: WorldState = capture(fake.world)

    @property
    def world(self):  # type: ignore[no-untyped-def]
        return self.fake.world

    # -- state -------------------------------------------------------------

    @_locked
    def reset(self) -> None:
        """Back to the baseline (the state the fake started in), with an empty
        journal, no faults and a fresh rate-limit window."""
        restore(self.world, self._baseline)
        self.fake.journal.clear()
        self.fake.faults.clear()

    @_locked
    def set_baseline(self) -> None:
        """Make the current state the one ``reset`` returns to."""
        self._baseline = capture(self.world)

    @_locked
    def seed(
        self,
        scenario: str | None = None,
        *,
        organization_id: int | None = None,
        contacts: int = 0,
        products: int = 0,
    ) -> dict[str, int]:
        """Add Danish demo data (Faker ``da_DK``, from the world's seed) to an organization:
        a named scenario (see ``SCENARIOS``; KeyError when unknown) and ``contacts`` and
        ``products`` more. Returns the counts of what was made (``seed_scenario``).
        Seeding raises no webhook events: it is the fake's doing, not the organization's."""
        organization = self._organization(organization_id)
        with webhooks.quiet():
            return seed_scenario(organization, scenario, contacts=contacts, products=products)

    @_locked
    def dump(self) -> dict[str, Any]:
        """Everything the fake holds, as JSON (the snapshot format)."""
        return export_world(self.world)

    @_locked
    def export(self, path: str | Path | None = None) -> dict[str, Any]:
        """The snapshot; written to ``path`` too, whole or not at all (``write_snapshot``)."""
        document = export_world(self.world)
        if path is not None:
            write_snapshot(path, document)
        return document

    @_locked
    def import_(self, source: dict[str, Any] | str | Path) -> None:
        """Load a snapshot (a dict or a JSON file); it becomes the new baseline."""
        document = source if isinstance(source, dict) else json.loads(Path(source).read_text(encoding="utf-8"))
        import_world(self.world, document)
        self.set_baseline()

    @_locked
    def outbox(self, organization_id: int | None = None) -> list[dict[str, Any]]:
        """Every e-mail, e-invoice and SMS the fake would have sent, oldest first."""
        from .resources.mailouts import outbox

        # The outbox stores its Date as a datetime; show it as Dinero renders times.
        return [
            {**mail, "Date": render_datetime(datetime.fromisoformat(mail["Date"]))} if mail.get("Date") else mail
            for mail in outbox(self.world, organization_id)
        ]

    # -- webhooks ------------------------------------------------------------

    @_locked
    def webhook_deliveries(self, organization_id: int | None = None, status: str | None = None) -> list[dict[str, Any]]:
        """Every webhook delivery (of one organization, or all), oldest first, with its
        payload, its attempts and the answers they got; ``status`` keeps only Pending,
        Delivered, Failed or Cancelled ones."""
        if status is not None and status not in webhooks.STATUSES:
            raise ValueError(f"status is one of {', '.join(webhooks.STATUSES)}, not {status!r}")
        organizations = (
            [self._organization(organization_id)] if organization_id is not None else self.world.organizations.values()
        )
        return [delivery for org in organizations for delivery in webhooks.deliveries(org, status)]

    def deliver_webhooks(self) -> list[dict[str, Any]]:
        """Send every webhook delivery due on the fake's clock now, from the calling
        thread; the deliveries attempted, as ``webhook_deliveries`` shows them."""
        return self.fake.webhooks.pump()

    # -- clock -------------------------------------------------------------

    def now(self) -> datetime:
        return self.world.clock.now()

    def freeze(self, at: datetime | None = None) -> datetime:
        return self.world.clock.freeze(at)

    def unfreeze(self) -> datetime:
        return self.world.clock.unfreeze()

    def set_time(self, at: datetime) -> datetime:
        return self.world.clock.set(at)

    def advance(self, seconds: float = 0, **delta: float) -> datetime:
        return self.world.clock.advance(seconds, **delta)

    # -- provisioning --------------------------------------------------------

    @_locked
    def add_organization(
        self, organization_id: int, name: str = "Ny Organisation ApS", *, pro: bool = True
    ) -> Organization:
        return self.world.add_organization(Id=organization_id, Name=name, is_pro=pro)

    @_locked
    def add_client(self, client_id: str, client_secret: str) -> None:
        self.world.add_client(client_id, client_secret)

    @_locked
    def add_api_key(self, organization_id: int, api_key: str | None = None) -> str:
        self._organization(organization_id)
        return self.world.add_api_key(organization_id, api_key)

    @_locked
    def provision_connect(self, config: dict[str, Any]) -> None:
        """Visma Connect clients and users (and organizations), in the config file's shape."""
        self.world.provision_connect(config)

    def _organization(self, organization_id: int | None) -> Organization:
        if organization_id is None:
            return next(iter(self.world.organizations.values()))
        try:
            return self.world.organizations[organization_id]
        except KeyError:
            raise validation_error({"organizationId": f"No organization {organization_id}."}) from None
