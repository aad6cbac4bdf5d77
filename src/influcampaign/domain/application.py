"""Applications: a creator applies to a marketplace offer; the brand accepts or refuses."""

from __future__ import annotations

import datetime as _dt
import enum
from typing import Any

import attrs
import pendulum

from influcampaign.domain._validate import (
    check_datetime,
    check_text,
    in_utc,
    optional_instant,
    parse_enum,
    valid_id,
)
from influcampaign.domain.lifecycle import Lifecycle

__all__ = [
    "APPLICATION_LIFECYCLE",
    "Application",
    "ApplicationAction",
    "ApplicationStatus",
    "RefusalReason",
]


class ApplicationStatus(enum.StrEnum):
    """Where an application is."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class ApplicationAction(enum.StrEnum):
    """What can happen to an application."""

    ACCEPT = "accept"
    REFUSE = "refuse"
    WITHDRAW = "withdraw"


class RefusalReason(enum.StrEnum):
    """Why a brand refused; matching learns from these."""

    OUT_OF_TARGET = "out_of_target"
    AUDIENCE = "audience"
    CONTENT_QUALITY = "content_quality"
    FULL = "full"
    BUDGET = "budget"
    OTHER = "other"


APPLICATION_LIFECYCLE: Lifecycle[ApplicationStatus, ApplicationAction] = Lifecycle(
    "application",
    {
        (ApplicationStatus.PENDING, ApplicationAction.ACCEPT): ApplicationStatus.ACCEPTED,
        (ApplicationStatus.PENDING, ApplicationAction.REFUSE): ApplicationStatus.REFUSED,
        (ApplicationStatus.PENDING, ApplicationAction.WITHDRAW): ApplicationStatus.WITHDRAWN,
    },
)
"""pending → accepted | refused | withdrawn; a decision is final."""


def _pitch(value: Any) -> str:
    return check_text("pitch", value, max_length=5_000, allow_empty=True)


def _status(value: Any) -> ApplicationStatus:
    return parse_enum(ApplicationStatus, "status", value)


def _reason(value: Any) -> RefusalReason | None:
    return None if value is None else parse_enum(RefusalReason, "reason", value)


def _applied_at(value: Any) -> pendulum.DateTime:
    return check_datetime("applied_at", value)


@attrs.define
class Application:
    """A creator's application to an offer, and the brand's decision. Aggregate."""

    id: str = attrs.field(validator=valid_id)
    campaign_id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    creator_id: str = attrs.field(validator=valid_id)
    applied_at: pendulum.DateTime = attrs.field(converter=_applied_at)
    pitch: str = attrs.field(default="", converter=_pitch)
    status: ApplicationStatus = attrs.field(default=ApplicationStatus.PENDING, converter=_status)
    decided_at: pendulum.DateTime | None = attrs.field(
        default=None, converter=in_utc, validator=optional_instant
    )
    decided_by: str | None = None
    message: str = ""
    refusal_reason: RefusalReason | None = attrs.field(default=None, converter=_reason)
    version: int = 0

    def decide(
        self,
        action: ApplicationAction,
        *,
        now: pendulum.DateTime,
        by: str,
        message: str = "",
        reason: RefusalReason | None = None,
    ) -> ApplicationStatus:
        """Accept, refuse or withdraw; raises InvalidTransition once decided."""
        self.status = APPLICATION_LIFECYCLE.next(self.id, self.status, action)
        self.decided_at = now
        self.decided_by = by
        self.message = message
        self.refusal_reason = reason if action is ApplicationAction.REFUSE else None
        return self.status

    @property
    def time_to_decision(self) -> _dt.timedelta | None:
        """How long the brand took to decide (None while pending or if withdrawn)."""
        if self.decided_at is None or self.status is ApplicationStatus.WITHDRAWN:
            return None
        return self.decided_at - self.applied_at

    def waiting(self, now: pendulum.DateTime) -> _dt.timedelta:
        """How long the application has waited (until its decision, or until ``now``)."""
        return (self.decided_at or now) - self.applied_at
