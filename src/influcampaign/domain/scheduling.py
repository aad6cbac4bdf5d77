"""Jobs: work the scheduler does at a due time (reminders, alerts, automatic validation)."""

from __future__ import annotations

import enum
from typing import Any

import attrs
import pendulum

from influcampaign.domain._validate import (
    check_datetime,
    in_utc,
    optional_instant,
    parse_enum,
    valid_id,
)
from influcampaign.errors import ValidationError

__all__ = ["Job", "JobKind", "JobStatus"]


class JobKind(enum.StrEnum):
    """What a job does when it is due."""

    PUBLICATION_REMINDER = "publication_reminder"
    APPLICATION_PENDING = "application_pending"
    VALIDATION_REMINDER = "validation_reminder"
    AUTO_VALIDATION = "auto_validation"


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


@attrs.define
class Job:
    """One piece of scheduled work with a stable id, so it is scheduled and done once. Aggregate."""

    id: str = attrs.field(validator=valid_id)
    kind: JobKind = attrs.field(converter=_kind)
    due_at: pendulum.DateTime = attrs.field(converter=_due_at)
    subject_id: str = attrs.field(validator=valid_id)
    campaign_id: str = attrs.field(validator=valid_id)
    payload: dict[str, str] = attrs.Factory(dict)
    status: JobStatus = attrs.field(default=JobStatus.PENDING, converter=_status)
    finished_at: pendulum.DateTime | None = attrs.field(
        default=None, converter=in_utc, validator=optional_instant
    )
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
