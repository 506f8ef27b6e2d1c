"""Entries: the posted lines of the books, by date and by when they were added."""

from __future__ import annotations

from ..routing import Routes

routes = Routes(tag="Entries")
