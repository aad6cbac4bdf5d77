"""The comparison of segments of creators (tier, paid vs gifted, theme) and of contents
(platform, format) over one or several campaigns."""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import attrs

from influcampaign.analytics.report._common import RATIO, ratio
from influcampaign.analytics.report.roi import RoiLine
from influcampaign.domain.content import Submission
from influcampaign.domain.creator import Platform, Tier
from influcampaign.domain.deliverable import ContentFormat
from influcampaign.domain.money import Money

__all__ = [
    "ContentFigures",
    "CreatorProfile",
    "SegmentLine",
    "mean_compliance",
    "segments_of",
]


@attrs.frozen
class CreatorProfile:
    """What segments a creator by, and its figures in one campaign."""

    creator_id: str
    tier: Tier
    paid: bool
    themes: frozenset[str]
    roi: RoiLine
    compliance: Decimal | None  # mean validated brief percentage
    on_time_rate: Decimal | None


@attrs.frozen
class SegmentLine:
    """Figures of one segment (``dimension`` = ``value``): how many creators (or contents,
    for platform and format), totals, and medians over its members (None when no member
    has the figure)."""

    dimension: str
    value: str
    count: int
    currency: str
    cost: Money
    emv: Money
    emv_per_cost: Decimal | None  # total EMV / total cost
    median_emv_per_cost: Decimal | None
    median_roi_emv: Decimal | None
    median_roi_sales: Decimal | None
    median_compliance: Decimal | None
    median_on_time_rate: Decimal | None

    def record(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "dimension": self.dimension,
            "value": self.value,
            "count": self.count,
            "currency": self.currency,
            "cost": self.cost.amount,
            "emv": self.emv.amount,
            "emv_per_cost": self.emv_per_cost,
            "median_emv_per_cost": self.median_emv_per_cost,
            "median_roi_emv": self.median_roi_emv,
            "median_roi_sales": self.median_roi_sales,
            "median_compliance": self.median_compliance,
            "median_on_time_rate": self.median_on_time_rate,
        }


def mean_compliance(submissions: Iterable[Submission]) -> Decimal | None:
    """The mean validated brief percentage of ``submissions`` (None before any validation)."""
    values = [s.validation.compliance for s in submissions if s.validation is not None]
    return None if not values else Decimal(sum(values)) / len(values)


def _median(values: Iterable[Decimal | None]) -> Decimal | None:
    known = [v for v in values if v is not None]
    if not known:
        return None
    return Decimal(statistics.median(known)).quantize(RATIO, ROUND_HALF_EVEN)


@attrs.frozen
class _Member:
    cost: Money
    emv: Money | None
    roi_emv: Decimal | None
    roi_sales: Decimal | None
    emv_per_cost: Decimal | None
    compliance: Decimal | None
    on_time: Decimal | None


def _segment(dimension: str, value: str, members: Sequence[_Member], currency: str) -> SegmentLine:
    cost = Money(sum((m.cost.amount for m in members), Decimal(0)), currency)
    emv = Money(sum((m.emv.amount for m in members if m.emv is not None), Decimal(0)), currency)
    return SegmentLine(
        dimension,
        value,
        len(members),
        currency,
        cost,
        emv,
        None if cost.is_zero() else ratio(emv.amount, cost.amount),
        _median(m.emv_per_cost for m in members),
        _median(m.roi_emv for m in members),
        _median(m.roi_sales for m in members),
        _median(m.compliance for m in members),
        _median(m.on_time for m in members),
    )


@attrs.frozen
class ContentFigures:
    """A content's share in a segment by platform or format: its EMV, the creator's cost
    split evenly over the creator's contents, its compliance and whether it was on time."""

    creator_id: str
    platform: Platform
    format: ContentFormat
    emv: Money | None
    cost: Money
    compliance: int | None
    on_time: bool | None


def segments_of(
    profiles: Sequence[CreatorProfile], contents: Sequence[ContentFigures], currency: str
) -> list[SegmentLine]:
    """Compare segments: by tier, paid vs gifted and theme (members are creators; a creator
    counts in each of its themes), and by platform and format (members are contents)."""
    groups: dict[tuple[str, str], list[_Member]] = defaultdict(list)
    for p in profiles:
        member = _Member(
            p.roi.cost,
            p.roi.emv,
            p.roi.roi_emv,
            p.roi.roi_sales,
            p.roi.emv_per_cost,
            p.compliance,
            p.on_time_rate,
        )
        groups[("tier", p.tier.value)].append(member)
        groups[("compensation", "paid" if p.paid else "gifted")].append(member)
        for theme in sorted(p.themes) or ["(none)"]:
            groups[("theme", theme)].append(member)
    for c in contents:
        defined = not c.cost.is_zero() and c.emv is not None
        member = _Member(
            c.cost,
            c.emv,
            ratio(c.emv.amount - c.cost.amount, c.cost.amount) if defined and c.emv else None,
            None,
            ratio(c.emv.amount, c.cost.amount) if defined and c.emv else None,
            None if c.compliance is None else Decimal(c.compliance),
            None if c.on_time is None else Decimal(int(c.on_time)),
        )
        groups[("platform", c.platform.value)].append(member)
        groups[("format", c.format.value)].append(member)
    order = {"tier": 0, "compensation": 1, "theme": 2, "platform": 3, "format": 4}
    tiers = {t.value: i for i, t in enumerate(Tier)}
    return [
        _segment(dimension, value, members, currency)
        for (dimension, value), members in sorted(
            groups.items(),
            key=lambda kv: (order[kv[0][0]], tiers.get(kv[0][1], 0), kv[0][1]),
        )
    ]
