"""Content: deliverables, the calendar and its .ics export, submissions with metrics, and
validation deadlines run by the scheduler."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import icalendar
import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.domain.policies import ValidationPolicy
from tests.conftest import MANAGER

SYSTEM = ic.SystemActor()
PARIS = "Europe/Paris"


def events(ws: ic.Workspace, type_: str) -> list[ic.DomainEvent]:
    return [m.event for m in ws.store.outbox.all() if m.event.type == type_]


def project(ws: ic.Workspace, **changes: object) -> ic.Campaign:
    campaign = ws.campaigns.create(
        MANAGER,
        brand_id="acme",
        brand_name="Maison Lumière",
        name="Été radieux",
        kind="product_placement",
        mode="project",
        start=pendulum.datetime(2026, 3, 1, tz=PARIS),
        end=pendulum.datetime(2026, 7, 1, tz=PARIS),
        timezone=PARIS,
        hashtags=["#SummerGlow"],
        mentions=["@maison.lumiere"],
        requirements=ic.BriefRequirements(jurisdiction="FR"),
        **changes,  # type: ignore[arg-type]
    )
    ws.campaigns.start(MANAGER, campaign.id)
    return campaign


def join(ws: ic.Workspace, campaign: ic.Campaign, name: str = "Léa") -> str:
    creator = ws.creators.register(MANAGER, name, audience={"instagram": ic.AudienceStats(9_000)})
    pid = ws.participations.add(MANAGER, campaign.id, creator.id).id
    ws.participations.confirm(MANAGER, pid)
    return pid


def creator_of(ws: ic.Workspace, pid: str) -> ic.CreatorUser:
    return ic.CreatorUser(ws.participations.get(MANAGER, pid).creator_id)


def submit(
    ws: ic.Workspace, pid: str, *, format: str = "reel", caption: str = "", **more: object
) -> ic.Submission:
    return ws.submissions.submit(
        creator_of(ws, pid),
        pid,
        url="https://www.instagram.com/reel/C1/",
        platform="instagram",
        format=format,
        published_at=ws.clock.now(),
        caption=caption,
        **more,  # type: ignore[arg-type]
    )


def snapshot(ws: ic.Workspace) -> tuple[object, ...]:
    """Everything stored, to show that a refused call changed nothing."""
    with ws.store.unit_of_work(read_only=True) as uow:
        return (
            sorted((d.id, d.version) for d in uow.deliverables.find()),
            sorted((s.id, s.version) for s in uow.submissions.find()),
            sorted((j.id, j.version) for j in uow.jobs.find()),
            len(list(ws.store.outbox.all())),
        )


class TestDeliverables:
    def test_plan_and_progress(self, ws: ic.Workspace, clock: ic.FrozenClock) -> None:
        """Expected vs delivered per creator and per format, with on-time and extra counts."""
        campaign = project(ws)
        lea, tom = join(ws, campaign, "Léa"), join(ws, campaign, "Tom")
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
        campaign = project(ws)
        pid = join(ws, campaign)
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
        pid = join(ws, project(ws))
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
        assert [e.sequence for e in events(ws, "DeliverableRescheduled")] == [1, 2]  # type: ignore[attr-defined]

    def test_cancel(self, ws: ic.Workspace) -> None:
        """A cancelled deliverable is no longer expected and cannot be rescheduled."""
        campaign = project(ws)
        pid = join(ws, campaign)
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
        pid = join(ws, project(ws))
        before = snapshot(ws)
        args: dict[str, object] = {"platform": "instagram", "format": "post", **changes}
        with pytest.raises(ic.ValidationError) as error:
            ws.deliverables.plan(MANAGER, pid, **args)  # type: ignore[arg-type]
        assert error.value.field == field
        assert snapshot(ws) == before

    def test_a_creator_cannot_plan_for_the_brand(self, ws: ic.Workspace) -> None:
        """Planning is the brand's; the creator reads its own deliverables."""
        pid = join(ws, project(ws))
        with pytest.raises(ic.PermissionDenied):
            ws.deliverables.plan(creator_of(ws, pid), pid, platform="instagram", format="post")
        d = ws.deliverables.plan(MANAGER, pid, platform="instagram", format="post")
        assert ws.deliverables.get(creator_of(ws, pid), d.id) == d


