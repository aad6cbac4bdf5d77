"""The daily work of a campaign manager: applications, list approval, templates, messages,
shipments, and the scheduler's reminders."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path

import attrs
import pendulum
import pytest

import influcampaign as ic
from influcampaign.domain.messaging import Message
from influcampaign.domain.policies import ApplicationPolicy, ListApprovalPolicy, ReminderPolicy
from influcampaign.domain.shipment import ShipmentItem
from tests.conftest import MANAGER

SYSTEM = ic.SystemActor()
ITEMS = [ShipmentItem("Seed kit", 2, ic.Money.of("19.95", "EUR"))]


def events(ws: ic.Workspace, type_: str) -> list[ic.DomainEvent]:
    return [m.event for m in ws.store.outbox.all() if m.event.type == type_]


def make_offer(ws: ic.Workspace, mode: str = "marketplace", **policies: object) -> ic.Campaign:
    campaign = ws.campaigns.create(
        MANAGER,
        brand_id="acme",
        name="Printemps",
        kind="seeding",
        mode=mode,
        start=pendulum.datetime(2026, 3, 1, tz="Europe/Paris"),
        end=pendulum.datetime(2026, 6, 1, tz="Europe/Paris"),
        timezone="Europe/Paris",
        policies=ic.CampaignPolicies(**policies),  # type: ignore[arg-type]
    )
    if mode == "marketplace":
        ws.campaigns.open(MANAGER, campaign.id)
    else:
        ws.campaigns.start(MANAGER, campaign.id)
    return campaign


def make_creator(ws: ic.Workspace, name: str = "Léa", audience_data: str = "shared") -> ic.Creator:
    return ws.creators.register(
        MANAGER, name, audience={"instagram": ic.AudienceStats(12_000)}, audience_data=audience_data
    )


def confirmed(ws: ic.Workspace, campaign: ic.Campaign, name: str = "Léa") -> str:
    c = make_creator(ws, name)
    pid = ws.participations.add(MANAGER, campaign.id, c.id).id
    ws.participations.confirm(MANAGER, pid)
    return pid


class TestApplications:
    def test_apply_and_accept_with_a_template(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """Accepting confirms the creator, posts the rendered message and records the wait."""
        offer, lea = make_offer(ws), make_creator(ws)
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
        (accepted,) = events(ws, "ApplicationAccepted")
        assert accepted.waited_seconds == 30 * 3600  # type: ignore[attr-defined]
        assert ws.applications.get(MANAGER, app.id).time_to_decision == dt.timedelta(hours=30)

    def test_refuse_with_reason_and_message(self, ws: ic.Workspace) -> None:
        """A refusal carries the personal message and the reason, in the event for the creator."""
        offer, lea = make_offer(ws), make_creator(ws)
        app = ws.applications.apply(ic.CreatorUser(lea.id), offer.id, lea.id)
        refused = ws.applications.refuse(
            MANAGER, app.id, message="Pas cette fois, merci !", reason="audience"
        )
        assert (refused.status, refused.refusal_reason) == (
            ic.ApplicationStatus.REFUSED,
            ic.RefusalReason.AUDIENCE,
        )
        (event,) = events(ws, "ApplicationRefused")
        assert (event.message, event.reason) == ("Pas cette fois, merci !", "audience")  # type: ignore[attr-defined]

    def test_every_decision_needs_a_message(self, ws: ic.Workspace) -> None:
        """Without a message or a template, nothing is decided."""
        offer, lea = make_offer(ws), make_creator(ws)
        app = ws.applications.apply(ic.CreatorUser(lea.id), offer.id, lea.id)
        with pytest.raises(ic.ValidationError, match="message"):
            ws.applications.accept(MANAGER, app.id)
        assert ws.applications.get(MANAGER, app.id).status.value == "pending"

    def test_deciding_twice_is_refused_and_changes_nothing(self, ws: ic.Workspace) -> None:
        """A decided application cannot be decided again."""
        offer, lea = make_offer(ws), make_creator(ws)
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
            c = make_creator(ws, name)
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
            c = make_creator(ws, name)
            apps.append(ws.applications.apply(ic.CreatorUser(c.id), offer.id, c.id).id)
        ws.applications.accept_many(MANAGER, apps[:2], message="Bienvenue")
        with pytest.raises(ic.LimitReached, match="at most 2"):
            ws.applications.accept(MANAGER, apps[2], message="Bienvenue")
        assert ws.applications.get(MANAGER, apps[2]).status.value == "pending"

    def test_one_live_application_per_creator_and_only_to_open_offers(
        self, ws: ic.Workspace
    ) -> None:
        """A second application is refused; after withdrawing, the creator may apply again."""
        offer, lea = make_offer(ws), make_creator(ws)
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
            c = make_creator(ws, name)
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


class TestListApproval:
    def test_reviewers_approve_and_reject_with_comments(self, ws: ic.Workspace) -> None:
        """With two approvals required, one approval leaves a creator pending; a rejection declines."""
        project = make_offer(ws, "project", list_approval=ListApprovalPolicy(required_approvals=2))
        a, b = make_creator(ws, "A"), make_creator(ws, "B")
        group = ws.groups.create(MANAGER, brand_id="acme", name="G", creator_ids=[a.id, b.id])
        added = ws.participations.invite_group(MANAGER, project.id, group.id)
        assert [p.status.value for p in added] == ["proposed", "proposed"]
        client = ic.ClientReviewer("cl_1", brand_id="acme", campaign_ids={project.id})
        colleague = ic.BrandMember("u_max", brand_id="acme", role="manager")
        ws.participations.submit_for_approval(MANAGER, project.id, ["cl_1", "u_max"])
        pa, pb = added
        ws.participations.review(client, pa.id, "approve", comment="Parfait")
        status = ws.participations.list_status(client, project.id)
        assert [(p.participation.id, p.reason) for p in status.pending] == [
            (pa.id, "1 of 2 approvals"),
            (pb.id, "0 of 2 approvals"),
        ]
        ws.participations.review(colleague, pa.id, "approve")
        ws.participations.review(client, pb.id, "reject", comment="Audience trop jeune")
        status = ws.participations.list_status(MANAGER, project.id)
        assert [p.id for p in status.approved] == [pa.id]
        assert [p.id for p in status.declined] == [pb.id]
        reviewed = events(ws, "CreatorReviewed")
        assert [e.comment for e in reviewed] == ["Parfait", "", "Audience trop jeune"]  # type: ignore[attr-defined]

    def test_a_creator_added_meanwhile_by_another_process_is_a_retryable_conflict(
        self, make_workspace: Callable[[], ic.Workspace], monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """When another process puts the creator on the list between this call's look and its
        write, the call raises ConcurrencyConflict (retryable), writes nothing, and a retry
        answers as if it had come second (AlreadyExists)."""
        ws, other = make_workspace(), make_workspace()
        project = make_offer(ws, "project")
        lea = make_creator(ws)
        before = len(list(ws.store.outbox.all()))
        looked = ws.store.unit_of_work

        def racing(*args: object, **kwargs: object) -> ic.UnitOfWork:
            uow = looked(*args, **kwargs)  # type: ignore[arg-type]
            if not kwargs.get("read_only"):
                monkeypatch.setattr(ws.store, "unit_of_work", looked)
                other.participations.add(MANAGER, project.id, lea.id)  # commits first
                # this call looked before the other committed: it saw no participation
                monkeypatch.setattr(uow.participations, "exists", lambda pid: False)
            return uow

        monkeypatch.setattr(ws.store, "unit_of_work", racing)
        with pytest.raises(ic.ConcurrencyConflict):
            ws.participations.add(MANAGER, project.id, lea.id)
        assert len(list(ws.store.outbox.all())) == before + 1  # only the other's event
        with pytest.raises(ic.AlreadyExists):
            ic.retry(lambda: ws.participations.add(MANAGER, project.id, lea.id))

    def test_creators_without_audience_data_are_held_pending(self, ws: ic.Workspace) -> None:
        """An approved creator whose audience is hidden stays pending, with the reason shown."""
        project = make_offer(ws, "project")
        hidden = make_creator(ws, "Hidden", audience_data="hidden")
        pid = ws.participations.add(MANAGER, project.id, hidden.id).id
        ws.participations.review(MANAGER, pid, "approve")
        status = ws.participations.list_status(MANAGER, project.id)
        assert [(p.participation.id, p.reason) for p in status.pending] == [
            (pid, "approved, held: audience data hidden")
        ]
        ws.participations.confirm(MANAGER, pid)  # the brand decides for itself
        assert [p.id for p in ws.participations.list_status(MANAGER, project.id).confirmed] == [pid]

    def test_reviewers_only_reach_their_campaigns(self, ws: ic.Workspace) -> None:
        """A client reviewer of another campaign cannot review or read this list."""
        project = make_offer(ws, "project")
        pid = ws.participations.add(MANAGER, project.id, make_creator(ws).id).id
        outsider = ic.ClientReviewer("cl_2", brand_id="acme", campaign_ids={"cmp_other"})
        with pytest.raises(ic.PermissionDenied):
            ws.participations.review(outsider, pid, "approve")
        with pytest.raises(ic.PermissionDenied):
            ws.participations.list_status(outsider, project.id)

    def test_a_creator_sees_only_its_own_participations(self, ws: ic.Workspace) -> None:
        """Listing a campaign as a creator returns its own participation only."""
        project = make_offer(ws, "project")
        a, b = make_creator(ws, "A"), make_creator(ws, "B")
        pa = ws.participations.add(MANAGER, project.id, a.id)
        ws.participations.add(MANAGER, project.id, b.id)
        assert ws.participations.list(ic.CreatorUser(a.id), project.id) == [pa]
        assert len(ws.participations.list(MANAGER, project.id)) == 2


class TestTemplates:
    @pytest.mark.parametrize(
        "body",
        [
            "Hi {creator.__class__}",
            "Hi {creator_name.__class__.__mro__}",
            "Hi {creator_name[0]}",
            "Hi {creator_name!r}",
            "Hi {creator_name:>40}",
            "Hi {password}",
            "Hi {0}",
            "Hi {}",
            "Hi {creator_name",
        ],
    )
    def test_unsafe_or_unknown_placeholders_are_refused(self, ws: ic.Workspace, body: str) -> None:
        """Only plain whitelisted {name} placeholders; attribute, index, conversion and format are refused."""
        with pytest.raises(ic.ValidationError, match="body"):
            ws.messages.save_template(MANAGER, brand_id="acme", kind="welcome", name="x", body=body)
        assert ws.messages.templates(MANAGER, "acme") == []

    def test_braces_can_be_escaped(self) -> None:
        """Doubled braces print braces."""
        from influcampaign.domain.messaging import render

        assert render("{{code}} for {creator_name}", {"creator_name": "Léa"}) == "{code} for Léa"

    def test_a_missing_value_stops_the_message_before_it_is_sent(self, ws: ic.Workspace) -> None:
        """A shipping template needing {tracking_url} fails when there is none, and nothing is shipped."""
        project = make_offer(ws, "project")
        pid = confirmed(ws, project)
        ws.messages.save_template(
            MANAGER, brand_id="acme", kind="shipping", name="Ship", body="Suivi : {tracking_url}"
        )
        sid = ws.shipments.create(MANAGER, pid, ITEMS).id
        with pytest.raises(ic.ValidationError, match="tracking_url"):
            ws.shipments.ship(MANAGER, sid, carrier="La Poste")
        assert ws.shipments.get(MANAGER, sid).status.value == "to_prepare"
        assert ws.messages.thread(MANAGER, pid) == []


class TestMessaging:
    def test_threads_read_state_and_unread_counts(self, ws: ic.Workspace) -> None:
        """Each side's unread count falls to zero once it reads the thread."""
        project = make_offer(ws, "project")
        pid = confirmed(ws, project)
        creator_id = ws.participations.get(MANAGER, pid).creator_id
        me = ic.CreatorUser(creator_id)
        ws.messages.send(MANAGER, pid, "Bonjour !")
        ws.messages.send(me, pid, "Bonjour, merci !")
        ws.messages.send(me, pid, "Quand arrive le colis ?")
        assert ws.messages.unread_counts(MANAGER, project.id) == {pid: 2}
        assert ws.messages.unread_counts(me, project.id) == {pid: 1}
        assert ws.messages.mark_read(MANAGER, pid) == 2
        assert ws.messages.unread_counts(MANAGER, project.id) == {}
        assert [m.author.value for m in ws.messages.thread(me, pid)] == [
            "brand",
            "creator",
            "creator",
        ]

    def test_messages_written_at_one_instant_keep_their_writing_order(
        self, ws: ic.Workspace
    ) -> None:
        """Under a frozen clock and random ids, a thread comes back in the order its
        messages were written (time, then sequence of writing), on every backend."""
        random_ids = ic.Workspace(ws.store, ws.clock)  # random ids, as in production
        project = make_offer(random_ids, "project")
        pid = confirmed(random_ids, project)
        me = ic.CreatorUser(random_ids.participations.get(MANAGER, pid).creator_id)
        bodies = [f"message {n}" for n in range(12)]
        for n, body in enumerate(bodies):
            random_ids.messages.send(MANAGER if n % 2 else me, pid, body)
        thread = random_ids.messages.thread(MANAGER, pid)
        assert [m.body for m in thread] == bodies
        assert [m.sequence for m in thread] == list(range(1, 13))
        assert isinstance(ws.clock, ic.FrozenClock)
        ws.clock.advance(seconds=1)
        random_ids.messages.send(me, pid, "later")
        assert random_ids.messages.thread(me, pid)[-1].body == "later"

    def test_a_message_written_before_sequences_reads_as_zero(self) -> None:
        """A stored message without ``sequence`` (written by an older version) reads as 0."""
        message = ic.make_converter().structure(
            {
                "id": "msg_1",
                "participation_id": "par_1",
                "campaign_id": "cmp_1",
                "brand_id": "acme",
                "creator_id": "cre_1",
                "author": "brand",
                "body": "Bonjour",
                "sent_at": "2026-03-02T08:00:00+00:00",
            },
            Message,
        )
        assert message.sequence == 0

    def test_a_message_to_a_participation_of_another_campaign_is_refused(
        self, ws: ic.Workspace
    ) -> None:
        """Naming the wrong campaign for a thread is an error and nothing is sent."""
        first, second = make_offer(ws, "project"), make_offer(ws, "project")
        pid = confirmed(ws, first)
        with pytest.raises(ic.ValidationError, match="another campaign"):
            ws.messages.send(MANAGER, pid, "Hello", campaign_id=second.id)
        assert ws.messages.thread(MANAGER, pid) == []

    def test_creators_cannot_read_other_threads(self, ws: ic.Workspace) -> None:
        """A creator reads only its own thread."""
        project = make_offer(ws, "project")
        pid = confirmed(ws, project, "A")
        other = make_creator(ws, "B")
        with pytest.raises(ic.PermissionDenied):
            ws.messages.thread(ic.CreatorUser(other.id), pid)
        with pytest.raises(ic.PermissionDenied):
            ws.messages.send(ic.CreatorUser(other.id), pid, "hi")


