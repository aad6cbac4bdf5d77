"""The scored criteria, fit to the targeting then past performance with the brand, each with
its plain and vectorised forms and its words, and :data:`FITS`, the table both paths iterate:
a new criterion is a class here, a line in the table and its weight in
:class:`~influcampaign.MatchWeights`."""

from __future__ import annotations

import abc

import attrs
import numpy as np

from influcampaign.analytics.matching.pool import Floats
from influcampaign.analytics.matching.profile import (
    Candidate,
    Candidates,
    PastPerformance,
    wanted_audience,
)
from influcampaign.analytics.matching.rule.base import CriterionKind, Fit, names, pct
from influcampaign.domain.review import ReactivationTag
from influcampaign.domain.targeting import Collaboration, Targeting

__all__ = ["FITS"]


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
