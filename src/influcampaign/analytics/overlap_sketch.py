"""The estimated overlap report, from theta sketches (Apache DataSketches): sizes, exclusive
followers and pairwise intersections with bounds at a chosen number of standard deviations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from influcampaign.analytics.audiences import ThetaAudience, _datasketches
from influcampaign.analytics.overlap import (
    _CONFIDENCE,
    SKETCH,
    CreatorReach,
    Excluded,
    Figure,
    OverlapReport,
    PairOverlap,
    _ratio,
)
from influcampaign.errors import ValidationError

__all__ = ["sketch_report"]


def _estimate(sketch: Any, std: int) -> Figure:
    return Figure(
        float(sketch.get_estimate()),
        float(sketch.get_lower_bound(std)),
        float(sketch.get_upper_bound(std)),
    )


def _share(part: Figure, whole: Figure) -> Figure | None:
    """``part / whole`` with conservative bounds (clipped to [0, 1]); None when the whole
    is surely empty."""
    if whole.upper == 0:
        return None
    value = _ratio(part.value, whole.value)
    low = _ratio(part.lower, whole.upper)
    high = min(1.0, _ratio(part.upper, whole.lower)) if whole.lower else 1.0
    return Figure(min(1.0, value), min(low, 1.0), max(high, min(1.0, value)))


def sketch_report(
    creators: Sequence[str],
    audiences: Sequence[ThetaAudience],
    excluded: Sequence[Excluded],
    std: int,
    lg_k: int,
) -> OverlapReport:
    """The overlap report of ``audiences`` (sketches of one seed), bounds at ``std`` standard
    deviations; unions built with ``2**lg_k`` entries."""
    ds = _datasketches()
    seeds = {a.seed for a in audiences}
    if len(seeds) > 1:
        raise ValidationError("seed", sorted(seeds), "sketches built with different seeds")
    seed = seeds.pop() if seeds else 9001
    sketches = [a.sketch for a in audiences]

    def union(items: Sequence[Any]) -> Any:
        u = ds.theta_union(lg_k, 1.0, seed)
        for s in items:
            u.update(s)
        return u.get_result()

    def intersect(a: Any, b: Any) -> Any:
        i = ds.theta_intersection(seed)
        i.update(a)
        i.update(b)
        return i.get_result()

    a_not_b = ds.theta_a_not_b(seed)
    sizes = [_estimate(s, std) for s in sketches]
    reaches = []
    for i, c in enumerate(creators):
        others = union([s for j, s in enumerate(sketches) if j != i])
        alone = _estimate(a_not_b.compute(sketches[i], others), std)
        overlapping = Figure(
            max(0.0, sizes[i].value - alone.value),
            max(0.0, sizes[i].lower - alone.upper),
            max(0.0, sizes[i].upper - alone.lower),
        )
        reaches.append(CreatorReach(c, sizes[i], alone, _share(overlapping, sizes[i])))
    pairs = []
    for i in range(len(creators)):
        for j in range(i + 1, len(creators)):
            common = _estimate(intersect(sketches[i], sketches[j]), std)
            either = _estimate(union([sketches[i], sketches[j]]), std)
            smaller = sizes[i] if sizes[i].value <= sizes[j].value else sizes[j]
            pairs.append(
                PairOverlap(
                    creators[i],
                    creators[j],
                    common,
                    _share(common, sizes[i]),
                    _share(common, sizes[j]),
                    _share(common, smaller),
                    _share(common, either),
                )
            )
    total = Figure(
        sum(s.value for s in sizes), sum(s.lower for s in sizes), sum(s.upper for s in sizes)
    )
    reach = _estimate(union(sketches), std) if sketches else Figure.exact(0)
    return OverlapReport(
        engine=SKETCH,
        confidence=_CONFIDENCE[std],
        creators=tuple(reaches),
        pairs=tuple(pairs),
        total_followers=total,
        distinct_reach=reach,
        excluded=tuple(excluded),
    )
