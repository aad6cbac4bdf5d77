"""Reach planning: which creators maximise distinct reach under a count or a budget.

Distinct reach is a coverage function (monotone, submodular), so the greedy algorithm that
adds, each time, the creator bringing the most new followers reaches at least (1 - 1/e) ≈
63 % of the best possible reach under a maximum count (Nemhauser, Wolsey & Fisher, 1978).
Under a budget, greedy by new followers per unit of cost, compared with the best single
affordable creator, reaches at least (1 - 1/e) / 2 ≈ 32 % (Khuller, Moss & Naor, 1999); in
practice it is usually far closer. Gains are read from the membership histogram, and kept
up to date as followers are covered, so a plan costs O(patterns x creators) in numpy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs
import numpy as np

from influcampaign.analytics.overlap import MembershipHistogram
from influcampaign.domain.money import Money
from influcampaign.errors import CurrencyMismatch, ValidationError

__all__ = [
    "COUNT_GUARANTEE",
    "BUDGET_GUARANTEE",
    "PlanStep",
    "ReachChange",
    "ReachPlan",
    "plan_reach",
    "reach_change",
]

COUNT_GUARANTEE = 1 - 1 / math.e
"""Greedy under a maximum count reaches at least this share of the optimum."""

BUDGET_GUARANTEE = (1 - 1 / math.e) / 2
"""Greedy-by-ratio, compared with the best single creator, under a budget."""


@attrs.frozen
class PlanStep:
    """A creator added to the plan: the followers it adds and the reach so far."""

    creator_id: str
    marginal_reach: int
    reach: int
    cost: Money | None = None


@attrs.frozen
class ReachPlan:
    """The creators chosen, in the order the greedy algorithm added them."""

    steps: tuple[PlanStep, ...]
    reach: int
    cost: Money | None
    guarantee: float  # the share of the optimal reach this plan is proven to reach at least

    @property
    def creator_ids(self) -> tuple[str, ...]:
        """The chosen creators, in order."""
        return tuple(s.creator_id for s in self.steps)

    def records(self, names: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
        """One row per step: the creator (and its name from ``names``), the followers it
        adds, the reach so far, its cost and the running cost (amounts as Decimal)."""
        rows: list[dict[str, Any]] = []
        spent: Decimal | None = None
        for number, step in enumerate(self.steps, start=1):
            if step.cost is not None:
                spent = (spent or Decimal(0)) + step.cost.amount
            rows.append(
                {
                    "step": number,
                    "creator_id": step.creator_id,
                    "creator": (names or {}).get(step.creator_id, step.creator_id),
                    "marginal_reach": step.marginal_reach,
                    "reach": step.reach,
                    "cost": None if step.cost is None else step.cost.amount,
                    "cumulative_cost": spent,
                    "currency": None if step.cost is None else step.cost.currency,
                }
            )
        return rows

    def frame(
        self,
        names: Mapping[str, str] | None = None,
        library: str = "pandas",
        *,
        floats: bool = False,
    ) -> Any:
        """:meth:`records` as a pandas or polars DataFrame (the ``frames`` extra)."""
        from influcampaign.adapters.frames import to_frame

        return to_frame(self.records(names), library, floats=floats)


@attrs.frozen
class ReachChange:
    """What adding or removing creators does to a selection's distinct reach."""

    before: int
    after: int

    @property
    def delta(self) -> int:
        """Followers won (positive) or lost (negative)."""
        return self.after - self.before


def _costs(
    histogram: MembershipHistogram, costs: Mapping[str, Money] | None, budget: Money | None
) -> list[Money] | None:
    if budget is None:
        return None
    if not isinstance(budget, Money) or budget.amount < 0:
        raise ValidationError("budget", budget, "must be non-negative Money")
    if costs is None:
        raise ValidationError("costs", None, "a budget needs the cost of each creator")
    out = []
    for creator_id in histogram.creators:
        cost = costs.get(creator_id)
        if not isinstance(cost, Money) or cost.amount < 0:
            raise ValidationError(f"costs[{creator_id}]", cost, "must be non-negative Money")
        if cost.currency != budget.currency:
            raise CurrencyMismatch(f"costs[{creator_id}]", budget.currency, cost.currency)
        out.append(cost)
    return out


