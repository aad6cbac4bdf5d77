"""iCalendar export of the content calendar (the ``ical`` extra: the icalendar package).

Brand events are VEVENTs too, with their length and LOCATION.

Each entry is one VEVENT with a stable UID and the entry's SEQUENCE, so a calendar that
imported the file before updates the event when a date moves, and deletes it when it is
cancelled (STATUS:CANCELLED). A content planned for a date only is an all-day event; one
with a time carries its TZID, and the file holds the VTIMEZONE blocks it uses, so Google,
Outlook and Apple calendars place it at the right local time across DST changes.
"""

from __future__ import annotations

import datetime as _dt
import zoneinfo
from typing import TYPE_CHECKING

import pendulum

from influcampaign.domain.calendar import CalendarEntry, ContentCalendar, EntryKind

if TYPE_CHECKING:
    import icalendar

__all__ = ["calendar_to_ics"]

PRODID = "-//influcampaign//content calendar//EN"


def calendar_to_ics(
    calendar: ContentCalendar, *, stamp: pendulum.DateTime, name: str = "influcampaign"
) -> bytes:
    """``calendar`` as an .ics file; ``stamp`` (the clock's now) is every event's DTSTAMP."""
    import icalendar

    ics = icalendar.Calendar()
    ics.add("prodid", PRODID)
    ics.add("version", "2.0")
    ics.add("calscale", "GREGORIAN")
    ics.add("method", "PUBLISH")
    ics.add("x-wr-calname", name)
    moment = _dt.datetime.fromtimestamp(stamp.timestamp(), tz=_dt.UTC)
    for entry in calendar.entries:
        ics.add_component(_event(entry, moment))
    ics.add_missing_timezones()
    return bytes(ics.to_ical())


def _event(entry: CalendarEntry, stamp: _dt.datetime) -> icalendar.Event:
    import icalendar

    event = icalendar.Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    event.add("sequence", entry.sequence)
    event.add("summary", entry.title)
    if entry.time is None:
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + _dt.timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        start = _dt.datetime.combine(entry.day, entry.time, zoneinfo.ZoneInfo(entry.timezone))
        event.add("dtstart", start)
        event.add("dtend", start + _dt.timedelta(minutes=entry.minutes or 60))
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    categories = [entry.kind.value]
    categories += [v.value for v in (entry.platform, entry.format) if v is not None]
    event.add("categories", categories)
    if entry.location:
        event.add("location", entry.location)
    lines = [f"Campaign: {entry.campaign_name}"]
    if entry.creator_name:
        lines.append(f"Creator: {entry.creator_name}")
    if entry.kind is EntryKind.PLANNED and entry.due_on is not None:
        lines.append(f"Due: {entry.due_on.isoformat()}")
    if entry.notes:
        lines.append(entry.notes)
    if entry.url:
        event.add("url", entry.url)
        lines.append(entry.url)
    event.add("description", "\n".join(lines))
    return event
