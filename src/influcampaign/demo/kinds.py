"""Chapter 12: campaign kinds with their own mechanics — a small contest drawn from a
committed seed (and re-drawn by hand), and a launch evening with a waitlist, check-in and
coverage."""

from __future__ import annotations

import influcampaign as ic
from influcampaign.demo._story import PARIS, Story

__all__ = ["run_contest", "run_event"]

_SEED = "maison-verte-giveaway-demo-seed-2026"
"""The brand's secret seed (a real brand draws it at random and keeps it until the draw)."""

_EXPORT = """username,timestamp,country,age
@jardin.de.lou,{d1},FR,34
petit.pois,{d2},FR,27
jardin.de.lou,{d3},FR,34
basilic_max,{d4},BE,19
camille.b,{d5},CH,41
theo.graines,{d6},FR,15
"""
"""The comments export of the creator's giveaway post: one duplicate entrant, one country
and one age the rules exclude."""


def run_contest(story: Story, creator: ic.Creator) -> None:
    """A giveaway through ``creator``: rules, committed seed, entries from an export (with
    their rejections), the draw, the same draw re-run by hand, the winner told and shipped."""
    ws, clock, manager, say = story.ws, story.clock, story.manager, story.say
    start = clock.now().in_timezone(PARIS).start_of("day")
    giveaway = ws.campaigns.create(
        manager,
        brand_id="maison-verte",
        brand_name="Maison Verte",
        name="Giveaway potager",
        kind="contest",
        mode="project",
        start=start,
        end=start.add(days=30),
        timezone=PARIS,
        hashtags=["#PotagerVerte"],
    )
    joined = ws.participations.add(manager, giveaway.id, creator.id)
    ws.participations.confirm(manager, joined.id)
    ws.campaigns.start(manager, giveaway.id)
    contest = ws.contests.create(
        manager,
        giveaway.id,
        rules=ic.RulesDocument("https://maison-verte.example/reglement", "2026-1"),
        jurisdictions=["FR"],
        closes_at=start.add(days=7, hours=23, minutes=59),
        prize="un kit potager",
        winners=1,
        reserves=1,
        eligibility=ic.EligibilityPolicy(countries=["FR", "BE"], minimum_age=18),
    )
    ws.contests.commit_seed(manager, contest.id, ic.seed_commitment(_SEED))
    say("")
    closes = contest.window.end.in_timezone(PARIS).format("D MMM HH:mm")
    say(f"Contest {contest.id}: {contest.prize}, entries until {closes}")
    say(f"  seed committed: sha256 {ws.contests.get(manager, contest.id).commitment}")
    post = ws.submissions.submit(
        ic.CreatorUser(creator.id),
        joined.id,
        url="https://instagram.com/p/giveaway-potager",
        platform="instagram",
        format="post",
        published_at=clock.now(),
        caption="Publicité — Je vous fais gagner un kit potager #PotagerVerte ! Jeu gratuit "
        "sans obligation d'achat, règlement : maison-verte.example/reglement",
        on_screen_text="Publicité",
        metrics={"reach": 5_200},
    )
    check = post.brief_check
    assert check is not None  # a submission is checked as it comes in
    found = ", ".join(r.label for r in check.results if r.kind.value.startswith("contest"))
    say(f"  brief check of the post: {check.suggested_compliance}% ({found} found)")
    days = [
        start.add(days=d, hours=h).isoformat()
        for d, h in ((1, 10), (1, 12), (2, 9), (3, 18), (4, 8), (5, 20))
    ]
    export = _EXPORT.format(**{f"d{i + 1}": day for i, day in enumerate(days)})
    batch = ws.contests.import_entries(
        manager,
        contest.id,
        ic.CsvEntrySource(export, platform="instagram", post_url=post.url),
    )
    say(f"  {len(batch.added)} entries: {batch.eligible} eligible, {batch.rejected} rejected")
    for entry in batch.added:
        if entry.reason is not None:
            say(f"    rejected {entry.handle}: {entry.reason.value} ({entry.detail})")
    clock.set(contest.window.end.add(hours=10))
    drawn = ws.contests.draw(manager, contest.id, _SEED)
    entries = {e.id: e for e in ws.contests.entries(manager, contest.id)}
    winners = [entries[i].handle for i in drawn.winners]
    reserves = [entries[i].handle for i in drawn.reserves]
    say(f"  drawn with the revealed seed: winner {winners}, reserve {reserves}")
    by_hand = ic.draw_winners(
        _SEED, ws.contests.entry_list(manager, contest.id), winners=1, reserves=1
    )
    same = by_hand.winners == tuple(entries[i].key for i in drawn.winners)
    verdict = "same winner" if same else "DIFFERENT"
    say(f"  re-drawn by hand from the seed and the published list: {verdict}")
    [told] = ws.contests.notify_winners(manager, contest.id)
    prize = ws.contests.ship_prize(
        manager, told.id, [ic.ShipmentItem("Kit potager", 1, ic.Money.of("39.00", "EUR"))]
    )
    prize = ws.shipments.ship(manager, prize.id, carrier="Colissimo", tracking_number="6A0042")
    say(f"  {told.handle} told; prize {prize.id} {prize.status.value} to {prize.recipient}")
    for line in ws.contests.report(manager, contest.id).lines:
        say(
            f"  {line.creator_name}: {line.entries} entries ({line.eligible} eligible), "
            f"reach {line.reach}, {line.entries_per_thousand_reach} per 1,000 reached"
        )


