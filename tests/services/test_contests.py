"""Contests: eligibility with reasons, the committed seed, the reproducible draw on every
backend, winners told and prizes shipped, entries per creator, and the legal frames the
brief check applies."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.domain.contest_draw import MIN_SEED_LENGTH
from influcampaign.domain.shipment import ShipmentItem
from tests.conftest import MANAGER, postgres
from tests.test_races import RACERS, TRIALS, Race, Tally, _unexpected

PARIS = "Europe/Paris"
SEED = "a-secret-seed-for-the-tests-2026"
CLOSES = pendulum.datetime(2026, 3, 15, 23, 59, tz=PARIS)
POST = "https://instagram.com/p/spring1"
KEYS = st.lists(st.text(min_size=1, max_size=12), unique=True, max_size=30)


def record(
    handle: str,
    day: int,
    *,
    country: str | None = "FR",
    age: int | None = 30,
    post_url: str | None = POST,
) -> ic.ContestEntryRecord:
    """An Instagram entry on ``day`` March 2026 at noon in Paris (through the test post)."""
    return ic.ContestEntryRecord(
        handle=handle,
        platform="instagram",
        entered_at=pendulum.datetime(2026, 3, day, 12, tz=PARIS),
        post_url=post_url,
        country=country,
        age=age,
    )


def setup(ws: ic.Workspace, **contest: object) -> tuple[ic.Campaign, ic.Contest, str]:
    """A running contest campaign with Léa (instagram: lea.verte) confirmed and her post
    submitted, and its contest (FR, closing 15 March, 1 winner and 2 reserves)."""
    lea = ws.creators.register(MANAGER, "Léa", handles={"instagram": "lea.verte"})
    campaign = ws.campaigns.create(
        MANAGER,
        brand_id="acme",
        brand_name="Acme",
        name="Spring giveaway",
        kind="contest",
        mode="project",
        start=pendulum.datetime(2026, 3, 2, tz=PARIS),
        end=pendulum.datetime(2026, 4, 30, tz=PARIS),
        timezone=PARIS,
    )
    pid = ws.participations.add(MANAGER, campaign.id, lea.id).id
    ws.participations.confirm(MANAGER, pid)
    ws.campaigns.start(MANAGER, campaign.id)
    ws.submissions.submit(
        ic.CreatorUser(lea.id),
        pid,
        url=POST,
        platform="instagram",
        format="post",
        published_at=ws.clock.now(),
        caption="Jeu gratuit, règlement en bio",
        metrics={"reach": 4_000},
    )
    options: dict[str, object] = {
        "rules": ic.RulesDocument("https://acme.example/reglement", "v1"),
        "jurisdictions": ["FR"],
        "closes_at": CLOSES,
        "prize": "a kit",
        "winners": 1,
        "reserves": 2,
        **contest,
    }
    made = ws.contests.create(MANAGER, campaign.id, **options)  # type: ignore[arg-type]
    return campaign, made, pid


class TestDrawWinners:
    @given(keys=KEYS, order=st.randoms(use_true_random=False), winners=st.integers(0, 5))
    def test_the_draw_depends_on_the_seed_and_the_set_of_keys_only(
        self, keys: list[str], order: object, winners: int
    ) -> None:
        """The same seed and the same entries, in any order, draw the same winners and
        reserves in the same order."""
        shuffled = list(keys)
        order.shuffle(shuffled)  # type: ignore[attr-defined]
        first = ic.draw_winners(SEED, keys, winners=winners, reserves=3)
        again = ic.draw_winners(SEED, shuffled, winners=winners, reserves=3)
        assert first == again

    @given(keys=KEYS, winners=st.integers(0, 5), reserves=st.integers(0, 5))
    def test_winners_and_reserves_are_distinct_entries(
        self, keys: list[str], winners: int, reserves: int
    ) -> None:
        """Winners then reserves are distinct entries of the list, as many as asked for (or
        all there are)."""
        draw = ic.draw_winners(SEED, keys, winners=winners, reserves=reserves)
        drawn = [*draw.winners, *draw.reserves]
        assert len(set(drawn)) == len(drawn) == min(len(keys), winners + reserves)
        assert set(drawn) <= set(keys)
        assert len(draw.winners) == min(len(keys), winners)

    @given(keys=KEYS)
    def test_more_winners_extend_the_order_of_fewer(self, keys: list[str]) -> None:
        """The draw is one ranking: the reserves come right after the winners in it."""
        ranking = ic.draw_winners(SEED, keys, winners=len(keys)).winners
        draw = ic.draw_winners(SEED, keys, winners=1, reserves=2)
        assert (*draw.winners, *draw.reserves) == ranking[:3]

    def test_an_entry_given_twice_is_refused(self) -> None:
        """A key listed twice would be drawn twice: refused."""
        with pytest.raises(ic.ValidationError, match="more than once"):
            ic.draw_winners(SEED, ["a", "a"], winners=1)

    def test_a_short_seed_is_refused(self) -> None:
        """A seed short enough to guess cannot be committed to."""
        with pytest.raises(ic.ValidationError, match="seed"):
            ic.seed_commitment("x" * (MIN_SEED_LENGTH - 1))


class TestEligibility:
    def test_every_rejection_has_its_reason(self, ws: ic.Workspace) -> None:
        """Outside the window, a second entry, the staff, the campaign's creator, a country
        and an age the rules exclude are rejected, each saying why; the rest are eligible."""
        _, contest, _ = setup(
            ws,
            eligibility=ic.EligibilityPolicy(
                countries=["FR"], minimum_age=18, excluded_handles=["@Staff.Acme"]
            ),
        )
        batch = ws.contests.import_entries(
            MANAGER,
            contest.id,
            ic.ListEntrySource(
                [
                    record("ana", 3),
                    record("@ANA", 4),
                    record("staff.acme", 4),
                    record("lea.verte", 5),
                    record("tom", 5, country="US"),
                    record("kim", 5, country=None),
                    record("zoe", 6, age=16),
                    record("max", 6, age=None),
                    record("late", 20),
                ]
            ),
        )
        reasons = [(e.handle, e.reason and e.reason.value) for e in batch.added]
        assert reasons == [
            ("ana", None),
            ("ana", "duplicate"),
            ("staff.acme", "staff"),
            ("lea.verte", "creator"),
            ("tom", "country"),
            ("kim", "country"),
            ("zoe", "age"),
            ("max", "age"),
            ("late", "outside_window"),
        ]
        assert all(e.detail for e in batch.added if e.status is ic.EntryStatus.REJECTED)
        assert (batch.eligible, batch.rejected) == (1, 8)

    def test_several_entries_per_person_when_the_rules_allow(self, ws: ic.Workspace) -> None:
        """Without one-entry-per-person, each distinct entry of a person counts."""
        _, contest, _ = setup(ws, eligibility=ic.EligibilityPolicy(one_entry_per_person=False))
        batch = ws.contests.import_entries(
            MANAGER, contest.id, [record("ana", 3), record("ana", 4)]
        )
        assert batch.eligible == 2

    def test_importing_again_adds_only_what_is_new(self, ws: ic.Workspace) -> None:
        """An entry already in (same person, time and post) is skipped, not rejected."""
        _, contest, _ = setup(ws)
        ws.contests.import_entries(MANAGER, contest.id, [record("ana", 3)])
        again = ws.contests.import_entries(MANAGER, contest.id, [record("ana", 3), record("bo", 3)])
        assert (again.already_in, len(again.added), again.eligible) == (1, 1, 1)

    def test_a_second_writer_cannot_add_a_second_eligible_entry(self, ws: ic.Workspace) -> None:
        """One eligible entry per person is the store's to hold: adding a second one with the
        same unique key is refused by the store itself."""
        _, contest, _ = setup(ws)
        entry = ws.contests.enter(MANAGER, contest.id, record("ana", 3))
        now = ws.clock.now()
        twin = ic.ContestEntry.receive(
            now, contest, record("ana", 4), id="ent_twin", entered_before=False, creators=()
        )
        assert twin.unique_key == entry.unique_key
        with pytest.raises(ic.AlreadyExists), ws.store.unit_of_work() as uow:
            uow.contest_entries.add(twin)

    def test_a_spreadsheet_export_with_a_byte_order_mark_reads(self) -> None:
        """Spreadsheets write a byte order mark before the header: the columns still read."""
        source = ic.CsvEntrySource(
            "\ufeffUsername,Timestamp\r\n@Ana,2026-03-03T10:00:00+01:00\r\n", platform="tiktok"
        )
        [entry] = list(source.entries())
        assert (entry.handle, entry.platform.value, entry.person) == ("ana", "tiktok", "tiktok:ana")

    def test_the_csv_export_names_its_bad_line(self) -> None:
        """A row of an export that is not an entry is refused with its line number."""
        source = ic.CsvEntrySource("username,timestamp\nana,yesterday\n", platform="instagram")
        with pytest.raises(ic.ValidationError, match="csv line 2"):
            list(source.entries())
        with pytest.raises(ic.ValidationError, match="no entered_at column"):
            list(ic.CsvEntrySource("username\nana\n").entries())


class TestDraw:
    def test_the_draw_re_runs_from_the_seed_and_the_list_on_every_backend(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """The winners drawn are those anyone gets from the revealed seed and the published
        entry list — the same handles, in the same order, on every backend."""
        _, contest, _ = setup(ws)
        ws.contests.commit_seed(MANAGER, contest.id, ic.seed_commitment(SEED))
        handles = ["ana", "bob", "cleo", "dev", "eli", "fay"]
        ws.contests.import_entries(
            MANAGER, contest.id, [record(h, 3 + i) for i, h in enumerate(handles)]
        )
        clock.set(CLOSES.add(minutes=1))
        drawn = ws.contests.draw(MANAGER, contest.id, SEED)
        published = ws.contests.entry_list(MANAGER, contest.id)
        again = ic.draw_winners(SEED, published, winners=1, reserves=2)
        entries = {e.id: e for e in ws.contests.entries(MANAGER, contest.id)}
        assert again.winners == tuple(entries[i].key for i in drawn.winners)
        assert again.reserves == tuple(entries[i].key for i in drawn.reserves)
        assert ic.entry_list_digest(published) == drawn.entry_list_digest
        order = [entries[i].handle for i in (*drawn.winners, *drawn.reserves)]
        assert order == ["cleo", "fay", "eli"]  # fixed by the seed and the list alone

    def test_a_seed_that_does_not_match_its_commitment_is_refused(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """Revealing another seed than the one committed to draws nothing."""
        _, contest, _ = setup(ws)
        ws.contests.commit_seed(MANAGER, contest.id, ic.seed_commitment(SEED))
        ws.contests.enter(MANAGER, contest.id, record("ana", 3))
        clock.set(CLOSES.add(minutes=1))
        with pytest.raises(ic.ValidationError, match="does not match the commitment"):
            ws.contests.draw(MANAGER, contest.id, SEED + "-changed")
        assert not ws.contests.get(MANAGER, contest.id).drawn

    def test_the_commitment_comes_before_the_close_and_the_draw_after(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """No draw while entries are open or without a commitment, no commitment after the
        close, no second draw, and no entry once drawn."""
        _, contest, _ = setup(ws)
        with pytest.raises(ic.InvalidTransition):
            ws.contests.draw(MANAGER, contest.id, SEED)
        ws.contests.commit_seed(MANAGER, contest.id, ic.seed_commitment(SEED))
        with pytest.raises(ic.InvalidTransition, match="entries open"):
            ws.contests.draw(MANAGER, contest.id, SEED)
        with pytest.raises(ic.InvalidTransition, match="seed committed"):
            ws.contests.commit_seed(MANAGER, contest.id, ic.seed_commitment(SEED))
        clock.set(CLOSES.add(minutes=1))
        ws.contests.draw(MANAGER, contest.id, SEED)
        with pytest.raises(ic.InvalidTransition, match="drawn"):
            ws.contests.draw(MANAGER, contest.id, SEED)
        with pytest.raises(ic.InvalidTransition, match="drawn"):
            ws.contests.enter(MANAGER, contest.id, record("late", 4))

    def test_no_commitment_after_the_window_closed(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """A seed committed after seeing the entries would prove nothing: refused."""
        _, contest, _ = setup(ws)
        clock.set(CLOSES)
        with pytest.raises(ic.InvalidTransition, match="entries closed"):
            ws.contests.commit_seed(MANAGER, contest.id, ic.seed_commitment(SEED))


class TestWinners:
    def test_winners_are_told_once_and_their_prize_ships_without_reminders(
        self, ws: ic.Workspace, clock: ic.FrozenClock
    ) -> None:
        """Each winner is told once with the template's text; the prize is a shipment to
        the winner under the creator's participation, and its delivery reminds no one."""
        _, contest, pid = setup(ws)
        ws.messages.save_template(
            MANAGER,
            brand_id="acme",
            kind="contest_winner",
            name="Winner",
            body="Bravo @{winner_handle}, you win {prize}!",
        )
        ws.contests.commit_seed(MANAGER, contest.id, ic.seed_commitment(SEED))
        ws.contests.enter(MANAGER, contest.id, record("ana", 3))
        clock.set(CLOSES.add(minutes=1))
        ws.contests.draw(MANAGER, contest.id, SEED)
        [told] = ws.contests.notify_winners(MANAGER, contest.id)
        assert ws.contests.notify_winners(MANAGER, contest.id) == []
        sent = [m.event for m in ws.store.outbox.all() if m.event.type == "ContestWinnerNotified"]
        assert [e.text for e in sent] == ["Bravo @ana, you win a kit!"]  # type: ignore[attr-defined]
        prize = ws.contests.ship_prize(
            MANAGER, told.id, [ShipmentItem("Kit", 1, ic.Money.of("49", "EUR"))]
        )
        assert (prize.participation_id, prize.recipient) == (pid, "instagram:@ana")
        ws.shipments.ship(MANAGER, prize.id, carrier="Colissimo")
        ws.shipments.deliver(MANAGER, prize.id)
        assert ws.messages.thread(MANAGER, pid) == []
        pending = ws.scheduler.pending(ic.SystemActor(), subject_id=pid)
        assert [j for j in pending if j.kind.value == "publication_reminder"] == []

    def test_only_a_winner_gets_a_prize(self, ws: ic.Workspace, clock: ic.FrozenClock) -> None:
        """A reserve (or any entrant not drawn as a winner) gets no prize shipment."""
        _, contest, _ = setup(ws)
        ws.contests.commit_seed(MANAGER, contest.id, ic.seed_commitment(SEED))
        ws.contests.import_entries(MANAGER, contest.id, [record("ana", 3), record("bob", 3)])
        clock.set(CLOSES.add(minutes=1))
        drawn = ws.contests.draw(MANAGER, contest.id, SEED)
        with pytest.raises(ic.InvalidTransition, match="not a winner"):
            ws.contests.ship_prize(
                MANAGER, drawn.reserves[0], [ShipmentItem("Kit", 1, ic.Money.of("49", "EUR"))]
            )

    def test_the_report_counts_entries_and_reach_per_creator(self, ws: ic.Workspace) -> None:
        """Entries through a creator's post count for that creator, beside its reach; the
        others are unattributed; rejections are counted by reason."""
        _, contest, _ = setup(ws)
        ws.contests.import_entries(
            MANAGER,
            contest.id,
            [record("ana", 3), record("ana", 4), record("bob", 5, post_url=None)],
        )
        report = ws.contests.report(MANAGER, contest.id)
        [line] = report.lines
        assert (line.creator_name, line.entries, line.eligible, line.reach) == ("Léa", 2, 1, 4000)
        assert str(line.entries_per_thousand_reach) == "0.50"
        assert (report.unattributed, report.entries, report.eligible) == (1, 3, 2)
        assert report.rejected == {"duplicate": 1}


