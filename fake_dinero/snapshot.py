"""Snapshots of a world: taken in microseconds, restored as fast.

Rows are immutable Records (see store.py), so a snapshot copies the
containers and shares everything in them. ``restore`` brings a world back
to exactly that moment: data, ids still to come, versions and the clock.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import stat
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from .clock import ClockState, clock_state, restore_clock
from .provisioning import ConnectConfig, ConnectUser, DocumentError, OrganizationProfile
from .store import COLLECTIONS, Collection, Record, TableState
from .world import ApiClient, Organization, World, thaw

# World attributes that are not containers of state, or are handled on their own.
_NOT_COPIED = {"organizations", "clock", "settings", "rate_limiter", "seed"}


@dataclass(frozen=True)
class OrganizationState:
    organization: Organization
    version: int
    tables: dict[str, TableState]


@dataclass(frozen=True)
class WorldState:
    organizations: dict[int, OrganizationState]
    containers: dict[str, Any]
    randoms: dict[str, Any]
    clock: ClockState


def capture(world: World) -> WorldState:
    containers: dict[str, Any] = {}
    randoms: dict[str, Any] = {}
    for name, value in vars(world).items():
        if name in _NOT_COPIED:
            continue
        if isinstance(value, random.SystemRandom):
            continue  # the operating system's source: no state to keep or restore
        if isinstance(value, random.Random):
            randoms[name] = value.getstate()
        elif isinstance(value, (dict, list, set)):
            containers[name] = value.copy()
    return WorldState(
        organizations={org_id: _capture_organization(org) for org_id, org in world.organizations.items()},
        containers=containers,
        randoms=randoms,
        clock=clock_state(world.clock),
    )


def restore(world: World, state: WorldState) -> None:
    """Bring ``world`` back to ``state``; the state can be restored again later."""
    world.organizations = {}
    for org_id, saved in state.organizations.items():
        _restore_organization(saved)
        world.organizations[org_id] = saved.organization
    for name, value in state.containers.items():
        setattr(world, name, value.copy())
    for name, random_state in state.randoms.items():
        getattr(world, name).setstate(random_state)
    restore_clock(world.clock, state.clock)
    world.rate_limiter.reset()


def _capture_organization(organization: Organization) -> OrganizationState:
    return OrganizationState(
        organization=organization,
        version=organization.version,
        tables={name: table.snapshot() for name, table in organization.tables.items()},
    )


def _restore_organization(saved: OrganizationState) -> None:
    organization = saved.organization
    organization.version = saved.version
    organization.load_tables(saved.tables)


# -- snapshot files ---------------------------------------------------------------

FORMAT = "fake-dinero-snapshot/1"


def export_world(world: World) -> dict[str, Any]:
    """Everything a world holds that outlives a token, as JSON.

    Tokens are left out on purpose: a restored fake issues new ones.
    """
    return {
        "format": FORMAT,
        "seed": world.seed,
        "organizations": [_export_organization(org) for org in world.organizations.values()],
        "clients": [{"clientId": c.client_id, "clientSecret": c.client_secret} for c in world.clients.values()],
        "apiKeys": [{"apiKey": key, "organizationId": org_id} for key, org_id in world.api_keys.items()],
        # The shape of a Visma Connect config file (README), so one loader reads both.
        "connect": {
            "clients": [asdict(client) for client in world.connect_clients.values()],
            "users": [asdict(user) for user in world.connect_users.values()],
        },
    }


def write_snapshot(path: str | os.PathLike[str], document: Mapping[str, Any]) -> None:
    """Write a snapshot file whole or not at all.

    The JSON goes to a temporary file beside the target, reaches the disk, and then
    takes the target's place in one step: a crash, a kill or a full disk mid-write
    leaves the old file as it was. That matters because ``--export-on-exit`` and
    ``--import`` usually name the same file, and it is the only copy.
    """
    target = Path(os.path.realpath(path))  # replace a symlink's file, not the link
    text = json.dumps(document, ensure_ascii=False, indent=1)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        with open(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        if target.exists():
            os.chmod(temporary, stat.S_IMODE(target.stat().st_mode))
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_folder(target.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable, where the platform lets a folder be synced."""
    if os.name == "nt":  # Windows cannot open a folder for fsync; NTFS logs the rename
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass  # some file systems refuse fsync on a folder; the file itself is on disk
    finally:
        os.close(descriptor)