def _greedy(
    histogram: MembershipHistogram,
    *,
    max_creators: int | None,
    costs: list[Money] | None,
    budget: Money | None,
) -> list[tuple[int, int]]:
    member = histogram.membership
    counts = histogram.counts.astype(np.float64)
    gains = counts @ member  # new followers each creator would add
    covered = np.zeros(len(counts), dtype=bool)
    k = len(histogram.creators)
    chosen = np.zeros(k, dtype=bool)
    spent = budget.amount * 0 if budget is not None else None
    cost_values = np.array([float(c.amount) for c in costs]) if costs is not None else None
    picked: list[tuple[int, int]] = []
    while max_creators is None or len(picked) < max_creators:
        eligible = ~chosen & (gains > 0)
        if costs is not None and budget is not None and spent is not None:
            left = budget.amount - spent
            eligible &= np.array([c.amount <= left for c in costs])
        if not eligible.any():
            break
        score = gains.copy()
        if cost_values is not None:  # under a budget: new followers per unit of cost
            free = cost_values <= 0  # a free creator with new followers comes first
            score = np.divide(gains, cost_values, out=np.full(k, np.inf), where=~free)
        score[~eligible] = -1.0
        best = int(np.argmax(score))  # ties: the first creator, so plans are deterministic
        newly = member[:, best] & ~covered
        gain = round(counts[newly].sum())
        gains -= counts[newly] @ member[newly]
        covered |= newly
        chosen[best] = True
        if costs is not None and spent is not None:
            spent += costs[best].amount
        picked.append((best, gain))
    return picked


def plan_reach(
    histogram: MembershipHistogram,
    *,
    max_creators: int | None = None,
    budget: Money | None = None,
    costs: Mapping[str, Money] | None = None,
) -> ReachPlan:
    """The greedy plan under ``max_creators`` and/or ``budget`` (with each creator's cost),
    with the followers each chosen creator adds."""
    if max_creators is not None and (
        isinstance(max_creators, bool) or not isinstance(max_creators, int) or max_creators < 0
    ):
        raise ValidationError("max_creators", max_creators, "must be a non-negative integer")
    cost_list = _costs(histogram, costs, budget)
    picked = _greedy(histogram, max_creators=max_creators, costs=cost_list, budget=budget)
    guarantee = COUNT_GUARANTEE
    if budget is not None and cost_list is not None:
        guarantee = BUDGET_GUARANTEE
        best_single = max(
            (
                (int(histogram.counts[histogram.membership[:, i]].sum()), i)
                for i, c in enumerate(cost_list)
                if c.amount <= budget.amount
            ),
            default=None,
        )
        if best_single is not None and best_single[0] > sum(g for _, g in picked):
            picked = [(best_single[1], best_single[0])]
    steps = []
    reach = 0
    for index, gain in picked:
        reach += gain
        cost = cost_list[index] if cost_list is not None else None
        steps.append(PlanStep(histogram.creators[index], gain, reach, cost))
    total = (
        Money.sum([s.cost for s in steps if s.cost is not None], budget.currency)
        if budget is not None
        else None
    )
    return ReachPlan(tuple(steps), reach, total, guarantee)


def reach_change(
    histogram: MembershipHistogram,
    selection: Sequence[str],
    *,
    add: Sequence[str] = (),
    remove: Sequence[str] = (),
) -> ReachChange:
    """The distinct reach of ``selection`` before and after adding and removing creators."""
    before = list(dict.fromkeys(selection))
    for creator_id in [*add, *remove, *before]:
        histogram._index(creator_id)
    after = [c for c in before if c not in set(remove)] + [c for c in add if c not in before]
    return ReachChange(histogram.reach(before), histogram.reach(after))
