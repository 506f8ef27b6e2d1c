"""fake-dinero: a stateful, in-memory fake of the Dinero accounting API."""

from __future__ import annotations

from .clock import Clock
from .errors import DineroError
from .fake import FakeDinero
from .http import ApiRequest, ApiResponse
from .world import Settings, World

__version__ = "0.1.0"
"""The one place the version is written; the package metadata reads it from here."""

__all__ = ["__version__", "ApiRequest", "ApiResponse", "Clock", "DineroError", "FakeDinero", "Settings", "World"]
