"""Shipments of products to creators: items, carrier, tracking, and their lifecycle."""

from __future__ import annotations

import enum
from typing import Any

import attrs
import pendulum

from influcampaign.domain._urls import check_http_url
from influcampaign.domain._validate import (
    check_text,
    in_utc,
    optional_instant,
    parse_enum,
    valid_id,
)
from influcampaign.domain.lifecycle import Lifecycle
from influcampaign.domain.money import Money
from influcampaign.errors import ValidationError

__all__ = [
    "SHIPMENT_LIFECYCLE",
    "Shipment",
    "ShipmentAction",
    "ShipmentItem",
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


@attrs.define
class Shipment:
    """A parcel to one creator of a campaign. Aggregate."""

    id: str = attrs.field(validator=valid_id)
    participation_id: str = attrs.field(validator=valid_id)
    campaign_id: str = attrs.field(validator=valid_id)
    brand_id: str = attrs.field(validator=valid_id)
    creator_id: str = attrs.field(validator=valid_id)
    items: tuple[ShipmentItem, ...] = attrs.field(converter=_items)
    status: ShipmentStatus = attrs.field(default=ShipmentStatus.TO_PREPARE, converter=_status)
    carrier: str | None = None
    tracking_number: str | None = None
    tracking_url: str | None = attrs.field(default=None, converter=_optional_url)
    created_at: pendulum.DateTime | None = attrs.field(
        default=None, converter=in_utc, validator=optional_instant
    )
    shipped_at: pendulum.DateTime | None = attrs.field(
        default=None, converter=in_utc, validator=optional_instant
    )
    delivered_at: pendulum.DateTime | None = attrs.field(
        default=None, converter=in_utc, validator=optional_instant
    )
    version: int = 0

    @property
    def value(self) -> Money:
        """Total value of the items."""
        return Money.sum([i.value for i in self.items], self.items[0].unit_value.currency)

    def apply(self, action: ShipmentAction) -> tuple[ShipmentStatus, ShipmentStatus]:
        """Move through the lifecycle; returns (before, after) or raises InvalidTransition."""
        before = self.status
        self.status = SHIPMENT_LIFECYCLE.next(self.id, self.status, action)
        return before, self.status
