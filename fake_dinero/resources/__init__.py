"""Dinero's resources, one module each; this list is the whole API the fake serves."""

from __future__ import annotations

from .. import auth, connect, control, docs
from ..routing import RouteTable
from . import contacts, organizations, products

ROUTE_TABLE = RouteTable(
    [
        auth.routes,
        connect.routes,
        control.routes,
        docs.routes,
        organizations.routes,
        contacts.routes,
        products.routes,
    ]
)
