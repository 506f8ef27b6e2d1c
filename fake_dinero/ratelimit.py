"""Dinero's rate limit: 100 requests per rolling minute per (organization, client id).

Over it Dinero answers 429 with a plain-text body that starts
``API calls quota exceeded!`` (reference §2.1, §2.8). That sentence is the
default of the .NET throttling middleware AspNetCoreRateLimit, so the rest of
the body and the ``Retry-After`` header follow that middleware ([INF]).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Hashable

from .clock import Clock

QUOTA_EXCEEDED = "API calls quota exceeded! maximum admitted {limit} per {period}."


class RateLimiter:
    """A sliding window over the injectable clock.

    Only admitted requests count, so once the oldest of them leaves the window
    the caller may go on; a refused request does not push the window back.
    """

    def __init__(self, clock: Clock, limit: int | None, window_seconds: float = 60.0) -> None:
        self.clock = clock
        self.limit = limit
        self.window_seconds = window_seconds
        self._hits: dict[Hashable, deque[float]] = {}

    def admit(self, key: Hashable) -> bool:
        """Count one request for ``key``; False when it is over the limit."""
        if self.limit is None:
            return True
        now = self.clock.timestamp()
        hits = self._hits.get(key)
        if hits is None:
            hits = self._hits[key] = deque()
        horizon = now - self.window_seconds
        while hits and hits[0] <= horizon:
            hits.popleft()
        if len(hits) >= self.limit:
            return False
        hits.append(now)
        return True

    def retry_after(self, key: Hashable) -> int:
        """Whole seconds until ``key`` may call again (0 when it may now)."""
        hits = self._hits.get(key)
        if self.limit is None or not hits or len(hits) < self.limit:
            return 0
        return max(1, math.ceil(hits[0] + self.window_seconds - self.clock.timestamp()))

    def message(self) -> str:
        """The 429 body, as AspNetCoreRateLimit words it (period ``1m`` for a minute)."""
        seconds = self.window_seconds
        if seconds % 60 == 0:
            period = f"{seconds / 60:g}m"
        else:
            period = f"{seconds:g}s"
        return QUOTA_EXCEEDED.format(limit=self.limit, period=period)

    def reset(self) -> None:
        self._hits.clear()


def parse_rate_limit(text: str) -> int | None:
    """A limit as users write it: a number of requests per minute, or ``off``
    (also ``none`` or ``0``) for no limit. ValueError for anything else."""
    if text.strip().lower() in ("off", "none", "0"):
        return None
    try:
        value = int(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a number of requests per minute or 'off'") from None
    if value < 0:
        raise ValueError("the rate limit cannot be negative")
    return value
