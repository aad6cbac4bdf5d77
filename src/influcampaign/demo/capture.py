"""Chapter 10: a draft approved before publication; posts captured from a feed (two creators'
posts, a story, a stranger's post with the hashtag, a bad line); usage rights recorded."""

from __future__ import annotations

import datetime as dt

import influcampaign as ic
from influcampaign.demo._story import PARIS, Story

__all__ = ["capture_posts"]


def _feed(story: Story) -> list[dict[str, object]]:
    """Instagram-shaped media objects published over the last days (see docs/capture.md)."""
    now = story.clock.now()

    def at(hours_ago: int) -> str:
        return now.subtract(hours=hours_ago).in_timezone(PARIS).isoformat()

    return [
        {
            "id": "17900000000000001",
            "platform": "instagram",
            "permalink": "https://www.instagram.com/reel/LeaSemis/",
            "username": "lea.cooks",
            "caption": "Mes semis de printemps #PrintempsAuJardin avec @maisonverte",
            "media_type": "VIDEO",
            "media_product_type": "REELS",
            "timestamp": at(30),
            "metrics": {"plays": 6_200, "like_count": 540, "comments_count": 31, "reach": 5_900},
        },
        {
            "id": "17900000000000002",
            "platform": "instagram",
            "permalink": "https://www.instagram.com/p/HugoBalcon/",
            "username": "Hugo.Trails",
            "caption": "Un potager sur le balcon avant la rando #MaisonVerte",
            "media_type": "IMAGE",
            "timestamp": at(20),
            "metrics": {"like_count": 1_480, "comments_count": 52, "saved": 96},
        },
        {
            "id": "17900000000000003",
            "platform": "instagram",
            "permalink": "https://www.instagram.com/stories/lea.cooks/3/",
            "username": "lea.cooks",
            "caption": "Jour 3 des semis @maisonverte",
            "media_type": "IMAGE",
            "media_product_type": "STORY",
            "timestamp": at(5),
            "metrics": {"reach": 2_300, "taps_forward": 140},
        },
        {
            "id": "17900000000000004",
            "platform": "instagram",
            "permalink": "https://www.instagram.com/p/VoisineVerte/",
            "username": "la.voisine.verte",
            "caption": "Offert par une amie, trop bien #printempsaujardin",
            "media_type": "IMAGE",
            "timestamp": at(12),
            "metrics": {"like_count": 64, "reach": 1_100},
        },
        {
            "id": "17900000000000005",
            "platform": "instagram",
            "permalink": "https://www.instagram.com/p/Naive/",
            "username": "someone",
            "timestamp": "2026-03-30T10:00:00",
        },
    ]


def capture_posts(story: Story, project: ic.Campaign) -> None:
    """Léa's draft approved after one round of changes; the feed captured for the project
    (and captured again, changing nothing); rights on Léa's reel."""
    ws, clock, manager, say = story.ws, story.clock, story.manager, story.say
    system = ic.SystemActor()
    by_creator = {p.creator_id: p for p in ws.participations.list(manager, project.id)}
    lea, hugo = by_creator["cre_0001"], by_creator["cre_0002"]
    for participation in (lea, hugo):
        ws.participations.confirm(manager, participation.id)

    say()
    say(f"Draft before publication ({project.name})")
    creator = ic.CreatorUser(lea.creator_id)
    draft = ws.drafts.submit(
        creator,
        lea.id,
        platform="instagram",
        format="reel",
        caption="Mes semis de printemps #PrintempsAuJardin",
        media=["https://cdn.example/lea/semis-v1.mp4"],
    )
    ws.drafts.request_changes(manager, draft.id, comments="Tag @maisonverte please")
    ws.drafts.revise(
        creator,
        draft.id,
        caption="Mes semis de printemps #PrintempsAuJardin avec @maisonverte #ad",
        media=["https://cdn.example/lea/semis-v2.mp4"],
    )
    draft = ws.drafts.approve(manager, draft.id, comments="Parfait")
    for version in draft.versions:
        report = version.brief_check
        assert report is not None
        say(f"  {draft.id} v{version.number}: suggested {report.suggested_compliance} %")
    say(f"  {draft.id}: {draft.status.value} after {len(draft.reviews)} reviews")

    say()
    say("Posts captured from the feed (by handle, within the dates, with the tags)")
    feed = ic.MemoryPostSource(_feed(story))
    run = ws.capture.run(manager, feed, campaign_ids=[project.id])
    say(f"  {run.summary()}")
    for problem in run.problems:
        say(f"  problem {problem}")
    for sid in run.captured:
        sub = ws.submissions.get(manager, sid)
        metrics = sub.metrics
        reach = "—" if metrics is None or metrics.reach is None else f"{metrics.reach:,}"
        say(f"  {sub.creator_id} {sub.format.value:<5} post {sub.post_id} reach {reach}")
    earned = ws.capture.earned(manager, project.id)
    say(
        f"  earned mentions: {earned.count} by {', '.join(earned.authors)} (reach {earned.reach:,})"
    )
    (publication,) = ws.drafts.get(manager, draft.id).publications
    for difference in publication.differences:
        say(f"  {draft.id} published with a difference: {difference.kind} {difference.label}")
    again = ws.capture.run(system, feed, campaign_ids=[project.id])
    say(f"  the same feed again: changed {again.changed}")

    say()
    say("Usage rights")
    reel = next(
        s for s in run.captured if ws.submissions.get(manager, s).creator_id == lea.creator_id
    )
    rights = ws.rights.grant(
        manager,
        reel,
        channels=["organic_repost", "paid_ads"],
        territories=["FR", "BE"],
        starts_on=dt.date(2026, 4, 6),
        ends_on=dt.date(2026, 6, 30),
        fee=ic.Money.of(150, "EUR"),
    )
    say(f"  {rights.id} on {reel}: paid ads and reposts, FR and BE, 6 Apr → 30 Jun, 150 EUR")
    for channel, country, day in [
        ("paid_ads", "FR", dt.date(2026, 6, 30)),
        ("paid_ads", "FR", dt.date(2026, 7, 1)),
        ("website", "FR", dt.date(2026, 5, 1)),
        ("paid_ads", "DE", dt.date(2026, 5, 1)),
    ]:
        answer = ws.rights.may_use(manager, reel, channel, country, day)
        say(f"  may use {channel} in {country} on {day:%d %b}? {answer.allowed}: {answer.reason}")
    clock.advance(days=75)  # 16 June: the rights end within 14 days
    ws.scheduler.run(system)
    reminded = ws.rights.get(manager, rights.id).reminded_at
    assert reminded is not None
    say(f"  reminded {reminded.in_timezone(PARIS):%d %b}: the rights end on 30 Jun")
