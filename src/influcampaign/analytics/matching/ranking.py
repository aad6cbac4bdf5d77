"""The two paths through the rule's tables: :func:`score_creator` for one creator, plainly,
and :func:`rank` for a whole :class:`~.pool.CreatorPool` with numpy. Both add the same IEEE
operations in the same order, so both give identical floats."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np

from influcampaign.analytics.matching.explanation import Ranking, Scores, explain
from influcampaign.analytics.matching.learning import (
    RefusalSignal,
    nearest_refusal,
    refusal_penalties,
)
from influcampaign.analytics.matching.pool import Bools, CreatorPool, Floats, Ints
from influcampaign.analytics.matching.profile import Candidate, Candidates, PastPerformance
from influcampaign.analytics.matching.rule import FILTER_NAMES, FILTERS, FITS, Fit
from influcampaign.domain.creator import Creator, TierPolicy
from influcampaign.domain.targeting import Collaboration, MatchingPolicy, Targeting
from influcampaign.errors import ValidationError

__all__ = ["rank", "score_creator"]


def score_creator(
    creator: Creator,
    targeting: Targeting,
    *,
    tiers: TierPolicy | None = None,
    policy: MatchingPolicy | None = None,
    collaboration: Collaboration = Collaboration.GIFTED,
    past: PastPerformance | None = None,
    refused: Sequence[tuple[Creator, RefusalSignal]] = (),
    in_campaign: bool = False,
) -> tuple[str | None, float | None]:
    """The rule for one creator: the hard filter that leaves it out (or None) and its
    score (None when filtered out). :func:`rank` gives the same for a whole pool."""
    policy = policy or MatchingPolicy()
    c = Candidate.of(
        creator,
        targeting,
        tiers or TierPolicy(),
        policy,
        collaboration,
        past or PastPerformance(),
        in_campaign,
    )
    filtered_by = next(
        (f.name for f in FILTERS if f.applies(targeting, policy) and f.fails(c)), None
    )
    if filtered_by is not None:
        return filtered_by, None
    weights = policy.weights
    total = 0.0
    weight_sum = 0.0
    for criterion in FITS:
        if criterion.counts(targeting):
            fit = criterion.fit(c)
            weight = getattr(weights, criterion.name)
            total = total + weight * (policy.unknown_fit if fit is None else fit)
            weight_sum = weight_sum + weight
    total = total - weights.refusals * nearest_refusal(c, refused)
    return None, total / weight_sum * 100 if weight_sum > 0 else 0.0


def rank(
    pool: CreatorPool,
    targeting: Targeting,
    *,
    tiers: TierPolicy | None = None,
    policy: MatchingPolicy | None = None,
    collaboration: Collaboration = Collaboration.GIFTED,
    past: Mapping[str, PastPerformance] | None = None,
    refusals: Sequence[RefusalSignal] = (),
    in_campaign: Collection[str] = (),
    limit: int | None = 50,
    campaign_id: str | None = None,
    block: int = 16_384,
) -> Ranking:
    """Rank ``pool`` for an offer targeting ``targeting`` (the package docstring gives the
    rule): the best ``limit`` matches explained (None: all), and every ranked id in order.

    ``past`` is the brand's history per creator, ``refusals`` the refusals on this offer
    to learn from, ``in_campaign`` the creators already applied or on the list. Similarity
    to refused creators is computed ``block`` candidates at a time, to bound memory.
    """
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise ValidationError("limit", limit, "must be a non-negative whole number or None")
    policy = policy or MatchingPolicy()
    cs = Candidates.of(
        pool, targeting, tiers or TierPolicy(), policy, collaboration, past or {}, in_campaign
    )
    fails, first_fail = _filter(cs)
    passing = np.flatnonzero(first_fail < 0)
    fits = tuple((f, f.fit_all(cs)) for f in FITS if f.counts(targeting))
    total, weight_sum = _points(cs, fits)
    signals = tuple(s for s in refusals if s.strength(policy) > 0)
    penalty, nearest = refusal_penalties(cs, passing, signals, block)
    total = total - policy.weights.refusals * np.where(np.isnan(penalty), 0.0, penalty)
    score = total / weight_sum * 100 if weight_sum > 0 else np.zeros(len(pool))
    order = passing[np.lexsort((passing, -score[passing]))]
    ranks = np.zeros(len(pool), dtype=np.int64)
    ranks[order] = np.arange(1, len(order) + 1)
    scores = Scores(cs, fails, first_fail, fits, penalty, nearest, signals, score, ranks)
    top = order if limit is None else order[:limit]
    filtered = {
        name: int(np.count_nonzero(first_fail == k))
        for k, name in enumerate(FILTER_NAMES)
        if np.any(first_fail == k)
    }
    return Ranking(
        campaign_id,
        tuple(explain(scores, int(i)) for i in top),
        len(pool),
        len(order),
        filtered,
        tuple(pool.creators[int(i)].id for i in order),
        scores,
    )


def _filter(cs: Candidates) -> tuple[dict[str, Bools], Ints]:
    """Each filter in effect's failures, and the index of each creator's first one (-1: none)."""
    fails = {f.name: f.fails_all(cs) for f in FILTERS if f.applies(cs.targeting, cs.policy)}
    first_fail = np.full(len(cs.pool), -1, dtype=np.int64)
    for k in range(len(FILTERS) - 1, -1, -1):
        failed = fails.get(FILTER_NAMES[k])
        if failed is not None:
            first_fail[failed] = k
    return fails, first_fail


def _points(cs: Candidates, fits: Sequence[tuple[Fit, Floats]]) -> tuple[Floats, float]:
    """Each creator's points before the refusal penalty, and the sum of the weights."""
    total = np.zeros(len(cs.pool))
    weight_sum = 0.0
    for criterion, fit in fits:
        weight = getattr(cs.policy.weights, criterion.name)
        total = total + weight * np.where(np.isnan(fit), cs.policy.unknown_fit, fit)
        weight_sum = weight_sum + weight
    return total, weight_sum
