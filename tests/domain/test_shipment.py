"""Shipments (influcampaign.domain.shipment): the lifecycle table and its rules."""

from __future__ import annotations

import itertools

import pendulum
import pytest

import influcampaign as ic
from influcampaign.domain.participation import (
    ParticipationStatus,
)
from influcampaign.domain.shipment import (
    SHIPMENT_LIFECYCLE,
    Shipment,
    ShipmentAction,
    ShipmentDelivered,
    ShipmentItem,
    ShipmentStatus,
)
from tests.conftest import MANAGER
from tests.helpers import NOW, check_pair, creator, make_offer, participation

ITEMS = [ShipmentItem("Seed kit", 1, ic.Money.of("39.90", "EUR"))]


def shipment_in(ws: ic.Workspace, state: ShipmentStatus) -> str:
    campaign, c = make_offer(ws, "project"), creator(ws)
    pid = ws.participations.add(MANAGER, campaign.id, c.id).id
    ws.participations.confirm(MANAGER, pid)
    sid = ws.shipments.create(MANAGER, pid, ITEMS).id
    path = {
        ShipmentStatus.TO_PREPARE: [],
        ShipmentStatus.SHIPPED: [ShipmentAction.SHIP],
        ShipmentStatus.DELIVERED: [ShipmentAction.SHIP, ShipmentAction.DELIVER],
        ShipmentStatus.LOST: [ShipmentAction.SHIP, ShipmentAction.LOSE],
        ShipmentStatus.RETURNED: [ShipmentAction.SHIP, ShipmentAction.RETURN],
    }[state]
    for action in path:
        do_shipment(ws, sid, action)
    return sid


def do_shipment(ws: ic.Workspace, sid: str, action: ShipmentAction) -> None:
    if action is ShipmentAction.SHIP:
        ws.shipments.ship(MANAGER, sid, carrier="Colissimo", tracking_url="https://track.example/1")
    elif action is ShipmentAction.DELIVER:
        ws.shipments.deliver(MANAGER, sid)
    elif action is ShipmentAction.LOSE:
        ws.shipments.lose(MANAGER, sid)
    else:
        ws.shipments.return_(MANAGER, sid)


def project() -> ic.Campaign:
    return ic.Campaign(
        id="cmp_1",
        brand_id="acme",
        name="Spring",
        kind="seeding",
        mode="project",
        window=ic.DateWindow(
            pendulum.datetime(2026, 3, 1, tz="Europe/Paris"),
            pendulum.datetime(2026, 6, 1, tz="Europe/Paris"),
            "Europe/Paris",
        ),
    )


def shipped(status: ParticipationStatus = ParticipationStatus.CONFIRMED) -> Shipment:
    shipment = Shipment.prepare(NOW, participation(status), id="shp_1", items=tuple(ITEMS))
    shipment.ship(NOW.add(days=1), participation(status), carrier="Colissimo")
    return shipment


class TestShipmentRules:
    @pytest.mark.parametrize("status", [ParticipationStatus.PROPOSED, ParticipationStatus.DECLINED])
    def test_products_go_only_to_creators_who_are_in(self, status: ParticipationStatus) -> None:
        """A parcel is neither prepared nor shipped for a creator who is not approved or confirmed."""
        with pytest.raises(ic.InvalidTransition, match="receive products"):
            Shipment.prepare(NOW, participation(status), id="shp_1", items=tuple(ITEMS))
        shipment = Shipment.prepare(
            NOW, participation(ParticipationStatus.CONFIRMED), id="shp_1", items=tuple(ITEMS)
        )
        with pytest.raises(ic.InvalidTransition, match="receive products"):
            shipment.ship(NOW, participation(status), carrier="Colissimo")
        assert shipment.status is ShipmentStatus.TO_PREPARE

    @pytest.mark.parametrize("at", [NOW.add(days=3), NOW])
    def test_delivery_is_neither_in_the_future_nor_before_shipping(
        self, at: pendulum.DateTime
    ) -> None:
        """A delivery time after now or before the parcel left is refused, naming ``at``."""
        shipment = shipped()
        with pytest.raises(ic.ValidationError) as error:
            shipment.deliver(
                NOW.add(days=2), participation(ParticipationStatus.CONFIRMED), project(), at=at
            )
        assert error.value.field == "at"
        assert (shipment.status, shipment.delivered_at) == (ShipmentStatus.SHIPPED, None)

    def test_no_reminders_once_content_is_in(self) -> None:
        """Delivered after the creator submitted content, a parcel schedules no reminder."""
        shipment, creator_in = shipped(), participation(ParticipationStatus.CONFIRMED)
        creator_in.first_content_at = NOW
        assert shipment.deliver(NOW.add(days=2), creator_in, project()) == ()
        assert shipment.recorded[-1] == ShipmentDelivered(
            occurred_at=NOW.add(days=2),
            shipment_id="shp_1",
            participation_id="par_1",
            campaign_id="cmp_1",
            creator_id="cre_1",
            reminders_at=(),
        )


class TestShipmentLifecycle:
    """Every (state, action) pair of a shipment, through the services and the store."""

    @pytest.mark.parametrize(
        ("state", "action"), list(itertools.product(ShipmentStatus, ShipmentAction))
    )
    def test_shipment_pairs(
        self, ws: ic.Workspace, state: ShipmentStatus, action: ShipmentAction
    ) -> None:
        """Shipments: to_prepare → shipped → delivered; lost; returned."""
        sid = shipment_in(ws, state)
        assert ws.shipments.get(MANAGER, sid).status is state
        check_pair(
            ws,
            SHIPMENT_LIFECYCLE.table.get((state, action)),
            lambda: do_shipment(ws, sid, action),
            lambda: ws.shipments.get(MANAGER, sid).status,
        )
