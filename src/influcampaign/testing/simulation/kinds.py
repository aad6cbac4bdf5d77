"""Steps of the simulation for contests and brand events (issue 23): contest and event campaigns
are created beside the others, take entries, draw, invite, answer and check in, on both
stores at once, and their invariants hold after every step."""

from __future__ import annotations

from hypothesis import strategies as st
from hypothesis.stateful import initialize, invariant, precondition, rule

from influcampaign.adapters.entries import ListEntrySource
from influcampaign.domain.brand_event import RsvpStatus, Venue
from influcampaign.domain.contest import (
    ContestEntryRecord,
    EligibilityPolicy,
    EntryStatus,
    RulesDocument,
)
from influcampaign.domain.contest_draw import draw_winners, seed_commitment
from influcampaign.testing.simulation.model import SimulationModel

__all__ = ["KindSteps"]

_PICK = st.integers(0, 1_000)  # as the model's
_ENTRANTS = ("ana", "bob", "cleo", "dev", "eli", "staff.acme")
_MANAGER_OR_OTHER = st.sampled_from(["manager"] * 5 + ["analyst", "creator"])


def _seed(contest_id: str) -> str:
    """The seed the simulated brand commits to for a contest (a long, fixed text)."""
    return f"simulation-seed-of-{contest_id}"


