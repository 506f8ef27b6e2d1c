"""The in-memory Dinero: organizations, API clients, API keys, tokens, and Visma Connect's
clients, users, codes and refresh tokens (their records are in ``provisioning``).

A ``World`` is all the state one fake holds. It owns the clock and the
seeded random source, so the same seed and the same calls give the same ids.
"""

from __future__ import annotations

import base64
import json
import random
import secrets
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Any

from . import seed_data
from .clock import Clock
from .domain.chart import seed_chart
from .domain.years import seed_years
from .journal import DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_ENTRIES
from .options import (  # noqa: F401 - the defaults, where the world's users look for them
    DEFAULT_API_KEY,
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_VISMA_CLIENT_ID,
    DEFAULT_VISMA_CLIENT_SECRET,
    DEFAULT_VISMA_REDIRECT_URI,
    DEFAULT_VISMA_USER_EMAIL,
    ONE_TIME,
    REUSE,
)
from .provisioning import (
    Authorization,
    AuthorizationCode,
    ConnectClient,
    ConnectConfig,
    ConnectUser,
    RefreshToken,
)
from .ratelimit import RateLimiter
from .store import COLLECTIONS, Collection, Table, TableState

EXPIRED_KEPT_SECONDS = 24 * 3600.0
"""How long the fake remembers a token, code or refresh token after it expired."""




@dataclass
class Settings:
    """What a user may tune; defaults are Dinero's own numbers."""

    rate_limit: int | None = 100
    """Requests per window per (organization, client id); ``None`` switches it off."""
    rate_window_seconds: float = 60.0
    token_lifetime_seconds: int = 3600
    ledger_booking_seconds: float = 2.0
    """How long booked ledger items stay PendingBooking on the fake's clock (Dinero
    books them in the background); a status poll while pending also finishes them."""
    ledger_post_seconds: float = 0.1
    """How long Dinero works on one post of ledger items; another post for the same
    organization within this time on the fake's clock is refused (400/70). 0: never."""
    journal_entries: int | None = DEFAULT_MAX_ENTRIES
    """Calls the journal keeps (the newest); ``None`` keeps every one."""
    journal_body_bytes: int | None = DEFAULT_MAX_BODY_BYTES
    """Bytes of each request and answer body the journal keeps; ``None`` keeps them whole."""
    deterministic_secrets: bool = False
    """Draw token material (access and refresh tokens, authorization codes, JTIs, the
    legacy signing key, generated API keys) from the seed too, so two fakes with the same
    seed issue the same tokens: for a test that pins one. Off, they come from the
    operating system's random source, as secrets must. Ids and demo data follow the
    seed either way."""


@dataclass
class ApiClient:
    """An integrator's client id and secret (what Dinero issues to developers)."""

    client_id: str
    client_secret: str


@dataclass(frozen=True)
class Grant:
    """What a bearer token stands for: which client, scopes and organizations, until when."""

    token: str
    client_id: str
    scopes: tuple[str, ...]
    expires_at: float
    organizations: tuple[int, ...] = ()
    """The organizations a legacy (or client-credentials) token reaches."""
    user_id: str | None = None
    """A Visma Connect user's token reaches the user's organizations as they are at call time."""
    authorization_id: str | None = None
    """The Visma Connect authorization the token descends from; it dies with it."""

    @property
    def checks_scopes(self) -> bool:
        """Visma Connect tokens carry Dinero's API scopes; legacy tokens keep their
        unchecked ``read write``."""
        return self.authorization_id is not None


