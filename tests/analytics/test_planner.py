"""The reach planner (influcampaign.analytics.planner): greedy selection within its bounds."""

from __future__ import annotations

import itertools
import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import influcampaign as ic
from influcampaign.analytics.planner import BUDGET_GUARANTEE, COUNT_GUARANTEE, reach_change
from tests.helpers import selections


def brute_force(
    histogram: ic.OverlapReport,
    limit: int | None,
    costs: dict[str, Decimal] | None,
    budget: Decimal | None,
) -> int:
    assert histogram.histogram is not None
    creators = histogram.creator_ids
    best = 0
    for size in range(len(creators) + 1):
        if limit is not None and size > limit:
            break
        for subset in itertools.combinations(creators, size):
            if costs is not None and budget is not None and sum(costs[c] for c in subset) > budget:
                continue
            best = max(best, histogram.histogram.reach(list(subset)))
    return best


class TestPlanner:
    @given(selections(max_creators=7), st.integers(0, 7))
    def test_within_the_greedy_bound_under_a_count(
        self, audiences: dict[str, list[int]], limit: int
    ) -> None:
        """Under a maximum count, greedy reaches ≄ (1 - 1/e) of the brute-force optimum, and
        its steps add up."""
        report = ic.overlap_report(audiences)
        assert report.histogram is not None
        plan = ic.plan_reach(report.histogram, max_creators=limit)
        assert len(plan.steps) <= limit
        assert plan.guarantee == COUNT_GUARANTEE
        assert plan.reach >= COUNT_GUARANTEE * brute_force(report, limit, None, None) - 1e-9
        assert plan.reach == report.histogram.reach(list(plan.creator_ids))
        running = 0
        for step in plan.steps:
            before = running
            running = report.histogram.reach(list(plan.creator_ids[: plan.steps.index(step) + 1]))
            assert step.marginal_reach == running - before > 0
            assert step.reach == running

    @given(selections(max_creators=6), st.data())
    def test_within_the_bound_under_a_budget(
        self, audiences: dict[str, list[int]], data: st.DataObject
    ) -> None:
        """Under a budget, the plan never overspends and reaches ≄ ½(1 - 1/e) of the optimum."""
        report = ic.overlap_report(audiences)
        assert report.histogram is not None
        amounts = {c: Decimal(data.draw(st.integers(0, 50))) for c in audiences}
        budget = Decimal(data.draw(st.integers(0, 120)))
        plan = ic.plan_reach(
            report.histogram,
            budget=ic.Money.of(budget, "EUR"),
            costs={c: ic.Money.of(a, "EUR") for c, a in amounts.items()},
        )
        assert plan.cost is not None
        assert plan.cost.amount <= budget
        assert plan.guarantee == BUDGET_GUARANTEE
        optimum = brute_force(report, None, amounts, budget)
        assert plan.reach >= BUDGET_GUARANTEE * optimum - 1e-9

    def test_greedy_order_and_what_if(self) -> None:
        """The biggest new reach first; adding or removing creators reports the change."""
        report = ic.overlap_report(
            {"big": list(range(100)), "twin": list(range(90)), "niche": list(range(100, 130))}
        )
        assert report.histogram is not None
        plan = ic.plan_reach(report.histogram, max_creators=2)
        assert [(s.creator_id, s.marginal_reach) for s in plan.steps] == [
            ("big", 100),
            ("niche", 30),
        ]
        change = reach_change(report.histogram, ["big", "niche"], add=["twin"])
        assert (change.before, change.after, change.delta) == (130, 130, 0)
        assert reach_change(report.histogram, ["big", "niche"], remove=["big"]).delta == -100

    def test_budget_needs_costs_in_its_currency(self) -> None:
        """A budget without costs, or costs in another currency, is refused."""
        report = ic.overlap_report({"a": [1], "b": [2]})
        assert report.histogram is not None
        with pytest.raises(ic.ValidationError, match="costs"):
            ic.plan_reach(report.histogram, budget=ic.Money.of(10, "EUR"))
        with pytest.raises(ic.CurrencyMismatch):
            ic.plan_reach(
                report.histogram,
                budget=ic.Money.of(10, "EUR"),
                costs={"a": ic.Money.of(1, "EUR"), "b": ic.Money.of(1, "USD")},
            )

    def test_guarantees(self) -> None:
        """The documented bounds."""
        assert math.isclose(COUNT_GUARANTEE, 0.6321, abs_tol=1e-4)
        assert math.isclose(BUDGET_GUARANTEE, 0.3161, abs_tol=1e-4)
