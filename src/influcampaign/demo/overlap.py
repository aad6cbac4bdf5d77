"""Chapter 2: the audience overlap of the project's creators, and a reach plan for a budget."""

from __future__ import annotations

from typing import TYPE_CHECKING

import influcampaign as ic
from influcampaign.demo._story import Story

if TYPE_CHECKING:
    from influcampaign.analytics.overlap import Figure

__all__ = ["audience_overlap"]


def audience_overlap(story: Story, campaign: ic.Campaign, creators: list[ic.Creator]) -> None:
    """Audience overlap of the project's creators on Instagram, and a reach plan."""
    import numpy as np

    ws, manager, say = story.ws, story.manager, story.say
    for creator in creators:
        ws.participations.add(manager, campaign.id, creator.id)
    # synthetic follower ids: a shared pool of 400,000 accounts, popular ones more likely
    rng = np.random.default_rng(2026)
    directory = ic.AudienceDirectory()
    for creator in creators:
        stats = creator.audience.get(ic.Platform.INSTAGRAM)
        if stats is not None:
            draws = (400_000 * rng.random(stats.followers * 2) ** 1.5).astype(np.int64)
            ids = rng.permutation(np.unique(draws))[: stats.followers]
            directory.add(creator.id, "instagram", ids)
    directory.add(creators[-1].id, "instagram", range(3_100))  # held, never read: opted out
    report = ws.overlap.for_campaign(manager, campaign.id, directory, platform="instagram")
    names = {c.id: c.display_name for c in creators}
    say("")
    say(f"Audience overlap on Instagram ({report.engine})")

    def share(figure: Figure | None, spec: str = ".1%") -> str:
        return "—" if figure is None else format(figure.value, spec)

    for reach in report.creators:
        say(
            f"  {names[reach.creator_id]:<14} {reach.followers.value:>8,.0f} followers, "
            f"{reach.exclusive.value:>8,.0f} exclusive, "
            f"{share(reach.overlapping_share):>5} also follow another creator"
        )
    for pair in report.pairs:
        say(
            f"  {names[pair.a]} & {names[pair.b]}: {pair.shared.value:,.0f} in common "
            f"({share(pair.share_of_a)} of the first, {share(pair.share_of_b)} of the "
            f"second, Jaccard {share(pair.jaccard, '.3f')})"
        )
    say(
        f"  distinct reach {report.distinct_reach.value:,.0f} of "
        f"{report.total_followers.value:,.0f} followers in total"
    )
    for left_out in report.excluded:
        say(f"  left out: {names[left_out.creator_id]} ({left_out.state}: {left_out.reason})")
    _, plan = ws.overlap.plan(
        manager,
        campaign.id,
        directory,
        platform="instagram",
        budget=ic.Money.of("80", "EUR"),
    )
    gift = campaign.compensation.product_value
    say(f"Reach plan for a budget of 80 EUR (one gift of {gift} each)")
    for step in plan.steps:
        say(
            f"  + {names[step.creator_id]:<14} adds {step.marginal_reach:>8,} → reach "
            f"{step.reach:,}"
        )
    say(f"  cost {plan.cost}, at least {plan.guarantee:.0%} of the best reach (greedy bound)")
