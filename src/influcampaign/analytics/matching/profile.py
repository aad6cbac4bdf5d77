"""What the rule reads of a creator for an offer, in both forms side by side: one creator
(:class:`Candidate`, for :func:`~influcampaign.score_creator`) and a whole pool as arrays
(:class:`Candidates`, for :func:`~influcampaign.rank`). Criteria read either one."""

from __future__ import annotations

from collections.abc import Collection, Mapping

import attrs
import numpy as np

from influcampaign.analytics.matching.pool import (
    PLATFORMS,
    TIERS,
    Bools,
    CreatorPool,
    Floats,
    Ints,
)
from influcampaign.domain.creator import Creator, Platform, Tier, TierPolicy
from influcampaign.domain.review import ReactivationTag
from influcampaign.domain.targeting import Collaboration, MatchingPolicy, Targeting

__all__ = ["AUDIENCE_PARTS", "Candidate", "Candidates", "PastPerformance", "main_account"]

AUDIENCE_PARTS = ("countries", "languages")
"""The parts of a creator's audience that targeting can ask for."""


@attrs.frozen
class PastPerformance:
    """What the brand's history says about a creator, for ranking: mean overall rating
    (1-5), on-time rate (0-1), mean compliance (0-100), the latest "work again" flag and
    tags, and the kinds of campaigns it joined."""

    rating: float | None = None
    on_time_rate: float | None = None
    compliance: float | None = None
    work_again: bool | None = None
    tags: frozenset[ReactivationTag] = frozenset()
    collaborations: frozenset[Collaboration] = frozenset()

    @property
    def known(self) -> bool:
        """Whether there is any history at all."""
        return self != PastPerformance()


def wanted_audience(targeting: Targeting, part: str) -> frozenset[str]:
    """The audience codes the targeting asks for in ``part`` (countries or languages)."""
    return targeting.audience_countries if part == "countries" else targeting.audience_languages


# -- one creator ---------------------------------------------------------------------------


def main_account(creator: Creator, targeting: Targeting) -> tuple[Platform | None, int, bool]:
    """The main account's platform (None without stats), its followers, and whether the
    creator is on a targeted platform at all."""
    platforms = [p for p in PLATFORMS if not targeting.platforms or p in targeting.platforms]
    best: Platform | None = None
    most = -1
    present = False
    for platform in platforms:
        if platform in creator.handles or platform in creator.audience:
            present = True
        stats = creator.audience.get(platform)
        followers = 0 if stats is None else stats.followers
        if followers > most:
            best, most = platform, followers
    return best, max(most, 0), present


def _share(values: Mapping[str, float], wanted: Collection[str]) -> float:
    total = 0.0
    for code, fraction in values.items():
        total += fraction * (1.0 if code in wanted else 0.0)
    return total


@attrs.frozen
class Candidate:
    """One creator's figures for an offer: its main account's followers, tier and engagement
    rate, and the share of its audience in the targeted codes (None: not shared)."""

    creator: Creator
    targeting: Targeting
    tiers: TierPolicy
    policy: MatchingPolicy
    collaboration: Collaboration
    past: PastPerformance
    in_campaign: bool
    followers: int
    present: bool  # on a targeted platform
    rate: float | None
    tier: Tier
    shares: Mapping[str, float | None]  # by audience part

    @classmethod
    def of(
        cls,
        creator: Creator,
        targeting: Targeting,
        tiers: TierPolicy,
        policy: MatchingPolicy,
        collaboration: Collaboration,
        past: PastPerformance,
        in_campaign: bool,
    ) -> Candidate:
        """Read ``creator``'s figures for an offer."""
        platform, followers, present = main_account(creator, targeting)
        stats = None if platform is None else creator.audience.get(platform)
        audience = creator.readable_audience
        shares: dict[str, float | None] = {}
        for part in AUDIENCE_PARTS:
            values = None if audience is None else getattr(audience, part)
            shares[part] = _share(values, wanted_audience(targeting, part)) if values else None
        return cls(
            creator,
            targeting,
            tiers,
            policy,
            collaboration,
            past,
            in_campaign,
            followers,
            present,
            None if stats is None else stats.engagement_rate,
            tiers.tier_for(followers),
            shares,
        )

    @property
    def tier_index(self) -> int:
        """The tier's index in :data:`TIERS`."""
        return TIERS.index(self.tier)


# -- a whole pool --------------------------------------------------------------------------


def _audience_share(pool: CreatorPool, part: str, wanted: Collection[str]) -> Floats:
    codes = pool.audience_codes[part]
    mask = np.array([1.0 if c in wanted else 0.0 for c in codes], dtype=np.float64)
    contributions = pool.audience_shares[part] * mask
    share: Floats = np.asarray(
        np.bincount(pool.audience_rows[part], weights=contributions, minlength=len(pool)),
        dtype=np.float64,
    )
    share[~pool.audience_known[part]] = np.nan
    return share


@attrs.frozen(eq=False)
class Candidates:
    """A pool's figures for an offer, one row per creator: the same as :class:`Candidate`,
    with NaN for an unknown rate or share and tiers as indices in :data:`TIERS`."""

    pool: CreatorPool
    targeting: Targeting
    tiers: TierPolicy
    policy: MatchingPolicy
    collaboration: Collaboration
    past: Mapping[str, PastPerformance]
    in_campaign: Bools
    main: Ints  # platform column of the main account
    followers: Ints
    present: Bools
    rate: Floats
    tier: Ints
    shares: Mapping[str, Floats]  # by audience part

    @classmethod
    def of(
        cls,
        pool: CreatorPool,
        targeting: Targeting,
        tiers: TierPolicy,
        policy: MatchingPolicy,
        collaboration: Collaboration,
        past: Mapping[str, PastPerformance],
        in_campaign: Collection[str],
    ) -> Candidates:
        """Read the pool's figures for an offer."""
        n = len(pool)
        cols = np.array(
            [
                j
                for j, p in enumerate(PLATFORMS)
                if not targeting.platforms or p in targeting.platforms
            ],
            dtype=np.int64,
        )
        rows = np.arange(n)
        sub = pool.followers[:, cols]
        main = cols[np.argmax(sub, axis=1)] if n else np.zeros(0, dtype=np.int64)
        followers = pool.followers[rows, main] if n else np.zeros(0, dtype=np.int64)
        thresholds = np.array(tiers.thresholds, dtype=np.int64)
        return cls(
            pool,
            targeting,
            tiers,
            policy,
            collaboration,
            past,
            rows_of(pool, in_campaign),
            main,
            followers,
            np.asarray(pool.present[:, cols].any(axis=1)),
            pool.engagement[rows, main] if n else np.zeros(0),
            np.searchsorted(thresholds, followers, side="right").astype(np.int64),
            {
                part: _audience_share(pool, part, wanted_audience(targeting, part))
                for part in AUDIENCE_PARTS
            },
        )

    def past_of(self, i: int) -> PastPerformance:
        """The history of the creator in row ``i`` (empty when none)."""
        return self.past.get(self.pool.creators[i].id, PastPerformance())


def rows_of(pool: CreatorPool, ids: Collection[str]) -> Bools:
    """A mask of the pool's rows for ``ids`` (ids not in the pool are ignored)."""
    mask = np.zeros(len(pool), dtype=np.bool_)
    hits = [pool.index[c] for c in ids if c in pool.index]
    mask[hits] = True
    return mask
