"""Learning from the brand's refusals on the offer (step 4 of the rule), in both forms side
by side: one creator against the refused ones, and the pool in blocks of candidates."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs
import numpy as np

from influcampaign.analytics.matching.pool import TIERS, Floats, Ints
from influcampaign.analytics.matching.profile import Candidate, Candidates, main_account
from influcampaign.domain.application import RefusalReason
from influcampaign.domain.creator import Creator
from influcampaign.domain.targeting import MatchingPolicy
from influcampaign.errors import ValidationError

__all__ = [
    "REFUSAL_STRENGTH",
    "RefusalSignal",
    "nearest_refusal",
    "refusal_penalties",
    "refusal_text",
]

REFUSAL_STRENGTH: Mapping[RefusalReason, float] = {
    RefusalReason.OUT_OF_TARGET: 1.0,
    RefusalReason.AUDIENCE: 0.75,
    RefusalReason.CONTENT_QUALITY: 0.5,
    RefusalReason.FULL: 0.0,
    RefusalReason.BUDGET: 0.0,
    RefusalReason.OTHER: 0.0,
}
"""How much a refusal for each reason says about similar profiles."""


@attrs.frozen
class RefusalSignal:
    """A refusal on the offer that ranking learns from: the creator refused, why, and
    whether the brand decided quickly."""

    creator_id: str
    reason: RefusalReason
    quick: bool = True

    def strength(self, policy: MatchingPolicy) -> float:
        """How strongly similar profiles are pushed down (0-1)."""
        base = REFUSAL_STRENGTH[self.reason]
        return base if self.quick else base * policy.slow_refusal_factor


def _similarity(a: Candidate, b: Creator) -> float:
    """The Jaccard index of the two creators' themes, halved when their tiers differ."""
    tier_b = TIERS.index(a.tiers.tier_for(main_account(b, a.targeting)[1]))
    inter = len(a.creator.themes & b.themes)
    union = len(a.creator.themes) + len(b.themes) - inter
    jaccard = inter / union if union else 0.0
    return jaccard * ((1.0 + (1.0 if a.tier_index == tier_b else 0.0)) / 2)


def nearest_refusal(c: Candidate, refused: Sequence[tuple[Creator, RefusalSignal]]) -> float:
    """One creator's penalty: its largest similarity x strength over the refusals."""
    penalty = 0.0
    for other, signal in refused:
        strength = signal.strength(c.policy)
        if strength <= 0:
            continue
        value = _similarity(c, other) * strength
        if value > penalty:
            penalty = value
    return penalty


def refusal_penalties(
    cs: Candidates, passing: Ints, signals: Sequence[RefusalSignal], block: int
) -> tuple[Floats, Ints]:
    """The pool's penalties (NaN for the creators filtered out) and, for each, the index in
    ``signals`` of the most similar refusal (-1: none), ``block`` candidates at a time to
    bound memory. ``signals`` are those of a positive strength."""
    n, pool = len(cs.pool), cs.pool
    penalty = np.full(n, np.nan)
    nearest = np.full(n, -1, dtype=np.int64)
    penalty[passing] = 0.0
    if not signals:
        return penalty, nearest
    missing = [s.creator_id for s in signals if s.creator_id not in pool.index]
    if missing:
        raise ValidationError("refusals", missing[0], "is not a creator of the pool")
    refused = np.array([pool.index[s.creator_id] for s in signals], dtype=np.int64)
    strength = np.array([s.strength(cs.policy) for s in signals])
    r_themes = pool.themes[refused].T.astype(np.int64)
    for start in range(0, len(passing), block):
        chunk = passing[start : start + block]
        inter = pool.themes[chunk].astype(np.int64) @ r_themes
        union = pool.theme_count[chunk, None] + pool.theme_count[refused][None, :] - inter
        with np.errstate(invalid="ignore", divide="ignore"):
            jaccard = np.where(union > 0, inter / np.maximum(union, 1), 0.0)
        same_tier = (cs.tier[chunk, None] == cs.tier[refused][None, :]).astype(np.float64)
        similar = jaccard * ((1.0 + same_tier) / 2) * strength[None, :]
        best = np.argmax(similar, axis=1)
        value = similar[np.arange(len(chunk)), best]
        penalty[chunk] = value
        nearest[chunk] = np.where(value > 0, best, -1)
    return penalty, nearest


def refusal_text(signals: Sequence[RefusalSignal], nearest: int) -> tuple[str, str]:
    """The explanation's words: the refusal a creator resembles most, and how many there are."""
    if nearest >= 0:
        signal = signals[nearest]
        value = f"resembles {signal.creator_id}, refused ({signal.reason.value})"
    else:
        value = "resembles no refused creator" if signals else "no refusal to learn from"
    return value, f"{len(signals)} refusals on this offer"
