"""The fake's sense of time.

Everything that depends on time (token expiry, the rate-limit window, CreatedAt,
changesSince) asks one Clock, so tests move time instead of sleeping.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone


def _system_now() -> datetime:
    return datetime.now(timezone.utc)


class Clock:
    """UTC time that can run with the wall clock (shifted) or stand still.

    ``Clock()`` follows the wall clock; ``Clock(start)`` is frozen at ``start``.
    ``advance`` and ``set`` work in both modes.
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._frozen_at: datetime | None = _as_utc(start) if start else None
        self._offset = timedelta()

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def now(self) -> datetime:
        if self._frozen_at is not None:
            return self._frozen_at
        return _system_now() + self._offset

    def timestamp(self) -> float:
        """Seconds since the epoch, for windows and expiries."""
        return self.now().timestamp()

    def advance(self, seconds: float = 0, **delta: float) -> datetime:
        step = timedelta(seconds=seconds, **delta)
        if self._frozen_at is not None:
            self._frozen_at += step
        else:
            self._offset += step
        return self.now()

    def set(self, moment: datetime) -> datetime:
        moment = _as_utc(moment)
        if self._frozen_at is not None:
            self._frozen_at = moment
        else:
            self._offset = moment - _system_now()
        return self.now()

    def freeze(self, at: datetime | None = None) -> datetime:
        self._frozen_at = _as_utc(at) if at else self.now()
        return self._frozen_at

    def unfreeze(self) -> datetime:
        """Run on from where time stands now."""
        if self._frozen_at is not None:
            self._offset = self._frozen_at - _system_now()
            self._frozen_at = None
        return self.now()


def _as_utc(moment: datetime) -> datetime:
    """Naive datetimes are taken as UTC, as Dinero takes changesSince."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


ClockState = tuple[datetime | None, timedelta]


def clock_state(clock: Clock) -> ClockState:
    """What ``restore_clock`` needs to put ``clock`` back where it stands now."""
    return clock._frozen_at, clock._offset


def restore_clock(clock: Clock, state: ClockState) -> None:
    clock._frozen_at, clock._offset = state