class TestShipments:
    def test_shipping_notifies_the_creator_with_the_tracking_link(self, ws: ic.Workspace) -> None:
        """Shipped: an event and a system message carrying carrier and tracking link."""
        project = make_offer(ws, "project")
        pid = confirmed(ws, project)
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
        (event,) = events(ws, "ShipmentShipped")
        assert event.tracking_number == "6A123"  # type: ignore[attr-defined]

    def test_shipping_to_a_refused_creator_is_refused(self, ws: ic.Workspace) -> None:
        """Only creators who are in receive products."""
        project = make_offer(ws, "project")
        pid = ws.participations.add(MANAGER, project.id, make_creator(ws).id).id
        ws.participations.review(MANAGER, pid, "reject", comment="no")
        with pytest.raises(ic.InvalidTransition):
            ws.shipments.create(MANAGER, pid, ITEMS)

    def test_delivering_before_shipping_is_refused(self, ws: ic.Workspace) -> None:
        """A parcel that has not left cannot arrive; no reminder is scheduled."""
        project = make_offer(ws, "project")
        sid = ws.shipments.create(MANAGER, confirmed(ws, project), ITEMS).id
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
        sid = ws.shipments.create(MANAGER, confirmed(ws, project), ITEMS).id
        with pytest.raises(ic.ValidationError, match="tracking_url"):
            ws.shipments.ship(MANAGER, sid, carrier="UPS", tracking_url=bad)
        assert ws.shipments.get(MANAGER, sid).status.value == "to_prepare"


