"""Brand events: the guest list's rules (capacity, first-come waitlist, plus-ones) as
properties, the use cases on every backend (coverage, reminders, check-in, calendar), and
two processes accepting the last place at once on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.domain.participation import Participation, ParticipationSource
from tests.conftest import MANAGER, T0, postgres
from tests.test_races import RACERS, TRIALS, Race, Tally, _unexpected

PARIS = "Europe/Paris"
STARTS = pendulum.datetime(2026, 4, 9, 19, tz=PARIS)
SYSTEM = ic.SystemActor()


def campaign_of(kind: str = "event") -> ic.Campaign:
    """An event campaign (not stored)."""
    return ic.Campaign(
        id="cmp_e",
        brand_id="acme",
        name="Launch",
        kind=kind,
        mode="project",
        window=ic.DateWindow(T0, T0.add(days=60), PARIS),
    )


def event_of(capacity: int, guests: int, max_plus_ones: int = 2) -> ic.BrandEvent:
    """An event with ``guests`` invited creators ``c0`` …"""
    campaign = campaign_of()
    event = ic.BrandEvent.schedule(
        T0,
        campaign,
        name="Soirée",
        starts_at=STARTS,
        ends_at=STARTS.add(hours=4),
        timezone=PARIS,
        venue=ic.Venue("Atelier"),
        capacity=capacity,
        max_plus_ones=max_plus_ones,
    )
    for n in range(guests):
        participation = Participation.add(T0, campaign, f"c{n}", ParticipationSource.MANUAL)
        event.invite(T0, participation)
    return event


ANSWERS = st.lists(
    st.tuples(
        st.sampled_from(["answer", "answer", "answer", "resize"]),
        st.integers(0, 5),
        st.booleans(),
        st.integers(0, 2),
    ),
    max_size=30,
)


class TestGuestList:
    @given(capacity=st.integers(1, 6), answers=ANSWERS)
    def test_capacity_is_never_exceeded_and_a_freed_place_goes_to_the_first_waitlisted(
        self, capacity: int, answers: list[tuple[str, int, bool, int]]
    ) -> None:
        """Whatever the answers and resizes: places taken never exceed the capacity, the
        guests promoted are always the head of the waitlist in its order, and afterwards the
        first waitlisted guest's party does not fit."""
        event = event_of(capacity, 6)
        for what, who, accept, number in answers:
            before = [g.creator_id for g in event.waitlist]
            try:
                if what == "resize":
                    promoted = event.resize(T0, max(event.taken, 1 + who))
                else:
                    _, promoted = event.respond(T0, f"c{who}", accept=accept, plus_ones=number)
            except (ic.InvalidTransition, ic.LimitReached, ic.ValidationError):
                continue
            ids = [g.creator_id for g in promoted]
            head = [c for c in before if c != f"c{who}" or what == "resize"]
            assert ids == head[: len(ids)], "promoted out of the waitlist's order"
            assert event.taken <= event.capacity
            waiting = event.waitlist
            assert not waiting or waiting[0].seats > event.free

    @given(capacity=st.integers(1, 4), parties=st.lists(st.integers(0, 2), max_size=8))
    def test_nobody_is_accepted_past_a_waitlisted_guest(
        self, capacity: int, parties: list[int]
    ) -> None:
        """Once someone waits, a newcomer waits behind them, even if their party would fit."""
        event = event_of(capacity, len(parties))
        for n, plus in enumerate(parties):
            waited = bool(event.waitlist)
            guest, _ = event.respond(T0, f"c{n}", accept=True, plus_ones=plus)
            if waited:
                assert guest.status is ic.RsvpStatus.WAITLISTED

    def test_a_decline_promotes_the_first_waitlisted_whose_party_fits(self) -> None:
        """Freeing two places promotes the first waitlisted; the next one, whose party of
        three does not fit the place left, keeps waiting (no one behind it jumps ahead)."""
        event = event_of(3, 4)
        event.respond(T0, "c0", accept=True, plus_ones=2)
        event.respond(T0, "c1", accept=True, plus_ones=0)
        event.respond(T0, "c2", accept=True, plus_ones=2)
        event.respond(T0, "c3", accept=True, plus_ones=0)
        assert [g.creator_id for g in event.waitlist] == ["c1", "c2", "c3"]
        _, promoted = event.respond(T0, "c0", accept=False)
        assert [g.creator_id for g in promoted] == ["c1"]
        assert [g.creator_id for g in event.waitlist] == ["c2", "c3"]
        assert event.free == 2

    def test_answers_are_checked(self) -> None:
        """Too many plus-ones, an unknown guest, a second answer after declining and a
        check-in before the doors open are refused."""
        event = event_of(3, 2, max_plus_ones=1)
        with pytest.raises(ic.ValidationError, match="plus_ones"):
            event.respond(T0, "c0", accept=True, plus_ones=2)
        with pytest.raises(ic.NotFound):
            event.respond(T0, "nobody", accept=True)
        event.respond(T0, "c1", accept=False)
        with pytest.raises(ic.InvalidTransition, match="declined"):
            event.respond(T0, "c1", accept=True)
        event.respond(T0, "c0", accept=True)
        with pytest.raises(ic.ValidationError, match="check-in"):
            event.check_in(T0, "c0")
        event.check_in(STARTS.subtract(hours=1), "c0")
        with pytest.raises(ic.InvalidTransition):
            event.respond(STARTS, "c0", accept=False)

    def test_only_an_event_campaign_has_an_event(self) -> None:
        """A seeding campaign cannot schedule a brand event."""
        with pytest.raises(ic.ValidationError, match="event"):
            ic.BrandEvent.schedule(
                T0,
                campaign_of("seeding"),
                name="x",
                starts_at=STARTS,
                ends_at=STARTS.add(hours=1),
                timezone=PARIS,
                venue=ic.Venue(online_url="https://meet.example/x"),
                capacity=1,
            )


