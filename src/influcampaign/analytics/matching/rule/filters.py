"""The hard filters, each with its plain and vectorised forms and its words, and
:data:`FILTERS`, the table both paths iterate: a new filter is a class here and a line in the
table."""

from __future__ import annotations

import attrs
import numpy as np

from influcampaign.analytics.matching.pool import PLATFORMS, TIERS, Bools, Ints
from influcampaign.analytics.matching.profile import Candidate, Candidates, rows_of, wanted_audience
from influcampaign.analytics.matching.rule.base import Filter, names, pct
from influcampaign.domain.targeting import MatchingPolicy, Targeting

__all__ = ["FILTERS", "FILTER_NAMES"]


class Excluded(Filter):
    """The targeting lists the creator never to be proposed."""

    name = "excluded"

    def applies(self, targeting: Targeting, policy: MatchingPolicy) -> bool:
        return True

    def fails(self, c: Candidate) -> bool:
        return c.creator.id in c.targeting.excluded

    def fails_all(self, cs: Candidates) -> Bools:
        return rows_of(cs.pool, cs.targeting.excluded)

    def shown(self, cs: Candidates, i: int) -> tuple[str, str]:
        listed = cs.pool.creators[i].id in cs.targeting.excluded
        return "listed" if listed else "not listed", "not listed"


class InCampaign(Filter):
    """The creator already applied or is on the campaign's list."""

    name = "in_campaign"

    def applies(self, targeting: Targeting, policy: MatchingPolicy) -> bool:
        return True

    def fails(self, c: Candidate) -> bool:
        return c.in_campaign

    def fails_all(self, cs: Candidates) -> Bools:
        return cs.in_campaign

    def shown(self, cs: Candidates, i: int) -> tuple[str, str]:
        return "yes" if cs.in_campaign[i] else "no", "no"


class WorkAgain(Filter):
    """The brand's latest review says not to work with the creator again (policy permitting)."""

    name = "work_again"

    def applies(self, targeting: Targeting, policy: MatchingPolicy) -> bool:
        return policy.exclude_not_again

    def fails(self, c: Candidate) -> bool:
        return c.past.work_again is False

    def fails_all(self, cs: Candidates) -> Bools:
        return rows_of(cs.pool, [c for c, p in cs.past.items() if p.work_again is False])

    def shown(self, cs: Candidates, i: int) -> tuple[str, str]:
        again = cs.past_of(i).work_again
        return "no review" if again is None else str(again).lower(), "not false"


class Platforms(Filter):
    """The creator has no account on a targeted platform."""

    name = "platforms"

    def applies(self, targeting: Targeting, policy: MatchingPolicy) -> bool:
        return bool(targeting.platforms)

    def fails(self, c: Candidate) -> bool:
        return not c.present

    def fails_all(self, cs: Candidates) -> Bools:
        return np.asarray(~cs.present)

    def shown(self, cs: Candidates, i: int) -> tuple[str, str]:
        on = (p for j, p in enumerate(PLATFORMS) if cs.pool.present[i, j])
        return names(on), names(cs.targeting.platforms)


class Tiers(Filter):
    """The main account's tier is not a targeted one."""

    name = "tiers"

    def applies(self, targeting: Targeting, policy: MatchingPolicy) -> bool:
        return bool(targeting.tiers)

    def fails(self, c: Candidate) -> bool:
        return c.tier not in c.targeting.tiers

    def fails_all(self, cs: Candidates) -> Bools:
        return np.asarray(~np.isin(cs.tier, [TIERS.index(t) for t in cs.targeting.tiers]))

    def shown(self, cs: Candidates, i: int) -> tuple[str, str]:
        tier, platform = TIERS[int(cs.tier[i])], PLATFORMS[int(cs.main[i])]
        return f"{tier.value} on {platform.value}", names(cs.targeting.tiers)


class Followers(Filter):
    """The main account's followers are outside the targeted range ``[low, high)``."""

    name = "followers"

    def applies(self, targeting: Targeting, policy: MatchingPolicy) -> bool:
        return targeting.followers is not None

    def fails(self, c: Candidate) -> bool:
        assert c.targeting.followers is not None
        return not c.targeting.followers.contains(c.followers)

    def fails_all(self, cs: Candidates) -> Bools:
        wanted = cs.targeting.followers
        assert wanted is not None
        below = cs.followers < wanted.low
        return below if wanted.high is None else below | (cs.followers >= wanted.high)

    def shown(self, cs: Candidates, i: int) -> tuple[str, str]:
        return f"{int(cs.followers[i]):,}", str(cs.targeting.followers)


