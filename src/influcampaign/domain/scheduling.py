"""Jobs: work the scheduler does at a due time (reminders, alerts, automatic validation)."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

import attrs
import pendulum

from influcampaign.domain._validate import (
    check_datetime,
    optional_instant_field,
    parse_enum,
    valid_id,
)
from influcampaign.domain.aggregate import Aggregate
from influcampaign.domain.event import DomainEvent, register
from influcampaign.errors import ValidationError

if TYPE_CHECKING:
    from influcampaign.domain.application import Application
    from influcampaign.domain.brand_event import BrandEvent
    from influcampaign.domain.content import Submission
    from influcampaign.domain.participation import Participation

__all__ = [
    "ApplicationPendingTooLong",
    "EventReminderSent",
    "Job",
    "JobKind",
    "JobStatus",
    "PublicationReminderSent",
    "ValidationDue",
]


class JobKind(enum.StrEnum):
    """What a job does when it is due."""

    PUBLICATION_REMINDER = "publication_reminder"
    APPLICATION_PENDING = "application_pending"
    VALIDATION_REMINDER = "validation_reminder"
    AUTO_VALIDATION = "auto_validation"
    POST_CAPTURE = "post_capture"
    RIGHTS_EXPIRY = "rights_expiry"
    EVENT_REMINDER = "event_reminder"


class JobStatus(enum.StrEnum):
    """A job is pending until done, skipped (superseded by a later one) or cancelled."""

    PENDING = "pending"
    DONE = "done"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"


def _kind(value: Any) -> JobKind:
    return parse_enum(JobKind, "kind", value)


def _status(value: Any) -> JobStatus:
    return parse_enum(JobStatus, "status", value)


def _due_at(value: Any) -> pendulum.DateTime:
    return check_datetime("due_at", value)


# -- what the scheduler's jobs do (recorded by Job, written to the outbox) --------------------


@register
@attrs.frozen(kw_only=True)
class PublicationReminderSent(DomainEvent):
    """The scheduler reminded a creator to publish (once per scheduled reminder)."""

    participation_id: str
    campaign_id: str
    creator_id: str
    shipment_id: str
    number: int
    job_id: str


@register
@attrs.frozen(kw_only=True)
class ApplicationPendingTooLong(DomainEvent):
    """Reminder to the brand: an application has waited longer than the offer's policy allows."""

    application_id: str
    campaign_id: str
    creator_id: str
    waiting_days: int


@register
@attrs.frozen(kw_only=True)
class ValidationDue(DomainEvent):
    """The brand has a content to validate before ``deadline`` (after it, it is late)."""

    submission_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    deadline: pendulum.DateTime
    auto_validation_at: pendulum.DateTime


@register
@attrs.frozen(kw_only=True)
class EventReminderSent(DomainEvent):
    """The scheduler reminded a guest of a brand event (once per scheduled reminder)."""

    event_id: str
    campaign_id: str
    creator_id: str
    participation_id: str
    starts_at: pendulum.DateTime
    days_before: int
    job_id: str


@attrs.define
class Job(Aggregate):
    """One piece of scheduled work with a stable id, so it is scheduled and done once. Aggregate."""

    id: str = attrs.field(validator=valid_id)
    kind: JobKind = attrs.field(converter=_kind)
    due_at: pendulum.DateTime = attrs.field(converter=_due_at)
    subject_id: str = attrs.field(validator=valid_id)
    campaign_id: str = attrs.field(validator=valid_id)
    payload: dict[str, str] = attrs.Factory(dict)
    status: JobStatus = attrs.field(default=JobStatus.PENDING, converter=_status)
    finished_at: pendulum.DateTime | None = optional_instant_field()
    outcome: str = ""
    version: int = 0

    def finish(self, status: JobStatus, now: pendulum.DateTime, outcome: str = "") -> None:
        """Mark the job done, skipped or cancelled; a job finishes once."""
        if self.status is not JobStatus.PENDING:
            raise ValidationError(
                "job.status", self.status.value, f"job {self.id} is already finished"
            )
        self.status = status
        self.finished_at = now
        self.outcome = outcome

    @property
    def reminder_number(self) -> int:
        """Which publication reminder this job is (from 1)."""
        return int(self.payload.get("number", "1"))

    def remind_publication(self, now: pendulum.DateTime, participation: Participation) -> None:
        """Done: the creator of ``participation`` was reminded to publish; records
        PublicationReminderSent."""
        number = self.reminder_number
        self.finish(JobStatus.DONE, now, f"reminder {number} sent")
        self.record(
            PublicationReminderSent(
                occurred_at=now,
                participation_id=participation.id,
                campaign_id=participation.campaign_id,
                creator_id=participation.creator_id,
                shipment_id=self.payload.get("shipment_id", ""),
                number=number,
                job_id=self.id,
            )
        )

    def alert_pending_application(self, now: pendulum.DateTime, application: Application) -> None:
        """Done: the brand was told ``application`` has waited too long; records
        ApplicationPendingTooLong."""
        self.finish(JobStatus.DONE, now, "brand reminded")
        self.record(
            ApplicationPendingTooLong(
                occurred_at=now,
                application_id=application.id,
                campaign_id=application.campaign_id,
                creator_id=application.creator_id,
                waiting_days=application.waiting(now).days,
            )
        )

    def remind_validation(
        self,
        now: pendulum.DateTime,
        submission: Submission,
        *,
        deadline: pendulum.DateTime,
        auto_validation_at: pendulum.DateTime,
    ) -> None:
        """Done: the brand was reminded to validate ``submission`` before ``deadline``;
        records ValidationDue."""
        self.finish(JobStatus.DONE, now, "brand reminded to validate")
        self.record(
            ValidationDue(
                occurred_at=now,
                submission_id=submission.id,
                **submission.event_refs(),
                deadline=deadline,
                auto_validation_at=auto_validation_at,
            )
        )

    def remind_event(self, now: pendulum.DateTime, event: BrandEvent, creator_id: str) -> None:
        """Done: an accepted guest of ``event`` was reminded of it; records EventReminderSent."""
        guest = event.guest(creator_id)
        days = int(self.payload.get("days_before", "0"))
        self.finish(JobStatus.DONE, now, f"reminded {days} day(s) before")
        self.record(
            EventReminderSent(
                occurred_at=now,
                event_id=event.id,
                campaign_id=event.campaign_id,
                creator_id=creator_id,
                participation_id=guest.participation_id,
                starts_at=event.starts_at,
                days_before=days,
                job_id=self.id,
            )
        )