class Organization:
    """One Dinero organization: its profile, its tables and its version counter.

    Everything that changes lives in a table (``self.table(...)``), so reset,
    snapshots and ``changesSince`` see all of it; the profile is read-only.
    """

    def __init__(self, world: World, profile: Mapping[str, Any]) -> None:
        self.world = world
        self.id: int = int(profile["Id"])
        self.profile: Mapping[str, Any] = freeze(profile)
        self.version = 0
        """The last version handed out (Dinero's rowversion counter)."""
        self._tables: dict[str, Table] = {}
        seed_chart(self)
        seed_years(self, world.clock.now().astimezone(timezone.utc).date())

    @property
    def is_pro(self) -> bool:
        return bool(self.profile["Subscription"]["HasPro"])

    @property
    def clock(self) -> Clock:
        return self.world.clock

    def next_version(self) -> int:
        """Dinero's rowversion: one counter per organization, rising on every change."""
        self.version += 1
        return self.version

    @property
    def tables(self) -> Mapping[str, Table]:
        """The tables made so far, by collection name."""
        return self._tables

    def load_tables(self, states: Mapping[str, TableState]) -> None:
        """Take these tables' rows (a snapshot's); tables made since are dropped."""
        for name in [name for name in self._tables if name not in states]:
            del self._tables[name]
        for name, state in states.items():
            self.table(COLLECTIONS[name]).load(state)

    def table(self, collection: Collection) -> Table:
        table = self._tables.get(collection.name)
        if table is None:
            table = self._tables[collection.name] = Table(self, collection)
        return table


def freeze(profile: Mapping[str, Any]) -> Mapping[str, Any]:
    """A read-only copy of a profile (and of the mappings in it)."""
    frozen = {key: freeze(value) if isinstance(value, Mapping) else value for key, value in profile.items()}
    return MappingProxyType(frozen)


def thaw(profile: Mapping[str, Any]) -> dict[str, Any]:
    """A plain, writable copy of a frozen profile (for JSON)."""
    return {key: thaw(value) if isinstance(value, Mapping) else value for key, value in profile.items()}


