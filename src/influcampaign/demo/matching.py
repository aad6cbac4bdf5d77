"""Chapter 9: creators ranked for a second offer, using the first offer's history and
learning from a quick refusal."""

from __future__ import annotations

from collections.abc import Callable

import pendulum

import influcampaign as ic
from influcampaign.demo._story import Story

__all__ = ["rank_for_next_offer"]

_NEWCOMERS = [
    # name, platform, handle, followers, engagement, themes, country
    ("Inès Moreau", "instagram", "ines.potager", 12_500, 0.045, ["gardening", "food"], "FR"),
    ("Paul Girard", "tiktok", "paul.rando", 64_000, 0.031, ["outdoor"], "FR"),
    ("Chloé Petit", "instagram", "chloe.glow", 28_000, 0.028, ["beauty", "lifestyle"], "FR"),
    ("Zoé Blanc", "instagram", "zoe.makeup", 9_000, 0.05, ["beauty"], "BE"),
    ("Lucas Roux", "instagram", "lucas.chef", 150_000, 0.012, ["food"], "FR"),
]


def rank_for_next_offer(story: Story) -> None:
    """Register newcomers, open a summer offer, rank creators, refuse one and rank again."""
    ws, clock, manager, say = story.ws, story.clock, story.manager, story.say
    with ws.atomic() as tx:
        for name, platform, handle, followers, rate, themes, country in _NEWCOMERS:
            tx.creators.register(
                manager,
                name,
                handles={platform: handle},
                audience={platform: ic.AudienceStats(followers, engagement_rate=rate)},
                themes=themes,
                country=country,
                language="fr",
            )
    summer = ws.campaigns.create(
        manager,
        brand_id="maison-verte",
        brand_name="Maison Verte",
        name="Kit potager d'été (offre)",
        kind="product_placement",
        mode="marketplace",
        start=clock.now(),
        end=pendulum.datetime(2026, 8, 31, tz="Europe/Paris"),
        timezone="Europe/Paris",
        compensation=ic.Compensation(product_value=ic.Money.of("69.00", "EUR")),
        targeting=ic.Targeting(
            platforms=["instagram", "tiktok"],
            tiers=["nano", "micro", "mid"],
            min_engagement_rate=0.02,
            themes=["food", "gardening", "outdoor"],
            countries=["FR", "BE"],
            languages=["fr"],
        ),
    )
    ws.campaigns.open(manager, summer.id)
    say("")
    say(f"Second offer {summer.id} “{summer.name}”: ranking, with the first offer's history")
    ranking = ws.matching.rank(manager, summer.id, limit=8)
    _ranking(ranking, say)
    best = ranking.matches[0]
    say(f"  why {best.creator_id} is first:")
    for c in best.criteria:
        if c.kind is not ic.CriterionKind.FILTER:
            say(f"    {c}")
    chloe = next(c for c in ws.creators.find(manager) if c.display_name == "Chloé Petit")
    zoe = next(c for c in ws.creators.find(manager) if c.display_name == "Zoé Blanc")
    application = ws.applications.apply(ic.CreatorUser(chloe.id), summer.id, chloe.id)
    clock.advance(hours=2)
    ws.applications.refuse(
        manager,
        application.id,
        message="Merci ! Votre univers beauté ne colle pas à ce kit potager.",
        reason="out_of_target",
    )
    after = ws.matching.rank(manager, summer.id, limit=8)
    was, now = ranking.explain(zoe.id), after.explain(zoe.id)
    say(
        f"  {chloe.id} (beauty) applies and is refused as out of target within 2 h; similar "
        f"profiles move down: {zoe.id} (beauty) from {was.score:.1f} to {now.score:.1f}"
    )
    _ranking(after, say)
    say(f"  {after.explain(zoe.id).criterion('refusals')}")


def _ranking(ranking: ic.Ranking, say: Callable[[str], None]) -> None:
    """Print a ranking: how many creators were filtered out, then each match's points."""
    filtered = ", ".join(f"{k} {v}" for k, v in ranking.filtered.items())
    say(f"  {ranking.ranked} of {ranking.considered} creators ranked (filtered out: {filtered})")
    for m in ranking.matches:
        points = {c.name: c.points for c in m.criteria if c.kind is not ic.CriterionKind.FILTER}
        say(
            f"  #{m.rank} {m.creator_id}  score {m.score:5.1f}  themes {points['themes']:+.1f}"
            f"  history {points['rating'] + points['on_time'] + points['compliance']:+.1f}"
            f"  refusals {points['refusals']:+.1f}"
        )
