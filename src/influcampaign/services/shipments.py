"""Use cases of shipments: prepare, ship (the creator is told), deliver (reminders start)."""

from __future__ import annotations

from collections.abc import Sequence

import pendulum

from influcampaign.domain._validate import check_datetime, check_text
from influcampaign.domain.access import Permission
from influcampaign.domain.events import (
    ShipmentCreated,
    ShipmentDelivered,
    ShipmentLost,
    ShipmentReturned,
    ShipmentShipped,
)
from influcampaign.domain.messaging import Author, TemplateKind
from influcampaign.domain.participation import Participation
from influcampaign.domain.principals import Principal
from influcampaign.domain.scheduling import Job, JobKind
from influcampaign.domain.shipment import Shipment, ShipmentAction, ShipmentItem
from influcampaign.errors import InvalidTransition, ValidationError
from influcampaign.ports import UnitOfWork
from influcampaign.services._base import Service, days_after, participation_resource, stable_id

__all__ = ["ShipmentService", "reminder_job_id"]

_SHIPPED_DEFAULT = (
    "Hi {creator_name}, your parcel for {campaign_name} is on its way with {carrier}."
)
_SHIPPED_TRACKED = _SHIPPED_DEFAULT + " Follow it here: {tracking_url}"


def reminder_job_id(shipment_id: str, number: int) -> str:
    """The id of the n-th publication reminder after a shipment's delivery."""
    return stable_id("job", JobKind.PUBLICATION_REMINDER.value, shipment_id, str(number))


