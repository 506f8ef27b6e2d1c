"""What a fake is provisioned with beyond its organizations' data: Visma Connect's
clients, users, authorizations, codes and refresh tokens, the organization profiles and
Visma Connect config a file may hold, and the error that says where such a document is
wrong.

``World`` keeps the records; ``connect.py`` and ``connect_session.py`` play the login with
them; ``snapshot.py`` and ``World.provision_connect`` read the documents.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, with_config

from . import seed_data
from .options import ONE_TIME, REUSE

# Visma Connect's scopes for Dinero (reference §3.2) and the OpenID Connect ones.
READ_SCOPE = "dineropublicapi:read"
WRITE_SCOPE = "dineropublicapi:write"
OFFLINE_ACCESS = "offline_access"
IDENTITY_SCOPES = ("openid", "profile", "email")
CONNECT_SCOPES = (*IDENTITY_SCOPES, READ_SCOPE, WRITE_SCOPE, OFFLINE_ACCESS)


@with_config(ConfigDict(extra="forbid"))
@dataclass(frozen=True)
class ConnectClient:
    """A Visma Connect web application: what a one-to-many integrator registers.

    Defaults are IdentityServer's where Visma's are unknown: one-time refresh
    tokens, 30-day absolute refresh lifetime, no grace period, no consent page
    (the fake user consents at once). PKCE is checked whenever a client sends a
    ``code_challenge`` but required only when the application says so: in Visma
    Connect it is a per-application setting, and a published Dinero client that
    sends no ``code_challenge`` logs in.
    """

    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...] = ()
    allowed_scopes: tuple[str, ...] = CONNECT_SCOPES
    refresh_token_usage: str = ONE_TIME
    """``reuse``: a refresh returns the same refresh token; ``onetime``: a new one, the old one used up."""
    refresh_token_grace_seconds: float = 0
    """How long a used one-time refresh token may still be exchanged. Visma's setting
    offers 5-60 s, but it came as an opt-in: before it a second exchange always failed
    (NEWS-GRACE), and an application that never set it still behaves so; hence 0."""
    refresh_token_lifetime_days: float = 30
    access_token_lifetime_seconds: int = 3600
    require_pkce: bool = False
    """Refuse an authorize request without ``code_challenge`` (and a code exchange without
    ``code_verifier``). Off: PKCE is still verified exactly when the client uses it."""
    allow_plain_pkce: bool = False
    post_logout_redirect_uris: tuple[str, ...] = ()
    """Where ``/connect/endsession`` may send the browser after sign-out."""
    require_consent: bool = False
    """Show a consent page the user must submit instead of consenting at once."""
    allow_client_credentials: bool = False
    """Dinero supports only web applications (its FAQ), so the service grant is off by default."""
    tenant_organization_ids: tuple[int, ...] = ()
    """The organizations a client-credentials token reaches (its tenants)."""

    def __post_init__(self) -> None:
        if not self.client_id.startswith("isv_"):
            raise ValueError(f"Visma Connect client ids start with 'isv_', not {self.client_id!r}")
        if self.refresh_token_usage not in (REUSE, ONE_TIME):
            raise ValueError(f"refresh_token_usage is 'reuse' or 'onetime', not {self.refresh_token_usage!r}")
        unknown = set(self.allowed_scopes) - set(CONNECT_SCOPES)
        if unknown:
            raise ValueError(f"unknown scopes {sorted(unknown)}; Visma Connect for Dinero has {CONNECT_SCOPES}")
        for name in ("redirect_uris", "post_logout_redirect_uris", "allowed_scopes", "tenant_organization_ids"):
            object.__setattr__(self, name, tuple(getattr(self, name)))  # JSON gives lists


@dataclass(frozen=True)
class ConnectUser:
    """A Visma Connect user: a Dinero login and the organizations it may act for."""

    user_id: str
    email: str
    name: str
    organization_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class Authorization:
    """One consent of a user to a client. Every code, access token and refresh token of
    that login descends from it, so revoking it (replay detection) ends them all.

    The refresh-token settings are the client's at consent: Visma applies changed
    settings only to tokens issued after the user authorizes again (NEWS-GRACE).
    """

    authorization_id: str
    client_id: str
    user_id: str | None
    scopes: tuple[str, ...]
    auth_time: int
    refresh_token_usage: str
    refresh_token_grace_seconds: float


@dataclass(frozen=True)
class AuthorizationCode:
    code: str
    authorization: Authorization
    redirect_uri: str
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    expires_at: float


@dataclass(frozen=True)
class RefreshToken:
    token: str
    authorization: Authorization
    scopes: tuple[str, ...]
    expires_at: float
    consumed_at: float | None = None
    """When a one-time token was first exchanged; the grace period runs from here."""


class DocumentError(ValueError):
    """A JSON document the fake cannot take (a snapshot, a Visma Connect config), with
    where in it the problem is: ``organizations[0].tables.contacts[3].key``."""

    def __init__(self, path: str, problem: str) -> None:
        self.path = path
        self.problem = problem
        super().__init__(f"{path or 'the document'}: {problem}")

    @classmethod
    def from_validation(cls, error: ValidationError, prefix: str = "") -> DocumentError:
        """The first of pydantic's complaints, on one line, at its place in the document."""
        details = error.errors(include_url=False)
        first = details[0]
        problem = _PROBLEMS.get(first["type"], first["msg"].removeprefix("Value error, "))
        shown = first.get("input")
        scalar = shown is None or isinstance(shown, (str, int, float, bool))
        if first["type"] not in _WITHOUT_INPUT and scalar and str(shown) not in problem:
            problem += f" (it is {_short(shown)})"
        if len(details) > 1:
            problem += f"; and {len(details) - 1} more problem{'s' if len(details) > 2 else ''}"
        return cls(document_path(prefix, first["loc"]), problem)


