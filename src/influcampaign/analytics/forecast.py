"""Forecasts of reach, impressions, engagements and EMV from deliverables and creators'
audience statistics, with P10 / P50 / P90 by a seeded Monte Carlo simulation (numpy).

The model, per deliverable of ``quantity`` contents of one format on one platform:

- expected impressions per content = the creator's average views for video formats when
  known, else followers times ``impression_rate[format]``; reach = impressions ÷
  ``impressions_per_reach``; views = impressions on video formats;
- expected engagements per content = followers times engagement rate (else
  ``default_engagement_rate``) times ``engagement_factor[format]``, split into likes, comments,
  shares and saves by ``engagement_split``;
- each draw multiplies impressions by a log-normal factor (``reach_sigma``) and
  engagements by another (``engagement_sigma``), both of mean 1, drawn once per deliverable
  (a creator's contents of one campaign rise and fall together);
- EMV = the actions valued by the rate card's unit values.

Quantiles of a creator or of the campaign are taken on the sum of its deliverables' draws,
not by adding their quantiles.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import TYPE_CHECKING, Any

import attrs
import numpy as np

from influcampaign.domain.creator import Platform
from influcampaign.domain.deliverable import ContentFormat
from influcampaign.domain.emv import EmvAction
from influcampaign.errors import ValidationError

if TYPE_CHECKING:
    from numpy.typing import NDArray

__all__ = [
    "VIDEO_FORMATS",
    "Estimate",
    "ForecastInput",
    "ForecastModel",
    "Simulation",
    "simulate",
]

VIDEO_FORMATS = frozenset(
    {ContentFormat.REEL, ContentFormat.SHORT, ContentFormat.VIDEO, ContentFormat.LIVE}
)
"""Formats whose attention is counted in views."""

QUANTILES = (0.1, 0.5, 0.9)

_F = ContentFormat


def _impression_rate() -> dict[ContentFormat, float]:
    return {
        _F.POST: 0.30,
        _F.CAROUSEL: 0.35,
        _F.STORY: 0.10,
        _F.REEL: 0.45,
        _F.SHORT: 0.40,
        _F.VIDEO: 0.30,
        _F.LIVE: 0.05,
        _F.UGC: 0.0,
    }


def _engagement_factor() -> dict[ContentFormat, float]:
    return {
        _F.POST: 1.0,
        _F.CAROUSEL: 1.15,
        _F.STORY: 0.25,
        _F.REEL: 1.2,
        _F.SHORT: 1.1,
        _F.VIDEO: 0.9,
        _F.LIVE: 0.4,
        _F.UGC: 0.0,
    }


def _engagement_split() -> dict[EmvAction, float]:
    return {
        EmvAction.LIKES: 0.88,
        EmvAction.COMMENTS: 0.05,
        EmvAction.SHARES: 0.03,
        EmvAction.SAVES: 0.04,
    }


def _fraction_map(value: Any) -> dict[Any, float]:
    if not isinstance(value, Mapping):
        raise ValidationError("model", value, "must be a mapping")
    for key, share in value.items():
        if isinstance(share, bool) or not isinstance(share, int | float) or share < 0:
            raise ValidationError(f"model.{key}", share, "must be a non-negative number")
    return {k: float(v) for k, v in value.items()}


def _positive(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ValidationError(attribute.name, value, "must be a positive number")


def _sigma(_instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 3:
        raise ValidationError(attribute.name, value, "must be a number from 0 to 3")


@attrs.frozen
class ForecastModel:
    """The assumptions of a forecast, as one frozen value (see the module for the model).

    Defaults are typical organic figures: a post is seen by about 30 % of followers, a reel
    by 45 %, a story by 10 %; engagement splits 88 % likes, 5 % comments, 3 % shares, 4 %
    saves. Calibrate them on your own campaigns' actuals.
    """

    impression_rate: Mapping[ContentFormat, float] = attrs.field(
        factory=_impression_rate, converter=_fraction_map
    )
    engagement_factor: Mapping[ContentFormat, float] = attrs.field(
        factory=_engagement_factor, converter=_fraction_map
    )
    engagement_split: Mapping[EmvAction, float] = attrs.field(
        factory=_engagement_split, converter=_fraction_map
    )
    impressions_per_reach: float = attrs.field(default=1.25, validator=_positive)
    default_engagement_rate: float = attrs.field(default=0.02, validator=_positive)
    reach_sigma: float = attrs.field(default=0.5, validator=_sigma)
    engagement_sigma: float = attrs.field(default=0.6, validator=_sigma)


@attrs.frozen
class ForecastInput:
    """One deliverable to forecast: who, where, how many, the creator's statistics on that
    platform, the unit values of the rate card for it (in the report's currency), and its
    budget."""

    key: str
    creator_id: str
    platform: Platform
    format: ContentFormat
    quantity: int
    followers: int
    engagement_rate: float | None
    average_views: int | None
    unit_values: Mapping[EmvAction, Decimal]
    budget: Decimal = Decimal(0)


@attrs.frozen
class Estimate:
    """P10, P50 and P90 of a forecast figure."""

    p10: Decimal
    p50: Decimal
    p90: Decimal

    def verdict(self, actual: Decimal | int) -> str:
        """``below`` P10, ``within`` P10 to P90, or ``above`` P90."""
        if actual < self.p10:
            return "below"
        if actual > self.p90:
            return "above"
        return "within"


FIGURES = ("reach", "impressions", "engagements", "emv")


@attrs.frozen
class Simulation:
    """Quantiles of each figure, per deliverable (``keys``), per creator and in total.

    ``per_key[key][figure]`` and ``per_creator[creator][figure]`` are (P10, P50, P90) floats.
    """

    per_key: Mapping[str, Mapping[str, tuple[float, float, float]]]
    per_creator: Mapping[str, Mapping[str, tuple[float, float, float]]]
    total: Mapping[str, tuple[float, float, float]]
    draws: int
    seed: int


def _bases(
    items: Sequence[ForecastInput], model: ForecastModel
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Expected impressions and engagements per deliverable, and their EMV per unit."""
    n = len(items)
    impressions = np.zeros(n)
    engagements = np.zeros(n)
    per_impression = np.zeros(n)
    per_engagement = np.zeros(n)
    split = model.engagement_split
    for i, item in enumerate(items):
        video = item.format in VIDEO_FORMATS
        if video and item.average_views is not None:
            base = float(item.average_views)
        else:
            base = item.followers * model.impression_rate.get(item.format, 0.0)
        rate = item.engagement_rate
        if rate is None:
            rate = model.default_engagement_rate
        impressions[i] = base * item.quantity
        engagements[i] = (
            item.followers * rate * model.engagement_factor.get(item.format, 0.0) * item.quantity
        )
        values = {a: float(v) for a, v in item.unit_values.items()}
        per_impression[i] = (
            values.get(EmvAction.IMPRESSIONS, 0.0)
            + (values.get(EmvAction.VIEWS, 0.0) if video else 0.0)
            + values.get(EmvAction.REACH, 0.0) / model.impressions_per_reach
        )
        per_engagement[i] = sum(values.get(a, 0.0) * share for a, share in split.items())
    return impressions, engagements, per_impression, per_engagement


def _blocks(creators: Sequence[str], size: int) -> list[tuple[int, int]]:
    """Column ranges of about ``size`` deliverables that never split a creator."""
    blocks: list[tuple[int, int]] = []
    start = 0
    n = len(creators)
    while start < n:
        end = min(start + size, n)
        while end < n and creators[end] == creators[end - 1]:
            end += 1
        blocks.append((start, end))
        start = end
    return blocks


def _quantiles(values: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.quantile(values, QUANTILES, axis=0)


def simulate(
    items: Sequence[ForecastInput],
    model: ForecastModel | None = None,
    *,
    draws: int = 10_000,
    seed: int = 0,
    block: int = 256,
) -> Simulation:
    """Run the Monte Carlo forecast of ``items`` (any order): the same seed gives the same
    figures. Memory stays bounded: deliverables are simulated a block of creators at a time.
    """
    if isinstance(draws, bool) or not isinstance(draws, int) or not 1 <= draws <= 1_000_000:
        raise ValidationError("draws", draws, "must be a whole number from 1 to 1000000")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValidationError("seed", seed, "must be a non-negative whole number")
    model = model or ForecastModel()
    ordered = sorted(items, key=lambda it: (it.creator_id, it.key))
    keys = [it.key for it in ordered]
    if len(set(keys)) != len(keys):
        raise ValidationError("items", keys, "each deliverable is forecast once")
    creators = [it.creator_id for it in ordered]
    impressions, engagements, per_impression, per_engagement = _bases(ordered, model)
    rng = np.random.default_rng(seed)
    sr, se = model.reach_sigma, model.engagement_sigma
    totals = np.zeros((len(FIGURES), draws))
    per_key: dict[str, dict[str, tuple[float, float, float]]] = {}
    per_creator: dict[str, dict[str, tuple[float, float, float]]] = {}
    for start, end in _blocks(creators, block):
        width = end - start
        reach_factor = np.exp(rng.standard_normal((draws, width)) * sr - sr * sr / 2)
        engagement_factor = np.exp(rng.standard_normal((draws, width)) * se - se * se / 2)
        imp = impressions[start:end] * reach_factor
        eng = engagements[start:end] * engagement_factor
        figures = (
            imp / model.impressions_per_reach,
            imp,
            eng,
            imp * per_impression[start:end] + eng * per_engagement[start:end],
        )
        block_creators = creators[start:end]
        firsts = [0] + [j for j in range(1, width) if block_creators[j] != block_creators[j - 1]]
        names = [block_creators[j] for j in firsts]
        for f, (name, values) in enumerate(zip(FIGURES, figures, strict=True)):
            q = _quantiles(values)
            for j in range(width):
                per_key.setdefault(keys[start + j], {})[name] = (q[0, j], q[1, j], q[2, j])
            grouped = np.add.reduceat(values, firsts, axis=1)
            qc = _quantiles(grouped)
            for j, creator in enumerate(names):
                per_creator.setdefault(creator, {})[name] = (qc[0, j], qc[1, j], qc[2, j])
            totals[f] += values.sum(axis=1)
    qt = _quantiles(totals.T) if items else np.zeros((3, len(FIGURES)))
    total = {name: (qt[0, f], qt[1, f], qt[2, f]) for f, name in enumerate(FIGURES)}
    return Simulation(per_key, per_creator, total, draws, seed)


def count_estimate(q: tuple[float, float, float]) -> Estimate:
    """Quantiles of a count, as whole numbers."""
    return Estimate(*(Decimal(round(v)) for v in q))


def money_estimate(q: tuple[float, float, float], places: int) -> Estimate:
    """Quantiles of an amount, as Decimals rounded to ``places`` decimals.

    The simulation works in floats (an estimate, not money owed); its quantiles are rounded
    to the currency's minor units when they become Decimals.
    """
    quantum = Decimal(1).scaleb(-places)
    return Estimate(*(Decimal(repr(float(v))).quantize(quantum, ROUND_HALF_EVEN) for v in q))
