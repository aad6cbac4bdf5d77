"""Every lifecycle, every (state, action) pair, through the services and the store:
allowed pairs succeed and reach the table's state; the others raise and change nothing."""

from __future__ import annotations

import itertools
from collections.abc import Callable

import pendulum
import pytest

import influcampaign as ic
from influcampaign.domain.application import (
    APPLICATION_LIFECYCLE,
    Application,
    ApplicationAction,
    ApplicationStatus,
)
from influcampaign.domain.participation import (
    PARTICIPATION_LIFECYCLE,
    Participation,
    ParticipationAction,
    ParticipationStatus,
    Verdict,
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

SYSTEM = ic.SystemActor()
ITEMS = [ShipmentItem("Seed kit", 1, ic.Money.of("39.90", "EUR"))]


def offer(ws: ic.Workspace, mode: str = "marketplace") -> ic.Campaign:
    campaign = ws.campaigns.create(
        MANAGER,
        brand_id="acme",
        name="Spring",
        kind="seeding",
        mode=mode,
        start=pendulum.datetime(2026, 3, 1, tz="Europe/Paris"),
        end=pendulum.datetime(2026, 6, 1, tz="Europe/Paris"),
        timezone="Europe/Paris",
    )
    if mode == "marketplace":
        ws.campaigns.open(MANAGER, campaign.id)
    else:
        ws.campaigns.start(MANAGER, campaign.id)
    return campaign


def creator(ws: ic.Workspace) -> ic.Creator:
    return ws.creators.register(MANAGER, "Léa", audience={"instagram": ic.AudienceStats(8_000)})


def state_snapshot(ws: ic.Workspace) -> tuple[object, ...]:
    with ws.store.unit_of_work(read_only=True) as uow:
        stored = tuple(
            tuple(getattr(uow, name).find())
            for name in ("applications", "participations", "shipments", "messages", "jobs")
        )
    return (*stored, tuple(m.id for m in ws.store.outbox.all()))


# -- applications ------------------------------------------------------------------------


def application_in(ws: ic.Workspace, state: ApplicationStatus) -> str:
    campaign, c = offer(ws), creator(ws)
    app = ws.applications.apply(ic.CreatorUser(c.id), campaign.id, c.id, pitch="Hello")
    if state is ApplicationStatus.ACCEPTED:
        ws.applications.accept(MANAGER, app.id, message="Welcome!")
    elif state is ApplicationStatus.REFUSED:
        ws.applications.refuse(MANAGER, app.id, message="Not this time", reason="out_of_target")
    elif state is ApplicationStatus.WITHDRAWN:
        ws.applications.withdraw(ic.CreatorUser(c.id), app.id)
    return app.id


def do_application(ws: ic.Workspace, app_id: str, action: ApplicationAction) -> None:
    app = ws.applications.get(MANAGER, app_id)
    if action is ApplicationAction.ACCEPT:
        ws.applications.accept(MANAGER, app_id, message="Welcome!")
    elif action is ApplicationAction.REFUSE:
        ws.applications.refuse(MANAGER, app_id, message="Sorry")
    else:
        ws.applications.withdraw(ic.CreatorUser(app.creator_id), app_id)


@pytest.mark.parametrize(
    ("state", "action"), list(itertools.product(ApplicationStatus, ApplicationAction))
)
def test_application_pairs(
    ws: ic.Workspace, state: ApplicationStatus, action: ApplicationAction
) -> None:
    """Applications: pending → accepted | refused | withdrawn, and a decision is final."""
    app_id = application_in(ws, state)
    assert ws.applications.get(MANAGER, app_id).status is state
    check_pair(
        ws,
        APPLICATION_LIFECYCLE.table.get((state, action)),
        lambda: do_application(ws, app_id, action),
        lambda: ws.applications.get(MANAGER, app_id).status,
    )


# -- participations ----------------------------------------------------------------------


def participation_in(ws: ic.Workspace, state: ParticipationStatus) -> str:
    campaign, c = offer(ws, "project"), creator(ws)
    pid = ws.participations.add(MANAGER, campaign.id, c.id).id
    steps: dict[ParticipationStatus, list[Callable[[], object]]] = {
        ParticipationStatus.PROPOSED: [],
        ParticipationStatus.APPROVED: [lambda: ws.participations.review(MANAGER, pid, "approve")],
        ParticipationStatus.CONFIRMED: [lambda: ws.participations.confirm(MANAGER, pid)],
        ParticipationStatus.COMPLETED: [
            lambda: ws.participations.confirm(MANAGER, pid),
            lambda: ws.participations.complete(MANAGER, pid),
        ],
        ParticipationStatus.DECLINED: [
            lambda: ws.participations.decline(ic.CreatorUser(c.id), pid)
        ],
        ParticipationStatus.DROPPED: [
            lambda: ws.participations.confirm(MANAGER, pid),
            lambda: ws.participations.drop(MANAGER, pid),
        ],
    }
    for step in steps[state]:
        step()
    return pid


def do_participation(ws: ic.Workspace, pid: str, action: ParticipationAction) -> None:
    calls: dict[ParticipationAction, Callable[[], object]] = {
        ParticipationAction.APPROVE: lambda: ws.participations.review(MANAGER, pid, "approve"),
        ParticipationAction.REJECT: lambda: ws.participations.review(
            MANAGER, pid, "reject", comment="no"
        ),
        ParticipationAction.CONFIRM: lambda: ws.participations.confirm(MANAGER, pid),
        ParticipationAction.DECLINE: lambda: ws.participations.decline(MANAGER, pid),
        ParticipationAction.COMPLETE: lambda: ws.participations.complete(MANAGER, pid),
        ParticipationAction.DROP: lambda: ws.participations.drop(MANAGER, pid),
    }
    calls[action]()


@pytest.mark.parametrize(
    ("state", "action"), list(itertools.product(ParticipationStatus, ParticipationAction))
)
def test_participation_pairs(
    ws: ic.Workspace, state: ParticipationStatus, action: ParticipationAction
) -> None:
    """Participations: proposed → approved → confirmed → completed; declined; dropped."""
    pid = participation_in(ws, state)
    assert ws.participations.get(MANAGER, pid).status is state
    check_pair(
        ws,
        PARTICIPATION_LIFECYCLE.table.get((state, action)),
        lambda: do_participation(ws, pid, action),
        lambda: ws.participations.get(MANAGER, pid).status,
    )


# -- shipments ---------------------------------------------------------------------------


def shipment_in(ws: ic.Workspace, state: ShipmentStatus) -> str:
    campaign, c = offer(ws, "project"), creator(ws)
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


@pytest.mark.parametrize(
    ("state", "action"), list(itertools.product(ShipmentStatus, ShipmentAction))
)
def test_shipment_pairs(ws: ic.Workspace, state: ShipmentStatus, action: ShipmentAction) -> None:
    """Shipments: to_prepare → shipped → delivered; lost; returned."""
    sid = shipment_in(ws, state)
    assert ws.shipments.get(MANAGER, sid).status is state
    check_pair(
        ws,
        SHIPMENT_LIFECYCLE.table.get((state, action)),
        lambda: do_shipment(ws, sid, action),
        lambda: ws.shipments.get(MANAGER, sid).status,
    )


def check_pair(
    ws: ic.Workspace, expected: object, act: Callable[[], None], status: Callable[[], object]
) -> None:
    if expected is not None:
        act()
        assert status() is expected
        return
    before = state_snapshot(ws)
    with pytest.raises(ic.InvalidTransition):
        act()
    assert state_snapshot(ws) == before


# -- the rules the aggregates hold themselves (no store, no service) ----------------------

NOW = pendulum.datetime(2026, 4, 1, 10, tz="UTC")


def participation(status: ParticipationStatus) -> Participation:
    return Participation(
        id="par_1",
        campaign_id="cmp_1",
        brand_id="acme",
        creator_id="cre_1",
        source="manual",
        status=status,
    )


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


class TestApplicationRules:
    def test_a_decided_application_is_not_decided_again(self) -> None:
        """Once accepted, an application refuses another decision and records nothing more."""
        app = Application.submit(
            NOW, id="app_1", campaign_id="cmp_1", brand_id="acme", creator_id="cre_1"
        )
        app.accept(NOW, by="u1", message="Welcome!", participation_id="par_1")
        with pytest.raises(ic.InvalidTransition, match="decide"):
            app.ensure_pending()
        assert [e.type for e in app.recorded] == ["ApplicationSubmitted", "ApplicationAccepted"]


class TestParticipationRules:
    def test_only_proposed_creators_are_reviewed(self) -> None:
        """A creator no longer proposed refuses a list review and records nothing."""
        p = participation(ParticipationStatus.CONFIRMED)
        with pytest.raises(ic.InvalidTransition, match="review"):
            p.review(
                NOW,
                reviewer_id="member:u1",
                verdict=Verdict.APPROVE,
                comment="",
                policy=ic.ListApprovalPolicy(),
                audience=ic.AudienceDataState.SHARED,
            )
        assert (p.reviews, p.recorded) == ((), ())


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
