"""Matching: rank 100,000 creators for one offer (a marketplace's whole directory).

The creators have one to three platforms with followers from a few hundred to a few
million, engagement rates (some unknown), up to four of 30 themes, a country and a
language (some unknown), and shared audience shares for half of them. The offer targets
two platforms, three tiers, a minimum engagement rate, three themes, two countries and
an audience share; the brand has a history with 2,000 creators and refused 20 applicants
on the offer (learning from refusals compares every candidate with each of them).

Ours: ``CreatorPool`` (built once; the median build time counts in our total) then
``rank`` (its median time).
Baseline: a per-creator Python loop over the same Creator objects applying
``score_creator``, the same rule written plainly. Both must give every creator the same
filter and the very same score, and the same order.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import median_time, parse_args, report

import influcampaign as ic
from influcampaign.domain.application import RefusalReason

THEMES = [f"theme{i:02d}" for i in range(30)]
PLATFORMS = ["instagram", "tiktok", "youtube"]


def make_creators(count: int, seed: int = 8) -> list[ic.Creator]:
    rng = random.Random(seed)
    creators = []
    for i in range(count):
        platforms = rng.sample(PLATFORMS, rng.randint(1, 3))
        audience = {
            p: ic.AudienceStats(
                followers=int(10 ** rng.uniform(2.5, 6.5)),
                engagement_rate=None if rng.random() < 0.15 else rng.uniform(0.002, 0.12),
            )
            for p in platforms
        }
        shares = None
        if rng.random() < 0.5:
            fr = rng.uniform(0, 0.9)
            shares = ic.AudienceShares(
                countries={"FR": fr, "BE": (1 - fr) / 2}, languages={"fr": rng.uniform(0, 1)}
            )
        creators.append(
            ic.Creator(
                id=f"cre_{i:06d}",
                display_name=f"Creator {i}",
                handles=dict.fromkeys(platforms, f"creator{i}"),
                audience=audience,
                themes=rng.sample(THEMES, rng.randint(0, 4)),
                country=rng.choice([None, "FR", "BE", "GB", "US", "DE"]),
                language=rng.choice([None, "fr", "en", "de"]),
                audience_shares=shares,
            )
        )
    return creators


def main() -> None:
    args = parse_args(__doc__ or "")
    count = 5_000 if args.quick else 100_000
    repeats = 3 if args.quick else args.repeats
    creators = make_creators(count)
    rng = random.Random(9)
    targeting = ic.Targeting(
        platforms=["instagram", "tiktok"],
        tiers=["nano", "micro", "mid"],
        min_engagement_rate=0.015,
        themes=THEMES[:3],
        countries=["FR", "BE"],
        audience_countries=["FR", "BE"],
        min_audience_share=0.2,
    )
    past = {
        c.id: ic.PastPerformance(
            rating=rng.choice([None, rng.uniform(1, 5)]),
            on_time_rate=rng.random(),
            compliance=rng.uniform(40, 100),
            work_again=rng.random() > 0.1,
            tags=frozenset(rng.sample(list(ic.ReactivationTag), rng.randint(0, 2))),
            collaborations=frozenset({ic.Collaboration.GIFTED}),
        )
        for c in rng.sample(creators, min(2_000, count // 10))
    }
    refused = rng.sample(creators, 20)
    reasons = list(RefusalReason)
    signals = [ic.RefusalSignal(c.id, rng.choice(reasons), rng.random() < 0.7) for c in refused]
    in_campaign = {c.id for c in refused}
    pairs = list(zip(refused, signals, strict=True))

    def build() -> ic.CreatorPool:
        return ic.CreatorPool(creators)

    def ours(pool: ic.CreatorPool) -> ic.Ranking:
        return ic.rank(
            pool, targeting, past=past, refusals=signals, in_campaign=in_campaign, limit=100
        )

    def baseline() -> dict[str, tuple[str | None, float | None]]:
        return {
            c.id: ic.score_creator(
                c,
                targeting,
                past=past.get(c.id),
                refused=pairs,
                in_campaign=c.id in in_campaign,
            )
            for c in creators
        }

    pool_s, pool = median_time(build, repeats)
    rank_s, ranking = median_time(lambda: ours(pool), repeats)
    ours_s = pool_s + rank_s  # a directory is loaded once, then ranked for each offer
    base_s, expected = median_time(baseline, max(1, repeats // 2))
    ranked = {c: s for c, (f, s) in expected.items() if f is None and s is not None}
    order = tuple(sorted(ranked, key=lambda c: (-ranked[c], c)))
    assert ranking.order == order, "the two paths rank differently"
    for creator_id, (filtered_by, score) in expected.items():
        match = ranking.explain(creator_id)
        assert (match.filtered_by, match.score) == (filtered_by, score), creator_id
    print(f"creators: {count:,}; ranked {ranking.ranked:,}; filtered {dict(ranking.filtered)}")
    print(f"ours:     {ours_s:.3f} s (pool {pool_s:.3f} s + rank {rank_s:.3f} s)")
    print(f"baseline: {base_s:.3f} s (per-creator Python loop, score_creator)")
    print(f"speedup:  {base_s / ours_s:.1f}x (rank alone {base_s / rank_s:.1f}x)")
    print(f"top 3:    {', '.join(f'{m.creator_id} {m.score:.1f}' for m in ranking.matches[:3])}")
    report(
        {
            "benchmark": "matching",
            "size": {"creators": count, "refusals": len(signals), "history": len(past)},
            "ours_s": round(ours_s, 4),
            "baseline": "per-creator Python loop (score_creator)",
            "baseline_s": round(base_s, 4),
            "speedup": round(base_s / ours_s, 2),
            "creators_per_s": round(count / ours_s),
            "pool_s": round(pool_s, 4),
            "rank_s": round(rank_s, 4),
            "rank_speedup": round(base_s / rank_s, 2),
        }
    )


if __name__ == "__main__":
    main()
