"""What creators published (submissions), with metrics and the brand's validation. What they
owe (deliverables) is in :mod:`influcampaign.domain.deliverable`."""

from __future__ import annotations

import enum
from collections.abc import Callable
from typing import Any

import attrs
import pendulum

from influcampaign.domain._urls import check_http_url
from influcampaign.domain._validate import check_datetime, check_text, parse_enum
from influcampaign.domain.aggregate import OfParticipation
from influcampaign.domain.brief import BriefReport
from influcampaign.domain.creator import Platform, parse_platform

# The ``X as X`` imports re-export the deliverable names that lived here, for existing imports.
from influcampaign.domain.deliverable import DELIVERABLE_LIFECYCLE as DELIVERABLE_LIFECYCLE
from influcampaign.domain.deliverable import ContentFormat
from influcampaign.domain.deliverable import Deliverable as Deliverable
from influcampaign.domain.deliverable import DeliverableAction as DeliverableAction
from influcampaign.domain.deliverable import DeliverableCancelled as DeliverableCancelled
from influcampaign.domain.deliverable import DeliverablePlanned as DeliverablePlanned
from influcampaign.domain.deliverable import DeliverableRescheduled as DeliverableRescheduled
from influcampaign.domain.deliverable import DeliverableStatus as DeliverableStatus
from influcampaign.domain.event import DomainEvent, register
from influcampaign.domain.lifecycle import Lifecycle
from influcampaign.domain.policies import ValidationPolicy
from influcampaign.errors import ValidationError

__all__ = [
    "SUBMISSION_LIFECYCLE",
    "ContentFormat",
    "ContentSubmitted",
    "Metrics",
    "MetricsRecorded",
    "MetricsSnapshot",
    "Reopening",
    "Submission",
    "SubmissionAction",
    "SubmissionReopened",
    "SubmissionStatus",
    "SubmissionValidated",
    "Validation",
]


def _url(value: Any) -> str:
    return check_http_url("url", value)


def _format(value: Any) -> ContentFormat:
    return parse_enum(ContentFormat, "format", value)


def _platform(value: Any) -> Platform:
    return parse_platform(value)


def _caption(value: Any) -> str:
    return check_text("caption", value, max_length=100_000, allow_empty=True)


def _published_at(value: Any) -> pendulum.DateTime:
    return check_datetime("published_at", value)


def _submitted_at(value: Any) -> pendulum.DateTime:
    return check_datetime("submitted_at", value)


