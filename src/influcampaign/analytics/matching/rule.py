"""The rule's criteria, each one small class holding its plain form (one
:class:`~.profile.Candidate`, for :func:`~influcampaign.score_creator`), its vectorised form
(:class:`~.profile.Candidates`, for :func:`~influcampaign.rank`) and the words that explain it.
:data:`FILTERS` and :data:`FITS` are the tables both paths iterate, in order: a criterion is
added by writing its class and listing it here (a weighted one also needs a weight in
:class:`~influcampaign.MatchWeights`). Learning from refusals is in ``learning``."""

from __future__ import annotations

import abc
import enum
from collections.abc import Iterable
from typing import Any

import attrs
import numpy as np

from influcampaign.analytics.matching.pool import PLATFORMS, TIERS, Bools, Floats, Ints
from influcampaign.analytics.matching.profile import (
    Candidate,
    Candidates,
    PastPerformance,
    rows_of,
    wanted_audience,
)
from influcampaign.domain.review import ReactivationTag
from influcampaign.domain.targeting import Collaboration, MatchingPolicy, Targeting

__all__ = ["FILTERS", "FILTER_NAMES", "FITS", "CriterionKind", "Filter", "Fit", "names", "pct"]


class CriterionKind(enum.StrEnum):
    """What a criterion is: a hard filter, a fit to the targeting, past performance with the
    brand, or learning from the brand's refusals on the offer."""

    FILTER = "filter"
    FIT = "fit"
    HISTORY = "history"
    LEARNING = "learning"


def pct(value: float) -> str:
    """A fraction as a percentage with one decimal."""
    return f"{value:.1%}"


def names(values: Iterable[Any]) -> str:
    """Values (or enum members) as a sorted, comma-separated list; "none" when empty."""
    shown = sorted(str(getattr(v, "value", v)) for v in values)
    return ", ".join(shown) if shown else "none"


class Filter(abc.ABC):
    """A hard filter: in effect for some targetings, it leaves out a creator on known data."""

    name: str

    @abc.abstractmethod
    def applies(self, targeting: Targeting, policy: MatchingPolicy) -> bool:
        """Whether the filter is in effect for this offer (and shown in explanations)."""

    @abc.abstractmethod
    def fails(self, c: Candidate) -> bool:
        """Whether it leaves out one creator (only asked when in effect)."""

    @abc.abstractmethod
    def fails_all(self, cs: Candidates) -> Bools:
        """Which creators of the pool it leaves out (only asked when in effect)."""

    @abc.abstractmethod
    def shown(self, cs: Candidates, i: int) -> tuple[str, str]:
        """The value of the creator in row ``i`` and the target, as words."""


class Fit(abc.ABC):
    """A scored criterion: a fit from 0 to 1 (None or NaN: unknown) times its weight."""

    name: str
    kind = CriterionKind.FIT

    @abc.abstractmethod
    def counts(self, targeting: Targeting) -> bool:
        """Whether the criterion counts in the score for this offer."""

    @abc.abstractmethod
    def fit(self, c: Candidate) -> float | None:
        """One creator's fit."""

    @abc.abstractmethod
    def fit_all(self, cs: Candidates) -> Floats:
        """Every creator's fit, NaN when unknown."""

    @abc.abstractmethod
    def shown(self, cs: Candidates, i: int, fit: float | None) -> tuple[str, str]:
        """The value of the creator in row ``i`` and the target, as words."""


# -- hard filters --------------------------------------------------------------------------


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


# -- fit to the targeting ------------------------------------------------------------------


class Themes(Fit):
    """Targeted themes the creator covers / targeted themes (unknown without themes)."""

    name = "themes"

    def counts(self, targeting: Targeting) -> bool:
        return bool(targeting.themes)

    def fit(self, c: Candidate) -> float | None:
        themes, wanted = c.creator.themes, c.targeting.themes
        return len(themes & wanted) / len(wanted) if themes else None

    def fit_all(self, cs: Candidates) -> Floats:
        pool, wanted = cs.pool, cs.targeting.themes
        columns = [pool.themes_vocabulary[t] for t in sorted(wanted) if t in pool.themes_vocabulary]
        covered = pool.themes[:, columns].sum(axis=1, dtype=np.int64)
        return np.where(pool.theme_count > 0, covered / len(wanted), np.nan)

    def shown(self, cs: Candidates, i: int, fit: float | None) -> tuple[str, str]:
        themes, wanted = cs.pool.creators[i].themes, cs.targeting.themes
        return names(themes & wanted) if themes else "unknown", names(wanted)


