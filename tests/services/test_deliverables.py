"""The deliverables service: plan, reschedule and cancel."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

import influcampaign as ic
from influcampaign.domain.events import DeliverableRescheduled
from tests.conftest import MANAGER
from tests.helpers import PARIS, content_project, creator_of, events, join, stored, submit


class TestDeliverables:
    def test_plan_and_progress(self, ws: ic.Workspace, clock: ic.FrozenClock) -> None:
        """Expected vs delivered per creator and per format, with on-time and extra counts."""
        campaign = content_project(ws)
        lea, tom = join(ws, campaign, "Léa").id, join(ws, campaign, "Tom").id
        ws.deliverables.plan(
            MANAGER,
            lea,
            platform="instagram",
            format="reel",
            quantity=2,
            due_on=dt.date(2026, 3, 5),
        )
        ws.deliverables.plan(MANAGER, lea, platform="instagram", format="story", quantity=3)
        ws.deliverables.plan(MANAGER, tom, platform="instagram", format="reel")
        submit(ws, lea)  # 2 March: on time
        clock.advance(days=5)  # 7 March: after the due day
        submit(ws, lea)
        submit(ws, lea)  # a third reel: beyond the plan
        submit(ws, lea, format="story")
        progress = ws.deliverables.progress(MANAGER, campaign.id)
        lea_id = creator_of(ws, lea).creator_id
        assert progress.per_creator[lea_id] == ic.DeliveryLine(
            expected=5, delivered=3, on_time=2, late=1, extra=1
        )
        assert progress.per_format[ic.ContentFormat.REEL] == ic.DeliveryLine(
            expected=3, delivered=2, on_time=1, late=1, extra=1
        )
        assert progress.total.expected == 6
        assert progress.total.outstanding == 3
        assert progress.per_format[ic.ContentFormat.REEL].on_time_rate == 0.5

    def test_due_day_is_counted_in_the_campaign_time_zone(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """The due day ends at midnight in the campaign's time zone: published at 23:30 Paris
        time on the due day (21:30 UTC, summer time) is on time, at 00:30 the next day late."""
        campaign = content_project(ws)
        pid = join(ws, campaign).id
        d = ws.deliverables.plan(
            MANAGER,
            pid,
            platform="instagram",
            format="reel",
            quantity=2,
            due_on=dt.date(2026, 3, 29),
        )
        assert d.due_at(PARIS) == pendulum.datetime(2026, 3, 29, 22, tz="UTC")  # CEST starts
        clock.set(pendulum.datetime(2026, 3, 29, 23, 30, tz=PARIS))
        submit(ws, pid)
        clock.set(pendulum.datetime(2026, 3, 30, 0, 30, tz=PARIS))
        submit(ws, pid)
        line = ws.deliverables.progress(MANAGER, campaign.id).total
        assert (line.on_time, line.late) == (1, 1)

    def test_reschedule_raises_the_sequence_only_when_a_date_moves(self, ws: ic.Workspace) -> None:
        """Moving a date raises SEQUENCE and emits an event; the same dates change nothing."""
        pid = join(ws, content_project(ws)).id
        d = ws.deliverables.plan(
            MANAGER, pid, platform="tiktok", format="short", planned_on=dt.date(2026, 4, 2)
        )
        same = ws.deliverables.reschedule(MANAGER, d.id, planned_on=dt.date(2026, 4, 2))
        assert same.sequence == 0
        moved = ws.deliverables.reschedule(
            MANAGER, d.id, planned_on=dt.date(2026, 4, 3), planned_time=dt.time(18, 0)
        )
        assert (moved.sequence, moved.planned_time) == (1, dt.time(18, 0))
        cleared = ws.deliverables.reschedule(MANAGER, d.id, planned_time=None)
        assert (cleared.sequence, cleared.planned_on, cleared.planned_time) == (
            2,
            dt.date(2026, 4, 3),
            None,
        )
        assert [e.sequence for e in events(ws, DeliverableRescheduled)] == [1, 2]

    def test_cancel(self, ws: ic.Workspace) -> None:
        """A cancelled deliverable is no longer expected and cannot be rescheduled."""
        campaign = content_project(ws)
        pid = join(ws, campaign).id
        d = ws.deliverables.plan(MANAGER, pid, platform="instagram", format="post")
        ws.deliverables.cancel(MANAGER, d.id, reason="budget cut")
        assert ws.deliverables.list(MANAGER, pid) == []
        assert ws.deliverables.progress(MANAGER, campaign.id).total.expected == 0
        with pytest.raises(ic.InvalidTransition):
            ws.deliverables.reschedule(MANAGER, d.id, planned_on=dt.date(2026, 4, 1))
        with pytest.raises(ic.InvalidTransition):
            ws.deliverables.cancel(MANAGER, d.id)

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"quantity": 0}, "quantity"),
            ({"quantity": True}, "quantity"),
            ({"format": "hologram"}, "format"),
            ({"planned_time": dt.time(9)}, "planned_time"),
            ({"planned_on": dt.date(2026, 4, 2), "due_on": dt.date(2026, 4, 1)}, "due_on"),
            ({"due_on": dt.datetime(2026, 4, 1, tzinfo=dt.UTC)}, "due_on"),
        ],
    )
    def test_bad_plans_are_refused(
        self, ws: ic.Workspace, changes: dict[str, object], field: str
    ) -> None:
        """Bad input names the field and stores nothing."""
        pid = join(ws, content_project(ws)).id
        before = stored(ws)
        args: dict[str, object] = {"platform": "instagram", "format": "post", **changes}
        with pytest.raises(ic.ValidationError) as error:
            ws.deliverables.plan(MANAGER, pid, **args)  # type: ignore[arg-type]
        assert error.value.field == field
        assert stored(ws) == before

    def test_a_creator_cannot_plan_for_the_brand(self, ws: ic.Workspace) -> None:
        """Planning is the brand's; the creator reads its own deliverables."""
        pid = join(ws, content_project(ws)).id
        with pytest.raises(ic.PermissionDenied):
            ws.deliverables.plan(creator_of(ws, pid), pid, platform="instagram", format="post")
        d = ws.deliverables.plan(MANAGER, pid, platform="instagram", format="post")
        assert ws.deliverables.get(creator_of(ws, pid), d.id) == d
