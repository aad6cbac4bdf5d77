"""Chapter 8: the offer ends: its retrospective, the creators' reviews and what the brand
keeps of each relationship."""

from __future__ import annotations

import influcampaign as ic
from influcampaign.demo._story import Story, num, pct

__all__ = ["review_offer"]


def review_offer(
    story: Story, offer: ic.Campaign, joined: list[ic.Participation], creators: list[ic.Creator]
) -> None:
    """End the offer, print its retrospective, rate both creators and read their history."""
    ws, manager, say = story.ws, story.manager, story.say
    first, second = joined
    ws.campaigns.end(manager, offer.id)
    say("")
    say(f"Offer {offer.id} ended: retrospective")
    retro = ws.reviews.retrospective(manager, offer.id)
    for line in retro.lines():
        say(f"  {line}")
    for late in retro.late:
        say(f"  late: {late.creator_id} {late.format.value}, {late.days_late} day(s) after due")
    say("")
    say("Reviews (ratings 1-5: content, reliability, communication, brief)")
    ratings = {
        first.creator_id: (
            ic.Ratings(content_quality=5, reliability=5, communication=4, brief_respect=5),
            ["product_test", "ugc"],
            "Reel très soigné, publié avant la date. À recontacter pour l'été.",
        ),
        second.creator_id: (
            ic.Ratings(content_quality=4, reliability=2, communication=3, brief_respect=3),
            ["future_campaign"],
            "Bon contenu mais en retard malgré les rappels.",
        ),
    }
    for creator_id, (rated, tags, note) in ratings.items():
        ws.reviews.rate(
            manager, offer.id, creator_id, ratings=rated, work_again=True, tags=tags, note=note
        )
    for review in ws.reviews.list(manager, offer.id):
        r = review.ratings
        say(
            f"  {review.creator_id}: {r.content_quality}/{r.reliability}/{r.communication}/"
            f"{r.brief_respect} (overall {r.overall}), work again: {review.work_again}, "
            f"tags: {', '.join(sorted(t.value for t in review.tags))}"
        )
    ws.campaigns.review(manager, offer.id)
    say("")
    say("Relationship history with Maison Verte")
    for creator_id in (first.creator_id, second.creator_id, creators[2].id):
        h = ws.history.creator(manager, "maison-verte", creator_id)
        emv = ", ".join(str(m) for m in h.emv.values()) or "—"
        say(
            f"  {creator_id}: {len(h.campaigns)} campaign(s), joined {h.joined}, applications "
            f"{dict(h.applications)}, on time {pct(h.on_time_rate)}, compliance "
            f"{num(h.compliance)}{' %' if h.compliance is not None else ''}, EMV {emv}, "
            f"rating {h.rating or '—'}"
        )
    ugc = ws.history.reactivation(manager, "maison-verte", tags=["ugc"])
    say(f"  to reactivate for UGC: {', '.join(f'{x.display_name} ({x.tier.value})' for x in ugc)}")
