"""What a fake Dinero is made of: one typed set of options, one builder of its world.

The ``dinero`` marker, the pytest command-line options, ``fresh_dinero`` and
``fake-dinero serve`` all describe a fake with a ``DineroOptions`` and build it
with ``build_fake``, so they share their defaults and their demo world.

Only the standard library is imported here: the pytest plugin checks its
command-line options with this module at start, in every run of a project that
has fake-dinero installed, before any test asks for a fake.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .fake import FakeDinero
    from .world import World

DEMO_ORGANIZATION_ID = 123456

DEFAULT_CLIENT_ID = "fake-dinero-client"
DEFAULT_CLIENT_SECRET = "fake-dinero-secret"
DEFAULT_API_KEY = "fake-dinero-api-key"

DEFAULT_VISMA_CLIENT_ID = "isv_fake-dinero"
DEFAULT_VISMA_CLIENT_SECRET = "fake-dinero-visma-secret"
DEFAULT_VISMA_REDIRECT_URI = "http://localhost:8080/callback"
DEFAULT_VISMA_USER_EMAIL = "demo@fake-dinero.dk"

REUSE = "reuse"
ONE_TIME = "onetime"


class OptionError(ValueError):
    """An option with an unknown name or a value it cannot take; the message says which and why."""


@dataclass(frozen=True)
class DineroOptions:
    """How to build a fake Dinero. Every field has the value a test most often wants;
    ``serve`` starts from ``SERVE_DEFAULTS`` (some demo data to look at)."""

    seed: int = 0
    """Same seed, same data and ids."""
    organization_id: int = DEMO_ORGANIZATION_ID
    pro: bool = True
    """Without Pro every call but the organizations list is 403, code 90."""
    rate_limit: int | None = 100
    """Requests per minute per organization and client (Dinero's is 100); ``None``: no limit."""
    clock_start: datetime | None = None
    """Freeze the clock here (an ISO string is read; no zone means UTC); ``None``: the wall clock."""
    strict: bool = True
    """Fail a test that called a Dinero path the fake does not have."""
    contacts: int = 0
    """Danish demo contacts (Faker ``da_DK``) to start with."""
    products: int = 0
    scenario: str | None = None
    """A named seed on top (``demo``, ``busy``, ``year``...); a reset returns to it."""
    client_id: str = DEFAULT_CLIENT_ID
    client_secret: str = DEFAULT_CLIENT_SECRET
    api_key: str = DEFAULT_API_KEY
    visma_client_id: str = DEFAULT_VISMA_CLIENT_ID
    visma_client_secret: str = DEFAULT_VISMA_CLIENT_SECRET
    visma_redirect_uris: tuple[str, ...] = (DEFAULT_VISMA_REDIRECT_URI,)
    refresh_token_usage: str = ONE_TIME
    visma_require_pkce: bool = False

    def __post_init__(self) -> None:
        start = self.clock_start
        if isinstance(start, str):
            try:
                start = datetime.fromisoformat(start.replace("Z", "+00:00"))
            except ValueError:
                raise OptionError(f"clock_start: {self.clock_start!r} is not an ISO 8601 date and time") from None
        if isinstance(start, datetime) and start.tzinfo is None:
            start = start.replace(tzinfo=timezone.utc)
        object.__setattr__(self, "clock_start", start)
        if isinstance(self.visma_redirect_uris, str):
            object.__setattr__(self, "visma_redirect_uris", (self.visma_redirect_uris,))
        else:
            object.__setattr__(self, "visma_redirect_uris", tuple(self.visma_redirect_uris))
        self._check()

    def _check(self) -> None:
        _whole("seed", self.seed, 0)
        _whole("organization_id", self.organization_id, 1, 2**31 - 1)
        _whole("contacts", self.contacts, 0)
        _whole("products", self.products, 0)
        if self.rate_limit is not None:
            _whole("rate_limit", self.rate_limit, 0)
        for name in ("pro", "strict", "visma_require_pkce"):
            if not isinstance(getattr(self, name), bool):
                raise OptionError(f"{name}: {getattr(self, name)!r} is not True or False")
        if self.clock_start is not None and not isinstance(self.clock_start, datetime):
            raise OptionError(f"clock_start: {self.clock_start!r} is neither a datetime nor an ISO 8601 string")
        if self.refresh_token_usage not in (ONE_TIME, REUSE):
            raise OptionError(f"refresh_token_usage: {self.refresh_token_usage!r} is neither {ONE_TIME} nor {REUSE}")
        for name in ("client_id", "client_secret", "api_key", "visma_client_id", "visma_client_secret"):
            value = getattr(self, name)
            if not isinstance(value, str) or not value.strip():
                raise OptionError(f"{name}: {value!r} is not a non-empty text")
        if self.scenario is not None and not isinstance(self.scenario, str):
            raise OptionError(f"scenario: {self.scenario!r} is not a scenario's name")

    @classmethod
    def names(cls) -> tuple[str, ...]:
        """The options a user may set (the marker's keywords)."""
        return tuple(f.name for f in dataclasses.fields(cls))

    def replace(self, changes: Mapping[str, Any] | None = None, /, **more: Any) -> DineroOptions:
        """These options with some changed; an unknown name is an ``OptionError`` naming the known ones."""
        merged = {**(changes or {}), **more}
        unknown = sorted(set(merged) - set(self.names()))
        if unknown:
            raise OptionError(f"unknown option {', '.join(unknown)}; the options are {', '.join(self.names())}")
        return dataclasses.replace(self, **merged)

    def build_world(self) -> World:
        """The demo world: the organization with its legacy client and API key, demo data
        and the scenario, and one Visma Connect client with a user who reaches it."""
        from .clock import Clock
        from .control import SCENARIOS, seed_scenario
        from .world import Settings, World

        if self.scenario is not None and self.scenario not in SCENARIOS:
            raise OptionError(f"scenario: unknown {self.scenario!r}; use one of {', '.join(SCENARIOS)}")
        world = World.with_demo(
            seed=self.seed,
            clock=Clock(self.clock_start),
            settings=Settings(rate_limit=self.rate_limit),
            organization_id=self.organization_id,
            pro=self.pro,
            client_id=self.client_id,
            client_secret=self.client_secret,
            api_key=self.api_key,
            contacts=self.contacts,
            products=self.products,
        )
        if self.scenario is not None:
            seed_scenario(world.organizations[self.organization_id], self.scenario)
        world.add_demo_connect(
            self.visma_client_id,
            self.visma_client_secret,
            self.visma_redirect_uris,
            self.refresh_token_usage,
            require_pkce=self.visma_require_pkce,
        )
        return world

    def build_fake(self) -> FakeDinero:
        from .fake import FakeDinero

        return FakeDinero(self.build_world())


def _whole(name: str, value: Any, low: int, high: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise OptionError(f"{name}: {value!r} is not a whole number")
    if value < low or (high is not None and value > high):
        bound = f"{low} to {high}" if high is not None else f"{low} or more"
        raise OptionError(f"{name}: {value} is out of range; use {bound}")


SERVE_DEFAULTS = DineroOptions(contacts=5, products=5)
"""What ``fake-dinero serve`` starts from: the test defaults plus demo data a person can look at."""
