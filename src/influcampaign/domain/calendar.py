"""The content calendar: planned and published contents in date order (values)."""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable, Mapping

import attrs

from influcampaign.domain.creator import Platform
from influcampaign.domain.deliverable import ContentFormat

__all__ = ["CalendarEntry", "ContentCalendar", "EntryKind"]


class EntryKind(enum.StrEnum):
    """A content planned (a deliverable) or published (a submission), or a brand event."""

    PLANNED = "planned"
    PUBLISHED = "published"
    EVENT = "event"


@attrs.frozen
class CalendarEntry:
    """One content on the calendar, on a local day (and time, if known) of its campaign's
    time zone, or a brand event (``kind`` event: no creator, platform nor format; its
    ``name``, ``minutes`` long, at ``location``). ``uid`` is stable and ``sequence`` rises
    when the date moves."""

    uid: str
    kind: EntryKind
    day: _dt.date
    time: _dt.time | None
    timezone: str
    campaign_id: str
    campaign_name: str
    participation_id: str = ""
    creator_id: str = ""
    creator_name: str = ""
    platform: Platform | None = None
    format: ContentFormat | None = None
    quantity: int = 1
    sequence: int = 0
    cancelled: bool = False
    due_on: _dt.date | None = None
    url: str = ""
    notes: str = ""
    name: str = ""  # a brand event's name
    minutes: int | None = None  # a brand event's length
    location: str = ""  # a brand event's venue or link

    @property
    def title(self) -> str:
        """``"Léa — Instagram reel x2 (Summer Glow)"``, or ``"Soirée Verte (Launch)"``."""
        if self.kind is EntryKind.EVENT or self.platform is None or self.format is None:
            return f"{self.name or 'Event'} ({self.campaign_name})"
        what = f"{self.platform.value.capitalize()} {self.format.value}"
        if self.quantity > 1:
            what += f" x{self.quantity}"
        verb = "published: " if self.kind is EntryKind.PUBLISHED else ""
        return f"{self.creator_name} — {verb}{what} ({self.campaign_name})"


def _in_order(entries: Iterable[CalendarEntry]) -> tuple[CalendarEntry, ...]:
    return tuple(sorted(entries, key=lambda e: (e.day, e.time or _dt.time.min, e.uid)))


@attrs.frozen
class ContentCalendar:
    """Entries of one or several campaigns in date order; cancelled ones are kept (calendar
    apps must hear of a cancellation) but left out of the day and week views."""

    entries: tuple[CalendarEntry, ...] = attrs.field(converter=_in_order)
    unscheduled: tuple[CalendarEntry, ...] = ()  # planned with neither a date nor a due date

    @property
    def active(self) -> tuple[CalendarEntry, ...]:
        """The entries not cancelled."""
        return tuple(e for e in self.entries if not e.cancelled)

    def by_day(self) -> Mapping[_dt.date, tuple[CalendarEntry, ...]]:
        """Entries per local day, in order."""
        days: dict[_dt.date, list[CalendarEntry]] = {}
        for entry in self.active:
            days.setdefault(entry.day, []).append(entry)
        return {day: tuple(es) for day, es in days.items()}

    def by_week(self) -> Mapping[_dt.date, tuple[CalendarEntry, ...]]:
        """Entries per ISO week, keyed by the week's Monday."""
        weeks: dict[_dt.date, list[CalendarEntry]] = {}
        for entry in self.active:
            monday = entry.day - _dt.timedelta(days=entry.day.weekday())
            weeks.setdefault(monday, []).append(entry)
        return {monday: tuple(es) for monday, es in weeks.items()}