class ShipmentService(Service):
    """``workspace.shipments``: products sent to the campaign's creators."""

    def create(
        self, actor: Principal, participation_id: str, items: Sequence[ShipmentItem]
    ) -> Shipment:
        """Prepare a parcel for a creator who is in (approved or confirmed)."""
        with self._ws._unit() as uow:
            participation = uow.participations.get(participation_id)
            self._check(
                actor, Permission.SHIPMENT_WRITE, participation_resource(participation, "shipment")
            )
            if not participation.is_active:
                raise InvalidTransition(
                    "participation",
                    participation.id,
                    participation.status.value,
                    "receive products",
                )
            shipment = Shipment(
                id=self._ws.ids.new("shp"),
                **participation.refs(),
                items=tuple(items),
                created_at=self._now(),
            )
            uow.shipments.add(shipment)
            uow.emit(
                ShipmentCreated(
                    occurred_at=self._now(),
                    shipment_id=shipment.id,
                    participation_id=participation.id,
                    campaign_id=shipment.campaign_id,
                    creator_id=shipment.creator_id,
                )
            )
        return shipment

    def ship(
        self,
        actor: Principal,
        shipment_id: str,
        *,
        carrier: str,
        tracking_number: str | None = None,
        tracking_url: str | None = None,
        template_id: str | None = None,
    ) -> Shipment:
        """Mark a parcel shipped: the creator gets a message with the tracking link."""
        now = self._now()
        with self._ws._unit() as uow:
            shipment, participation = self._load(uow, actor, shipment_id, Permission.SHIPMENT_WRITE)
            if not participation.is_active:
                raise InvalidTransition(
                    "participation",
                    participation.id,
                    participation.status.value,
                    "receive products",
                )
            shipment.apply(ShipmentAction.SHIP)
            shipment.carrier = check_text("carrier", carrier, max_length=100)
            shipment.tracking_number = tracking_number
            shipment.tracking_url = tracking_url
            shipment.shipped_at = now
            uow.shipments.save(shipment)
            campaign = uow.campaigns.get(shipment.campaign_id)
            creator = uow.creators.get(shipment.creator_id)
            values = {"carrier": shipment.carrier}
            if shipment.tracking_url:
                values["tracking_url"] = shipment.tracking_url
            if shipment.tracking_number:
                values["tracking_number"] = shipment.tracking_number
            text = self._compose(
                uow,
                campaign,
                creator,
                kind=TemplateKind.SHIPPING,
                template_id=template_id,
                default=_SHIPPED_TRACKED if shipment.tracking_url else _SHIPPED_DEFAULT,
                **values,
            )
            self._post(uow, participation, text, Author.SYSTEM)
            uow.emit(
                ShipmentShipped(
                    occurred_at=now,
                    shipment_id=shipment.id,
                    participation_id=shipment.participation_id,
                    campaign_id=shipment.campaign_id,
                    creator_id=shipment.creator_id,
                    carrier=shipment.carrier,
                    tracking_number=shipment.tracking_number,
                    tracking_url=shipment.tracking_url,
                )
            )
        return shipment

    def deliver(
        self, actor: Principal, shipment_id: str, *, at: pendulum.DateTime | None = None
    ) -> Shipment:
        """Mark a parcel delivered (the brand, a carrier hook, or the creator itself); publication
        reminders are scheduled by the campaign's reminder policy, unless content is already in."""
        now = self._now()
        delivered_at = now if at is None else check_datetime("at", at)
        if delivered_at > now:
            raise ValidationError("at", delivered_at.isoformat(), "cannot be in the future")
        with self._ws._unit() as uow:
            shipment, participation = self._load(
                uow, actor, shipment_id, Permission.SHIPMENT_RECEIVE
            )
            if shipment.shipped_at is not None and delivered_at < shipment.shipped_at:
                raise ValidationError(
                    "at", delivered_at.isoformat(), "is before the parcel was shipped"
                )
            shipment.apply(ShipmentAction.DELIVER)
            shipment.delivered_at = delivered_at
            uow.shipments.save(shipment)
            campaign = uow.campaigns.get(shipment.campaign_id)
            reminders: list[pendulum.DateTime] = []
            if participation.first_content_at is None:
                for number, days in enumerate(
                    campaign.policies.reminders.after_delivery_days, start=1
                ):
                    due = days_after(delivered_at, days, campaign.window.timezone)
                    reminders.append(due)
                    uow.jobs.add(
                        Job(
                            id=reminder_job_id(shipment.id, number),
                            kind=JobKind.PUBLICATION_REMINDER,
                            due_at=due,
                            subject_id=participation.id,
                            campaign_id=campaign.id,
                            payload={"shipment_id": shipment.id, "number": str(number)},
                        )
                    )
            uow.emit(
                ShipmentDelivered(
                    occurred_at=now,
                    shipment_id=shipment.id,
                    participation_id=participation.id,
                    campaign_id=campaign.id,
                    creator_id=participation.creator_id,
                    reminders_at=tuple(reminders),
                )
            )
        return shipment

    def lose(self, actor: Principal, shipment_id: str) -> Shipment:
        """Declare a shipped parcel lost."""
        return self._move(actor, shipment_id, ShipmentAction.LOSE, ShipmentLost)

    def return_(self, actor: Principal, shipment_id: str) -> Shipment:
        """Record that a parcel came back."""
        return self._move(actor, shipment_id, ShipmentAction.RETURN, ShipmentReturned)

    def _move(
        self,
        actor: Principal,
        shipment_id: str,
        action: ShipmentAction,
        event: type[ShipmentLost | ShipmentReturned],
    ) -> Shipment:
        with self._ws._unit() as uow:
            shipment, _ = self._load(uow, actor, shipment_id, Permission.SHIPMENT_WRITE)
            shipment.apply(action)
            uow.shipments.save(shipment)
            uow.emit(
                event(
                    occurred_at=self._now(),
                    shipment_id=shipment.id,
                    participation_id=shipment.participation_id,
                    campaign_id=shipment.campaign_id,
                )
            )
        return shipment

    def get(self, actor: Principal, shipment_id: str) -> Shipment:
        """A shipment (its creator and the brand's team may read it)."""
        with self._ws._read() as uow:
            shipment, _ = self._load(uow, actor, shipment_id, Permission.SHIPMENT_READ)
        return shipment

    def list(self, actor: Principal, participation_id: str) -> list[Shipment]:
        """The shipments of one participation."""
        with self._ws._read() as uow:
            participation = uow.participations.get(participation_id)
            self._check(
                actor, Permission.SHIPMENT_READ, participation_resource(participation, "shipment")
            )
            return uow.shipments.find(participation_id=participation_id)

    def _load(
        self, uow: UnitOfWork, actor: Principal, shipment_id: str, permission: Permission
    ) -> tuple[Shipment, Participation]:
        shipment = uow.shipments.get(shipment_id)
        participation = uow.participations.get(shipment.participation_id)
        self._check(actor, permission, participation_resource(participation, "shipment"))
        return shipment, participation