def run_event(story: Story, creators: list[ic.Creator]) -> None:
    """A launch evening for two places: three RSVPs (one waitlisted), a decline that
    promotes the waitlisted guest, reminders, check-in and the coverage delivered."""
    ws, clock, manager, say = story.ws, story.clock, story.manager, story.say
    first, second, third = creators[:3]
    start = clock.now().in_timezone(PARIS).start_of("day")
    launch = ws.campaigns.create(
        manager,
        brand_id="maison-verte",
        brand_name="Maison Verte",
        name="Soirée de lancement",
        kind="event",
        mode="project",
        start=start,
        end=start.add(days=30),
        timezone=PARIS,
        policies=ic.CampaignPolicies(
            kinds=ic.KindPolicy(
                event_coverage=(ic.CoverageItem("instagram", "story", 2),),
                event_reminder_days=(2,),
            )
        ),
    )
    ws.campaigns.start(manager, launch.id)
    evening = ws.events.schedule(
        manager,
        launch.id,
        name="Soirée Verte",
        starts_at=start.add(days=10, hours=19),
        ends_at=start.add(days=10, hours=22),
        venue=ic.Venue("Serre de la Villette", "211 av. Jean-Jaurès, Paris"),
        capacity=2,
        max_plus_ones=0,
    )
    evening = ws.events.invite(manager, evening.id, [c.id for c in (first, second, third)])
    say("")
    when = evening.local_start.format("ddd D MMM HH:mm")
    say(f"Event {evening.id}: {evening.name}, {when} at {evening.venue.location}")
    say(f"  {evening.capacity} places, invited: {len(evening.guests)}")
    for creator in (first, second, third):
        guest = ws.events.respond(ic.CreatorUser(creator.id), evening.id, creator.id, accept=True)
        say(f"  {creator.display_name} accepts: {guest.status.value}")
    ws.events.respond(ic.CreatorUser(first.id), evening.id, first.id, accept=False)
    evening = ws.events.get(manager, evening.id)
    status = evening.guest(third.id).status.value
    say(f"  {first.display_name} declines: {third.display_name} is {status} from the waitlist")
    clock.set(evening.starts_at.subtract(days=2))
    ws.scheduler.run(ic.SystemActor())
    reminded = [
        m.event.creator_id  # type: ignore[attr-defined]
        for m in ws.store.outbox.all()
        if m.event.type == "EventReminderSent"
    ]
    names = {c.id: c.display_name for c in creators}
    say(f"  two days before, the scheduler reminds: {', '.join(names[c] for c in reminded)}")
    clock.set(evening.starts_at.add(minutes=15))
    for creator in (second, third):
        ws.events.check_in(manager, evening.id, creator.id)
    guest_in = evening.guest(third.id).participation_id
    [stories] = ws.deliverables.list(manager, guest_in)
    for n in range(2):
        ws.submissions.submit(
            ic.CreatorUser(third.id),
            guest_in,
            url=f"https://instagram.com/stories/{third.id}/{n}",
            platform="instagram",
            format="story",
            published_at=clock.now(),
            deliverable_id=stories.id,
        )
    attendance = ws.events.attendance(manager, evening.id)
    say(f"  checked in: {attendance.checked_in} of {attendance.accepted} accepted")
    for line in ws.events.coverage(manager, evening.id):
        say(f"  coverage {line.creator_name}: {line.delivered} of {line.expected} stories")
