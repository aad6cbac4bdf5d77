"""The shape of a criterion of the rule: a hard :class:`Filter` or a scored :class:`Fit`, each
with its plain form (one ``profile.Candidate``, for :func:`~influcampaign.score_creator`), its
vectorised form (``profile.Candidates``, a pool, for :func:`~influcampaign.rank`) and the words
that explain it."""

from __future__ import annotations

import abc
import enum
from collections.abc import Iterable
from typing import Any

from influcampaign.analytics.matching.pool import Bools, Floats
from influcampaign.analytics.matching.profile import Candidate, Candidates
from influcampaign.domain.targeting import MatchingPolicy, Targeting

__all__ = ["CriterionKind", "Filter", "Fit", "names", "pct"]


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
