"""Use cases of shipments: prepare, ship (the creator is told), deliver (reminders start)."""

from __future__ import annotations

import builtins
from collections.abc import Callable, Sequence

import pendulum

from influcampaign.domain.access import Permission, Resource
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
        self,
        actor: Principal,
        participation_id: str,
        items: Sequence[ShipmentItem],
        *,
        ship_to: str | None = None,
    ) -> Shipment:
        """Prepare a parcel for a creator who is in (approved or confirmed), to ``ship_to``
        (by default the postal address of the creator's contact details, when known)."""
        with self._write() as uow:
            participation = self._load_participation(
                uow, actor, Permission.SHIPMENT_WRITE, participation_id, "shipment"
            )
            if ship_to is None:
                contact = uow.creators.get(participation.creator_id).contact
                ship_to = None if contact is None else contact.postal_address
            shipment = Shipment.prepare(
                self._now(),
                participation,
                id=self._new_id("shp"),
                items=tuple(items),
                ship_to=ship_to,
            )
            uow.shipments.add(shipment)
        return self._visible(actor, shipment)

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
        """Mark a parcel shipped: the creator gets a message with the tracking link (a contest
        prize's winner is told by the host, from ShipmentShipped)."""
        with self._write() as uow:
            shipment, participation = self._load(uow, actor, shipment_id, Permission.SHIPMENT_WRITE)
            shipment.ship(
                self._now(),
                participation,
                carrier=carrier,
                tracking_number=tracking_number,
                tracking_url=tracking_url,
            )
            if shipment.recipient is not None:  # a contest prize: the host tells the winner
                uow.shipments.save(shipment)
                return shipment
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
        return self._visible(actor, shipment)

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
        return self._visible(actor, shipment)

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
        return self._visible(actor, shipment)

    def get(self, actor: Principal, shipment_id: str) -> Shipment:
        """A shipment (its creator and the brand's team may read it); the address only for
        those who may read the creator's personal data (the read is audited)."""
        with self._read() as uow:
            shipment, _ = self._load(uow, actor, shipment_id, Permission.SHIPMENT_READ)
        return self._read_out(actor, [shipment])[0]

    def list(self, actor: Principal, participation_id: str) -> list[Shipment]:
        """The shipments of one participation (addresses as :meth:`get`)."""
        with self._read() as uow:
            self._load_participation(
                uow, actor, Permission.SHIPMENT_READ, participation_id, "shipment"
            )
            found = uow.shipments.find(participation_id=participation_id)
        return self._read_out(actor, found)

    def _visible(self, actor: Principal, shipment: Shipment) -> Shipment:
        """The shipment as ``actor`` may see it: without the address unless it may read the
        creator's personal data."""
        resource = Resource("creator", shipment.creator_id, creator_id=shipment.creator_id)
        if self._allowed(actor, Permission.CONTACT_READ, resource):
            return shipment
        return shipment.redacted()

    def _read_out(
        self, actor: Principal, shipments: builtins.list[Shipment]
    ) -> builtins.list[Shipment]:
        visible = [self._visible(actor, s) for s in shipments]
        self._log_reads(actor, [s.creator_id for s in visible if s.ship_to], "shipment address")
        return visible

    def _load(
        self, uow: UnitOfWork, actor: Principal, shipment_id: str, permission: Permission
    ) -> tuple[Shipment, Participation]:
        shipment = uow.shipments.get(shipment_id)
        participation = uow.participations.get(shipment.participation_id)
        self._check(actor, permission, participation_resource(participation, "shipment"))
        return shipment, participation