class TestSubmissions:
    def test_a_submission_fulfils_the_first_open_deliverable(self, ws: ic.Workspace) -> None:
        """Without a deliverable named, the soonest due one of that platform and format."""
        pid = join(ws, project(ws))
        later = ws.deliverables.plan(
            MANAGER, pid, platform="instagram", format="reel", due_on=dt.date(2026, 5, 1)
        )
        sooner = ws.deliverables.plan(
            MANAGER, pid, platform="instagram", format="reel", due_on=dt.date(2026, 4, 1)
        )
        assert submit(ws, pid).deliverable_id == sooner.id
        assert submit(ws, pid).deliverable_id == later.id
        assert submit(ws, pid).deliverable_id is None
        assert submit(ws, pid, format="post").deliverable_id is None

    def test_a_deliverable_of_another_creator_is_refused(self, ws: ic.Workspace) -> None:
        """Naming another creator's deliverable is a ValidationError; nothing changes."""
        campaign = project(ws)
        lea, tom = join(ws, campaign, "Léa"), join(ws, campaign, "Tom")
        toms = ws.deliverables.plan(MANAGER, tom, platform="instagram", format="reel")
        before = snapshot(ws)
        with pytest.raises(ic.ValidationError, match="another creator") as error:
            submit(ws, lea, deliverable_id=toms.id)
        assert error.value.field == "deliverable_id"
        assert snapshot(ws) == before

    def test_a_deliverable_of_another_format_is_refused(self, ws: ic.Workspace) -> None:
        """A story does not fulfil a planned reel."""
        pid = join(ws, project(ws))
        reel = ws.deliverables.plan(MANAGER, pid, platform="instagram", format="reel")
        with pytest.raises(ic.ValidationError, match="expects a instagram reel"):
            submit(ws, pid, format="story", deliverable_id=reel.id)

    def test_the_brief_is_checked_on_submission(self, ws: ic.Workspace) -> None:
        """The stored check and the event carry the suggested percentage."""
        pid = join(ws, project(ws))
        sub = submit(
            ws,
            pid,
            caption="Publicité ✹ ma routine #SummerGlow @maison.lumiere",
            on_screen_text="Publicité",
        )
        assert sub.brief_check is not None
        assert sub.brief_check.suggested_compliance == 80  # all but the product shown
        assert events(ws, "ContentSubmitted")[0].suggested_compliance == 80  # type: ignore[attr-defined]
        # the brand adds a requirement: the check run again reflects it
        ws.campaigns.update(
            MANAGER,
            sub.campaign_id,
            requirements=ic.BriefRequirements(jurisdiction="FR", promo_code=True),
        )
        again = ws.submissions.check_brief(MANAGER, sub.id, promo_codes=["LEA15"])
        assert again.result(ic.RequirementKind.PROMO_CODE).verdict is ic.BriefVerdict.MISSING
        assert ws.submissions.get(MANAGER, sub.id).brief_check == again

    def test_metrics_history_is_kept(self, ws: ic.Workspace, clock: ic.FrozenClock) -> None:
        """Each update adds a snapshot; figures not given are kept; None is not 0."""
        pid = join(ws, project(ws))
        sub = submit(ws, pid, metrics={"views": 1_000, "likes": 80})
        clock.advance(days=2)
        ws.submissions.record_metrics(creator_of(ws, pid), sub.id, {"views": 5_400, "saves": 12})
        ws.submissions.record_metrics(MANAGER, sub.id, ic.Metrics(likes=75))
        got = ws.submissions.get(MANAGER, sub.id)
        assert [s.metrics.views for s in got.metrics_history] == [1_000, 5_400, 5_400]
        assert got.metrics == ic.Metrics(views=5_400, likes=75, saves=12)
        assert got.metrics.engagements == 87
        assert got.metrics.comments is None
        assert got.metrics_history[1].recorded_at == clock.now()

    @pytest.mark.parametrize(
        ("metrics", "field"),
        [
            ({"likes": -1}, "metrics.likes"),
            ({"views": 1.5}, "metrics.views"),
            ({"likes": True}, "metrics.likes"),
            ({"followers": 3}, "metrics"),
        ],
    )
    def test_bad_metrics_change_nothing(
        self, ws: ic.Workspace, metrics: dict[str, object], field: str
    ) -> None:
        """Negative, fractional or unknown metrics are refused; the history is unchanged."""
        pid = join(ws, project(ws))
        sub = submit(ws, pid, metrics={"likes": 3})
        before = snapshot(ws)
        with pytest.raises(ic.ValidationError) as error:
            ws.submissions.record_metrics(MANAGER, sub.id, metrics)
        assert error.value.field == field
        assert snapshot(ws) == before
        assert ws.submissions.get(MANAGER, sub.id).metrics == ic.Metrics(likes=3)

    @pytest.mark.parametrize(
        ("changes", "field"),
        [
            ({"url": "ftp://example.com/x"}, "url"),
            ({"url": "javascript:alert(1)"}, "url"),
            ({"caption": "x" * 100_001}, "caption"),
            ({"published_at": dt.datetime(2026, 3, 1, 12)}, "published_at"),  # noqa: DTZ001 naive on purpose
        ],
    )
    def test_bad_submissions_change_nothing(
        self, ws: ic.Workspace, changes: dict[str, object], field: str
    ) -> None:
        """A URL that is not http(s), a caption too long, a naive time: refused, nothing stored."""
        pid = join(ws, project(ws))
        before = snapshot(ws)
        args: dict[str, object] = {
            "url": "https://www.instagram.com/p/1/",
            "platform": "instagram",
            "format": "post",
            "published_at": ws.clock.now(),
            **changes,
        }
        with pytest.raises(ic.ValidationError) as error:
            ws.submissions.submit(creator_of(ws, pid), pid, **args)  # type: ignore[arg-type]
        assert error.value.field == field
        assert snapshot(ws) == before

    def test_100_kb_of_emoji(self, ws: ic.Workspace) -> None:
        """A caption of 100 KB of emoji is stored and checked."""
        pid = join(ws, project(ws))
        sub = submit(ws, pid, caption="🎉" * 25_000)
        assert sub.brief_check is not None
        assert ws.submissions.get(MANAGER, sub.id).caption == "🎉" * 25_000