_PROBLEMS = {
    "extra_forbidden": "unknown key",
    "unexpected_keyword_argument": "unknown key",
    "missing": "missing",
    "missing_argument": "missing",
    "model_type": "should be a JSON object",
    "model_attributes_type": "should be a JSON object",
    "dataclass_type": "should be a JSON object",
    "dict_type": "should be a JSON object",
    "list_type": "should be a JSON array",
    "tuple_type": "should be a JSON array",
}
_WITHOUT_INPUT = {"extra_forbidden", "unexpected_keyword_argument", "missing", "missing_argument"}


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


def document_path(prefix: str, loc: Iterable[int | str]) -> str:
    """``organizations[0].tables`` from a pydantic location, after ``prefix``."""
    path = prefix
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


class SubscriptionProfile(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    HasPro: bool
    HasPayingPro: bool
    HasStarterPlus: bool
    HasTotal: bool
    HasYfs: bool


def _demo_subscription() -> SubscriptionProfile:
    return SubscriptionProfile.model_validate(seed_data.demo_organization()["Subscription"])


class OrganizationProfile(BaseModel):
    """An organization as a file names it: an ``Id``, and any of the profile's fields
    (the rest come from the demo organization). Other keys are kept as they are."""

    model_config = ConfigDict(extra="allow", defer_build=True)

    Id: int = Field(gt=0)
    Name: str | None = None
    Type: str | None = None
    IsPro: bool | None = None
    IsPayingPro: bool | None = None
    IsVatFree: bool = False
    Email: str | None = None
    Phone: str | None = None
    Street: str | None = None
    City: str | None = None
    ZipCode: str | None = None
    AttPerson: str | None = None
    IsTaxFreeUnion: bool = False
    VatNumber: str | None = None
    CountryKey: str | None = None
    Website: str | None = None
    CompanyTypeKey: str | None = None
    RoleKey: str | None = None
    Subscription: SubscriptionProfile = Field(default_factory=_demo_subscription)
    """Given whole, or the demo organization's."""
    is_pro: bool | None = None
    """``add_organization``'s shortcut: Pro (and paying) or not."""

    def given(self) -> dict[str, Any]:
        """The fields the file gave, as ``add_organization`` takes them."""
        return self.model_dump(exclude_unset=True)


class ConnectUserEntry(BaseModel):
    """A Visma Connect user as a config names one: ``add_connect_user``'s arguments."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    email: str
    organization_ids: tuple[int, ...] = ()
    name: str | None = None
    user_id: str | None = None


class ConnectConfig(BaseModel):
    """What ``provision_connect`` takes (README.md, "Visma Connect"), checked whole
    before anything is added, so a bad config adds nothing."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    organizations: list[OrganizationProfile] = Field(default_factory=list)
    clients: list[ConnectClient] = Field(default_factory=list)
    users: list[ConnectUserEntry] = Field(default_factory=list)

    @classmethod
    def parse(cls, config: Any, where: str = "") -> ConnectConfig:
        """The config, or a DocumentError (a ValueError) saying where it is wrong."""
        try:
            return cls.model_validate(config)
        except ValidationError as error:
            raise DocumentError.from_validation(error, where) from None
