"""Who an offer is for (:class:`Targeting`) and how creators are ranked against it
(:class:`MatchingPolicy`). Frozen values; the ranking itself is ``analytics.matching``."""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from typing import Any

import attrs

from influcampaign.domain._validate import check_id, check_text, parse_enum
from influcampaign.domain.creator import Platform, Tier, TierPolicy, parse_platform
from influcampaign.errors import ValidationError

__all__ = [
    "Collaboration",
    "FollowerRange",
    "MatchWeights",
    "MatchingPolicy",
    "Targeting",
]


class Collaboration(enum.StrEnum):
    """How creators are compensated: a fee (paid, maybe with a gift) or a gift only."""

    PAID = "paid"
    GIFTED = "gifted"


def _bound(field: str, value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError(field, value, "must be a non-negative whole number of followers")
    return value


def _low(value: Any) -> int:
    return _bound("followers.low", value) or 0


def _high(value: Any) -> int | None:
    return _bound("followers.high", value)


@attrs.frozen
class FollowerRange:
    """Followers in ``[low, high)`` (``high`` None: no upper bound), as tiers are counted.

    >>> FollowerRange(10_000, 100_000).contains(99_999)
    True
    """

    low: int = attrs.field(default=0, converter=_low)
    high: int | None = attrs.field(default=None, converter=_high)

    def __attrs_post_init__(self) -> None:
        if self.high is not None and self.high < self.low:
            raise ValidationError(
                "followers", (self.low, self.high), "is inverted: high is below low"
            )
        if self.high is not None and self.high == self.low:
            raise ValidationError(
                "followers", (self.low, self.high), "is empty: [low, high) holds no count"
            )

    def contains(self, followers: int) -> bool:
        """Whether ``followers`` is in the range."""
        return self.low <= followers and (self.high is None or followers < self.high)

    def __str__(self) -> str:
        return f"{self.low:,}+" if self.high is None else f"{self.low:,}-{self.high - 1:,}"


def _platforms(value: Any) -> frozenset[Platform]:
    return frozenset(parse_platform(p, "platforms") for p in _collection("platforms", value))


def _tiers(value: Any) -> frozenset[Tier]:
    return frozenset(parse_enum(Tier, "tiers", tier) for tier in _collection("tiers", value))


def _collection(field: str, value: Any) -> list[Any]:
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError(field, value, "must be a collection")
    return list(value)


def _themes(value: Any) -> frozenset[str]:
    return frozenset(
        check_text("themes", t, max_length=60).casefold() for t in _collection("themes", value)
    )


def _codes(field: str, value: Any, size: tuple[int, int], upper: bool) -> frozenset[str]:
    codes = set()
    for code in _collection(field, value):
        if not isinstance(code, str) or not code.isascii() or not code.isalpha():
            raise ValidationError(field, code, "is not an ISO code")
        if not size[0] <= len(code) <= size[1]:
            raise ValidationError(field, code, "is not an ISO code")
        codes.add(code.upper() if upper else code.lower())
    return frozenset(codes)


def _countries(value: Any) -> frozenset[str]:
    return _codes("countries", value, (2, 2), True)


def _languages(value: Any) -> frozenset[str]:
    return _codes("languages", value, (2, 3), False)


def _audience_countries(value: Any) -> frozenset[str]:
    return _codes("audience_countries", value, (2, 2), True)


def _audience_languages(value: Any) -> frozenset[str]:
    return _codes("audience_languages", value, (2, 3), False)


def _excluded(value: Any) -> frozenset[str]:
    return frozenset(check_id("excluded", c) for c in _collection("excluded", value))


def _fraction(field: str, value: Any, *, positive: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(field, value, "must be a fraction between 0 and 1")
    if not 0 <= value <= 1 or (positive and value == 0):
        qualifier = "above 0 and at most 1" if positive else "between 0 and 1"
        raise ValidationError(field, value, f"must be a fraction {qualifier}")
    return float(value)


def _min_engagement(value: Any) -> float | None:
    return None if value is None else _fraction("min_engagement_rate", value, positive=True)


def _min_share(value: Any) -> float:
    return _fraction("min_audience_share", value, positive=False)


def _collaboration(value: Any) -> Collaboration | None:
    return None if value is None else parse_enum(Collaboration, "collaboration", value)


@attrs.frozen
class Targeting:
    """Who an offer is for. Every part is optional: an empty collection means "any".

    - ``platforms``, ``tiers``, ``followers``, ``min_engagement_rate``: the creator's main
      account for the offer is its largest account on one of ``platforms`` (any platform
      when empty); its tier, followers and engagement rate are those of that account;
    - ``themes``: the offer's subjects; a creator fits by the share of them it covers;
    - ``countries``, ``languages``: the creator's own;
    - ``audience_countries``, ``audience_languages``: where its audience is, when the
      creator shares it; with ``min_audience_share`` above 0, a creator whose known share
      is lower is filtered out;
    - ``collaboration``: paid or gifted (None: from the campaign's compensation);
    - ``excluded``: creator ids never to propose.

    Hard filters (platforms, tiers, followers, engagement, countries, languages, audience
    share, exclusions) only exclude on known data; the matching module documents the score.
    """

    platforms: frozenset[Platform] = attrs.field(factory=frozenset, converter=_platforms)
    tiers: frozenset[Tier] = attrs.field(factory=frozenset, converter=_tiers)
    followers: FollowerRange | None = attrs.field(default=None)
    min_engagement_rate: float | None = attrs.field(default=None, converter=_min_engagement)
    themes: frozenset[str] = attrs.field(factory=frozenset, converter=_themes)
    countries: frozenset[str] = attrs.field(factory=frozenset, converter=_countries)
    languages: frozenset[str] = attrs.field(factory=frozenset, converter=_languages)
    audience_countries: frozenset[str] = attrs.field(
        factory=frozenset, converter=_audience_countries
    )
    audience_languages: frozenset[str] = attrs.field(
        factory=frozenset, converter=_audience_languages
    )
    min_audience_share: float = attrs.field(default=0.0, converter=_min_share)
    collaboration: Collaboration | None = attrs.field(default=None, converter=_collaboration)
    excluded: frozenset[str] = attrs.field(factory=frozenset, converter=_excluded)

    def __attrs_post_init__(self) -> None:
        if self.followers is not None and not isinstance(self.followers, FollowerRange):
            raise ValidationError("followers", self.followers, "must be a FollowerRange")
        if self.min_audience_share > 0 and not (self.audience_countries or self.audience_languages):
            raise ValidationError(
                "min_audience_share",
                self.min_audience_share,
                "needs audience_countries or audience_languages to measure the share in",
            )

    def check_tiers(self, policy: TierPolicy) -> None:
        """Refuse a follower range that no creator of the targeted tiers can be in (an empty
        targeting), under the campaign's tier thresholds."""
        if self.followers is None or not self.tiers:
            return
        lows = (0, *policy.thresholds)
        highs: tuple[int | None, ...] = (*policy.thresholds, None)
        order = list(Tier)
        for tier in self.tiers:
            low, high = lows[order.index(tier)], highs[order.index(tier)]
            top = self.followers.high
            if (high is None or self.followers.low < high) and (top is None or low < top):
                return
        raise ValidationError(
            "followers",
            str(self.followers),
            f"holds no creator of tiers {', '.join(sorted(t.value for t in self.tiers))}: "
            "the targeting is empty",
        )


def _weight(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(f"weights.{attribute.name}", value, "must be a number")
    if value < 0:
        raise ValidationError(f"weights.{attribute.name}", value, "must not be negative")


def _weight_field(default: float) -> Any:
    return attrs.field(default=default, validator=_weight)


@attrs.frozen
class MatchWeights:
    """How much each criterion counts in a creator's score (0 turns a criterion off).

    Fit to the targeting: ``themes``, ``engagement``, ``audience_countries``,
    ``audience_languages``, ``collaboration``. Past performance with the brand: ``rating``,
    ``on_time``, ``compliance``. ``refusals`` is the penalty for resembling creators the
    brand refused on this offer.
    """

    themes: float = _weight_field(3.0)
    engagement: float = _weight_field(2.0)
    audience_countries: float = _weight_field(2.0)
    audience_languages: float = _weight_field(1.0)
    collaboration: float = _weight_field(1.0)
    rating: float = _weight_field(3.0)
    on_time: float = _weight_field(2.0)
    compliance: float = _weight_field(2.0)
    refusals: float = _weight_field(4.0)


def _unknown_fit(value: Any) -> float:
    return _fraction("unknown_fit", value, positive=False)


def _slow_factor(value: Any) -> float:
    return _fraction("slow_refusal_factor", value, positive=False)


def _hours(_instance: Any, _attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError("quick_refusal_hours", value, "must be a whole number of hours >= 1")


@attrs.frozen
class MatchingPolicy:
    """How a campaign ranks creators (see ``influcampaign.analytics.matching``).

    ``unknown_fit``: the fit (0-1) given to a criterion whose data is not known (a creator
    new to the brand is neither a good nor a bad past collaborator). A refusal decided
    within ``quick_refusal_hours`` of the application counts fully, a slower one times
    ``slow_refusal_factor``. With ``exclude_not_again``, creators whose latest review says
    not to work with them again are filtered out.
    """

    weights: MatchWeights = attrs.Factory(MatchWeights)
    unknown_fit: float = attrs.field(default=0.5, converter=_unknown_fit)
    quick_refusal_hours: int = attrs.field(default=48, validator=_hours)
    slow_refusal_factor: float = attrs.field(default=0.5, converter=_slow_factor)
    exclude_not_again: bool = True
