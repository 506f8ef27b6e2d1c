"""A contact's state of account (reference §4.3 rows 24-26)."""

from __future__ import annotations

from ..routing import Routes

routes = Routes(tag="Contacts")