@dataclass
class World:
    """Everything one fake Dinero knows."""

    seed: int = 0
    clock: Clock = field(default_factory=Clock)
    settings: Settings = field(default_factory=Settings)

    def __post_init__(self) -> None:
        self.random = random.Random(self.seed)
        # Ids made outside the organizations' data (Visma Connect user ids) draw from a
        # seeded stream of their own, so adding a user does not shift later GUIDs.
        self._side_ids = random.Random(f"{self.seed}:secrets")
        # Token material never touches the seeded streams, so the ids later creates
        # get do not depend on how many tokens were issued.
        self._secrets: random.Random = (
            random.Random(f"{self.seed}:tokens") if self.settings.deterministic_secrets else secrets.SystemRandom()
        )
        self.organizations: dict[int, Organization] = {}
        self.clients: dict[str, ApiClient] = {}
        self.api_keys: dict[str, int] = {}
        self.tokens: dict[str, Grant] = {}
        # Visma Connect. Its records are immutable and replaced on change, so a
        # shallow copy of these containers is a snapshot.
        self.connect_clients: dict[str, ConnectClient] = {}
        self.connect_users: dict[str, ConnectUser] = {}
        self.authorization_codes: dict[str, AuthorizationCode] = {}
        self.refresh_tokens: dict[str, RefreshToken] = {}
        self.revoked_authorizations: set[str] = set()
        self._pruned_at = self.clock.timestamp()
        self.token_signing_key = self._secrets.randbytes(32)
        self.rate_limiter = RateLimiter(
            self.clock, self.settings.rate_limit, self.settings.rate_window_seconds
        )

    # -- credentials ---------------------------------------------------------

    def keep_token(self, grant: Grant) -> None:
        """Remember an access token the fake issued; now and then, forget the long-expired."""
        self.tokens[grant.token] = grant
        self.prune_expired()

    def prune_expired(self) -> None:
        """Forget access tokens, authorization codes and refresh tokens that expired more than
        ``EXPIRED_KEPT_SECONDS`` ago on the fake's clock, at most once per that time, so a long
        ``serve`` does not keep every login it answered. Until then a late token still gets
        "expired" rather than "unknown"; after it, a 401 either way."""
        now = self.clock.timestamp()
        if now - self._pruned_at < EXPIRED_KEPT_SECONDS:
            return
        self._pruned_at = now
        cutoff = now - EXPIRED_KEPT_SECONDS
        self.tokens = {key: grant for key, grant in self.tokens.items() if grant.expires_at >= cutoff}
        self.authorization_codes = {
            key: code for key, code in self.authorization_codes.items() if code.expires_at >= cutoff
        }
        self.refresh_tokens = {key: token for key, token in self.refresh_tokens.items() if token.expires_at >= cutoff}

    # -- ids -------------------------------------------------------------

    def new_guid(self) -> str:
        """A version-4 GUID drawn from the seeded source, so runs repeat."""
        return str(uuid.UUID(int=self.random.getrandbits(128), version=4))

    def new_user_id(self) -> str:
        """A Visma Connect user id (a GUID), seeded, from a stream apart from ``new_guid``'s."""
        return str(uuid.UUID(int=self._side_ids.getrandbits(128), version=4))

    def new_secret(self, nbytes: int = 32) -> str:
        """Secret token material as base64url: unpredictable unless the settings ask for
        ``deterministic_secrets``."""
        return base64.urlsafe_b64encode(self._secrets.randbytes(nbytes)).decode().rstrip("=")

    def new_handle(self, nbytes: int = 32) -> str:
        """An IdentityServer handle (codes, refresh tokens): secret random bytes as upper-case hex."""
        return self._secrets.randbytes(nbytes).hex().upper()

    def now(self) -> datetime:
        return self.clock.now()

    # -- provisioning ----------------------------------------------------

    def add_organization(self, **profile: Any) -> Organization:
        """Add an organization; unnamed profile fields come from the demo organization."""
        organization = self.new_organization(**profile)
        self.organizations[organization.id] = organization
        return organization

    def new_organization(self, **profile: Any) -> Organization:
        """An organization of this world, not yet added to it (what an import builds aside)."""
        base = seed_data.demo_organization()
        subscription = dict(base["Subscription"])
        if "is_pro" in profile:
            pro = bool(profile.pop("is_pro"))
            subscription.update(HasPro=pro, HasPayingPro=pro)
            profile.setdefault("IsPro", pro)
            profile.setdefault("IsPayingPro", pro)
        merged = {**base, "Subscription": subscription, **profile}
        return Organization(self, merged)

    def add_client(self, client_id: str, client_secret: str) -> ApiClient:
        client = self.clients[client_id] = ApiClient(client_id, client_secret)
        return client

    def add_api_key(self, organization: Organization | int, api_key: str | None = None) -> str:
        """Give an organization an API key (what a user creates for a personal integration)."""
        org_id = organization if isinstance(organization, int) else organization.id
        api_key = api_key or self.new_secret(24)
        self.api_keys[api_key] = org_id
        return api_key

    def add_connect_client(self, client_id: str, client_secret: str, **settings: Any) -> ConnectClient:
        """Register (or replace) a Visma Connect client; ``settings`` are ConnectClient's fields."""
        client = self.connect_clients[client_id] = ConnectClient(client_id, client_secret, **settings)
        return client

    def add_connect_user(
        self,
        email: str,
        organization_ids: Iterable[Organization | int] = (),
        name: str | None = None,
        user_id: str | None = None,
    ) -> ConnectUser:
        """Add (or replace, by id) a Visma Connect user who reaches ``organization_ids``.

        The first user added is the one signed in at Visma Connect when an
        authorize request names no ``login_hint``.
        """
        if user_id is None:
            existing = self.connect_user(email)
            user_id = existing.user_id if existing else self.new_user_id()
        ids = tuple(org if isinstance(org, int) else org.id for org in organization_ids)
        user = self.connect_users[user_id] = ConnectUser(user_id, email, name or email.split("@")[0], ids)
        return user

    def begin_authorization(self, client: ConnectClient, user_id: str | None, scopes: tuple[str, ...]) -> Authorization:
        """A new consent of ``user_id`` (None: the client itself) to ``client``."""
        return Authorization(
            self.new_handle(16),
            client.client_id,
            user_id,
            scopes,
            int(self.clock.timestamp()),
            client.refresh_token_usage,
            client.refresh_token_grace_seconds,
        )

    def provision_connect(self, config: Mapping[str, Any]) -> None:
        """Add the organizations, Visma Connect clients and users a config names.

        The shape is README.md's ("Visma Connect"): field names are those of
        ``add_connect_client`` and ``add_connect_user``. A client or user with an
        existing id replaces it; organizations already here are left as they are.
        The whole config is checked first (DocumentError, a ValueError, names the
        place that is wrong), so a bad one adds nothing.
        """
        parsed = ConnectConfig.parse(config)
        for profile in parsed.organizations:
            if profile.Id not in self.organizations:
                self.add_organization(**profile.given())
        for client in parsed.clients:
            self.connect_clients[client.client_id] = client
        for user in parsed.users:
            self.add_connect_user(user.email, user.organization_ids, user.name, user.user_id)

    def load_connect_config(self, path: str | Path) -> None:
        """``provision_connect`` from a JSON file (``fake-dinero serve --connect-config``)."""
        self.provision_connect(json.loads(Path(path).read_text(encoding="utf-8")))

    def add_demo_connect(
        self,
        client_id: str = DEFAULT_VISMA_CLIENT_ID,
        client_secret: str = DEFAULT_VISMA_CLIENT_SECRET,
        redirect_uris: Iterable[str] = (DEFAULT_VISMA_REDIRECT_URI,),
        refresh_token_usage: str = ONE_TIME,
        require_pkce: bool = False,
    ) -> tuple[ConnectClient, ConnectUser]:
        """One Visma Connect client, and one user who reaches every organization here now."""
        client = self.add_connect_client(
            client_id,
            client_secret,
            redirect_uris=tuple(redirect_uris),
            refresh_token_usage=refresh_token_usage,
            require_pkce=require_pkce,
        )
        user = self.add_connect_user(DEFAULT_VISMA_USER_EMAIL, tuple(self.organizations), name="Demo Bruger")
        return client, user

    def connect_user(self, hint: str | None = None) -> ConnectUser | None:
        """The user an id or e-mail names (case-insensitively); with none, the first user."""
        if hint is None:
            return next(iter(self.connect_users.values()), None)
        folded = hint.strip().casefold()
        for user in self.connect_users.values():
            if folded in (user.user_id.casefold(), user.email.casefold()):
                return user
        return None

    def reach(self, grant: Grant) -> tuple[int, ...]:
        """The organizations a token may act for, in the order the organizations list shows them."""
        if grant.user_id is None:
            return grant.organizations
        user = self.connect_users.get(grant.user_id)
        return user.organization_ids if user else ()

    @classmethod
    def with_demo(
        cls,
        seed: int = 0,
        *,
        clock: Clock | None = None,
        settings: Settings | None = None,
        organization_id: int | None = None,
        pro: bool = True,
        client_id: str = DEFAULT_CLIENT_ID,
        client_secret: str = DEFAULT_CLIENT_SECRET,
        api_key: str = DEFAULT_API_KEY,
        contacts: int = 0,
        products: int = 0,
    ) -> World:
        """A world with the demo organization, one API client and one API key."""
        world = cls(seed=seed, clock=clock or Clock(), settings=settings or Settings())
        extra = {"Id": organization_id} if organization_id is not None else {}
        organization = world.add_organization(**extra, is_pro=pro)
        world.add_client(client_id, client_secret)
        world.add_api_key(organization, api_key)
        if contacts or products:
            # Imported here: seeding needs the resource modules, which import this one.
            from .seeding import seed_organization

            seed_organization(organization, contacts=contacts, products=products)
        return world
