"""Use cases of deliverables: what each creator owes, when, and how much of it is delivered."""

from __future__ import annotations

import builtins
import datetime as _dt
from collections.abc import Iterable
from typing import Any

from influcampaign.domain.access import Permission
from influcampaign.domain.creator import Platform
from influcampaign.domain.deliverable import ContentFormat, Deliverable, DeliverableStatus
from influcampaign.domain.principals import Principal
from influcampaign.errors import ValidationError
from influcampaign.ports import UnitOfWork
from influcampaign.rules.delivery import (
    DeliveryLine,
    DeliveryProgress,
    delivered_by_deliverable,
    delivery_progress,
)
from influcampaign.services._base import (
    Service,
    campaign_resource,
    participation_resource,
)

__all__ = [
    "DeliverableService",
    "DeliveryLine",
    "DeliveryProgress",
    "delivered_by_deliverable",
    "delivery_progress",
]

_UNSET: object = object()


class DeliverableService(Service):
    """``workspace.deliverables``: the contents each creator owes, planned in the calendar."""

    def plan(
        self,
        actor: Principal,
        participation_id: str,
        *,
        platform: Platform | str,
        format: ContentFormat | str,
        quantity: int = 1,
        planned_on: _dt.date | None = None,
        planned_time: _dt.time | None = None,
        due_on: _dt.date | None = None,
        notes: str = "",
    ) -> Deliverable:
        """Add contents a creator owes: ``quantity`` of a platform and format, planned for a
        local date (and time) in the campaign's time zone, due by the end of ``due_on``."""
        now = self._now()
        with self._write() as uow:
            participation = self._load_participation(
                uow, actor, Permission.DELIVERABLE_WRITE, participation_id, "content"
            )
            participation.ensure_open("plan deliverables")
            deliverable = Deliverable.plan(
                now,
                id=self._new_id("dlv"),
                **participation.refs(),
                platform=platform,
                format=format,
                quantity=quantity,
                planned_on=planned_on,
                planned_time=planned_time,
                due_on=due_on,
                notes=notes,
            )
            uow.deliverables.add(deliverable)
        return deliverable

    def reschedule(
        self,
        actor: Principal,
        deliverable_id: str,
        *,
        planned_on: _dt.date | object | None = _UNSET,
        planned_time: _dt.time | object | None = _UNSET,
        due_on: _dt.date | object | None = _UNSET,
    ) -> Deliverable:
        """Move a deliverable's dates (only those given; None clears one). When a date really
        moves, its ``sequence`` rises so calendars update the event they imported."""
        now = self._now()
        with self._write() as uow:
            deliverable = self._load(uow, actor, deliverable_id, Permission.DELIVERABLE_WRITE)
            changes: dict[str, Any] = {
                name: value
                for name, value in (
                    ("planned_on", planned_on),
                    ("planned_time", planned_time),
                    ("due_on", due_on),
                )
                if value is not _UNSET
            }
            if deliverable.reschedule(now, **changes):
                uow.deliverables.save(deliverable)
        return deliverable

    def cancel(self, actor: Principal, deliverable_id: str, *, reason: str = "") -> Deliverable:
        """The content is no longer expected (its calendar event becomes cancelled)."""
        now = self._now()
        with self._write() as uow:
            deliverable = self._load(uow, actor, deliverable_id, Permission.DELIVERABLE_WRITE)
            deliverable.cancel(now, reason=reason)
            uow.deliverables.save(deliverable)
        return deliverable

    def get(self, actor: Principal, deliverable_id: str) -> Deliverable:
        """One deliverable."""
        with self._read() as uow:
            return self._load(uow, actor, deliverable_id, Permission.PARTICIPATION_READ)

    def list(
        self, actor: Principal, participation_id: str, *, include_cancelled: bool = False
    ) -> builtins.list[Deliverable]:
        """A participation's deliverables, soonest due first."""
        with self._read() as uow:
            self._load_participation(
                uow, actor, Permission.PARTICIPATION_READ, participation_id, "content"
            )
            found = uow.deliverables.find(participation_id=participation_id)
        return _ordered(
            d for d in found if include_cancelled or d.status is DeliverableStatus.PLANNED
        )

    def progress(self, actor: Principal, campaign_id: str) -> DeliveryProgress:
        """Delivered vs expected per creator and per format, with on-time counts."""
        with self._read() as uow:
            campaign = uow.campaigns.get(campaign_id)
            self._check(actor, Permission.CAMPAIGN_INTERNAL_READ, campaign_resource(campaign))
            deliverables = uow.deliverables.find(
                campaign_id=campaign_id, status=DeliverableStatus.PLANNED.value
            )
            submissions = uow.submissions.find(campaign_id=campaign_id)
        progress, _ = delivery_progress(
            campaign_id, deliverables, submissions, campaign.window.timezone
        )
        return progress

    def _load(
        self, uow: UnitOfWork, actor: Principal, deliverable_id: str, permission: Permission
    ) -> Deliverable:
        """A deliverable, once ``actor`` may act on its participation with ``permission``."""
        deliverable = uow.deliverables.get(deliverable_id)
        participation = uow.participations.get(deliverable.participation_id)
        self._check(actor, permission, participation_resource(participation, "content"))
        return deliverable


def _ordered(deliverables: Iterable[Deliverable]) -> builtins.list[Deliverable]:
    far = _dt.date.max
    return sorted(deliverables, key=lambda d: (d.due_on or far, d.planned_on or far, d.id))


def check_fulfils(
    deliverable: Deliverable, participation_id: str, platform: Platform, format: ContentFormat
) -> None:
    """A submission may only fulfil a planned deliverable of its own participation, of the
    same platform and format."""
    if deliverable.participation_id != participation_id:
        raise ValidationError(
            "deliverable_id", deliverable.id, "belongs to another creator's participation"
        )
    if deliverable.status is not DeliverableStatus.PLANNED:
        raise ValidationError("deliverable_id", deliverable.id, "is cancelled")
    if (deliverable.platform, deliverable.format) != (platform, format):
        raise ValidationError(
            "deliverable_id",
            deliverable.id,
            f"expects a {deliverable.platform.value} {deliverable.format.value}, "
            f"not a {platform.value} {format.value}",
        )
