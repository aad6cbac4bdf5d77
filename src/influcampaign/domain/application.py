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
    optional_instant_field,
    parse_enum,
    valid_id,
)
from influcampaign.domain.aggregate import Aggregate
from influcampaign.domain.event import DomainEvent, register
from influcampaign.domain.lifecycle import Lifecycle
from influcampaign.errors import InvalidTransition

__all__ = [
    "APPLICATION_LIFECYCLE",
    "Application",
    "ApplicationAccepted",
    "ApplicationAction",
    "ApplicationRefused",
    "ApplicationStatus",
    "ApplicationSubmitted",
    "ApplicationWithdrawn",
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


# -- what happens to an application (recorded by Application, written to the outbox) --------


@register
@attrs.frozen(kw_only=True)
class ApplicationSubmitted(DomainEvent):
    """A creator applied to a marketplace offer."""

    application_id: str
    campaign_id: str
    creator_id: str


@register
@attrs.frozen(kw_only=True)
class ApplicationAccepted(DomainEvent):
    """The brand accepted an application, with a personal message."""

    application_id: str
    campaign_id: str
    creator_id: str
    participation_id: str
    message: str
    waited_seconds: int


@register
@attrs.frozen(kw_only=True)
class ApplicationRefused(DomainEvent):
    """The brand refused an application, with a personal message and maybe a reason."""

    application_id: str
    campaign_id: str
    creator_id: str
    message: str
    reason: str | None
    waited_seconds: int


@register
@attrs.frozen(kw_only=True)
class ApplicationWithdrawn(DomainEvent):
    """The creator withdrew its application."""

    application_id: str
    campaign_id: str
    creator_id: str


@attrs.define
class Application(Aggregate):
    """A creator's application to an offer, and the brand's decision. Aggregate."""

    id: str = attrs.field(validator=valid_id)
    campaign_id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    creator_id: str = attrs.field(validator=valid_id)
    applied_at: pendulum.DateTime = attrs.field(converter=_applied_at)
    pitch: str = attrs.field(default="", converter=_pitch)
    status: ApplicationStatus = attrs.field(default=ApplicationStatus.PENDING, converter=_status)
    decided_at: pendulum.DateTime | None = optional_instant_field()
    decided_by: str | None = None
    message: str = ""
    refusal_reason: RefusalReason | None = attrs.field(default=None, converter=_reason)
    version: int = 0

    @classmethod
    def submit(cls, now: pendulum.DateTime, **fields: Any) -> Application:
        """A new (pending) application, recording ApplicationSubmitted."""
        application = cls(**fields, applied_at=now)
        application.record(
            ApplicationSubmitted(
                occurred_at=now,
                application_id=application.id,
                campaign_id=application.campaign_id,
                creator_id=application.creator_id,
            )
        )
        return application

    def ensure_pending(self) -> None:
        """Raise InvalidTransition unless the application still waits for the brand's decision."""
        if self.status is not ApplicationStatus.PENDING:
            raise InvalidTransition("application", self.id, self.status.value, "decide")

    def accept(
        self, now: pendulum.DateTime, *, by: str, message: str, participation_id: str
    ) -> None:
        """The brand accepts, with a personal message: the creator joins the campaign through
        ``participation_id``. Records ApplicationAccepted with how long it waited."""
        self.decide(ApplicationAction.ACCEPT, now=now, by=by, message=message)
        self.record(
            ApplicationAccepted(
                occurred_at=now,
                application_id=self.id,
                campaign_id=self.campaign_id,
                creator_id=self.creator_id,
                participation_id=participation_id,
                message=message,
                waited_seconds=self._waited_seconds(now),
            )
        )

    def refuse(
        self, now: pendulum.DateTime, *, by: str, message: str, reason: RefusalReason | None
    ) -> None:
        """The brand refuses, with a personal message and maybe a reason. Records
        ApplicationRefused with how long it waited."""
        self.decide(ApplicationAction.REFUSE, now=now, by=by, message=message, reason=reason)
        self.record(
            ApplicationRefused(
                occurred_at=now,
                application_id=self.id,
                campaign_id=self.campaign_id,
                creator_id=self.creator_id,
                message=message,
                reason=None if reason is None else reason.value,
                waited_seconds=self._waited_seconds(now),
            )
        )

    def withdraw(self, now: pendulum.DateTime, *, by: str) -> None:
        """The creator withdraws its pending application, recording ApplicationWithdrawn."""
        self.decide(ApplicationAction.WITHDRAW, now=now, by=by)
        self.record(
            ApplicationWithdrawn(
                occurred_at=now,
                application_id=self.id,
                campaign_id=self.campaign_id,
                creator_id=self.creator_id,
            )
        )

    def _waited_seconds(self, now: pendulum.DateTime) -> int:
        return int(self.waiting(now).total_seconds())

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