class Engagement(Fit):
    """Engagement rate / (2 x the minimum asked), at most 1."""

    name = "engagement"

    def counts(self, targeting: Targeting) -> bool:
        return targeting.min_engagement_rate is not None

    def fit(self, c: Candidate) -> float | None:
        minimum = c.targeting.min_engagement_rate
        assert minimum is not None
        return None if c.rate is None else min(c.rate / (2 * minimum), 1.0)

    def fit_all(self, cs: Candidates) -> Floats:
        minimum = cs.targeting.min_engagement_rate
        assert minimum is not None
        return np.minimum(cs.rate / (2 * minimum), 1.0)

    def shown(self, cs: Candidates, i: int, fit: float | None) -> tuple[str, str]:
        full = 2 * (cs.targeting.min_engagement_rate or 0)
        value = "unknown" if fit is None else pct(float(cs.rate[i]))
        return value, f"{pct(full)} for a full fit"


@attrs.frozen
class AudienceFit(Fit):
    """The share of the creator's audience in the targeted codes (unknown when not shared)."""

    name: str
    part: str  # "countries" or "languages"

    def counts(self, targeting: Targeting) -> bool:
        return bool(wanted_audience(targeting, self.part))

    def fit(self, c: Candidate) -> float | None:
        share = c.shares[self.part]
        return None if share is None else min(share, 1.0)

    def fit_all(self, cs: Candidates) -> Floats:
        return np.minimum(cs.shares[self.part], 1.0)

    def shown(self, cs: Candidates, i: int, fit: float | None) -> tuple[str, str]:
        wanted = names(wanted_audience(cs.targeting, self.part))
        return "unknown" if fit is None else f"{pct(fit)} in {wanted}", wanted


# -- past performance with the brand --------------------------------------------------------


class History(Fit):
    """A criterion read from the brand's history of a creator; it always counts. Both forms
    apply :meth:`of` (the pool's form to the few creators with a history)."""

    kind = CriterionKind.HISTORY

    @abc.abstractmethod
    def of(self, past: PastPerformance, collaboration: Collaboration) -> float | None:
        """The fit of a creator with this history (None: unknown)."""

    def counts(self, targeting: Targeting) -> bool:
        return True

    def fit(self, c: Candidate) -> float | None:
        return self.of(c.past, c.collaboration)

    def fit_all(self, cs: Candidates) -> Floats:
        fits = np.full(len(cs.pool), np.nan)
        for creator_id, past in cs.past.items():
            i = cs.pool.index.get(creator_id)
            value = None if i is None else self.of(past, cs.collaboration)
            if value is not None:
                fits[i] = value
        return fits


_TAG_FOR = {
    Collaboration.PAID: ReactivationTag.PAID_PARTNERSHIP,
    Collaboration.GIFTED: ReactivationTag.PRODUCT_TEST,
}


class CollaborationDone(History):
    """1 if the creator joined one of the brand's campaigns of this kind (paid or gifted) or
    was tagged for it, 0 if it has a history with the brand but neither."""

    name = "collaboration"

    def of(self, past: PastPerformance, collaboration: Collaboration) -> float | None:
        if not past.known:
            return None
        done = collaboration in past.collaborations or _TAG_FOR[collaboration] in past.tags
        return 1.0 if done else 0.0

    def shown(self, cs: Candidates, i: int, fit: float | None) -> tuple[str, str]:
        value = "no history" if fit is None else ("done before" if fit else "never done")
        return value, cs.collaboration.value


class Rating(History):
    """(Mean overall rating - 1) / 4."""

    name = "rating"

    def of(self, past: PastPerformance, collaboration: Collaboration) -> float | None:
        return None if past.rating is None else (past.rating - 1) / 4

    def shown(self, cs: Candidates, i: int, fit: float | None) -> tuple[str, str]:
        rating = cs.past_of(i).rating
        return "no rating" if rating is None else f"{rating:.2f} / 5", "5 / 5"


class OnTime(History):
    """The on-time rate of the creator's contents."""

    name = "on_time"

    def of(self, past: PastPerformance, collaboration: Collaboration) -> float | None:
        return past.on_time_rate

    def shown(self, cs: Candidates, i: int, fit: float | None) -> tuple[str, str]:
        rate = cs.past_of(i).on_time_rate
        return "no delivery" if rate is None else pct(rate), "100.0%"


class Compliance(History):
    """The mean "% of brief respected" / 100."""

    name = "compliance"

    def of(self, past: PastPerformance, collaboration: Collaboration) -> float | None:
        return None if past.compliance is None else past.compliance / 100

    def shown(self, cs: Candidates, i: int, fit: float | None) -> tuple[str, str]:
        compliance = cs.past_of(i).compliance
        return "no validated content" if compliance is None else f"{compliance:.0f}%", "100%"


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

FITS: tuple[Fit, ...] = (
    Themes(),
    Engagement(),
    AudienceFit("audience_countries", "countries"),
    AudienceFit("audience_languages", "languages"),
    CollaborationDone(),
    Rating(),
    OnTime(),
    Compliance(),
)
"""The scored criteria, in the order their points are added up and explained."""
