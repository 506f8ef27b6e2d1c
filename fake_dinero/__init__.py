"""fake-dinero: a stateful, in-memory fake of the Dinero accounting API.

The names below are the public surface. They are imported on first use, not
with the package: pytest loads ``fake_dinero.pytest_plugin`` in every run of a
project that has fake-dinero installed, and only the tests that use a fixture
should pay for importing the fake.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
"""The one place the version is written; the package metadata reads it from here."""

_EXPORTS = {
    "ApiRequest": "fake_dinero.http",
    "ApiResponse": "fake_dinero.http",
    "Clock": "fake_dinero.clock",
    "Dinero": "fake_dinero.pytest_plugin.handle",
    "DineroError": "fake_dinero.errors",
    "DineroOptions": "fake_dinero.options",
    "DineroTransport": "fake_dinero.inprocess",
    "FakeDinero": "fake_dinero.fake",
    "InProcessDinero": "fake_dinero.inprocess",
    "LiveServer": "fake_dinero.live",
    "NotAnsweredInProcess": "fake_dinero.network_guard",
    "Settings": "fake_dinero.world",
    "World": "fake_dinero.world",
    "create_app": "fake_dinero.asgi",
    "fresh_dinero": "fake_dinero.pytest_plugin.handle",
}

__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:
    from .asgi import create_app
    from .clock import Clock
    from .errors import DineroError
    from .fake import FakeDinero
    from .http import ApiRequest, ApiResponse
    from .inprocess import DineroTransport, InProcessDinero
    from .live import LiveServer
    from .network_guard import NotAnsweredInProcess
    from .options import DineroOptions
    from .pytest_plugin.handle import Dinero, fresh_dinero
    from .world import Settings, World


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'fake_dinero' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
