"""What a creator owes on a participation (deliverables): a quantity of one platform and format,
planned for local dates, with the events its changes record."""

from __future__ import annotations

import datetime as _dt
import enum
from typing import Any

import attrs
import pendulum

from influcampaign.domain._validate import (
    check_count,
    check_text,
    optional_instant_field,
    parse_enum,
)
from influcampaign.domain.aggregate import OfParticipation
from influcampaign.domain.creator import Platform, parse_platform
from influcampaign.domain.event import DomainEvent, register
from influcampaign.domain.lifecycle import Lifecycle
from influcampaign.errors import InvalidTransition, ValidationError

__all__ = [
    "DELIVERABLE_LIFECYCLE",
    "ContentFormat",
    "Deliverable",
    "DeliverableAction",
    "DeliverableCancelled",
    "DeliverablePlanned",
    "DeliverableRescheduled",
    "DeliverableStatus",
    "check_dates",
]


class ContentFormat(enum.StrEnum):
    """The shape of a content."""

    POST = "post"
    CAROUSEL = "carousel"
    STORY = "story"
    REEL = "reel"
    SHORT = "short"
    VIDEO = "video"
    LIVE = "live"
    UGC = "ugc"  # an asset delivered to the brand, not published by the creator


def _format(value: Any) -> ContentFormat:
    return parse_enum(ContentFormat, "format", value)


def _platform(value: Any) -> Platform:
    return parse_platform(value)


def _quantity(_instance: Any, _attribute: Any, value: Any) -> None:
    if check_count("quantity", value) == 0 or value > 1_000:
        raise ValidationError("quantity", value, "must be a whole number from 1 to 1000")


def _date(field: str, value: Any) -> _dt.date | None:
    if value is None:
        return None
    if isinstance(value, _dt.datetime) or not isinstance(value, _dt.date):
        raise ValidationError(field, value, "must be a date (no time)")
    return _dt.date(value.year, value.month, value.day)


def _planned_on(value: Any) -> _dt.date | None:
    return _date("planned_on", value)


def _due_on(value: Any) -> _dt.date | None:
    return _date("due_on", value)


def _time(value: Any) -> _dt.time | None:
    if value is None:
        return None
    if not isinstance(value, _dt.time) or value.tzinfo is not None:
        raise ValidationError(
            "planned_time", value, "must be a local time of day without a time zone"
        )
    return value.replace(microsecond=0)


def _notes(value: Any) -> str:
    return check_text("notes", value, max_length=5_000, allow_empty=True)


class DeliverableStatus(enum.StrEnum):
    """A deliverable is planned until cancelled; what was delivered comes from submissions."""

    PLANNED = "planned"
    CANCELLED = "cancelled"


class DeliverableAction(enum.StrEnum):
    """What can happen to a deliverable's status."""

    CANCEL = "cancel"


DELIVERABLE_LIFECYCLE: Lifecycle[DeliverableStatus, DeliverableAction] = Lifecycle(
    "deliverable",
    {(DeliverableStatus.PLANNED, DeliverableAction.CANCEL): DeliverableStatus.CANCELLED},
)
"""planned → cancelled."""


def _deliverable_status(value: Any) -> DeliverableStatus:
    return parse_enum(DeliverableStatus, "status", value)


def _iso(day: _dt.date | None) -> str:
    return "" if day is None else day.isoformat()


# -- what happens to a deliverable (recorded by Deliverable, written to the outbox) -----------


@register
@attrs.frozen(kw_only=True)
class DeliverablePlanned(DomainEvent):
    """A content a creator owes was added to the plan."""

    deliverable_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    platform: str
    format: str
    quantity: int
    planned_on: str  # ISO date, or "" when not planned yet
    due_on: str


@register
@attrs.frozen(kw_only=True)
class DeliverableRescheduled(DomainEvent):
    """A deliverable's planned or due date moved (its calendar SEQUENCE rose)."""

    deliverable_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    planned_on: str
    due_on: str
    sequence: int


@register
@attrs.frozen(kw_only=True)
class DeliverableCancelled(DomainEvent):
    """A deliverable is no longer expected."""

    deliverable_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    reason: str


