"""The applications service: apply, accept, refuse, caps and waiting times."""

from __future__ import annotations

import datetime as dt

import pytest

import influcampaign as ic
from influcampaign.domain.events import ApplicationAccepted, ApplicationRefused
from influcampaign.domain.policies import ApplicationPolicy
from tests.conftest import MANAGER
from tests.helpers import creator, events, make_offer


class TestApplications:
    def test_apply_and_accept_with_a_template(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """Accepting confirms the creator, posts the rendered message and records the wait."""
        offer, lea = make_offer(ws), creator(ws)
        template = ws.messages.save_template(
            MANAGER,
            brand_id="acme",
            kind="acceptance",
            name="Welcome",
            body="Bienvenue {creator_name} dans {campaign_name} ! {message}",
        )
        app = ws.applications.apply(
            ic.CreatorUser(lea.id), offer.id, lea.id, pitch="J'adore vos graines"
        )
        clock.advance(hours=30)
        participation = ws.applications.accept(
            MANAGER, app.id, template_id=template.id, message="À bientôt."
        )
        assert participation.status is ic.ParticipationStatus.CONFIRMED
        thread = ws.messages.thread(ic.CreatorUser(lea.id), participation.id)
        assert [m.body for m in thread] == ["Bienvenue Léa dans Printemps ! À bientôt."]
        (accepted,) = events(ws, ApplicationAccepted)
        assert accepted.waited_seconds == 30 * 3600
        assert ws.applications.get(MANAGER, app.id).time_to_decision == dt.timedelta(hours=30)

    def test_refuse_with_reason_and_message(self, ws: ic.Workspace) -> None:
        """A refusal carries the personal message and the reason, in the event for the creator."""
        offer, lea = make_offer(ws), creator(ws)
        app = ws.applications.apply(ic.CreatorUser(lea.id), offer.id, lea.id)
        refused = ws.applications.refuse(
            MANAGER, app.id, message="Pas cette fois, merci !", reason="audience"
        )
        assert (refused.status, refused.refusal_reason) == (
            ic.ApplicationStatus.REFUSED,
            ic.RefusalReason.AUDIENCE,
        )
        (event,) = events(ws, ApplicationRefused)
        assert (event.message, event.reason) == ("Pas cette fois, merci !", "audience")

    def test_every_decision_needs_a_message(self, ws: ic.Workspace) -> None:
        """Without a message or a template, nothing is decided."""
        offer, lea = make_offer(ws), creator(ws)
        app = ws.applications.apply(ic.CreatorUser(lea.id), offer.id, lea.id)
        with pytest.raises(ic.ValidationError, match="message"):
            ws.applications.accept(MANAGER, app.id)
        assert ws.applications.get(MANAGER, app.id).status.value == "pending"

    def test_deciding_twice_is_refused_and_changes_nothing(self, ws: ic.Workspace) -> None:
        """A decided application cannot be decided again."""
        offer, lea = make_offer(ws), creator(ws)
        app = ws.applications.apply(ic.CreatorUser(lea.id), offer.id, lea.id)
        ws.applications.refuse(MANAGER, app.id, message="Non")
        with pytest.raises(ic.InvalidTransition):
            ws.applications.accept(MANAGER, app.id, message="Oui finalement")
        assert ws.participations.list(MANAGER, offer.id) == []

    def test_bulk_decisions_are_all_or_nothing(self, ws: ic.Workspace) -> None:
        """Accepting many at once accepts all, or none when one of them cannot be."""
        offer = make_offer(ws)
        apps = []
        for name in ("A", "B", "C"):
            c = creator(ws, name)
            apps.append(ws.applications.apply(ic.CreatorUser(c.id), offer.id, c.id).id)
        ws.applications.refuse(MANAGER, apps[2], message="Non")
        with pytest.raises(ic.InvalidTransition):
            ws.applications.accept_many(MANAGER, apps, message="Bienvenue")
        assert [a.status.value for a in ws.applications.list(MANAGER, offer.id)] == [
            "pending",
            "pending",
            "refused",
        ]
        joined = ws.applications.accept_many(MANAGER, apps[:2], message="Bienvenue")
        assert len(joined) == 2
        assert len(ws.applications.refuse_many(MANAGER, [], message="x")) == 0

    def test_the_cap_on_accepted_creators(self, ws: ic.Workspace) -> None:
        """An offer capped at 2 refuses a third acceptance with a clear error."""
        offer = make_offer(ws, applications=ApplicationPolicy(max_accepted=2))
        apps = []
        for name in ("A", "B", "C"):
            c = creator(ws, name)
            apps.append(ws.applications.apply(ic.CreatorUser(c.id), offer.id, c.id).id)
        ws.applications.accept_many(MANAGER, apps[:2], message="Bienvenue")
        with pytest.raises(ic.LimitReached, match="at most 2"):
            ws.applications.accept(MANAGER, apps[2], message="Bienvenue")
        assert ws.applications.get(MANAGER, apps[2]).status.value == "pending"

    def test_one_live_application_per_creator_and_only_to_open_offers(
        self, ws: ic.Workspace
    ) -> None:
        """A second application is refused; after withdrawing, the creator may apply again."""
        offer, lea = make_offer(ws), creator(ws)
        me = ic.CreatorUser(lea.id)
        first = ws.applications.apply(me, offer.id, lea.id)
        with pytest.raises(ic.AlreadyExists):
            ws.applications.apply(me, offer.id, lea.id)
        ws.applications.withdraw(me, first.id)
        ws.applications.apply(me, offer.id, lea.id)
        project = make_offer(ws, mode="project")
        with pytest.raises(ic.PermissionDenied):
            ws.applications.apply(me, project.id, lea.id)
        with pytest.raises(ic.PermissionDenied):
            ws.applications.apply(me, offer.id, "someone_else")

    def test_waiting_applications_and_median_response(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """Pending beyond N days are listed oldest first; the median time to decision is reported."""
        offer = make_offer(ws)
        ids = []
        for name in ("A", "B", "C", "D"):
            c = creator(ws, name)
            ids.append(ws.applications.apply(ic.CreatorUser(c.id), offer.id, c.id).id)
            clock.advance(days=1)
        ws.applications.accept(MANAGER, ids[0], message="ok")  # waited 4 days
        ws.applications.refuse(MANAGER, ids[1], message="no")  # waited 3 days
        late = ws.applications.pending_beyond(MANAGER, offer.id, 1)
        assert [(a.id, w) for a, w in late] == [(ids[2], dt.timedelta(days=2))]
        stats = ws.applications.response_stats(MANAGER, offer.id)
        assert (stats.decided, stats.pending) == (2, 2)
        assert stats.median_response == dt.timedelta(days=3, hours=12)
        assert stats.longest_pending == dt.timedelta(days=2)