class TestValidation:
    def test_the_brand_validates_with_a_percentage(self, ws: ic.Workspace) -> None:
        """A validation records the percentage and feedback; its jobs are cancelled."""
        pid = join(ws, project(ws))
        sub = submit(ws, pid)
        done = ws.submissions.validate(MANAGER, sub.id, compliance=85, feedback="Great, no code")
        assert done.status is ic.SubmissionStatus.VALIDATED
        assert done.validation == ic.Validation(
            compliance=85, at=ws.clock.now(), by="u_claire", feedback="Great, no code"
        )
        assert ws.scheduler.pending(SYSTEM, subject_id=sub.id) == []
        (event,) = events(ws, "SubmissionValidated")
        assert (event.compliance, event.automatic, event.late) == (85, False, False)  # type: ignore[attr-defined]

    @pytest.mark.parametrize("compliance", [101, -1, 50.5, True, "90"])
    def test_bad_percentages_change_nothing(self, ws: ic.Workspace, compliance: object) -> None:
        """0-100 whole numbers only."""
        sub = submit(ws, join(ws, project(ws)))
        before = snapshot(ws)
        with pytest.raises(ic.ValidationError, match="compliance"):
            ws.submissions.validate(MANAGER, sub.id, compliance=compliance)  # type: ignore[arg-type]
        assert snapshot(ws) == before

    def test_only_the_brand_validates(self, ws: ic.Workspace) -> None:
        """A creator cannot validate its own content; an analyst neither."""
        pid = join(ws, project(ws))
        sub = submit(ws, pid)
        analyst = ic.BrandMember("u_ana", brand_id="acme", role="analyst")
        for actor in (creator_of(ws, pid), analyst):
            with pytest.raises(ic.PermissionDenied):
                ws.submissions.validate(actor, sub.id, compliance=100)

    def test_reminder_then_automatic_validation(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """Day 6 reminds the brand, day 10 validates at 100 % saying it was automatic."""
        pid = join(ws, project(ws))
        sub = submit(ws, pid)
        deadlines = ws.submissions.deadlines(MANAGER, sub.id)
        clock.advance(days=6)
        assert ws.scheduler.run(SYSTEM).done == 1
        (due,) = events(ws, "ValidationDue")
        assert due.deadline == deadlines.validate_by  # type: ignore[attr-defined]
        clock.advance(days=4)
        assert ws.scheduler.run(SYSTEM).done == 1
        got = ws.submissions.get(MANAGER, sub.id)
        assert got.validation is not None
        assert (got.validation.compliance, got.validation.automatic) == (100, True)
        (event,) = events(ws, "SubmissionValidated")
        assert event.automatic  # type: ignore[attr-defined]

    def test_a_late_validation_is_marked_late(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """Validating on day 8 is allowed, and recorded as late."""
        sub = submit(ws, join(ws, project(ws)))
        clock.advance(days=8)
        assert ws.submissions.validate(MANAGER, sub.id, compliance=70).validations[-1].late

    def test_after_auto_validation_a_verdict_needs_a_reopening(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """Validating an auto-validated content is refused until it is re-opened with a reason;
        the re-opening starts a new 10-day round."""
        sub = submit(ws, join(ws, project(ws)))
        clock.advance(days=10)
        ws.scheduler.run(SYSTEM)
        before = snapshot(ws)
        with pytest.raises(ic.InvalidTransition):
            ws.submissions.validate(MANAGER, sub.id, compliance=60)
        assert snapshot(ws) == before
        with pytest.raises(ic.ValidationError, match="reason"):
            ws.submissions.reopen(MANAGER, sub.id, reason="  ")
        reopened = ws.submissions.reopen(MANAGER, sub.id, reason="the code is missing")
        assert reopened.status is ic.SubmissionStatus.SUBMITTED
        assert ws.submissions.deadlines(MANAGER, sub.id).auto_validate_at == clock.now().add(
            days=10
        )
        validated = ws.submissions.validate(MANAGER, sub.id, compliance=60, feedback="no code")
        assert [v.compliance for v in validated.validations] == [100, 60]
        assert [v.automatic for v in validated.validations] == [True, False]
        clock.advance(days=30)
        assert ws.scheduler.run(SYSTEM).done == 0  # the second round's jobs were cancelled

    def test_a_reopened_submission_is_validated_again_automatically(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """Re-opened and forgotten: validated automatically 10 days after the re-opening."""
        sub = submit(ws, join(ws, project(ws)))
        ws.submissions.validate(MANAGER, sub.id, compliance=90)
        clock.advance(days=2)
        ws.submissions.reopen(MANAGER, sub.id, reason="wrong link")
        clock.advance(days=9, hours=23)
        ws.scheduler.run(SYSTEM)
        assert ws.submissions.get(MANAGER, sub.id).status is ic.SubmissionStatus.SUBMITTED
        clock.advance(hours=1)
        ws.scheduler.run(SYSTEM)
        assert ws.submissions.get(MANAGER, sub.id).validation.automatic  # type: ignore[union-attr]

    def test_reopening_needs_a_validated_submission(self, ws: ic.Workspace) -> None:
        """A submission waiting for validation cannot be re-opened."""
        sub = submit(ws, join(ws, project(ws)))
        with pytest.raises(ic.InvalidTransition):
            ws.submissions.reopen(MANAGER, sub.id, reason="why not")

    def test_policy_is_a_frozen_value(self) -> None:
        """Inconsistent validation policies are refused."""
        with pytest.raises(ic.ValidationError, match="auto_validate_after_days"):
            ValidationPolicy(validate_within_days=7, auto_validate_after_days=5)
        with pytest.raises(ic.ValidationError, match="remind_days_before"):
            ValidationPolicy(validate_within_days=3, remind_days_before=3)
        with pytest.raises(ic.ValidationError, match="auto_compliance"):
            ValidationPolicy(auto_compliance=101)


_moments = st.datetimes(  # local wall times, placed in a time zone by the test
    min_value=dt.datetime(2026, 3, 15),  # noqa: DTZ001
    max_value=dt.datetime(2026, 11, 10),  # noqa: DTZ001
).map(lambda d: d.replace(microsecond=0))


def a_submission(**changes: object) -> ic.Submission:
    """A submission built directly, waiting for validation."""
    at = pendulum.datetime(2026, 4, 1, 9, tz="UTC")
    fields: dict[str, object] = {
        "id": "sub_1",
        "participation_id": "par_1",
        "campaign_id": "cmp_1",
        "brand_id": "acme",
        "creator_id": "cre_1",
        "url": "https://www.instagram.com/reel/C1/",
        "platform": "instagram",
        "format": "reel",
        "published_at": at,
        "submitted_at": at,
        **changes,
    }
    return ic.Submission(**fields)  # type: ignore[arg-type]


class TestSubmissionRules:
    def test_automatic_validation_is_late_at_the_policy_percentage(self) -> None:
        """Submission.auto_validate validates at the policy's percentage, automatic and late,
        recording SubmissionValidated at the validation's time."""
        sub = a_submission()
        now = pendulum.datetime(2026, 4, 11, 9, tz="UTC")
        sub.auto_validate(now, ValidationPolicy(auto_compliance=80))
        assert sub.validation == ic.Validation(
            compliance=80,
            at=now,
            by="system",
            feedback="validated automatically after 10 days",
            automatic=True,
            late=True,
        )
        (event,) = sub.recorded
        assert (event.type, event.occurred_at) == ("SubmissionValidated", now)
        assert (event.compliance, event.automatic, event.late) == (80, True, True)  # type: ignore[attr-defined]

    def test_a_validated_content_is_not_validated_automatically(self) -> None:
        """Once the brand validated, auto_validate is an InvalidTransition and records nothing."""
        sub = a_submission()
        now = pendulum.datetime(2026, 4, 2, tz="UTC")
        sub.validate(now, compliance=90, by="u_claire", deadline=now.add(days=6))
        sub.pull_events()
        with pytest.raises(ic.InvalidTransition):
            sub.auto_validate(now.add(days=9), ValidationPolicy())
        assert (sub.validation.compliance, sub.recorded) == (90, ())  # type: ignore[union-attr]

    def test_reopening_starts_a_new_round(self) -> None:
        """Submission.reopen counts a round and records SubmissionReopened at its time."""
        sub = a_submission()
        now = pendulum.datetime(2026, 4, 2, tz="UTC")
        sub.validate(now, compliance=90, by="u_claire", deadline=now)
        sub.reopen(now.add(hours=1), by="u_claire", reason="wrong link")
        assert (sub.round, sub.review_started_at) == (1, now.add(hours=1))
        assert [(e.type, e.occurred_at) for e in sub.recorded] == [
            ("SubmissionValidated", now),
            ("SubmissionReopened", now.add(hours=1)),
        ]


class TestDeliverableRules:
    def deliverable(self) -> ic.Deliverable:
        """A planned deliverable, its DeliverablePlanned already collected."""
        planned = ic.Deliverable.plan(
            pendulum.datetime(2026, 4, 1, tz="UTC"),
            id="dlv_1",
            participation_id="par_1",
            campaign_id="cmp_1",
            brand_id="acme",
            creator_id="cre_1",
            platform="instagram",
            format="reel",
            due_on=dt.date(2026, 5, 1),
        )
        assert [e.type for e in planned.pull_events()] == ["DeliverablePlanned"]
        return planned

    def test_rescheduling_to_the_same_dates_changes_nothing(self) -> None:
        """Deliverable.reschedule returns False and records nothing when no date moves."""
        d = self.deliverable()
        assert not d.reschedule(pendulum.datetime(2026, 4, 2, tz="UTC"), due_on=dt.date(2026, 5, 1))
        assert (d.sequence, d.recorded) == (0, ())

    def test_a_cancelled_deliverable_cannot_be_rescheduled(self) -> None:
        """Only a planned deliverable moves: a cancelled one is an InvalidTransition."""
        d = self.deliverable()
        d.cancel(pendulum.datetime(2026, 4, 2, tz="UTC"), reason="budget cut")
        with pytest.raises(ic.InvalidTransition, match="reschedule"):
            d.reschedule(pendulum.datetime(2026, 4, 3, tz="UTC"), due_on=dt.date(2026, 6, 1))
        assert (d.sequence, [e.type for e in d.recorded]) == (1, ["DeliverableCancelled"])


class TestAutoValidationAcrossDst:
    @settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(
        moment=_moments,
        timezone=st.sampled_from(["Europe/Paris", "America/New_York", "Australia/Sydney"]),
    )
    def test_exactly_at_day_10_local(
        self,
        make_workspace: Callable[[], ic.Workspace],
        clock: ic.FrozenClock,
        moment: dt.datetime,
        timezone: str,
    ) -> None:
        """Auto-validation happens at the same local time 10 calendar days later in the
        campaign's time zone (9 days 23 h or 10 days 1 h of elapsed time across DST), not a
        second before."""
        ws = make_workspace()
        submitted = pendulum.instance(moment, tz=timezone)
        clock.set(pendulum.datetime(2026, 3, 2, tz=timezone))
        campaign = ws.campaigns.create(
            MANAGER,
            brand_id="acme",
            name="DST",
            kind="seeding",
            mode="project",
            start=pendulum.datetime(2026, 3, 1, tz=timezone),
            end=pendulum.datetime(2026, 12, 1, tz=timezone),
            timezone=timezone,
        )
        ws.campaigns.start(MANAGER, campaign.id)
        pid = join(ws, campaign, f"C{moment.timestamp()}")
        clock.set(submitted)
        sub = submit(ws, pid)
        local = submitted.add(days=10)  # pendulum: same wall time, 10 calendar days later
        due = pendulum.datetime(
            local.year, local.month, local.day, local.hour, local.minute, local.second, tz=timezone
        )
        clock.set(due.subtract(microseconds=1))
        ws.scheduler.run(SYSTEM)
        assert ws.submissions.get(MANAGER, sub.id).status is ic.SubmissionStatus.SUBMITTED
        clock.set(due)
        ws.scheduler.run(SYSTEM)
        assert ws.submissions.get(MANAGER, sub.id).validation.automatic  # type: ignore[union-attr]


class TestCalendar:
    def _plan(self, ws: ic.Workspace) -> tuple[ic.Campaign, str, str]:
        campaign = project(ws)
        lea, tom = join(ws, campaign, "Léa"), join(ws, campaign, "Tom")
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
        assert [e.format.value for e in calendar.unscheduled] == ["story"]
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
        second = project(ws)
        pid = join(ws, second, "Zoé")
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


class TestSchema:
    def test_a_version_2_submission_loads_with_the_new_fields_defaulted(
        self, tmp_path: object
    ) -> None:
        """A submission written before deliverables and validation existed reads back."""
        import json

        from influcampaign.adapters.sql_schema import LATEST_VERSION, MIGRATIONS, metadata

        url = f"sqlite:///{tmp_path}/v2.sqlite"
        store = ic.SqlStore(url)
        with store.engine.begin() as conn:
            replay = metadata(0)
            for steps in MIGRATIONS[:2]:
                for step in steps:
                    step.apply(conn, replay)
            store._set_version(conn, 2)
            old = {
                "id": "sub_1",
                "participation_id": "par_1",
                "campaign_id": "cmp_1",
                "brand_id": "acme",
                "creator_id": "cre_1",
                "url": "https://instagram.com/p/1",
                "platform": "instagram",
                "format": "post",
                "published_at": "2025-06-01T10:00:00+00:00",
                "submitted_at": "2025-06-01T11:00:00+00:00",
                "caption": "#ad",
                "is_video": False,
                "version": 0,
            }
            conn.exec_driver_sql(
                "INSERT INTO ic_submissions (id, version, doc, participation_id, campaign_id) "
                "VALUES (?, ?, ?, ?, ?)",
                ("sub_1", 1, json.dumps(old), "par_1", "cmp_1"),
            )
        store.close()
        upgraded = ic.SqlStore(url)
        assert upgraded.migrate() == LATEST_VERSION >= 3
        with upgraded.unit_of_work(read_only=True) as uow:
            sub = uow.submissions.get("sub_1")
            assert uow.deliverables.find() == []
        upgraded.close()
        assert (sub.caption, sub.status, sub.metrics, sub.validations) == (
            "#ad",
            ic.SubmissionStatus.SUBMITTED,
            None,
            (),
        )
