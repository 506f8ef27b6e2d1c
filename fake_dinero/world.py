"""The in-memory Dinero: organizations, API clients, API keys and tokens.

A ``World`` is all the state one fake holds. It owns the clock and the
seeded random source, so the same seed and the same calls give the same ids.
"""

from __future__ import annotations

import base64
import random
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from . import seed_data
from .clock import Clock
from .ratelimit import RateLimiter
from .store import Collection, Table

DEFAULT_CLIENT_ID = "fake-dinero-client"
DEFAULT_CLIENT_SECRET = "fake-dinero-secret"
DEFAULT_API_KEY = "fake-dinero-api-key"


@dataclass
class Settings:
    """What a user may tune; defaults are Dinero's own numbers."""

    rate_limit: int | None = 100
    """Requests per window per (organization, client id); ``None`` switches it off."""
    rate_window_seconds: float = 60.0
    token_lifetime_seconds: int = 3600


@dataclass
class ApiClient:
    """An integrator's client id and secret (what Dinero issues to developers)."""

    client_id: str
    client_secret: str


@dataclass
class Grant:
    """What a bearer token stands for."""

    token: str
    organization_id: int
    client_id: str
    scopes: tuple[str, ...]
    expires_at: float


class Organization:
    """One Dinero organization with its own tables and version counter."""

    def __init__(self, world: World, profile: dict[str, Any]) -> None:
        self.world = world
        self.id: int = int(profile["Id"])
        self.profile = profile
        self.accounts: dict[int, dict[str, Any]] = {
            row["AccountNumber"]: dict(row) for row in seed_data.load("chart_of_accounts")
        }
        self.deposit_accounts: dict[int, dict[str, Any]] = {
            row["AccountNumber"]: dict(row) for row in seed_data.load("deposit_accounts")
        }
        self.vat_types: dict[str, dict[str, Any]] = {
            row["VatCode"].upper(): dict(row) for row in seed_data.load("vat_types")
        }
        self._version = 0
        self._tables: dict[str, Table] = {}

    @property
    def is_pro(self) -> bool:
        return bool(self.profile["Subscription"]["HasPro"])

    @property
    def clock(self) -> Clock:
        return self.world.clock

    def next_version(self) -> int:
        """Dinero's rowversion: one counter per organization, rising on every change."""
        self._version += 1
        return self._version

    def table(self, collection: Collection) -> Table:
        table = self._tables.get(collection.name)
        if table is None:
            table = self._tables[collection.name] = Table(self, collection)
        return table

    def vat_rate(self, vat_code: str | None) -> float:
        """The rate of a VAT code as a fraction; no code (or "none") is 0."""
        vat = self.vat_types.get((vat_code or "").upper())
        return float(vat["VatRate"]) if vat else 0.0


@dataclass
class World:
    """Everything one fake Dinero knows."""

    seed: int = 0
    clock: Clock = field(default_factory=Clock)
    settings: Settings = field(default_factory=Settings)

    def __post_init__(self) -> None:
        self.random = random.Random(self.seed)
        # Secrets draw from their own seeded stream, so fetching a token does
        # not shift the GUIDs that later creates get.
        self._secrets = random.Random(f"{self.seed}:secrets")
        self.organizations: dict[int, Organization] = {}
        self.clients: dict[str, ApiClient] = {}
        self.api_keys: dict[str, int] = {}
        self.tokens: dict[str, Grant] = {}
        self.token_signing_key = self._secrets.randbytes(32)
        self.rate_limiter = RateLimiter(
            self.clock, self.settings.rate_limit, self.settings.rate_window_seconds
        )

    # -- ids -------------------------------------------------------------

    def new_guid(self) -> str:
        """A version-4 GUID drawn from the seeded source, so runs repeat."""
        return str(uuid.UUID(int=self.random.getrandbits(128), version=4))

    def new_secret(self, nbytes: int = 32) -> str:
        return base64.urlsafe_b64encode(self._secrets.randbytes(nbytes)).decode().rstrip("=")

    def now(self) -> datetime:
        return self.clock.now()

    # -- provisioning ----------------------------------------------------

    def add_organization(self, **profile: Any) -> Organization:
        """Add an organization; unnamed profile fields come from the demo organization."""
        base = seed_data.demo_organization()
        subscription = dict(base["Subscription"])
        if "is_pro" in profile:
            pro = bool(profile.pop("is_pro"))
            subscription.update(HasPro=pro, HasPayingPro=pro)
            profile.setdefault("IsPro", pro)
            profile.setdefault("IsPayingPro", pro)
        merged = {**base, "Subscription": subscription, **profile}
        organization = Organization(self, merged)
        self.organizations[organization.id] = organization
        return organization

    def add_client(self, client_id: str, client_secret: str) -> ApiClient:
        client = self.clients[client_id] = ApiClient(client_id, client_secret)
        return client

    def add_api_key(self, organization: Organization | int, api_key: str | None = None) -> str:
        """Give an organization an API key (what a user creates for a personal integration)."""
        org_id = organization if isinstance(organization, int) else organization.id
        api_key = api_key or self.new_secret(24)
        self.api_keys[api_key] = org_id
        return api_key

    @classmethod
    def with_demo(
        cls,
        seed: int = 0,
        *,
        clock: Clock | None = None,
        settings: Settings | None = None,
        organization_id: int | None = None,
        client_id: str = DEFAULT_CLIENT_ID,
        client_secret: str = DEFAULT_CLIENT_SECRET,
        api_key: str = DEFAULT_API_KEY,
        contacts: int = 0,
        products: int = 0,
    ) -> World:
        """A world with the demo organization, one API client and one API key."""
        world = cls(seed=seed, clock=clock or Clock(), settings=settings or Settings())
        extra = {"Id": organization_id} if organization_id is not None else {}
        organization = world.add_organization(**extra)
        world.add_client(client_id, client_secret)
        world.add_api_key(organization, api_key)
        if contacts or products:
            # Imported here: seeding needs the resource modules, which import this one.
            from .seeding import seed_organization

            seed_organization(organization, contacts=contacts, products=products)
        return world