def set_up(ws: ic.Workspace, capacity: int = 2, **kinds: object) -> tuple[ic.BrandEvent, list[str]]:
    """A running event campaign with a 4-hour event on 9 April 2026 in Paris and three
    invited creators (returned by id)."""
    campaign = ws.campaigns.create(
        MANAGER,
        brand_id="acme",
        brand_name="Acme",
        name="Launch",
        kind="event",
        mode="project",
        start=T0,
        end=T0.add(days=60),
        timezone=PARIS,
        policies=ic.CampaignPolicies(kinds=ic.KindPolicy(**kinds)),  # type: ignore[arg-type]
    )
    ws.campaigns.start(MANAGER, campaign.id)
    event = ws.events.schedule(
        MANAGER,
        campaign.id,
        name="Soirée",
        starts_at=STARTS,
        ends_at=STARTS.add(hours=4),
        venue=ic.Venue("Atelier", "12 rue des Plantes"),
        capacity=capacity,
    )
    creators = [ws.creators.register(MANAGER, name).id for name in ("Nora", "Sami", "Jade")]
    ws.events.invite(MANAGER, event.id, creators)
    return event, creators


class TestEventService:
    def test_rsvp_waitlist_promotion_and_participations(self, ws: ic.Workspace) -> None:
        """Accepting confirms the participation, the third is waitlisted, a decline drops the
        guest and promotes the waitlisted one, whose participation is confirmed in turn."""
        event, (nora, sami, jade) = set_up(ws)
        for creator in (nora, sami, jade):
            ws.events.respond(ic.CreatorUser(creator), event.id, creator, accept=True)
        assert ws.events.get(MANAGER, event.id).guest(jade).status is ic.RsvpStatus.WAITLISTED
        ws.events.respond(ic.CreatorUser(nora), event.id, nora, accept=False)
        event = ws.events.get(MANAGER, event.id)
        statuses = {
            p.creator_id: p.status.value for p in ws.participations.list(MANAGER, event.campaign_id)
        }
        assert event.guest(jade).status is ic.RsvpStatus.ACCEPTED
        assert statuses == {nora: "dropped", sami: "confirmed", jade: "confirmed"}
        promoted = [m.event for m in ws.store.outbox.all() if m.event.type == "GuestPromoted"]
        assert [e.creator_id for e in promoted] == [jade]  # type: ignore[attr-defined]

    def test_a_creator_answers_only_for_itself(self, ws: ic.Workspace) -> None:
        """Another creator cannot answer for a guest."""
        event, (nora, sami, _) = set_up(ws)
        with pytest.raises(ic.PermissionDenied):
            ws.events.respond(ic.CreatorUser(sami), event.id, nora, accept=True)

    def test_coverage_is_planned_by_the_policy_and_counted_delivered(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """An accepted guest owes the policy's coverage (a reel during the event here); a
        submission fulfilling it counts as delivered; a decline cancels it."""
        event, (nora, sami, _) = set_up(
            ws, event_coverage=[ic.CoverageItem("instagram", "reel", 1)], event_reminder_days=[2]
        )
        ws.events.respond(MANAGER, event.id, nora, accept=True)
        ws.events.respond(MANAGER, event.id, sami, accept=True)
        nora_in = ws.events.get(MANAGER, event.id).guest(nora).participation_id
        [reel] = ws.deliverables.list(MANAGER, nora_in)
        assert (str(reel.planned_on), str(reel.planned_time)) == ("2026-04-09", "19:00:00")
        clock.set(STARTS.add(minutes=30))
        ws.submissions.submit(
            ic.CreatorUser(nora),
            nora_in,
            url="https://instagram.com/reel/1",
            platform="instagram",
            format="reel",
            published_at=clock.now(),
            deliverable_id=reel.id,
        )
        lines = {
            line.creator_id: (line.expected, line.delivered)
            for line in ws.events.coverage(MANAGER, event.id)
        }
        assert lines == {nora: (1, 1), sami: (1, 0)}

    def test_reminders_go_to_accepted_guests_once(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """The scheduler reminds accepted guests the policy's days before (in the event's
        time zone), once however often it runs; a guest who declined meanwhile is not."""
        event, (nora, sami, _) = set_up(ws, event_reminder_days=[7, 1])
        ws.events.respond(MANAGER, event.id, nora, accept=True)
        ws.events.respond(MANAGER, event.id, sami, accept=True)
        ws.events.respond(MANAGER, event.id, sami, accept=False)
        clock.set(STARTS.subtract(days=7))
        ws.scheduler.run(SYSTEM)
        ws.scheduler.run(SYSTEM)
        clock.set(STARTS.subtract(days=1))
        ws.scheduler.run(SYSTEM)
        sent = [m.event for m in ws.store.outbox.all() if m.event.type == "EventReminderSent"]
        assert [(e.creator_id, e.days_before) for e in sent] == [(nora, 7), (nora, 1)]  # type: ignore[attr-defined]

    def test_check_in_and_attendance(self, ws: ic.Workspace, clock: ic.FrozenClock) -> None:
        """Guests check in during the event with the plus-ones who came; the others accepted
        are no-shows."""
        event, (nora, sami, _) = set_up(ws, capacity=4)
        ws.events.respond(MANAGER, event.id, nora, accept=True, plus_ones=1)
        ws.events.respond(MANAGER, event.id, sami, accept=True)
        clock.set(STARTS.add(minutes=10))
        ws.events.check_in(MANAGER, event.id, nora, plus_ones_present=1)
        attendance = ws.events.attendance(MANAGER, event.id)
        assert (attendance.checked_in, attendance.people_present, attendance.no_shows) == (
            1,
            2,
            (sami,),
        )
        assert (attendance.places_taken, attendance.no_answer) == (3, 1)

    def test_the_calendar_and_ics_show_the_event(self, ws: ic.Workspace) -> None:
        """The event is on its campaign's calendar at its local time, and a VEVENT with its
        venue in the .ics."""
        event, _ = set_up(ws)
        calendar = ws.calendar.for_campaigns(MANAGER, [event.campaign_id])
        [entry] = [e for e in calendar.entries if e.kind.value == "event"]
        assert (str(entry.day), str(entry.time), entry.minutes) == ("2026-04-09", "19:00:00", 240)
        ics = ws.calendar.ics(MANAGER, [event.campaign_id]).decode()
        assert f"UID:{event.id}@influcampaign" in ics
        assert "LOCATION:Atelier\\, 12 rue des Plantes" in ics

    def test_a_creator_out_of_the_campaign_is_not_invited(self, ws: ic.Workspace) -> None:
        """A creator whose participation was declined cannot be invited; inviting a guest
        again changes nothing."""
        event, (nora, _, _) = set_up(ws)
        outsider = ws.creators.register(MANAGER, "Ali").id
        pid = ws.participations.add(MANAGER, event.campaign_id, outsider).id
        ws.participations.decline(MANAGER, pid)
        with pytest.raises(ic.InvalidTransition, match="be invited"):
            ws.events.invite(MANAGER, event.id, [outsider])
        before = ws.events.get(MANAGER, event.id)
        assert ws.events.invite(MANAGER, event.id, [nora]) == before

    def test_invited_from_a_group(self, ws: ic.Workspace) -> None:
        """Every creator of a group is invited, once."""
        event, creators = set_up(ws)
        extra = ws.creators.register(MANAGER, "Ali").id
        group = ws.groups.create(
            MANAGER, brand_id="acme", name="VIP", creator_ids=[*creators, extra]
        )
        event = ws.events.invite_group(MANAGER, event.id, group.id)
        assert [g.creator_id for g in event.guests] == [*creators, extra]


# -- two processes accepting the last place at once -----------------------------------------


def _accept(ws: ic.Workspace, event_id: str, creator_id: str) -> str:
    return ws.events.respond(
        ic.CreatorUser(creator_id), event_id, creator_id, accept=True
    ).status.value


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def race(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Race]:
    """Racers on an SQLite file, then on a PostgreSQL database of their own."""
    backend = str(request.param)
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('events') / 'events.sqlite'}"
    else:
        url = postgres().fresh()
    racers = Race(backend, url)
    yield racers
    racers.close()


class TestCapacityRace:
    def test_accepting_at_once_never_exceeds_the_capacity(self, race: Race) -> None:
        """Four processes accept an event of two places at once: two are accepted, two
        waitlisted, never more (the guest list is saved with its version; a retry decides
        again against the new list)."""
        tally = Tally(race, "event-capacity")
        for _ in range(TRIALS):
            ws = race.ws
            campaign = ws.campaigns.create(
                MANAGER,
                brand_id="acme",
                name="Launch",
                kind="event",
                mode="project",
                start=T0,
                end=T0.add(days=60),
                timezone=PARIS,
            )
            event = ws.events.schedule(
                MANAGER,
                campaign.id,
                name="Soirée",
                starts_at=STARTS,
                ends_at=STARTS.add(hours=4),
                venue=ic.Venue("Atelier"),
                capacity=2,
            )
            creators = [ws.creators.register(MANAGER, f"Guest {n}").id for n in range(RACERS)]
            ws.events.invite(MANAGER, event.id, creators)
            outcomes = race.run("event-capacity", *[(_accept, (event.id, c)) for c in creators])
            after = ws.events.get(MANAGER, event.id)
            answers = Counter(o.detail for o in outcomes if o.kind == "ok")
            tally.trial(
                [
                    *_unexpected(outcomes, {"ok"}),
                    *([f"{after.taken} places taken of 2"] if after.taken != 2 else []),
                    *([f"answers {dict(answers)}"] if answers["accepted"] != 2 else []),
                    *(
                        [f"{len(after.waitlist)} waitlisted"]
                        if len(after.waitlist) != RACERS - 2
                        else []
                    ),
                ]
            )
        tally.check()
