"""Deliverables and submissions as aggregates (influcampaign.domain.content)."""

from __future__ import annotations

import datetime as dt

import pendulum
import pytest

import influcampaign as ic
from influcampaign.domain.events import SubmissionValidated
from influcampaign.domain.policies import ValidationPolicy
from tests.helpers import validation_of


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
        assert isinstance(event, SubmissionValidated)
        assert event.occurred_at == now
        assert (event.compliance, event.automatic, event.late) == (80, True, True)

    def test_a_validated_content_is_not_validated_automatically(self) -> None:
        """Once the brand validated, auto_validate is an InvalidTransition and records nothing."""
        sub = a_submission()
        now = pendulum.datetime(2026, 4, 2, tz="UTC")
        sub.validate(now, compliance=90, by="u_claire", deadline=now.add(days=6))
        sub.pull_events()
        with pytest.raises(ic.InvalidTransition):
            sub.auto_validate(now.add(days=9), ValidationPolicy())
        assert (validation_of(sub).compliance, sub.recorded) == (90, ())

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