@attrs.define
class Deliverable(OfParticipation):
    """Contents a creator owes on one participation: ``quantity`` of one platform and format,
    planned for a local date (and, if known, a local time) in the campaign's time zone, due by
    the end of ``due_on``. ``sequence`` rises each time the dates move (iCalendar SEQUENCE).
    Aggregate."""

    platform: Platform = attrs.field(converter=_platform)
    format: ContentFormat = attrs.field(converter=_format)
    quantity: int = attrs.field(default=1, validator=_quantity)
    planned_on: _dt.date | None = attrs.field(default=None, converter=_planned_on)
    planned_time: _dt.time | None = attrs.field(default=None, converter=_time)
    due_on: _dt.date | None = attrs.field(default=None, converter=_due_on)
    notes: str = attrs.field(default="", converter=_notes)
    status: DeliverableStatus = attrs.field(
        default=DeliverableStatus.PLANNED, converter=_deliverable_status
    )
    sequence: int = 0
    created_at: pendulum.DateTime | None = optional_instant_field()
    version: int = 0

    def __attrs_post_init__(self) -> None:
        check_dates(self.planned_on, self.planned_time, self.due_on)

    @classmethod
    def plan(cls, now: pendulum.DateTime, **fields: Any) -> Deliverable:
        """A new deliverable in the plan, recording DeliverablePlanned."""
        deliverable = cls(**fields, created_at=now)
        deliverable.record(
            DeliverablePlanned(
                occurred_at=now,
                deliverable_id=deliverable.id,
                **deliverable.event_refs(),
                platform=deliverable.platform.value,
                format=deliverable.format.value,
                quantity=deliverable.quantity,
                planned_on=_iso(deliverable.planned_on),
                due_on=_iso(deliverable.due_on),
            )
        )
        return deliverable

    def reschedule(self, now: pendulum.DateTime, **dates: Any) -> bool:
        """Move the dates given (``planned_on``, ``planned_time``, ``due_on``; None clears
        one) of a planned deliverable; returns whether one really moved (then its
        ``sequence`` rises and DeliverableRescheduled is recorded)."""
        if self.status is not DeliverableStatus.PLANNED:
            raise InvalidTransition("deliverable", self.id, self.status.value, "reschedule")
        moved = attrs.evolve(self, **dates)  # validates the new values
        before = (self.planned_on, self.planned_time, self.due_on)
        if (moved.planned_on, moved.planned_time, moved.due_on) == before:
            return False
        self.planned_on = moved.planned_on
        self.planned_time = moved.planned_time
        self.due_on = moved.due_on
        self.sequence += 1
        self.record(
            DeliverableRescheduled(
                occurred_at=now,
                deliverable_id=self.id,
                **self.event_refs(),
                planned_on=_iso(self.planned_on),
                due_on=_iso(self.due_on),
                sequence=self.sequence,
            )
        )
        return True

    def cancel(self, now: pendulum.DateTime, *, reason: str = "") -> None:
        """The content is no longer expected (its calendar event's ``sequence`` rises)."""
        self.status = DELIVERABLE_LIFECYCLE.next(self.id, self.status, DeliverableAction.CANCEL)
        self.sequence += 1
        self.record(
            DeliverableCancelled(
                occurred_at=now,
                deliverable_id=self.id,
                **self.event_refs(),
                reason=reason,
            )
        )

    def due_at(self, timezone: str) -> pendulum.DateTime | None:
        """The end of the due day in ``timezone`` (the instant after which it is late), in UTC."""
        if self.due_on is None:
            return None
        day = pendulum.datetime(
            self.due_on.year, self.due_on.month, self.due_on.day, tz=timezone
        ).add(days=1)
        return day.in_timezone("UTC")

    def planned_at(self, timezone: str) -> pendulum.DateTime | None:
        """The planned local date and time as an instant (None without both)."""
        if self.planned_on is None or self.planned_time is None:
            return None
        d, t = self.planned_on, self.planned_time
        return pendulum.datetime(
            d.year, d.month, d.day, t.hour, t.minute, t.second, tz=timezone
        ).in_timezone("UTC")


def check_dates(
    planned_on: _dt.date | None, planned_time: _dt.time | None, due_on: _dt.date | None
) -> None:
    """A planned time needs a planned date, and nothing is planned after it is due."""
    if planned_time is not None and planned_on is None:
        raise ValidationError("planned_time", planned_time, "needs a planned_on date")
    if planned_on is not None and due_on is not None and due_on < planned_on:
        raise ValidationError(
            "due_on", due_on.isoformat(), f"is before planned_on {planned_on.isoformat()}"
        )