class SnapshotError(DocumentError):
    """A snapshot the fake cannot load. A ValueError whose message starts with where in
    the document the problem is (``organizations[0].tables.contacts[3].key: ...``)."""


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    key: str = Field(min_length=1)
    parent: str | None = None
    seq: int = Field(ge=0)
    version: int = Field(ge=0)
    createdAt: AwareDatetime
    updatedAt: AwareDatetime
    deletedAt: AwareDatetime | None = None
    data: dict[str, Any]


class _Organization(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    profile: OrganizationProfile
    version: int = Field(ge=0)
    tables: dict[str, list[_Row]] = Field(default_factory=dict)


class _ApiClient(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    clientId: str = Field(min_length=1)
    clientSecret: str


class _ApiKey(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)

    apiKey: str = Field(min_length=1)
    organizationId: int


class SnapshotDocument(BaseModel):
    """A snapshot file as ``export_world`` writes it."""

    model_config = ConfigDict(extra="forbid", defer_build=True)

    format: str
    seed: int | None = None
    """The seed of the world that wrote it; for people, an import keeps its own."""
    organizations: list[_Organization]
    clients: list[_ApiClient]
    apiKeys: list[_ApiKey]
    connect: ConnectConfig = Field(default_factory=ConnectConfig)


@dataclass(frozen=True)
class _Loaded:
    """A checked snapshot, its rows already Records (``check_snapshot``)."""

    document: SnapshotDocument
    tables: list[dict[str, TableState]]
    """Per organization of the document, its tables by collection name."""


def import_world(world: World, document: Any) -> None:
    """Replace ``world``'s organizations, clients, API keys and Visma Connect clients and
    users with a snapshot's, and drop every token.

    The whole document is checked first and the new state is built aside (every row
    rendered once, as a last check) and swapped in only when complete, so a snapshot
    that is refused (SnapshotError, a ValueError naming the place) changes nothing.
    """
    loaded = check_snapshot(document)
    organizations: dict[int, Organization] = {}
    for index, (saved, tables) in enumerate(zip(loaded.document.organizations, loaded.tables, strict=True)):
        organization = world.new_organization(**saved.profile.given())
        organization.version = saved.version
        for name, state in tables.items():
            organization.table(COLLECTIONS[name]).load(state)
        _check_renders(f"organizations[{index}]", organization, tables)
        organizations[organization.id] = organization
    connect = loaded.document.connect
    for profile in connect.organizations:
        if profile.Id not in organizations:
            organizations[profile.Id] = world.new_organization(**profile.given())
    connect_users: dict[str, ConnectUser] = {}
    for entry in connect.users:
        user_id = entry.user_id or _user_id_by_email(connect_users, entry.email) or world.new_user_id()
        name = entry.name or entry.email.split("@")[0]
        connect_users[user_id] = ConnectUser(user_id, entry.email, name, entry.organization_ids)
    # Built; now swapped in, in steps that cannot fail.
    world.organizations = organizations
    world.clients = {c.clientId: ApiClient(c.clientId, c.clientSecret) for c in loaded.document.clients}
    world.api_keys = {entry.apiKey: entry.organizationId for entry in loaded.document.apiKeys}
    world.connect_clients = {client.client_id: client for client in connect.clients}
    world.connect_users = connect_users
    world.tokens = {}
    world.authorization_codes, world.refresh_tokens = {}, {}
    world.revoked_authorizations = set()
    world.rate_limiter.reset()


def check_snapshot(document: Any) -> _Loaded:
    """The snapshot, checked whole, or a SnapshotError saying where it is wrong."""
    if isinstance(document, Mapping) and document.get("format") != FORMAT:
        found = document.get("format")
        problem = "missing" if found is None else f"{json.dumps(found)} is not a fake-dinero snapshot's format"
        raise SnapshotError("format", f'{problem}; a snapshot starts with "format": "{FORMAT}"')
    try:
        parsed = SnapshotDocument.model_validate(document)
    except ValidationError as error:
        raise SnapshotError.from_validation(error) from None
    _collections_registered()
    tables = [_check_organization(index, saved) for index, saved in enumerate(parsed.organizations)]
    _check_unique(parsed)
    return _Loaded(parsed, tables)


def _check_organization(index: int, saved: _Organization) -> dict[str, TableState]:
    where = f"organizations[{index}]"
    states: dict[str, TableState] = {}
    for name, rows in saved.tables.items():
        collection = COLLECTIONS.get(name)
        if collection is None:
            raise SnapshotError(
                f"{where}.tables.{name}", f"not a table of the fake; the tables are {', '.join(sorted(COLLECTIONS))}"
            )
        states[name] = _table_state(f"{where}.tables.{name}", collection, rows)
        for position, row in enumerate(rows):
            if row.version > saved.version:
                raise SnapshotError(
                    f"{where}.tables.{name}[{position}].version",
                    f"{row.version} is above the organization's version {saved.version}, the last it handed out",
                )
    return states


def _table_state(where: str, collection: Collection, rows: list[_Row]) -> TableState:
    records: dict[str, Record] = {}
    changes = []
    for position, saved in enumerate(rows):
        if saved.key in records:
            raise SnapshotError(f"{where}[{position}].key", f"{json.dumps(saved.key)} is the key of another row too")
        try:
            data = collection.data_model.model_validate(saved.data)
        except ValidationError as error:
            raise SnapshotError.from_validation(error, f"{where}[{position}].data") from None
        record = Record(
            key=saved.key,
            data=data,
            created_at=_utc(saved.createdAt),
            updated_at=_utc(saved.updatedAt),
            version=saved.version,
            seq=saved.seq,
            parent=saved.parent,
            deleted_at=_utc(saved.deletedAt) if saved.deletedAt else None,
        )
        records[record.key] = record
        # The full change history is not kept in a file; each row's last change is.
        last_change = max(filter(None, (record.created_at, record.updated_at, record.deleted_at)))
        changes.append((last_change, record.version, record.key))
    next_seq = max((record.seq for record in records.values()), default=-1) + 1
    return TableState(records, sorted(changes), next_seq)


def _check_renders(where: str, organization: Organization, tables: Mapping[str, TableState]) -> None:
    """Every row must render as Dinero shows it: a row whose data validates on its own
    may still not fit (a key that is no GUID where Dinero's are, a reference to nothing)."""
    for name, state in tables.items():
        table = organization.table(COLLECTIONS[name])
        for position, row in enumerate(state.rows.values()):
            try:
                table.document(row)
            except Exception as error:  # whatever the row breaks, the file is what is wrong
                raise SnapshotError(
                    f"{where}.tables.{name}[{position}]", f"not a row the fake can show: {_one_line(error)}"
                ) from None


def _one_line(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return str(DocumentError.from_validation(error))
    return f"{type(error).__name__}: {error}"


def _check_unique(document: SnapshotDocument) -> None:
    organization_ids: set[int] = set()
    for index, saved in enumerate(document.organizations):
        if saved.profile.Id in organization_ids:
            raise SnapshotError(
                f"organizations[{index}].profile.Id", f"{saved.profile.Id} is another organization's too"
            )
        organization_ids.add(saved.profile.Id)
    organization_ids |= {profile.Id for profile in document.connect.organizations}
    client_ids: set[str] = set()
    for index, client in enumerate(document.clients):
        if client.clientId in client_ids:
            raise SnapshotError(f"clients[{index}].clientId", f"{json.dumps(client.clientId)} is another client's too")
        client_ids.add(client.clientId)
    api_keys: set[str] = set()
    for index, entry in enumerate(document.apiKeys):
        if entry.apiKey in api_keys:
            raise SnapshotError(f"apiKeys[{index}].apiKey", "the same API key is listed twice")
        if entry.organizationId not in organization_ids:
            raise SnapshotError(
                f"apiKeys[{index}].organizationId", f"{entry.organizationId} is not an organization of the snapshot"
            )
        api_keys.add(entry.apiKey)


def _collections_registered() -> None:
    """Every collection is registered when its resource module is imported; the route
    table imports them all (here, not at the top: they import this module's neighbours)."""
    from . import route_table  # noqa: F401


def _user_id_by_email(users: Mapping[str, ConnectUser], email: str) -> str | None:
    folded = email.strip().casefold()
    return next((user.user_id for user in users.values() if user.email.casefold() == folded), None)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def _export_organization(organization: Organization) -> dict[str, Any]:
    return {
        "profile": thaw(organization.profile),
        "version": organization.version,
        "tables": {
            name: [_export_row(row) for row in sorted(table, key=lambda row: row.seq)]
            for name, table in organization.tables.items()
        },
    }


def _export_row(row: Record) -> dict[str, Any]:
    return {
        "key": row.key,
        "parent": row.parent,
        "seq": row.seq,
        "version": row.version,
        "createdAt": row.created_at.isoformat(),
        "updatedAt": row.updated_at.isoformat(),
        "deletedAt": row.deleted_at.isoformat() if row.deleted_at else None,
        "data": row.data.model_dump(mode="json"),
    }
