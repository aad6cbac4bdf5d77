"""A Hypothesis state machine over the campaign workflow and the scheduler.

Random applications, decisions, shipments, deliveries, submissions and clock jumps; the
scheduler runs from either of two workspaces sharing one SQLite file. After every step:
each reminder is sent at most once, none before its delivery, none after content was
submitted, and once both schedulers ran, nothing due is left pending.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pendulum
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

import influcampaign as ic
from influcampaign.domain.shipment import ShipmentItem

MANAGER = ic.BrandMember("u_claire", brand_id="acme", role="manager")
SYSTEM = ic.SystemActor()
ITEMS = [ShipmentItem("Kit", 1, ic.Money.of("10", "EUR"))]
CREATORS = [f"cre_{i}" for i in range(4)]
POLICY = ic.ReminderPolicy((3, 7, 14))


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
        shipment = self.ws.shipments.create(MANAGER, pid, ITEMS)
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

    def _reminders(self) -> list[ic.DomainEvent]:
        return [
            m.event for m in self.ws.store.outbox.all() if m.event.type == "PublicationReminderSent"
        ]

    @invariant()
    def each_reminder_at_most_once(self) -> None:
        jobs = [e.job_id for e in self._reminders()]  # type: ignore[attr-defined]
        assert len(jobs) == len(set(jobs))

    @invariant()
    def never_before_delivery_nor_after_content(self) -> None:
        for event in self._reminders():
            pid = event.participation_id  # type: ignore[attr-defined]
            deliveries = self.delivered_at.get(pid, [])
            assert deliveries
            assert min(deliveries) < event.occurred_at
            submitted = self.submitted_at.get(pid)
            assert submitted is None or event.occurred_at < submitted


TestReminderMachine = ReminderMachine.TestCase
# Examples come from the Hypothesis profile (HYPOTHESIS_PROFILE=long for a deep run).
TestReminderMachine.settings = settings(stateful_step_count=25, deadline=None)
