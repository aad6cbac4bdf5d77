"""Explanations: every criterion of a creator's match, as values and as text, read from
what :func:`~influcampaign.rank` computed (:class:`Scores`)."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np

from influcampaign.analytics.matching.learning import RefusalSignal, refusal_text
from influcampaign.analytics.matching.pool import Bools, Floats, Ints
from influcampaign.analytics.matching.profile import Candidates
from influcampaign.analytics.matching.rule import FILTER_NAMES, FILTERS, CriterionKind, Fit
from influcampaign.errors import ValidationError

__all__ = ["Criterion", "Match", "Outcome", "Ranking", "Scores"]


class Outcome(enum.StrEnum):
    """How a creator did on a criterion."""

    MATCHED = "matched"
    PARTIAL = "partial"
    MISSED = "missed"
    UNKNOWN = "unknown"


@attrs.frozen
class Criterion:
    """One line of an explanation: the creator's value against the target, its fit (0-1,
    None for a filter), the weight and the points it earned (negative for a penalty)."""

    name: str
    kind: CriterionKind
    outcome: Outcome
    value: str
    target: str
    fit: float | None = None
    weight: float = 0.0
    points: float = 0.0

    def __str__(self) -> str:
        points = "" if self.kind is CriterionKind.FILTER else f" {self.points:+.2f}"
        return f"{self.name}: {self.outcome.value} ({self.value}; target {self.target}){points}"


@attrs.frozen
class Match:
    """A creator's place for an offer: its rank and score (0-100; None when a hard filter
    left it out, then ``filtered_by`` names the filter) and every criterion."""

    creator_id: str
    rank: int | None
    score: float | None
    criteria: tuple[Criterion, ...]
    filtered_by: str | None = None

    def criterion(self, name: str) -> Criterion:
        """The criterion called ``name``."""
        for c in self.criteria:
            if c.name == name:
                return c
        raise ValidationError("name", name, "is not a criterion of this match")

    def explain(self) -> str:
        """The explanation as text, one criterion per line."""
        head = (
            f"{self.creator_id}: filtered out by {self.filtered_by}"
            if self.filtered_by is not None
            else f"{self.creator_id}: #{self.rank}, score {self.score:.1f}"
        )
        return "\n".join([head, *(f"  {c}" for c in self.criteria)])


@attrs.frozen(eq=False)
class Scores:
    """Everything :func:`~influcampaign.rank` computed, kept to explain any creator."""

    candidates: Candidates
    fails: Mapping[str, Bools]  # by filter name, each filter in effect
    first_fail: Ints  # index in FILTERS, -1 when none
    fits: tuple[tuple[Fit, Floats], ...]  # the criteria that count, NaN: unknown
    penalty: Floats  # NaN: filtered out
    nearest: Ints  # index in signals, -1: none
    signals: tuple[RefusalSignal, ...]
    score: Floats
    ranks: Ints  # 1-based, 0 when filtered out


def _outcome(fit: float) -> Outcome:
    if fit >= 1.0:
        return Outcome.MATCHED
    return Outcome.MISSED if fit <= 0.0 else Outcome.PARTIAL


def _filter_lines(s: Scores, i: int) -> list[Criterion]:
    cs, lines = s.candidates, []
    for f in FILTERS:
        if not f.applies(cs.targeting, cs.policy):
            continue
        value, target = f.shown(cs, i)
        unknown = value in ("unknown", "no review")
        failed = bool(s.fails[f.name][i])
        outcome = Outcome.MISSED if failed else Outcome.UNKNOWN if unknown else Outcome.MATCHED
        lines.append(Criterion(f.name, CriterionKind.FILTER, outcome, value, target))
    return lines


def _fit_lines(s: Scores, i: int) -> list[Criterion]:
    cs, lines = s.candidates, []
    for criterion, fits in s.fits:
        fit = float(fits[i])
        known = not np.isnan(fit)
        used = fit if known else cs.policy.unknown_fit
        weight = float(getattr(cs.policy.weights, criterion.name))
        value, target = criterion.shown(cs, i, fit if known else None)
        outcome = _outcome(fit) if known else Outcome.UNKNOWN
        lines.append(
            Criterion(
                criterion.name, criterion.kind, outcome, value, target, used, weight, weight * used
            )
        )
    return lines


def _refusal_line(s: Scores, i: int) -> Criterion:
    penalty = float(s.penalty[i])
    weight = s.candidates.policy.weights.refusals
    value, target = refusal_text(s.signals, int(s.nearest[i]))
    outcome = Outcome.MATCHED if penalty <= 0 else _outcome(1.0 - penalty)
    return Criterion(
        "refusals",
        CriterionKind.LEARNING,
        outcome,
        value,
        target,
        penalty,
        float(weight),
        -weight * penalty,
    )


def explain(s: Scores, i: int) -> Match:
    """The match of the creator in row ``i``, with every criterion explained."""
    filtered_by = None if s.first_fail[i] < 0 else FILTER_NAMES[int(s.first_fail[i])]
    criteria = [*_filter_lines(s, i), *_fit_lines(s, i)]
    if filtered_by is None:
        criteria.append(_refusal_line(s, i))
    return Match(
        s.candidates.pool.creators[i].id,
        int(s.ranks[i]) or None,
        None if filtered_by is not None else float(s.score[i]),
        tuple(criteria),
        filtered_by,
    )


@attrs.frozen(eq=False)
class Ranking:
    """Creators ranked for an offer: the best ``matches`` with their explanation, how many
    were considered and ranked, and how many each hard filter left out."""

    campaign_id: str | None
    matches: tuple[Match, ...]
    considered: int
    ranked: int
    filtered: Mapping[str, int]
    order: tuple[str, ...]  # every ranked creator id, best first
    _arrays: Scores = attrs.field(repr=False)

    def explain(self, creator_id: str) -> Match:
        """The explanation for any creator of the pool, ranked or filtered out."""
        index = self._arrays.candidates.pool.index.get(creator_id)
        if index is None:
            raise ValidationError("creator_id", creator_id, "is not in the ranked pool")
        return explain(self._arrays, index)

    def records(self) -> list[dict[str, Any]]:
        """The matches as plain rows: rank, creator, score and each criterion's points."""
        return [
            {
                "rank": m.rank,
                "creator_id": m.creator_id,
                "score": m.score,
                **{c.name: c.points for c in m.criteria if c.kind is not CriterionKind.FILTER},
            }
            for m in self.matches
        ]
