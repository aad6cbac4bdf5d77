"""The scheduler: reminders, alerts and auto-validation, once each however it runs."""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path

import pendulum
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

import influcampaign as ic
from influcampaign.domain.events import ApplicationPendingTooLong, PublicationReminderSent
from influcampaign.domain.policies import ApplicationPolicy, ReminderPolicy
from influcampaign.domain.shipment import ShipmentItem
from tests.conftest import MANAGER
from tests.helpers import ITEMS, SYSTEM, creator, events, join, make_offer


def delivered(
    ws: ic.Workspace, clock: ic.FrozenClock, **policies: object
) -> tuple[ic.Campaign, str]:
    project = make_offer(ws, "project", **policies)
    pid = join(ws, project).id
    sid = ws.shipments.create(MANAGER, pid, ITEMS).id
    ws.shipments.ship(MANAGER, sid, carrier="DHL")
    ws.shipments.deliver(MANAGER, sid)
    return project, pid


def reminders(ws: ic.Workspace) -> list[int]:
    return [e.number for e in events(ws, PublicationReminderSent)]


# CLASH from tests/test_reminder_machine.py
KIT = [ShipmentItem("Kit", 1, ic.Money.of("10", "EUR"))]


CREATORS = [f"cre_{i}" for i in range(4)]


POLICY = ic.ReminderPolicy((3, 7, 14))


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
        a, b = creator(ws, "A"), creator(ws, "B")
        waiting = ws.applications.apply(ic.CreatorUser(a.id), offer.id, a.id)
        answered = ws.applications.apply(ic.CreatorUser(b.id), offer.id, b.id)
        ws.applications.accept(MANAGER, answered.id, message="ok")
        clock.advance(days=3)
        ws.scheduler.run(SYSTEM)
        ws.scheduler.run(SYSTEM)
        alerts = events(ws, ApplicationPendingTooLong)
        assert [(e.application_id, e.waiting_days) for e in alerts] == [(waiting.id, 3)]

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


class ReminderMachine(RuleBasedStateMachine):
    """The workflow with two schedulers on one SQLite file."""

    def __init__(self) -> None:
        super().__init__()
        self.directory = Path(tempfile.mkdtemp(prefix="ic-machine-"))
        self.clock = ic.FrozenClock(pendulum.datetime(2026, 3, 20, 9, tz="Europe/Paris"))
        url = f"sqlite:///{self.directory / 'machine.sqlite'}"
        ids = ic.SequentialIds()
        self.workspaces = [
            ic.open(url, clock=self.clock, ids=ids),
            ic.open(url, clock=self.clock, ids=ids),
        ]
        ws = self.workspaces[0]
        for creator_id in CREATORS:
            ws.creators.register(MANAGER, creator_id, id=creator_id)
        offer = ws.campaigns.create(
            MANAGER,
            brand_id="acme",
            name="Offer",
            kind="seeding",
            mode="marketplace",
            start=pendulum.datetime(2026, 3, 1, tz="Europe/Paris"),
            end=pendulum.datetime(2026, 9, 1, tz="Europe/Paris"),
            timezone="Europe/Paris",
            policies=ic.CampaignPolicies(reminders=POLICY),
        )
        ws.campaigns.open(MANAGER, offer.id)
        self.offer = offer.id
        self.applications: dict[str, str] = {}  # creator -> application id
        self.participations: dict[str, str] = {}  # creator -> participation id
        self.shipments: dict[str, list[str]] = {}  # creator -> shipment ids
        self.delivered_at: dict[str, list[pendulum.DateTime]] = {}  # participation -> deliveries
        self.submitted_at: dict[str, pendulum.DateTime] = {}  # participation -> first content

    def teardown(self) -> None:
        for ws in self.workspaces:
            ws.close()

    @property
    def ws(self) -> ic.Workspace:
        return self.workspaces[0]

    @rule(creator=st.sampled_from(CREATORS))
    def apply(self, creator: str) -> None:
        try:
            app = self.ws.applications.apply(ic.CreatorUser(creator), self.offer, creator)
        except ic.AlreadyExists:
            return
        self.applications[creator] = app.id

    @rule(creator=st.sampled_from(CREATORS), accept=st.booleans())
    def decide(self, creator: str, accept: bool) -> None:
        app = self.applications.get(creator)
        if app is None:
            return
        try:
            if accept:
                self.participations[creator] = self.ws.applications.accept(
                    MANAGER, app, message="Bienvenue"
                ).id
            else:
                self.ws.applications.refuse(
                    MANAGER, app, message="Non merci", reason="out_of_target"
                )
        except ic.InvalidTransition:
            assert self.ws.applications.get(MANAGER, app).status is not ic.ApplicationStatus.PENDING

    @rule(creator=st.sampled_from(CREATORS))
    def ship(self, creator: str) -> None:
        pid = self.participations.get(creator)
        if pid is None:
            return
        shipment = self.ws.shipments.create(MANAGER, pid, KIT)
        self.ws.shipments.ship(MANAGER, shipment.id, carrier="DHL")
        self.shipments.setdefault(creator, []).append(shipment.id)

    @rule(creator=st.sampled_from(CREATORS))
    def deliver(self, creator: str) -> None:
        for sid in self.shipments.get(creator, []):
            if self.ws.shipments.get(MANAGER, sid).status is ic.ShipmentStatus.SHIPPED:
                self.ws.shipments.deliver(ic.CreatorUser(creator), sid)
                self.delivered_at.setdefault(self.participations[creator], []).append(
                    self.clock.now()
                )
                return

    @rule(creator=st.sampled_from(CREATORS))
    def submit(self, creator: str) -> None:
        pid = self.participations.get(creator)
        if pid is None:
            return
        self.ws.submissions.submit(
            ic.CreatorUser(creator),
            pid,
            url=f"https://instagram.com/p/{creator}{len(self.submitted_at)}",
            platform="instagram",
            format="post",
            published_at=self.clock.now(),
        )
        self.submitted_at.setdefault(pid, self.clock.now())

    @rule(hours=st.integers(1, 24 * 20))
    def advance(self, hours: int) -> None:
        self.clock.advance(hours=hours)

    @rule(which=st.sampled_from([0, 1]))
    def run_scheduler(self, which: int) -> None:
        run = self.workspaces[which].scheduler.run(SYSTEM)
        assert run.failed == ()

    @rule()
    def run_both(self) -> None:
        """Right after both schedulers ran, no pending job is due any more."""
        for ws in self.workspaces:
            ws.scheduler.run(SYSTEM)
        now = self.clock.now()
        with self.ws.store.unit_of_work(read_only=True) as uow:
            due = [j for j in uow.jobs.find(status="pending") if j.due_at <= now]
        assert due == []

    def _reminders(self) -> list[PublicationReminderSent]:
        return events(self.ws, PublicationReminderSent)

    @invariant()
    def each_reminder_at_most_once(self) -> None:
        jobs = [e.job_id for e in self._reminders()]
        assert len(jobs) == len(set(jobs))

    @invariant()
    def never_before_delivery_nor_after_content(self) -> None:
        for event in self._reminders():
            pid = event.participation_id
            deliveries = self.delivered_at.get(pid, [])
            assert deliveries
            assert min(deliveries) < event.occurred_at
            submitted = self.submitted_at.get(pid)
            assert submitted is None or event.occurred_at < submitted


TestReminderMachine = ReminderMachine.TestCase


# Examples come from the Hypothesis profile (HYPOTHESIS_PROFILE=long for a deep run).
TestReminderMachine.settings = settings(stateful_step_count=25, deadline=None)
