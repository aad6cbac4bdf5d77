"""The submissions service: submit, validate, auto-validate and reopen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pendulum
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.domain.events import ContentSubmitted, SubmissionValidated, ValidationDue
from influcampaign.domain.policies import ValidationPolicy
from tests.conftest import MANAGER
from tests.helpers import (
    SYSTEM,
    content_project,
    creator_of,
    events,
    join,
    stored,
    submit,
    validation_of,
)

_moments = st.datetimes(  # local wall times, placed in a time zone by the test
    min_value=dt.datetime(2026, 3, 15),  # noqa: DTZ001
    max_value=dt.datetime(2026, 11, 10),  # noqa: DTZ001
).map(lambda d: d.replace(microsecond=0))


class TestSubmissions:
    def test_a_submission_fulfils_the_first_open_deliverable(self, ws: ic.Workspace) -> None:
        """Without a deliverable named, the soonest due one of that platform and format."""
        pid = join(ws, content_project(ws)).id
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
        campaign = content_project(ws)
        lea, tom = join(ws, campaign, "Léa").id, join(ws, campaign, "Tom").id
        toms = ws.deliverables.plan(MANAGER, tom, platform="instagram", format="reel")
        before = stored(ws)
        with pytest.raises(ic.ValidationError, match="another creator") as error:
            submit(ws, lea, deliverable_id=toms.id)
        assert error.value.field == "deliverable_id"
        assert stored(ws) == before

    def test_a_deliverable_of_another_format_is_refused(self, ws: ic.Workspace) -> None:
        """A story does not fulfil a planned reel."""
        pid = join(ws, content_project(ws)).id
        reel = ws.deliverables.plan(MANAGER, pid, platform="instagram", format="reel")
        with pytest.raises(ic.ValidationError, match="expects a instagram reel"):
            submit(ws, pid, format="story", deliverable_id=reel.id)

    def test_the_brief_is_checked_on_submission(self, ws: ic.Workspace) -> None:
        """The stored check and the event carry the suggested percentage."""
        pid = join(ws, content_project(ws)).id
        sub = submit(
            ws,
            pid,
            caption="Publicité ✹ ma routine #SummerGlow @maison.lumiere",
            on_screen_text="Publicité",
        )
        assert sub.brief_check is not None
        assert sub.brief_check.suggested_compliance == 80  # all but the product shown
        assert events(ws, ContentSubmitted)[0].suggested_compliance == 80
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
        pid = join(ws, content_project(ws)).id
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
        pid = join(ws, content_project(ws)).id
        sub = submit(ws, pid, metrics={"likes": 3})
        before = stored(ws)
        with pytest.raises(ic.ValidationError) as error:
            ws.submissions.record_metrics(MANAGER, sub.id, metrics)
        assert error.value.field == field
        assert stored(ws) == before
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
        pid = join(ws, content_project(ws)).id
        before = stored(ws)
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
        assert stored(ws) == before

    def test_100_kb_of_emoji(self, ws: ic.Workspace) -> None:
        """A caption of 100 KB of emoji is stored and checked."""
        pid = join(ws, content_project(ws)).id
        sub = submit(ws, pid, caption="🎉" * 25_000)
        assert sub.brief_check is not None
        assert ws.submissions.get(MANAGER, sub.id).caption == "🎉" * 25_000


class TestValidation:
    def test_the_brand_validates_with_a_percentage(self, ws: ic.Workspace) -> None:
        """A validation records the percentage and feedback; its jobs are cancelled."""
        pid = join(ws, content_project(ws)).id
        sub = submit(ws, pid)
        done = ws.submissions.validate(MANAGER, sub.id, compliance=85, feedback="Great, no code")
        assert done.status is ic.SubmissionStatus.VALIDATED
        assert done.validation == ic.Validation(
            compliance=85, at=ws.clock.now(), by="u_claire", feedback="Great, no code"
        )
        assert ws.scheduler.pending(SYSTEM, subject_id=sub.id) == []
        (event,) = events(ws, SubmissionValidated)
        assert (event.compliance, event.automatic, event.late) == (85, False, False)

    @pytest.mark.parametrize("compliance", [101, -1, 50.5, True, "90"])
    def test_bad_percentages_change_nothing(self, ws: ic.Workspace, compliance: object) -> None:
        """0-100 whole numbers only."""
        sub = submit(ws, join(ws, content_project(ws)).id)
        before = stored(ws)
        with pytest.raises(ic.ValidationError, match="compliance"):
            ws.submissions.validate(MANAGER, sub.id, compliance=compliance)  # type: ignore[arg-type]
        assert stored(ws) == before

    def test_only_the_brand_validates(self, ws: ic.Workspace) -> None:
        """A creator cannot validate its own content; an analyst neither."""
        pid = join(ws, content_project(ws)).id
        sub = submit(ws, pid)
        analyst = ic.BrandMember("u_ana", brand_id="acme", role="analyst")
        for actor in (creator_of(ws, pid), analyst):
            with pytest.raises(ic.PermissionDenied):
                ws.submissions.validate(actor, sub.id, compliance=100)

    def test_reminder_then_automatic_validation(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """Day 6 reminds the brand, day 10 validates at 100 % saying it was automatic."""
        pid = join(ws, content_project(ws)).id
        sub = submit(ws, pid)
        deadlines = ws.submissions.deadlines(MANAGER, sub.id)
        clock.advance(days=6)
        assert ws.scheduler.run(SYSTEM).done == 1
        (due,) = events(ws, ValidationDue)
        assert due.deadline == deadlines.validate_by
        clock.advance(days=4)
        assert ws.scheduler.run(SYSTEM).done == 1
        got = ws.submissions.get(MANAGER, sub.id)
        assert got.validation is not None
        assert (got.validation.compliance, got.validation.automatic) == (100, True)
        (event,) = events(ws, SubmissionValidated)
        assert event.automatic

    def test_a_late_validation_is_marked_late(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """Validating on day 8 is allowed, and recorded as late."""
        sub = submit(ws, join(ws, content_project(ws)).id)
        clock.advance(days=8)
        assert ws.submissions.validate(MANAGER, sub.id, compliance=70).validations[-1].late

    def test_after_auto_validation_a_verdict_needs_a_reopening(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """Validating an auto-validated content is refused until it is re-opened with a reason;
        the re-opening starts a new 10-day round."""
        sub = submit(ws, join(ws, content_project(ws)).id)
        clock.advance(days=10)
        ws.scheduler.run(SYSTEM)
        before = stored(ws)
        with pytest.raises(ic.InvalidTransition):
            ws.submissions.validate(MANAGER, sub.id, compliance=60)
        assert stored(ws) == before
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
        sub = submit(ws, join(ws, content_project(ws)).id)
        ws.submissions.validate(MANAGER, sub.id, compliance=90)
        clock.advance(days=2)
        ws.submissions.reopen(MANAGER, sub.id, reason="wrong link")
        clock.advance(days=9, hours=23)
        ws.scheduler.run(SYSTEM)
        assert ws.submissions.get(MANAGER, sub.id).status is ic.SubmissionStatus.SUBMITTED
        clock.advance(hours=1)
        ws.scheduler.run(SYSTEM)
        assert validation_of(ws.submissions.get(MANAGER, sub.id)).automatic

    def test_reopening_needs_a_validated_submission(self, ws: ic.Workspace) -> None:
        """A submission waiting for validation cannot be re-opened."""
        sub = submit(ws, join(ws, content_project(ws)).id)
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
        pid = join(ws, campaign, f"C{moment.timestamp()}").id
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
        assert validation_of(ws.submissions.get(MANAGER, sub.id)).automatic
