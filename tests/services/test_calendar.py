"""The calendar service: entries and the .ics file."""

from __future__ import annotations

import datetime as dt

import icalendar
import pendulum

import influcampaign as ic
from tests.conftest import MANAGER
from tests.helpers import PARIS, content_project, creator_of, join, submit


class TestCalendar:
    def _plan(self, ws: ic.Workspace) -> tuple[ic.Campaign, str, str]:
        campaign = content_project(ws)
        lea, tom = join(ws, campaign, "Léa").id, join(ws, campaign, "Tom").id
        ws.deliverables.plan(
            MANAGER,
            lea,
            platform="instagram",
            format="reel",
            planned_on=dt.date(2026, 3, 29),
            planned_time=dt.time(18, 30),
            due_on=dt.date(2026, 3, 31),
        )
        ws.deliverables.plan(
            MANAGER,
            tom,
            platform="tiktok",
            format="short",
            quantity=2,
            planned_on=dt.date(2026, 3, 28),
        )
        ws.deliverables.plan(MANAGER, tom, platform="instagram", format="story")  # no date
        return campaign, lea, tom

    def test_entries_in_date_order_by_day_and_week(self, ws: ic.Workspace) -> None:
        """Planned and published contents in local date order, grouped per day and ISO week."""
        campaign, lea, _ = self._plan(ws)
        submit(ws, lea)  # published 2 March 09:00 Paris
        calendar = ws.calendar.for_campaigns(MANAGER, [campaign.id])
        assert [(e.day, e.kind.value, e.creator_name) for e in calendar.entries] == [
            (dt.date(2026, 3, 2), "published", "Léa"),
            (dt.date(2026, 3, 28), "planned", "Tom"),
            (dt.date(2026, 3, 29), "planned", "Léa"),
        ]
        assert [e.format for e in calendar.unscheduled] == [ic.ContentFormat.STORY]
        assert list(calendar.by_day()) == [
            dt.date(2026, 3, 2),
            dt.date(2026, 3, 28),
            dt.date(2026, 3, 29),
        ]
        assert {k: len(v) for k, v in calendar.by_week().items()} == {
            dt.date(2026, 3, 2): 1,
            dt.date(2026, 3, 23): 2,
        }
        assert calendar.entries[1].title == "Tom — Tiktok short x2 (Été radieux)"

    def test_a_creator_sees_only_its_own_entries(self, ws: ic.Workspace) -> None:
        """The calendar shows an actor the participations it may read."""
        campaign, lea, _ = self._plan(ws)
        mine = ws.calendar.for_campaigns(creator_of(ws, lea), [campaign.id])
        assert {e.creator_name for e in mine.entries} == {"Léa"}

    def test_several_campaigns(self, ws: ic.Workspace) -> None:
        """Entries of several campaigns interleave by date."""
        first, _, _ = self._plan(ws)
        second = content_project(ws)
        pid = join(ws, second, "Zoé").id
        ws.deliverables.plan(
            MANAGER, pid, platform="youtube", format="video", planned_on=dt.date(2026, 3, 28)
        )
        calendar = ws.calendar.for_campaigns(MANAGER, [first.id, second.id])
        assert [e.day.day for e in calendar.entries] == [28, 28, 29]

    def test_ics_parses_back_to_the_same_events(self, ws: ic.Workspace) -> None:
        """The .ics file parses back with icalendar to the same UIDs, dates, times and
        SEQUENCEs; timed events carry their TZID and the file its VTIMEZONE."""
        campaign, lea, _ = self._plan(ws)
        submit(ws, lea)
        calendar = ws.calendar.for_campaigns(MANAGER, [campaign.id])
        parsed = icalendar.Calendar.from_ical(ws.calendar.ics(MANAGER, [campaign.id]))
        got = {
            str(e["uid"]): (e.decoded("dtstart"), int(e.get("sequence", 0)), str(e["summary"]))
            for e in parsed.walk("VEVENT")
        }
        want = {}
        for entry in calendar.entries:
            if entry.time is None:
                start: object = entry.day
            else:
                start = pendulum.datetime(
                    entry.day.year,
                    entry.day.month,
                    entry.day.day,
                    entry.time.hour,
                    entry.time.minute,
                    tz=PARIS,
                )
            want[entry.uid] = (start, entry.sequence, entry.title)
        assert got == want
        assert [tz["tzid"] for tz in parsed.walk("VTIMEZONE")] == [PARIS]
        all_day = next(e for e in parsed.walk("VEVENT") if "Tom" in str(e["summary"]))
        assert all_day["dtstart"].params.get("VALUE") == "DATE"
        assert all_day.decoded("dtend") == dt.date(2026, 3, 29)
        timed = next(
            e for e in parsed.walk("VEVENT") if str(e["summary"]).startswith("Léa — Instagram")
        )
        assert timed["dtstart"].params["TZID"] == PARIS
        assert timed.decoded("dtstart").utcoffset() == dt.timedelta(hours=2)  # CEST

    def test_a_moved_date_keeps_the_uid_and_raises_the_sequence(self, ws: ic.Workspace) -> None:
        """Re-importing after a move updates the same event; a cancellation is announced."""
        campaign, _, tom = self._plan(ws)
        (short,) = [d for d in ws.deliverables.list(MANAGER, tom) if d.format.value == "short"]
        before = icalendar.Calendar.from_ical(ws.calendar.ics(MANAGER, [campaign.id]))
        ws.deliverables.reschedule(MANAGER, short.id, planned_on=dt.date(2026, 4, 4))
        ws.deliverables.cancel(MANAGER, short.id)
        after = icalendar.Calendar.from_ical(ws.calendar.ics(MANAGER, [campaign.id]))

        def find(cal: icalendar.Calendar) -> icalendar.Component:
            return next(e for e in cal.walk("VEVENT") if e["uid"] == f"{short.id}@influcampaign")

        assert find(after).decoded("sequence") == find(before).decoded("sequence", 0) + 2
        assert find(after).decoded("dtstart") == dt.date(2026, 4, 4)
        assert str(find(after)["status"]) == "CANCELLED"
        assert (
            ws.calendar.for_campaigns(MANAGER, [campaign.id]).by_day().get(dt.date(2026, 4, 4))
            is None
        )
