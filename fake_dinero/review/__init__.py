"""The integration review: Dinero's technical review of an integration, read off the journal.

Dinero holds a technical review with every integration partner before launch and watches
live usage afterwards. ``review(entries)`` makes the same checks over the calls the fake
journaled: the rate limit and Retry-After, error storms and logins, how lists are synced,
files never used, ledger posts and the endpoint a booking used, and operations Dinero does
not have or is retiring. Each check is a pure function of the calls and ``Thresholds``;
each finding has a stable id, a severity, its evidence (the calls, with times on the
fake's clock), Dinero's rule and the fix.

The times are the fake's: a client run against a frozen clock makes every call at one
instant, so advance the clock between calls as the client's real timing would.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .catalogue import BY_ID, CHECKS
    from .core import FINDERS as FINDERS
    from .core import exchanges, review
    from .model import SEVERITIES, Check, Evidence, Exchange, Finding, Review, ReviewFailed, Severity
    from .thresholds import Thresholds

__all__ = [
    "BY_ID", "CHECKS", "SEVERITIES", "Check", "Evidence", "Exchange", "Finding", "Review", "ReviewFailed",
    "Severity", "Thresholds", "exchanges", "review",
]

_HOMES = {
    "BY_ID": "catalogue", "CHECKS": "catalogue", "FINDERS": "core", "exchanges": "core", "review": "core",
    "SEVERITIES": "model", "Check": "model", "Evidence": "model", "Exchange": "model", "Finding": "model",
    "Review": "model", "ReviewFailed": "model", "Severity": "model", "Thresholds": "thresholds",
}
"""Where each public name lives. They load on first use, so the control plane's
``GET /_fake/review`` route (``http``) costs the fake's import no checks."""


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})
