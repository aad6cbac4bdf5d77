"""Clocks: the system clock and a frozen one for tests and simulations."""

from __future__ import annotations

import datetime as _dt

import pendulum

from influcampaign.domain._validate import check_datetime
from influcampaign.errors import ValidationError

__all__ = ["FrozenClock", "SystemClock"]


class SystemClock:
    """The wall clock, in UTC. The only place in influcampaign that reads it."""

    def now(self) -> pendulum.DateTime:
        """The current instant, in UTC."""
        return pendulum.now("UTC")

    def __repr__(self) -> str:
        return "SystemClock()"


class FrozenClock:
    """A clock that only moves when told to.

    >>> clock = FrozenClock(pendulum.datetime(2026, 3, 28, 12, tz="Europe/Paris"))
    >>> clock.advance(days=1).isoformat()
    '2026-03-29T11:00:00+00:00'
    >>> clock.advance(_dt.timedelta(hours=2)).isoformat()
    '2026-03-29T13:00:00+00:00'
    """

    def __init__(self, start: _dt.datetime) -> None:
        self._now = check_datetime("start", start)

    def now(self) -> pendulum.DateTime:
        """The frozen instant, in UTC."""
        return self._now

    def set(self, moment: _dt.datetime) -> pendulum.DateTime:
        """Jump to ``moment`` (forwards or backwards)."""
        self._now = check_datetime("moment", moment)
        return self._now

    def advance(
        self,
        by: _dt.timedelta | None = None,
        /,
        *,
        days: int = 0,
        hours: int = 0,
        minutes: int = 0,
        seconds: float = 0,
    ) -> pendulum.DateTime:
        """Move forward by an exact duration, a ``timedelta`` (pendulum's ``Duration`` is one)
        and/or keywords (a day is 24 hours here); returns the new now."""
        if by is not None and not isinstance(by, _dt.timedelta):
            raise ValidationError("by", by, "must be a datetime.timedelta")
        delta = (by or _dt.timedelta(0)) + _dt.timedelta(
            days=days, hours=hours, minutes=minutes, seconds=seconds
        )
        if delta < _dt.timedelta(0):
            raise ValidationError("advance", delta, "must not be negative; use set() to go back")
        self._now = self._now + delta
        return self._now

    def __repr__(self) -> str:
        return f"FrozenClock({self._now.isoformat()!r})"