def delivered(
    ws: ic.Workspace, clock: ic.FrozenClock, **policies: object
) -> tuple[ic.Campaign, str]:
    project = make_offer(ws, "project", **policies)
    pid = confirmed(ws, project)
    sid = ws.shipments.create(MANAGER, pid, ITEMS).id
    ws.shipments.ship(MANAGER, sid, carrier="DHL")
    ws.shipments.deliver(MANAGER, sid)
    return project, pid


def reminders(ws: ic.Workspace) -> list[int]:
    return [e.number for e in events(ws, "PublicationReminderSent")]  # type: ignore[attr-defined]


class TestScheduler:
    def test_reminders_at_3_7_and_14_days(self, ws: ic.Workspace, clock: ic.FrozenClock) -> None:
        """After delivery, one reminder at +3, +7 and +14 days; each sent once however often it runs."""
        _, pid = delivered(ws, clock)
        for day in range(1, 20):
            clock.advance(days=1)
            ws.scheduler.run(SYSTEM)
            ws.scheduler.run(SYSTEM)
            expected = [n for n, d in ((1, 3), (2, 7), (3, 14)) if day >= d]
            assert reminders(ws) == expected, f"day {day}"
        assert len([m for m in ws.messages.thread(MANAGER, pid) if m.author.value == "system"]) == 4

    def test_reminders_stop_once_content_is_submitted(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """Content submitted after the first reminder: no more reminders."""
        _, pid = delivered(ws, clock)
        clock.advance(days=4)
        ws.scheduler.run(SYSTEM)
        creator_id = ws.participations.get(MANAGER, pid).creator_id
        ws.submissions.submit(
            ic.CreatorUser(creator_id),
            pid,
            url="https://instagram.com/p/abc",
            platform="instagram",
            format="reel",
            published_at=clock.now(),
            caption="#ad",
        )
        clock.advance(days=30)
        run = ws.scheduler.run(SYSTEM)
        assert reminders(ws) == [1]
        assert run.finished == 2  # the brand's validation reminder and the auto-validation only
        assert ws.scheduler.pending(SYSTEM, subject_id=pid) == []

    def test_a_missed_reminder_is_sent_once_not_once_per_missed_day(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """Down for 10 days: the next run sends the latest due reminder once and skips the older one."""
        delivered(ws, clock)
        clock.advance(days=10)
        run = ws.scheduler.run(SYSTEM)
        assert (run.done, run.skipped) == (1, 1)
        assert reminders(ws) == [2]
        clock.advance(days=4)
        ws.scheduler.run(SYSTEM)
        assert reminders(ws) == [2, 3]

    def test_days_are_counted_in_the_campaign_time_zone_across_dst(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """Delivered Thursday 26 March 10:00 Paris: +3 days is Sunday 29 March 10:00 Paris (after the DST change)."""
        clock.set(pendulum.datetime(2026, 3, 26, 10, tz="Europe/Paris"))
        _, pid = delivered(ws, clock, reminders=ReminderPolicy((3,)))
        (job,) = ws.scheduler.pending(SYSTEM, subject_id=pid)
        assert job.due_at.in_timezone("Europe/Paris") == pendulum.datetime(
            2026, 3, 29, 10, tz="Europe/Paris"
        )
        assert job.due_at - clock.now() == dt.timedelta(days=3, hours=-1)
        clock.set(pendulum.datetime(2026, 3, 29, 9, 59, tz="Europe/Paris"))
        ws.scheduler.run(SYSTEM)
        assert reminders(ws) == []
        clock.set(pendulum.datetime(2026, 3, 29, 10, tz="Europe/Paris"))
        ws.scheduler.run(SYSTEM)
        assert reminders(ws) == [1]

    def test_the_brand_is_reminded_of_waiting_applications(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """An application undecided after the policy's days alerts the brand once; a decided one does not."""
        offer = make_offer(ws, applications=ApplicationPolicy(pending_alert_days=2))
        a, b = make_creator(ws, "A"), make_creator(ws, "B")
        waiting = ws.applications.apply(ic.CreatorUser(a.id), offer.id, a.id)
        answered = ws.applications.apply(ic.CreatorUser(b.id), offer.id, b.id)
        ws.applications.accept(MANAGER, answered.id, message="ok")
        clock.advance(days=3)
        ws.scheduler.run(SYSTEM)
        ws.scheduler.run(SYSTEM)
        alerts = events(ws, "ApplicationPendingTooLong")
        assert [(e.application_id, e.waiting_days) for e in alerts] == [(waiting.id, 3)]  # type: ignore[attr-defined]

    def test_only_the_system_runs_the_scheduler(self, ws: ic.Workspace) -> None:
        """A brand member cannot run it."""
        with pytest.raises(ic.PermissionDenied):
            ws.scheduler.run(MANAGER)

    def test_two_workspaces_racing_send_each_reminder_once(
        self, make_workspace: Callable[[], ic.Workspace], clock: ic.FrozenClock
    ) -> None:
        """Schedulers in two threads over one store: every due reminder goes out exactly once."""
        first, second = make_workspace(), make_workspace()
        for i in range(6):
            delivered(first, clock) if i % 2 else delivered(second, clock)
        clock.advance(days=4)
        barrier = threading.Barrier(2)
        runs = []

        def run(ws: ic.Workspace) -> None:
            barrier.wait()
            runs.append(ws.scheduler.run(SYSTEM))

        threads = [threading.Thread(target=run, args=(w,)) for w in (first, second)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert sorted(reminders(first)) == [1] * 6
        assert sum(r.done for r in runs) == 6


class TestJobRecords:
    def test_a_reminder_finishes_its_job_and_records_when(self) -> None:
        """Job.remind_publication finishes the job as done and records PublicationReminderSent
        at its finishing time; a finished job reminds no more."""
        due = pendulum.datetime(2026, 4, 1, 9, tz="UTC")
        job = ic.Job("job_1", "publication_reminder", due, "par_1", "cmp_1", {"number": "2"})
        participation = ic.Participation(
            id="par_1", campaign_id="cmp_1", brand_id="acme", creator_id="cre_1", source="manual"
        )
        job.remind_publication(due.add(minutes=5), participation)
        assert (job.status, job.outcome) == (ic.JobStatus.DONE, "reminder 2 sent")
        (event,) = job.pull_events()
        assert (event.type, event.occurred_at) == ("PublicationReminderSent", job.finished_at)
        assert (event.number, event.job_id) == (2, "job_1")  # type: ignore[attr-defined]
        with pytest.raises(ic.ValidationError, match="already finished"):
            job.remind_publication(due.add(minutes=6), participation)
        assert job.recorded == ()


class TestSchemaUpgrade:
    def test_a_version_1_database_upgrades_without_loss(self, tmp_path: Path) -> None:
        """Data written at schema 1 reads back identically after migrating to the latest schema."""
        from influcampaign.adapters.sql_schema import LATEST_VERSION, MIGRATIONS

        url = f"sqlite:///{tmp_path / 'old.sqlite'}"
        store = ic.SqlStore(url)
        with store.engine.begin() as conn:
            from influcampaign.adapters.sql_schema import metadata

            replay = metadata(0)
            for step in MIGRATIONS[0]:
                step.apply(conn, replay)
            store._set_version(conn, 1)
        assert store.schema_version() == 1
        store._schema_checked = True  # write through the v1 tables, as an old library would
        creator = ic.Creator(id="cre_old", display_name="Ancienne", country="FR")
        with store.unit_of_work() as uow:
            uow.creators.add(creator)
            uow.emit(ic_event())
            uow.commit()
        store.close()

        upgraded = ic.SqlStore(url)
        assert upgraded.migrate() == LATEST_VERSION >= 2
        with upgraded.unit_of_work(read_only=True) as uow:
            assert uow.creators.get("cre_old") == attrs.evolve(creator, version=1)
            assert uow.participations.find() == []
        assert [m.event for m in upgraded.outbox.all()] == [ic_event()]
        upgraded.close()


def ic_event() -> ic.DomainEvent:
    from influcampaign.domain.events import CreatorRegistered

    return CreatorRegistered(
        occurred_at=pendulum.datetime(2025, 1, 1), creator_id="cre_old", display_name="Ancienne"
    )