class TestLegalFrames:
    def brief(self, jurisdiction: str, caption: str) -> dict[str, str]:
        campaign = ic.Campaign(
            id="cmp_x",
            brand_id="acme",
            name="Giveaway",
            kind="contest",
            mode="project",
            window=ic.DateWindow(
                pendulum.datetime(2026, 3, 1, tz=PARIS),
                pendulum.datetime(2026, 4, 1, tz=PARIS),
                PARIS,
            ),
        )
        contest = ic.Contest.create(
            pendulum.datetime(2026, 3, 1, tz=PARIS),
            campaign,
            rules=ic.RulesDocument("https://acme.example/rules", "v1"),
            jurisdictions=[jurisdiction],
            window=campaign.window,
            prize="a kit",
        )
        report = ic.BriefCheck.for_campaign(campaign, contest=contest).check(caption)
        return {r.label: r.verdict.value for r in report.results if "(" in r.label}

    def test_us_needs_no_purchase_necessary_and_void_where_prohibited(self) -> None:
        """A US sweepstakes post must say both; each missing one is named."""
        assert self.brief("US", "#ad Win! No purchase necessary. Void where prohibited.") == {
            "no purchase necessary (US)": "found",
            "void where prohibited (US)": "found",
        }
        assert self.brief("US", "#ad Win! No purchase necessary.")[
            "void where prohibited (US)"
        ] == ("missing")

    def test_uk_wants_its_significant_conditions_upfront(self) -> None:
        """In the UK the closing date and who may enter must come before "more"."""
        upfront = "#ad Giveaway! UK 18+ only, closes 15 March. " + "Lovely kit. " * 20
        late = "#ad Giveaway! " + "Lovely kit. " * 20 + "UK 18+ only, closes 15 March."
        assert set(self.brief("UK", upfront).values()) == {"found"}
        assert set(self.brief("UK", late).values()) == {"missing"}

    def test_france_wants_the_rules_and_no_purchase(self) -> None:
        """A jeu-concours says «rÚglement» and «sans obligation d'achat» (or «jeu gratuit»)."""
        assert self.brief(
            "FR", "Publicité — jeu gratuit sans obligation d'achat, règlement ici"
        ) == {
            "rules available (FR)": "found",
            "no purchase required (FR)": "found",
        }

    def test_the_contest_disclosure_follows_its_jurisdiction(self) -> None:
        """Without a jurisdiction in the brief, a contest is checked for its own's disclosure."""
        campaign = ic.Campaign(
            id="cmp_x",
            brand_id="acme",
            name="Giveaway",
            kind="contest",
            mode="project",
            window=ic.DateWindow(
                pendulum.datetime(2026, 3, 1, tz=PARIS),
                pendulum.datetime(2026, 4, 1, tz=PARIS),
                PARIS,
            ),
        )
        contest = ic.Contest.create(
            pendulum.datetime(2026, 3, 1, tz=PARIS),
            campaign,
            rules=ic.RulesDocument("https://acme.example/rules", "v1"),
            jurisdictions=["US"],
            window=campaign.window,
            prize="a kit",
        )
        report = ic.BriefCheck.for_campaign(campaign, contest=contest).check("Win a kit")
        assert report.result(ic.RequirementKind.DISCLOSURE).verdict is ic.BriefVerdict.MISSING
        assert report.result(ic.RequirementKind.CONTEST_RULES).verdict is ic.BriefVerdict.MISSING
        cited = ic.BriefCheck.for_campaign(campaign, contest=contest).check("acme.example/rules")
        assert cited.result(ic.RequirementKind.CONTEST_RULES).verdict is ic.BriefVerdict.FOUND