def _metric(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError(
                f"metrics.{attribute.name}", value, "must be a non-negative integer or None"
            )
        if value > 10**15:
            raise ValidationError(f"metrics.{attribute.name}", value, "is implausibly large")


def _recorded_at(value: Any) -> pendulum.DateTime:
    return check_datetime("recorded_at", value)


def _at(value: Any) -> pendulum.DateTime:
    return check_datetime("at", value)


def _metric_field() -> Any:
    return attrs.field(default=None, validator=_metric)


@attrs.frozen
class Metrics:
    """What a content achieved; None is "not reported", which is not 0."""

    impressions: int | None = _metric_field()
    reach: int | None = _metric_field()
    views: int | None = _metric_field()
    likes: int | None = _metric_field()
    comments: int | None = _metric_field()
    shares: int | None = _metric_field()
    saves: int | None = _metric_field()
    link_clicks: int | None = _metric_field()
    story_taps: int | None = _metric_field()

    def merged(self, update: Metrics) -> Metrics:
        """These metrics with every figure ``update`` reports replacing the old one."""
        changes = {
            name: value
            for name, value in attrs.asdict(update, recurse=False).items()
            if value is not None
        }
        return attrs.evolve(self, **changes)

    @property
    def engagements(self) -> int | None:
        """Likes + comments + shares + saves, the ones reported (None if none is)."""
        parts = [self.likes, self.comments, self.shares, self.saves]
        known = [p for p in parts if p is not None]
        return sum(known) if known else None


@attrs.frozen
class MetricsSnapshot:
    """Metrics as recorded at one moment, by whom."""

    recorded_at: pendulum.DateTime = attrs.field(converter=_recorded_at)
    metrics: Metrics
    recorded_by: str = ""


class SubmissionStatus(enum.StrEnum):
    """Waiting for the brand's validation, or validated."""

    SUBMITTED = "submitted"
    VALIDATED = "validated"


class SubmissionAction(enum.StrEnum):
    """What can happen to a submission's status."""

    VALIDATE = "validate"
    AUTO_VALIDATE = "auto_validate"
    REOPEN = "reopen"


SUBMISSION_LIFECYCLE: Lifecycle[SubmissionStatus, SubmissionAction] = Lifecycle(
    "submission",
    {
        (SubmissionStatus.SUBMITTED, SubmissionAction.VALIDATE): SubmissionStatus.VALIDATED,
        (SubmissionStatus.SUBMITTED, SubmissionAction.AUTO_VALIDATE): SubmissionStatus.VALIDATED,
        (SubmissionStatus.VALIDATED, SubmissionAction.REOPEN): SubmissionStatus.SUBMITTED,
    },
)
"""submitted → validated (by the brand, or automatically) → re-opened (submitted) → …"""


def _compliance(_instance: Any, _attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
        raise ValidationError("compliance", value, "must be a whole percentage from 0 to 100")


def _feedback(value: Any) -> str:
    return check_text("feedback", value, max_length=5_000, allow_empty=True)


@attrs.frozen
class Validation:
    """The brand's verdict on a content: the "% of brief respected" and its feedback."""

    compliance: int = attrs.field(validator=_compliance)
    at: pendulum.DateTime = attrs.field(converter=_at)
    by: str = ""
    feedback: str = attrs.field(default="", converter=_feedback)
    automatic: bool = False
    late: bool = False  # given after the validation deadline


def _reason(value: Any) -> str:
    return check_text("reason", value, max_length=2_000)


@attrs.frozen
class Reopening:
    """A validated content opened again by the brand, with why."""

    at: pendulum.DateTime = attrs.field(converter=_at)
    by: str
    reason: str = attrs.field(converter=_reason)


def _first_comment(value: Any) -> str:
    return check_text("first_comment", value, max_length=100_000, allow_empty=True)


def _on_screen_text(value: Any) -> str:
    return check_text("on_screen_text", value, max_length=100_000, allow_empty=True)


def _submission_status(value: Any) -> SubmissionStatus:
    return parse_enum(SubmissionStatus, "status", value)


# -- what happens to a submission (recorded by Submission, written to the outbox) -------------


@register
@attrs.frozen(kw_only=True)
class ContentSubmitted(DomainEvent):
    """A creator submitted a published content; its publication reminders stop."""

    submission_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    url: str
    deliverable_id: str = ""
    suggested_compliance: int | None = None


@register
@attrs.frozen(kw_only=True)
class MetricsRecorded(DomainEvent):
    """New metrics of a content were recorded (the history keeps every snapshot)."""

    submission_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    snapshot: int  # its number in the history, from 1


@register
@attrs.frozen(kw_only=True)
class SubmissionValidated(DomainEvent):
    """The brand validated a content at a compliance percentage, or the scheduler did
    (``automatic``) because the brand had not within the policy's days."""

    submission_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    compliance: int
    automatic: bool
    late: bool


@register
@attrs.frozen(kw_only=True)
class SubmissionReopened(DomainEvent):
    """A validated content was opened again, with a reason; its validation clock restarts."""

    submission_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    reason: str


@attrs.define
class Submission(OfParticipation):
    """A content a creator published for a campaign, its metrics over time and the brand's
    validation. Aggregate."""

    url: str = attrs.field(converter=_url)
    platform: Platform = attrs.field(converter=_platform)
    format: ContentFormat = attrs.field(converter=_format)
    published_at: pendulum.DateTime = attrs.field(converter=_published_at)
    submitted_at: pendulum.DateTime = attrs.field(converter=_submitted_at)
    caption: str = attrs.field(default="", converter=_caption)
    is_video: bool = False
    deliverable_id: str | None = None
    first_comment: str = attrs.field(default="", converter=_first_comment)
    on_screen_text: str = attrs.field(default="", converter=_on_screen_text)
    metrics_history: tuple[MetricsSnapshot, ...] = ()
    brief_check: BriefReport | None = None
    status: SubmissionStatus = attrs.field(
        default=SubmissionStatus.SUBMITTED, converter=_submission_status
    )
    validations: tuple[Validation, ...] = ()
    reopenings: tuple[Reopening, ...] = ()
    version: int = 0

    @property
    def metrics(self) -> Metrics | None:
        """The latest metrics (None before any were recorded)."""
        return self.metrics_history[-1].metrics if self.metrics_history else None

    @property
    def validation(self) -> Validation | None:
        """The validation in force (None while waiting for one)."""
        if self.status is SubmissionStatus.VALIDATED and self.validations:
            return self.validations[-1]
        return None

    @property
    def review_started_at(self) -> pendulum.DateTime:
        """When the current wait for validation began: submission or last re-opening."""
        return self.reopenings[-1].at if self.reopenings else self.submitted_at

    @property
    def round(self) -> int:
        """The validation round: how many times the content was re-opened."""
        return len(self.reopenings)

    def can(self, action: SubmissionAction) -> bool:
        """Whether ``action`` is allowed now."""
        return SUBMISSION_LIFECYCLE.can(self.status, action)

    @classmethod
    def submit(
        cls,
        now: pendulum.DateTime,
        *,
        fulfils: Callable[[Submission], str | None],
        check: Callable[[Submission], BriefReport],
        metrics: Metrics | None = None,
        recorded_by: str = "",
        **fields: Any,
    ) -> Submission:
        """A content submitted at ``now`` (published before it), with its first ``metrics``:
        it fulfils the deliverable ``fulfils`` names and keeps the brief report ``check``
        gives; records ContentSubmitted."""
        submission = cls(
            **fields,
            submitted_at=now,
            metrics_history=()
            if metrics is None
            else (MetricsSnapshot(now, metrics, recorded_by),),
        )
        if submission.published_at > now:
            raise ValidationError(
                "published_at", submission.published_at.isoformat(), "cannot be in the future"
            )
        submission.deliverable_id = fulfils(submission)
        submission.brief_check = check(submission)
        submission.record(
            ContentSubmitted(
                occurred_at=now,
                submission_id=submission.id,
                **submission.event_refs(),
                url=submission.url,
                deliverable_id=submission.deliverable_id or "",
                suggested_compliance=submission.brief_check.suggested_compliance,
            )
        )
        return submission

    def record_metrics(self, now: pendulum.DateTime, metrics: Metrics, *, by: str = "") -> None:
        """Add a snapshot: the figures of ``metrics`` replace the previous ones, the others
        are kept; records MetricsRecorded."""
        current = self.metrics or Metrics()
        snapshot = MetricsSnapshot(now, current.merged(metrics), by)
        self.metrics_history = (*self.metrics_history, snapshot)
        self.record(
            MetricsRecorded(
                occurred_at=now,
                submission_id=self.id,
                **self.event_refs(),
                snapshot=len(self.metrics_history),
            )
        )

    def validate(
        self,
        now: pendulum.DateTime,
        *,
        compliance: int,
        by: str,
        feedback: str = "",
        deadline: pendulum.DateTime,
    ) -> None:
        """The brand's verdict at ``now``: the "% of brief respected" and feedback, late after
        ``deadline``. A validated content must be re-opened before another verdict."""
        validation = Validation(
            compliance=compliance, at=now, by=by, feedback=feedback, late=now > deadline
        )
        self._validated(validation, SubmissionAction.VALIDATE)

    def auto_validate(self, now: pendulum.DateTime, policy: ValidationPolicy) -> None:
        """Validate at the policy's percentage, saying it was automatic (and late: the brand
        did not validate within the policy's days)."""
        validation = Validation(
            compliance=policy.auto_compliance,
            at=now,
            by="system",
            feedback=f"validated automatically after {policy.auto_validate_after_days} days",
            automatic=True,
            late=True,
        )
        self._validated(validation, SubmissionAction.AUTO_VALIDATE)

    def reopen(self, now: pendulum.DateTime, *, by: str, reason: str) -> None:
        """Open a validated content again, with a reason: a new validation round starts."""
        reopening = Reopening(at=now, by=by, reason=reason)
        self.apply(SubmissionAction.REOPEN)
        self.reopenings = (*self.reopenings, reopening)
        self.record(
            SubmissionReopened(
                occurred_at=now,
                submission_id=self.id,
                **self.event_refs(),
                reason=reopening.reason,
            )
        )

    def _validated(self, validation: Validation, action: SubmissionAction) -> None:
        self.apply(action)
        self.validations = (*self.validations, validation)
        self.record(
            SubmissionValidated(
                occurred_at=validation.at,
                submission_id=self.id,
                **self.event_refs(),
                compliance=validation.compliance,
                automatic=validation.automatic,
                late=validation.late,
            )
        )

    def apply(self, action: SubmissionAction) -> tuple[SubmissionStatus, SubmissionStatus]:
        """Move through the lifecycle; returns (before, after) or raises InvalidTransition."""
        before = self.status
        self.status = SUBMISSION_LIFECYCLE.next(self.id, self.status, action)
        return before, self.status
