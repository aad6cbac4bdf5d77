"""The shipments service: ship and deliver products."""

from __future__ import annotations

import pytest

import influcampaign as ic
from influcampaign.domain.events import ShipmentShipped
from tests.conftest import MANAGER
from tests.helpers import ITEMS, creator, events, join, make_offer


class TestShipments:
    def test_shipping_notifies_the_creator_with_the_tracking_link(self, ws: ic.Workspace) -> None:
        """Shipped: an event and a system message carrying carrier and tracking link."""
        project = make_offer(ws, "project")
        pid = join(ws, project).id
        shipment = ws.shipments.create(MANAGER, pid, ITEMS)
        assert shipment.value == ic.Money.of("39.90", "EUR")
        ws.shipments.ship(
            MANAGER,
            shipment.id,
            carrier="Colissimo",
            tracking_number="6A123",
            tracking_url="https://www.laposte.fr/outils/suivre-vos-envois?code=6A123",
        )
        (message,) = ws.messages.thread(MANAGER, pid)
        assert message.author.value == "system"
        assert "Colissimo" in message.body
        assert "code=6A123" in message.body
        (event,) = events(ws, ShipmentShipped)
        assert event.tracking_number == "6A123"

    def test_shipping_to_a_refused_creator_is_refused(self, ws: ic.Workspace) -> None:
        """Only creators who are in receive products."""
        project = make_offer(ws, "project")
        pid = ws.participations.add(MANAGER, project.id, creator(ws).id).id
        ws.participations.review(MANAGER, pid, "reject", comment="no")
        with pytest.raises(ic.InvalidTransition):
            ws.shipments.create(MANAGER, pid, ITEMS)

    def test_delivering_before_shipping_is_refused(self, ws: ic.Workspace) -> None:
        """A parcel that has not left cannot arrive; no reminder is scheduled."""
        project = make_offer(ws, "project")
        sid = ws.shipments.create(MANAGER, join(ws, project).id, ITEMS).id
        with pytest.raises(ic.InvalidTransition):
            ws.shipments.deliver(MANAGER, sid)
        with ws.store.unit_of_work(read_only=True) as uow:
            assert uow.jobs.find() == []

    @pytest.mark.parametrize(
        "bad", ["ftp://x.example/1", "javascript:alert(1)", "not a url", "https://"]
    )
    def test_tracking_links_must_be_http(self, ws: ic.Workspace, bad: str) -> None:
        """A tracking link that is not http(s) is refused naming tracking_url."""
        project = make_offer(ws, "project")
        sid = ws.shipments.create(MANAGER, join(ws, project).id, ITEMS).id
        with pytest.raises(ic.ValidationError, match="tracking_url"):
            ws.shipments.ship(MANAGER, sid, carrier="UPS", tracking_url=bad)
        assert ws.shipments.get(MANAGER, sid).status.value == "to_prepare"
