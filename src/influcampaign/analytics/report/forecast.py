"""The forecast of a campaign (P10/P50/P90 per deliverable, creator and in total) and its
comparison with what was observed once the contents are delivered."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from influcampaign.analytics.forecast import (
    Estimate,
    ForecastInput,
    ForecastModel,
    count_estimate,
    money_estimate,
    simulate,
)
from influcampaign.analytics.report._common import ratio
from influcampaign.domain.money import Money, currency_minor_units

__all__ = [
    "FIGURES",
    "Actuals",
    "ForecastCheck",
    "ForecastLine",
    "ForecastReport",
    "Observed",
    "forecast_of",
    "roi_estimate",
]

FIGURES = ("reach", "impressions", "engagements", "emv")
"""The figures a forecast estimates and a check compares, in this order."""


@attrs.frozen
class ForecastLine:
    """The forecast of a deliverable (``key``), a creator, or the campaign (``key`` "total"):
    P10/P50/P90 of reach, impressions, engagements and EMV, the budget, and the estimated
    ROI by EMV at each quantile (None without a budget). ``notes`` maps a figure that is None
    for want of data to why (``emv``: a card's values could not be converted)."""

    key: str
    creator_id: str | None
    currency: str
    reach: Estimate
    impressions: Estimate
    engagements: Estimate
    emv: Estimate | None  # None: a card's values could not be converted (see the notes)
    budget: Money
    roi: Estimate | None
    notes: Mapping[str, str] = attrs.field(factory=dict)

    def record(self) -> dict[str, Any]:
        """Plain values, one column per figure and quantile."""
        row: dict[str, Any] = {"key": self.key, "creator_id": self.creator_id}
        for name in ("reach", "impressions", "engagements", "emv", "roi"):
            estimate = getattr(self, name)
            for q in ("p10", "p50", "p90"):
                row[f"{name}_{q}"] = None if estimate is None else getattr(estimate, q)
        row["budget"] = self.budget.amount
        row["currency"] = self.currency
        return row


@attrs.frozen
class ForecastCheck:
    """A forecast figure against what happened: ``verdict`` is ``below`` P10, ``within``,
    ``above`` P90, or ``not delivered`` (no content yet, or its metrics not reported)."""

    key: str
    figure: str
    forecast: Estimate
    actual: Decimal | None
    verdict: str

    def record(self) -> dict[str, Any]:
        """Plain values."""
        return {
            "key": self.key,
            "figure": self.figure,
            "p10": self.forecast.p10,
            "p50": self.forecast.p50,
            "p90": self.forecast.p90,
            "actual": self.actual,
            "verdict": self.verdict,
        }


@attrs.frozen
class ForecastReport:
    """A campaign's forecast per deliverable, creator and in total, with the draws and seed
    that reproduce it, the model, and the comparison with actuals."""

    currency: str
    draws: int
    seed: int
    model: ForecastModel
    per_deliverable: Mapping[str, ForecastLine]
    per_creator: Mapping[str, ForecastLine]
    total: ForecastLine
    checks: Sequence[ForecastCheck]

    def records(self) -> list[dict[str, Any]]:
        """One row per deliverable, then per creator, then the total."""
        return [
            line.record()
            for line in [*self.per_deliverable.values(), *self.per_creator.values(), self.total]
        ]


@attrs.frozen
class Observed:
    """The figures of delivered contents added up, to compare with a forecast (None: not
    reported by one of them, or not delivered yet)."""

    reach: Decimal | None = None
    impressions: Decimal | None = None
    engagements: Decimal | None = None
    emv: Decimal | None = None


@attrs.frozen
class Actuals:
    """What happened per deliverable key, per creator and for the campaign (None: nothing to
    compare), in the order the checks list them."""

    per_deliverable: Mapping[str, Observed] = attrs.field(factory=dict)
    per_creator: Mapping[str, Observed] = attrs.field(factory=dict)
    total: Observed | None = None


def roi_estimate(emv: Estimate | None, budget: Money) -> Estimate | None:
    """The ROI by EMV at each quantile of ``emv`` (None without a budget or an EMV)."""
    if emv is None or budget.is_zero():
        return None
    b = budget.amount
    return Estimate(ratio(emv.p10 - b, b), ratio(emv.p50 - b, b), ratio(emv.p90 - b, b))


def forecast_of(
    items: Sequence[ForecastInput],
    currency: str,
    *,
    model: ForecastModel | None = None,
    draws: int = 10_000,
    seed: int = 0,
    actuals: Actuals | None = None,
    unknown_emv: Mapping[str, str] | None = None,
) -> ForecastReport:
    """Forecast ``items`` (budgets in ``currency``) and compare with ``actuals``.
    ``unknown_emv`` maps the keys of items whose unit values are unknown to why: their EMV,
    their creator's and the total's are None, with that reason in the line's ``notes``."""
    model = model or ForecastModel()
    unknown = unknown_emv or {}
    creator_unknown: dict[str, str] = {}  # creator id -> why its EMV is None
    total_unknown: str | None = None  # why the campaign's EMV is None
    for it in sorted(items, key=lambda it: it.key):
        why = unknown.get(it.key)
        if why is not None:
            creator_unknown.setdefault(it.creator_id, f"the EMV of {it.key} is unknown: {why}")
            total_unknown = total_unknown or f"the EMV of {it.key} is unknown: {why}"
    places = currency_minor_units(currency)
    sim = simulate(items, model, draws=draws, seed=seed)
    budgets: dict[str, Decimal] = {it.key: it.budget for it in items}
    creator_budget: dict[str, Decimal] = defaultdict(Decimal)
    for it in items:
        creator_budget[it.creator_id] += it.budget

    def line(
        key: str, creator: str | None, q: Mapping[str, Any], budget: Decimal, why: str | None
    ) -> ForecastLine:
        emv = None if why is not None else money_estimate(q["emv"], places)
        money = Money(budget, currency).rounded()
        return ForecastLine(
            key,
            creator,
            currency,
            count_estimate(q["reach"]),
            count_estimate(q["impressions"]),
            count_estimate(q["engagements"]),
            emv,
            money,
            roi_estimate(emv, money),
            {} if why is None else {"emv": why},
        )

    per_deliverable = {
        it.key: line(
            it.key, it.creator_id, sim.per_key[it.key], budgets[it.key], unknown.get(it.key)
        )
        for it in sorted(items, key=lambda it: (it.creator_id, it.key))
    }
    per_creator = {
        c: line(c, c, q, creator_budget[c], creator_unknown.get(c))
        for c, q in sorted(sim.per_creator.items())
    }
    total = line("total", None, sim.total, sum(budgets.values(), Decimal(0)), total_unknown)
    return ForecastReport(
        currency,
        draws,
        seed,
        model,
        per_deliverable,
        per_creator,
        total,
        _checks(actuals or Actuals(), per_deliverable, per_creator, total),
    )


def _checks(
    actuals: Actuals,
    per_deliverable: Mapping[str, ForecastLine],
    per_creator: Mapping[str, ForecastLine],
    total: ForecastLine,
) -> list[ForecastCheck]:
    """Each forecast figure of a line with actuals against them."""
    pairs: list[tuple[str, ForecastLine | None, Observed]] = [
        *((k, per_deliverable.get(k), o) for k, o in actuals.per_deliverable.items()),
        *((c, per_creator.get(c), o) for c, o in actuals.per_creator.items()),
    ]
    if actuals.total is not None:
        pairs.append((total.key, total, actuals.total))
    checks: list[ForecastCheck] = []
    for key, target, observed in pairs:
        if target is None:
            continue
        for figure in FIGURES:
            estimate: Estimate | None = getattr(target, figure)
            if estimate is None:
                continue  # not forecast: the reason is in the line's notes
            actual: Decimal | None = getattr(observed, figure)
            verdict = "not delivered" if actual is None else estimate.verdict(actual)
            checks.append(ForecastCheck(key, figure, estimate, actual, verdict))
    return checks
