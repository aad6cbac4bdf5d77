"""Shipments of products to creators: items, carrier, tracking, and their lifecycle."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

import attrs
import pendulum

from influcampaign.domain._urls import check_http_url
from influcampaign.domain._validate import (
    check_datetime,
    check_text,
    optional_instant_field,
    parse_enum,
)
from influcampaign.domain.aggregate import OfParticipation
from influcampaign.domain.event import DomainEvent, register
from influcampaign.domain.lifecycle import Lifecycle
from influcampaign.domain.money import Money
from influcampaign.domain.privacy import PersonalDataErased
from influcampaign.errors import InvalidTransition, ValidationError

if TYPE_CHECKING:
    from influcampaign.domain.campaign import Campaign
    from influcampaign.domain.contest import Contest, ContestEntry
    from influcampaign.domain.participation import Participation

__all__ = [
    "SHIPMENT_LIFECYCLE",
    "Shipment",
    "ShipmentAction",
    "ShipmentCreated",
    "ShipmentDelivered",
    "ShipmentItem",
    "ShipmentLost",
    "ShipmentReturned",
    "ShipmentShipped",
    "ShipmentStatus",
]


class ShipmentStatus(enum.StrEnum):
    """Where a parcel is."""

    TO_PREPARE = "to_prepare"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    LOST = "lost"
    RETURNED = "returned"


class ShipmentAction(enum.StrEnum):
    """What can happen to a parcel."""

    SHIP = "ship"
    DELIVER = "deliver"
    LOSE = "lose"
    RETURN = "return"


_S, _A = ShipmentStatus, ShipmentAction

SHIPMENT_LIFECYCLE: Lifecycle[ShipmentStatus, ShipmentAction] = Lifecycle(
    "shipment",
    {
        (_S.TO_PREPARE, _A.SHIP): _S.SHIPPED,
        (_S.SHIPPED, _A.DELIVER): _S.DELIVERED,
        (_S.SHIPPED, _A.LOSE): _S.LOST,
        (_S.SHIPPED, _A.RETURN): _S.RETURNED,
        (_S.DELIVERED, _A.RETURN): _S.RETURNED,
        (_S.LOST, _A.DELIVER): _S.DELIVERED,  # a parcel declared lost turns up after all
    },
)
"""to_prepare → shipped → delivered; shipped → lost | returned; delivered → returned."""


def _product(value: Any) -> str:
    return check_text("product", value, max_length=300)


def _quantity(_instance: Any, _attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError("quantity", value, "must be a whole number ≄ 1")


def _unit_value(_instance: Any, _attribute: Any, value: Any) -> None:
    if not isinstance(value, Money) or value.amount < 0:
        raise ValidationError("unit_value", value, "must be non-negative Money")


@attrs.frozen
class ShipmentItem:
    """A product sent: name (or SKU), quantity and unit value."""

    product: str = attrs.field(converter=_product)
    quantity: int = attrs.field(validator=_quantity)
    unit_value: Money = attrs.field(validator=_unit_value)

    @property
    def value(self) -> Money:
        """Quantity times unit value."""
        return self.unit_value * self.quantity


def _items(value: Any) -> tuple[ShipmentItem, ...]:
    items = tuple(value)
    if not items or not all(isinstance(i, ShipmentItem) for i in items):
        raise ValidationError("items", value, "must be one or more ShipmentItem")
    currencies = {i.unit_value.currency for i in items}
    if len(currencies) > 1:
        raise ValidationError("items", sorted(currencies), "must all be valued in one currency")
    return items


def _status(value: Any) -> ShipmentStatus:
    return parse_enum(ShipmentStatus, "status", value)


def _optional_url(value: Any) -> str | None:
    return None if value is None else check_http_url("tracking_url", value)


# -- what happens to a parcel (recorded by Shipment, written to the outbox) ------------------


@register
@attrs.frozen(kw_only=True)
class ShipmentCreated(DomainEvent):
    """A parcel is to be prepared for a creator."""

    shipment_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    recipient: str | None = None  # a contest winner's handle: the parcel is a prize


@register
@attrs.frozen(kw_only=True)
class ShipmentShipped(DomainEvent):
    """A parcel left, with its carrier and tracking link: the creator is told."""

    shipment_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    carrier: str | None
    tracking_number: str | None
    tracking_url: str | None
    recipient: str | None = None  # a contest winner's handle: the parcel is a prize


@register
@attrs.frozen(kw_only=True)
class ShipmentDelivered(DomainEvent):
    """A parcel arrived: publication reminders are scheduled."""

    shipment_id: str
    participation_id: str
    campaign_id: str
    creator_id: str
    reminders_at: tuple[pendulum.DateTime, ...]


@register
@attrs.frozen(kw_only=True)
class ShipmentLost(DomainEvent):
    """A parcel was declared lost."""

    shipment_id: str
    participation_id: str
    campaign_id: str


@register
@attrs.frozen(kw_only=True)
class ShipmentReturned(DomainEvent):
    """A parcel came back to the brand."""

    shipment_id: str
    participation_id: str
    campaign_id: str


def _address(value: Any) -> str | None:
    return None if value is None else check_text("ship_to", value, max_length=1_000)


_DONE = frozenset({"delivered", "lost", "returned"})


def _ensure_receives(participation: Participation) -> None:
    """Products go only to a creator who is in (approved or confirmed)."""
    if not participation.is_active:
        raise InvalidTransition(
            "participation", participation.id, participation.status.value, "receive products"
        )


@attrs.define
class Shipment(OfParticipation):
    """A parcel to one creator of a campaign. Aggregate."""

    items: tuple[ShipmentItem, ...] = attrs.field(converter=_items)
    status: ShipmentStatus = attrs.field(default=ShipmentStatus.TO_PREPARE, converter=_status)
    carrier: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = attrs.field(default=None, converter=_optional_url)
    created_at: pendulum.DateTime | None = optional_instant_field()
    shipped_at: pendulum.DateTime | None = optional_instant_field()
    delivered_at: pendulum.DateTime | None = optional_instant_field()
    prize_entry_id: str | None = None  # the contest entry whose prize this is (issue 23)
    recipient: str | None = None  # the winner's handle; None: the parcel goes to the creator
    version: int = 0
    ship_to: str | None = attrs.field(default=None, converter=_address)  # personal data

    @property
    def value(self) -> Money:
        """Total value of the items."""
        return Money.sum([i.value for i in self.items], self.items[0].unit_value.currency)

    def apply(self, action: ShipmentAction) -> tuple[ShipmentStatus, ShipmentStatus]:
        """Move through the lifecycle; returns (before, after) or raises InvalidTransition."""
        before = self.status
        self.status = SHIPMENT_LIFECYCLE.next(self.id, self.status, action)
        return before, self.status

    @classmethod
    def prepare(
        cls,
        now: pendulum.DateTime,
        participation: Participation,
        *,
        id: str,
        items: tuple[ShipmentItem, ...],
        ship_to: str | None = None,
    ) -> Shipment:
        """A parcel to prepare for a creator who is in (to the postal address ``ship_to``,
        personal data), recording ShipmentCreated."""
        _ensure_receives(participation)
        shipment = cls(id=id, **participation.refs(), items=items, created_at=now, ship_to=ship_to)
        shipment.record(
            ShipmentCreated(
                occurred_at=now,
                shipment_id=shipment.id,
                **shipment.event_refs(),
            )
        )
        return shipment

    @classmethod
    def prize(
        cls,
        now: pendulum.DateTime,
        participation: Participation,
        contest: Contest,
        entry: ContestEntry,
        *,
        id: str,
        items: tuple[ShipmentItem, ...],
    ) -> Shipment:
        """A contest prize to prepare for a winner, sent under the participation of the
        creator the contest ran through; records ShipmentCreated with the recipient."""
        _ensure_receives(participation)
        if entry.id not in contest.winners or entry.contest_id != contest.id:
            raise InvalidTransition("contest entry", entry.id, "not a winner", "receive a prize")
        if participation.campaign_id != contest.campaign_id:
            raise ValidationError("participation_id", participation.id, "is of another campaign")
        recipient = f"{entry.details.platform.value}:@{entry.handle}"
        shipment = cls(
            id=id,
            **participation.refs(),
            items=items,
            created_at=now,
            prize_entry_id=entry.id,
            recipient=recipient,
        )
        shipment.record(
            ShipmentCreated(
                occurred_at=now,
                shipment_id=shipment.id,
                participation_id=shipment.participation_id,
                campaign_id=shipment.campaign_id,
                creator_id=shipment.creator_id,
                recipient=recipient,
            )
        )
        return shipment

    def ship(
        self,
        now: pendulum.DateTime,
        participation: Participation,
        *,
        carrier: str,
        tracking_number: str | None = None,
        tracking_url: str | None = None,
    ) -> None:
        """The parcel left with ``carrier`` (and maybe a tracking number and link), to a
        creator who is still in; records ShipmentShipped."""
        _ensure_receives(participation)
        self.apply(ShipmentAction.SHIP)
        self.carrier = check_text("carrier", carrier, max_length=100)
        self.tracking_number = tracking_number
        self.tracking_url = tracking_url
        self.shipped_at = now
        self.record(
            ShipmentShipped(
                occurred_at=now,
                shipment_id=self.id,
                **self.event_refs(),
                carrier=self.carrier,
                tracking_number=self.tracking_number,
                tracking_url=self.tracking_url,
                recipient=self.recipient,
            )
        )

    def deliver(
        self,
        now: pendulum.DateTime,
        participation: Participation,
        campaign: Campaign,
        *,
        at: pendulum.DateTime | None = None,
    ) -> tuple[pendulum.DateTime, ...]:
        """The parcel arrived ``at`` (by default now; never in the future nor before it was
        shipped). Unless the creator already submitted content (or the parcel is a contest
        prize), publication reminders fall by the campaign's reminder policy; records
        ShipmentDelivered and returns their times."""
        delivered_at = now if at is None else check_datetime("at", at)
        if delivered_at > now:
            raise ValidationError("at", delivered_at.isoformat(), "cannot be in the future")
        if self.shipped_at is not None and delivered_at < self.shipped_at:
            raise ValidationError(
                "at", delivered_at.isoformat(), "is before the parcel was shipped"
            )
        self.apply(ShipmentAction.DELIVER)
        self.delivered_at = delivered_at
        reminders = (
            campaign.policies.reminders.after_delivery(delivered_at, campaign.window.timezone)
            if participation.first_content_at is None and self.prize_entry_id is None
            else ()
        )
        self.record(
            ShipmentDelivered(
                occurred_at=now,
                shipment_id=self.id,
                **self.event_refs(),
                reminders_at=reminders,
            )
        )
        return reminders

    def lose(self, now: pendulum.DateTime) -> None:
        """Declare the shipped parcel lost, recording ShipmentLost."""
        self.apply(ShipmentAction.LOSE)
        self.record(
            ShipmentLost(
                occurred_at=now,
                shipment_id=self.id,
                participation_id=self.participation_id,
                campaign_id=self.campaign_id,
            )
        )

    def return_(self, now: pendulum.DateTime) -> None:
        """The parcel came back to the brand, recording ShipmentReturned."""
        self.apply(ShipmentAction.RETURN)
        self.record(
            ShipmentReturned(
                occurred_at=now,
                shipment_id=self.id,
                participation_id=self.participation_id,
                campaign_id=self.campaign_id,
            )
        )

    @property
    def finished_at(self) -> pendulum.DateTime | None:
        """When the parcel's journey ended (delivered, lost or returned), as near as known;
        None while it is still to prepare or on its way."""
        if self.status.value not in _DONE:
            return None
        return self.delivered_at or self.shipped_at or self.created_at

    def erase_address(self, now: pendulum.DateTime, reason: str = "erasure") -> bool:
        """Forget the address the parcel went to (on the creator's request, or when the
        retention policy expired it), recording PersonalDataErased; False when there is none."""
        if self.ship_to is None:
            return False
        self.ship_to = None
        self.record(
            PersonalDataErased(
                occurred_at=now,
                kind="shipment",
                aggregate_id=self.id,
                creator_id=self.creator_id,
                fields=("ship_to",),
                reason=reason,
            )
        )
        return True

    def redacted(self) -> Shipment:
        """A copy without the address, for readers who may not see personal data."""
        return attrs.evolve(self, ship_to=None)
