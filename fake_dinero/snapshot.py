"""Snapshots of a world: taken in microseconds, restored as fast.

Rows are immutable Records (see store.py), so a snapshot copies the
containers and shares everything in them. ``restore`` brings a world back
to exactly that moment: data, ids still to come, versions and the clock.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from .clock import ClockState, clock_state, restore_clock
from .store import COLLECTIONS, Collection, Record, TableState
from .world import Organization, World, thaw

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


def import_world(world: World, document: dict[str, Any]) -> None:
    """Replace ``world``'s organizations, clients and API keys with a snapshot's."""
    if document.get("format") != FORMAT:
        raise ValueError(f"not a fake-dinero snapshot (format {document.get('format')!r}, expected {FORMAT!r})")
    world.organizations = {}
    world.tokens.clear()
    world.rate_limiter.reset()
    for saved in document["organizations"]:
        organization = world.add_organization(**saved["profile"])
        organization.version = saved["version"]
        for name, rows in saved["tables"].items():
            table = organization.table(COLLECTIONS[name])
            table.load(_table_state(COLLECTIONS[name], rows))
    world.clients = {}
    for client in document["clients"]:
        world.add_client(client["clientId"], client["clientSecret"])
    world.api_keys = {entry["apiKey"]: entry["organizationId"] for entry in document["apiKeys"]}
    world.connect_clients, world.connect_users = {}, {}
    world.authorization_codes, world.refresh_tokens = {}, {}
    world.revoked_authorizations = set()
    world.provision_connect(document.get("connect", {}))


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


def _table_state(collection: Collection, rows: list[dict[str, Any]]) -> TableState:
    records: dict[str, Record] = {}
    changes = []
    for saved in rows:
        record = Record(
            key=saved["key"],
            data=collection.data_model.model_validate(saved["data"]),
            created_at=datetime.fromisoformat(saved["createdAt"]),
            updated_at=datetime.fromisoformat(saved["updatedAt"]),
            version=saved["version"],
            seq=saved["seq"],
            parent=saved["parent"],
            deleted_at=datetime.fromisoformat(saved["deletedAt"]) if saved["deletedAt"] else None,
        )
        records[record.key] = record
        # The full change history is not kept in a file; each row's last change is.
        last_change = max(filter(None, (record.created_at, record.updated_at, record.deleted_at)))
        changes.append((last_change, record.version, record.key))
    next_seq = max((record.seq for record in records.values()), default=-1) + 1
    return TableState(records, sorted(changes), next_seq)