# -- one eligible entry per person, with several processes importing at once -----------------


def _enter(ws: ic.Workspace, contest_id: str, handle: str, day: int) -> str:
    return ws.contests.enter(MANAGER, contest_id, record(handle, day)).status.value


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def race(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Race]:
    """Racers on an SQLite file, then on a PostgreSQL database of their own."""
    backend = str(request.param)
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('contests') / 'contests.sqlite'}"
    else:
        url = postgres().fresh()
    racers = Race(backend, url)
    yield racers
    racers.close()


class TestEntryRace:
    def test_one_person_entering_from_four_processes_has_one_eligible_entry(
        self, race: Race
    ) -> None:
        """Four processes take four entries of one person at once: one is eligible, the
        others are kept as rejected duplicates (the store's unique key holds the rule)."""
        tally = Tally(race, "one-entry-per-person")
        for _ in range(TRIALS):
            _, contest, _ = setup(race.ws)
            outcomes = race.run(
                "one-entry-per-person",
                *[(_enter, (contest.id, "ana", 3 + n)) for n in range(RACERS)],
            )
            kept = race.ws.contests.entries(MANAGER, contest.id)
            statuses = Counter(e.status.value for e in kept)
            tally.trial(
                [
                    *_unexpected(outcomes, {"ok"}),
                    *([f"statuses {dict(statuses)}"] if statuses["eligible"] != 1 else []),
                    *([f"{len(kept)} entries kept"] if len(kept) != RACERS else []),
                ]
            )
        tally.check()
