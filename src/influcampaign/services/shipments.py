"""Use cases of shipments: prepare, ship (the creator is told), deliver (reminders start)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pendulum

from influcampaign.domain.access import Permission
from influcampaign.domain.messaging import Author, TemplateKind
from influcampaign.domain.participation import Participation
from influcampaign.domain.principals import Principal
from influcampaign.domain.scheduling import Job, JobKind
from influcampaign.domain.shipment import Shipment, ShipmentItem
from influcampaign.domain.system_messages import system_message
from influcampaign.ports import UnitOfWork
from influcampaign.services._base import Service, participation_resource, stable_id

__all__ = ["ShipmentService", "reminder_job_id"]


def reminder_job_id(shipment_id: str, number: int) -> str:
    """The id of the n-th publication reminder after a shipment's delivery."""
    return stable_id("job", JobKind.PUBLICATION_REMINDER.value, shipment_id, str(number))


class ShipmentService(Service):
    """``workspace.shipments``: products sent to the campaign's creators."""

    def create(
        self, actor: Principal, participation_id: str, items: Sequence[ShipmentItem]
    ) -> Shipment:
        """Prepare a parcel for a creator who is in (approved or confirmed)."""
        with self._write() as uow:
            participation = uow.participations.get(participation_id)
            self._check(
                actor, Permission.SHIPMENT_WRITE, participation_resource(participation, "shipment")
            )
            shipment = Shipment.prepare(
                self._now(), participation, id=self._new_id("shp"), items=tuple(items)
            )
            uow.shipments.add(shipment)
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
        with self._write() as uow:
            shipment, participation = self._load(uow, actor, shipment_id, Permission.SHIPMENT_WRITE)
            shipment.ship(
                self._now(),
                participation,
                carrier=carrier,
                tracking_number=tracking_number,
                tracking_url=tracking_url,
            )
            campaign = uow.campaigns.get(shipment.campaign_id)
            creator = uow.creators.get(shipment.creator_id)
            values = {"carrier": str(shipment.carrier)}
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
                default=system_message(
                    "shipped_tracked" if shipment.tracking_url else "shipped",
                    campaign.language or creator.language,
                ),
                **values,
            )
            self._post(uow, participation, text, Author.SYSTEM)
            # Saved after the message, so that its event follows the message's.
            uow.shipments.save(shipment)
        return shipment

    def deliver(
        self, actor: Principal, shipment_id: str, *, at: pendulum.DateTime | None = None
    ) -> Shipment:
        """Mark a parcel delivered (the brand, a carrier hook, or the creator itself); publication
        reminders are scheduled by the campaign's reminder policy, unless content is already in."""
        with self._write() as uow:
            shipment, participation = self._load(
                uow, actor, shipment_id, Permission.SHIPMENT_RECEIVE
            )
            campaign = uow.campaigns.get(shipment.campaign_id)
            reminders = shipment.deliver(self._now(), participation, campaign, at=at)
            uow.shipments.save(shipment)
            for number, due in enumerate(reminders, start=1):
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
        return shipment

    def lose(self, actor: Principal, shipment_id: str) -> Shipment:
        """Declare a shipped parcel lost."""
        return self._move(actor, shipment_id, Shipment.lose)

    def return_(self, actor: Principal, shipment_id: str) -> Shipment:
        """Record that a parcel came back."""
        return self._move(actor, shipment_id, Shipment.return_)

    def _move(
        self,
        actor: Principal,
        shipment_id: str,
        move: Callable[[Shipment, pendulum.DateTime], None],
    ) -> Shipment:
        with self._write() as uow:
            shipment, _ = self._load(uow, actor, shipment_id, Permission.SHIPMENT_WRITE)
            move(shipment, self._now())
            uow.shipments.save(shipment)
        return shipment

    def get(self, actor: Principal, shipment_id: str) -> Shipment:
        """A shipment (its creator and the brand's team may read it)."""
        with self._read() as uow:
            shipment, _ = self._load(uow, actor, shipment_id, Permission.SHIPMENT_READ)
        return shipment

    def list(self, actor: Principal, participation_id: str) -> list[Shipment]:
        """The shipments of one participation."""
        with self._read() as uow:
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