class KindSteps(SimulationModel):
    """Steps of the simulation: contests and brand events."""

    @initialize(
        days=st.integers(1, 20),
        capacity=st.integers(1, 4),
        winners=st.integers(1, 2),
        jurisdiction=st.sampled_from(["FR", "US", "UK"]),
    )
    def kinds_cast(self, days: int, capacity: int, winners: int, jurisdiction: str) -> None:
        """Every history starts with a contest and a brand event, beside its other campaigns."""
        for kind in ("contest", "event"):
            self.create_kind_campaign("manager", kind, days, capacity, winners, 1, jurisdiction)

    @rule(
        actor=_MANAGER_OR_OTHER,
        kind=st.sampled_from(["contest", "event"]),
        days=st.integers(1, 20),
        capacity=st.integers(1, 4),
        winners=st.integers(1, 2),
        reserves=st.integers(0, 2),
        jurisdiction=st.sampled_from(["FR", "US", "UK"]),
    )
    def create_kind_campaign(
        self,
        actor: str,
        kind: str,
        days: int,
        capacity: int,
        winners: int,
        reserves: int,
        jurisdiction: str,
    ) -> None:
        """A brand creates a contest (with its rules and window) or a brand event (with its
        date, venue and capacity)."""
        self._step("create_kind_campaign")
        start = self.clock.now().in_timezone("Europe/Paris").start_of("day")
        created = self._call(
            lambda side: side.ws.campaigns.create(
                self._who("manager"),
                brand_id="acme",
                name=f"{kind.capitalize()} {len(self.campaigns) + 1}",
                kind=kind,
                mode="project",
                start=start,
                end=start.add(days=40),
                timezone="Europe/Paris",
            ),
            what="campaigns.create",
        )
        if not created[0].ok:
            return
        campaign = created[0].value.id
        self.campaigns.append(campaign)
        self.focus = campaign
        if kind == "contest":
            outcomes = self._call(
                lambda side: side.ws.contests.create(
                    self._who(actor),
                    campaign,
                    rules=RulesDocument("https://acme.example/rules", "v1"),
                    jurisdictions=[jurisdiction],
                    closes_at=start.add(days=days),
                    prize="a kit",
                    winners=winners,
                    reserves=reserves,
                    eligibility=EligibilityPolicy(excluded_handles=["staff.acme"]),
                ),
                what="contests.create",
            )
            if outcomes[0].ok:
                self.contests.append(outcomes[0].value.id)
        else:
            at = start.add(days=days, hours=19)
            outcomes = self._call(
                lambda side: side.ws.events.schedule(
                    self._who(actor),
                    campaign,
                    name="Launch night",
                    starts_at=at,
                    ends_at=at.add(hours=3),
                    venue=Venue("Atelier", "Paris"),
                    capacity=capacity,
                ),
                what="events.schedule",
            )
            if outcomes[0].ok:
                self.brand_events.append(outcomes[0].value.id)

    @precondition(lambda self: bool(self.contests))
    @rule(actor=_MANAGER_OR_OTHER, pick=_PICK)
    def commit_seed(self, actor: str, pick: int) -> None:
        """The brand commits to its seed (refused once entries closed, or twice)."""
        self._step("commit_seed")
        contest = self._pick(self.contests, pick)
        assert contest is not None
        self._call(
            lambda side: side.ws.contests.commit_seed(
                self._who(actor), contest, seed_commitment(_seed(contest))
            ),
            what="contests.commit_seed",
        )

    @precondition(lambda self: bool(self.contests))
    @rule(
        pick=_PICK,
        entries=st.lists(
            st.tuples(
                st.sampled_from(_ENTRANTS),
                st.integers(-48, 48),
                st.none() | st.integers(12, 40),
            ),
            min_size=1,
            max_size=4,
        ),
    )
    def enter_contest(self, pick: int, entries: list[tuple[str, int, int | None]]) -> None:
        """Entries come in from an export: some twice, some late, some too young."""
        self._step("enter_contest")
        contest = self._pick(self.contests, pick)
        assert contest is not None
        now = self.clock.now()
        records = [
            ContestEntryRecord(
                handle=handle, platform="instagram", entered_at=now.add(hours=hours), age=age
            )
            for handle, hours, age in entries
        ]
        self._call(
            lambda side: side.ws.contests.import_entries(
                self._who("manager"), contest, ListEntrySource(records)
            ),
            what="contests.import_entries",
        )

    @precondition(lambda self: bool(self.contests))
    @rule(pick=_PICK, right=st.sampled_from([True, True, False]))
    def draw(self, pick: int, right: bool) -> None:
        """The brand reveals its seed and draws (a wrong seed is refused)."""
        self._step("draw")
        contest = self._pick(self.contests, pick)
        assert contest is not None
        seed = _seed(contest) if right else "not-the-committed-seed"
        self._call(
            lambda side: side.ws.contests.draw(self._who("manager"), contest, seed),
            what="contests.draw",
        )
        self._call(
            lambda side: side.ws.contests.notify_winners(self._who("manager"), contest),
            what="contests.notify_winners",
        )

    @precondition(lambda self: bool(self.brand_events) and bool(self.creators))
    @rule(actor=_MANAGER_OR_OTHER, pick=_PICK, who=st.lists(_PICK, min_size=1, max_size=3))
    def invite(self, actor: str, pick: int, who: list[int]) -> None:
        """The brand invites creators to its event."""
        self._step("invite")
        event = self._pick(self.brand_events, pick)
        assert event is not None
        creators = [c for c in (self._pick(self.creators, w) for w in who) if c is not None]
        self._call(
            lambda side: side.ws.events.invite(self._who(actor), event, creators),
            what="events.invite",
        )

    @precondition(lambda self: bool(self.brand_events) and bool(self.creators))
    @rule(
        actor=st.sampled_from(["creator", "creator", "manager", "other"]),
        pick=_PICK,
        who=_PICK,
        accept=st.sampled_from([True, True, False]),
        plus_ones=st.integers(0, 2),
    )
    def rsvp(self, actor: str, pick: int, who: int, accept: bool, plus_ones: int) -> None:
        """A guest answers (or someone else tries to for them)."""
        self._step("rsvp")
        event, creator = self._pick(self.brand_events, pick), self._pick(self.creators, who)
        assert event is not None
        assert creator is not None
        self._call(
            lambda side: side.ws.events.respond(
                self._who(actor, creator), event, creator, accept=accept, plus_ones=plus_ones
            ),
            what="events.respond",
        )

    @precondition(lambda self: bool(self.brand_events))
    @rule(pick=_PICK, who=_PICK, capacity=st.integers(1, 5))
    def at_the_event(self, pick: int, who: int, capacity: int) -> None:
        """The brand resizes the event, or a guest checks in (only during it)."""
        self._step("at_the_event")
        event = self._pick(self.brand_events, pick)
        creator = self._pick(self.creators, who)
        assert event is not None
        self._call(
            lambda side: side.ws.events.resize(self._who("manager"), event, capacity),
            what="events.resize",
        )
        if creator is not None:
            self._call(
                lambda side: side.ws.events.check_in(self._who("manager"), event, creator),
                what="events.check_in",
            )

    @invariant()
    def events_hold_their_capacity(self) -> None:
        """No event has more places taken than it has; the first waitlisted never fits."""
        with self.sides[0].ws.store.unit_of_work(read_only=True) as uow:
            for event in uow.brand_events.find():
                assert event.taken <= event.capacity, f"{event.id} over capacity"
                waiting = event.waitlist
                assert not waiting or waiting[0].seats > event.free, f"{event.id} did not promote"
                accepted = event.having(RsvpStatus.ACCEPTED)
                assert all(g.waitlist_rank is None for g in accepted)

    @invariant()
    def draws_are_reproducible(self) -> None:
        """Every draw made is the draw of its revealed seed and eligible entry keys."""
        with self.sides[0].ws.store.unit_of_work(read_only=True) as uow:
            for contest in uow.contests.find():
                if contest.seed is None:
                    continue
                eligible = uow.contest_entries.find(
                    contest_id=contest.id, status=EntryStatus.ELIGIBLE.value
                )
                keys = {e.id: e.key for e in eligible}
                again = draw_winners(
                    contest.seed,
                    keys.values(),
                    winners=contest.winners_count,
                    reserves=contest.reserves_count,
                )
                assert again.winners == tuple(keys[i] for i in contest.winners)
                assert again.reserves == tuple(keys[i] for i in contest.reserves)
                assert seed_commitment(contest.seed) == contest.commitment
