"""What the ``dinero`` and ``dinero_server`` fixtures hand a test."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from fake_dinero.auth import issue_legacy_token
from fake_dinero.clock import Clock
from fake_dinero.control import Control
from fake_dinero.fake import FakeDinero
from fake_dinero.faults import Faults
from fake_dinero.journal import Journal
from fake_dinero.world import (
    DEFAULT_API_KEY,
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_VISMA_CLIENT_ID,
    DEFAULT_VISMA_CLIENT_SECRET,
    DEFAULT_VISMA_REDIRECT_URI,
    DEFAULT_VISMA_USER_EMAIL,
    Settings,
    World,
)

DINERO_API = "https://api.dinero.dk"
DINERO_TOKEN_URL = "https://authz.dinero.dk/dineroapi/oauth/token"
VISMA_CONNECT = "https://connect.visma.com"


@dataclass
class Dinero:
    """A fake Dinero for one test: its URLs, credentials and control plane.

    ``base_url`` and ``token_url`` are Dinero's own for the in-process fake
    (so production code that hard-codes them works) and the live server's
    for ``dinero_server``.
    """

    fake: FakeDinero = field(repr=False)
    base_url: str
    token_url: str
    client_id: str
    client_secret: str
    api_key: str
    organization_id: int
    visma_base_url: str
    """Where Visma Connect answers: ``https://connect.visma.com`` in-process, the server's URL live."""
    visma_client_id: str
    visma_client_secret: str
    visma_redirect_uri: str
    visma_user_email: str

    @property
    def authorize_url(self) -> str:
        return f"{self.visma_base_url}/connect/authorize"

    @property
    def visma_token_url(self) -> str:
        return f"{self.visma_base_url}/connect/token"

    @property
    def world(self) -> World:
        return self.fake.world

    @property
    def control(self) -> Control:
        return self.fake.control

    @property
    def clock(self) -> Clock:
        return self.fake.world.clock

    @property
    def faults(self) -> Faults:
        return self.fake.faults

    @property
    def journal(self) -> Journal:
        return self.fake.journal

    def token(self) -> str:
        """A fresh legacy access token for the organization, without a login call."""
        client = self.world.clients[self.client_id]
        return issue_legacy_token(self.world, self.organization_id, client).token

    def headers(self) -> dict[str, str]:
        """``Authorization`` for a fresh token, ready for a request."""
        return {"Authorization": f"Bearer {self.token()}"}

    def url(self, path: str) -> str:
        """``base_url`` plus a path; ``{org}`` in it becomes the organization id."""
        return self.base_url + path.format(org=self.organization_id)

    # The control plane, at hand.
    def reset(self) -> None:
        self.control.reset()

    def seed(self, scenario: str | None = None, **counts: Any) -> dict[str, int]:
        counts.setdefault("organization_id", self.organization_id)
        return self.control.seed(scenario, **counts)

    def advance(self, seconds: float = 0, **delta: float) -> datetime:
        return self.control.advance(seconds, **delta)

    def freeze(self, at: datetime | None = None) -> datetime:
        return self.control.freeze(at)

    def set_time(self, at: datetime) -> datetime:
        return self.control.set_time(at)

    def outbox(self) -> list[dict[str, Any]]:
        """The e-mails, e-invoices and SMS the organization would have sent, oldest first."""
        return self.control.outbox(self.organization_id)

    def export(self, path: str | Path | None = None) -> dict[str, Any]:
        return self.control.export(path)

    def import_(self, source: dict[str, Any] | str | Path) -> None:
        self.control.import_(source)


def build_fake(options: dict[str, Any]) -> FakeDinero:
    start = options["clock_start"]
    if isinstance(start, str):
        start = datetime.fromisoformat(start.replace("Z", "+00:00"))
    if isinstance(start, datetime) and start.tzinfo is None:
        start = start.replace(tzinfo=timezone.utc)
    world = World.with_demo(
        seed=options["seed"],
        clock=Clock(start),
        settings=Settings(rate_limit=options["rate_limit"]),
        organization_id=options["organization_id"],
        pro=options["pro"],
        contacts=options["contacts"],
        products=options["products"],
    )
    world.add_demo_connect()
    return FakeDinero(world)


def dinero_handle(fake: FakeDinero, options: dict[str, Any], base_url: str, token_url: str, visma: str) -> Dinero:
    return Dinero(
        fake=fake,
        base_url=base_url,
        token_url=token_url,
        client_id=DEFAULT_CLIENT_ID,
        client_secret=DEFAULT_CLIENT_SECRET,
        api_key=DEFAULT_API_KEY,
        organization_id=options["organization_id"],
        visma_base_url=visma,
        visma_client_id=DEFAULT_VISMA_CLIENT_ID,
        visma_client_secret=DEFAULT_VISMA_CLIENT_SECRET,
        visma_redirect_uri=DEFAULT_VISMA_REDIRECT_URI,
        visma_user_email=DEFAULT_VISMA_USER_EMAIL,
    )