class EngagementRate(Filter):
    """The main account's engagement rate, when known, is below the minimum."""

    name = "engagement_rate"

    def applies(self, targeting: Targeting, policy: MatchingPolicy) -> bool:
        return targeting.min_engagement_rate is not None

    def fails(self, c: Candidate) -> bool:
        minimum = c.targeting.min_engagement_rate
        return minimum is not None and c.rate is not None and c.rate < minimum

    def fails_all(self, cs: Candidates) -> Bools:
        minimum = cs.targeting.min_engagement_rate
        assert minimum is not None
        return ~np.isnan(cs.rate) & (cs.rate < minimum)

    def shown(self, cs: Candidates, i: int) -> tuple[str, str]:
        rate = float(cs.rate[i])
        minimum = cs.targeting.min_engagement_rate or 0
        return "unknown" if np.isnan(rate) else pct(rate), f">= {pct(minimum)}"


@attrs.frozen
class Code(Filter):
    """The creator's own country (or language), when known, is not a targeted one."""

    name: str  # "countries" or "languages", the targeting's field
    field: str  # "country" or "language", the creator's field and the pool's column

    def applies(self, targeting: Targeting, policy: MatchingPolicy) -> bool:
        return bool(self._wanted(targeting))

    def fails(self, c: Candidate) -> bool:
        own = self._own(c.creator)
        return own is not None and own not in self._wanted(c.targeting)

    def fails_all(self, cs: Candidates) -> Bools:
        codes: Ints = getattr(cs.pool, self.field)
        vocabulary: dict[str, int] = getattr(cs.pool, f"{self.name}_vocabulary")
        wanted = self._wanted(cs.targeting)
        allowed = np.array([vocabulary[c] for c in wanted if c in vocabulary], dtype=np.int64)
        return (codes >= 0) & ~np.isin(codes, allowed)

    def shown(self, cs: Candidates, i: int) -> tuple[str, str]:
        own = self._own(cs.pool.creators[i])
        return own or "unknown", names(self._wanted(cs.targeting))

    def _wanted(self, targeting: Targeting) -> frozenset[str]:
        wanted: frozenset[str] = getattr(targeting, self.name)
        return wanted

    def _own(self, creator: object) -> str | None:
        own: str | None = getattr(creator, self.field)
        return own


@attrs.frozen
class AudienceShare(Filter):
    """The share of the creator's audience in the targeted codes, when shared, is below the
    targeting's minimum."""

    name: str
    part: str  # "countries" or "languages"

    def applies(self, targeting: Targeting, policy: MatchingPolicy) -> bool:
        return targeting.min_audience_share > 0 and bool(wanted_audience(targeting, self.part))

    def fails(self, c: Candidate) -> bool:
        share = c.shares[self.part]
        return share is not None and share < c.targeting.min_audience_share

    def fails_all(self, cs: Candidates) -> Bools:
        share = cs.shares[self.part]
        return ~np.isnan(share) & (share < cs.targeting.min_audience_share)

    def shown(self, cs: Candidates, i: int) -> tuple[str, str]:
        share = float(cs.shares[self.part][i])
        t = cs.targeting
        value = "unknown" if np.isnan(share) else pct(min(share, 1.0))
        return value, f">= {pct(t.min_audience_share)} in {names(wanted_audience(t, self.part))}"


FILTERS: tuple[Filter, ...] = (
    Excluded(),
    InCampaign(),
    WorkAgain(),
    Platforms(),
    Tiers(),
    Followers(),
    EngagementRate(),
    Code("countries", "country"),
    Code("languages", "language"),
    AudienceShare("audience_country_share", "countries"),
    AudienceShare("audience_language_share", "languages"),
)
"""The hard filters, in order: the first one a creator fails is the reason given."""

FILTER_NAMES = tuple(f.name for f in FILTERS)
"""The hard filters' names, in order."""
